// qpool.cpp: QMaxPool and QAvgPool over NHWC (global pooling is a window
// covering the input). Kernel: runtime/include/tmlc/kernels/int8/pool.h.
//
// Attributes: kernel_shape [KH, KW], strides, pads [top, left, bottom, right],
// ceil_mode, count_include_pad (avg). QMaxPool's output quantization must equal
// its input's; QAvgPool rescales when they differ.
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
  std::pair<int32_t, int32_t> m{0, 0};
  if (rescale && n.kind == OpKind::QAvgPool) {
    auto r = fixedMultiplier(qi.scale / qo.scale);
    if (!r) return r.status();
    m = *r;
  }
  std::string init = fieldInit({{"batch", x[0]}, {"in_h", x[1]}, {"in_w", x[2]}, {"c", x[3]}, {"out_h", y[1]},
                                {"out_w", y[2]}, {"k_h", w.k[0]}, {"k_w", w.k[1]}, {"stride_h", w.s[0]},
                                {"stride_w", w.s[1]}, {"pad_top", w.pads[0]}, {"pad_left", w.pads[1]},
                                {"pad_bottom", w.pads[2]}, {"pad_right", w.pads[3]},
                                {"count_include_pad", n.attrInt("count_include_pad", 0)}, {"in_zp", qi.zp},
                                {"rescale", rescale ? 1 : 0}, {"mult", m.first}, {"shift", m.second},
                                {"out_zp", qo.zp}, {"act_min", range->first}, {"act_max", range->second}});
  std::string p = ctx.params(n, "tmlc::q::PoolParams", init);
  ctx.call(std::string("tmlc::q::") + (n.kind == OpKind::QMaxPool ? "max_pool" : "avg_pool") + "<" +
           EmitContext::ctype(n.input(0)) + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) +
           ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QMaxPool = {OpKind::QMaxPool, "tmlc", "QMaxPool", infer, emit, nullptr, nullptr, nullptr,
                                   true, false};
extern const OpDef kOp_QAvgPool = {OpKind::QAvgPool, "tmlc", "QAvgPool", infer, emit, nullptr, nullptr, nullptr,
                                   true, false};

}  // namespace tmlc
