// dot_s16.h: the dot product of int16 activations and int8 weights (16x8),
// the inner loop of conv2d, conv2d_1x1 and fully_connected for int16_t.
//
//   dot_s16(x, w, n, in_offset) = sum_{i<n} (x[i] + in_offset) * w[i]
// for n <= 256: each product is below 2^23 in magnitude (|x + in_offset| <=
// 65535, |w| <= 128), so 256 of them fit int32 and the sum is exact. The
// callers (conv.h's dot_offset) split longer rows into such chunks and add
// the chunk sums into the int64 accumulator, so an int16 model accumulates in
// int64 only where int32 could overflow.
//
// With the DSP extension (__ARM_FEATURE_DSP: M4, M7, M33) and in_offset 0 (the
// 16x8 scheme's symmetric activations), four products per step (and below, a
// 2 pixels x 2 channels block of the 1x1 convolution built the same way): the weights'
// word unpacks with SXTB16 into (w0, w2) and (w1, w3), the activations' two
// words are repacked into (x0, x2) and (x1, x3) (PKHBT/PKHTB), and two SMLADs
// accumulate. Same result bit for bit as the portable loop.
#pragma once

#include "tmlc/kernels/int8/dsp.h"
#include "tmlc/tmlc.h"

namespace tmlc {
namespace q {

constexpr int32_t kDotS16Chunk = 256;

TMLC_ALWAYS_INLINE int32_t dot_s16(const int16_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w, int32_t n,
                                   int32_t in_offset) noexcept {
  int32_t acc = 0, i = 0;
#if defined(__ARM_FEATURE_DSP)
  if (in_offset == 0) {
    for (; i + 4 <= n; i += 4) {
      const uint32_t wv = dsp::read32(w + i);
      const uint32_t x01 = dsp::read32(x + i), x23 = dsp::read32(x + i + 2);
      uint32_t x02, x13;
      __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(x02) : "r"(x01), "r"(x23));  // (x0, x2)
      __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(x13) : "r"(x23), "r"(x01));  // (x1, x3)
      acc = dsp::smlad(x02, dsp::sxtb16(wv), acc);
      acc = dsp::smlad(x13, dsp::sxtb16_ror8(wv), acc);
    }
  }
#endif
  for (; i + 4 <= n; i += 4)  // unrolled: the loop overhead of cores without DSP halves
    acc += (static_cast<int32_t>(x[i]) + in_offset) * static_cast<int32_t>(w[i]) +
           (static_cast<int32_t>(x[i + 1]) + in_offset) * static_cast<int32_t>(w[i + 1]) +
           (static_cast<int32_t>(x[i + 2]) + in_offset) * static_cast<int32_t>(w[i + 2]) +
           (static_cast<int32_t>(x[i + 3]) + in_offset) * static_cast<int32_t>(w[i + 3]);
  for (; i < n; ++i) acc += (static_cast<int32_t>(x[i]) + in_offset) * static_cast<int32_t>(w[i]);
  return acc;
}

#if defined(__ARM_FEATURE_DSP)
// (x0, x2) and (x1, x3) from the int16 words (x0, x1) and (x2, x3).
TMLC_ALWAYS_INLINE void pack_s16(uint32_t x01, uint32_t x23, uint32_t& x02, uint32_t& x13) noexcept {
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(x02) : "r"(x01), "r"(x23));
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(x13) : "r"(x23), "r"(x01));
}

// The 1x1 convolution (a matrix product over pixels, conv.h's conv2d_1x1) for
// int16 activations on DSP cores: two pixels by two output channels at a time,
// each activation pair repacked once for both channels and each weight word
// unpacked once for both pixels, eight SMLADs per 16 products. Needs
// in_offset 0, in_c a multiple of 4 and at most kDotS16Chunk (the int32 sums
// cannot overflow); an odd last pixel or channel goes through dot_s16.
template <typename Requant>
inline void conv2d_1x1_s16_dsp(int32_t pixels, int32_t in_c, int32_t out_c, const int16_t* TMLC_RESTRICT x,
                               const int8_t* TMLC_RESTRICT w, int16_t* TMLC_RESTRICT y, Requant requant) noexcept {
  int32_t px = 0;
  for (; px + 2 <= pixels; px += 2) {
    const int16_t* xa = x + px * in_c;
    const int16_t* xb = xa + in_c;
    int16_t* ya = y + px * out_c;
    int16_t* yb = ya + out_c;
    int32_t oc = 0;
    for (; oc + 2 <= out_c; oc += 2) {
      const int8_t* w0 = w + oc * in_c;
      const int8_t* w1 = w0 + in_c;
      int32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
      for (int32_t i = 0; i < in_c; i += 4) {
        uint32_t xa02, xa13, xb02, xb13;
        pack_s16(dsp::read32(xa + i), dsp::read32(xa + i + 2), xa02, xa13);
        pack_s16(dsp::read32(xb + i), dsp::read32(xb + i + 2), xb02, xb13);
        const uint32_t v0 = dsp::read32(w0 + i);
        const uint32_t w002 = dsp::sxtb16(v0), w013 = dsp::sxtb16_ror8(v0);
        a0 = dsp::smlad(xa02, w002, a0);
        a0 = dsp::smlad(xa13, w013, a0);
        b0 = dsp::smlad(xb02, w002, b0);
        b0 = dsp::smlad(xb13, w013, b0);
        const uint32_t v1 = dsp::read32(w1 + i);
        const uint32_t w102 = dsp::sxtb16(v1), w113 = dsp::sxtb16_ror8(v1);
        a1 = dsp::smlad(xa02, w102, a1);
        a1 = dsp::smlad(xa13, w113, a1);
        b1 = dsp::smlad(xb02, w102, b1);
        b1 = dsp::smlad(xb13, w113, b1);
      }
      ya[oc] = requant(a0, oc);
      ya[oc + 1] = requant(a1, oc + 1);
      yb[oc] = requant(b0, oc);
      yb[oc + 1] = requant(b1, oc + 1);
    }
    for (; oc < out_c; ++oc) {
      ya[oc] = requant(dot_s16(xa, w + oc * in_c, in_c, 0), oc);
      yb[oc] = requant(dot_s16(xb, w + oc * in_c, in_c, 0), oc);
    }
  }
  for (; px < pixels; ++px)
    for (int32_t oc = 0; oc < out_c; ++oc)
      y[px * out_c + oc] = requant(dot_s16(x + px * in_c, w + oc * in_c, in_c, 0), oc);
}
#endif

}  // namespace q
}  // namespace tmlc
