// conv_transpose.cpp: ConvTranspose, 1-D to 3-D, with groups, strides,
// dilations, pads, output_padding, output_shape and auto_pad; fuses a
// following activation. Kernel: runtime/include/tmlc/kernels/conv_transpose.h.
//
// Output extent per axis: full = stride * (in - 1) + output_padding +
// (kernel - 1) * dilation + 1, minus the pads. With output_shape or auto_pad
// SAME_* the pads are derived from the requested extent as the ONNX spec says
// (floor division, so a negative total grows the output at the end).
#include "ops/nn/window.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/conv_transpose.h"

namespace tmlc {

namespace {

int64_t floorDiv2(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

struct Geometry {
  WindowAttrs win;
  Shape out;  // spatial extent of Y
};

Expected<Geometry> geometry(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  if (x.size() < 3 || x.size() > 5)
    return Status::error("input X has rank " + std::to_string(x.size()) +
                         "; only 1-D, 2-D and 3-D ConvTranspose (rank 3 to 5) is supported");
  if (w.size() != x.size())
    return Status::error("input W has rank " + std::to_string(w.size()) + ", expected " + std::to_string(x.size()));
  const size_t sp = x.size() - 2;
  auto a = readWindow(n, sp, Shape(w.begin() + 2, w.end()));
  if (!a) return a.status();
  for (size_t i = 0; i < sp; ++i)
    if (a->kernel[i] != w[2 + i]) return Status::error("kernel_shape does not match W " + shapeToString(w));
  const int64_t group = n.attrInt("group", 1);
  if (group <= 0 || x[1] % group || w[0] != x[1])
    return Status::error("channels (X " + shapeToString(x) + ", W " + shapeToString(w) + ") do not match group " +
                         std::to_string(group));
  std::vector<int64_t> outPad = n.attrInts("output_padding", std::vector<int64_t>(sp, 0));
  std::vector<int64_t> outShape = n.attrInts("output_shape");
  if (outPad.size() != sp) return Status::error("output_padding does not match the spatial axes");
  if (outShape.size() == sp + 2) outShape.erase(outShape.begin(), outShape.begin() + 2);
  if (!outShape.empty() && outShape.size() != sp) return Status::error("output_shape does not match the spatial axes");
  Geometry g;
  for (size_t i = 0; i < sp; ++i) {
    const int64_t full = a->strides[i] * (x[2 + i] - 1) + outPad[i] + (a->kernel[i] - 1) * a->dilations[i] + 1;
    const bool same = a->autoPad == "SAME_UPPER" || a->autoPad == "SAME_LOWER";
    if (!outShape.empty() || same) {
      const int64_t o = !outShape.empty() ? outShape[i] : x[2 + i] * a->strides[i];
      const int64_t total = full - o;
      if (a->autoPad == "SAME_UPPER") {
        a->padBegin[i] = floorDiv2(total);
        a->padEnd[i] = total - a->padBegin[i];
      } else {
        a->padEnd[i] = floorDiv2(total);
        a->padBegin[i] = total - a->padEnd[i];
      }
    } else if (a->autoPad == "VALID") {
      a->padBegin[i] = a->padEnd[i] = 0;
    }
    const int64_t o = full - a->padBegin[i] - a->padEnd[i];
    if (o <= 0) return Status::error("output would be empty");
    g.out.push_back(o);
  }
  g.win = *a;
  return g;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  if (!isFloat(n.input(0)->type.dtype)) return Status::error("ConvTranspose on non-float types is not supported");
  if (n.input(1)->type.dtype != n.input(0)->type.dtype) return Status::error("X and W types differ");
  auto g = geometry(n);
  if (!g) return g.status();
  const Shape& x = n.input(0)->type.shape;
  const int64_t outC = n.input(1)->type.shape[1] * n.attrInt("group", 1);
  if (const Value* b = n.input(2))
    if (b->type.shape != Shape{outC}) return Status::error("bias B must have shape [" + std::to_string(outC) + "]");
  Shape out = {x[0], outC};
  out.insert(out.end(), g->out.begin(), g->out.end());
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

tmlc::ConvTransposeParams makeParams(const Node& n) {
  Geometry g = *geometry(n);
  const Shape& x = n.input(0)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  tmlc::ConvTransposeParams p{};
  p.batch = static_cast<int32_t>(x[0]);
  p.in_c = static_cast<int32_t>(x[1]);
  p.out_c = static_cast<int32_t>(y[1]);
  p.group = static_cast<int32_t>(n.attrInt("group", 1));
  p.win = makeWindow(g.win, Shape(x.begin() + 2, x.end()), Shape(y.begin() + 2, y.end()));
  p.act = n.fused;
  return p;
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/conv_transpose.h");
  tmlc::ConvTransposeParams p = makeParams(n);
  auto s = [](int32_t v) { return std::to_string(v); };
  std::string init = "{/*batch*/ " + s(p.batch) + ", /*in_c*/ " + s(p.in_c) + ", /*out_c*/ " + s(p.out_c) +
                     ", /*group*/ " + s(p.group) + ", " + printWindow(p.win) + ", " +
                     EmitContext::activation(n.fused) + "}";
  std::string name = ctx.params(n, "tmlc::ConvTransposeParams", init);
  ctx.call("tmlc::conv_transpose<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

// Every input element meets every weight of its group's filters once.
int64_t macs(const Node& n) {
  const Shape& w = n.input(1)->type.shape;
  return numElements(n.input(0)->type.shape) * numElements(Shape(w.begin() + 1, w.end()));
}

}  // namespace

extern const OpDef kOp_ConvTranspose = {OpKind::ConvTranspose, "", "ConvTranspose", infer, emit, nullptr, nullptr,
                                        macs, true, false};

}  // namespace tmlc
