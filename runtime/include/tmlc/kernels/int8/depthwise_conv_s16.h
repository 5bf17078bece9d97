// depthwise_conv_s16.h: the int16 (16x8) body of depthwise_conv2d, every core.
//
// Depth multiplier 1, channels a multiple of 4, in_offset 0 (symmetric int16
// activations) and at most 256 taps (k_h * k_w), so each channel's tap sum of
// int16 x int8 products fits int32; the int64 bias is added once per output.
// Four channels go together. With the DSP extension (__ARM_FEATURE_DSP: M4,
// M7, M33, M55) their activations are two words, their weights one word
// unpacked by SXTB16 into (w0, w2) and (w1, w3), and SMLABB / SMLATB / SMLABT /
// SMLATT pick the matching halves; elsewhere four 32-bit multiply-accumulates. The window's rows
// and columns inside the input are found once per output pixel (window_taps), as
// in the portable body, whose results these equal bit for bit.
#pragma once

#include "tmlc/kernels/int8/conv.h"

// Included by depthwise_conv.h (window_taps from window.h).

namespace tmlc {
namespace q {

inline void depthwise_conv2d_s16(const ConvParams& p, const int16_t* TMLC_RESTRICT x,
                                     const int8_t* TMLC_RESTRICT w, const int64_t* TMLC_RESTRICT bias,
                                     const int32_t* TMLC_RESTRICT mult, const int32_t* TMLC_RESTRICT shift,
                                     int16_t* TMLC_RESTRICT y) noexcept {
  const int32_t C = p.in_c;
  const int32_t xStep = p.dil_w * C, xRowStep = p.dil_h * p.in_w * C, wRowStep = p.k_w * C;
  for (int32_t n = 0; n < p.batch; ++n) {
    const int16_t* xn = x + n * p.in_h * p.in_w * C;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      int32_t khLo, khHi;
      window_taps(ih0, p.k_h, p.dil_h, p.in_h, khLo, khHi);
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        int32_t kwLo, kwHi;
        window_taps(iw0, p.k_w, p.dil_w, p.in_w, kwLo, kwHi);
        int16_t* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * C;
        const int16_t* x0 = xn + ((ih0 + khLo * p.dil_h) * p.in_w + iw0 + kwLo * p.dil_w) * C;
        const int8_t* w0 = w + (khLo * p.k_w + kwLo) * C;
        for (int32_t c = 0; c < C; c += 4) {
          int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          const int16_t* xrow = x0 + c;
          const int8_t* wrow = w0 + c;
          for (int32_t kh = khLo; kh < khHi; ++kh, xrow += xRowStep, wrow += wRowStep) {
            const int16_t* xp = xrow;
            const int8_t* wp = wrow;
            for (int32_t kw = kwLo; kw < kwHi; ++kw, xp += xStep, wp += C) {
#if defined(__ARM_FEATURE_DSP)
              const uint32_t x01 = dsp::read32(xp), x23 = dsp::read32(xp + 2);
              const uint32_t wv = dsp::read32(wp);
              const int32_t w02 = static_cast<int32_t>(dsp::sxtb16(wv));
              const int32_t w13 = static_cast<int32_t>(dsp::sxtb16_ror8(wv));
              a0 = __smlabb(static_cast<int32_t>(x01), w02, a0);
              a1 = __smlatb(static_cast<int32_t>(x01), w13, a1);
              a2 = __smlabt(static_cast<int32_t>(x23), w02, a2);
              a3 = __smlatt(static_cast<int32_t>(x23), w13, a3);
#else
              a0 += static_cast<int32_t>(xp[0]) * wp[0];
              a1 += static_cast<int32_t>(xp[1]) * wp[1];
              a2 += static_cast<int32_t>(xp[2]) * wp[2];
              a3 += static_cast<int32_t>(xp[3]) * wp[3];
#endif
            }
          }
          const int32_t a[4] = {a0, a1, a2, a3};
          for (int32_t k = 0; k < 4; ++k)
            yp[c + k] = requantize<int16_t>((bias ? bias[c + k] : int64_t(0)) + a[k], mult[c + k], shift[c + k],
                                            p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc
