// batchnorm.cpp: BatchNormalization. Usually folded into the Conv or Gemm
// before it by passes/fuse_batchnorm; this is the standalone kernel, in
// inference mode or (training_mode = 1, opset 14+) with batch statistics and
// the updated running mean and variance as outputs 1 and 2.
// Kernel: runtime/include/tmlc/kernels/batchnorm.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/batchnorm.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 5, 5));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 2) return Status::error("input X must have rank >= 2");
  if (!isFloat(n.input(0)->type.dtype)) return Status::error("BatchNormalization of non-float types is not supported");
  for (size_t i = 1; i < 5; ++i) {
    if (n.input(i)->type.shape != Shape{x[1]})
      return Status::error("parameter " + std::to_string(i) + " must have shape [" + std::to_string(x[1]) + "]");
    if (n.input(i)->type.dtype != n.input(0)->type.dtype)
      return Status::error("parameters of a type other than X's are not supported");
  }
  const bool training = n.attrInt("training_mode", 0) != 0;
  if (n.outputs.size() > 3 || (!training && (n.output(1) || n.output(2))))
    return Status::error("training outputs (saved mean/var, or running statistics outside training mode) are not supported");
  setOutput(n, 0, n.input(0)->type.dtype, x);
  setOutput(n, 1, n.input(0)->type.dtype, {x[1]});
  setOutput(n, 2, n.input(0)->type.dtype, {x[1]});
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/batchnorm.h");
  const Shape& x = n.input(0)->type.shape;
  int64_t spatial = 1;
  for (size_t i = 2; i < x.size(); ++i) spatial *= x[i];
  const bool training = n.attrInt("training_mode", 0) != 0;
  const std::string bn = "{" + std::to_string(x[0]) + ", " + std::to_string(x[1]) + ", " + std::to_string(spatial) +
                         ", /*epsilon*/ " + EmitContext::floatLiteral(n.attrFloat("epsilon", 1e-5f)) + "}";
  std::string name = training ? ctx.params(n, "tmlc::BatchNormTrainingParams",
                                           "{" + bn + ", /*momentum*/ " +
                                               EmitContext::floatLiteral(n.attrFloat("momentum", 0.9f)) + "}")
                              : ctx.params(n, "tmlc::BatchNormParams", bn);
  std::string args = "(" + name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " +
                     ctx.ref(n.input(2)) + ", " + ctx.ref(n.input(3)) + ", " + ctx.ref(n.input(4)) + ", " +
                     ctx.ref(n.output(0));
  const std::string t = EmitContext::ctype(n.output(0));
  if (training)
    ctx.call("tmlc::batchnorm_training<" + t + ">" + args + ", " + ctx.refOrNull(n.output(1)) + ", " +
             ctx.refOrNull(n.output(2)) + ");");
  else
    ctx.call("tmlc::batchnorm<" + t + ">" + args + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_BatchNormalization = {OpKind::BatchNormalization, "", "BatchNormalization", infer, emit,
                                              nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
