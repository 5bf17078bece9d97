// unary.h: element-wise unary operators and activations.
//
//   tmlc::unary<tmlc::SigmoidOp>(params, x, y)
// The functor receives the element and the parameters (alpha, beta).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct UnaryParams {
  int32_t count;
  float alpha;
  float beta;
};

struct ReluOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept { return x < T(0) ? T(0) : x; }
};
struct LeakyReluOp {
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    return x < T(0) ? T(float(x) * p.alpha) : x;
  }
  double operator()(double x, const UnaryParams& p) const noexcept { return x < 0 ? x * double(p.alpha) : x; }
};
struct SigmoidOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    return T(1.0f / (1.0f + std::exp(-float(x))));
  }
  double operator()(double x, const UnaryParams&) const noexcept { return 1.0 / (1.0 + std::exp(-x)); }
};
struct TanhOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept { return T(std::tanh(float(x))); }
  double operator()(double x, const UnaryParams&) const noexcept { return std::tanh(x); }
};
struct HardSigmoidOp {
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    float v = p.alpha * float(x) + p.beta;
    return T(v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v));
  }
};
struct HardSwishOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    float v = float(x) / 6.0f + 0.5f;
    return T(float(x) * (v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v)));
  }
};

template <typename Op, typename T>
inline void unary(const UnaryParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  const Op op{};
  for (int32_t i = 0; i < p.count; ++i) y[i] = op(x[i], p);
}

// Clip: bounds are optional one-element tensors (nullptr: unbounded).
template <typename T>
inline void clip(int32_t count, const T* TMLC_RESTRICT x, const T* lo, const T* hi,
                 T* TMLC_RESTRICT y) noexcept {
  for (int32_t i = 0; i < count; ++i) {
    T v = x[i];
    if (lo && v < *lo) v = *lo;
    if (hi && v > *hi) v = *hi;
    y[i] = v;
  }
}

}  // namespace tmlc
