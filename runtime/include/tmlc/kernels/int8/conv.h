// conv.h: quantized 2-D convolution, NHWC, per-output-channel requantization.
//
//   x [batch, in_h, in_w, in_c]           T (int8_t; int16_t for 16x8)
//   w [out_c, k_h, k_w, in_c / group]     int8_t, symmetric (zero point 0)
//   bias [out_c]                          bias_t<T> (int32_t; int64_t for int16_t),
//                                         scale = scale_x * scale_w[oc]
//   mult, shift [out_c]                   requantize.h pairs for
//                                         scale_x * scale_w[oc] / scale_y
//   y [batch, out_h, out_w, out_c]        T
// y = clamp(requantize(bias + sum (x - zp_x) * w) + zp_y, act_min, act_max).
// Padding is the real value 0 (q = zp_x), i.e. padded taps add nothing.
//
// Variants (same result bit for bit): conv2d_1x1 for 1x1 kernels with stride 1
// and no padding (a plain matrix product over pixels). int16 convolutions with
// group 1 take conv_im2col.h's body on every core (`scratch`: 2 * k_h * k_w *
// in_c int16, conv2d_im2col_scratch_bytes). Where the core has the
// DSP extension (__ARM_FEATURE_DSP: M4, M7, M33) int8 convolutions with group 1
// take the body in conv_dsp.h: two pixels at a time are expanded to int16 with
// the input offset applied (im2col into `scratch`, 2 * k_h * k_w * in_c int16),
// then two output channels by two pixels accumulate with SMLAD. The portable
// bodies are conv2d_portable / conv2d_1x1_portable; `scratch` is unused there.
#pragma once

#include <type_traits>

#include "tmlc/kernels/int8/dot_s16.h"
#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

struct ConvParams {
  int32_t batch, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t k_h, k_w;
  int32_t stride_h, stride_w;
  int32_t pad_top, pad_left;
  int32_t dil_h, dil_w;
  int32_t group;
  int32_t in_offset;   // -zero_point of x, in [-127, 128] for int8
  int32_t out_offset;  // zero_point of y
  int32_t act_min, act_max;
};

// Accumulates the dot product of `n` activations (plus in_offset) and weights
// into acc: int32 for int8 activations, int64 for int16 (bias_t, requantize.h),
// the int16 products summed in int32 chunks that cannot overflow (dot_s16.h).
template <typename T, typename Acc>
TMLC_ALWAYS_INLINE Acc dot_offset(const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w, int32_t n,
                                  int32_t in_offset, Acc acc) noexcept {
  if constexpr (std::is_same<T, int16_t>::value) {
    if (n <= kDotS16Chunk) return acc + dot_s16(x, w, n, in_offset);
    for (int32_t i = 0; i < n; i += kDotS16Chunk)
      acc += dot_s16(x + i, w + i, n - i < kDotS16Chunk ? n - i : kDotS16Chunk, in_offset);
  } else {
    for (int32_t i = 0; i < n; ++i) acc += (static_cast<int32_t>(x[i]) + in_offset) * static_cast<int32_t>(w[i]);
  }
  return acc;
}

