// float16.h: IEEE half and bfloat16 as storage types. Arithmetic converts to
// float and back (round to nearest even), as ONNX Runtime does on CPUs without
// native half support.
#pragma once

#include <stdint.h>
#include <string.h>

namespace tmlc {

inline float half_bits_to_float(uint16_t h) noexcept {
  uint32_t sign = (uint32_t(h) & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu, bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {
      int e = -1;
      do { mant <<= 1; ++e; } while (!(mant & 0x400u));
      bits = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112u) << 23) | (mant << 13);
  }
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

inline uint16_t float_to_half_bits(float f) noexcept {
  uint32_t x;
  memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) return uint16_t(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
  if (absx >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // overflow to inf
  if (absx < 0x38800000u) {                                  // subnormal or zero
    if (absx < 0x33000000u) return uint16_t(sign);
    uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    int shift = 113 - int(absx >> 23) + 13;
    uint32_t r = mant >> shift, rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (r & 1u))) ++r;
    return uint16_t(sign | r);
  }
  uint32_t r = ((absx - 0x38000000u) >> 13), rem = absx & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (r & 1u))) ++r;
  return uint16_t(sign | r);
}

struct float16 {
  uint16_t bits;
  float16() = default;
  constexpr explicit float16(uint16_t b, int) : bits(b) {}
  float16(float f) noexcept : bits(float_to_half_bits(f)) {}  // NOLINT: implicit like a float
  operator float() const noexcept { return half_bits_to_float(bits); }
};

struct bfloat16 {
  uint16_t bits;
  bfloat16() = default;
  constexpr explicit bfloat16(uint16_t b, int) : bits(b) {}
  bfloat16(float f) noexcept {  // NOLINT
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) {
      bits = uint16_t((x >> 16) | 0x40u);
    } else {
      x += 0x7fffu + ((x >> 16) & 1u);
      bits = uint16_t(x >> 16);
    }
  }
  operator float() const noexcept {
    uint32_t x = uint32_t(bits) << 16;
    float f;
    memcpy(&f, &x, 4);
    return f;
  }
};

}  // namespace tmlc
