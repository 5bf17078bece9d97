// mve.h: the Helium (M-profile Vector Extension, integer MVE: Cortex-M55) building
// blocks of the int8 kernels, as ACLE intrinsics from <arm_mve.h>. Defines
// TMLC_MVE_INT8 where the compiler targets integer MVE (__ARM_FEATURE_MVE bit 0,
// gcc and clang with -mcpu=cortex-m55); the int8 kernels pick their bodies in
// mve/*.h with that macro, before the DSP ones, so one kernel name and signature
// serves every target.
//
// Requantization is requantize.h's multiply_by_quantized_multiplier on four
// int32 lanes, bit for bit:
//   - x * 2^left, saturating (left = max(shift, 0)): VQSHL, as the scalar clamp;
//   - sat_rounding_doubling_high_mul: VQRDMULH.S32 computes
//     sat((2ab + 2^31) >> 32) = sat(floor((ab + 2^30) / 2^31)), the same
//     rounding (ties toward +infinity) and the same single saturating case;
//   - rounding_divide_by_pot (ties away from zero): VRSHL by -right rounds ties
//     toward +infinity, so negative values first get -1 (saturating add, as
//     CMSIS-NN's arm_divide_by_power_of_two_mve). For x = q*2^e + r (0 <= r < 2^e)
//     floor((x - 1 + 2^(e-1)) / 2^e) = q + (r > 2^(e-1)), which is gemmlowp's
//     rounding of a negative x; INT32_MIN saturates to itself and gives
//     -2^(31-e) either way. The fixup is 0 when right == 0 (no sign bit in -0).
#pragma once

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#define TMLC_MVE_INT8 1
#include <arm_mve.h>

#include "tmlc/tmlc.h"

namespace tmlc {
namespace q {
namespace mve {

// Per-lane multipliers and shifts (four output channels).
TMLC_ALWAYS_INLINE int32x4_t multiply_by_quantized_multiplier(int32x4_t x, int32x4_t mult, int32x4_t shift) noexcept {
  const int32x4_t zero = vdupq_n_s32(0);
  const int32x4_t left = vmaxq_s32(shift, zero);
  const int32x4_t neg_right = vminq_s32(shift, zero);  // -right
  int32x4_t v = vqrdmulhq_s32(vqshlq_s32(x, left), mult);
  v = vqaddq_s32(v, vshrq_n_s32(vandq_s32(v, neg_right), 31));
  return vrshlq_s32(v, neg_right);
}

// One multiplier and shift for the four lanes (four pixels of one channel).
TMLC_ALWAYS_INLINE int32x4_t multiply_by_quantized_multiplier(int32x4_t x, int32_t mult, int32_t shift) noexcept {
  const int32_t left = shift > 0 ? shift : 0, neg_right = shift < 0 ? shift : 0;
  int32x4_t v = vqrdmulhq_n_s32(vqshlq_r_s32(x, left), mult);
  v = vqaddq_s32(v, vshrq_n_s32(vandq_s32(v, vdupq_n_s32(neg_right)), 31));
  return vrshlq_n_s32(v, neg_right);
}

// requantize.h's requantize<int8_t> on four lanes, as int32 (store with VSTRB.32).
template <typename M, typename S>
TMLC_ALWAYS_INLINE int32x4_t requantize(int32x4_t acc, M mult, S shift, int32_t out_zp, int32_t act_min,
                                        int32_t act_max) noexcept {
  int32x4_t v = vaddq_n_s32(multiply_by_quantized_multiplier(acc, mult, shift), out_zp);
  v = vmaxq_s32(v, vdupq_n_s32(act_min));
  return vminq_s32(v, vdupq_n_s32(act_max));
}

}  // namespace mve
}  // namespace q
}  // namespace tmlc

#endif  // __ARM_FEATURE_MVE & 1
