// det.h: Det, the determinant of each square matrix in a batch.
//
//   tmlc::det<T>(params, x, y, scratch)
//
//   x [batch, n, n], y [batch], scratch: n * n elements of math_t<T>.
// Gaussian elimination with partial pivoting (LU, as LAPACK's getrf that
// numpy uses): the determinant is the product of the pivots, negated once per
// row swap. A singular matrix gives 0. Maths in float (double for double).
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

struct DetParams {
  int32_t batch, n;
};

constexpr int32_t det_scratch_elems(int32_t n) noexcept { return n * n; }

template <typename T>
inline void det(const DetParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y,
                math_t<T>* TMLC_RESTRICT a) noexcept {
  using M = math_t<T>;
  const int32_t n = p.n;
  for (int32_t b = 0; b < p.batch; ++b) {
    const T* m = x + b * n * n;
    for (int32_t i = 0; i < n * n; ++i) a[i] = M(m[i]);
    M d = M(1);
    for (int32_t k = 0; k < n && d != M(0); ++k) {
      int32_t piv = k;
      for (int32_t i = k + 1; i < n; ++i)
        if (std::fabs(a[i * n + k]) > std::fabs(a[piv * n + k])) piv = i;
      if (a[piv * n + k] == M(0)) {
        d = M(0);
        break;
      }
      if (piv != k) {
        for (int32_t j = 0; j < n; ++j) {
          const M t = a[k * n + j];
          a[k * n + j] = a[piv * n + j];
          a[piv * n + j] = t;
        }
        d = -d;
      }
      const M pivot = a[k * n + k];
      d *= pivot;
      for (int32_t i = k + 1; i < n; ++i) {
        const M f = a[i * n + k] / pivot;
        for (int32_t j = k + 1; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
      }
    }
    y[b] = T(d);
  }
}

}  // namespace tmlc
