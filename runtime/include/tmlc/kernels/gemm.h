// gemm.h: general matrix multiply, Y = alpha * A' * B' + beta * C.
//
//   A [M, K] (or [K, M] when trans_a), B [K, N] (or [N, K] when trans_b),
//   C broadcast to [M, N] through its strides (0 where it repeats), or nullptr.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct GemmParams {
  int32_t m, n, k;
  int32_t trans_a, trans_b;
  float alpha, beta;
  int32_t c_stride_m, c_stride_n;
  Activation act;
};

template <typename T>
inline void gemm(const GemmParams& p, const T* TMLC_RESTRICT a, const T* TMLC_RESTRICT b,
                 const T* TMLC_RESTRICT c, T* TMLC_RESTRICT y) noexcept {
  const int32_t sam = p.trans_a ? 1 : p.k, sak = p.trans_a ? p.m : 1;
  const int32_t sbk = p.trans_b ? 1 : p.n, sbn = p.trans_b ? p.k : 1;
  for (int32_t i = 0; i < p.m; ++i) {
    for (int32_t j = 0; j < p.n; ++j) {
      T acc = T(0);
      const T* ar = a + i * sam;
      const T* bc = b + j * sbn;
      for (int32_t l = 0; l < p.k; ++l) acc += ar[l * sak] * bc[l * sbk];
      T v = p.alpha == 1.0f ? acc : T(acc * T(p.alpha));
      if (c) v += p.beta == 1.0f ? c[i * p.c_stride_m + j * p.c_stride_n] : T(T(p.beta) * c[i * p.c_stride_m + j * p.c_stride_n]);
      y[i * p.n + j] = activate(p.act, v);
    }
  }
}

}  // namespace tmlc
