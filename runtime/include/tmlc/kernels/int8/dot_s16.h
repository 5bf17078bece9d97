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
// 16x8 scheme's symmetric activations), four products per step: the weights'
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
  for (; i < n; ++i) acc += (static_cast<int32_t>(x[i]) + in_offset) * static_cast<int32_t>(w[i]);
  return acc;
}

}  // namespace q
}  // namespace tmlc
