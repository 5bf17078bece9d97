// slice.cpp: Slice as one strided copy (tmlc/kernels/copy.h): the source
// offset is the first selected element, each sliced axis steps by
// stride * step (negative steps walk backwards).
// starts/ends/axes/steps are constant inputs (opset >= 10) or attributes (older).
#include <algorithm>
#include <limits>
#include <set>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"

namespace tmlc {

namespace {

struct SliceAxis {
  int64_t start = 0, step = 1, count = 0;
};

// Per input dimension: the first index, the step and the number taken.
Expected<std::vector<SliceAxis>> sliceOf(const Node& n) {
  const Shape& in = n.input(0)->type.shape;
  const int64_t r = static_cast<int64_t>(in.size());
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.opset < 10 && !n.input(1)) {
    starts = n.attrInts("starts");
    ends = n.attrInts("ends");
    axes = n.attrInts("axes");
  } else {
    auto s = constInts(n, 1, "starts");
    if (!s) return s.status();
    auto e = constInts(n, 2, "ends");
    if (!e) return e.status();
    starts = *s;
    ends = *e;
    if (n.input(3)) {
      auto a = constInts(n, 3, "axes");
      if (!a) return a.status();
      axes = *a;
    }
    if (n.input(4)) {
      auto st = constInts(n, 4, "steps");
      if (!st) return st.status();
      steps = *st;
    }
  }
  if (starts.size() != ends.size()) return Status::error("starts and ends differ in length");
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (axes.size() != starts.size() || steps.size() != starts.size())
    return Status::error("starts, ends, axes and steps differ in length");
  std::vector<SliceAxis> r2(static_cast<size_t>(r));
  for (int64_t d = 0; d < r; ++d) r2[static_cast<size_t>(d)].count = in[static_cast<size_t>(d)];
  std::set<int64_t> seen;
  for (size_t i = 0; i < axes.size(); ++i) {
    auto a = normalizeAxis(axes[i], r);
    if (!a) return a.status();
    if (!seen.insert(*a).second) return Status::error("axes repeat");
    const int64_t dim = in[static_cast<size_t>(*a)], step = steps[i];
    if (step == 0) return Status::error("step is 0");
    // Clamp as the ONNX spec does; starts/ends may be +-INT64_MAX.
    auto norm = [&](int64_t v) { return v < 0 ? (v < -dim ? -dim - 1 : v) + dim : v; };
    int64_t s = norm(starts[i]), e = norm(ends[i]);
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    int64_t count = step > 0 ? (e - s + step - 1) / step : (s - e + (-step) - 1) / (-step);
    r2[static_cast<size_t>(*a)] = SliceAxis{s, step, std::max<int64_t>(count, 0)};
  }
  return r2;
}

Status inferSlice(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 5));
  TMLC_RETURN_IF_ERROR(checkIndexable(n.input(0)->type.shape));
  auto s = sliceOf(n);
  if (!s) return s.status();
  Shape out;
  for (const SliceAxis& a : *s) out.push_back(a.count);
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

Expected<std::optional<tmlc::CopyParams>> plan(const Node& n) {
  auto s = sliceOf(n);
  if (!s) return s.status();
  const std::vector<int64_t> st = denseStrides(n.input(0)->type.shape);
  CopyBox b;
  b.dims = n.output(0)->type.shape;
  b.dst = denseStrides(b.dims);
  for (size_t d = 0; d < s->size(); ++d) {
    const SliceAxis& a = (*s)[d];
    b.src.push_back(st[d] * a.step);
    if (a.count > 0) b.srcOffset += a.start * st[d];
  }
  return makeCopy(b);
}

}  // namespace

extern const OpDef kOp_Slice = {OpKind::Slice, "", "Slice", inferSlice,
                                emitPlannedCopy<plan>, evalPlannedCopy<plan>,
                                nullptr, nullptr, false, false};

}  // namespace tmlc
