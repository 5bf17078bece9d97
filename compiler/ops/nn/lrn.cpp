// lrn.cpp: LRN (local response normalization across channels).
// Kernel: runtime/include/tmlc/kernels/lrn.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/lrn.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  const Shape& x = n.input(0)->type.shape;
  if (!isFloat(n.input(0)->type.dtype)) return Status::error("LRN of non-float types is not supported");
  if (x.size() < 3) return Status::error("input X must have rank >= 3");
  if (n.attrInt("size", 0) <= 0) return Status::error("attribute size must be positive");
  setOutput(n, 0, n.input(0)->type.dtype, x);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/lrn.h");
  const Shape& x = n.input(0)->type.shape;
  auto f = [](float v) { return EmitContext::floatLiteral(v); };
  std::string name = ctx.params(n, "tmlc::LrnParams",
                                "{/*batch*/ " + std::to_string(x[0]) + ", /*channels*/ " + std::to_string(x[1]) +
                                    ", /*spatial*/ " + std::to_string(numElements(Shape(x.begin() + 2, x.end()))) +
                                    ", /*size*/ " + std::to_string(n.attrInt("size", 1)) + ", /*alpha*/ " +
                                    f(n.attrFloat("alpha", 1e-4f)) + ", /*beta*/ " + f(n.attrFloat("beta", 0.75f)) +
                                    ", /*bias*/ " + f(n.attrFloat("bias", 1.0f)) + "}");
  ctx.call("tmlc::lrn<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_LRN = {OpKind::LRN, "", "LRN", infer, emit, nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
