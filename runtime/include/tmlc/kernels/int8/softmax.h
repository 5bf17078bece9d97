// softmax.h: quantized softmax over the innermost axis.
//
//   x [outer, n] int8, y [outer, n] int8 with scale 1/256 and zero point -128
//   (the convention of TensorFlow Lite; other output scales go through inv_out).
// exp_table[d] = round(2^16 * exp(-scale_x * d)) for d = max - x in [0, 255]
// is computed by the compiler; at run time
//   y = clamp(rounding_divide(e * inv_out, sum * 2^8) + out_zp)
// with e = exp_table[max - x], sum the row's sum of e, inv_out = round(2^8 / scale_y).
// Rows up to 2^15 elements (the sum stays below 2^31).
#pragma once

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

struct SoftmaxParams {
  int32_t outer, n;
  int32_t inv_out;  // round(2^8 / scale_y); 65536 for scale 1/256
  int32_t out_zp;
};

template <typename T>
inline void softmax(const SoftmaxParams& p, const T* TMLC_RESTRICT x, const int32_t* TMLC_RESTRICT exp_table,
                    T* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o) {
    const T* xr = x + o * p.n;
    T* yr = y + o * p.n;
    int32_t mx = xr[0];
    for (int32_t i = 1; i < p.n; ++i) mx = xr[i] > mx ? xr[i] : mx;
    int32_t sum = 0;
    for (int32_t i = 0; i < p.n; ++i) sum += exp_table[mx - xr[i]];
    const int64_t den = static_cast<int64_t>(sum) << 8;
    for (int32_t i = 0; i < p.n; ++i) {
      const int64_t v = rounding_divide(static_cast<int64_t>(exp_table[mx - xr[i]]) * p.inv_out, den);
      yr[i] = static_cast<T>(clamp_to<T>(static_cast<int32_t>(v) + p.out_zp));
    }
  }
}

}  // namespace q
}  // namespace tmlc
