// depthwise_conv.h: quantized depthwise 2-D convolution, NHWC.
//
//   x [batch, in_h, in_w, in_c]              T
//   w [k_h, k_w, out_c]                      int8_t, out_c = in_c * depth_multiplier;
//                                            channel innermost, so neighbouring
//                                            channels are neighbours in memory
//   bias, mult, shift [out_c]                as in conv.h
//   y [batch, out_h, out_w, out_c]           T
// Output channel oc reads input channel oc / depth_multiplier. Parameters are
// conv.h's ConvParams with group == in_c.
//
// The window's rows and columns inside the input are found once per output
// pixel, so the tap loops carry no bounds checks. With the DSP extension, int8
// and multiplier 1, four channels go together: one word of activations and one
// of weights unpack with SXTB16 and feed SMLABB/SMLATT (same results bit for bit).
// int16 activations on DSP cores take depthwise_conv_s16.h's body.
#pragma once

#include <type_traits>

#include "tmlc/kernels/int8/conv.h"

namespace tmlc {
namespace q {

// First and one-past-last kernel index whose tap lands inside [0, size).
TMLC_ALWAYS_INLINE void tap_range(int32_t start, int32_t k, int32_t dil, int32_t size, int32_t& lo,
                                  int32_t& hi) noexcept {
  lo = 0;
  while (lo < k && start + lo * dil < 0) ++lo;
  hi = k;
  while (hi > lo && start + (hi - 1) * dil >= size) --hi;
}

template <typename T>
inline void depthwise_conv2d_portable(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                                      const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                      const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
  const int32_t dm = p.out_c / p.in_c;
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.in_h * p.in_w * p.in_c;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      int32_t khLo, khHi;
      tap_range(ih0, p.k_h, p.dil_h, p.in_h, khLo, khHi);
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        int32_t kwLo, kwHi;
        tap_range(iw0, p.k_w, p.dil_w, p.in_w, kwLo, kwHi);
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.out_c;
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          const int32_t ic = oc / dm;
          bias_t<T> acc = bias ? bias[oc] : 0;
          for (int32_t kh = khLo; kh < khHi; ++kh) {
            const T* xr = xn + (ih0 + kh * p.dil_h) * p.in_w * p.in_c + ic;
            const int8_t* wr = w + kh * p.k_w * p.out_c + oc;
            for (int32_t kw = kwLo; kw < kwHi; ++kw)
              acc += (static_cast<int32_t>(xr[(iw0 + kw * p.dil_w) * p.in_c]) + p.in_offset) *
                     static_cast<int32_t>(wr[kw * p.out_c]);  // int32 product, bias_t<T> sum
          }
          yp[oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}

#if defined(__ARM_FEATURE_DSP)
// int8, depth multiplier 1, channels a multiple of 4.
inline void depthwise_conv2d_dsp(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                                 const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                 const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y) noexcept {
  const int32_t C = p.in_c;
  const uint32_t off2 = dsp::pair(p.in_offset);
  for (int32_t n = 0; n < p.batch; ++n) {
    const int8_t* xn = x + n * p.in_h * p.in_w * C;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      int32_t khLo, khHi;
      tap_range(ih0, p.k_h, p.dil_h, p.in_h, khLo, khHi);
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        int32_t kwLo, kwHi;
        tap_range(iw0, p.k_w, p.dil_w, p.in_w, kwLo, kwHi);
        int8_t* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * C;
        const int32_t xStep = p.dil_w * C, xRowStep = p.dil_h * p.in_w * C, wRowStep = p.k_w * C;
        for (int32_t c = 0; c < C; c += 4) {
          int32_t a0 = bias ? bias[c] : 0, a1 = bias ? bias[c + 1] : 0;
          int32_t a2 = bias ? bias[c + 2] : 0, a3 = bias ? bias[c + 3] : 0;
          const int8_t* xrow = xn + ((ih0 + khLo * p.dil_h) * p.in_w + iw0 + kwLo * p.dil_w) * C + c;
          const int8_t* wrow = w + (khLo * p.k_w + kwLo) * C + c;
          for (int32_t kh = khLo; kh < khHi; ++kh, xrow += xRowStep, wrow += wRowStep) {
            const int8_t* xp = xrow;
            const int8_t* wp = wrow;
            for (int32_t kw = kwLo; kw < kwHi; ++kw, xp += xStep, wp += C) {
              const uint32_t xv = dsp::read32(xp);
              const uint32_t wv = dsp::read32(wp);
              const uint32_t x02 = dsp::sadd16(dsp::sxtb16(xv), off2), x13 = dsp::sadd16(dsp::sxtb16_ror8(xv), off2);
              const uint32_t w02 = dsp::sxtb16(wv), w13 = dsp::sxtb16_ror8(wv);
              a0 = __smlabb(static_cast<int32_t>(x02), static_cast<int32_t>(w02), a0);
              a2 = __smlatt(static_cast<int32_t>(x02), static_cast<int32_t>(w02), a2);
              a1 = __smlabb(static_cast<int32_t>(x13), static_cast<int32_t>(w13), a1);
              a3 = __smlatt(static_cast<int32_t>(x13), static_cast<int32_t>(w13), a3);
            }
          }
          yp[c] = requantize<int8_t>(a0, mult[c], shift[c], p.out_offset, p.act_min, p.act_max);
          yp[c + 1] = requantize<int8_t>(a1, mult[c + 1], shift[c + 1], p.out_offset, p.act_min, p.act_max);
          yp[c + 2] = requantize<int8_t>(a2, mult[c + 2], shift[c + 2], p.out_offset, p.act_min, p.act_max);
          yp[c + 3] = requantize<int8_t>(a3, mult[c + 3], shift[c + 3], p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}
#endif

}  // namespace q
}  // namespace tmlc

#include "tmlc/kernels/int8/depthwise_conv_s16.h"
#include "tmlc/kernels/int8/mve/depthwise_conv_mve.h"

namespace tmlc {
namespace q {

template <typename T>
inline void depthwise_conv2d(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                             const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                             const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    if (p.out_c == p.in_c) {
      mve::depthwise_conv2d_mve(p, x, w, bias, mult, shift, y);
      return;
    }
  }
#elif defined(__ARM_FEATURE_DSP)
  if constexpr (std::is_same<T, int8_t>::value) {
    if (p.out_c == p.in_c && (p.in_c & 3) == 0) {
      depthwise_conv2d_dsp(p, x, w, bias, mult, shift, y);
      return;
    }
  }
#endif
#if defined(__ARM_FEATURE_DSP)
  if constexpr (std::is_same<T, int16_t>::value) {
    if (p.out_c == p.in_c && (p.in_c & 3) == 0 && p.in_offset == 0 && p.k_h * p.k_w <= kDotS16Chunk) {
      depthwise_conv2d_s16_dsp(p, x, w, bias, mult, shift, y);
      return;
    }
  }
#endif
  depthwise_conv2d_portable(p, x, w, bias, mult, shift, y);
}

}  // namespace q
}  // namespace tmlc
