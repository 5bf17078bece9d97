// trilu.h: Trilu, the upper or lower triangle of each matrix in a batch.
//
//   tmlc::trilu<T>(params, x, y)
//
// Upper keeps elements with j - i >= k, lower those with j - i <= k; the rest
// become zero (all-zero bytes in every supported type). Each row is one copy
// and one clear, done as bytes (trilu_bytes<N>).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct TriluParams {
  int32_t batch;
  int32_t rows;
  int32_t cols;
  int32_t k;      // clamped by the code generator to [-rows, cols]
  bool upper;
};

template <size_t N>
inline void trilu_bytes(const TriluParams& p, const uint8_t* TMLC_RESTRICT x, uint8_t* TMLC_RESTRICT y) noexcept {
  const size_t row = size_t(p.cols) * N;
  for (int32_t b = 0; b < p.batch; ++b) {
    for (int32_t i = 0; i < p.rows; ++i) {
      const size_t at = (size_t(b) * size_t(p.rows) + size_t(i)) * row;
      // Columns [0, split) are kept by lower and cleared by upper.
      int32_t split = p.upper ? i + p.k : i + p.k + 1;
      split = split < 0 ? 0 : (split > p.cols ? p.cols : split);
      const size_t s = size_t(split) * N;
      if (p.upper) {
        memset(y + at, 0, s);
        memcpy(y + at + s, x + at + s, row - s);
      } else {
        memcpy(y + at, x + at, s);
        memset(y + at + s, 0, row - s);
      }
    }
  }
}

template <typename T>
TMLC_ALWAYS_INLINE void trilu(const TriluParams& p, const T* x, T* y) noexcept {
  trilu_bytes<sizeof(T)>(p, reinterpret_cast<const uint8_t*>(x), reinterpret_cast<uint8_t*>(y));
}

}  // namespace tmlc
