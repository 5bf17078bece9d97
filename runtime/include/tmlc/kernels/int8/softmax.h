// softmax.h: quantized softmax over the innermost axis.
//
//   x [outer, n] T, y [outer, n] T: int8 with scale 1/256 and zero point -128,
//   int16 with scale 1/32768 and zero point 0 (the conventions of TensorFlow
//   Lite; other output scales go through inv_out).
// e = 2^16 * exp(-scale_x * d) for d = max - x comes from a table the compiler
// computes:
//  * int8: exp_table[d] = round(2^16 * exp(-scale_x * d)), d in [0, 255];
//  * int16: 513 entries over real differences [0, kSoftmax16Range] (TensorFlow
//    Lite's int16 range), exp_table[i] = round(2^16 * exp(-i * range / 512));
//    the position of d, pos = mbqm(d, pos_mult, pos_shift) = round(d * scale_x *
//    512 / range * 2^7), indexes it with 7 fraction bits, interpolated as lut.h's
//    int16 lookup; beyond the range e = 0.
// At run time
//   y = clamp(rounding_divide(e * inv_out, sum * 2^8) + out_zp)
// with sum the row's sum of e, inv_out = round(2^8 / scale_y).
// Rows up to 2^15 elements (the sum stays below 2^31).
#pragma once

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

struct SoftmaxParams {
  int32_t outer, n;
  int32_t inv_out;  // round(2^8 / scale_y); 65536 for scale 1/256
  int32_t out_zp;
  int32_t pos_mult, pos_shift;  // int16 only: requantize.h pair of scale_x * 512 * 2^7 / kSoftmax16Range
};

constexpr double kSoftmax16Range = 10.0;

TMLC_ALWAYS_INLINE int32_t softmax_exp(const SoftmaxParams&, int32_t d, const int32_t* TMLC_RESTRICT table,
                                       int8_t) noexcept {
  return table[d];
}

TMLC_ALWAYS_INLINE int32_t softmax_exp(const SoftmaxParams& p, int32_t d, const int32_t* TMLC_RESTRICT table,
                                       int16_t) noexcept {
  const int32_t pos = multiply_by_quantized_multiplier(d, p.pos_mult, p.pos_shift);
  if (pos >= 512 * 128) return 0;
  const int32_t i = pos >> 7, base = table[i];
  return base + (((table[i + 1] - base) * (pos & 127) + 64) >> 7);
}

template <typename T>
inline void softmax(const SoftmaxParams& p, const T* TMLC_RESTRICT x, const int32_t* TMLC_RESTRICT exp_table,
                    T* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o) {
    const T* xr = x + o * p.n;
    T* yr = y + o * p.n;
    int32_t mx = xr[0];
    for (int32_t i = 1; i < p.n; ++i) mx = xr[i] > mx ? xr[i] : mx;
    int32_t sum = 0;
    for (int32_t i = 0; i < p.n; ++i) sum += softmax_exp(p, mx - xr[i], exp_table, T{});
    const int64_t den = static_cast<int64_t>(sum) << 8;
    for (int32_t i = 0; i < p.n; ++i) {
      const int64_t v = rounding_divide(static_cast<int64_t>(softmax_exp(p, mx - xr[i], exp_table, T{})) * p.inv_out, den);
      yr[i] = static_cast<T>(clamp_to<T>(static_cast<int32_t>(v) + p.out_zp));
    }
  }
}

}  // namespace q
}  // namespace tmlc
