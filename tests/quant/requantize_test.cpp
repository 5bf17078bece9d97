// requantize_test.cpp: runtime/include/tmlc/kernels/int8/requantize.h against
// reference formulas written independently here with 128-bit integers:
//   sat_rounding_doubling_high_mul(a, b) = floor((a*b + 2^30) / 2^31), saturated
//   rounding_divide_by_pot(x, e)         = sign(x) * floor((|x| + 2^(e-1)) / 2^e)
//   multiply_by_quantized_multiplier     = the two composed, after x * 2^shift for shift > 0
//   multiply_by_quantized_multiplier(int64 x) = floor((x * r + 2^(14-shift)) / 2^(15-shift)),
//     r = round(mult / 2^16) (TensorFlow Lite's 16x8 form), saturated to int32
//   float_rescale(acc, float_mult(M))    = round_half_even(float(acc) * M) in host floats
// plus the int16 table lookup (lut.h) against exact interpolation,
// quantize_multiplier's accuracy, rounding_divide, rounding_divide_half_even (against
// nearbyint of the exact quotient) and the boundary
// conversions (ONNX QuantizeLinear's round-half-to-even and saturation).
// Bit-exact over edge cases and a million pseudo-random inputs.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <initializer_list>

#include "tmlc/kernels/int8/lut.h"
#include "tmlc/kernels/int8/requantize.h"

namespace {

int g_failed = 0, g_passed = 0;

#define CHECK_EQ(a, b, ...)                                                  \
  do {                                                                       \
    const long long va = static_cast<long long>(a), vb = static_cast<long long>(b); \
    if (va != vb) {                                                          \
      if (++g_failed < 20) {                                                 \
        std::printf("FAIL %s:%d: %lld != %lld: ", __FILE__, __LINE__, va, vb); \
        std::printf(__VA_ARGS__);                                            \
        std::printf("\n");                                                   \
      }                                                                      \
    } else {                                                                 \
      ++g_passed;                                                            \
    }                                                                        \
  } while (0)

using i128 = __int128;

i128 floorDiv(i128 a, i128 b) {  // b > 0
  i128 q = a / b;
  if ((a % b) != 0 && a < 0) --q;
  return q;
}

int32_t refHighMul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return static_cast<int32_t>(floorDiv(static_cast<i128>(a) * b + (i128(1) << 30), i128(1) << 31));
}

int32_t refDivPot(int32_t x, int e) {
  if (e == 0) return x;
  i128 m = x < 0 ? -static_cast<i128>(x) : static_cast<i128>(x);
  i128 r = (m + (i128(1) << (e - 1))) >> e;
  return static_cast<int32_t>(x < 0 ? -r : r);
}

int32_t refMbqm(int32_t x, int32_t mult, int shift) {
  i128 v = x;
  if (shift > 0) {
    v = v * (i128(1) << shift);
    if (v > INT32_MAX) v = INT32_MAX;
    if (v < INT32_MIN) v = INT32_MIN;
  }
  return refDivPot(refHighMul(static_cast<int32_t>(v), mult), shift > 0 ? 0 : -shift);
}

int32_t refMbqm64(int64_t x, int32_t mult, int shift) {
  const i128 r = mult >= 0x7FFF0000 ? 0x7FFF : (static_cast<i128>(mult) + (1 << 15)) / (1 << 16);
  const i128 v = floorDiv(static_cast<i128>(x) * r + (i128(1) << (14 - shift)), i128(1) << (15 - shift));
  return static_cast<int32_t>(v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : v));
}

uint64_t g_state = 0x9E3779B97F4A7C15ull;
uint32_t next() {
  g_state ^= g_state << 13;
  g_state ^= g_state >> 7;
  g_state ^= g_state << 17;
  return static_cast<uint32_t>(g_state >> 16);
}

}  // namespace

