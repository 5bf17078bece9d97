// qconv.cpp: QConv and QDepthwiseConv, integer 2-D convolution in NHWC.
// Kernels: runtime/include/tmlc/kernels/int8/conv.h and depthwise_conv.h.
//
// Inputs: x [N,H,W,C] (per-tensor quantized, int8 or int16), w (int8 constant;
// QConv [OC,KH,KW,C/group], QDepthwiseConv [KH,KW,OC]), bias [OC] (int32 for
// int8 x, int64 for int16 x: 16x8, accumulated in int64), mult and shift int32 [OC] (the requantization of each output channel, made by the
// quantization pass from the scales). Attributes as ONNX Conv, with explicit
// `pads` [top, left, bottom, right]. The fused activation must be None, Relu or Clip.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"
#include "tmlc/kernels/int8/depthwise_conv.h"

namespace tmlc {

namespace {

struct Geometry {
  int64_t kh, kw, oc;
  std::vector<int64_t> strides, pads, dil;
  int64_t group;
};

Expected<Geometry> geometry(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  Geometry g;
  const bool dw = n.kind == OpKind::QDepthwiseConv;
  if (x.size() != 4) return Status::error("x must be rank 4 (NHWC)");
  if (dw ? w.size() != 3 : w.size() != 4) return Status::error("w has the wrong rank");
  g.kh = dw ? w[0] : w[1];
  g.kw = dw ? w[1] : w[2];
  g.oc = dw ? w[2] : w[0];
  g.strides = n.attrInts("strides", {1, 1});
  g.pads = n.attrInts("pads", {0, 0, 0, 0});
  g.dil = n.attrInts("dilations", {1, 1});
  g.group = dw ? x[3] : n.attrInt("group", 1);
  if (g.strides.size() != 2 || g.pads.size() != 4 || g.dil.size() != 2)
    return Status::error("strides, pads or dilations have the wrong length");
  if (g.group <= 0 || x[3] % g.group || g.oc % g.group || (!dw && w[3] * g.group != x[3]))
    return Status::error("channels do not match the weights");
  return g;
}

// conv2d_1x1's case: a 1x1 kernel, stride 1, no padding, group 1.
bool pointwise(const Geometry& g) {
  return g.kh == 1 && g.kw == 1 && g.strides[0] == 1 && g.strides[1] == 1 && g.group == 1 && g.pads[0] == 0 &&
         g.pads[1] == 0 && g.pads[2] == 0 && g.pads[3] == 0;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 5, 5));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  for (size_t i = 1; i < 5; ++i)
    if (!n.input(i)->isConstant()) return Status::error("weights, bias and requantization must be constants");
  if (n.input(1)->type.dtype != DType::Int8) return Status::error("w must be int8");
  auto g = geometry(n);
  if (!g) return g.status();
  TMLC_RETURN_IF_ERROR(checkRequantization(n, g->oc));
  const Shape& x = n.input(0)->type.shape;
  const int64_t oh = (x[1] + g->pads[0] + g->pads[2] - ((g->kh - 1) * g->dil[0] + 1)) / g->strides[0] + 1;
  const int64_t ow = (x[2] + g->pads[1] + g->pads[3] - ((g->kw - 1) * g->dil[1] + 1)) / g->strides[1] + 1;
  if (oh <= 0 || ow <= 0) return Status::error("output would be empty");
  Value* o = n.output(0);
  o->type.dtype = n.input(0)->type.dtype;
  o->type.shape = {x[0], oh, ow, g->oc};
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  const bool dw = n.kind == OpKind::QDepthwiseConv;
  Geometry g = *geometry(n);
  const Shape& x = n.input(0)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  auto range = activationRange(n, n.output(0));
  if (!range) return range.status();
  std::string init = fieldInit({{"batch", x[0]}, {"in_h", x[1]}, {"in_w", x[2]}, {"in_c", x[3]},
                                {"out_h", y[1]}, {"out_w", y[2]}, {"out_c", y[3]}, {"k_h", g.kh}, {"k_w", g.kw},
                                {"stride_h", g.strides[0]}, {"stride_w", g.strides[1]},
                                {"pad_top", g.pads[0]}, {"pad_left", g.pads[1]},
                                {"dil_h", g.dil[0]}, {"dil_w", g.dil[1]}, {"group", g.group},
                                {"in_offset", -qscalar(n.input(0)).zp}, {"out_offset", qscalar(n.output(0)).zp},
                                {"act_min", range->first}, {"act_max", range->second}});
  std::string p = ctx.params(n, "tmlc::q::ConvParams", init);
  std::string fn;
  if (dw) {
    ctx.include("tmlc/kernels/int8/depthwise_conv.h");
    fn = "depthwise_conv2d";
  } else {
    ctx.include("tmlc/kernels/int8/conv.h");
    fn = pointwise(g) ? "conv2d_1x1" : "conv2d";
  }
  ctx.call("tmlc::q::" + fn + "<" + EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.input(3)) + ", " +
           ctx.ref(n.input(4)) + ", " + ctx.ref(n.output(0)) + ", " +
           (n.scratchOffset >= 0 ? ctx.scratch(n, "int16_t") : std::string("nullptr")) + ");");
  return Status::ok();
}

// The buffers of the bodies: for int8, the DSP im2col (tmlc::q::conv2d_scratch_bytes)
// or the depthwise row ring (tmlc::q::depthwise_conv2d_scratch_bytes); for
// int16, the im2col of a group-1 convolution other than 1x1
// (conv2d_im2col_scratch_bytes).
size_t scratch(const Node& n) {
  const Shape& w = n.input(1)->type.shape;
  if (n.input(0)->type.dtype == DType::Int16) {
    if (n.kind != OpKind::QConv) return 0;
    auto g = geometry(n);
    if (!g || g->group != 1 || pointwise(*g)) return 0;
    return static_cast<size_t>(tmlc::q::conv2d_im2col_scratch_bytes(
        static_cast<int32_t>(w[1]), static_cast<int32_t>(w[2]), static_cast<int32_t>(w[3])));
  }
  if (n.kind == OpKind::QDepthwiseConv) {
    const Geometry g = *geometry(n);
    const Shape& x = n.input(0)->type.shape;
    const Shape& y = n.output(0)->type.shape;
    tmlc::q::ConvParams p{};
    p.in_w = static_cast<int32_t>(x[2]);
    p.in_c = static_cast<int32_t>(x[3]);
    p.out_w = static_cast<int32_t>(y[2]);
    p.k_h = static_cast<int32_t>(g.kh);
    p.k_w = static_cast<int32_t>(g.kw);
    p.stride_w = static_cast<int32_t>(g.strides[1]);
    p.pad_left = static_cast<int32_t>(g.pads[1]);
    p.dil_h = static_cast<int32_t>(g.dil[0]);
    p.dil_w = static_cast<int32_t>(g.dil[1]);
    return static_cast<size_t>(tmlc::q::depthwise_conv2d_scratch_bytes(p));
  }
  return static_cast<size_t>(tmlc::q::conv2d_scratch_bytes(static_cast<int32_t>(w[1]), static_cast<int32_t>(w[2]),
                                                           static_cast<int32_t>(w[3])));
}

int64_t macs(const Node& n) {
  const Shape& w = n.input(1)->type.shape;
  const int64_t perOut = n.kind == OpKind::QDepthwiseConv ? w[0] * w[1] : w[1] * w[2] * w[3];
  return numElements(n.output(0)->type.shape) * perOut;
}

}  // namespace

extern const OpDef kOp_QConv = {OpKind::QConv, "tmlc", "QConv", infer, emit, nullptr, scratch, macs, true, false};
extern const OpDef kOp_QDepthwiseConv = {OpKind::QDepthwiseConv, "tmlc", "QDepthwiseConv", infer, emit, nullptr,
                                         scratch, macs, true, false};

}  // namespace tmlc
