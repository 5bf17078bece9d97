// quantize_linear.cpp: QuantizeLinear and DequantizeLinear (per tensor, or per
// axis since opset 13), DynamicQuantizeLinear. Constant inputs fold at compile
// time through the same kernels. Kernel: runtime/include/tmlc/kernels/quantize_linear.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/quantize_linear.h"

namespace tmlc {

namespace {

// The [outer, channels, inner] view of x for a scale of the given shape.
Expected<tmlc::QuantizeLinearParams> view(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& s = n.input(1)->type.shape;
  tmlc::QuantizeLinearParams p{1, 1, static_cast<int32_t>(numElements(x))};
  if (numElements(s) == 1 && s.size() <= 1) {
    if (const Value* zp = n.input(2))
      if (numElements(zp->type.shape) != 1) return Status::error("zero point must be a scalar like the scale");
    return p;
  }
  if (s.size() != 1) return Status::error("scale must be a scalar or 1-D, got " + shapeToString(s));
  auto axis = normalizeAxis(n.attrInt("axis", 1), static_cast<int64_t>(x.size()));
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  if (x[a] != s[0])
    return Status::error("scale has " + std::to_string(s[0]) + " values, axis " + std::to_string(a) + " of x has " +
                         std::to_string(x[a]));
  if (const Value* zp = n.input(2))
    if (zp->type.shape != s) return Status::error("zero point shape differs from the scale's");
  p.outer = static_cast<int32_t>(numElements(Shape(x.begin(), x.begin() + static_cast<long>(a))));
  p.channels = static_cast<int32_t>(x[a]);
  p.inner = static_cast<int32_t>(numElements(Shape(x.begin() + static_cast<long>(a) + 1, x.end())));
  return p;
}

std::string printView(const tmlc::QuantizeLinearParams& p) {
  return "{/*outer*/ " + std::to_string(p.outer) + ", /*channels*/ " + std::to_string(p.channels) + ", /*inner*/ " +
         std::to_string(p.inner) + "}";
}

bool isQuantType(DType t) { return t == DType::UInt8 || t == DType::Int8; }

Status inferQuantize(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  if (n.input(0)->type.dtype != DType::Float32 && n.input(0)->type.dtype != DType::Int32)
    return Status::error(std::string("input type ") + dtypeName(n.input(0)->type.dtype) + " is not supported");
  if (n.input(1)->type.dtype != DType::Float32) return Status::error("scale must be float");
  const DType out = n.input(2) ? n.input(2)->type.dtype : DType::UInt8;
  if (!isQuantType(out)) return Status::error(std::string("output type ") + dtypeName(out) + " is not supported");
  auto p = view(n);
  if (!p) return p.status();
  setOutput(n, 0, out, n.input(0)->type.shape);
  return Status::ok();
}

Status inferDequantize(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  const DType in = n.input(0)->type.dtype;
  if (!isQuantType(in) && in != DType::Int32)
    return Status::error(std::string("input type ") + dtypeName(in) + " is not supported");
  if (const Value* zp = n.input(2))
    if (zp->type.dtype != in) return Status::error("zero point type differs from the input's");
  if (n.input(1)->type.dtype != DType::Float32) return Status::error("scale must be float");
  auto p = view(n);
  if (!p) return p.status();
  setOutput(n, 0, DType::Float32, n.input(0)->type.shape);
  return Status::ok();
}

// Calls f(TX{}, TY{}) with the storage types of input 0 and output 0.
template <typename F>
bool visitPair(const Node& n, F&& f) {
  bool ok = false;
  visitDType(n.input(0)->type.dtype, [&](auto x) {
    using TX = decltype(x);
    visitDType(n.output(0)->type.dtype, [&](auto y) {
      using TY = decltype(y);
      if constexpr ((std::is_same<TX, float>::value || std::is_same<TX, int32_t>::value) &&
                    (std::is_same<TY, uint8_t>::value || std::is_same<TY, int8_t>::value)) {
        f(x, y);
        ok = true;
      } else if constexpr ((std::is_same<TX, uint8_t>::value || std::is_same<TX, int8_t>::value ||
                            std::is_same<TX, int32_t>::value) &&
                           std::is_same<TY, float>::value) {
        f(x, y);
        ok = true;
      }
    });
  });
  return ok;
}

Status emitQuantize(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/quantize_linear.h");
  auto p = view(n);
  if (!p) return p.status();
  const std::string name = ctx.params(n, "tmlc::QuantizeLinearParams", printView(*p));
  const bool q = n.kind == OpKind::QuantizeLinear;
  ctx.call(std::string(q ? "tmlc::quantize_linear<" : "tmlc::dequantize_linear<") + EmitContext::ctype(n.input(0)) +
           ", " + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalQuantize(const Node& n, std::vector<Tensor>& outs) {
  auto p = view(n);
  if (!p) return p.status();
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  const Tensor& x = *n.input(0)->constant;
  const Tensor& s = *n.input(1)->constant;
  const Tensor* zp = n.input(2) ? n.input(2)->constant.get() : nullptr;
  const bool q = n.kind == OpKind::QuantizeLinear;
  bool ok = visitPair(n, [&](auto tx, auto ty) {
    using TX = decltype(tx);
    using TY = decltype(ty);
    if constexpr (std::is_same<TY, float>::value) {
      if (!q) tmlc::dequantize_linear<TX, TY>(*p, x.data<TX>(), s.data<float>(), zp ? zp->data<TX>() : nullptr,
                                               out.data<TY>());
    } else {
      if (q) tmlc::quantize_linear<TX, TY>(*p, x.data<TX>(), s.data<float>(), zp ? zp->data<TY>() : nullptr,
                                            out.data<TY>());
    }
  });
  if (!ok) return Status::error("cannot evaluate these types at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

Status inferDynamic(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  if (n.input(0)->type.dtype != DType::Float32) return Status::error("input must be float");
  setOutput(n, 0, DType::UInt8, n.input(0)->type.shape);
  setOutput(n, 1, DType::Float32, {});
  setOutput(n, 2, DType::UInt8, {});
  return Status::ok();
}

// y_scale and y_zero_point are written even when the model drops them: the
// kernel always needs somewhere to put them, so unused ones go to scratch.
size_t scratchDynamic(const Node& n) { return (n.output(1) ? 0 : 4) + (n.output(2) ? 0 : 4); }

Status emitDynamic(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/quantize_linear.h");
  std::string scale = n.output(1) ? ctx.ref(n.output(1)) : ctx.scratch(n, "float");
  std::string zp = n.output(2) ? ctx.ref(n.output(2))
                               : "reinterpret_cast<uint8_t*>(" + ctx.scratch(n, "float") + (n.output(1) ? "" : " + 1") + ")";
  ctx.call("tmlc::dynamic_quantize_linear(" + std::to_string(numElements(n.input(0)->type.shape)) + ", " +
           ctx.ref(n.input(0)) + ", " + ctx.refOrNull(n.output(0)) + ", " + scale + ", " + zp + ");");
  return Status::ok();
}

Status evalDynamic(const Node& n, std::vector<Tensor>& outs) {
  const Tensor& x = *n.input(0)->constant;
  Tensor y = Tensor::zeros(DType::UInt8, x.shape), s = Tensor::zeros(DType::Float32, {}),
         zp = Tensor::zeros(DType::UInt8, {});
  tmlc::dynamic_quantize_linear(static_cast<int32_t>(x.numel()), x.data<float>(), y.data<uint8_t>(),
                                s.data<float>(), zp.data<uint8_t>());
  outs.push_back(std::move(y));
  outs.push_back(std::move(s));
  outs.push_back(std::move(zp));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QuantizeLinear = {OpKind::QuantizeLinear, "", "QuantizeLinear", inferQuantize, emitQuantize,
                                         evalQuantize, nullptr, nullptr, false, false};
extern const OpDef kOp_DequantizeLinear = {OpKind::DequantizeLinear, "", "DequantizeLinear", inferDequantize,
                                           emitQuantize, evalQuantize, nullptr, nullptr, false, false};
extern const OpDef kOp_DynamicQuantizeLinear = {OpKind::DynamicQuantizeLinear, "", "DynamicQuantizeLinear",
                                                inferDynamic, emitDynamic, evalDynamic, scratchDynamic, nullptr,
                                                false, false};

}  // namespace tmlc