int main() {
  using namespace tmlc::q;
  const int32_t edges[] = {0, 1, -1, 2, -2, 127, -128, 255, -255, (1 << 30), -(1 << 30), (1 << 30) + 1,
                           -(1 << 30) - 1, INT32_MAX, INT32_MIN, INT32_MIN + 1, 1 << 20, -(1 << 20), 12345, -12345};
  for (int32_t a : edges)
    for (int32_t b : edges) CHECK_EQ(sat_rounding_doubling_high_mul(a, b), refHighMul(a, b), "srdhm(%d, %d)", a, b);
  for (int32_t x : edges)
    for (int32_t m : {0, 1, 1 << 30, INT32_MAX})
      for (int s = -31; s <= 0; ++s) CHECK_EQ(multiply_by_quantized_multiplier(x, m, s), refMbqm(x, m, s), "mbqm(%d, %d, %d)", x, m, s);
  for (int32_t x : edges)
    for (int e = 0; e <= 31; ++e) CHECK_EQ(rounding_divide_by_pot(x, e), refDivPot(x, e), "rdbpot(%d, %d)", x, e);
  // Exact ties of both roundings.
  CHECK_EQ(sat_rounding_doubling_high_mul(1 << 15, 1 << 15), 1, "tie +0.5 rounds up");
  CHECK_EQ(sat_rounding_doubling_high_mul(-(1 << 15), 1 << 15), 0, "tie -0.5 rounds up");
  CHECK_EQ(rounding_divide_by_pot(3, 1), 2, "1.5 -> 2");
  CHECK_EQ(rounding_divide_by_pot(-3, 1), -2, "-1.5 -> -2");
  CHECK_EQ(rounding_divide_by_pot(-5, 2), -1, "-1.25 -> -1");

  for (int i = 0; i < 1000000; ++i) {
    const int32_t x = static_cast<int32_t>(next()) >> (next() % 24);
    const int32_t mult = static_cast<int32_t>((1u << 30) + (next() & 0x3FFFFFFFu));
    const int shift = static_cast<int>(next() % 40) - 31;  // [-31, 8]
    CHECK_EQ(multiply_by_quantized_multiplier(x, mult, shift), refMbqm(x, mult, shift), "mbqm(%d, %d, %d)", x, mult,
             shift);
    // Any multiplier in [0, 2^31), full-range accumulators (the one-step form of shift < 0).
    const int32_t xa = static_cast<int32_t>(next()), ma = static_cast<int32_t>(next() & 0x7FFFFFFFu) >> (next() % 31);
    CHECK_EQ(multiply_by_quantized_multiplier(xa, ma, shift), refMbqm(xa, ma, shift), "mbqm(%d, %d, %d)", xa, ma, shift);
    const int32_t a = static_cast<int32_t>(next()), b = static_cast<int32_t>(next());
    CHECK_EQ(sat_rounding_doubling_high_mul(a, b), refHighMul(a, b), "srdhm(%d, %d)", a, b);
  }

  // 16x8: the int64 accumulator form, x in [-2^47, 2^47), shift in [-31, 7].
  for (int i = 0; i < 1000000; ++i) {
    const int64_t x = static_cast<int64_t>((static_cast<uint64_t>(next()) << 32) | next()) >> (16 + next() % 40);
    const int32_t mult = static_cast<int32_t>((1u << 30) + (next() & 0x3FFFFFFFu));
    const int shift = static_cast<int>(next() % 39) - 31;
    CHECK_EQ(multiply_by_quantized_multiplier(x, mult, shift), refMbqm64(x, mult, shift), "mbqm64(%lld, %d, %d)",
             static_cast<long long>(x), mult, shift);
  }
  CHECK_EQ(multiply_by_quantized_multiplier(int64_t(3), 1 << 30, 0), 2, "1.5 -> 2 (half up)");
  CHECK_EQ(multiply_by_quantized_multiplier(int64_t(-3), 1 << 30, 0), -1, "-1.5 -> -1 (half up)");
  CHECK_EQ(multiply_by_quantized_multiplier(int64_t(1) << 46, 0x7FFFFFFF, 7), INT32_MAX, "saturates");
  CHECK_EQ(requantize<int16_t>(int64_t(1) << 40, 1 << 30, 0, 0, -32768, 32767), 32767, "int16 clamp high");
  CHECK_EQ(requantize<int16_t>(int64_t(-1001), 1 << 30, 0, 0, 0, 32767), 0, "int16 relu range");

  // int16 table lookup: exact at every 128th input, linear in between
  // (rounded half up), over every input value.
  {
    int16_t table[513];
    for (int i = 0; i < 513; ++i) table[i] = static_cast<int16_t>((i * 97) % 2001 - 1000);
    for (int32_t x = -32768; x <= 32767; ++x) {
      const int32_t i = (x + 32768) / 128, f = (x + 32768) % 128;
      const int32_t want = table[i] + static_cast<int32_t>(floorDiv((table[i + 1] - table[i]) * f + 64, 128));
      CHECK_EQ(lut_one(static_cast<int16_t>(x), table), want, "lut16(%d)", x);
    }
  }

  // quantize_multiplier: mult in [2^30, 2^31) and |mult * 2^(shift-31) - real| <= 2^(shift-32).
  for (int i = 0; i < 100000; ++i) {
    const double real = std::ldexp(1.0 + (next() & 0xFFFFF) / double(1 << 20), static_cast<int>(next() % 40) - 32);
    int32_t m = 0, s = 0;
    quantize_multiplier(real, &m, &s);
    CHECK_EQ(m >= (1 << 30), 1, "mult %d of %g below 2^30", m, real);
    const double back = std::ldexp(static_cast<double>(m), s - 31);
    CHECK_EQ(std::fabs(back - real) <= std::ldexp(1.0, s - 32), 1, "real %.17g -> %d, %d", real, m, s);
    // The composed result stays within one unit of the exact product.
    const int32_t x = static_cast<int32_t>(next()) >> 12;
    if (real < 64) {
      const double exact = x * real;
      CHECK_EQ(std::fabs(multiply_by_quantized_multiplier(x, m, s) - exact) <= 1.0, 1, "x %d real %.17g", x, real);
    }
  }
  {
    int32_t m = 0, s = 0;
    quantize_multiplier(0.0, &m, &s);
    CHECK_EQ(m, 0, "zero multiplier");
    quantize_multiplier(0.5, &m, &s);
    CHECK_EQ(m, 1 << 30, "0.5 mult");
    CHECK_EQ(s, 0, "0.5 shift");
    quantize_multiplier(1.0 - 1e-12, &m, &s);  // rounds up to 2^31: renormalized
    CHECK_EQ(m, 1 << 30, "~1 mult");
    CHECK_EQ(s, 1, "~1 shift");
  }

  // requantize clamps after adding the zero point.
  CHECK_EQ(requantize<int8_t>(1000, 1 << 30, 0, 0, -128, 127), 127, "clamp high");
  CHECK_EQ(requantize<int8_t>(-1000, 1 << 30, 0, 10, -128, 127), -128, "clamp low");
  CHECK_EQ(requantize<int8_t>(5, 1 << 30, 0, -128, -128, 127), -125, "2.5 -> 3, zp");
  CHECK_EQ(requantize<int8_t>(-100, 1 << 30, 0, 0, 0, 127), 0, "relu range");

  // rounding_divide: ties away from zero.
  CHECK_EQ(rounding_divide(int32_t(5), int32_t(2)), 3, "2.5");
  CHECK_EQ(rounding_divide(int32_t(-5), int32_t(2)), -3, "-2.5");
  CHECK_EQ(rounding_divide(int32_t(7), int32_t(3)), 2, "2.33");
  CHECK_EQ(rounding_divide(int64_t(-8), int64_t(3)), -3, "-2.67");

  // rounding_divide_half_even: ties to even, against nearbyint of the exact
  // quotient (every quotient here is exact in double).
  for (int32_t den = 1; den <= 64; ++den)
    for (int32_t num = -4000; num <= 4000; ++num)
      CHECK_EQ(rounding_divide_half_even(num, den), static_cast<int32_t>(std::nearbyint(double(num) / den)),
               "rdhe(%d, %d)", num, den);
  CHECK_EQ(rounding_divide_half_even(5, 2), 2, "2.5 -> 2");
  CHECK_EQ(rounding_divide_half_even(-5, 2), -2, "-2.5 -> -2");
  CHECK_EQ(rounding_divide_half_even(-3, 2), -2, "-1.5 -> -2");

  // float_rescale against the float computation it replaces (ONNX's QLinear
  // rescale, round_half_even(float(acc) * M)), on this host's IEEE floats:
  // accumulators of every size (beyond 2^24 float(acc) rounds), multipliers
  // from 2^-30 to 2^6, and the products that land exactly on halves.
  for (int i = 0; i < 1000000; ++i) {
    const int32_t acc = static_cast<int32_t>(next()) >> (next() % 31);
    const float M = std::ldexp(static_cast<float>(next() % (1u << 24)) / 16777216.0f + 0.5f,
                               static_cast<int>(next() % 37) - 30);
    const float ref = round_half_even(static_cast<float>(acc) * M);
    if (std::fabs(ref) < 1073741824.0f)
      CHECK_EQ(float_rescale(acc, float_mult(M)), static_cast<int32_t>(ref), "float_rescale(%d, %a)", acc, M);
  }
  for (int32_t acc = -4096; acc <= 4096; ++acc)
    for (float M : {0.5f, 0.25f, 0.125f, 1.0f / 1024, 0.75f, 0.375f, 3.0f, 1e-3f})
      CHECK_EQ(float_rescale(acc, float_mult(M)), static_cast<int32_t>(round_half_even(static_cast<float>(acc) * M)),
               "float_rescale(%d, %a)", acc, M);
  CHECK_EQ(float_rescale(3, float_mult(0.5f)), 2, "1.5 -> 2");
  CHECK_EQ(float_rescale(5, float_mult(0.5f)), 2, "2.5 -> 2");
  CHECK_EQ(float_rescale(-5, float_mult(0.5f)), -2, "-2.5 -> -2");
  CHECK_EQ(float_rescale(16777217, float_mult(1.0f)), 16777216, "float(2^24 + 1)");
  CHECK_EQ(float_rescale(100, float_mult(0.0f)), 0, "M = 0");

  // Boundary: ONNX QuantizeLinear (round half to even, saturate) and DequantizeLinear.
  CHECK_EQ(quantize_value<int8_t>(0.5f, 1.0f, 0), 0, "0.5 -> 0");
  CHECK_EQ(quantize_value<int8_t>(1.5f, 1.0f, 0), 2, "1.5 -> 2");
  CHECK_EQ(quantize_value<int8_t>(-2.5f, 1.0f, 0), -2, "-2.5 -> -2");
  CHECK_EQ(quantize_value<int8_t>(1000.0f, 0.5f, 3), 127, "saturate");
  CHECK_EQ(quantize_value<int8_t>(-1000.0f, 0.5f, 3), -128, "saturate low");
  CHECK_EQ(quantize_value<int8_t>(NAN, 0.5f, 3), -128, "NaN");
  CHECK_EQ(quantize_value<int16_t>(40000.0f, 1.0f, 0), 32767, "int16 saturate");
  CHECK_EQ(dequantize_value<int8_t>(-128, 0.25f, -128) == 0.0f, 1, "dequantize zp");
  CHECK_EQ(dequantize_value<int8_t>(10, 0.5f, 2) == 4.0f, 1, "dequantize");

  std::printf("requantize: %d passed, %d failed\n", g_passed, g_failed);
  return g_failed ? 1 : 0;
}
