// conv_im2col.h: the int16 body of conv2d with group 1 (16x8 models, every
// core), by im2col one output pixel at a time.
//
// The pixel's k_h x k_w x in_c window is copied into `col` (scratch of
// k_h * k_w * in_c values; taps in the padding get zp_x, i.e. real 0, and add
// nothing), then each output channel is one contiguous dot product of `col`
// with its weight row [k_h, k_w, in_c] (dot_offset: int32 chunks into the int64
// accumulator, four products per step on DSP cores, dot_s16.h). A first layer
// with in_c = 1 then costs one call per output, not one per tap. Same result
// bit for bit as conv2d_portable.
#pragma once

#include <cstring>

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

constexpr int32_t conv2d_im2col_scratch_bytes(int32_t k_h, int32_t k_w, int32_t in_c) {
  return k_h * k_w * in_c * static_cast<int32_t>(sizeof(int16_t));
}

template <typename T>
inline void conv2d_im2col(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                          const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                          const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y, T* TMLC_RESTRICT col) noexcept {
  const int32_t K = p.k_h * p.k_w * p.in_c;
  const T pad = static_cast<T>(-p.in_offset);
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.in_h * p.in_w * p.in_c;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        T* c = col;
        for (int32_t kh = 0; kh < p.k_h; ++kh) {
          const int32_t ih = ih0 + kh * p.dil_h;
          for (int32_t kw = 0; kw < p.k_w; ++kw, c += p.in_c) {
            const int32_t iw = iw0 + kw * p.dil_w;
            if (ih < 0 || ih >= p.in_h || iw < 0 || iw >= p.in_w) {
              for (int32_t i = 0; i < p.in_c; ++i) c[i] = pad;
            } else {
              std::memcpy(c, xn + (ih * p.in_w + iw) * p.in_c, sizeof(T) * static_cast<size_t>(p.in_c));
            }
          }
        }
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.out_c;
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          const bias_t<T> acc = dot_offset(col, w + oc * K, K, p.in_offset, bias ? bias[oc] : bias_t<T>(0));
          yp[oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc
