// where.cpp: Where(condition, X, Y), numpy broadcasting of all three inputs.
// Kernel: runtime/include/tmlc/kernels/where.h.
#include "ops/elementwise/elementwise.h"
#include "tmlc/kernels/where.h"

namespace tmlc {

using namespace ew;

namespace {

std::vector<const Value*> inputsOf(const Node& n) { return {n.input(0), n.input(1), n.input(2)}; }

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, 3));
  TMLC_RETURN_IF_ERROR(checkTypes(n, 0, kBool));
  const DType dt = n.input(1)->type.dtype;
  if (n.input(2)->type.dtype != dt)
    return Status::error(std::string("X and Y types differ: ") + dtypeName(dt) + " and " +
                         dtypeName(n.input(2)->type.dtype));
  TMLC_RETURN_IF_ERROR(checkTypes(n, 1, kAll));
  auto s = broadcastShapes({n.input(0)->type.shape, n.input(1)->type.shape, n.input(2)->type.shape});
  if (!s) return s.status();
  setOutput(n, 0, dt, *s);
  auto plan = planInputs(n, inputsOf(n));
  return plan ? Status::ok() : plan.status();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/where.h");
  auto plan = planInputs(n, inputsOf(n));
  if (!plan) return plan.status();
  std::string name = ctx.params(n, "tmlc::BroadcastParams", printBroadcast(*plan, tmlc::kMaxOperands));
  ctx.call("tmlc::where<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status eval(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  auto plan = planInputs(n, inputsOf(n));
  if (!plan) return plan.status();
  const tmlc::BroadcastParams p = toBroadcastN<tmlc::kMaxOperands>(*plan);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  const Tensor &c = *n.input(0)->constant, &a = *n.input(1)->constant, &b = *n.input(2)->constant;
  visitDType(y->type.dtype, [&](auto t) {
    using T = decltype(t);
    tmlc::where<T>(p, c.data<bool>(), a.data<T>(), b.data<T>(), out.data<T>());
  });
  outs.push_back(std::move(out));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Where = {OpKind::Where, "", "Where", infer, emit, eval, nullptr, nullptr, false, false};

}  // namespace tmlc
