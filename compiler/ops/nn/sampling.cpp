// sampling.cpp: GridSample (2-D; bilinear, nearest, bicubic; zeros, border,
// reflection padding; align_corners) and RoiAlign (avg and max modes, both
// coordinate transformation modes). Kernel: runtime/include/tmlc/kernels/sampling.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/sampling.h"

namespace tmlc {

namespace {

std::string s(int64_t v) { return std::to_string(v); }

Status inferGridSample(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const Shape &x = n.input(0)->type.shape, &g = n.input(1)->type.shape;
  if (!isFloat(n.input(0)->type.dtype) || n.input(1)->type.dtype != n.input(0)->type.dtype)
    return Status::error("GridSample supports float X and grid of the same type only");
  if (x.size() != 4) return Status::error("only 2-D GridSample (X of rank 4) is supported");
  if (g.size() != 4 || g[0] != x[0] || g[3] != 2) return Status::error("grid must have shape [N, H_out, W_out, 2]");
  const std::string mode = n.attrString("mode", "bilinear"), pad = n.attrString("padding_mode", "zeros");
  if (mode != "bilinear" && mode != "linear" && mode != "nearest" && mode != "bicubic" && mode != "cubic")
    return Status::error("mode '" + mode + "' is not supported");
  if (pad != "zeros" && pad != "border" && pad != "reflection")
    return Status::error("padding_mode '" + pad + "' is not supported");
  setOutput(n, 0, n.input(0)->type.dtype, {x[0], x[1], g[1], g[2]});
  return Status::ok();
}

Status emitGridSample(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/sampling.h");
  const Shape &x = n.input(0)->type.shape, &y = n.output(0)->type.shape;
  const std::string mode = n.attrString("mode", "bilinear"), pad = n.attrString("padding_mode", "zeros");
  const int m = mode == "nearest" ? 1 : (mode == "bicubic" || mode == "cubic") ? 2 : 0;
  const int pm = pad == "border" ? 1 : pad == "reflection" ? 2 : 0;
  std::string name = ctx.params(n, "tmlc::GridSampleParams",
                                "{" + s(x[0]) + ", " + s(x[1]) + ", " + s(x[2]) + ", " + s(x[3]) + ", " + s(y[2]) +
                                    ", " + s(y[3]) + ", /*mode*/ " + s(m) + ", /*padding*/ " + s(pm) +
                                    ", /*align_corners*/ " + s(n.attrInt("align_corners", 0) != 0) + "}");
  ctx.call("tmlc::grid_sample<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status inferRoiAlign(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, 3));
  const Shape &x = n.input(0)->type.shape, &r = n.input(1)->type.shape, &b = n.input(2)->type.shape;
  if (!isFloat(n.input(0)->type.dtype) || n.input(1)->type.dtype != n.input(0)->type.dtype)
    return Status::error("RoiAlign supports float X and rois of the same type only");
  if (!isInteger(n.input(2)->type.dtype)) return Status::error("batch_indices must be integers");
  if (x.size() != 4) return Status::error("input X must have rank 4");
  if (r.size() != 2 || r[1] != 4) return Status::error("rois must have shape [num_rois, 4]");
  if (b != Shape{r[0]}) return Status::error("batch_indices must have shape [num_rois]");
  const std::string mode = n.attrString("mode", "avg"), ctm = n.attrString("coordinate_transformation_mode", "half_pixel");
  if (mode != "avg" && mode != "max") return Status::error("mode '" + mode + "' is not supported");
  if (ctm != "half_pixel" && ctm != "output_half_pixel")
    return Status::error("coordinate_transformation_mode '" + ctm + "' is not supported");
  const int64_t oh = n.attrInt("output_height", 1), ow = n.attrInt("output_width", 1);
  if (oh <= 0 || ow <= 0) return Status::error("output_height and output_width must be positive");
  setOutput(n, 0, n.input(0)->type.dtype, {r[0], x[1], oh, ow});
  return Status::ok();
}

Status emitRoiAlign(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/sampling.h");
  const Shape &x = n.input(0)->type.shape, &y = n.output(0)->type.shape;
  // Opset 10 had no coordinate_transformation_mode and behaved as output_half_pixel.
  const std::string dflt = n.opset > 0 && n.opset < 16 ? "output_half_pixel" : "half_pixel";
  const bool half = n.attrString("coordinate_transformation_mode", dflt) == "half_pixel";
  std::string name = ctx.params(
      n, "tmlc::RoiAlignParams",
      "{" + s(y[0]) + ", " + s(x[1]) + ", " + s(x[2]) + ", " + s(x[3]) + ", " + s(y[2]) + ", " + s(y[3]) +
          ", /*sampling_ratio*/ " + s(n.attrInt("sampling_ratio", 0)) + ", /*spatial_scale*/ " +
          EmitContext::floatLiteral(n.attrFloat("spatial_scale", 1.f)) + ", /*half_pixel*/ " + s(half) +
          ", /*max_mode*/ " + s(n.attrString("mode", "avg") == "max") + "}");
  ctx.call("tmlc::roi_align<" + EmitContext::ctype(n.output(0)) + ", " + EmitContext::ctype(n.input(2)) + ">(" +
           name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_GridSample = {OpKind::GridSample, "", "GridSample", inferGridSample, emitGridSample,
                                     nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_RoiAlign = {OpKind::RoiAlign, "", "RoiAlign", inferRoiAlign, emitRoiAlign,
                                   nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
