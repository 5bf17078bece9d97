// conv.h: 2-D convolution in NCHW (1-D convolution is the H = 1 case).
//
//   x [batch, in_c, in_h, in_w], w [out_c, in_c / group, k_h, k_w],
//   bias [out_c] or nullptr, y [batch, out_c, out_h, out_w].
// Pads are the top/left amounts; bottom/right padding is implied by out_h/out_w.
// depthwise_conv2d is the group == in_c == out_c case with a tighter loop.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct ConvParams {
  int32_t batch, in_c, in_h, in_w;
  int32_t out_c, out_h, out_w;
  int32_t k_h, k_w;
  int32_t stride_h, stride_w;
  int32_t pad_top, pad_left;
  int32_t dil_h, dil_w;
  int32_t group;
  Activation act;
};

template <typename T>
inline void conv2d(const ConvParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                   const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
  const int32_t icg = p.in_c / p.group, ocg = p.out_c / p.group;
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_c; ++oc) {
      const int32_t g = oc / ocg;
      const T* wo = w + oc * icg * p.k_h * p.k_w;
      const T b = bias ? bias[oc] : T(0);
      T* yo = y + ((n * p.out_c + oc) * p.out_h) * p.out_w;
      for (int32_t oh = 0; oh < p.out_h; ++oh) {
        for (int32_t ow = 0; ow < p.out_w; ++ow) {
          T acc = b;
          for (int32_t ic = 0; ic < icg; ++ic) {
            const T* xc = x + ((n * p.in_c + g * icg + ic) * p.in_h) * p.in_w;
            const T* wc = wo + ic * p.k_h * p.k_w;
            for (int32_t kh = 0; kh < p.k_h; ++kh) {
              const int32_t ih = oh * p.stride_h - p.pad_top + kh * p.dil_h;
              if (ih < 0 || ih >= p.in_h) continue;
              for (int32_t kw = 0; kw < p.k_w; ++kw) {
                const int32_t iw = ow * p.stride_w - p.pad_left + kw * p.dil_w;
                if (iw < 0 || iw >= p.in_w) continue;
                acc += xc[ih * p.in_w + iw] * wc[kh * p.k_w + kw];
              }
            }
          }
          yo[oh * p.out_w + ow] = activate(p.act, acc);
        }
      }
    }
  }
}

template <typename T>
inline void depthwise_conv2d(const ConvParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                             const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t c = 0; c < p.out_c; ++c) {
      const T* xc = x + ((n * p.in_c + c) * p.in_h) * p.in_w;
      const T* wc = w + c * p.k_h * p.k_w;
      const T b = bias ? bias[c] : T(0);
      T* yc = y + ((n * p.out_c + c) * p.out_h) * p.out_w;
      for (int32_t oh = 0; oh < p.out_h; ++oh) {
        const int32_t ih0 = oh * p.stride_h - p.pad_top;
        for (int32_t ow = 0; ow < p.out_w; ++ow) {
          const int32_t iw0 = ow * p.stride_w - p.pad_left;
          T acc = b;
          for (int32_t kh = 0; kh < p.k_h; ++kh) {
            const int32_t ih = ih0 + kh * p.dil_h;
            if (ih < 0 || ih >= p.in_h) continue;
            for (int32_t kw = 0; kw < p.k_w; ++kw) {
              const int32_t iw = iw0 + kw * p.dil_w;
              if (iw < 0 || iw >= p.in_w) continue;
              acc += xc[ih * p.in_w + iw] * wc[kh * p.k_w + kw];
            }
          }
          yc[oh * p.out_w + ow] = activate(p.act, acc);
        }
      }
    }
  }
}

}  // namespace tmlc
