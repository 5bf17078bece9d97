// trilu.cpp: Trilu (tmlc/kernels/trilu.h): the upper (upper=1) or lower
// triangle of the last two dimensions; k, an optional constant input, shifts
// the diagonal.
#include <algorithm>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "ops/tensor/dispatch.h"
#include "tmlc/kernels/trilu.h"

namespace tmlc {

namespace {

Expected<tmlc::TriluParams> params(const Node& n) {
  const Shape& s = n.input(0)->type.shape;
  if (s.size() < 2) return Status::error("input must have rank at least 2");
  int64_t k = 0;
  if (n.input(1)) {
    auto kv = constInts(n, 1, "k");
    if (!kv) return kv.status();
    if (kv->size() != 1) return Status::error("k must have one element");
    k = (*kv)[0];
  }
  const int64_t rows = s[s.size() - 2], cols = s.back();
  k = std::clamp<int64_t>(k, -rows - 1, cols + 1);
  return tmlc::TriluParams{static_cast<int32_t>(numElements(s) / std::max<int64_t>(1, rows * cols)),
                           static_cast<int32_t>(rows), static_cast<int32_t>(cols), static_cast<int32_t>(k),
                           n.attrInt("upper", 1) != 0};
}

Status inferTrilu(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  TMLC_RETURN_IF_ERROR(checkIndexable(n.input(0)->type.shape));
  auto p = params(n);
  if (!p) return p.status();
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status emitTrilu(EmitContext& ctx, const Node& n) {
  auto p = params(n);
  if (!p) return p.status();
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/trilu.h");
  std::string name = ctx.params(n, "tmlc::TriluParams",
                                "{" + std::to_string(p->batch) + ", " + std::to_string(p->rows) + ", " +
                                    std::to_string(p->cols) + ", " + std::to_string(p->k) + ", " +
                                    (p->upper ? "true" : "false") + "}");
  ctx.call("tmlc::trilu<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalTrilu(const Node& n, std::vector<Tensor>& outs) {
  auto p = params(n);
  if (!p) return p.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  if (y.numel() > 0)
    visitElementSize(dtypeSize(y.dtype), [&](auto size) {
      tmlc::trilu_bytes<decltype(size)::value>(*p, n.input(0)->constant->bytes.data(), y.bytes.data());
    });
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Trilu = {OpKind::Trilu, "", "Trilu", inferTrilu, emitTrilu, evalTrilu,
                                nullptr, nullptr, false, false};

}  // namespace tmlc
