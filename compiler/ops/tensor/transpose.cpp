// transpose.cpp: Transpose as one strided copy (tmlc/kernels/copy.h): the
// output is walked in order while the source strides are the input's, permuted.
#include <set>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"

namespace tmlc {

namespace {

Expected<std::vector<int64_t>> permOf(const Node& n) {
  const int64_t r = static_cast<int64_t>(n.input(0)->type.shape.size());
  std::vector<int64_t> perm = n.attrInts("perm");
  if (!n.hasAttr("perm"))
    for (int64_t i = r - 1; i >= 0; --i) perm.push_back(i);
  if (static_cast<int64_t>(perm.size()) != r)
    return Status::error("perm has " + std::to_string(perm.size()) + " entries for an input of rank " + std::to_string(r));
  std::set<int64_t> seen;
  for (int64_t& p : perm) {
    auto a = normalizeAxis(p, r);
    if (!a) return a.status();
    p = *a;
    if (!seen.insert(p).second) return Status::error("perm repeats axis " + std::to_string(p));
  }
  return perm;
}

Status inferTranspose(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  auto perm = permOf(n);
  if (!perm) return perm.status();
  const Shape& in = n.input(0)->type.shape;
  TMLC_RETURN_IF_ERROR(checkIndexable(in));
  Shape out;
  for (int64_t p : *perm) out.push_back(in[static_cast<size_t>(p)]);
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

Expected<std::optional<tmlc::CopyParams>> plan(const Node& n) {
  auto perm = permOf(n);
  if (!perm) return perm.status();
  const Shape& in = n.input(0)->type.shape;
  const std::vector<int64_t> st = denseStrides(in);
  CopyBox b;
  b.dims = n.output(0)->type.shape;
  b.dst = denseStrides(b.dims);
  for (int64_t p : *perm) b.src.push_back(st[static_cast<size_t>(p)]);
  return makeCopy(b);
}

}  // namespace

extern const OpDef kOp_Transpose = {OpKind::Transpose, "", "Transpose", inferTranspose,
                                    emitPlannedCopy<plan>, evalPlannedCopy<plan>,
                                    nullptr, nullptr, false, false};

}  // namespace tmlc
