// conv_im2col.h: the int16 body of conv2d with group 1 (16x8 models, every
// core), by im2col one output pixel at a time.
//
// The k_h x k_w x in_c windows of two output pixels are copied into `col`
// (scratch of 2 * k_h * k_w * in_c values; taps in the padding get zp_x, i.e.
// real 0, and add nothing), then each output channel is one contiguous dot
// product of a window with its weight row [k_h, k_w, in_c] (dot_offset: int32
// chunks into the int64 accumulator, dot_s16.h; on DSP cores, windows of at
// most 256 values, a multiple of 4, go two pixels by two channels through
// conv2d_1x1_s16_dsp). A first layer with in_c = 1 then costs no call per tap.
// Same result bit for bit as conv2d_portable.
#pragma once

#include <cstring>
#include <type_traits>

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

constexpr int32_t conv2d_im2col_scratch_bytes(int32_t k_h, int32_t k_w, int32_t in_c) {
  return 2 * k_h * k_w * in_c * static_cast<int32_t>(sizeof(int16_t));
}

// The window of output pixel `pix` (linear over batch, rows, columns) into col.
template <typename T>
TMLC_ALWAYS_INLINE void im2col_pixel(const ConvParams& p, const T* TMLC_RESTRICT x, int32_t pix,
                                     T* TMLC_RESTRICT col) noexcept {
  const int32_t ow = pix % p.out_w, oh = (pix / p.out_w) % p.out_h, n = pix / (p.out_w * p.out_h);
  const T* xn = x + n * p.in_h * p.in_w * p.in_c;
  const T pad = static_cast<T>(-p.in_offset);
  const int32_t ih0 = oh * p.stride_h - p.pad_top, iw0 = ow * p.stride_w - p.pad_left;
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
}

// Two output pixels at a time (consecutive pixels are consecutive in y), so on
// DSP cores the pair goes through dot_s16.h's 2 pixels x 2 channels block.
template <typename T>
inline void conv2d_im2col(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                          const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                          const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y, T* TMLC_RESTRICT col) noexcept {
  const int32_t K = p.k_h * p.k_w * p.in_c;
  const int32_t pixels = p.batch * p.out_h * p.out_w;
  for (int32_t pix = 0; pix < pixels; pix += 2) {
    const int32_t np = pixels - pix < 2 ? 1 : 2;
    for (int32_t j = 0; j < np; ++j) im2col_pixel(p, x, pix + j, col + j * K);
    T* yp = y + pix * p.out_c;
#if defined(__ARM_FEATURE_DSP)
    if constexpr (std::is_same<T, int16_t>::value) {
      if (p.in_offset == 0 && (K & 3) == 0 && K <= kDotS16Chunk) {
        conv2d_1x1_s16_dsp(np, K, p.out_c, col, w, yp, [&](int32_t acc, int32_t oc) {
          return requantize<T>((bias ? bias[oc] : bias_t<T>(0)) + acc, mult[oc], shift[oc], p.out_offset, p.act_min,
                               p.act_max);
        });
        continue;
      }
    }
#endif
    for (int32_t j = 0; j < np; ++j)
      for (int32_t oc = 0; oc < p.out_c; ++oc) {
        const bias_t<T> acc = dot_offset(col + j * K, w + oc * K, K, p.in_offset, bias ? bias[oc] : bias_t<T>(0));
        yp[j * p.out_c + oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
      }
  }
}

}  // namespace q
}  // namespace tmlc
