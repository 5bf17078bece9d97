// qlinear_pool.cpp: com.microsoft QLinearAveragePool (AveragePool's attributes:
// kernel_shape, strides, pads, auto_pad, ceil_mode, count_include_pad; plus
// channels_last) and QLinearGlobalAveragePool (channels_last), uint8 or int8,
// 1-D to 3-D. Inputs X, x_scale, x_zero_point, y_scale, y_zero_point (zero
// points optional), constant per-tensor scales. As ONNX Runtime: the mean of
// the taps inside the input, divided by the whole kernel size when
// count_include_pad.
// Kernel: runtime/include/tmlc/kernels/int8/qlinear_pool.h (one rounding per
// output, fixed point).
#include "ops/nn/window.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"
#include "ops/quant/ms_qlinear.h"
#include "tmlc/kernels/int8/qlinear_pool.h"

namespace tmlc {

namespace {

struct Geometry {
  WindowAttrs win;
  Shape inSpatial, outSpatial;
  int64_t batch = 0, channels = 0;
  bool channelsLast = false;
};

Expected<Geometry> geometry(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 3 || x.size() > 5)
    return Status::error("input X has rank " + std::to_string(x.size()) + "; only 1-D, 2-D and 3-D pooling is supported");
  Geometry g;
  g.channelsLast = n.attrInt("channels_last", 0) != 0;
  g.batch = x[0];
  g.channels = g.channelsLast ? x.back() : x[1];
  g.inSpatial = g.channelsLast ? Shape(x.begin() + 1, x.end() - 1) : Shape(x.begin() + 2, x.end());
  if (n.kind == OpKind::QLinearGlobalAveragePool) {
    g.win.spatial = g.inSpatial.size();
    g.win.kernel = g.inSpatial;
    g.win.strides = g.win.dilations = std::vector<int64_t>(g.win.spatial, 1);
    g.win.padBegin = g.win.padEnd = std::vector<int64_t>(g.win.spatial, 0);
  } else {
    auto w = readWindow(n, g.inSpatial.size(), {});
    if (!w) return w.status();
    g.win = *w;
    for (int64_t d : g.win.dilations)
      if (d != 1) return Status::error("dilations are not supported");
  }
  auto sp = windowOutput(g.win, g.inSpatial, n.attrInt("ceil_mode", 0) != 0);
  if (!sp) return sp.status();
  g.outSpatial = *sp;
  return g;
}

// The fixed-point rescale (qlinear_pool.h): pre fraction bits kept below the
// result's LSB, |sum| * 2^pre within int32 and the shifts within [-31, 0].
struct PoolRescale {
  int32_t pre = 16;
  std::pair<int32_t, int32_t> full, cut;  // scale_x / scale_y / kernel size, scale_x / scale_y; * 2^-pre
};

Expected<PoolRescale> rescale(const Geometry& g, MsQuant x, MsQuant y) {
  PoolRescale r;
  const int64_t kernelSize = numElements(g.win.kernel);
  const double ratio = static_cast<double>(x.scale) / y.scale;
  while (r.pre > 0 && 255.0 * static_cast<double>(kernelSize) * static_cast<double>(int64_t(1) << r.pre) >= 2147483647.0)
    --r.pre;
  auto full = fixedMultiplier(ratio / static_cast<double>(kernelSize));
  if (!full) return full.status();
  while (r.pre > 0 && full->second - r.pre < -31) --r.pre;
  r.full = {full->first, full->second - r.pre};
  auto cut = fixedMultiplier(ratio);
  if (!cut) return cut.status();
  r.cut = {cut->first, cut->second - r.pre};
  if (r.cut.second < -31 || r.full.second < -31)
    return Status::error("the scales' ratio " + std::to_string(ratio) + " is too small for integer rescaling");
  return r;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 5));  // the zero points (2, 4) are optional
  TMLC_RETURN_IF_ERROR(requireInput(n, 3));
  const DType t = n.input(0)->type.dtype;
  if (!isMsQuantType(t)) return Status::error(std::string("type ") + dtypeName(t) + " is not supported (uint8 or int8)");
  auto x = readMsQuant(n, 1, 2, t, "x");
  if (!x) return x.status();
  auto y = readMsQuant(n, 3, 4, t, "y");
  if (!y) return y.status();
  auto g = geometry(n);
  if (!g) return g.status();
  auto r = rescale(*g, *x, *y);
  if (!r) return r.status();
  Shape out = {g->batch};
  if (!g->channelsLast) out.push_back(g->channels);
  out.insert(out.end(), g->outSpatial.begin(), g->outSpatial.end());
  if (g->channelsLast) out.push_back(g->channels);
  setOutput(n, 0, t, out);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/qlinear_pool.h");
  const DType t = n.input(0)->type.dtype;
  const MsQuant x = *readMsQuant(n, 1, 2, t, "x"), y = *readMsQuant(n, 3, 4, t, "y");
  const Geometry g = *geometry(n);
  const tmlc::Window w = makeWindow(g.win, g.inSpatial, g.outSpatial);
  const PoolRescale r = *rescale(g, x, y);
  const std::string head =
      fieldInit({{"batch", g.batch}, {"channels", g.channels}, {"channels_last", g.channelsLast ? 1 : 0}});
  const std::string tail =
      fieldInit({{"count_include_pad", n.attrInt("count_include_pad", 0) != 0 ? 1 : 0}, {"in_zp", x.zp},
                 {"out_zp", y.zp}, {"full_mult", r.full.first}, {"full_shift", r.full.second},
                 {"mult", r.cut.first}, {"shift", r.cut.second}, {"pre_shift", r.pre},
                 {"same_scale", n.kind == OpKind::QLinearAveragePool && x.scale == y.scale ? 1 : 0}});
  const std::string init = head.substr(0, head.size() - 1) + ", " + printWindow(w) + ", " + tail.substr(1);
  std::string p = ctx.params(n, "tmlc::q::QLinearPoolParams", init);
  ctx.call("tmlc::q::qlinear_avg_pool<" + EmitContext::ctype(n.output(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QLinearAveragePool = {OpKind::QLinearAveragePool, "com.microsoft", "QLinearAveragePool",
                                             infer, emit, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_QLinearGlobalAveragePool = {OpKind::QLinearGlobalAveragePool, "com.microsoft",
                                                   "QLinearGlobalAveragePool", infer, emit, nullptr, nullptr,
                                                   nullptr, false, false};

}  // namespace tmlc
