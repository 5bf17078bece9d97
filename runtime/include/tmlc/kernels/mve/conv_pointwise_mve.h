// conv_pointwise_mve.h: the Helium (MVE with floating point: Cortex-M55) body of
// the float32 pointwise convolution (conv.h's conv_pointwise: 1x1 kernel, stride
// 1, no padding, group 1, channels first). Defines TMLC_MVE_F32 where the
// compiler targets floating-point MVE (__ARM_FEATURE_MVE bit 1).
//
// y[oc][i] = bias[oc] + sum over ic of w[oc][ic] * x[ic][i]: four output channels
// by four neighbouring pixels, one vector load of x per input channel feeding
// four VFMA (vector by scalar weight) accumulators; a last group of fewer than
// four pixels uses predicated (zeroing) loads and stores, fewer than four
// channels a one-channel loop. The sums are fused multiply-adds, so they may
// differ from the portable body in the last bits (float outputs are compared
// with a tolerance). Relu and Clip are applied as vector selects with the
// portable comparisons (a NaN passes through as there); other activations are
// applied per element after the store.
#pragma once

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#define TMLC_MVE_F32 1
#include <arm_mve.h>

#include "tmlc/tmlc.h"

namespace tmlc {
namespace mve {

// The activation of four lanes, or none when it must run per element (after).
TMLC_ALWAYS_INLINE float32x4_t activate_f32(const Activation& a, float32x4_t v) noexcept {
  switch (a.kind) {
    case Act::Relu: {
      const float32x4_t zero = vdupq_n_f32(0.0f);
      return vpselq_f32(zero, v, vcmpltq_f32(v, zero));
    }
    case Act::Clip: {
      const float32x4_t lo = vdupq_n_f32(a.alpha), hi = vdupq_n_f32(a.beta);
      v = vpselq_f32(hi, v, vcmpgtq_f32(v, hi));
      return vpselq_f32(lo, v, vcmpltq_f32(v, lo));
    }
    default: return v;
  }
}

TMLC_ALWAYS_INLINE bool activation_is_vector(const Activation& a) noexcept {
  return a.kind == Act::None || a.kind == Act::Relu || a.kind == Act::Clip;
}

// Output channels [0, kRows) (kRows 1 or 4; w and b point at the first) of
// pixels [i, i + 4) (pr: the valid ones).
template <int kRows>
TMLC_ALWAYS_INLINE void pointwise_block(const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w, int32_t in_c,
                                        int32_t sp, const float* b, const Activation& act, float* TMLC_RESTRICT y,
                                        int32_t i, mve_pred16_t pr) noexcept {
  float32x4_t a0 = vdupq_n_f32(b ? b[0] : 0.0f), a1 = a0, a2 = a0, a3 = a0;
  if constexpr (kRows == 4) {
    a1 = vdupq_n_f32(b ? b[1] : 0.0f);
    a2 = vdupq_n_f32(b ? b[2] : 0.0f);
    a3 = vdupq_n_f32(b ? b[3] : 0.0f);
  }
  const float* xi = x + i;
  const float* w1 = kRows == 4 ? w + in_c : w;
  const float* w2 = kRows == 4 ? w + 2 * in_c : w;
  const float* w3 = kRows == 4 ? w + 3 * in_c : w;
  for (int32_t ic = 0; ic < in_c; ++ic, xi += sp) {
    const float32x4_t xv = vldrwq_z_f32(xi, pr);
    a0 = vfmaq_n_f32(a0, xv, w[ic]);
    if constexpr (kRows == 4) {
      a1 = vfmaq_n_f32(a1, xv, w1[ic]);
      a2 = vfmaq_n_f32(a2, xv, w2[ic]);
      a3 = vfmaq_n_f32(a3, xv, w3[ic]);
    }
  }
  vstrwq_p_f32(y + i, activate_f32(act, a0), pr);
  if constexpr (kRows == 4) {
    vstrwq_p_f32(y + sp + i, activate_f32(act, a1), pr);
    vstrwq_p_f32(y + 2 * sp + i, activate_f32(act, a2), pr);
    vstrwq_p_f32(y + 3 * sp + i, activate_f32(act, a3), pr);
  }
}

inline void conv_pointwise_f32(int32_t batch, int32_t in_c, int32_t out_c, int32_t sp, const Activation& act,
                               const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w,
                               const float* TMLC_RESTRICT bias, float* TMLC_RESTRICT y) noexcept {
  for (int32_t n = 0; n < batch; ++n) {
    const float* xn = x + n * in_c * sp;
    float* yn = y + n * out_c * sp;
    int32_t oc = 0;
    for (; oc + 4 <= out_c; oc += 4)
      for (int32_t i = 0; i < sp; i += 4)
        pointwise_block<4>(xn, w + oc * in_c, in_c, sp, bias ? bias + oc : nullptr, act, yn + oc * sp, i,
                           vctp32q(static_cast<uint32_t>(sp - i)));
    for (; oc < out_c; ++oc)
      for (int32_t i = 0; i < sp; i += 4)
        pointwise_block<1>(xn, w + oc * in_c, in_c, sp, bias ? bias + oc : nullptr, act, yn + oc * sp, i,
                           vctp32q(static_cast<uint32_t>(sp - i)));
    if (!activation_is_vector(act))
      for (int32_t k = 0; k < out_c * sp; ++k) yn[k] = activate(act, yn[k]);
  }
}

}  // namespace mve
}  // namespace tmlc

#endif  // __ARM_FEATURE_MVE & 2
