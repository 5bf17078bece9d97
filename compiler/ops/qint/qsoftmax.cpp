// qsoftmax.cpp: QSoftmax over the innermost axis. Inputs: x (per-tensor
// quantized) and exp_table, an int32 constant made by the quantization pass:
// [256] for int8 x, exp_table[d] = round(2^16 * exp(-scale_x * d)); [513] for
// int16 x, exp_table[i] = round(2^16 * exp(-i * kSoftmax16Range / 512)).
// Kernel: runtime/include/tmlc/kernels/int8/softmax.h.
#include <cmath>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"
#include "tmlc/kernels/int8/softmax.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  const int64_t entries = n.input(0)->type.dtype == DType::Int16 ? 513 : 256;
  const Value* t = n.input(1);
  if (!t->isConstant() || t->type.dtype != DType::Int32 || numElements(t->type.shape) != entries)
    return Status::error("exp_table must be an int32 [" + std::to_string(entries) + "] constant");
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
  int32_t posMult = 0, posShift = 0;
  if (n.input(0)->type.dtype == DType::Int16) {
    const double pos = qscalar(n.input(0)).scale * 512.0 * 128.0 / tmlc::q::kSoftmax16Range;
    if (!(pos > 0 && pos < 1048576.0)) return Status::error("input scale out of range for int16 softmax");
    tmlc::q::quantize_multiplier(pos, &posMult, &posShift);
  }
  std::string p = ctx.params(n, "tmlc::q::SoftmaxParams",
                             fieldInit({{"outer", numElements(x) / x.back()}, {"n", x.back()},
                                        {"inv_out", static_cast<int64_t>(inv)}, {"out_zp", qo.zp},
                                        {"pos_mult", posMult}, {"pos_shift", posShift}}));
  ctx.call("tmlc::q::softmax<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QSoftmax = {OpKind::QSoftmax, "tmlc", "QSoftmax", infer, emit, nullptr, nullptr, nullptr,
                                   false, false};

}  // namespace tmlc
