// qlut.cpp: QLut, an element-wise function by table. Inputs: x and table, a
// constant of x's type made by the quantization pass: int8 [256] (table[q + 128]
// = the quantized function of the dequantized q) or int16 [513] (every 128th
// input value, interpolated; see the kernel).
// Kernel: runtime/include/tmlc/kernels/int8/lut.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  const DType xt = n.input(0)->type.dtype;
  const int64_t entries = xt == DType::Int16 ? 513 : 256;
  const Value* t = n.input(1);
  if (!t->isConstant() || t->type.dtype != xt || numElements(t->type.shape) != entries)
    return Status::error("table must be an " + std::string(dtypeName(xt)) + " [" + std::to_string(entries) +
                         "] constant");
  Value* o = n.output(0);
  o->type.dtype = xt;
  o->type.shape = n.input(0)->type.shape;
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/lut.h");
  std::string p = ctx.params(n, "tmlc::q::LutParams", fieldInit({{"count", numElements(n.output(0)->type.shape)}}));
  ctx.call("tmlc::q::lut<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QLut = {OpKind::QLut, "tmlc", "QLut", infer, emit, nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
