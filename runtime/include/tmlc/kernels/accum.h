// accum.h: the accumulator type of a kernel over element type T, and the store
// of an accumulated value back to T with an optional fused activation.
//
// Half types accumulate in float, narrow integers in 32 bits; float, double
// and the wide integers accumulate in themselves. Activations apply to
// floating-point results only (the compiler fuses them only there).
#pragma once

#include <type_traits>

#include "tmlc/tmlc.h"

namespace tmlc {

template <typename T> struct Accum { using type = T; };
template <> struct Accum<float16> { using type = float; };
template <> struct Accum<bfloat16> { using type = float; };
template <> struct Accum<int8_t> { using type = int32_t; };
template <> struct Accum<int16_t> { using type = int32_t; };
template <> struct Accum<uint8_t> { using type = uint32_t; };
template <> struct Accum<uint16_t> { using type = uint32_t; };
template <typename T> using accum_t = typename Accum<T>::type;

// The type that per-element maths (exp, sqrt, divisions) runs in: double for
// double, float for everything else.
template <typename T> using math_t = typename std::conditional<std::is_same<T, double>::value, double, float>::type;

template <typename T>
constexpr bool is_floating_v = std::is_floating_point<accum_t<T>>::value;

template <typename T>
TMLC_ALWAYS_INLINE T store_activated(const Activation& a, accum_t<T> v) noexcept {
  if constexpr (is_floating_v<T>) {
    return T(activate(a, v));
  } else {
    (void)a;
    return T(v);
  }
}

// acc + x * y: one fused multiply-add (VFMA, a single instruction) for float
// where the FPU has one (Cortex-M4F/M7/M33), else a multiply and an add. Fused
// sums round once instead of twice; float outputs are compared with a tolerance.
template <typename A>
TMLC_ALWAYS_INLINE A mac(A acc, A x, A y) noexcept {
#if defined(__ARM_FEATURE_FMA) && defined(__ARM_FP) && (__ARM_FP & 4)
  if constexpr (std::is_same<A, float>::value) return __builtin_fmaf(x, y, acc);
#endif
  return acc + x * y;
}

}  // namespace tmlc
