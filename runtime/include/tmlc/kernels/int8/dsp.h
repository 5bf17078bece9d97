// dsp.h: the Cortex-M DSP-extension (ARMv7E-M: M4, M7, M33) building blocks of
// the int8 kernels, as ACLE intrinsics. Only included where __ARM_FEATURE_DSP
// is defined; the kernels pick their DSP bodies with the same macro, so one
// kernel name and signature serves every target.
//
// Packing convention ("SXTB16 order"): four int8 values x0..x3 in one word
// become two words of int16 pairs (x0, x2) and (x1, x3) — what SXTB16 and
// SXTB16 of the word rotated by 8 give. A buffer of activations expanded in
// this order pairs directly with weights unpacked the same way, so SMLAD
// (two 16x16 multiply-accumulates) needs no repacking.
#pragma once

#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>

#include "tmlc/tmlc.h"

namespace tmlc {
namespace q {
namespace dsp {

TMLC_ALWAYS_INLINE uint32_t read32(const void* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
TMLC_ALWAYS_INLINE void write32(void* p, uint32_t v) noexcept { std::memcpy(p, &v, 4); }
TMLC_ALWAYS_INLINE uint32_t ror8(uint32_t v) noexcept { return (v >> 8) | (v << 24); }
TMLC_ALWAYS_INLINE int32_t smlad(uint32_t a, uint32_t b, int32_t acc) noexcept {
  return __smlad(static_cast<int16x2_t>(a), static_cast<int16x2_t>(b), acc);
}
TMLC_ALWAYS_INLINE uint32_t sxtb16(uint32_t v) noexcept { return static_cast<uint32_t>(__sxtb16(static_cast<int8x4_t>(v))); }
// SXTB16 of the word rotated right by 8: (x1, x3). One instruction; the
// intrinsic of a rotated value would cost a separate ROR.
TMLC_ALWAYS_INLINE uint32_t sxtb16_ror8(uint32_t v) noexcept {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
}
// Two int16 pairs (four int16) from a 4-byte-aligned address in one LDRD.
TMLC_ALWAYS_INLINE void read2x32(const int16_t* p, uint32_t& a, uint32_t& b) noexcept {
  const uint32_t* q = static_cast<const uint32_t*>(__builtin_assume_aligned(p, 4));
  __asm__("ldrd %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(q) : "memory");
}
TMLC_ALWAYS_INLINE uint32_t sadd16(uint32_t a, uint32_t b) noexcept {
  return static_cast<uint32_t>(__sadd16(static_cast<int16x2_t>(a), static_cast<int16x2_t>(b)));
}

// Four int32 values clamped to [lo, hi] (a sub-range of int8; lo4 and hi4 hold
// the bound in each byte) and stored as four int8 at y (any alignment): SSAT to
// int8, packed, then per-byte max and min with SSUB8 + SEL. The same integers
// as clamping each value.
TMLC_ALWAYS_INLINE void store4_clamped(int8_t* y, int32_t v0, int32_t v1, int32_t v2, int32_t v3, uint32_t lo4,
                                       uint32_t hi4) noexcept {
  const uint32_t s02 = (static_cast<uint32_t>(__ssat(v0, 8)) & 0xFFFFu) | (static_cast<uint32_t>(__ssat(v2, 8)) << 16);
  const uint32_t s13 = (static_cast<uint32_t>(__ssat(v1, 8)) & 0xFFFFu) | (static_cast<uint32_t>(__ssat(v3, 8)) << 16);
  uint32_t word = (s02 & 0x00FF00FFu) | ((s13 & 0x00FF00FFu) << 8);
  uint32_t t;
  __asm__("ssub8 %1, %0, %2\n\tsel %0, %0, %2" : "+r"(word), "=&r"(t) : "r"(lo4) : "cc");
  __asm__("ssub8 %1, %2, %0\n\tsel %0, %0, %2" : "+r"(word), "=&r"(t) : "r"(hi4) : "cc");
  write32(y, word);
}
// Two int32 values, clamped as store4_clamped, stored as two int8 at y.
TMLC_ALWAYS_INLINE void store2_clamped(int8_t* y, int32_t v0, int32_t v1, uint32_t lo4, uint32_t hi4) noexcept {
  uint32_t word = (static_cast<uint32_t>(__ssat(v0, 8)) & 0xFFu) | ((static_cast<uint32_t>(__ssat(v1, 8)) & 0xFFu) << 8);
  uint32_t t;
  __asm__("ssub8 %1, %0, %2\n\tsel %0, %0, %2" : "+r"(word), "=&r"(t) : "r"(lo4) : "cc");
  __asm__("ssub8 %1, %2, %0\n\tsel %0, %0, %2" : "+r"(word), "=&r"(t) : "r"(hi4) : "cc");
  const uint16_t h = static_cast<uint16_t>(word);
  std::memcpy(y, &h, 2);
}
TMLC_ALWAYS_INLINE uint32_t bytes4(int32_t v) noexcept { return (static_cast<uint32_t>(v) & 0xFFu) * 0x01010101u; }

// Position of element k in SXTB16 order within the first k4 (a multiple of 4) elements.
TMLC_ALWAYS_INLINE int32_t reordered(int32_t k, int32_t k4) noexcept {
  return k < k4 ? ((k & ~3) | ((k & 1) << 1) | ((k >> 1) & 1)) : k;
}

// out[0..n) = x + offset as int16, in SXTB16 order for groups of 4 (n % 4 == 0).
TMLC_ALWAYS_INLINE void expand4(const int8_t* TMLC_RESTRICT x, int32_t n, uint32_t offset2,
                                int16_t* TMLC_RESTRICT out) noexcept {
  for (int32_t i = 0; i < n; i += 4) {
    const uint32_t v = read32(x + i);
    write32(out + i, sadd16(sxtb16(v), offset2));
    write32(out + i + 2, sadd16(sxtb16_ror8(v), offset2));
  }
}

TMLC_ALWAYS_INLINE uint32_t pair(int32_t offset) noexcept {
  return (static_cast<uint32_t>(offset) & 0xFFFFu) * 0x00010001u;
}

}  // namespace dsp
}  // namespace q
}  // namespace tmlc

#endif  // __ARM_FEATURE_DSP
