// pool_mve.h: the Helium bodies of int8 max and average pooling (see pool.h for
// the contract; results equal the portable bodies bit for bit).
//
// max_pool_mve: sixteen channels per VMAX.S8 over the window's taps.
// avg_pool_mve: four channels per vector of int32 lanes (VLDRB.S32 widens, VADD
// sums the window); the division by the tap count or the rescale, and the clamp,
// then run per channel with pool.h's own avg_pool_output (there is no vector
// division, and rounding_divide must round exactly as on the host).
#pragma once

#include "tmlc/kernels/int8/mve/mve.h"

#if defined(TMLC_MVE_INT8)

namespace tmlc {
namespace q {
namespace mve {

inline void max_pool_mve(const PoolParams& p, const int8_t* TMLC_RESTRICT x, int8_t* TMLC_RESTRICT y) noexcept {
  const int8x16_t lo = vdupq_n_s8(static_cast<int8_t>(p.act_min)), hi = vdupq_n_s8(static_cast<int8_t>(p.act_max));
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t h0 = oh * p.stride_h - p.pad_top;
      const int32_t hs = h0 < 0 ? 0 : h0, he = h0 + p.k_h > p.in_h ? p.in_h : h0 + p.k_h;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t w0 = ow * p.stride_w - p.pad_left;
        const int32_t ws = w0 < 0 ? 0 : w0, we = w0 + p.k_w > p.in_w ? p.in_w : w0 + p.k_w;
        int8_t* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.c;
        for (int32_t c = 0; c < p.c; c += 16) {
          const mve_pred16_t pr = vctp8q(static_cast<uint32_t>(p.c - c));
          int8x16_t m = lo;
          for (int32_t ih = hs; ih < he; ++ih)
            for (int32_t iw = ws; iw < we; ++iw)
              m = vmaxq_s8(m, vldrbq_z_s8(x + ((n * p.in_h + ih) * p.in_w + iw) * p.c + c, pr));
          vstrbq_p_s8(yp + c, vminq_s8(m, hi), pr);
        }
      }
    }
  }
}

inline void avg_pool_mve(const PoolParams& p, const int8_t* TMLC_RESTRICT x, int8_t* TMLC_RESTRICT y,
                         const int32_t* count_mult, const int32_t* count_shift) noexcept {
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t h0 = oh * p.stride_h - p.pad_top;
      const int32_t hs = h0 < 0 ? 0 : h0, he = h0 + p.k_h > p.in_h ? p.in_h : h0 + p.k_h;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t w0 = ow * p.stride_w - p.pad_left;
        const int32_t ws = w0 < 0 ? 0 : w0, we = w0 + p.k_w > p.in_w ? p.in_w : w0 + p.k_w;
        int32_t valid, count;
        avg_pool_counts(p, h0, w0, hs, he, ws, we, valid, count);
        int8_t* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.c;
        const int8_t* xw = x + ((n * p.in_h + hs) * p.in_w + ws) * p.c;
        for (int32_t c = 0; c < p.c; c += 4) {
          const mve_pred16_t pr = vctp32q(static_cast<uint32_t>(p.c - c));
          int32x4_t s = vdupq_n_s32(0);
          for (int32_t ih = hs; ih < he; ++ih) {
            const int8_t* xp = xw + (ih - hs) * p.in_w * p.c + c;
            for (int32_t iw = ws; iw < we; ++iw, xp += p.c) s = vaddq_s32(s, vldrbq_z_s32(xp, pr));
          }
          int32_t sums[4];
          vstrwq_s32(sums, s);
          const int32_t lanes = p.c - c < 4 ? p.c - c : 4;
          for (int32_t l = 0; l < lanes; ++l)
            yp[c + l] = static_cast<int8_t>(avg_pool_output(p, sums[l], valid, count, count_mult, count_shift));
        }
      }
    }
  }
}

}  // namespace mve
}  // namespace q
}  // namespace tmlc

#endif  // TMLC_MVE_INT8
