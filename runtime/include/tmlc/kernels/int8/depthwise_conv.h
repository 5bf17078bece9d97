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
#pragma once

#include "tmlc/kernels/int8/conv.h"

namespace tmlc {
namespace q {

template <typename T>
inline void depthwise_conv2d(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                             const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                             const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
  const int32_t dm = p.out_c / p.in_c;
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.in_h * p.in_w * p.in_c;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.out_c;
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          const int32_t ic = oc / dm;
          int32_t acc = bias ? bias[oc] : 0;
          for (int32_t kh = 0; kh < p.k_h; ++kh) {
            const int32_t ih = ih0 + kh * p.dil_h;
            if (ih < 0 || ih >= p.in_h) continue;
            for (int32_t kw = 0; kw < p.k_w; ++kw) {
              const int32_t iw = iw0 + kw * p.dil_w;
              if (iw < 0 || iw >= p.in_w) continue;
              acc += (static_cast<int32_t>(xn[(ih * p.in_w + iw) * p.in_c + ic]) + p.in_offset) *
                     static_cast<int32_t>(w[(kh * p.k_w + kw) * p.out_c + oc]);
            }
          }
          yp[oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc
