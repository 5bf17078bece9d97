// conv.cpp: Conv, 1-D and 2-D, with groups (depthwise included), pads,
// auto_pad, strides and dilations. Kernel: runtime/include/tmlc/kernels/conv.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/conv.h"

namespace tmlc {

namespace {

struct ConvAttrs {
  int spatial = 2;                    // 1 or 2
  std::vector<int64_t> kernel, strides, dilations, padBegin, padEnd;
  int64_t group = 1;
};

// Output size of one spatial axis; fills in pads for auto_pad.
int64_t outSize(int64_t in, int64_t k, int64_t s, int64_t d, const std::string& autoPad, int64_t& pb,
                int64_t& pe) {
  const int64_t ek = (k - 1) * d + 1;
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    int64_t out = (in + s - 1) / s;
    int64_t total = std::max<int64_t>(0, (out - 1) * s + ek - in);
    pb = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
    pe = total - pb;
    return out;
  }
  if (autoPad == "VALID") pb = pe = 0;
  return (in + pb + pe - ek) / s + 1;
}

Expected<ConvAttrs> parse(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  if (x.size() != 3 && x.size() != 4)
    return Status::error("input X has rank " + std::to_string(x.size()) + ", expected 3 (1-D) or 4 (2-D)");
  if (w.size() != x.size())
    return Status::error("input W has rank " + std::to_string(w.size()) + ", expected " + std::to_string(x.size()));
  ConvAttrs a;
  a.spatial = static_cast<int>(x.size()) - 2;
  const size_t sp = static_cast<size_t>(a.spatial);
  a.group = n.attrInt("group", 1);
  a.kernel = n.attrInts("kernel_shape", Shape(w.begin() + 2, w.end()));
  a.strides = n.attrInts("strides", std::vector<int64_t>(sp, 1));
  a.dilations = n.attrInts("dilations", std::vector<int64_t>(sp, 1));
  std::vector<int64_t> pads = n.attrInts("pads", std::vector<int64_t>(2 * sp, 0));
  if (a.kernel.size() != sp || a.strides.size() != sp || a.dilations.size() != sp || pads.size() != 2 * sp)
    return Status::error("kernel_shape, strides, dilations or pads do not match the spatial rank");
  a.padBegin.assign(pads.begin(), pads.begin() + static_cast<long>(sp));
  a.padEnd.assign(pads.begin() + static_cast<long>(sp), pads.end());
  if (a.group <= 0 || x[1] % a.group || w[0] % a.group || w[1] * a.group != x[1])
    return Status::error("channels (X " + std::to_string(x[1]) + ", W " + shapeToString(w) +
                         ") do not match group " + std::to_string(a.group));
  return a;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  auto a = parse(n);
  if (!a) return a.status();
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  if (const Value* b = n.input(2))
    if (b->type.shape != Shape{w[0]}) return Status::error("bias B must have shape [" + std::to_string(w[0]) + "]");
  const std::string autoPad = n.attrString("auto_pad", "NOTSET");
  Shape out = {x[0], w[0]};
  for (int i = 0; i < a->spatial; ++i) {
    size_t k = static_cast<size_t>(i);
    int64_t o = outSize(x[2 + k], a->kernel[k], a->strides[k], a->dilations[k], autoPad, a->padBegin[k], a->padEnd[k]);
    if (o <= 0) return Status::error("output would be empty: kernel larger than the padded input");
    out.push_back(o);
  }
  if (!isFloat(n.input(0)->type.dtype)) return Status::error("only float Conv is supported here");
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

tmlc::ConvParams makeParams(const Node& n) {
  ConvAttrs a = *parse(n);
  const std::string autoPad = n.attrString("auto_pad", "NOTSET");
  const Shape& x = n.input(0)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  for (int i = 0; i < a.spatial; ++i) {
    size_t k = static_cast<size_t>(i);
    outSize(x[2 + k], a.kernel[k], a.strides[k], a.dilations[k], autoPad, a.padBegin[k], a.padEnd[k]);
  }
  const bool is1d = a.spatial == 1;
  auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  tmlc::ConvParams p{};
  p.batch = i32(x[0]);
  p.in_c = i32(x[1]);
  p.in_h = is1d ? 1 : i32(x[2]);
  p.in_w = i32(x[is1d ? 2 : 3]);
  p.out_c = i32(y[1]);
  p.out_h = is1d ? 1 : i32(y[2]);
  p.out_w = i32(y[is1d ? 2 : 3]);
  p.k_h = is1d ? 1 : i32(a.kernel[0]);
  p.k_w = i32(a.kernel[is1d ? 0 : 1]);
  p.stride_h = is1d ? 1 : i32(a.strides[0]);
  p.stride_w = i32(a.strides[is1d ? 0 : 1]);
  p.pad_top = is1d ? 0 : i32(a.padBegin[0]);
  p.pad_left = i32(a.padBegin[is1d ? 0 : 1]);
  p.dil_h = is1d ? 1 : i32(a.dilations[0]);
  p.dil_w = i32(a.dilations[is1d ? 0 : 1]);
  p.group = i32(a.group);
  p.act = n.fused;
  return p;
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/conv.h");
  tmlc::ConvParams p = makeParams(n);
  auto s = [](int32_t v) { return std::to_string(v); };
  std::string init = "{/*batch*/ " + s(p.batch) + ", /*in c,h,w*/ " + s(p.in_c) + ", " + s(p.in_h) + ", " +
                     s(p.in_w) + ", /*out c,h,w*/ " + s(p.out_c) + ", " + s(p.out_h) + ", " + s(p.out_w) +
                     ", /*kernel*/ " + s(p.k_h) + ", " + s(p.k_w) + ", /*stride*/ " + s(p.stride_h) + ", " +
                     s(p.stride_w) + ", /*pad top,left*/ " + s(p.pad_top) + ", " + s(p.pad_left) +
                     ", /*dilation*/ " + s(p.dil_h) + ", " + s(p.dil_w) + ", /*group*/ " + s(p.group) + ", " +
                     EmitContext::activation(n.fused) + "}";
  std::string name = ctx.params(n, "tmlc::ConvParams", init);
  const bool depthwise = p.group == p.in_c && p.group == p.out_c;
  ctx.call(std::string(depthwise ? "tmlc::depthwise_conv2d<" : "tmlc::conv2d<") +
           EmitContext::ctype(n.output(0)) + ">(" + name + ", " +
           ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

int64_t macs(const Node& n) {
  const Shape& w = n.input(1)->type.shape;
  return numElements(n.output(0)->type.shape) * numElements(Shape(w.begin() + 1, w.end()));
}

}  // namespace

extern const OpDef kOp_Conv = {OpKind::Conv, "", "Conv", infer, emit, nullptr, nullptr, macs, true, false};

}  // namespace tmlc
