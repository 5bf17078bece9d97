// qlut.cpp: QLut, an element-wise function by 256-entry table (int8 only).
// Inputs: x and table, an int8 [256] constant made by the quantization pass
// (table[q + 128] = the quantized function of the dequantized q).
// Kernel: runtime/include/tmlc/kernels/int8/lut.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  if (n.input(0)->type.dtype != DType::Int8) return Status::error("x must be int8");
  const Value* t = n.input(1);
  if (!t->isConstant() || t->type.dtype != DType::Int8 || numElements(t->type.shape) != 256)
    return Status::error("table must be an int8 [256] constant");
  Value* o = n.output(0);
  o->type.dtype = DType::Int8;
  o->type.shape = n.input(0)->type.shape;
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/lut.h");
  std::string p = ctx.params(n, "tmlc::q::LutParams", fieldInit({{"count", numElements(n.output(0)->type.shape)}}));
  ctx.call("tmlc::q::lut(" + p + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QLut = {OpKind::QLut, "tmlc", "QLut", infer, emit, nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
