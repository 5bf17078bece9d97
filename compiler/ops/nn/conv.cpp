// conv.cpp: Conv, 1-D, 2-D and 3-D, with groups (depthwise included), pads,
// auto_pad, strides and dilations; fuses a following activation.
// Kernel: runtime/include/tmlc/kernels/conv.h (conv, depthwise_conv,
// conv_pointwise; the compiler picks the variant from the attributes).
#include "ops/nn/window.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/conv.h"

namespace tmlc {

namespace {

Expected<WindowAttrs> parse(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  if (x.size() < 3 || x.size() > 5)
    return Status::error("input X has rank " + std::to_string(x.size()) + "; only 1-D, 2-D and 3-D Conv (rank 3 to 5) is supported");
  if (w.size() != x.size())
    return Status::error("input W has rank " + std::to_string(w.size()) + ", expected " + std::to_string(x.size()));
  auto a = readWindow(n, x.size() - 2, Shape(w.begin() + 2, w.end()));
  if (!a) return a;
  for (size_t i = 0; i < a->spatial; ++i)
    if (a->kernel[i] != w[2 + i])
      return Status::error("kernel_shape does not match W " + shapeToString(w));
  const int64_t group = n.attrInt("group", 1);
  if (group <= 0 || x[1] % group || w[0] % group || w[1] * group != x[1])
    return Status::error("channels (X " + shapeToString(x) + ", W " + shapeToString(w) + ") do not match group " +
                         std::to_string(group));
  return a;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  if (!isFloat(n.input(0)->type.dtype)) return Status::error("Conv on non-float types is not supported");
  if (n.input(1)->type.dtype != n.input(0)->type.dtype) return Status::error("X and W types differ");
  auto a = parse(n);
  if (!a) return a.status();
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  if (const Value* b = n.input(2))
    if (b->type.shape != Shape{w[0]}) return Status::error("bias B must have shape [" + std::to_string(w[0]) + "]");
  auto sp = windowOutput(*a, Shape(x.begin() + 2, x.end()), false);
  if (!sp) return sp.status();
  Shape out = {x[0], w[0]};
  out.insert(out.end(), sp->begin(), sp->end());
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

tmlc::ConvParams makeParams(const Node& n) {
  WindowAttrs a = *parse(n);
  const Shape& x = n.input(0)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  windowOutput(a, Shape(x.begin() + 2, x.end()), false);
  tmlc::ConvParams p{};
  p.batch = static_cast<int32_t>(x[0]);
  p.in_c = static_cast<int32_t>(x[1]);
  p.out_c = static_cast<int32_t>(y[1]);
  p.group = static_cast<int32_t>(n.attrInt("group", 1));
  p.win = makeWindow(a, Shape(x.begin() + 2, x.end()), Shape(y.begin() + 2, y.end()));
  p.act = n.fused;
  return p;
}

const char* variant(const tmlc::ConvParams& p) {
  if (p.group == p.in_c && p.group == p.out_c) return "depthwise_conv";
  bool pointwise = p.group == 1;
  for (int a = 0; a < 3; ++a)
    pointwise = pointwise && p.win.kernel[a] == 1 && p.win.stride[a] == 1 && p.win.pad[a] == 0 &&
                p.win.in[a] == p.win.out[a];
  return pointwise ? "conv_pointwise" : "conv";
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/conv.h");
  tmlc::ConvParams p = makeParams(n);
  auto s = [](int32_t v) { return std::to_string(v); };
  std::string init = "{/*batch*/ " + s(p.batch) + ", /*in_c*/ " + s(p.in_c) + ", /*out_c*/ " + s(p.out_c) +
                     ", /*group*/ " + s(p.group) + ", " + printWindow(p.win) + ", " +
                     EmitContext::activation(n.fused) + "}";
  std::string name = ctx.params(n, "tmlc::ConvParams", init);
  ctx.call(std::string("tmlc::") + variant(p) + "<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " +
           ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

// One multiply-accumulate per output element and weight of its group's filter.
int64_t macs(const Node& n) {
  const Shape& w = n.input(1)->type.shape;
  return numElements(n.output(0)->type.shape) * numElements(Shape(w.begin() + 1, w.end()));
}

}  // namespace

extern const OpDef kOp_Conv = {OpKind::Conv, "", "Conv", infer, emit, nullptr, nullptr, macs, true, false};

}  // namespace tmlc
