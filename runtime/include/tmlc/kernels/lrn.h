// lrn.h: local response normalization across channels.
//
//   x, y [batch, channels, spatial]
//   y = x / (bias + alpha / size * sum of x^2 over channels
//            [c - (size - 1) / 2, c + size / 2] clipped to the tensor) ^ beta
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

struct LrnParams {
  int32_t batch, channels, spatial, size;
  float alpha, beta, bias;
};

template <typename T>
inline void lrn(const LrnParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  const int32_t before = (p.size - 1) / 2, after = p.size - 1 - before;
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t c = 0; c < p.channels; ++c) {
      const int32_t c0 = c - before < 0 ? 0 : c - before;
      const int32_t c1 = c + after >= p.channels ? p.channels - 1 : c + after;
      const int32_t off = (n * p.channels + c) * p.spatial;
      for (int32_t i = 0; i < p.spatial; ++i) {
        M sq = M(0);
        for (int32_t k = c0; k <= c1; ++k) {
          const M v = M(x[(n * p.channels + k) * p.spatial + i]);
          sq += v * v;
        }
        const M den = std::pow(M(p.bias) + M(p.alpha) / M(p.size) * sq, M(p.beta));
        y[off + i] = T(M(x[off + i]) / den);
      }
    }
  }
}

}  // namespace tmlc
