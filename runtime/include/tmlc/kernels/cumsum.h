// cumsum.h: CumSum along one axis.
//
//   tmlc::cumsum<T>(params, x, y)
//
// x and y viewed as [outer, len, inner]. exclusive leaves out the element
// itself (the first sum is 0); reverse sums from the end. Sums accumulate in
// acc_t<T> (tmlc/kernels/reduce.h).
#pragma once

#include "tmlc/kernels/reduce.h"

namespace tmlc {

struct CumSumParams {
  int32_t outer;
  int32_t len;
  int32_t inner;
  bool exclusive;
  bool reverse;
};

template <typename T>
inline void cumsum(const CumSumParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using A = acc_t<T>;
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t i = 0; i < p.inner; ++i) {
      const size_t base = size_t(o) * size_t(p.len) * size_t(p.inner) + size_t(i);
      A acc = A(0);
      for (int32_t k = 0; k < p.len; ++k) {
        const int32_t j = p.reverse ? p.len - 1 - k : k;
        const size_t at = base + size_t(j) * size_t(p.inner);
        const A v = A(x[at]);
        if (p.exclusive) {
          y[at] = T(acc);
          acc = A(acc + v);
        } else {
          acc = A(acc + v);
          y[at] = T(acc);
        }
      }
    }
  }
}

}  // namespace tmlc
