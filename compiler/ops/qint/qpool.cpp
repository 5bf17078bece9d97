// qpool.cpp: QMaxPool and QAvgPool over NHWC (global pooling is a window
// covering the input). Kernel: runtime/include/tmlc/kernels/int8/pool.h.
//
// Attributes: kernel_shape [KH, KW], strides, pads [top, left, bottom, right],
// ceil_mode, count_include_pad (avg). QMaxPool's output quantization must equal
// its input's; QAvgPool rescales when they differ, with one rounding (pool.h).
#include <algorithm>
#include <map>
#include <set>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

struct Window {
  std::vector<int64_t> k, s, pads;
};

Expected<Window> window(const Node& n) {
  Window w;
  w.k = n.attrInts("kernel_shape");
  w.s = n.attrInts("strides", {1, 1});
  w.pads = n.attrInts("pads", {0, 0, 0, 0});
  if (w.k.size() != 2 || w.s.size() != 2 || w.pads.size() != 4)
    return Status::error("kernel_shape, strides and pads must describe 2 spatial axes");
  return w;
}

int64_t outSize(int64_t in, int64_t k, int64_t s, int64_t pb, int64_t pe, bool ceil) {
  const int64_t span = in + pb + pe - k;
  int64_t o = (ceil ? (span + s - 1) / s : span / s) + 1;
  if (ceil && (o - 1) * s >= in + pb) --o;  // the last window must start inside the input or left pad
  return o;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "x"));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() != 4) return Status::error("x must be rank 4 (NHWC)");
  auto w = window(n);
  if (!w) return w.status();
  const bool ceil = n.attrInt("ceil_mode", 0) != 0;
  const int64_t oh = outSize(x[1], w->k[0], w->s[0], w->pads[0], w->pads[2], ceil);
  const int64_t ow = outSize(x[2], w->k[1], w->s[1], w->pads[1], w->pads[3], ceil);
  if (oh <= 0 || ow <= 0) return Status::error("output would be empty");
  Value* o = n.output(0);
  o->type.dtype = n.input(0)->type.dtype;
  o->type.shape = {x[0], oh, ow, x[3]};
  TMLC_RETURN_IF_ERROR(requirePerTensor(o, "output"));
  if (n.kind == OpKind::QMaxPool) {
    const QScalar a = qscalar(n.input(0)), b = qscalar(o);
    if (a.scale != b.scale || a.zp != b.zp) return Status::error("QMaxPool needs equal input and output quantization");
  }
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/pool.h");
  const Window w = *window(n);
  const Shape& x = n.input(0)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  const QScalar qi = qscalar(n.input(0)), qo = qscalar(n.output(0));
  auto range = activationRange(n, n.output(0));
  if (!range) return range.status();
  const bool rescale = qi.scale != qo.scale || qi.zp != qo.zp;
  const bool includePad = n.attrInt("count_include_pad", 0) != 0;
  // A rescaling average pool rounds once: the division by each window's count is
  // folded into its multiplier scale_x / (scale_y * count), one pair when every
  // window has the same count, else a table by count (windows cut by the borders).
  std::pair<int32_t, int32_t> m{0, 0};
  int32_t pre = 16;
  std::string countArgs;
  if (rescale && n.kind == OpKind::QAvgPool) {
    std::set<int64_t> counts;
    for (int64_t oh = 0; oh < y[1]; ++oh)
      for (int64_t ow = 0; ow < y[2]; ++ow) {
        const int64_t h0 = oh * w.s[0] - w.pads[0], w0 = ow * w.s[1] - w.pads[1];
        const int64_t he = includePad ? std::min(h0 + w.k[0], x[1] + w.pads[2]) : std::min(h0 + w.k[0], x[1]);
        const int64_t we = includePad ? std::min(w0 + w.k[1], x[2] + w.pads[3]) : std::min(w0 + w.k[1], x[2]);
        const int64_t hs = includePad ? h0 : std::max<int64_t>(h0, 0), ws = includePad ? w0 : std::max<int64_t>(w0, 0);
        const int64_t count = (he - hs) * (we - ws);
        if (count > 0) counts.insert(count);
      }
    // pre: fraction bits below the result's LSB, |sum of (x - zp_x)| * 2^pre
    // within int32 and every shift within [-31, 30].
    const int64_t last = counts.empty() ? 1 : *counts.rbegin();
    const double maxAbs = static_cast<double>(n.input(0)->type.dtype == DType::Int16 ? 65535 : 255) * static_cast<double>(last);
    while (pre > 0 && maxAbs * static_cast<double>(int64_t(1) << pre) >= 2147483647.0) --pre;
    std::map<int64_t, std::pair<int32_t, int32_t>> byCount;
    for (int64_t c : counts) {
      auto r = fixedMultiplier(qi.scale / (qo.scale * static_cast<double>(c)));
      if (!r) return r.status();
      byCount[c] = *r;
      if (r->first) pre = std::min<int32_t>(pre, std::max<int32_t>(0, r->second + 31));
    }
    for (auto& [c, r] : byCount)
      if (r.first) r.second -= pre;
    if (counts.size() == 1) {
      m = byCount.begin()->second;
    } else if (counts.size() > 1) {
      std::vector<int64_t> mults(static_cast<size_t>(last), 0), shifts(static_cast<size_t>(last), 0);
      for (const auto& [c, r] : byCount) {
        mults[static_cast<size_t>(c - 1)] = r.first;
        shifts[static_cast<size_t>(c - 1)] = r.second;
      }
      const std::string t = ctx.params(n, "tmlc::q::PoolCountMults<" + std::to_string(last) + ">",
                                       "{" + EmitContext::ints(mults) + ", " + EmitContext::ints(shifts) + "}", "_counts");
      countArgs = ", " + t + ".mult, " + t + ".shift";
    }
  }
  std::string init = fieldInit({{"batch", x[0]}, {"in_h", x[1]}, {"in_w", x[2]}, {"c", x[3]}, {"out_h", y[1]},
                                {"out_w", y[2]}, {"k_h", w.k[0]}, {"k_w", w.k[1]}, {"stride_h", w.s[0]},
                                {"stride_w", w.s[1]}, {"pad_top", w.pads[0]}, {"pad_left", w.pads[1]},
                                {"pad_bottom", w.pads[2]}, {"pad_right", w.pads[3]},
                                {"count_include_pad", n.attrInt("count_include_pad", 0)}, {"in_zp", qi.zp},
                                {"rescale", rescale ? 1 : 0}, {"mult", m.first}, {"shift", m.second},
                                {"pre_shift", rescale && n.kind == OpKind::QAvgPool ? pre : 0},
                                {"out_zp", qo.zp}, {"act_min", range->first}, {"act_max", range->second}});
  std::string p = ctx.params(n, "tmlc::q::PoolParams", init);
  ctx.call(std::string("tmlc::q::") + (n.kind == OpKind::QMaxPool ? "max_pool" : "avg_pool") + "<" +
           EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) +
           countArgs + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QMaxPool = {OpKind::QMaxPool, "tmlc", "QMaxPool", infer, emit, nullptr, nullptr, nullptr,
                                   true, false};
extern const OpDef kOp_QAvgPool = {OpKind::QAvgPool, "tmlc", "QAvgPool", infer, emit, nullptr, nullptr, nullptr,
                                   true, false};

}  // namespace tmlc
