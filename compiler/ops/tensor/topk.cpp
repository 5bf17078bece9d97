// topk.cpp: TopK (tmlc/kernels/topk.h). K is a constant input (opset >= 10)
// or the 'k' attribute (opset 1). Outputs: the values and their int64 indices,
// sorted (the 'sorted' = 0 case may use any order, so sorted is fine too).
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "tmlc/kernels/topk.h"

namespace tmlc {

namespace {

Expected<tmlc::TopKParams> params(const Node& n) {
  const Shape& s = n.input(0)->type.shape;
  if (s.empty()) return Status::error("input must have rank at least 1");
  int64_t k;
  if (n.input(1)) {
    auto kv = constInts(n, 1, "K");
    if (!kv) return kv.status();
    if (kv->size() != 1) return Status::error("K must have one element");
    k = (*kv)[0];
  } else {
    if (!n.hasAttr("k")) return Status::error("K is missing");
    k = n.attrInt("k", 0);
  }
  auto a = normalizeAxis(n.attrInt("axis", -1), static_cast<int64_t>(s.size()));
  if (!a) return a.status();
  const int64_t len = s[static_cast<size_t>(*a)];
  if (k < 0 || k > len)
    return Status::error("K = " + std::to_string(k) + " is out of range for an axis of size " + std::to_string(len));
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < s.size(); ++d)
    if (static_cast<int64_t>(d) != *a) (static_cast<int64_t>(d) < *a ? outer : inner) *= s[d];
  return tmlc::TopKParams{static_cast<int32_t>(outer), static_cast<int32_t>(len), static_cast<int32_t>(inner),
                          static_cast<int32_t>(k), n.attrInt("largest", 1) != 0};
}

Shape outShape(const Node& n, int32_t k) {
  Shape s = n.input(0)->type.shape;
  s[static_cast<size_t>(*normalizeAxis(n.attrInt("axis", -1), static_cast<int64_t>(s.size())))] = k;
  return s;
}

Status inferTopK(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  if (!n.output(0) || !n.output(1)) return Status::error("expected 2 outputs (values and indices)");
  const DType dt = n.input(0)->type.dtype;
  if (dt == DType::Bool) return Status::error("bool input is not supported");
  TMLC_RETURN_IF_ERROR(checkIndexable(n.input(0)->type.shape));
  auto p = params(n);
  if (!p) return p.status();
  setOutput(n, 0, dt, outShape(n, p->k));
  setOutput(n, 1, DType::Int64, outShape(n, p->k));
  return Status::ok();
}

Status emitTopK(EmitContext& ctx, const Node& n) {
  auto p = params(n);
  if (!p) return p.status();
  if (p->k == 0 || p->outer * p->inner == 0) return Status::ok();
  ctx.include("tmlc/kernels/topk.h");
  std::string name = ctx.params(n, "tmlc::TopKParams",
                                "{" + std::to_string(p->outer) + ", " + std::to_string(p->len) + ", " +
                                    std::to_string(p->inner) + ", " + std::to_string(p->k) + ", " +
                                    (p->largest ? "true" : "false") + "}");
  const std::string ct = EmitContext::ctype(n.input(0));
  ctx.call("tmlc::topk<" + ct + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) + ", " +
           ctx.ref(n.output(1)) + ");");
  return Status::ok();
}

Status evalTopK(const Node& n, std::vector<Tensor>& outs) {
  auto p = params(n);
  if (!p) return p.status();
  Tensor v = Tensor::zeros(n.input(0)->type.dtype, outShape(n, p->k));
  Tensor i = Tensor::zeros(DType::Int64, outShape(n, p->k));
  bool ok = visitDType(v.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value)
      tmlc::topk<T>(*p, n.input(0)->constant->data<T>(), v.data<T>(), i.data<int64_t>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(v));
  outs.push_back(std::move(i));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_TopK = {OpKind::TopK, "", "TopK", inferTopK, emitTopK, evalTopK,
                               nullptr, nullptr, false, false};

}  // namespace tmlc
