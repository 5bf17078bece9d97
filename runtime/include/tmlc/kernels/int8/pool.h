// pool.h: quantized max and average pooling, NHWC.
//
//   x [batch, in_h, in_w, c] T, y [batch, out_h, out_w, c] T.
// max_pool: y = clamp(max over the window); padded taps are ignored.
// avg_pool: the window's sum divided by its count with rounding_divide (taps in
// the padding count only when count_include_pad, as the real value 0 = zp_x);
// when the output scale differs from the input's, the mean (minus zp_x) is then
// requantized with (mult, shift) = scale_x / scale_y. Global average pooling is
// the case of one window covering the input.
#pragma once

#include <type_traits>

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

struct PoolParams {
  int32_t batch, in_h, in_w, c;
  int32_t out_h, out_w;
  int32_t k_h, k_w;
  int32_t stride_h, stride_w;
  int32_t pad_top, pad_left, pad_bottom, pad_right;
  int32_t count_include_pad;  // avg only
  int32_t in_zp;              // avg only: zero point of x
  int32_t rescale;            // avg only: 0 when scale_y == scale_x and zp_y == zp_x
  int32_t mult, shift;        // avg only, when rescale
  int32_t out_zp;             // avg only, when rescale
  int32_t act_min, act_max;
};

}  // namespace q
}  // namespace tmlc

#include "tmlc/kernels/int8/mve/pool_mve.h"

namespace tmlc {
namespace q {

template <typename T>
inline void max_pool(const PoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    mve::max_pool_mve(p, x, y);
    return;
  }
#endif
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t h0 = oh * p.stride_h - p.pad_top;
      const int32_t hs = h0 < 0 ? 0 : h0, he = h0 + p.k_h > p.in_h ? p.in_h : h0 + p.k_h;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t w0 = ow * p.stride_w - p.pad_left;
        const int32_t ws = w0 < 0 ? 0 : w0, we = w0 + p.k_w > p.in_w ? p.in_w : w0 + p.k_w;
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.c;
        for (int32_t c = 0; c < p.c; ++c) {
          int32_t m = p.act_min;
          for (int32_t ih = hs; ih < he; ++ih)
            for (int32_t iw = ws; iw < we; ++iw) {
              const int32_t v = x[((n * p.in_h + ih) * p.in_w + iw) * p.c + c];
              m = v > m ? v : m;
            }
          yp[c] = static_cast<T>(m > p.act_max ? p.act_max : m);
        }
      }
    }
  }
}

template <typename T>
inline void avg_pool(const PoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    mve::avg_pool_mve(p, x, y);
    return;
  }
#endif
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t h0 = oh * p.stride_h - p.pad_top;
      const int32_t hs = h0 < 0 ? 0 : h0, he = h0 + p.k_h > p.in_h ? p.in_h : h0 + p.k_h;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t w0 = ow * p.stride_w - p.pad_left;
        const int32_t ws = w0 < 0 ? 0 : w0, we = w0 + p.k_w > p.in_w ? p.in_w : w0 + p.k_w;
        const int32_t valid = (he - hs) * (we - ws);
        int32_t count = valid;
        if (p.count_include_pad) {
          // Taps in the padding (not beyond it) count as zp_x.
          const int32_t ph = (h0 + p.k_h > p.in_h + p.pad_bottom ? p.in_h + p.pad_bottom : h0 + p.k_h) - h0;
          const int32_t pw = (w0 + p.k_w > p.in_w + p.pad_right ? p.in_w + p.pad_right : w0 + p.k_w) - w0;
          count = ph * pw;
        }
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.c;
        for (int32_t c = 0; c < p.c; ++c) {
          int32_t sum = (count - valid) * p.in_zp;
          for (int32_t ih = hs; ih < he; ++ih)
            for (int32_t iw = ws; iw < we; ++iw) sum += x[((n * p.in_h + ih) * p.in_w + iw) * p.c + c];
          int32_t v = count > 0 ? rounding_divide(sum, count) : p.in_zp;
          if (p.rescale) v = multiply_by_quantized_multiplier(v - p.in_zp, p.mult, p.shift) + p.out_zp;
          v = v < p.act_min ? p.act_min : (v > p.act_max ? p.act_max : v);
          yp[c] = static_cast<T>(v);
        }
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc
