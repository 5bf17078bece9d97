// variadic.cpp: Sum, Mean, Max and Min over one or more inputs with numpy
// broadcasting. Kernel: runtime/include/tmlc/kernels/variadic.h; the params
// hold one stride row per input (tmlc::BroadcastN<N>).
#include "ops/elementwise/elementwise.h"
#include "tmlc/kernels/variadic.h"

namespace tmlc {

using namespace ew;

namespace {

// Inputs folded at compile time at most (the generated code takes any number).
constexpr int kMaxFoldInputs = 8;

std::vector<const Value*> inputsOf(const Node& n) { return std::vector<const Value*>(n.inputs.begin(), n.inputs.end()); }

Status inferVariadic(Node& n, unsigned types) {
  if (n.inputs.empty()) return Status::error("expected at least one input");
  std::vector<Shape> shapes;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    TMLC_RETURN_IF_ERROR(requireInput(n, i));
    TMLC_RETURN_IF_ERROR(checkTypes(n, i, types));
    if (n.input(i)->type.dtype != n.input(0)->type.dtype)
      return Status::error("input types differ: " + std::string(dtypeName(n.input(0)->type.dtype)) + " and " +
                           dtypeName(n.input(i)->type.dtype));
    shapes.push_back(n.input(i)->type.shape);
  }
  auto s = broadcastShapes(shapes);
  if (!s) return s.status();
  setOutput(n, 0, n.input(0)->type.dtype, *s);
  auto plan = planInputs(n, inputsOf(n));
  return plan ? Status::ok() : plan.status();
}

Status emitVariadic(EmitContext& ctx, const Node& n, const char* functor) {
  ctx.include("tmlc/kernels/variadic.h");
  auto plan = planInputs(n, inputsOf(n));
  if (!plan) return plan.status();
  const size_t count = n.inputs.size();
  std::string name = ctx.params(n, "tmlc::BroadcastN<" + std::to_string(count) + ">", printBroadcast(*plan, count));
  const std::string ct = EmitContext::ctype(n.output(0));
  std::string list;
  for (const Value* v : n.inputs) list += (list.empty() ? "" : ", ") + ctx.ref(v);
  ctx.call("{ const " + ct + "* const in[] = {" + list + "}; tmlc::variadic<" + functor + ">(" + name + ", in, " +
           ctx.ref(n.output(0)) + "); }");
  return Status::ok();
}

template <typename Op, typename T, int N>
void foldN(const Node& n, const BroadcastPlan& plan, T* y) {
  if constexpr (N <= kMaxFoldInputs) {
    if (static_cast<int>(n.inputs.size()) != N) return foldN<Op, T, N + 1>(n, plan, y);
    const T* in[N];
    for (int k = 0; k < N; ++k) in[k] = n.input(static_cast<size_t>(k))->constant->template data<T>();
    tmlc::variadic<Op>(toBroadcastN<N>(plan), in, y);
  }
}

template <typename Op, unsigned Types>
Status evalVariadic(const Node& n, std::vector<Tensor>& outs) {
  if (n.inputs.size() > static_cast<size_t>(kMaxFoldInputs))
    return Status::error("folding more than " + std::to_string(kMaxFoldInputs) + " constant inputs is not supported");
  const Value* y = n.output(0);
  auto plan = planInputs(n, inputsOf(n));
  if (!plan) return plan.status();
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  visitDType(y->type.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr ((typeSetOf<T>() & Types) != 0) foldN<Op, T, 1>(n, *plan, out.data<T>());
  });
  outs.push_back(std::move(out));
  return Status::ok();
}

}  // namespace

#define TMLC_VARIADIC_OP(Kind, Functor, Types)                                                        \
  extern const OpDef kOp_##Kind = {                                                                   \
      OpKind::Kind, "", #Kind, [](Node& n) { return inferVariadic(n, Types); },                      \
      [](EmitContext& c, const Node& n) { return emitVariadic(c, n, "tmlc::" #Functor); },           \
      evalVariadic<tmlc::Functor, Types>, nullptr, nullptr, false, false};

TMLC_VARIADIC_OP(Sum, AddOp, kFloats)
TMLC_VARIADIC_OP(Mean, MeanOp, kFloats)
TMLC_VARIADIC_OP(Max, MaxOp, kNumeric)
TMLC_VARIADIC_OP(Min, MinOp, kNumeric)

}  // namespace tmlc
