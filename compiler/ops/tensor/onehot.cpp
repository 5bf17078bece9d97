// onehot.cpp: OneHot (tmlc/kernels/onehot.h). depth must be a constant; the
// indices may be of any numeric type and the off/on values come from the
// 'values' input, which is read at run time.
#include <cmath>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "tmlc/kernels/onehot.h"

namespace tmlc {

namespace {

Expected<int64_t> depthOf(const Node& n) {
  const Value* d = n.input(1);
  if (!d->isConstant())
    return Status::error("input 'depth' ('" + d->name + "') must be a compile-time constant (an initializer, or --const-input)");
  if (d->constant->numel() != 1) return Status::error("depth must have one element");
  const double v = d->constant->getDouble(0);
  if (!(v >= 1)) return Status::error("depth must be positive");
  return static_cast<int64_t>(v);
}

Status inferOneHot(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, 3));
  const Shape& idx = n.input(0)->type.shape;
  if (n.input(0)->type.dtype == DType::Bool) return Status::error("indices must be numeric");
  auto depth = depthOf(n);
  if (!depth) return depth.status();
  if (numElements(n.input(2)->type.shape) != 2) return Status::error("values must have two elements (off, on)");
  const int64_t r = static_cast<int64_t>(idx.size()) + 1;
  auto axis = normalizeAxis(n.attrInt("axis", -1), r);
  if (!axis) return axis.status();
  Shape out = idx;
  out.insert(out.begin() + *axis, *depth);
  TMLC_RETURN_IF_ERROR(checkIndexable(out));
  setOutput(n, 0, n.input(2)->type.dtype, out);
  return Status::ok();
}

tmlc::OneHotParams params(const Node& n) {
  const Shape& idx = n.input(0)->type.shape;
  const int64_t r = static_cast<int64_t>(idx.size()) + 1;
  const size_t a = static_cast<size_t>(*normalizeAxis(n.attrInt("axis", -1), r));
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < idx.size(); ++d) (d < a ? outer : inner) *= idx[d];
  return tmlc::OneHotParams{static_cast<int32_t>(outer), static_cast<int32_t>(*depthOf(n)),
                            static_cast<int32_t>(inner)};
}

Status emitOneHot(EmitContext& ctx, const Node& n) {
  const tmlc::OneHotParams p = params(n);
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/onehot.h");
  std::string name = ctx.params(n, "tmlc::OneHotParams",
                                "{" + std::to_string(p.outer) + ", " + std::to_string(p.depth) + ", " +
                                    std::to_string(p.inner) + "}");
  ctx.call("tmlc::one_hot<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalOneHot(const Node& n, std::vector<Tensor>& outs) {
  const tmlc::OneHotParams p = params(n);
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  bool ok = visitDType(y.dtype, [&](auto t) {
    using T = decltype(t);
    visitDType(n.input(0)->type.dtype, [&](auto i) {
      using I = decltype(i);
      tmlc::one_hot<T, I>(p, n.input(0)->constant->data<I>(), n.input(2)->constant->data<T>(), y.data<T>());
    });
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_OneHot = {OpKind::OneHot, "", "OneHot", inferOneHot, emitOneHot, evalOneHot,
                                 nullptr, nullptr, false, false};

}  // namespace tmlc
