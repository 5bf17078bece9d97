// cumsum.cpp: CumSum (tmlc/kernels/cumsum.h) along a constant axis, with the
// 'exclusive' and 'reverse' attributes.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "tmlc/kernels/cumsum.h"

namespace tmlc {

namespace {

Expected<tmlc::CumSumParams> params(const Node& n) {
  const Shape& s = n.input(0)->type.shape;
  auto axis = constInts(n, 1, "axis");
  if (!axis) return axis.status();
  if (axis->size() != 1) return Status::error("axis must have one element");
  if (s.empty()) return Status::error("input must have rank at least 1");
  auto a = normalizeAxis((*axis)[0], static_cast<int64_t>(s.size()));
  if (!a) return a.status();
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < s.size(); ++d)
    if (static_cast<int64_t>(d) != *a) (static_cast<int64_t>(d) < *a ? outer : inner) *= s[d];
  return tmlc::CumSumParams{static_cast<int32_t>(outer), static_cast<int32_t>(s[static_cast<size_t>(*a)]),
                            static_cast<int32_t>(inner), n.attrInt("exclusive", 0) != 0,
                            n.attrInt("reverse", 0) != 0};
}

Status inferCumSum(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const DType dt = n.input(0)->type.dtype;
  if (dt == DType::Bool) return Status::error("bool input is not supported");
  TMLC_RETURN_IF_ERROR(checkIndexable(n.input(0)->type.shape));
  auto p = params(n);
  if (!p) return p.status();
  setOutput(n, 0, dt, n.input(0)->type.shape);
  return Status::ok();
}

Status emitCumSum(EmitContext& ctx, const Node& n) {
  auto p = params(n);
  if (!p) return p.status();
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/cumsum.h");
  std::string name = ctx.params(n, "tmlc::CumSumParams",
                                "{" + std::to_string(p->outer) + ", " + std::to_string(p->len) + ", " +
                                    std::to_string(p->inner) + ", " + (p->exclusive ? "true" : "false") + ", " +
                                    (p->reverse ? "true" : "false") + "}");
  ctx.call("tmlc::cumsum<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalCumSum(const Node& n, std::vector<Tensor>& outs) {
  auto p = params(n);
  if (!p) return p.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  bool ok = visitDType(y.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value) tmlc::cumsum<T>(*p, n.input(0)->constant->data<T>(), y.data<T>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_CumSum = {OpKind::CumSum, "", "CumSum", inferCumSum, emitCumSum, evalCumSum,
                                 nullptr, nullptr, false, false};

}  // namespace tmlc
