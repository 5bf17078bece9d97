// depth_space.cpp: DepthToSpace (DCR and CRD modes) and SpaceToDepth on 4-D
// NCHW tensors of any type. Kernel: runtime/include/tmlc/kernels/depth_space.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/depth_space.h"

namespace tmlc {

namespace {

template <bool toSpace>
Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  const Shape& x = n.input(0)->type.shape;
  const int64_t b = n.attrInt("blocksize", 0);
  if (x.size() != 4) return Status::error("input must have rank 4 (NCHW)");
  if (b <= 0) return Status::error("attribute blocksize must be positive");
  if (toSpace) {
    const std::string mode = n.attrString("mode", "DCR");
    if (mode != "DCR" && mode != "CRD") return Status::error("mode '" + mode + "' is not supported");
    if (x[1] % (b * b)) return Status::error("channels must be a multiple of blocksize^2");
    setOutput(n, 0, n.input(0)->type.dtype, {x[0], x[1] / (b * b), x[2] * b, x[3] * b});
  } else {
    if (x[2] % b || x[3] % b) return Status::error("height and width must be multiples of blocksize");
    setOutput(n, 0, n.input(0)->type.dtype, {x[0], x[1] * b * b, x[2] / b, x[3] / b});
  }
  return Status::ok();
}

template <bool toSpace>
Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/depth_space.h");
  const Shape& x = n.input(0)->type.shape;
  const bool crd = toSpace && n.attrString("mode", "DCR") == "CRD";
  std::string name = ctx.params(n, "tmlc::DepthSpaceParams",
                                "{" + std::to_string(x[0]) + ", " + std::to_string(x[1]) + ", " +
                                    std::to_string(x[2]) + ", " + std::to_string(x[3]) + ", /*block*/ " +
                                    std::to_string(n.attrInt("blocksize", 1)) + ", /*crd*/ " +
                                    std::to_string(crd) + "}");
  ctx.call(std::string(toSpace ? "tmlc::depth_to_space<" : "tmlc::space_to_depth<") +
           EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_DepthToSpace = {OpKind::DepthToSpace, "", "DepthToSpace", infer<true>, emit<true>,
                                       nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_SpaceToDepth = {OpKind::SpaceToDepth, "", "SpaceToDepth", infer<false>, emit<false>,
                                       nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
