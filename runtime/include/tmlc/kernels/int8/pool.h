// pool.h: quantized max and average pooling, NHWC.
//
//   x [batch, in_h, in_w, c] T, y [batch, out_h, out_w, c] T.
// max_pool: y = clamp(max over the window); padded taps are ignored.
// avg_pool: count = the window's taps inside the input (all taps up to the
// padding's end when count_include_pad: those in the padding are the real value
// 0 = zp_x). When the output keeps the input's quantization, y = the window's
// sum divided by count with rounding_divide. Otherwise one rounding:
//   y = clamp(mbqm(sum of (x - zp_x) * 2^pre_shift, mult_count, shift_count) + zp_y),
//   (mult_count, shift_count) = scale_x / (scale_y * count) * 2^-pre_shift
// with the division folded into the multiplier by the compiler: (mult, shift)
// when every window has the same count (count_mult == nullptr), else a table
// count_mult[count - 1], count_shift[count - 1] for the counts of windows cut by
// the borders. pre_shift (up to 16, the sum times 2^pre_shift within int32)
// keeps fraction bits below the result's LSB so that the first of mbqm's two
// roundings moves it by at most 2^(shift_count - 1) LSB, about 2^-16 (as
// qlinear_pool.h). Global average pooling is the case of one window covering
// the input.
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
  int32_t mult, shift;        // avg only, when rescale: scale_x / (scale_y * count) * 2^-pre_shift, the count of every window
  int32_t pre_shift;          // avg only, when rescale
  int32_t out_zp;             // avg only, when rescale
  int32_t act_min, act_max;
};

// The taps of the average window at (h0, w0) inside the input (valid) and those
// that count (count).
TMLC_ALWAYS_INLINE void avg_pool_counts(const PoolParams& p, int32_t h0, int32_t w0, int32_t hs, int32_t he,
                                        int32_t ws, int32_t we, int32_t& valid, int32_t& count) noexcept {
  valid = (he - hs) * (we - ws);
  count = valid;
  if (p.count_include_pad) {
    // Taps in the padding (not beyond it) count as zp_x.
    const int32_t ph = (h0 + p.k_h > p.in_h + p.pad_bottom ? p.in_h + p.pad_bottom : h0 + p.k_h) - h0;
    const int32_t pw = (w0 + p.k_w > p.in_w + p.pad_right ? p.in_w + p.pad_right : w0 + p.k_w) - w0;
    count = ph * pw;
  }
}

// One output of the average pool from the sum of the window's valid taps (raw
// values, not minus zp_x), shared by the portable and Helium bodies.
TMLC_ALWAYS_INLINE int32_t avg_pool_output(const PoolParams& p, int32_t sum, int32_t valid, int32_t count,
                                           const int32_t* count_mult, const int32_t* count_shift) noexcept {
  int32_t v;
  if (!p.rescale) {
    v = count > 0 ? rounding_divide(sum + (count - valid) * p.in_zp, count) : p.in_zp;
  } else if (count <= 0) {
    v = p.out_zp;
  } else {
    const int32_t centred = (sum - valid * p.in_zp) * (int32_t(1) << p.pre_shift);  // taps in the padding are 0
    v = (count_mult ? multiply_by_quantized_multiplier(centred, count_mult[count - 1], count_shift[count - 1])
                    : multiply_by_quantized_multiplier(centred, p.mult, p.shift)) +
        p.out_zp;
  }
  return v < p.act_min ? p.act_min : (v > p.act_max ? p.act_max : v);
}

// The table of (mult, shift) per count for avg_pool's windows cut by the borders
// (entry count - 1; counts that no window has are 0).
template <int N>
struct PoolCountMults {
  int32_t mult[N], shift[N];
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
inline void avg_pool(const PoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y,
                     const int32_t* count_mult = nullptr, const int32_t* count_shift = nullptr) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    mve::avg_pool_mve(p, x, y, count_mult, count_shift);
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
        int32_t valid, count;
        avg_pool_counts(p, h0, w0, hs, he, ws, we, valid, count);
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.c;
        for (int32_t c = 0; c < p.c; ++c) {
          int32_t sum = 0;
          for (int32_t ih = hs; ih < he; ++ih)
            for (int32_t iw = ws; iw < we; ++iw) sum += x[((n * p.in_h + ih) * p.in_w + iw) * p.c + c];
          yp[c] = static_cast<T>(avg_pool_output(p, sum, valid, count, count_mult, count_shift));
        }
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc
