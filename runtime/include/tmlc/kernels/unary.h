// unary.h: element-wise unary operators and activations, and Clip.
//
//   tmlc::unary<tmlc::SigmoidOp>(params, x, y)
// One kernel for every unary operator and element type: Op is a functor that
// receives the element in its compute type (float for float16/bfloat16, see
// numeric.h) and the parameters (alpha, beta: the operator's attributes), and
// returns the result, stored as the output type U (bool for IsNaN/IsInf).
//
// Integer Abs and Neg wrap (|INT_MIN| is INT_MIN) as two's complement does.
#pragma once

#include "tmlc/kernels/numeric.h"

namespace tmlc {

struct UnaryParams {
  int32_t count;
  float alpha;
  float beta;
};

// Math on floating types; each maps to the <cmath> function of the same name.
#define TMLC_UNARY_MATH(Name, fn)                                                   \
  struct Name {                                                                     \
    template <typename T> T operator()(T x, const UnaryParams&) const noexcept {    \
      return T(std::fn(x));                                                         \
    }                                                                               \
  };
TMLC_UNARY_MATH(ExpOp, exp)
TMLC_UNARY_MATH(LogOp, log)
TMLC_UNARY_MATH(SqrtOp, sqrt)
TMLC_UNARY_MATH(FloorOp, floor)
TMLC_UNARY_MATH(CeilOp, ceil)
TMLC_UNARY_MATH(SinOp, sin)
TMLC_UNARY_MATH(CosOp, cos)
TMLC_UNARY_MATH(TanOp, tan)
TMLC_UNARY_MATH(AsinOp, asin)
TMLC_UNARY_MATH(AcosOp, acos)
TMLC_UNARY_MATH(AtanOp, atan)
TMLC_UNARY_MATH(SinhOp, sinh)
TMLC_UNARY_MATH(CoshOp, cosh)
TMLC_UNARY_MATH(AsinhOp, asinh)
TMLC_UNARY_MATH(AcoshOp, acosh)
TMLC_UNARY_MATH(AtanhOp, atanh)
TMLC_UNARY_MATH(ErfOp, erf)
TMLC_UNARY_MATH(TanhOp, tanh)
#undef TMLC_UNARY_MATH

struct ReciprocalOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept { return T(T(1) / x); }
};
// Round half to even, independent of the FPU's rounding mode.
struct RoundOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    T f = std::floor(x), d = x - f;
    if (d > T(0.5) || (d == T(0.5) && std::fmod(f, T(2)) != T(0))) f += T(1);
    return f;
  }
};

// Numeric (integers and floating types).
struct AbsOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    if constexpr (is_int_v<T>) return is_negative(x) ? wrap_neg(x) : x;
    else return T(std::fabs(x));
  }
};
struct NegOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    if constexpr (is_int_v<T>) return wrap_neg(x); else return T(-x);
  }
};
struct SignOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    return is_nan(x) ? x : (T(0) < x ? T(1) : (is_negative(x) ? T(-1) : T(0)));
  }
};
struct ReluOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    return is_negative(x) ? T(0) : x;
  }
};

// Predicates (bool output).
struct IsNaNOp {
  template <typename T> bool operator()(T x, const UnaryParams&) const noexcept { return x != x; }
};
// IsInf: alpha = detect_positive, beta = detect_negative (0 or 1).
struct IsInfOp {
  template <typename T> bool operator()(T x, const UnaryParams& p) const noexcept {
    return std::isinf(x) && (x > T(0) ? p.alpha != 0.0f : p.beta != 0.0f);
  }
};

// Logic and bits.
struct NotOp {
  bool operator()(bool x, const UnaryParams&) const noexcept { return !x; }
};
struct BitNotOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept { return T(~x); }
};

// Activations on floating types; alpha and beta are the ONNX attributes.
struct LeakyReluOp {  // alpha
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept { return x < T(0) ? T(x * T(p.alpha)) : x; }
};
struct SigmoidOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept { return T(T(1) / (T(1) + std::exp(-x))); }
};
struct HardSigmoidOp {  // alpha, beta
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    T v = T(p.alpha) * x + T(p.beta);
    return v < T(0) ? T(0) : (v > T(1) ? T(1) : v);
  }
};
struct HardSwishOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    T v = x / T(6) + T(0.5);
    return x * (v < T(0) ? T(0) : (v > T(1) ? T(1) : v));
  }
};
struct EluOp {  // alpha
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    return x < T(0) ? T(T(p.alpha) * std::expm1(x)) : x;
  }
};
struct SeluOp {  // alpha, beta = gamma
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    return T(p.beta) * (x > T(0) ? x : T(T(p.alpha) * std::expm1(x)));
  }
};
struct CeluOp {  // alpha
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    return x > T(0) ? x : T(T(p.alpha) * std::expm1(x / T(p.alpha)));
  }
};
struct SoftplusOp {  // log(1 + e^x) without overflow
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    return x > T(0) ? T(x + std::log1p(std::exp(-x))) : T(std::log1p(std::exp(x)));
  }
};
struct SoftsignOp {
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept { return x / (T(1) + std::fabs(x)); }
};
struct ThresholdedReluOp {  // alpha
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept { return x > T(p.alpha) ? x : T(0); }
};
struct MishOp {  // x * tanh(softplus(x))
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    return x * std::tanh(SoftplusOp{}(x, p));
  }
};
struct GeluOp {  // approximate="none"
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    return T(0.5) * x * (T(1) + std::erf(x * T(0.70710678118654752440)));
  }
};
struct GeluTanhOp {  // approximate="tanh"
  template <typename T> T operator()(T x, const UnaryParams&) const noexcept {
    return T(0.5) * x * (T(1) + std::tanh(T(0.79788456080286535588) * (x + T(0.044715) * x * x * x)));
  }
};
// Shrink on any numeric type: alpha = lambd, beta = bias.
struct ShrinkOp {
  template <typename T> T operator()(T x, const UnaryParams& p) const noexcept {
    using W = std::conditional_t<is_float_v<T>, T, std::conditional_t<(sizeof(T) > 2), double, float>>;
    const W v = W(x), lambd = W(p.alpha), bias = W(p.beta);
    if (v < -lambd) return convert<T>(v + bias);
    if (v > lambd) return convert<T>(v - bias);
    return T(0);
  }
};

template <typename Op, typename T, typename U>
inline void unary(const UnaryParams& p, const T* TMLC_RESTRICT x, U* TMLC_RESTRICT y) noexcept {
  const Op op{};
  for (int32_t i = 0; i < p.count; ++i) y[i] = U(op(compute_t<T>(x[i]), p));
}

// Clip: bounds are optional one-element tensors (nullptr: unbounded). When
// min > max every element becomes max, as ONNX specifies.
template <typename T>
inline void clip(int32_t count, const T* TMLC_RESTRICT x, const T* lo, const T* hi,
                 T* TMLC_RESTRICT y) noexcept {
  using C = compute_t<T>;
  for (int32_t i = 0; i < count; ++i) {
    C v = C(x[i]);
    if (lo && v < C(*lo)) v = C(*lo);
    if (hi && v > C(*hi)) v = C(*hi);
    y[i] = T(v);
  }
}

}  // namespace tmlc
