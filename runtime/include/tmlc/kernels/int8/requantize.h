// requantize.h: every rounding step of the integer kernels, in one place.
//
// A quantized tensor holds q with real value r = scale * (q - zero_point). An
// integer kernel accumulates products of (q_x - zp_x) and weights in int32 and
// must rescale that sum to the output's scale: multiply by the real number
//   M = scale_x * scale_w / scale_y
// which the compiler turns, once, into a fixed-point pair (quantize_multiplier):
//   M = mult * 2^(shift - 31),  mult in [2^30, 2^31) (or 0), shift in [-31, 30].
// At run time multiply_by_quantized_multiplier() computes round(acc * M) with
// integer operations only, exactly as TensorFlow Lite and CMSIS-NN do (gemmlowp's
// SaturatingRoundingDoublingHighMul then RoundingDivideByPOT: two roundings, the
// first half up, the second half away from zero). Bit-exact on every target; the DSP variants of the
// kernels call these same functions.
//
// Differences from ONNX Runtime, which rescales in float and rounds half to even:
// a result exactly halfway between two integers may differ by 1, and the two-step
// rounding may differ by 1 when the first rounding crosses a half. Both are
// documented in docs/quantization.md.
//
// The other roundings of integer kernels are here too: rounding_divide (average
// pooling, softmax normalization), rounding_divide_half_even and the float<->int conversions used only at
// the model boundary (quantize_value / dequantize_value).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {
namespace q {

// (a * b * 2) / 2^32 rounded to nearest (ties toward +infinity), saturating the one
// overflowing case a == b == INT32_MIN. Any int32 inputs.
// gemmlowp's (ab + nudge) / 2^31 with a sign-dependent nudge and truncation is
// floor((ab + 2^30) / 2^31): one multiply-long, an add and a shift.
TMLC_ALWAYS_INLINE int32_t sat_rounding_doubling_high_mul(int32_t a, int32_t b) noexcept {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  return static_cast<int32_t>((ab + (int64_t(1) << 30)) >> 31);
}

// x / 2^exponent rounded to nearest, ties away from zero. exponent in [0, 31].
// gemmlowp's form, 32-bit only (a variable 64-bit shift is a library call on
// Cortex-M).
TMLC_ALWAYS_INLINE int32_t rounding_divide_by_pot(int32_t x, int32_t exponent) noexcept {
  const int32_t mask = static_cast<int32_t>((uint32_t(1) << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// round(x * mult * 2^(shift - 31)). mult in [0, 2^31), shift in [-31, 30]; for
// shift > 0, x * 2^shift saturates to int32 first (the compiler keeps real
// multipliers below 2^7, so only absurd accumulators saturate).
// The rare case shift > 0 (real multipliers of 1 or more), out of line so
// that the common path stays short in the kernels' loops.
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
inline int32_t multiply_by_quantized_multiplier_large(int32_t x, int32_t mult, int32_t shift) noexcept {
  if (shift > 0) {
    const int32_t lim = INT32_MAX >> shift;
    x = x > lim ? INT32_MAX : (x < -lim - 1 ? INT32_MIN : static_cast<int32_t>(static_cast<uint32_t>(x) << shift));
  }
  return rounding_divide_by_pot(sat_rounding_doubling_high_mul(x, mult), shift < 0 ? -shift : 0);
}

TMLC_ALWAYS_INLINE int32_t multiply_by_quantized_multiplier(int32_t x, int32_t mult, int32_t shift) noexcept {
  if (shift >= -1) {
    const uint32_t s = static_cast<uint32_t>(x >> 31);
    if (shift == -1) {  // e = 1: floor((x*mult + 2^30 + 2^31 - [x < 0] * 2^31) / 2^32), as below
      const int64_t q = static_cast<int64_t>(x) * mult + static_cast<int64_t>((~s & 0x80000000u) | 0x40000000u);
      return static_cast<int32_t>(q >> 32);
    }
    if (shift == 0)  // floor((x*mult + 2^30) / 2^31); no saturation as mult != INT32_MIN
      return static_cast<int32_t>((static_cast<int64_t>(x) * mult + 0x40000000) >> 31);
    return multiply_by_quantized_multiplier_large(x, mult, shift);
  }
  // shift <= -2, the common case: both roundings from one multiply-accumulate.
  // With e = -shift and t = floor((x*mult + 2^30) / 2^31) the result is
  // floor((t + 2^(e-1) - [t < 0]) / 2^e); nested floors merge into
  //   floor((x*mult + 2^30 - [x < 0] * 2^31 + 2^(30+e)) / 2^(31+e))
  // ([x < 0] may replace [t < 0]: they differ only where both forms give 0, as
  // mult >= 0 and e >= 1), and with q = x*mult + (x < 0 ? -2^30 : 2^30) that is
  //   floor((floor(q / 2^32) + 2^(e-2)) / 2^(e-1))   (e >= 2)
  // where floor(q / 2^32) is the high word of one SMLAL and stays below 2^30 in
  // magnitude. No saturation case: mult is never INT32_MIN.
  // The initial q, +-2^30 as two words from the sign s: high s, low (s << 31) + 2^30.
  const uint32_t s = static_cast<uint32_t>(x >> 31);
  const int64_t init = static_cast<int64_t>((static_cast<uint64_t>(s) << 32) | ((s << 31) + 0x40000000u));
  const int64_t q = static_cast<int64_t>(x) * mult + init;
  const int32_t e1 = -shift - 1;  // e - 1
  return (static_cast<int32_t>(q >> 32) + static_cast<int32_t>((1u << e1) >> 1)) >> e1;
}

TMLC_ALWAYS_INLINE int32_t clamp_range(int32_t v, int32_t lo, int32_t hi) noexcept {
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

// The output step of every accumulating kernel: rescale, add the output zero
// point, clamp to [act_min, act_max] (the type's range, narrowed by a fused
// Relu/Clip).
template <typename T>
TMLC_ALWAYS_INLINE T requantize(int32_t acc, int32_t mult, int32_t shift, int32_t out_zp, int32_t act_min,
                                int32_t act_max) noexcept {
  int32_t v = multiply_by_quantized_multiplier(acc, mult, shift) + out_zp;
  v = v < act_min ? act_min : v;
  v = v > act_max ? act_max : v;
  return static_cast<T>(v);
}

// ---- 16x8 (int16 activations, int8 weights), as TensorFlow Lite's 16x8 scheme.
//
// Convolutions and dense layers with int16 activations accumulate in int64
// (a sum of int16 * int8 products overflows int32 after 512 terms) and their
// bias is int64; bias_t<T> names the accumulator/bias type of activation type T.
// The int64 sum is rescaled by TensorFlow Lite's 64-bit MultiplyByQuantizedMultiplier:
// the multiplier is reduced to 16 bits, (mult + 2^15) >> 16 (0x7FFF when that
// would overflow), then round(x * reduced * 2^(shift - 15)) with one rounding,
// half toward +infinity. x in [-2^47, 2^47), shift in [-31, 7]; the result
// saturates to int32.
template <typename T>
struct QTraits {
  using Bias = int32_t;  // int8 activations: int32 accumulator and bias
};
template <>
struct QTraits<int16_t> {
  using Bias = int64_t;
};
template <typename T>
using bias_t = typename QTraits<T>::Bias;

//
// floor((p + 2^(ts-1)) / 2^ts) with p = x * reduced and ts = 15 - shift is
// computed on the two 32-bit halves of p (a variable 64-bit shift is a library
// call or a long sequence on Cortex-M): for ts >= 32 only the high word
// matters, for ts < 32 one 64-bit add of the rounding term and a funnel shift.
TMLC_ALWAYS_INLINE int32_t multiply_by_quantized_multiplier(int64_t x, int32_t mult, int32_t shift) noexcept {
  const int32_t reduced = mult < 0x7FFF0000 ? (mult + (1 << 15)) >> 16 : 0x7FFF;
  const int32_t ts = 15 - shift;  // [8, 46]
  const int64_t p = x * reduced;  // |p| < 2^62
  if (ts >= 32) {
    const int32_t hi = static_cast<int32_t>(p >> 32);  // |hi| < 2^30
    if (ts == 32) return hi + static_cast<int32_t>(static_cast<uint32_t>(p) >> 31);
    const int32_t s = ts - 32;
    return (hi + (1 << (s - 1))) >> s;
  }
  const int64_t q = p + (int32_t(1) << (ts - 1));
  const int32_t hi = static_cast<int32_t>(q >> 32);
  const uint32_t lo = static_cast<uint32_t>(q);
  const int32_t rhi = hi >> ts;  // the result's high word
  const int32_t r = static_cast<int32_t>((lo >> ts) | (static_cast<uint32_t>(hi) << (32 - ts)));
  if (rhi != (r >> 31)) return rhi < 0 ? INT32_MIN : INT32_MAX;
  return r;
}

template <typename T>
TMLC_ALWAYS_INLINE T requantize(int64_t acc, int32_t mult, int32_t shift, int32_t out_zp, int32_t act_min,
                                int32_t act_max) noexcept {
  // act_min - out_zp and act_max - out_zp lie within int32 (int16 ranges).
  int32_t v = multiply_by_quantized_multiplier(acc, mult, shift);
  v = v < act_min - out_zp ? act_min - out_zp : v;
  v = v > act_max - out_zp ? act_max - out_zp : v;
  return static_cast<T>(v + out_zp);
}

// num / den rounded to nearest, ties away from zero. den > 0.
TMLC_ALWAYS_INLINE int32_t rounding_divide(int32_t num, int32_t den) noexcept {
  return num >= 0 ? (num + den / 2) / den : (num - den / 2) / den;
}
TMLC_ALWAYS_INLINE int64_t rounding_divide(int64_t num, int64_t den) noexcept {
  return num >= 0 ? (num + den / 2) / den : (num - den / 2) / den;
}

// num / den rounded to nearest, ties to the even integer. den > 0. (The mean
// of com.microsoft QLinearAveragePool when the output keeps the input's scale,
// where ONNX Runtime's float mean lands exactly on the half and rounds to even.)
TMLC_ALWAYS_INLINE int32_t rounding_divide_half_even(int32_t num, int32_t den) noexcept {
  int32_t q = num / den, r = num % den;
  if (r < 0) {  // floor division
    q -= 1;
    r += den;
  }
  return q + ((2 * r > den || (2 * r == den && (q & 1))) ? 1 : 0);
}

template <typename T>
TMLC_ALWAYS_INLINE int32_t clamp_to(int32_t v) noexcept {
  constexpr int32_t lo = sizeof(T) == 1 ? (T(-1) < T(0) ? -128 : 0) : (T(-1) < T(0) ? -32768 : 0);
  constexpr int32_t hi = sizeof(T) == 1 ? (T(-1) < T(0) ? 127 : 255) : (T(-1) < T(0) ? 32767 : 65535);
  return v < lo ? lo : (v > hi ? hi : v);
}

// ---- ONNX's float rescale, in integers (QLinearConv, QLinearMatMul).
//
// ONNX Runtime and ONNX's reference rescale a QLinear product's int32
// accumulator in float: y = round_half_even(float(acc) * M) + zp with the float
// M = scale_a * scale_b / scale_y. float_rescale gives the same integer with
// integer operations only. The compiler splits M exactly into its 24-bit
// significand and exponent (FloatMult: M = m * 2^e); then each rounding of the
// float computation is repeated on integers: float(acc) keeps 24 significant
// bits (half to even), the product m * float(acc) is exact in 64 bits and is
// rounded to 24 significant bits, and that is rounded to an integer (half to
// even). Bit-exact for every acc and every normal M; results beyond +-2^30
// saturate there (the caller adds a zero point and clamps to its type).

struct FloatMult {
  int32_t m;  // significand of M, in [2^23, 2^24); 0 for M == 0
  int32_t e;  // M = m * 2^e
};

TMLC_ALWAYS_INLINE int32_t bit_length(uint64_t u) noexcept {
  return u == 0 ? 0 : 64 - __builtin_clzll(u);
}

// u / 2^s rounded to nearest, ties to even. s in [0, 63].
TMLC_ALWAYS_INLINE uint64_t shift_right_half_even(uint64_t u, int32_t s) noexcept {
  if (s == 0) return u;
  const uint64_t q = u >> s, r = u & ((uint64_t(1) << s) - 1u), half = uint64_t(1) << (s - 1);
  return q + ((r > half || (r == half && (q & 1u))) ? 1u : 0u);
}

inline int32_t float_rescale(int32_t acc, FloatMult mult) noexcept {
  if (acc == 0 || mult.m == 0) return 0;
  uint64_t u = acc < 0 ? uint64_t(0) - uint64_t(int64_t(acc)) : uint64_t(acc);
  int32_t e = mult.e;
  int32_t n = bit_length(u);
  if (n > 24) {  // float(acc)
    u = shift_right_half_even(u, n - 24);
    e += n - 24;
  }
  u *= static_cast<uint64_t>(mult.m);  // exact: < 2^49
  n = bit_length(u);
  if (n > 24) {  // the float product
    u = shift_right_half_even(u, n - 24);
    e += n - 24;
  }
  int64_t v;
  if (e >= 0) v = e > 31 ? (int64_t(1) << 32) : static_cast<int64_t>(u << e);  // u <= 2^24: no overflow
  else v = -e > 63 ? 0 : static_cast<int64_t>(shift_right_half_even(u, -e));
  if (v > (int64_t(1) << 30)) v = int64_t(1) << 30;
  return acc < 0 ? static_cast<int32_t>(-v) : static_cast<int32_t>(v);
}

// Compile time only: the FloatMult of a float M.
inline FloatMult float_mult(float M) noexcept {
  if (!(M > 0.0f) || !std::isfinite(M)) return {0, 0};
  int e = 0;
  const float frac = std::frexp(M, &e);  // M = frac * 2^e, frac in [0.5, 1)
  return {static_cast<int32_t>(std::ldexp(frac, 24)), e - 24};
}

// ---- Boundary conversions (float in and out of the model; not integer-only).

// Round half to even, as ONNX QuantizeLinear, without relying on the FPU's
// rounding mode.
inline float round_half_even(float v) noexcept {
  const float f = std::floor(v);
  const float d = v - f;
  if (d > 0.5f) return f + 1.0f;
  if (d < 0.5f) return f;
  return std::fmod(f, 2.0f) == 0.0f ? f : f + 1.0f;
}

// ONNX QuantizeLinear: saturate(round(x / scale) + zero_point).
template <typename T>
inline T quantize_value(float x, float scale, int32_t zero_point) noexcept {
  float v = round_half_even(x / scale) + static_cast<float>(zero_point);
  constexpr float lo = static_cast<float>(sizeof(T) == 1 ? (T(-1) < T(0) ? -128 : 0) : (T(-1) < T(0) ? -32768 : 0));
  constexpr float hi =
      static_cast<float>(sizeof(T) == 1 ? (T(-1) < T(0) ? 127 : 255) : (T(-1) < T(0) ? 32767 : 65535));
  v = v < lo ? lo : (v > hi ? hi : v);  // NaN falls through to the cast below as lo
  return v == v ? static_cast<T>(v) : static_cast<T>(lo);
}

// ONNX DequantizeLinear: (q - zero_point) * scale.
template <typename T>
inline float dequantize_value(T q, float scale, int32_t zero_point) noexcept {
  return static_cast<float>(static_cast<int32_t>(q) - zero_point) * scale;
}

// ---- Compile time only (the compiler and tests; never called by a kernel).

// The fixed-point pair of a real multiplier, as TensorFlow Lite's
// QuantizeMultiplier: real = mult * 2^(shift - 31). real >= 0. Multipliers below
// 2^-32 become 0; callers reject multipliers of 2^31 or more.
inline void quantize_multiplier(double real, int32_t* mult, int32_t* shift) noexcept {
  if (!(real > 0.0)) {
    *mult = 0;
    *shift = 0;
    return;
  }
  int e = 0;
  const double frac = std::frexp(real, &e);  // real = frac * 2^e, frac in [0.5, 1)
  int64_t m = static_cast<int64_t>(std::llround(frac * 2147483648.0));
  if (m == (int64_t(1) << 31)) {
    m /= 2;
    ++e;
  }
  if (e < -31) {
    m = 0;
    e = 0;
  }
  *mult = static_cast<int32_t>(m);
  *shift = e;
}

}  // namespace q
}  // namespace tmlc
