// activations.cpp: element-wise activations (Relu, LeakyRelu, Sigmoid, Tanh,
// HardSigmoid, HardSwish, Elu, Selu, Celu, Softplus, Softsign, Shrink,
// ThresholdedRelu, Mish, Gelu) and Clip, on every type ONNX allows.
// Kernel: runtime/include/tmlc/kernels/unary.h. Relu, LeakyRelu, Sigmoid,
// Tanh, HardSigmoid, HardSwish and Clip may also be fused into the op that
// produces their input (passes/fuse_activation.cpp).
#include "ops/elementwise/elementwise.h"

namespace tmlc {

using namespace ew;

namespace {

// Attribute defaults from the ONNX spec; (alpha, beta) as unary.h documents.
UnaryAttrs leakyReluAttrs(const Node& n) { return {n.attrFloat("alpha", 0.01f), 0.f}; }
UnaryAttrs hardSigmoidAttrs(const Node& n) { return {n.attrFloat("alpha", 0.2f), n.attrFloat("beta", 0.5f)}; }
UnaryAttrs alphaOneAttrs(const Node& n) { return {n.attrFloat("alpha", 1.0f), 0.f}; }
UnaryAttrs seluAttrs(const Node& n) {
  return {n.attrFloat("alpha", 1.67326319217681884765625f), n.attrFloat("gamma", 1.05070102214813232421875f)};
}
UnaryAttrs shrinkAttrs(const Node& n) { return {n.attrFloat("lambd", 0.5f), n.attrFloat("bias", 0.0f)}; }

// Gelu: approximate = "none" (erf) or "tanh".
Expected<bool> geluTanh(const Node& n) {
  const std::string a = n.attrString("approximate", "none");
  if (a != "none" && a != "tanh") return Status::error("approximate must be 'none' or 'tanh', not '" + a + "'");
  return a == "tanh";
}

// Clip: bounds from inputs 1 and 2 (opset >= 11) or attributes min/max (older).
Status inferClip(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 3));
  TMLC_RETURN_IF_ERROR(checkTypes(n, 0, kNumeric));
  for (size_t i = 1; i < 3; ++i)
    if (const Value* b = n.input(i)) {
      if (b->type.dtype != n.input(0)->type.dtype)
        return Status::error(std::string(i == 1 ? "min" : "max") + " has type " + dtypeName(b->type.dtype) +
                             ", input has " + dtypeName(n.input(0)->type.dtype));
      if (numElements(b->type.shape) != 1) return Status::error("min and max must be scalars");
    }
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status emitClip(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/unary.h");
  const DType dt = n.output(0)->type.dtype;
  const std::string ct = dtypeCType(dt);
  std::string lo = ctx.refOrNull(n.input(1)), hi = ctx.refOrNull(n.input(2));
  if (n.hasAttr("min")) lo = "&" + ctx.params(n, ct, scalarLiteral(dt, n.attrFloat("min", 0)), "_min");
  if (n.hasAttr("max")) hi = "&" + ctx.params(n, ct, scalarLiteral(dt, n.attrFloat("max", 0)), "_max");
  ctx.call("tmlc::clip<" + ct + ">(" + std::to_string(numElements(n.output(0)->type.shape)) + ", " +
           ctx.ref(n.input(0)) + ", " + lo + ", " + hi + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalClip(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  const Tensor& x = *n.input(0)->constant;
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  visitDType(x.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr ((typeSetOf<T>() & kNumeric) != 0) {
      T bounds[2];
      const T* p[2] = {nullptr, nullptr};
      const char* attr[2] = {"min", "max"};
      for (int k = 0; k < 2; ++k) {
        if (n.hasAttr(attr[k])) {
          bounds[k] = tmlc::convert<T>(n.attrFloat(attr[k], 0));
          p[k] = &bounds[k];
        } else if (const Value* v = n.input(static_cast<size_t>(k) + 1)) {
          p[k] = v->constant->data<T>();
        }
      }
      tmlc::clip<T>(static_cast<int32_t>(x.numel()), x.data<T>(), p[0], p[1], out.data<T>());
    }
  });
  outs.push_back(std::move(out));
  return Status::ok();
}

}  // namespace

TMLC_EW_UNARY_OP(Relu, ReluOp, kNumeric, false, noAttrs)  // unsigned: identity
TMLC_EW_UNARY_OP(LeakyRelu, LeakyReluOp, kFloats, false, leakyReluAttrs)
TMLC_EW_UNARY_OP(Sigmoid, SigmoidOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Tanh, TanhOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(HardSigmoid, HardSigmoidOp, kFloats, false, hardSigmoidAttrs)
TMLC_EW_UNARY_OP(HardSwish, HardSwishOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Elu, EluOp, kFloats, false, alphaOneAttrs)
TMLC_EW_UNARY_OP(Selu, SeluOp, kFloats, false, seluAttrs)
TMLC_EW_UNARY_OP(Celu, CeluOp, kFloats, false, alphaOneAttrs)
TMLC_EW_UNARY_OP(Softplus, SoftplusOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Softsign, SoftsignOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(ThresholdedRelu, ThresholdedReluOp, kFloats, false, alphaOneAttrs)
TMLC_EW_UNARY_OP(Shrink, ShrinkOp, kNumeric, false, shrinkAttrs)
TMLC_EW_UNARY_OP(Mish, MishOp, kFloats, false, noAttrs)

extern const OpDef kOp_Gelu = {
    OpKind::Gelu, "", "Gelu",
    [](Node& n) {
      auto t = geluTanh(n);
      return t ? inferUnary(n, kFloats, false) : t.status();
    },
    [](EmitContext& c, const Node& n) { return emitUnary(c, n, *geluTanh(n) ? "tmlc::GeluTanhOp" : "tmlc::GeluOp", {}); },
    [](const Node& n, std::vector<Tensor>& o) {
      return *geluTanh(n) ? evalUnary<tmlc::GeluTanhOp, kFloats, false>(n, o, {})
                          : evalUnary<tmlc::GeluOp, kFloats, false>(n, o, {});
    },
    nullptr, nullptr, false, false};

extern const OpDef kOp_Clip = {OpKind::Clip, "", "Clip", inferClip, emitClip, evalClip, nullptr, nullptr, false, false};

}  // namespace tmlc
