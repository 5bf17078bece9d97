// conv_dsp.h: the Cortex-M DSP body of int8 convolution with group 1 (see
// conv.h for the contract; results equal conv2d_portable bit for bit).
//
// For each pair of output pixels, im2col writes both input patches
// (k_h * k_w * in_c values, x + in_offset, 0 in the padding) as int16 into
// scratch in SXTB16 order (dsp.h); then every pair of output channels
// accumulates over the pair of patches with SMLAD, reading each weight word
// once for two pixels. An odd last pixel or channel takes a one-wide loop.
#pragma once

#if defined(__ARM_FEATURE_DSP)

#include "tmlc/kernels/int8/dsp.h"

namespace tmlc {
namespace q {

// Patch of output pixel (n, oh, ow) into buf (k values, SXTB16 order on the first k4).
inline void im2col_patch(const ConvParams& p, const int8_t* TMLC_RESTRICT x, int32_t n, int32_t oh, int32_t ow,
                         int32_t k4, int16_t* TMLC_RESTRICT buf) noexcept {
  const uint32_t off2 = dsp::pair(p.in_offset);
  const int32_t ih0 = oh * p.stride_h - p.pad_top, iw0 = ow * p.stride_w - p.pad_left;
  const int8_t* xn = x + n * p.in_h * p.in_w * p.in_c;
  int32_t k = 0;
  for (int32_t kh = 0; kh < p.k_h; ++kh) {
    const int32_t ih = ih0 + kh * p.dil_h;
    for (int32_t kw = 0; kw < p.k_w; ++kw) {
      const int32_t iw = iw0 + kw * p.dil_w;
      const bool inside = ih >= 0 && ih < p.in_h && iw >= 0 && iw < p.in_w;
      const int8_t* src = xn + (ih * p.in_w + iw) * p.in_c;
      if (inside && (k & 3) == 0 && (p.in_c & 3) == 0 && k + p.in_c <= k4) {
        dsp::expand4(src, p.in_c, off2, buf + k);
        k += p.in_c;
        continue;
      }
      for (int32_t c = 0; c < p.in_c; ++c, ++k)
        buf[dsp::reordered(k, k4)] = static_cast<int16_t>(inside ? src[c] + p.in_offset : 0);
    }
  }
}

inline void conv2d_dsp(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                       const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                       const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                       int16_t* TMLC_RESTRICT scratch) noexcept {
  const int32_t K = p.k_h * p.k_w * p.in_c, k4 = K & ~3;
  const int32_t pixels = p.out_h * p.out_w;
  const bool direct = p.k_h == 1 && p.k_w == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_top == 0 &&
                      p.pad_left == 0 && p.out_h == p.in_h && p.out_w == p.in_w;
  // Both patches word-aligned, for LDRD (see conv2d_scratch_bytes).
  int16_t* b0 = reinterpret_cast<int16_t*>((reinterpret_cast<uintptr_t>(scratch) + 3u) & ~uintptr_t(3));
  int16_t* b1 = b0 + ((K + 1) & ~1);
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t px = 0; px < pixels; px += 2) {
      const bool two = px + 1 < pixels;
      for (int32_t j = 0; j < (two ? 2 : 1); ++j) {
        int16_t* b = j ? b1 : b0;
        const int32_t q = px + j;
        if (direct && (K & 3) == 0) {
          dsp::expand4(x + (n * pixels + q) * p.in_c, K, dsp::pair(p.in_offset), b);
        } else {
          im2col_patch(p, x, n, q / p.out_w, q % p.out_w, k4, b);
        }
      }
      const int16_t* c1 = two ? b1 : b0;
      int8_t* y0 = y + (n * pixels + px) * p.out_c;
      int8_t* y1 = y0 + p.out_c;
      int32_t oc = 0;
      for (; oc + 2 <= p.out_c; oc += 2) {
        const int8_t* wa = w + oc * K;
        const int8_t* wb = wa + K;
        int32_t a00 = bias ? bias[oc] : 0, a10 = bias ? bias[oc + 1] : 0;
        int32_t a01 = a00, a11 = a10;
        int32_t k = 0;
        for (; k < k4; k += 4) {
          const uint32_t va = dsp::read32(wa + k), vb = dsp::read32(wb + k);
          const uint32_t wa1 = dsp::sxtb16(va), wa2 = dsp::sxtb16_ror8(va);
          const uint32_t wb1 = dsp::sxtb16(vb), wb2 = dsp::sxtb16_ror8(vb);
          uint32_t x01, x02, x11, x12;
          dsp::read2x32(b0 + k, x01, x02);
          dsp::read2x32(c1 + k, x11, x12);
          a00 = dsp::smlad(wa1, x01, a00);
          a00 = dsp::smlad(wa2, x02, a00);
          a01 = dsp::smlad(wa1, x11, a01);
          a01 = dsp::smlad(wa2, x12, a01);
          a10 = dsp::smlad(wb1, x01, a10);
          a10 = dsp::smlad(wb2, x02, a10);
          a11 = dsp::smlad(wb1, x11, a11);
          a11 = dsp::smlad(wb2, x12, a11);
        }
        for (; k < K; ++k) {
          a00 += wa[k] * b0[k];
          a01 += wa[k] * c1[k];
          a10 += wb[k] * b0[k];
          a11 += wb[k] * c1[k];
        }
        y0[oc] = requantize<int8_t>(a00, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        y0[oc + 1] = requantize<int8_t>(a10, mult[oc + 1], shift[oc + 1], p.out_offset, p.act_min, p.act_max);
        if (two) {
          y1[oc] = requantize<int8_t>(a01, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
          y1[oc + 1] = requantize<int8_t>(a11, mult[oc + 1], shift[oc + 1], p.out_offset, p.act_min, p.act_max);
        }
      }
      for (; oc < p.out_c; ++oc) {
        const int8_t* wa = w + oc * K;
        int32_t a0 = bias ? bias[oc] : 0, a1 = a0;
        int32_t k = 0;
        for (; k < k4; k += 4) {
          const uint32_t va = dsp::read32(wa + k);
          const uint32_t wa1 = dsp::sxtb16(va), wa2 = dsp::sxtb16_ror8(va);
          a0 = dsp::smlad(wa2, dsp::read32(b0 + k + 2), dsp::smlad(wa1, dsp::read32(b0 + k), a0));
          a1 = dsp::smlad(wa2, dsp::read32(c1 + k + 2), dsp::smlad(wa1, dsp::read32(c1 + k), a1));
        }
        for (; k < K; ++k) {
          a0 += wa[k] * b0[k];
          a1 += wa[k] * c1[k];
        }
        y0[oc] = requantize<int8_t>(a0, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        if (two) y1[oc] = requantize<int8_t>(a1, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
      }
    }
  }
}

// Two pixels of in_c (a multiple of 4) values, x + in_offset as int16, interleaved
// for conv2d_1x1_dsp: per group of 4 channels, pixel 0's four (SXTB16 order)
// then pixel 1's, so one pointer reaches both with LDRD.
TMLC_ALWAYS_INLINE void expand_pair(const int8_t* TMLC_RESTRICT x0, const int8_t* TMLC_RESTRICT x1, int32_t n,
                                    uint32_t off2, uint32_t* TMLC_RESTRICT out) noexcept {
  for (int32_t i = 0; i < n; i += 4, out += 4) {
    const uint32_t v0 = dsp::read32(x0 + i), v1 = dsp::read32(x1 + i);
    out[0] = dsp::sadd16(dsp::sxtb16(v0), off2);
    out[1] = dsp::sadd16(dsp::sxtb16_ror8(v0), off2);
    out[2] = dsp::sadd16(dsp::sxtb16(v1), off2);
    out[3] = dsp::sadd16(dsp::sxtb16_ror8(v1), off2);
  }
}

// Dot products of two weight rows (wa, wb: k int8 each) with two interleaved
// pixels (expand_pair), two pixels x two channels, two MACs per SMLAD.
TMLC_ALWAYS_INLINE void dot_2x2(const int8_t* TMLC_RESTRICT wa, const int8_t* TMLC_RESTRICT wb,
                                const uint32_t* TMLC_RESTRICT xb, int32_t k, int32_t& a00, int32_t& a01,
                                int32_t& a10, int32_t& a11) noexcept {
  const int8_t* const end = wa + k;
  do {
    const uint32_t va = dsp::read32(wa), vb = dsp::read32(wb);
    wa += 4;
    wb += 4;
    const uint32_t x01 = xb[0], x02 = xb[1], x11 = xb[2], x12 = xb[3];
    xb += 4;
    const uint32_t wa1 = dsp::sxtb16(va), wa2 = dsp::sxtb16_ror8(va);
    a00 = dsp::smlad(wa1, x01, a00);
    a00 = dsp::smlad(wa2, x02, a00);
    a01 = dsp::smlad(wa1, x11, a01);
    a01 = dsp::smlad(wa2, x12, a01);
    const uint32_t wb1 = dsp::sxtb16(vb), wb2 = dsp::sxtb16_ror8(vb);
    a10 = dsp::smlad(wb1, x01, a10);
    a10 = dsp::smlad(wb2, x02, a10);
    a11 = dsp::smlad(wb1, x11, a11);
    a11 = dsp::smlad(wb2, x12, a11);
  } while (wa != end);
}

// 1x1 convolution (stride 1, no padding, group 1) with in_c a multiple of 4:
// pixels two at a time (an odd last one computed twice, stored once), output
// channels two at a time (an odd last one paired with itself).
inline void conv2d_1x1_dsp(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                           const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                           const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                           int16_t* TMLC_RESTRICT scratch) noexcept {
  const int32_t K = p.in_c, OC = p.out_c;
  const int32_t pixels = p.batch * p.out_h * p.out_w;
  const int32_t out_off = p.out_offset, lo = p.act_min, hi = p.act_max;
  uint32_t* xb = reinterpret_cast<uint32_t*>((reinterpret_cast<uintptr_t>(scratch) + 3u) & ~uintptr_t(3));
  const uint32_t off2 = dsp::pair(p.in_offset);
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    const int8_t* x0 = x + px * K;
    expand_pair(x0, two ? x0 + K : x0, K, off2, xb);
    int8_t* y0 = y + px * OC;
    int8_t* y1 = y0 + OC;
    for (int32_t oc = 0; oc < OC; oc += 2) {
      const int32_t ob = oc + 1 < OC ? oc + 1 : oc;
      int32_t a00 = bias ? bias[oc] : 0, a10 = bias ? bias[ob] : 0;
      int32_t a01 = a00, a11 = a10;
      dot_2x2(w + oc * K, w + ob * K, xb, K, a00, a01, a10, a11);
      const int32_t ma = mult[oc], sa = shift[oc], mb = mult[ob], sb = shift[ob];
      y0[oc] = requantize<int8_t>(a00, ma, sa, out_off, lo, hi);
      if (two) y1[oc] = requantize<int8_t>(a01, ma, sa, out_off, lo, hi);
      if (ob != oc) {
        y0[ob] = requantize<int8_t>(a10, mb, sb, out_off, lo, hi);
        if (two) y1[ob] = requantize<int8_t>(a11, mb, sb, out_off, lo, hi);
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc

#endif  // __ARM_FEATURE_DSP
