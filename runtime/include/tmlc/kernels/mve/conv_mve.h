// conv_mve.h: the Helium (MVE with floating point: Cortex-M55) body of float32
// convolution with group 1 and of depthwise convolution (conv.h's conv and
// depthwise_conv; channels first, 1-D to 3-D windows).
//
// Four output channels share a vector; per tap one gather load (VLDRW with
// offsets {0, S, 2S, 3S}) takes the four channels' weights and VFMA multiplies
// them by the tap's input (a scalar for group 1; for depthwise a second gather
// over the four input channel planes) into the accumulator; a scatter store
// writes the four outputs. Group 1 runs channel groups outermost (the window of
// each pixel found per group), depthwise runs output pixels outermost (the
// window found once for all channel groups; 2-D windows skip the D loop, rows of
// three taps are unrolled). A last group of fewer than four
// channels uses predicated gathers and scatters. Sums are fused multiply-adds
// (float outputs are compared with a tolerance); activations as in
// conv_pointwise_mve.h.
#pragma once

#include "tmlc/kernels/mve/conv_pointwise_mve.h"

#if defined(TMLC_MVE_F32)

namespace tmlc {
namespace mve {

template <bool kTail>
inline void conv_f32_group(const ConvParams& p, const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w,
                           const float* TMLC_RESTRICT bias, float* TMLC_RESTRICT y, int32_t n, int32_t oc) noexcept {
  const Window g = p.win;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  const int32_t icg = p.in_c;
  const uint32x4_t lane = vidupq_n_u32(0, 1);
  const uint32x4_t w_off = vmulq_n_u32(lane, static_cast<uint32_t>(icg * k_sp));
  const uint32x4_t y_off = vmulq_n_u32(lane, static_cast<uint32_t>(out_sp));
  const mve_pred16_t pr = kTail ? vctp32q(static_cast<uint32_t>(p.out_c - oc)) : mve_pred16_t(0xFFFF);
  const float32x4_t b = bias ? vldrwq_z_f32(bias + oc, pr) : vdupq_n_f32(0.0f);
  const float* wo = w + oc * icg * k_sp;
  const float* xn = x + n * p.in_c * in_sp;
  float* yo = y + (n * p.out_c + oc) * out_sp;
  const Activation act = p.act;
  for (int32_t od = 0; od < g.out[0]; ++od) {
    const int32_t d0 = od * g.stride[0] - g.pad[0];
    int32_t kd0, kd1;
    window_taps(d0, g.kernel[0], g.dil[0], g.in[0], kd0, kd1);
    for (int32_t oh = 0; oh < g.out[1]; ++oh) {
      const int32_t h0 = oh * g.stride[1] - g.pad[1];
      int32_t kh0, kh1;
      window_taps(h0, g.kernel[1], g.dil[1], g.in[1], kh0, kh1);
      for (int32_t ow = 0; ow < g.out[2]; ++ow) {
        const int32_t w0 = ow * g.stride[2] - g.pad[2];
        int32_t kw0, kw1;
        window_taps(w0, g.kernel[2], g.dil[2], g.in[2], kw0, kw1);
        float32x4_t acc = b;
        for (int32_t ic = 0; ic < icg; ++ic) {
          const float* xc = xn + ic * in_sp;
          const float* wc = wo + ic * k_sp;
          for (int32_t kd = kd0; kd < kd1; ++kd) {
            for (int32_t kh = kh0; kh < kh1; ++kh) {
              const float* xh = xc + ((d0 + kd * g.dil[0]) * g.in[1] + h0 + kh * g.dil[1]) * g.in[2] + w0;
              const float* wh = wc + (kd * g.kernel[1] + kh) * g.kernel[2];
              for (int32_t kw = kw0; kw < kw1; ++kw) {
                const float32x4_t wv = kTail ? vldrwq_gather_shifted_offset_z_f32(wh + kw, w_off, pr)
                                             : vldrwq_gather_shifted_offset_f32(wh + kw, w_off);
                acc = vfmaq_n_f32(acc, wv, xh[kw * g.dil[2]]);
              }
            }
          }
        }
        float* yp = yo + (od * g.out[1] + oh) * g.out[2] + ow;
        if constexpr (kTail)
          vstrwq_scatter_shifted_offset_p_f32(yp, y_off, activate_f32(act, acc), pr);
        else
          vstrwq_scatter_shifted_offset_f32(yp, y_off, activate_f32(act, acc));
      }
    }
  }
}

// One output pixel's valid taps (depthwise_f32): the first one's offset in a
// channel's input plane and weights, the steps and counts along D, H and W.
struct TapBox {
  int32_t x0, w0;
  int32_t x_step[3], w_step[3];
  int32_t count[3];
};

// Channels [c, c + 4) (fewer when kTail) of one output pixel of a depthwise
// convolution: inputs and weights of the four channels by gathers. kCols: the
// valid taps along W when known at compile time (unrolled), else 0; kFlat: one
// valid tap along D (2-D and 1-D convolutions).
template <bool kTail, int kCols, bool kFlat>
TMLC_ALWAYS_INLINE void depthwise_f32_group(const TapBox& t, const float* TMLC_RESTRICT xc,
                                            const float* TMLC_RESTRICT wc, const float* TMLC_RESTRICT bias,
                                            int32_t c, int32_t C, uint32x4_t x_off, uint32x4_t w_off,
                                            uint32x4_t y_off, const Activation& act, float* TMLC_RESTRICT yp) noexcept {
  const mve_pred16_t pr = kTail ? vctp32q(static_cast<uint32_t>(C - c)) : mve_pred16_t(0xFFFF);
  float32x4_t acc = bias ? (kTail ? vldrwq_z_f32(bias + c, pr) : vldrwq_f32(bias + c)) : vdupq_n_f32(0.0f);
  auto tap = [&](const float* xp, const float* wp) {
    const float32x4_t wv =
        kTail ? vldrwq_gather_shifted_offset_z_f32(wp, w_off, pr) : vldrwq_gather_shifted_offset_f32(wp, w_off);
    const float32x4_t xv =
        kTail ? vldrwq_gather_shifted_offset_z_f32(xp, x_off, pr) : vldrwq_gather_shifted_offset_f32(xp, x_off);
    acc = vfmaq_f32(acc, xv, wv);
  };
  auto plane = [&](const float* xh, const float* wh) {
    for (int32_t h = 0; h < t.count[1]; ++h, xh += t.x_step[1], wh += t.w_step[1]) {
      if constexpr (kCols == 3) {
        tap(xh, wh);
        tap(xh + t.x_step[2], wh + 1);
        tap(xh + 2 * t.x_step[2], wh + 2);
      } else {
        const float* xp = xh;
        for (int32_t k = 0; k < t.count[2]; ++k, xp += t.x_step[2]) tap(xp, wh + k);
      }
    }
  };
  if constexpr (kFlat) {
    plane(xc + t.x0, wc + t.w0);
  } else {
    const float* xd = xc + t.x0;
    const float* wd = wc + t.w0;
    for (int32_t d = 0; d < t.count[0]; ++d, xd += t.x_step[0], wd += t.w_step[0]) plane(xd, wd);
  }
  if constexpr (kTail)
    vstrwq_scatter_shifted_offset_p_f32(yp, y_off, activate_f32(act, acc), pr);
  else
    vstrwq_scatter_shifted_offset_f32(yp, y_off, activate_f32(act, acc));
}

template <int kCols, bool kFlat>
inline void depthwise_f32_pixel(const TapBox& t, const float* TMLC_RESTRICT xn, const float* TMLC_RESTRICT w,
                                const float* TMLC_RESTRICT bias, int32_t C, int32_t in_sp, int32_t k_sp,
                                int32_t out_sp, uint32x4_t x_off, uint32x4_t w_off, uint32x4_t y_off,
                                const Activation& act, float* TMLC_RESTRICT yp) noexcept {
  int32_t c = 0;
  for (; c + 4 <= C; c += 4)
    depthwise_f32_group<false, kCols, kFlat>(t, xn + c * in_sp, w + c * k_sp, bias, c, C, x_off, w_off, y_off, act,
                                             yp + c * out_sp);
  if (c < C)
    depthwise_f32_group<true, kCols, kFlat>(t, xn + c * in_sp, w + c * k_sp, bias, c, C, x_off, w_off, y_off, act,
                                            yp + c * out_sp);
}

// Depthwise (group == in_c == out_c): output pixels outermost, so each pixel's
// window is found once for all channels.
inline void depthwise_f32(const ConvParams& params, const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w,
                          const float* TMLC_RESTRICT bias, float* TMLC_RESTRICT y) noexcept {
  const ConvParams p = params;  // a local copy the stores through y cannot alias
  const Window g = p.win;
  const Activation act = p.act;
  const int32_t C = p.out_c;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  const uint32x4_t lane = vidupq_n_u32(0, 1);
  const uint32x4_t w_off = vmulq_n_u32(lane, static_cast<uint32_t>(k_sp));
  const uint32x4_t x_off = vmulq_n_u32(lane, static_cast<uint32_t>(in_sp));
  const uint32x4_t y_off = vmulq_n_u32(lane, static_cast<uint32_t>(out_sp));
  TapBox t;
  t.x_step[0] = g.dil[0] * g.in[1] * g.in[2];
  t.x_step[1] = g.dil[1] * g.in[2];
  t.x_step[2] = g.dil[2];
  t.w_step[0] = g.kernel[1] * g.kernel[2];
  t.w_step[1] = g.kernel[2];
  t.w_step[2] = 1;
  for (int32_t n = 0; n < p.batch; ++n) {
    const float* xn = x + n * C * in_sp;
    float* yn = y + n * C * out_sp;
    for (int32_t od = 0; od < g.out[0]; ++od) {
      const int32_t d0 = od * g.stride[0] - g.pad[0];
      int32_t kd0, kd1;
      window_taps(d0, g.kernel[0], g.dil[0], g.in[0], kd0, kd1);
      for (int32_t oh = 0; oh < g.out[1]; ++oh) {
        const int32_t h0 = oh * g.stride[1] - g.pad[1];
        int32_t kh0, kh1;
        window_taps(h0, g.kernel[1], g.dil[1], g.in[1], kh0, kh1);
        for (int32_t ow = 0; ow < g.out[2]; ++ow) {
          const int32_t w0 = ow * g.stride[2] - g.pad[2];
          int32_t kw0, kw1;
          window_taps(w0, g.kernel[2], g.dil[2], g.in[2], kw0, kw1);
          t.count[0] = kd1 > kd0 ? kd1 - kd0 : 0;
          t.count[1] = kh1 > kh0 ? kh1 - kh0 : 0;
          t.count[2] = kw1 > kw0 ? kw1 - kw0 : 0;
          t.x0 = ((d0 + kd0 * g.dil[0]) * g.in[1] + h0 + kh0 * g.dil[1]) * g.in[2] + w0 + kw0 * g.dil[2];
          t.w0 = (kd0 * g.kernel[1] + kh0) * g.kernel[2] + kw0;
          float* yp = yn + (od * g.out[1] + oh) * g.out[2] + ow;
          if (t.count[0] == 1 && t.count[2] == 3)
            depthwise_f32_pixel<3, true>(t, xn, w, bias, C, in_sp, k_sp, out_sp, x_off, w_off, y_off, act, yp);
          else if (t.count[0] == 1)
            depthwise_f32_pixel<0, true>(t, xn, w, bias, C, in_sp, k_sp, out_sp, x_off, w_off, y_off, act, yp);
          else
            depthwise_f32_pixel<0, false>(t, xn, w, bias, C, in_sp, k_sp, out_sp, x_off, w_off, y_off, act, yp);
        }
      }
    }
  }
  if (!activation_is_vector(act)) {
    const int32_t count = p.batch * C * out_sp;
    for (int32_t k = 0; k < count; ++k) y[k] = activate(act, y[k]);
  }
}

// Convolution with group 1.
inline void conv_f32(const ConvParams& params, const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w,
                     const float* TMLC_RESTRICT bias, float* TMLC_RESTRICT y) noexcept {
  const ConvParams p = params;  // a local copy the stores through y cannot alias
  for (int32_t n = 0; n < p.batch; ++n) {
    int32_t oc = 0;
    for (; oc + 4 <= p.out_c; oc += 4) conv_f32_group<false>(p, x, w, bias, y, n, oc);
    if (oc < p.out_c) conv_f32_group<true>(p, x, w, bias, y, n, oc);
  }
  if (!activation_is_vector(p.act)) {
    const int32_t count = p.batch * p.out_c * window_out_size(p.win);
    for (int32_t k = 0; k < count; ++k) y[k] = activate(p.act, y[k]);
  }
}

}  // namespace mve
}  // namespace tmlc

#endif  // TMLC_MVE_F32
