// batchnorm.cpp: BatchNormalization (inference). Usually folded into the Conv
// or Gemm before it by passes/fuse_batchnorm; this is the standalone kernel.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/batchnorm.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 5, 5));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 2) return Status::error("input X must have rank >= 2");
  for (size_t i = 1; i < 5; ++i)
    if (n.input(i)->type.shape != Shape{x[1]})
      return Status::error("parameter " + std::to_string(i) + " must have shape [" + std::to_string(x[1]) + "]");
  if (n.attrInt("training_mode", 0)) return Status::error("training_mode is not supported");
  for (size_t k = 1; k < n.outputs.size(); ++k)
    if (n.output(k)) return Status::error("training outputs (running mean/var) are not supported");
  setOutput(n, 0, n.input(0)->type.dtype, x);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/batchnorm.h");
  const Shape& x = n.input(0)->type.shape;
  int64_t spatial = 1;
  for (size_t i = 2; i < x.size(); ++i) spatial *= x[i];
  std::string name = ctx.params(n, "tmlc::BatchNormParams",
                                "{" + std::to_string(x[0]) + ", " + std::to_string(x[1]) + ", " +
                                    std::to_string(spatial) + ", " +
                                    EmitContext::floatLiteral(n.attrFloat("epsilon", 1e-5f)) + "}");
  ctx.call("tmlc::batchnorm<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.input(3)) + ", " +
           ctx.ref(n.input(4)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_BatchNormalization = {OpKind::BatchNormalization, "", "BatchNormalization", infer, emit,
                                              nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
