// boundary.cpp: Quantize, Dequantize and Layout, the operators at the edges of
// the integer part of a graph. Kernel: runtime/include/tmlc/kernels/int8/quantize.h.
//
// Attribute `layout`: 0 keeps the layout, 1 moves channels last
// ([N, C, d...] -> [N, d..., C]), 2 moves them first (the inverse). Attribute
// `channels` (optional) views a rank-2 [N, K] tensor as holding K / channels
// pixels of `channels` values (a flattened channels-last tensor) and keeps the shape.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

struct View {
  int64_t outer = 1, c = 1, inner = 1;
};

Expected<View> view(const Node& n, const Shape& in) {
  View v;
  const int64_t layout = n.attrInt("layout", 0);
  if (layout < 0 || layout > 2) return Status::error("layout must be 0, 1 or 2");
  const int64_t channels = n.attrInt("channels", 0);
  if (channels > 0) {
    if (in.size() != 2 || in[1] % channels) return Status::error("channels does not divide the row of a rank-2 input");
    v.outer = in[0];
    v.c = channels;
    v.inner = in[1] / channels;
    return v;
  }
  if (layout == 0) {
    v.inner = numElements(in);
    return v;
  }
  if (in.size() < 3) return Status::error("a layout change needs rank 3 or more");
  v.outer = in[0];
  v.c = layout == 1 ? in[1] : in.back();
  v.inner = numElements(in) / std::max<int64_t>(1, v.outer * v.c);
  return v;
}

Shape outShape(const Node& n, const Shape& in) {
  const int64_t layout = n.attrInt("layout", 0);
  if (layout == 0 || n.attrInt("channels", 0) > 0) return in;
  Shape s = {in[0]};
  if (layout == 1) {
    s.insert(s.end(), in.begin() + 2, in.end());
    s.push_back(in[1]);
  } else {
    s.push_back(in.back());
    s.insert(s.end(), in.begin() + 1, in.end() - 1);
  }
  return s;
}

Status inferCommon(Node& n, DType outType) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  auto v = view(n, n.input(0)->type.shape);
  if (!v) return v.status();
  Value* o = n.output(0);
  o->type.dtype = outType;
  o->type.shape = outShape(n, n.input(0)->type.shape);
  return Status::ok();
}

Status inferQuantize(Node& n) {
  if (n.input(0) && n.input(0)->type.dtype != DType::Float32)
    return Status::error("input must be float32");
  if (!n.output(0)->type.quant) return Status::error("output has no quantization");
  DType t = n.output(0)->type.dtype;
  if (t != DType::Int8 && t != DType::Int16) return Status::error("output must be int8 or int16");
  TMLC_RETURN_IF_ERROR(inferCommon(n, t));
  return requirePerTensor(n.output(0), "output");
}

Status inferDequantize(Node& n) {
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "input"));
  return inferCommon(n, DType::Float32);
}

Status inferLayout(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(inferCommon(n, n.input(0)->type.dtype));
  n.output(0)->type.quant = n.input(0)->type.quant;
  return Status::ok();
}

std::string params(EmitContext& ctx, const Node& n, const Value* q) {
  View v = *view(n, n.input(0)->type.shape);
  int64_t layout = n.attrInt("layout", 0);
  if (n.attrInt("channels", 0) > 0 && layout == 0) layout = 2;
  if (v.c == 1 || v.inner == 1) layout = 0;  // the same bytes in either layout
  const QScalar s = qscalar(q);
  std::string init = "{/*outer, c, inner*/ " + std::to_string(v.outer) + ", " + std::to_string(v.c) + ", " +
                     std::to_string(v.inner) + ", " + layoutName(layout) + ", /*scale*/ " +
                     EmitContext::floatLiteral(static_cast<float>(s.scale)) + ", /*zero point*/ " +
                     std::to_string(s.zp) + "}";
  return ctx.params(n, "tmlc::q::BoundaryParams", init);
}

Status emitQuantize(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/quantize.h");
  std::string p = params(ctx, n, n.output(0));
  ctx.call("tmlc::q::quantize<" + EmitContext::ctype(n.output(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status emitDequantize(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/quantize.h");
  std::string p = params(ctx, n, n.input(0));
  ctx.call("tmlc::q::dequantize<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status emitLayout(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/quantize.h");
  std::string p = params(ctx, n, n.input(0));
  ctx.call("tmlc::q::transpose_layout<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QQuantize = {OpKind::QQuantize, "tmlc", "Quantize", inferQuantize, emitQuantize,
                                    nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_QDequantize = {OpKind::QDequantize, "tmlc", "Dequantize", inferDequantize, emitDequantize,
                                      nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_QLayout = {OpKind::QLayout, "tmlc", "Layout", inferLayout, emitLayout,
                                  nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
