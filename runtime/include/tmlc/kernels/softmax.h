// softmax.h: Softmax, LogSoftmax and Hardmax along one (merged) axis.
//
//   x, y [outer, axis, inner]; each of the outer * inner rows of length
//   `axis` (stride inner) is normalized on its own. The compiler maps both
//   ONNX semantics here: opset >= 13 normalizes one axis; opset < 13 coerces
//   the input to 2-D at `axis` (inner = 1, axis = product of the trailing dims).
// Maths in float (double for double); the maximum is subtracted first.
// hardmax writes 1 at the first maximum of each row and 0 elsewhere.
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

struct SoftmaxParams {
  int32_t outer, axis, inner;
};

namespace detail {
template <typename T, typename F>
TMLC_ALWAYS_INLINE void softmax_rows(const SoftmaxParams& p, const T* x, T* y, F&& f) noexcept {
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t i = 0; i < p.inner; ++i) {
      const int32_t base = o * p.axis * p.inner + i;
      f(x + base, y + base, p.inner);
    }
}
}  // namespace detail

template <typename T>
inline void softmax(const SoftmaxParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  detail::softmax_rows(p, x, y, [&](const T* xr, T* yr, int32_t s) {
    M mx = M(xr[0]);
    for (int32_t j = 1; j < p.axis; ++j) mx = M(xr[j * s]) > mx ? M(xr[j * s]) : mx;
    M sum = M(0);
    for (int32_t j = 0; j < p.axis; ++j) sum += std::exp(M(xr[j * s]) - mx);
    const M inv = M(1) / sum;
    for (int32_t j = 0; j < p.axis; ++j) yr[j * s] = T(std::exp(M(xr[j * s]) - mx) * inv);
  });
}

template <typename T>
inline void log_softmax(const SoftmaxParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  detail::softmax_rows(p, x, y, [&](const T* xr, T* yr, int32_t s) {
    M mx = M(xr[0]);
    for (int32_t j = 1; j < p.axis; ++j) mx = M(xr[j * s]) > mx ? M(xr[j * s]) : mx;
    M sum = M(0);
    for (int32_t j = 0; j < p.axis; ++j) sum += std::exp(M(xr[j * s]) - mx);
    const M lse = mx + std::log(sum);
    for (int32_t j = 0; j < p.axis; ++j) yr[j * s] = T(M(xr[j * s]) - lse);
  });
}

template <typename T>
inline void hardmax(const SoftmaxParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  detail::softmax_rows(p, x, y, [&](const T* xr, T* yr, int32_t s) {
    int32_t best = 0;
    for (int32_t j = 1; j < p.axis; ++j)
      if (xr[j * s] > xr[best * s]) best = j;
    for (int32_t j = 0; j < p.axis; ++j) yr[j * s] = T(j == best ? 1 : 0);
  });
}

}  // namespace tmlc
