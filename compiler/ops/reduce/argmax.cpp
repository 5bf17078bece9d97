// argmax.cpp: ArgMax and ArgMin (tmlc/kernels/reduce.h) along the 'axis'
// attribute, with keepdims and select_last_index; the output is int64.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/reduce.h"

namespace tmlc {

namespace {

tmlc::ArgReduceParams params(const Node& n) {
  const Shape& s = n.input(0)->type.shape;
  const int64_t a = *normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(s.size()));
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < s.size(); ++d)
    if (static_cast<int64_t>(d) != a) (static_cast<int64_t>(d) < a ? outer : inner) *= s[d];
  return tmlc::ArgReduceParams{static_cast<int32_t>(outer), static_cast<int32_t>(s[static_cast<size_t>(a)]),
                               static_cast<int32_t>(inner), n.attrInt("select_last_index", 0) != 0};
}

Status inferArg(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  const TensorType& t = n.input(0)->type;
  if (t.dtype == DType::Bool) return Status::error("bool input is not supported");
  if (t.shape.empty()) return Status::error("input must have rank at least 1");
  auto a = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(t.shape.size()));
  if (!a) return a.status();
  if (t.shape[static_cast<size_t>(*a)] == 0) return Status::error("cannot reduce an empty axis");
  if (numElements(t.shape) > INT32_MAX) return Status::error("inputs of 2^31 elements or more are not supported");
  Shape out = t.shape;
  if (n.attrInt("keepdims", 1) != 0) out[static_cast<size_t>(*a)] = 1;
  else out.erase(out.begin() + *a);
  setOutput(n, 0, DType::Int64, out);
  return Status::ok();
}

template <bool Max>
Status emitArg(EmitContext& ctx, const Node& n) {
  const tmlc::ArgReduceParams p = params(n);
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/reduce.h");
  std::string name = ctx.params(n, "tmlc::ArgReduceParams",
                                "{" + std::to_string(p.outer) + ", " + std::to_string(p.len) + ", " +
                                    std::to_string(p.inner) + ", " + (p.select_last ? "true" : "false") + "}");
  ctx.call(std::string(Max ? "tmlc::argmax<" : "tmlc::argmin<") + EmitContext::ctype(n.input(0)) + ">(" + name +
           ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

template <bool Max>
Status evalArg(const Node& n, std::vector<Tensor>& outs) {
  const tmlc::ArgReduceParams p = params(n);
  Tensor y = Tensor::zeros(DType::Int64, n.output(0)->type.shape);
  bool ok = visitDType(n.input(0)->type.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value)
      tmlc::arg_reduce<Max, T>(p, n.input(0)->constant->data<T>(), y.data<int64_t>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_ArgMax = {OpKind::ArgMax, "", "ArgMax", inferArg, emitArg<true>, evalArg<true>,
                                 nullptr, nullptr, false, false};
extern const OpDef kOp_ArgMin = {OpKind::ArgMin, "", "ArgMin", inferArg, emitArg<false>, evalArg<false>,
                                 nullptr, nullptr, false, false};

}  // namespace tmlc
