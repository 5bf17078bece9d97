// prelu.cpp: PRelu, y = x < 0 ? slope * x : x, the slope broadcast to X
// (unidirectionally). A 1-D slope of X's channel count that does not broadcast
// that way is per channel (axis 1), as PRelu-6 models (old PyTorch exports)
// mean it. Kernel: runtime/include/tmlc/kernels/prelu.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/prelu.h"

namespace tmlc {

namespace {

// The slope's shape as it broadcasts against X.
Shape slopeShape(const Node& n) {
  const Shape &x = n.input(0)->type.shape, &s = n.input(1)->type.shape;
  auto b = broadcastShapes({x, s});
  if ((!b || *b != x) && s.size() == 1 && x.size() > 2 && s[0] == x[1]) {
    Shape c(x.size() - 1, 1);
    c[0] = s[0];
    return c;
  }
  return s;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const Value *x = n.input(0), *s = n.input(1);
  if (x->type.dtype != s->type.dtype) return Status::error("X and slope types differ");
  if (x->type.dtype == DType::Bool) return Status::error("PRelu of bool is not supported");
  auto b = broadcastShapes({x->type.shape, slopeShape(n)});
  if (!b || *b != x->type.shape)
    return Status::error("slope " + shapeToString(s->type.shape) + " does not broadcast to X " +
                         shapeToString(x->type.shape));
  setOutput(n, 0, x->type.dtype, x->type.shape);
  return Status::ok();
}

tmlc::PReluParams makeParams(const Node& n) {
  return {makeBroadcast(n.output(0)->type.shape, {n.input(0)->type.shape, slopeShape(n)})};
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/prelu.h");
  std::string name = ctx.params(n, "tmlc::PReluParams", "{" + printBroadcast(makeParams(n).bc) + "}");
  ctx.call("tmlc::prelu<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status eval(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  const tmlc::PReluParams p = makeParams(n);
  const Tensor &x = *n.input(0)->constant, &s = *n.input(1)->constant;
  bool ok = visitDType(y->type.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value) tmlc::prelu<T>(p, x.data<T>(), s.data<T>(), out.data<T>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_PRelu = {OpKind::PRelu, "", "PRelu", infer, emit, eval, nullptr, nullptr, false, false};

}  // namespace tmlc
