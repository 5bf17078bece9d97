// qfully_connected.cpp: QFullyConnected, y = x W^T + b in integers.
// Kernel: runtime/include/tmlc/kernels/int8/fully_connected.h.
//
// Inputs: x [N, K] (per-tensor quantized, int8 or int16), w int8 constant
// [M, K], bias [M] (int32 for int8 x, int64 for int16 x), mult and shift int32
// constants [M]. Output [N, M]. Fused activation None, Relu or Clip.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 5, 5));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  for (size_t i = 1; i < 5; ++i)
    if (!n.input(i)->isConstant()) return Status::error("weights, bias and requantization must be constants");
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  if (x.size() != 2 || w.size() != 2 || w[1] != x[1] || n.input(1)->type.dtype != DType::Int8)
    return Status::error("expected x [N, K] and int8 w [M, K], got " + shapeToString(x) + " and " +
                         shapeToString(w));
  TMLC_RETURN_IF_ERROR(checkRequantization(n, w[0]));
  Value* o = n.output(0);
  o->type.dtype = n.input(0)->type.dtype;
  o->type.shape = {x[0], w[0]};
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/fully_connected.h");
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  auto range = activationRange(n, n.output(0));
  if (!range) return range.status();
  std::string p = ctx.params(n, "tmlc::q::FullyConnectedParams",
                             fieldInit({{"batch", x[0]}, {"in", x[1]}, {"out", w[0]},
                                        {"in_offset", -qscalar(n.input(0)).zp},
                                        {"out_offset", qscalar(n.output(0)).zp},
                                        {"act_min", range->first}, {"act_max", range->second}}));
  ctx.call("tmlc::q::fully_connected<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.input(3)) + ", " +
           ctx.ref(n.input(4)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

int64_t macs(const Node& n) { return numElements(n.output(0)->type.shape) * n.input(1)->type.shape[1]; }

}  // namespace

extern const OpDef kOp_QFullyConnected = {OpKind::QFullyConnected, "tmlc", "QFullyConnected", infer, emit,
                                          nullptr, nullptr, macs, true, false};

}  // namespace tmlc
