// tile.cpp: Expand and Tile, the operators that repeat their input, as one
// strided copy each (tmlc/kernels/copy.h) with source stride 0 along repeats.
//   Expand: numpy broadcast of the input to a constant shape.
//   Tile:   each input dimension d becomes two box dimensions, (repeat, d),
//           so a rank-r input makes a box of up to 2r merged dimensions.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"

namespace tmlc {

namespace {

Status inferExpand(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  auto shape = constInts(n, 1, "shape");
  if (!shape) return shape.status();
  for (int64_t d : *shape)
    if (d < 0) return Status::error("shape has a negative dimension");
  auto out = broadcastShapes({n.input(0)->type.shape, *shape});
  if (!out) return out.status();
  TMLC_RETURN_IF_ERROR(checkIndexable(*out));
  setOutput(n, 0, n.input(0)->type.dtype, *out);
  return Status::ok();
}

Expected<std::optional<tmlc::CopyParams>> planExpand(const Node& n) {
  const Shape& in = n.input(0)->type.shape;
  CopyBox b;
  b.dims = n.output(0)->type.shape;
  b.dst = denseStrides(b.dims);
  b.src.assign(b.dims.size(), 0);
  const std::vector<int64_t> st = denseStrides(in);
  const size_t off = b.dims.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) b.src[off + d] = in[d] == 1 ? 0 : st[d];
  return makeCopy(b);
}

Status inferTile(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  auto reps = constInts(n, 1, "repeats");
  if (!reps) return reps.status();
  const Shape& in = n.input(0)->type.shape;
  if (reps->size() != in.size())
    return Status::error("repeats has " + std::to_string(reps->size()) + " entries for an input of rank " +
                         std::to_string(in.size()));
  Shape out;
  for (size_t d = 0; d < in.size(); ++d) {
    if ((*reps)[d] < 0) return Status::error("repeats has a negative entry");
    out.push_back(in[d] * (*reps)[d]);
  }
  TMLC_RETURN_IF_ERROR(checkIndexable(out));
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

Expected<std::optional<tmlc::CopyParams>> planTile(const Node& n) {
  auto reps = constInts(n, 1, "repeats");
  if (!reps) return reps.status();
  const Shape& in = n.input(0)->type.shape;
  const std::vector<int64_t> ist = denseStrides(in), ost = denseStrides(n.output(0)->type.shape);
  CopyBox b;
  for (size_t d = 0; d < in.size(); ++d) {
    b.dims.push_back((*reps)[d]);
    b.src.push_back(0);
    b.dst.push_back(in[d] * ost[d]);
    b.dims.push_back(in[d]);
    b.src.push_back(ist[d]);
    b.dst.push_back(ost[d]);
  }
  return makeCopy(b);
}

}  // namespace

extern const OpDef kOp_Expand = {OpKind::Expand, "", "Expand", inferExpand, emitPlannedCopy<planExpand>,
                                 evalPlannedCopy<planExpand>, nullptr, nullptr, false, false};
extern const OpDef kOp_Tile = {OpKind::Tile, "", "Tile", inferTile, emitPlannedCopy<planTile>,
                               evalPlannedCopy<planTile>,
                               nullptr, nullptr, false, false};

}  // namespace tmlc