template <typename T>
inline void conv2d_portable(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                            const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                            const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
  const int32_t icg = p.in_c / p.group, ocg = p.out_c / p.group;
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.in_h * p.in_w * p.in_c;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.out_c;
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          const int32_t g = oc / ocg;
          const int8_t* wo = w + oc * p.k_h * p.k_w * icg;
          bias_t<T> acc = bias ? bias[oc] : 0;
          for (int32_t kh = 0; kh < p.k_h; ++kh) {
            const int32_t ih = ih0 + kh * p.dil_h;
            if (ih < 0 || ih >= p.in_h) continue;
            for (int32_t kw = 0; kw < p.k_w; ++kw) {
              const int32_t iw = iw0 + kw * p.dil_w;
              if (iw < 0 || iw >= p.in_w) continue;
              acc = dot_offset(xn + (ih * p.in_w + iw) * p.in_c + g * icg, wo + (kh * p.k_w + kw) * icg, icg,
                               p.in_offset, acc);
            }
          }
          yp[oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}

// 1x1 kernel, stride 1, no padding, group 1: y[pixel] = W * x[pixel].
template <typename T>
inline void conv2d_1x1_portable(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                                const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
  const int32_t pixels = p.batch * p.out_h * p.out_w;
  for (int32_t px = 0; px < pixels; ++px) {
    const T* xp = x + px * p.in_c;
    T* yp = y + px * p.out_c;
    for (int32_t oc = 0; oc < p.out_c; ++oc) {
      const bias_t<T> acc = dot_offset(xp, w + oc * p.in_c, p.in_c, p.in_offset, bias ? bias[oc] : bias_t<T>(0));
      yp[oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
    }
  }
}

}  // namespace q
}  // namespace tmlc

#include "tmlc/kernels/int8/conv_dsp.h"
#include "tmlc/kernels/int8/conv_im2col.h"
#include "tmlc/kernels/int8/mve/conv_mve.h"

namespace tmlc {
namespace q {

// Bytes of scratch conv2d and conv2d_1x1 need (the DSP bodies: two int16
// patches; the Helium body, mve/conv_mve.h: four int8 patches, 4 * K bytes, which
// this covers; 0 would do for the portable ones, but the size must not depend on
// the target).
constexpr int32_t conv2d_scratch_bytes(int32_t k_h, int32_t k_w, int32_t in_c_per_group) {
  return 2 * ((k_h * k_w * in_c_per_group + 1) & ~1) * static_cast<int32_t>(sizeof(int16_t)) + 4;
}

template <typename T>
inline void conv2d(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                   const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                   const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y, int16_t* TMLC_RESTRICT scratch) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    if (p.group == 1) {
      mve::conv2d_mve(p, x, w, bias, mult, shift, y, scratch);
      return;
    }
  }
#elif defined(__ARM_FEATURE_DSP)
  if constexpr (std::is_same<T, int8_t>::value) {
    if (p.group == 1) {
      conv2d_dsp(p, x, w, bias, mult, shift, y, scratch);
      return;
    }
  }
#endif
  if constexpr (std::is_same<T, int16_t>::value) {
    if (p.group == 1 && scratch) {
      conv2d_im2col(p, x, w, bias, mult, shift, y, scratch);
      return;
    }
  }
  (void)scratch;
  conv2d_portable(p, x, w, bias, mult, shift, y);
}

template <typename T>
inline void conv2d_1x1(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                       const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                       const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y, int16_t* TMLC_RESTRICT scratch) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    mve::conv2d_mve(p, x, w, bias, mult, shift, y, scratch);
    return;
  }
#elif defined(__ARM_FEATURE_DSP)
  if constexpr (std::is_same<T, int8_t>::value) {
    if ((p.in_c & 3) == 0 && p.in_c > 0)
      conv2d_1x1_dsp(p, x, w, bias, mult, shift, y, scratch);
    else
      conv2d_dsp(p, x, w, bias, mult, shift, y, scratch);
    return;
  }
#endif
#if defined(__ARM_FEATURE_DSP)
  if constexpr (std::is_same<T, int16_t>::value) {
    if (p.in_offset == 0 && (p.in_c & 3) == 0 && p.in_c <= kDotS16Chunk) {
      conv2d_1x1_s16_dsp(p.batch * p.out_h * p.out_w, p.in_c, p.out_c, x, w, y, [&](int32_t acc, int32_t oc) {
        return requantize<T>((bias ? bias[oc] : bias_t<T>(0)) + acc, mult[oc], shift[oc], p.out_offset, p.act_min,
                             p.act_max);
      });
      return;
    }
  }
#endif
  (void)scratch;
  conv2d_1x1_portable(p, x, w, bias, mult, shift, y);
}

}  // namespace q
}  // namespace tmlc
