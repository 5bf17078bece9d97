// conv_dsp.h: the Cortex-M DSP body of int8 convolution with group 1 (see
// conv.h for the contract; results equal conv2d_portable bit for bit).
//
// Output pixels go two at a time. Their input patches (k = k_h * k_w * in_c
// values each, x + in_offset as int16, 0 in the padding) are written into one
// scratch buffer, interleaved: for each group of 4 values (the first k4 = k & ~3),
// pixel 0's four in SXTB16 order (dsp.h), then pixel 1's; the last k - k4 values
// of each pixel follow, pixel 0's then pixel 1's. A 1x1 convolution reads its
// pixels' channels directly. Then every pair of output channels accumulates
// over both patches with SMLAD (dot_2x2: each weight word unpacked once for two
// pixels, each activation word used for two channels) and the four sums are
// requantized, two bytes per pixel stored at once. An odd last pixel is
// computed twice and stored once; an odd last channel is paired with itself.
#pragma once

#if defined(__ARM_FEATURE_DSP)

#include "tmlc/kernels/int8/dsp.h"

namespace tmlc {
namespace q {

// Position of value k of pixel j (0 or 1) in the interleaved pair buffer.
TMLC_ALWAYS_INLINE int32_t pair_index(int32_t k, int32_t j, int32_t K, int32_t k4) noexcept {
  return k < k4 ? (k & ~3) * 2 + j * 4 + ((k & 1) << 1) + ((k >> 1) & 1) : 2 * k4 + j * (K - k4) + (k - k4);
}

// Four int8 values at src, plus the offset, to slot j of the group of 4 at buf.
TMLC_ALWAYS_INLINE void expand4_to(const int8_t* TMLC_RESTRICT src, uint32_t off2, uint32_t* TMLC_RESTRICT out) noexcept {
  const uint32_t v = dsp::read32(src);
  out[0] = dsp::sadd16(dsp::sxtb16(v), off2);
  out[1] = dsp::sadd16(dsp::sxtb16_ror8(v), off2);
}

// Largest window (k_h * k_w * in_c) built as an int8 patch on the stack first.
constexpr int32_t kIm2colBytePatch = 128;

// The patch of output pixel (n, oh, ow) into slot j of the pair buffer.
inline void im2col_pair_patch(const ConvParams& p, const int8_t* TMLC_RESTRICT xn, int32_t oh, int32_t ow, int32_t K,
                              int32_t k4, int32_t j, int16_t* TMLC_RESTRICT buf) noexcept {
  const uint32_t off2 = dsp::pair(p.in_offset);
  const int32_t ih0 = oh * p.stride_h - p.pad_top, iw0 = ow * p.stride_w - p.pad_left;
  const int32_t run = p.k_w * p.in_c;  // one kernel row, contiguous in x when dil_w == 1
  if ((run & 3) != 0 && K <= kIm2colBytePatch) {
    // Kernel rows of a length not a multiple of 4 (3 input channels, say):
    // the patch as int8 first (the padding as the input's zero point), then
    // expanded four values at a time.
    int8_t patch[kIm2colBytePatch];
    const int8_t zp = static_cast<int8_t>(-p.in_offset);
    const bool colsIn = p.dil_w == 1 && iw0 >= 0 && iw0 + p.k_w <= p.in_w;
    int32_t k = 0;
    for (int32_t kh = 0; kh < p.k_h; ++kh) {
      const int32_t ih = ih0 + kh * p.dil_h;
      const bool rowIn = ih >= 0 && ih < p.in_h;
      const int8_t* src = xn + (ih * p.in_w + iw0) * p.in_c;
      if (rowIn && colsIn) {
        for (int32_t i = 0; i < run; ++i) patch[k++] = src[i];
        continue;
      }
      for (int32_t kw = 0; kw < p.k_w; ++kw) {
        const int32_t iw = iw0 + kw * p.dil_w;
        const bool inside = rowIn && iw >= 0 && iw < p.in_w;
        const int8_t* s = src + kw * p.dil_w * p.in_c;
        for (int32_t c = 0; c < p.in_c; ++c) patch[k++] = inside ? s[c] : zp;
      }
    }
    for (k = 0; k < k4; k += 4) expand4_to(patch + k, off2, reinterpret_cast<uint32_t*>(buf + k * 2 + j * 4));
    for (; k < K; ++k) buf[pair_index(k, j, K, k4)] = static_cast<int16_t>(patch[k] + p.in_offset);
    return;
  }
  const bool rowsFast = p.dil_w == 1 && (run & 3) == 0 && iw0 >= 0 && iw0 + p.k_w <= p.in_w;
  int32_t k = 0;
  for (int32_t kh = 0; kh < p.k_h; ++kh) {
    const int32_t ih = ih0 + kh * p.dil_h;
    const bool rowIn = ih >= 0 && ih < p.in_h;
    if ((run & 3) == 0 && (k & 3) == 0 && k + run <= k4) {
      uint32_t* out = reinterpret_cast<uint32_t*>(buf + k * 2 + j * 4);
      k += run;
      if (rowIn && rowsFast) {
        const int8_t* src = xn + (ih * p.in_w + iw0) * p.in_c;
        for (int32_t i = 0; i < run; i += 4, out += 4) expand4_to(src + i, off2, out);
      } else if (!rowIn) {
        for (int32_t i = 0; i < run; i += 4, out += 4) out[0] = out[1] = 0;
      } else {
        // Part of the row in the padding: gather four bytes at a time, the
        // padding as the input's zero point (0 once the offset is added).
        const int8_t* src = xn + ih * p.in_w * p.in_c;
        const uint32_t zp = static_cast<uint8_t>(static_cast<int8_t>(-p.in_offset));
        for (int32_t i = 0; i < run; i += 4, out += 4) {
          uint32_t v = 0;
          for (int32_t b = 0; b < 4; ++b) {
            const int32_t kw = (i + b) / p.in_c, c = (i + b) - kw * p.in_c;
            const int32_t iw = iw0 + kw * p.dil_w;
            const uint32_t byte = iw >= 0 && iw < p.in_w ? static_cast<uint8_t>(src[iw * p.in_c + c]) : zp;
            v |= byte << (8 * b);
          }
          out[0] = dsp::sadd16(dsp::sxtb16(v), off2);
          out[1] = dsp::sadd16(dsp::sxtb16_ror8(v), off2);
        }
      }
      continue;
    }
    for (int32_t kw = 0; kw < p.k_w; ++kw) {
      const int32_t iw = iw0 + kw * p.dil_w;
      const bool inside = rowIn && iw >= 0 && iw < p.in_w;
      const int8_t* src = xn + (ih * p.in_w + iw) * p.in_c;
      for (int32_t c = 0; c < p.in_c; ++c, ++k)
        buf[pair_index(k, j, K, k4)] = static_cast<int16_t>(inside ? src[c] + p.in_offset : 0);
    }
  }
}

// Two pixels of in_c (a multiple of 4) channels, for a 1x1 convolution.
TMLC_ALWAYS_INLINE void expand_pair(const int8_t* TMLC_RESTRICT x0, const int8_t* TMLC_RESTRICT x1, int32_t n,
                                    uint32_t off2, uint32_t* TMLC_RESTRICT out) noexcept {
  for (int32_t i = 0; i < n; i += 4, out += 4) {
    expand4_to(x0 + i, off2, out);
    expand4_to(x1 + i, off2, out + 2);
  }
}

// Dot products of two weight rows (wa, wb: k4 int8 each, k4 > 0 and a multiple
// of 4) with the interleaved pixels at xb: two pixels x two channels. Per 4
// values: two weight words unpacked by SXTB16 (once for both pixels), two LDRD
// of activations (each used for both channels), eight SMLAD. In assembly: GCC's
// own allocation of this loop spills.
TMLC_ALWAYS_INLINE void dot_2x2(const int8_t* TMLC_RESTRICT wa, const int8_t* TMLC_RESTRICT wb,
                                const uint32_t* TMLC_RESTRICT xb, int32_t k4, int32_t& a00, int32_t& a01,
                                int32_t& a10, int32_t& a11) noexcept {
  const int8_t* const end = wa + k4;
#if defined(__clang__)
  // Clang keeps r7 as the frame pointer: twelve registers, pixel 0's
  // activations loaded twice per step.
  uint32_t t, w1, x1, x2;
#define TMLC_DOT_2X2_STEP                          \
  "ldr %[t], [%[wa]], #4\n\t"                      \
  "sxtb16 %[w1], %[t]\n\t"                         \
  "sxtb16 %[t], %[t], ror #8\n\t"                  \
  "ldrd %[x1], %[x2], [%[xb]]\n\t"                 \
  "smlad %[a00], %[w1], %[x1], %[a00]\n\t"         \
  "smlad %[a00], %[t], %[x2], %[a00]\n\t"          \
  "ldrd %[x1], %[x2], [%[xb], #8]\n\t"             \
  "smlad %[a01], %[w1], %[x1], %[a01]\n\t"         \
  "smlad %[a01], %[t], %[x2], %[a01]\n\t"          \
  "ldr %[t], [%[wb]], #4\n\t"                      \
  "sxtb16 %[w1], %[t]\n\t"                         \
  "sxtb16 %[t], %[t], ror #8\n\t"                  \
  "smlad %[a11], %[w1], %[x1], %[a11]\n\t"         \
  "smlad %[a11], %[t], %[x2], %[a11]\n\t"          \
  "ldrd %[x1], %[x2], [%[xb]], #16\n\t"            \
  "smlad %[a10], %[w1], %[x1], %[a10]\n\t"         \
  "smlad %[a10], %[t], %[x2], %[a10]\n\t"
#define TMLC_DOT_2X2_OPERANDS                                                                                    \
  : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [wa] "+r"(wa), [wb] "+r"(wb),           \
    [xb] "+r"(xb), [t] "=&r"(t), [w1] "=&r"(w1), [x1] "=&r"(x1), [x2] "=&r"(x2)                                 \
  : [end] "r"(end)                                                                                              \
  : "cc", "memory"
#else
  // GCC allocates all fourteen: both weight words unpacked at once.
  uint32_t ta, tb, wa1, wb1, x1, x2;
#define TMLC_DOT_2X2_STEP                          \
  "ldr %[ta], [%[wa]], #4\n\t"                     \
  "ldr %[tb], [%[wb]], #4\n\t"                     \
  "sxtb16 %[wa1], %[ta]\n\t"                       \
  "sxtb16 %[ta], %[ta], ror #8\n\t"                \
  "sxtb16 %[wb1], %[tb]\n\t"                       \
  "sxtb16 %[tb], %[tb], ror #8\n\t"                \
  "ldrd %[x1], %[x2], [%[xb]], #8\n\t"             \
  "smlad %[a00], %[wa1], %[x1], %[a00]\n\t"        \
  "smlad %[a00], %[ta], %[x2], %[a00]\n\t"         \
  "smlad %[a10], %[wb1], %[x1], %[a10]\n\t"        \
  "smlad %[a10], %[tb], %[x2], %[a10]\n\t"         \
  "ldrd %[x1], %[x2], [%[xb]], #8\n\t"             \
  "smlad %[a01], %[wa1], %[x1], %[a01]\n\t"        \
  "smlad %[a01], %[ta], %[x2], %[a01]\n\t"         \
  "smlad %[a11], %[wb1], %[x1], %[a11]\n\t"        \
  "smlad %[a11], %[tb], %[x2], %[a11]\n\t"
#define TMLC_DOT_2X2_OPERANDS                                                                                    \
  : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [wa] "+r"(wa), [wb] "+r"(wb),           \
    [xb] "+r"(xb), [ta] "=&r"(ta), [tb] "=&r"(tb), [wa1] "=&r"(wa1), [wb1] "=&r"(wb1), [x1] "=&r"(x1),          \
    [x2] "=&r"(x2)                                                                                              \
  : [end] "r"(end)                                                                                              \
  : "cc", "memory"
#endif
  if (k4 & 4) {  // one step, then two at a time
    __asm__ volatile(TMLC_DOT_2X2_STEP TMLC_DOT_2X2_OPERANDS);
    if (wa == end) return;
  }
  __asm__ volatile("1:\n\t" TMLC_DOT_2X2_STEP TMLC_DOT_2X2_STEP
                   "cmp %[wa], %[end]\n\t"
                   "bne 1b" TMLC_DOT_2X2_OPERANDS);
#undef TMLC_DOT_2X2_STEP
#undef TMLC_DOT_2X2_OPERANDS
}

// Requantizes the four sums of a 2x2 block (channels oc and ob, pixels 0 and 1)
// and stores them: two bytes per pixel when ob == oc + 1.
TMLC_ALWAYS_INLINE void store_2x2(const ConvParams& p, int32_t oc, int32_t ob, int32_t a00, int32_t a01, int32_t a10,
                                  int32_t a11, bool two, const int32_t* TMLC_RESTRICT mult,
                                  const int32_t* TMLC_RESTRICT shift, uint32_t lo4, uint32_t hi4,
                                  int8_t* TMLC_RESTRICT y0, int8_t* TMLC_RESTRICT y1) noexcept {
  const int32_t zp = p.out_offset;
  const int32_t ma = mult[oc], sa = shift[oc], mb = mult[ob], sb = shift[ob];
  const int32_t r00 = multiply_by_quantized_multiplier(a00, ma, sa) + zp;
  if (ob != oc) {
    dsp::store2_clamped(y0 + oc, r00, multiply_by_quantized_multiplier(a10, mb, sb) + zp, lo4, hi4);
    if (two)
      dsp::store2_clamped(y1 + oc, multiply_by_quantized_multiplier(a01, ma, sa) + zp,
                          multiply_by_quantized_multiplier(a11, mb, sb) + zp, lo4, hi4);
  } else {
    y0[oc] = static_cast<int8_t>(clamp_range(r00, p.act_min, p.act_max));
    if (two)
      y1[oc] = static_cast<int8_t>(
          clamp_range(multiply_by_quantized_multiplier(a01, ma, sa) + zp, p.act_min, p.act_max));
  }
}

// All output channels of a pixel pair from its interleaved buffer xb.
inline void conv_pair_channels(const ConvParams& p, const int8_t* TMLC_RESTRICT w, int32_t K, int32_t k4,
                               const uint32_t* TMLC_RESTRICT xb, bool two, const int32_t* TMLC_RESTRICT bias,
                               const int32_t* TMLC_RESTRICT mult, const int32_t* TMLC_RESTRICT shift,
                               int8_t* TMLC_RESTRICT y0, int8_t* TMLC_RESTRICT y1) noexcept {
  const int32_t OC = p.out_c;
  const uint32_t lo4 = dsp::bytes4(p.act_min), hi4 = dsp::bytes4(p.act_max);
  if (k4 == K) {  // no tails: the common case, kept lean
    const int8_t* wa = w;
    int32_t oc = 0;
    for (; oc + 1 < OC; oc += 2, wa += 2 * K) {
      int32_t a00 = bias ? bias[oc] : 0, a10 = bias ? bias[oc + 1] : 0;
      int32_t a01 = a00, a11 = a10;
      dot_2x2(wa, wa + K, xb, K, a00, a01, a10, a11);
      store_2x2(p, oc, oc + 1, a00, a01, a10, a11, two, mult, shift, lo4, hi4, y0, y1);
    }
    if (oc < OC) {
      int32_t a00 = bias ? bias[oc] : 0, a01 = a00, a10 = 0, a11 = 0;
      dot_2x2(wa, wa, xb, K, a00, a01, a10, a11);
      store_2x2(p, oc, oc, a00, a01, a10, a11, two, mult, shift, lo4, hi4, y0, y1);
    }
    return;
  }
  const int16_t* t0 = reinterpret_cast<const int16_t*>(xb) + 2 * k4;  // tails
  const int16_t* t1 = t0 + (K - k4);
  for (int32_t oc = 0; oc < OC; oc += 2) {
    const int32_t ob = oc + 1 < OC ? oc + 1 : oc;
    const int8_t* wa = w + oc * K;
    const int8_t* wb = w + ob * K;
    int32_t a00 = bias ? bias[oc] : 0, a10 = bias ? bias[ob] : 0;
    int32_t a01 = a00, a11 = a10;
    if (k4 > 0) dot_2x2(wa, wb, xb, k4, a00, a01, a10, a11);
    for (int32_t k = k4; k < K; ++k) {
      a00 += wa[k] * t0[k - k4];
      a01 += wa[k] * t1[k - k4];
      a10 += wb[k] * t0[k - k4];
      a11 += wb[k] * t1[k - k4];
    }
    store_2x2(p, oc, ob, a00, a01, a10, a11, two, mult, shift, lo4, hi4, y0, y1);
  }
}

inline void conv2d_dsp(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                       const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                       const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                       int16_t* TMLC_RESTRICT scratch) noexcept {
  const int32_t K = p.k_h * p.k_w * p.in_c, k4 = K & ~3;
  const int32_t pixels = p.out_h * p.out_w;
  int16_t* buf = reinterpret_cast<int16_t*>((reinterpret_cast<uintptr_t>(scratch) + 3u) & ~uintptr_t(3));
  for (int32_t n = 0; n < p.batch; ++n) {
    const int8_t* xn = x + n * p.in_h * p.in_w * p.in_c;
    for (int32_t px = 0; px < pixels; px += 2) {
      const bool two = px + 1 < pixels;
      const int32_t q1 = two ? px + 1 : px;
      im2col_pair_patch(p, xn, px / p.out_w, px % p.out_w, K, k4, 0, buf);
      im2col_pair_patch(p, xn, q1 / p.out_w, q1 % p.out_w, K, k4, 1, buf);
      int8_t* y0 = y + (n * pixels + px) * p.out_c;
      conv_pair_channels(p, w, K, k4, reinterpret_cast<const uint32_t*>(buf), two, bias, mult, shift, y0,
                         y0 + p.out_c);
    }
  }
}

// 1x1 convolution (stride 1, no padding, group 1) with in_c a multiple of 4.
inline void conv2d_1x1_dsp(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                           const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                           const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                           int16_t* TMLC_RESTRICT scratch) noexcept {
  const int32_t K = p.in_c;
  const int32_t pixels = p.batch * p.out_h * p.out_w;
  uint32_t* xb = reinterpret_cast<uint32_t*>((reinterpret_cast<uintptr_t>(scratch) + 3u) & ~uintptr_t(3));
  const uint32_t off2 = dsp::pair(p.in_offset);
  for (int32_t px = 0; px < pixels; px += 2) {
    const bool two = px + 1 < pixels;
    const int8_t* x0 = x + px * K;
    expand_pair(x0, two ? x0 + K : x0, K, off2, xb);
    int8_t* y0 = y + px * p.out_c;
    conv_pair_channels(p, w, K, K, xb, two, bias, mult, shift, y0, y0 + p.out_c);
  }
}

}  // namespace q
}  // namespace tmlc

#endif  // __ARM_FEATURE_DSP
