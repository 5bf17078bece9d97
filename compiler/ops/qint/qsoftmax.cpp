// qsoftmax.cpp: QSoftmax over the innermost axis. Inputs: x (per-tensor
// quantized) and exp_table, an int32 [256] constant made by the quantization
// pass: exp_table[d] = round(2^16 * exp(-scale_x * d)).
// Kernel: runtime/include/tmlc/kernels/int8/softmax.h.
#include <cmath>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  if (n.input(0)->type.dtype != DType::Int8) return Status::error("int16 softmax is not supported");
  const Value* t = n.input(1);
  if (!t->isConstant() || t->type.dtype != DType::Int32 || numElements(t->type.shape) != 256)
    return Status::error("exp_table must be an int32 [256] constant");
  const Shape& x = n.input(0)->type.shape;
  if (x.empty() || x.back() > (1 << 15)) return Status::error("softmax rows longer than 32768 are not supported");
  Value* o = n.output(0);
  o->type.dtype = n.input(0)->type.dtype;
  o->type.shape = x;
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/softmax.h");
  const Shape& x = n.input(0)->type.shape;
  const QScalar qo = qscalar(n.output(0));
  const double inv = std::nearbyint(256.0 / qo.scale);
  if (!(inv >= 1 && inv < 2147483648.0)) return Status::error("output scale out of range for softmax");
  std::string p = ctx.params(n, "tmlc::q::SoftmaxParams",
                             fieldInit({{"outer", numElements(x) / x.back()}, {"n", x.back()},
                                        {"inv_out", static_cast<int64_t>(inv)}, {"out_zp", qo.zp}}));
  ctx.call("tmlc::q::softmax<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QSoftmax = {OpKind::QSoftmax, "tmlc", "QSoftmax", infer, emit, nullptr, nullptr, nullptr,
                                   false, false};

}  // namespace tmlc
