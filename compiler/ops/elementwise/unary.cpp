// unary.cpp: element-wise unary operators and activations, and Clip.
// Kernel: runtime/include/tmlc/kernels/unary.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/unary.h"

namespace tmlc {

namespace {

Status inferSame(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status inferFloat(Node& n) {
  TMLC_RETURN_IF_ERROR(inferSame(n));
  if (!isFloat(n.input(0)->type.dtype))
    return Status::error(std::string("input type ") + dtypeName(n.input(0)->type.dtype) + " is not a float type");
  return Status::ok();
}

// alpha/beta attribute defaults per operator (ONNX spec).
tmlc::UnaryParams makeParams(const Node& n) {
  tmlc::UnaryParams p{static_cast<int32_t>(numElements(n.output(0)->type.shape)), 0.f, 0.f};
  switch (n.kind) {
    case OpKind::LeakyRelu: p.alpha = n.attrFloat("alpha", 0.01f); break;
    case OpKind::HardSigmoid:
      p.alpha = n.attrFloat("alpha", 0.2f);
      p.beta = n.attrFloat("beta", 0.5f);
      break;
    default: break;
  }
  return p;
}

template <typename Op>
Status emitUnary(EmitContext& ctx, const Node& n, const char* functor) {
  ctx.include("tmlc/kernels/unary.h");
  tmlc::UnaryParams p = makeParams(n);
  std::string name = ctx.params(n, "tmlc::UnaryParams",
                                "{" + std::to_string(p.count) + ", " + EmitContext::floatLiteral(p.alpha) +
                                    ", " + EmitContext::floatLiteral(p.beta) + "}");
  ctx.call(std::string("tmlc::unary<") + functor + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

template <typename Op>
Status evalUnary(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  tmlc::UnaryParams p = makeParams(n);
  const Tensor& x = *n.input(0)->constant;
  bool ok = false;
  if (y->type.dtype == DType::Float32) {
    tmlc::unary<Op>(p, x.data<float>(), out.data<float>());
    ok = true;
  }
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

Status inferClip(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 3));
  for (size_t i = 1; i < 3; ++i)
    if (const Value* b = n.input(i)) {
      if (b->type.dtype != n.input(0)->type.dtype) return Status::error("min/max type differs from input");
      if (numElements(b->type.shape) != 1) return Status::error("min/max must be scalars");
    }
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status emitClip(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/unary.h");
  const std::string count = std::to_string(numElements(n.output(0)->type.shape));
  const std::string ct = EmitContext::ctype(n.output(0));
  // Opset < 11 gives the bounds as attributes.
  std::string lo = ctx.refOrNull(n.input(1)), hi = ctx.refOrNull(n.input(2));
  if (n.hasAttr("min")) lo = "&" + ctx.params(n, ct, EmitContext::floatLiteral(n.attrFloat("min", 0)), "_min");
  if (n.hasAttr("max")) hi = "&" + ctx.params(n, ct, EmitContext::floatLiteral(n.attrFloat("max", 0)), "_max");
  ctx.call("tmlc::clip<" + ct + ">(" + count + ", " + ctx.ref(n.input(0)) + ", " + lo + ", " + hi + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

#define TMLC_UNARY_OP(Kind, Functor, Infer)                                                         \
  extern const OpDef kOp_##Kind = {                                                                 \
      OpKind::Kind, "", #Kind, Infer,                                                               \
      [](EmitContext& c, const Node& n) { return emitUnary<tmlc::Functor>(c, n, "tmlc::" #Functor); }, \
      evalUnary<tmlc::Functor>, nullptr, nullptr, false, false};

TMLC_UNARY_OP(Relu, ReluOp, inferSame)
TMLC_UNARY_OP(LeakyRelu, LeakyReluOp, inferFloat)
TMLC_UNARY_OP(Sigmoid, SigmoidOp, inferFloat)
TMLC_UNARY_OP(Tanh, TanhOp, inferFloat)
TMLC_UNARY_OP(HardSigmoid, HardSigmoidOp, inferFloat)
TMLC_UNARY_OP(HardSwish, HardSwishOp, inferFloat)

extern const OpDef kOp_Clip = {OpKind::Clip, "", "Clip", inferClip, emitClip, nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
