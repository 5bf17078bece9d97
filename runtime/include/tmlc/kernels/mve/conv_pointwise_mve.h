// conv_pointwise_mve.h: the Helium (MVE with floating point: Cortex-M55) body of
// the float32 pointwise convolution (conv.h's conv_pointwise: 1x1 kernel, stride
// 1, no padding, group 1, channels first). Defines TMLC_MVE_F32 where the
// compiler targets floating-point MVE (__ARM_FEATURE_MVE bit 1).
//
// y[oc][i] = bias[oc] + sum over ic of w[oc][ic] * x[ic][i]: two output channels
// by eight neighbouring pixels, two vector loads of x and two scalar weights per
// input channel feeding four VFMA (vector by scalar) accumulators; a last group
// of fewer than eight pixels uses predicated (zeroing) loads and stores, an odd
// last channel a one-channel loop. The sums are fused multiply-adds, so they may
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

// Output channels [0, kRows) (kRows 1 or 2; w and b point at the first) of
// pixels [i, i + 8): two vectors of four, pr0 and pr1 the valid lanes when kTail.
template <int kRows, bool kTail>
TMLC_ALWAYS_INLINE void pointwise_block(const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w, int32_t in_c,
                                        int32_t sp, const float* b, Activation act, float* TMLC_RESTRICT y,
                                        int32_t i) noexcept {
  const int32_t left = sp - i;
  const mve_pred16_t pr0 = vctp32q(static_cast<uint32_t>(left));
  const mve_pred16_t pr1 = vctp32q(static_cast<uint32_t>(left > 4 ? left - 4 : 0));
  float32x4_t a0 = vdupq_n_f32(b ? b[0] : 0.0f), a1 = a0;
  float32x4_t c0 = vdupq_n_f32(kRows == 2 && b ? b[1] : 0.0f), c1 = c0;
  const float* xi = x + i;
  const float* w1 = kRows == 2 ? w + in_c : w;
  for (int32_t ic = 0; ic < in_c; ++ic, xi += sp) {
    const float32x4_t x0 = kTail ? vldrwq_z_f32(xi, pr0) : vldrwq_f32(xi);
    const float32x4_t x1 = kTail ? vldrwq_z_f32(xi + 4, pr1) : vldrwq_f32(xi + 4);
    const float wa = w[ic];
    a0 = vfmaq_n_f32(a0, x0, wa);
    a1 = vfmaq_n_f32(a1, x1, wa);
    if constexpr (kRows == 2) {
      const float wb = w1[ic];
      c0 = vfmaq_n_f32(c0, x0, wb);
      c1 = vfmaq_n_f32(c1, x1, wb);
    }
  }
  if constexpr (kTail) {
    vstrwq_p_f32(y + i, activate_f32(act, a0), pr0);
    vstrwq_p_f32(y + i + 4, activate_f32(act, a1), pr1);
    if constexpr (kRows == 2) {
      vstrwq_p_f32(y + sp + i, activate_f32(act, c0), pr0);
      vstrwq_p_f32(y + sp + i + 4, activate_f32(act, c1), pr1);
    }
  } else {
    vstrwq_f32(y + i, activate_f32(act, a0));
    vstrwq_f32(y + i + 4, activate_f32(act, a1));
    if constexpr (kRows == 2) {
      vstrwq_f32(y + sp + i, activate_f32(act, c0));
      vstrwq_f32(y + sp + i + 4, activate_f32(act, c1));
    }
  }
}

template <int kRows>
TMLC_ALWAYS_INLINE void pointwise_rows(const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w, int32_t in_c,
                                       int32_t sp, const float* b, Activation act, float* TMLC_RESTRICT y) noexcept {
  int32_t i = 0;
  for (; i + 8 <= sp; i += 8) pointwise_block<kRows, false>(x, w, in_c, sp, b, act, y, i);
  if (i < sp) pointwise_block<kRows, true>(x, w, in_c, sp, b, act, y, i);
}

inline void conv_pointwise_f32(int32_t batch, int32_t in_c, int32_t out_c, int32_t sp, const Activation& activation,
                               const float* TMLC_RESTRICT x, const float* TMLC_RESTRICT w,
                               const float* TMLC_RESTRICT bias, float* TMLC_RESTRICT y) noexcept {
  const Activation act = activation;
  for (int32_t n = 0; n < batch; ++n) {
    const float* xn = x + n * in_c * sp;
    float* yn = y + n * out_c * sp;
    int32_t oc = 0;
    for (; oc + 2 <= out_c; oc += 2)
      pointwise_rows<2>(xn, w + oc * in_c, in_c, sp, bias ? bias + oc : nullptr, act, yn + oc * sp);
    if (oc < out_c) pointwise_rows<1>(xn, w + oc * in_c, in_c, sp, bias ? bias + oc : nullptr, act, yn + oc * sp);
    if (!activation_is_vector(act))
      for (int32_t k = 0; k < out_c * sp; ++k) yn[k] = activate(act, yn[k]);
  }
}

}  // namespace mve
}  // namespace tmlc

#endif  // __ARM_FEATURE_MVE & 2
