// depthwise_conv_mve.h: the Helium body of int8 depthwise convolution with depth
// multiplier 1 (see depthwise_conv.h for the contract; results equal
// depthwise_conv2d_portable bit for bit).
//
// Eight channels share a vector of int16 lanes (dw_group8: VLDRB.S16 widens
// eight activations and eight weights, whose layout [k_h, k_w, C] keeps channels
// together; VMULLB/VMULLT multiply into two int32x4 accumulators, even and odd
// channels; MVE has no integer vector-by-vector multiply-accumulate); the last
// channels go four at a time on int32 lanes (dw_group: VLDRB.S32, VMUL, VADD). For each output pixel the window's valid taps are found
// once, then every group of four channels runs over them.
// The input offset is added once per pixel and channel, not per tap:
//   sum over valid taps (x + off) * w = sum x * w + off * sum w.
// For windows inside the input, bias + off * sum w over the whole window is
// computed once per call (for up to kChunk channels at a time, on the stack);
// a window clipped by the padding sums its own valid weights as it goes. A last
// group of fewer than four channels uses predicated (zeroing) loads and stores.
#pragma once

#include "tmlc/kernels/int8/mve/mve.h"

#if defined(TMLC_MVE_INT8)

namespace tmlc {
namespace q {
namespace mve {

template <bool kTail>
TMLC_ALWAYS_INLINE int32x4_t load_s32(const int8_t* p, mve_pred16_t pr) noexcept {
  if constexpr (kTail) return vldrbq_z_s32(p, pr);
  (void)pr;
  return vldrbq_s32(p);
}

// One output pixel's window: its first valid tap at channel 0, in x and w, and
// the number of valid rows and columns; and the loop invariants (copied out of
// ConvParams, which int8 stores could alias).
struct DwWindow {
  const int8_t* x;
  const int8_t* w;
  int32_t rows, cols;
  int32_t x_step, x_row_step, w_row_step;  // next column, next row (x), next row (w)
  int32_t C, in_offset, out_offset, act_min, act_max;
  bool lanes16;  // groups of 8 channels on int16 lanes first (dw_group8)
};

// Channels [c, c + 4) (fewer when kTail) of one output pixel. kFull: the window
// lies inside the input and bias_full holds bias + in_offset * sum w. kCols: the
// window's valid columns (1..3) when known at compile time (unrolled), else 0.
template <bool kTail, bool kFull, int kCols>
TMLC_ALWAYS_INLINE void dw_group(const DwWindow& win, int32_t c, const int32_t* bias_full,
                                 const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                 const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT yp) noexcept {
  const int32_t C = win.C;
  const mve_pred16_t pr = kTail ? vctp32q(static_cast<uint32_t>(C - c)) : mve_pred16_t(0xFFFF);
  int32x4_t acc, ws = vdupq_n_s32(0);
  if constexpr (kFull)
    acc = kTail ? vldrwq_z_s32(bias_full, pr) : vldrwq_s32(bias_full);
  else
    acc = bias ? vldrwq_z_s32(bias + c, pr) : vdupq_n_s32(0);
  const int8_t* xrow = win.x + c;
  const int8_t* wrow = win.w + c;
  const int32_t cols = kCols ? kCols : win.cols;
  for (int32_t r = 0; r < win.rows; ++r, xrow += win.x_row_step, wrow += win.w_row_step) {
    auto tap = [&](int32_t k) {
      const int32x4_t wv = load_s32<kTail>(wrow + k * C, pr);
      acc = vaddq_s32(acc, vmulq_s32(load_s32<kTail>(xrow + k * win.x_step, pr), wv));
      if constexpr (!kFull) ws = vaddq_s32(ws, wv);
    };
    for (int32_t k = 0; k < cols; ++k) tap(k);
  }
  if constexpr (!kFull) acc = vmlaq_n_s32(acc, ws, win.in_offset);
  const int32x4_t m = kTail ? vldrwq_z_s32(mult + c, pr) : vldrwq_s32(mult + c);
  const int32x4_t sh = kTail ? vldrwq_z_s32(shift + c, pr) : vldrwq_s32(shift + c);
  const int32x4_t v = requantize(acc, m, sh, win.out_offset, win.act_min, win.act_max);
  if constexpr (kTail)
    vstrbq_p_s32(yp + c, v, pr);
  else
    vstrbq_s32(yp + c, v);
}

// Channels [c, c + 8) of one output pixel on int16 lanes: VLDRB.S16 widens
// eight activations and eight weights, VMULLB / VMULLT multiply the even and the
// odd lanes into two int32x4 accumulators (channels c, c+2, c+4, c+6 and c+1,
// c+3, ...), which gathers and scatters with offsets {0, 2, 4, 6} requantize and
// store. int8 x int8 products fit int16 lanes' widening multiply; the weight sum
// of a clipped window is kept in int16 (at most 255 taps of |w| <= 128).
// bias_full holds the group's bias + in_offset * sum w as even lanes then odd.
template <bool kFull, int kCols>
TMLC_ALWAYS_INLINE void dw_group8(const DwWindow& win, int32_t c, const int32_t* bias_full,
                                  const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                  const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT yp) noexcept {
  const int32_t C = win.C;
  const uint32x4_t even = vidupq_n_u32(0, 2);
  int32x4_t acc_e, acc_o;
  int16x8_t ws = vdupq_n_s16(0);
  if constexpr (kFull) {
    acc_e = vldrwq_s32(bias_full);
    acc_o = vldrwq_s32(bias_full + 4);
  } else if (bias) {
    acc_e = vldrwq_gather_shifted_offset_s32(bias + c, even);
    acc_o = vldrwq_gather_shifted_offset_s32(bias + c + 1, even);
  } else {
    acc_e = acc_o = vdupq_n_s32(0);
  }
  const int8_t* xrow = win.x + c;
  const int8_t* wrow = win.w + c;
  const int32_t cols = kCols ? kCols : win.cols;
  for (int32_t r = 0; r < win.rows; ++r, xrow += win.x_row_step, wrow += win.w_row_step) {
    auto tap = [&](int32_t k) {
      const int16x8_t wv = vldrbq_s16(wrow + k * C);
      const int16x8_t xv = vldrbq_s16(xrow + k * win.x_step);
      acc_e = vaddq_s32(acc_e, vmullbq_int_s16(xv, wv));
      acc_o = vaddq_s32(acc_o, vmulltq_int_s16(xv, wv));
      if constexpr (!kFull) ws = vaddq_s16(ws, wv);
    };
    for (int32_t k = 0; k < cols; ++k) tap(k);
  }
  if constexpr (!kFull) {
    acc_e = vmlaq_n_s32(acc_e, vmovlbq_s16(ws), win.in_offset);
    acc_o = vmlaq_n_s32(acc_o, vmovltq_s16(ws), win.in_offset);
  }
  const int32x4_t v_e = requantize(acc_e, vldrwq_gather_shifted_offset_s32(mult + c, even),
                                   vldrwq_gather_shifted_offset_s32(shift + c, even), win.out_offset, win.act_min,
                                   win.act_max);
  vstrbq_scatter_offset_s32(yp + c, even, v_e);
  const int32x4_t v_o = requantize(acc_o, vldrwq_gather_shifted_offset_s32(mult + c + 1, even),
                                   vldrwq_gather_shifted_offset_s32(shift + c + 1, even), win.out_offset, win.act_min,
                                   win.act_max);
  vstrbq_scatter_offset_s32(yp + c + 1, even, v_o);
}

template <bool kFull, int kCols>
inline void dw_pixel(const DwWindow& win, int32_t c0, int32_t c1, const int32_t* bias_full,
                     const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                     const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT yp) noexcept {
  int32_t c = c0;
  if (win.lanes16)
    for (; c + 8 <= c1; c += 8) dw_group8<kFull, kCols>(win, c, bias_full + (c - c0), bias, mult, shift, yp);
  for (; c + 4 <= c1; c += 4) dw_group<false, kFull, kCols>(win, c, bias_full + (c - c0), bias, mult, shift, yp);
  if (c < c1) dw_group<true, kFull, kCols>(win, c, bias_full + (c - c0), bias, mult, shift, yp);
}

// The usual window widths unrolled.
template <bool kFull>
inline void dw_pixel_any(const DwWindow& win, int32_t c0, int32_t c1, const int32_t* bias_full,
                         const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                         const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT yp) noexcept {
  switch (win.cols) {
    case 3: dw_pixel<kFull, 3>(win, c0, c1, bias_full, bias, mult, shift, yp); break;
    case 2: dw_pixel<kFull, 2>(win, c0, c1, bias_full, bias, mult, shift, yp); break;
    default: dw_pixel<kFull, 0>(win, c0, c1, bias_full, bias, mult, shift, yp); break;
  }
}

inline void depthwise_conv2d_mve(const ConvParams& params, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                                 const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                 const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y) noexcept {
  const ConvParams p = params;  // a local copy: int8 stores cannot alias it
  constexpr int32_t kChunk = 64;
  int32_t bias_full[kChunk];
  const int32_t C = p.in_c, taps = p.k_h * p.k_w;
  const bool lanes16 = taps <= 255;  // the int16 weight sums of dw_group8 cannot overflow
  for (int32_t c0 = 0; c0 < C; c0 += kChunk) {
    const int32_t c1 = C - c0 < kChunk ? C : c0 + kChunk;
    int32_t c = c0;
    if (lanes16)
      for (; c + 8 <= c1; c += 8) {
        int16x8_t ws = vdupq_n_s16(0);
        for (int32_t t = 0; t < taps; ++t) ws = vaddq_s16(ws, vldrbq_s16(w + t * C + c));
        const uint32x4_t even = vidupq_n_u32(0, 2);
        const int32x4_t b_e = bias ? vldrwq_gather_shifted_offset_s32(bias + c, even) : vdupq_n_s32(0);
        const int32x4_t b_o = bias ? vldrwq_gather_shifted_offset_s32(bias + c + 1, even) : vdupq_n_s32(0);
        vstrwq_s32(bias_full + (c - c0), vmlaq_n_s32(b_e, vmovlbq_s16(ws), p.in_offset));
        vstrwq_s32(bias_full + (c - c0) + 4, vmlaq_n_s32(b_o, vmovltq_s16(ws), p.in_offset));
      }
    for (; c < c1; c += 4) {
      const mve_pred16_t pr = vctp32q(static_cast<uint32_t>(c1 - c));
      int32x4_t wsum = vdupq_n_s32(0);
      for (int32_t t = 0; t < taps; ++t) wsum = vaddq_s32(wsum, vldrbq_z_s32(w + t * C + c, pr));
      const int32x4_t b = bias ? vldrwq_z_s32(bias + c, pr) : vdupq_n_s32(0);
      vstrwq_p_s32(bias_full + (c - c0), vmlaq_n_s32(b, wsum, p.in_offset), pr);
    }
    for (int32_t n = 0; n < p.batch; ++n) {
      const int8_t* xn = x + n * p.in_h * p.in_w * C;
      for (int32_t oh = 0; oh < p.out_h; ++oh) {
        const int32_t ih0 = oh * p.stride_h - p.pad_top;
        int32_t khLo, khHi;
        window_taps(ih0, p.k_h, p.dil_h, p.in_h, khLo, khHi);
        for (int32_t ow = 0; ow < p.out_w; ++ow) {
          const int32_t iw0 = ow * p.stride_w - p.pad_left;
          int32_t kwLo, kwHi;
          window_taps(iw0, p.k_w, p.dil_w, p.in_w, kwLo, kwHi);
          const DwWindow win = {xn + ((ih0 + khLo * p.dil_h) * p.in_w + iw0 + kwLo * p.dil_w) * C,
                                w + (khLo * p.k_w + kwLo) * C,
                                khHi - khLo,
                                kwHi - kwLo,
                                p.dil_w * C,
                                p.dil_h * p.in_w * C,
                                p.k_w * C,
                                C,
                                p.in_offset,
                                p.out_offset,
                                p.act_min,
                                p.act_max,
                                lanes16};
          int8_t* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * C;
          if (win.rows == p.k_h && win.cols == p.k_w)
            dw_pixel_any<true>(win, c0, c1, bias_full, bias, mult, shift, yp);
          else
            dw_pixel_any<false>(win, c0, c1, bias_full, bias, mult, shift, yp);
        }
      }
    }
  }
}

}  // namespace mve
}  // namespace q
}  // namespace tmlc

#endif  // TMLC_MVE_INT8
