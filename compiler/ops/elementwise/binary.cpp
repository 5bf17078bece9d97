// binary.cpp: element-wise binary operators with numpy broadcasting.
// Kernel: runtime/include/tmlc/kernels/binary.h (one template, one functor per op).
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/binary.h"

namespace tmlc {

namespace {

Status inferBinary(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const Value *a = n.input(0), *b = n.input(1);
  if (a->type.dtype != b->type.dtype)
    return Status::error(std::string("input types differ: ") + dtypeName(a->type.dtype) + " and " +
                         dtypeName(b->type.dtype));
  auto s = broadcastShapes({a->type.shape, b->type.shape});
  if (!s) return s.status();
  setOutput(n, 0, a->type.dtype, *s);
  return Status::ok();
}

tmlc::BinaryParams makeParams(const Node& n) {
  return tmlc::BinaryParams{
      makeBroadcast(n.output(0)->type.shape, {n.input(0)->type.shape, n.input(1)->type.shape}),
      n.fused};
}

template <typename Op>
Status emitBinary(EmitContext& ctx, const Node& n, const char* functor) {
  ctx.include("tmlc/kernels/binary.h");
  tmlc::BinaryParams p = makeParams(n);
  std::string name = ctx.params(n, "tmlc::BinaryParams",
                                "{" + printBroadcast(p.bc) + ", " + EmitContext::activation(n.fused) + "}");
  ctx.call(std::string("tmlc::binary<") + functor + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

template <typename Op>
Status evalBinary(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  tmlc::BinaryParams p = makeParams(n);
  const Tensor &a = *n.input(0)->constant, &b = *n.input(1)->constant;
  bool ok = visitDType(y->type.dtype, [&](auto t) {
    using T = decltype(t);
    tmlc::binary<Op>(p, a.data<T>(), b.data<T>(), out.data<T>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

int64_t macsBinary(const Node& n) { return numElements(n.output(0)->type.shape); }

}  // namespace

#define TMLC_BINARY_OP(Kind, Functor)                                                         \
  extern const OpDef kOp_##Kind = {                                                           \
      OpKind::Kind, "", #Kind, inferBinary,                                                   \
      [](EmitContext& c, const Node& n) { return emitBinary<Functor>(c, n, "tmlc::" #Functor); }, \
      evalBinary<Functor>, nullptr, macsBinary, /*fusesActivation=*/true, /*alias=*/false};

TMLC_BINARY_OP(Add, AddOp)
TMLC_BINARY_OP(Sub, SubOp)
TMLC_BINARY_OP(Mul, MulOp)
TMLC_BINARY_OP(Div, DivOp)

}  // namespace tmlc
