// fill.h: kernels that generate data rather than read it.
//
//   tmlc::fill<T>(count, value, y)          ConstantOfShape, Dropout's mask
//   tmlc::range<T>(count, start, delta, y)  Range: y[i] = start + i * delta
//   tmlc::eye_like<T>(params, y)            EyeLike: ones on diagonal k
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

template <typename T>
inline void fill(int32_t count, T value, T* y) noexcept {
  for (int32_t i = 0; i < count; ++i) y[i] = value;
}

template <typename T>
inline void range(int32_t count, T start, T delta, T* y) noexcept {
  for (int32_t i = 0; i < count; ++i) y[i] = T(start + T(i) * delta);
}

struct EyeLikeParams {
  int32_t rows;
  int32_t cols;
  int32_t k;  // diagonal: 0 main, > 0 above, < 0 below
};

template <typename T>
inline void eye_like(const EyeLikeParams& p, T* y) noexcept {
  for (int32_t i = 0; i < p.rows; ++i)
    for (int32_t j = 0; j < p.cols; ++j) y[i * p.cols + j] = T(j - i == p.k ? 1 : 0);
}

}  // namespace tmlc
