// numeric.h: element-type helpers shared by the element-wise kernels.
//
//   compute_t<T>   the type arithmetic on a T is done in: float for float16 and
//                  bfloat16 (they are storage types), T itself otherwise.
//   is_float_v<T>  true for float, double, float16, bfloat16.
//   wrap_add/sub/mul/neg  integer arithmetic modulo 2^bits, as two's-complement
//                  hardware and ONNX Runtime do, without signed-overflow UB.
//   convert<To>(x) ONNX Cast semantics between any two element types: float to
//                  integer truncates toward zero and saturates (NaN gives 0),
//                  integer to integer wraps, anything to bool is x != 0,
//                  floating types round to nearest even.
#pragma once

#include <limits>
#include <type_traits>

#include "tmlc/tmlc.h"

namespace tmlc {

template <typename T> struct compute_type { using type = T; };
template <> struct compute_type<float16> { using type = float; };
template <> struct compute_type<bfloat16> { using type = float; };
template <typename T> using compute_t = typename compute_type<T>::type;

template <typename T>
constexpr bool is_float_v = std::is_floating_point<compute_t<T>>::value;
template <typename T>
constexpr bool is_int_v = std::is_integral<T>::value && !std::is_same<T, bool>::value;
template <typename T>
constexpr bool is_signed_int_v = is_int_v<T> && std::is_signed<T>::value;

// Unsigned type an integer T is promoted to (unsigned int at least), so that
// + - * wrap instead of overflowing.
template <typename T>
using wrap_t = std::make_unsigned_t<decltype(T() + T())>;

template <typename T> TMLC_ALWAYS_INLINE T wrap_add(T a, T b) noexcept { return T(wrap_t<T>(a) + wrap_t<T>(b)); }
template <typename T> TMLC_ALWAYS_INLINE T wrap_sub(T a, T b) noexcept { return T(wrap_t<T>(a) - wrap_t<T>(b)); }
template <typename T> TMLC_ALWAYS_INLINE T wrap_mul(T a, T b) noexcept { return T(wrap_t<T>(a) * wrap_t<T>(b)); }
template <typename T> TMLC_ALWAYS_INLINE T wrap_neg(T a) noexcept { return T(wrap_t<T>(0) - wrap_t<T>(a)); }

// x < 0 without a tautological comparison for unsigned types.
template <typename T>
TMLC_ALWAYS_INLINE bool is_negative(T x) noexcept {
  if constexpr (std::is_unsigned<T>::value) {
    (void)x;
    return false;
  } else {
    return x < T(0);
  }
}

template <typename T>
TMLC_ALWAYS_INLINE bool is_nan(T x) noexcept {
  if constexpr (std::is_floating_point<T>::value) {
    return x != x;
  } else {
    (void)x;
    return false;
  }
}

// Float (or double) to integer: truncation toward zero, saturating, NaN -> 0.
template <typename To, typename F>
TMLC_ALWAYS_INLINE To float_to_int(F x) noexcept {
  if (x != x) return To(0);
  // The limits as F are exact: powers of two (or 0).
  const F lo = F(std::numeric_limits<To>::min());
  const F hi = std::is_signed<To>::value ? -lo : F(2) * (F(std::numeric_limits<To>::max() / 2) + F(1));
  if (x <= lo) return std::numeric_limits<To>::min();
  if (x >= hi) return std::numeric_limits<To>::max();
  return To(x);
}

template <typename To, typename From>
TMLC_ALWAYS_INLINE To convert(From x) noexcept {
  using CF = compute_t<From>;
  using CT = compute_t<To>;
  if constexpr (std::is_same<To, From>::value) {
    return x;
  } else if constexpr (std::is_same<To, bool>::value) {
    return CF(x) != CF(0);
  } else if constexpr (std::is_same<From, bool>::value) {
    return To(CT(x ? 1 : 0));
  } else if constexpr (is_float_v<To>) {
    return To(CT(CF(x)));
  } else if constexpr (is_float_v<From>) {
    return float_to_int<To>(CF(x));
  } else {
    return static_cast<To>(x);  // integer to integer: modulo 2^bits
  }
}

}  // namespace tmlc
