// copy_plan.h: describing data movement as strided copies (tmlc/kernels/copy.h).
//
// An operator that only moves elements (Transpose, Slice, Concat, Split,
// Expand, Tile, Gather at a constant index) describes each copy as a CopyBox:
// the extent of the box in output order and, per dimension, the element
// strides into source and destination. makeCopy() drops unit dimensions and
// merges dimensions contiguous in both, so a Concat along axis 1 becomes a
// two-dimensional copy of long rows. The same CopyParams drive the generated
// call (emitCopy) and constant folding on the host (runCopy).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codegen/emit_context.h"
#include "ir/graph.h"
#include "support/status.h"
#include "tmlc/kernels/copy.h"

namespace tmlc {

// Row-major element strides of a dense tensor of shape s.
std::vector<int64_t> denseStrides(const Shape& s);

struct CopyBox {
  Shape dims;
  std::vector<int64_t> src, dst;  // element strides per dimension
  int64_t srcOffset = 0, dstOffset = 0;
};

// The kernel parameters for a box; nullopt when the box is empty (a zero
// dimension). Error when the merged box still has more than kMaxRank dims.
Expected<std::optional<tmlc::CopyParams>> makeCopy(const CopyBox& box);
std::string printCopy(const tmlc::CopyParams& p);
// Writes `tmlc::strided_copy<T>(params, src, dst);` (params named with suffix).
void emitCopy(EmitContext& ctx, const Node& n, const tmlc::CopyParams& p, const Value* src,
              const Value* dst, const std::string& suffix = "");
// The same copy on the host between constant tensors.
void runCopy(const tmlc::CopyParams& p, const Tensor& src, Tensor& dst);

// An operator that is one strided copy of input 0 into output 0, described by
// Plan: its emit and its constant folding.
using CopyPlanFn = Expected<std::optional<tmlc::CopyParams>> (*)(const Node&);
template <CopyPlanFn Plan>
Status emitPlannedCopy(EmitContext& ctx, const Node& n) {
  auto p = Plan(n);
  if (!p) return p.status();
  if (*p) emitCopy(ctx, n, **p, n.input(0), n.output(0));
  return Status::ok();
}
template <CopyPlanFn Plan>
Status evalPlannedCopy(const Node& n, std::vector<Tensor>& outs) {
  auto p = Plan(n);
  if (!p) return p.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  if (*p) runCopy(**p, *n.input(0)->constant, y);
  outs.push_back(std::move(y));
  return Status::ok();
}

// "{1, 2, 3}" for the first n entries of a, for params initializers.
std::string printArray(const int32_t* a, int n);
// Checks a tensor of shape s has fewer than 2^31 elements (int32_t indexing).
Status checkIndexable(const Shape& s);

}  // namespace tmlc
