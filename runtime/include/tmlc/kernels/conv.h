// conv.h: convolution in channels-first layout, 1-D, 2-D and 3-D.
//
//   x [batch, in_c, D, H, W], w [out_c, in_c / group, kD, kH, kW],
//   bias [out_c] or nullptr, y [batch, out_c, oD, oH, oW].
// 1-D and 2-D convolutions are the D = 1 (and H = 1) cases; see window.h.
// Variants with the same signature, chosen by the compiler:
//   conv            any group, stride, dilation and padding;
//   depthwise_conv  group == in_c == out_c (one filter per channel);
//   conv_pointwise  1x1 kernels, stride 1, no padding, group 1 (a matrix product).
// With floating-point Helium (cortex-m55) float takes the bodies in mve/: conv
// with group 1 and depthwise_conv in conv_mve.h, conv_pointwise in
// conv_pointwise_mve.h (four output channels per vector).
// A fused activation (p.act) is applied to each output.
#pragma once

#include <type_traits>

#include "tmlc/kernels/accum.h"
#include "tmlc/kernels/window.h"

namespace tmlc {

struct ConvParams {
  int32_t batch, in_c, out_c, group;
  Window win;
  Activation act;
};

}  // namespace tmlc

#include "tmlc/kernels/mve/conv_mve.h"

namespace tmlc {

template <typename T>
inline void conv(const ConvParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                 const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_F32)
  if constexpr (std::is_same<T, float>::value) {  // Helium (mve/conv_mve.h)
    if (p.group == 1) {
      mve::conv_f32(p, x, w, bias, y);
      return;
    }
  }
#endif
  using A = accum_t<T>;
  const Window& g = p.win;
  const int32_t icg = p.in_c / p.group, ocg = p.out_c / p.group;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  const int32_t in_hw = g.in[1] * g.in[2], k_hw = g.kernel[1] * g.kernel[2];
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_c; ++oc) {
      const T* xg = x + (n * p.in_c + (oc / ocg) * icg) * in_sp;
      const T* wo = w + oc * icg * k_sp;
      const A b = bias ? A(bias[oc]) : A(0);
      T* yo = y + (n * p.out_c + oc) * out_sp;
      for (int32_t od = 0; od < g.out[0]; ++od) {
        const int32_t d0 = od * g.stride[0] - g.pad[0];
        int32_t kd0, kd1;
        window_taps(d0, g.kernel[0], g.dil[0], g.in[0], kd0, kd1);
        for (int32_t oh = 0; oh < g.out[1]; ++oh) {
          const int32_t h0 = oh * g.stride[1] - g.pad[1];
          int32_t kh0, kh1;
          window_taps(h0, g.kernel[1], g.dil[1], g.in[1], kh0, kh1);
          for (int32_t ow = 0; ow < g.out[2]; ++ow) {
            const int32_t w0 = ow * g.stride[2] - g.pad[2];
            int32_t kw0, kw1;
            window_taps(w0, g.kernel[2], g.dil[2], g.in[2], kw0, kw1);
            A acc = b;
            for (int32_t ic = 0; ic < icg; ++ic) {
              const T* xc = xg + ic * in_sp;
              const T* wc = wo + ic * k_sp;
              for (int32_t kd = kd0; kd < kd1; ++kd) {
                const T* xd = xc + (d0 + kd * g.dil[0]) * in_hw;
                const T* wd = wc + kd * k_hw;
                for (int32_t kh = kh0; kh < kh1; ++kh) {
                  const T* xh = xd + (h0 + kh * g.dil[1]) * g.in[2] + w0;
                  const T* wh = wd + kh * g.kernel[2];
                  for (int32_t kw = kw0; kw < kw1; ++kw) acc += A(xh[kw * g.dil[2]]) * A(wh[kw]);
                }
              }
            }
            yo[(od * g.out[1] + oh) * g.out[2] + ow] = store_activated<T>(p.act, acc);
          }
        }
      }
    }
  }
}

template <typename T>
inline void depthwise_conv(const ConvParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                           const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_F32)
  if constexpr (std::is_same<T, float>::value) {  // Helium (mve/conv_mve.h)
    mve::depthwise_f32(p, x, w, bias, y);
    return;
  }
#endif
  using A = accum_t<T>;
  const Window& g = p.win;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  const int32_t in_w = g.in[2], kw_n = g.kernel[2], dw = g.dil[2], sw = g.stride[2];
  const int32_t span_w = (kw_n - 1) * dw;  // a window is interior when w0 >= 0 and w0 + span_w < in_w
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t c = 0; c < p.out_c; ++c) {
      const T* xc = x + (n * p.in_c + c) * in_sp;
      const T* wc = w + c * k_sp;
      const A b = bias ? A(bias[c]) : A(0);
      T* yc = y + (n * p.out_c + c) * out_sp;
      for (int32_t od = 0; od < g.out[0]; ++od) {
        const int32_t d0 = od * g.stride[0] - g.pad[0];
        int32_t kd0, kd1;
        window_taps(d0, g.kernel[0], g.dil[0], g.in[0], kd0, kd1);
        for (int32_t oh = 0; oh < g.out[1]; ++oh) {
          const int32_t h0 = oh * g.stride[1] - g.pad[1];
          int32_t kh0, kh1;
          window_taps(h0, g.kernel[1], g.dil[1], g.in[1], kh0, kh1);
          T* yr = yc + (od * g.out[1] + oh) * g.out[2];
          for (int32_t ow = 0, w0 = -g.pad[2]; ow < g.out[2]; ++ow, w0 += sw) {
            int32_t kw0 = 0, kw1 = kw_n;
            if (w0 < 0 || w0 + span_w >= in_w) window_taps(w0, kw_n, dw, in_w, kw0, kw1);
            A acc = b;
            for (int32_t kd = kd0; kd < kd1; ++kd) {
              const T* xh = xc + ((d0 + kd * g.dil[0]) * g.in[1] + h0 + kh0 * g.dil[1]) * in_w + w0 + kw0 * dw;
              const T* wh = wc + (kd * g.kernel[1] + kh0) * kw_n + kw0;
              const int32_t taps = kw1 - kw0;
              for (int32_t kh = kh0; kh < kh1; ++kh, xh += g.dil[1] * in_w, wh += kw_n) {
                if (taps == 3 && dw == 1) {  // the common 3-wide row, unrolled
                  acc += A(xh[0]) * A(wh[0]) + A(xh[1]) * A(wh[1]) + A(xh[2]) * A(wh[2]);
                  continue;
                }
                const T* xp = xh;
                for (int32_t k = 0; k < taps; ++k, xp += dw) acc += A(*xp) * A(wh[k]);
              }
            }
            yr[ow] = store_activated<T>(p.act, acc);
          }
        }
      }
    }
  }
}

// Four neighbouring outputs of a channel share each weight load (register
// blocking): about 1.5 loads per multiply-accumulate instead of 2, and a
// quarter of the loop overhead. With floating-point Helium (cortex-m55), float
// takes mve/conv_pointwise_mve.h: 2 channels x 8 pixels per vector FMA block.
template <typename T>
inline void conv_pointwise(const ConvParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                           const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
  using A = accum_t<T>;
  const int32_t sp = window_out_size(p.win);
#if defined(TMLC_MVE_F32)
  if constexpr (std::is_same<T, float>::value) {  // Helium (mve/conv_pointwise_mve.h)
    mve::conv_pointwise_f32(p.batch, p.in_c, p.out_c, sp, p.act, x, w, bias, y);
    return;
  }
#endif
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.in_c * sp;
    for (int32_t oc = 0; oc < p.out_c; ++oc) {
      const T* wo = w + oc * p.in_c;
      const A b = bias ? A(bias[oc]) : A(0);
      T* yo = y + (n * p.out_c + oc) * sp;
      int32_t i = 0;
      for (; i + 4 <= sp; i += 4) {
        A a0 = b, a1 = b, a2 = b, a3 = b;
        const T* xi = xn + i;
        for (int32_t ic = 0; ic < p.in_c; ++ic, xi += sp) {
          const A wv = A(wo[ic]);
          a0 += A(xi[0]) * wv;
          a1 += A(xi[1]) * wv;
          a2 += A(xi[2]) * wv;
          a3 += A(xi[3]) * wv;
        }
        yo[i] = store_activated<T>(p.act, a0);
        yo[i + 1] = store_activated<T>(p.act, a1);
        yo[i + 2] = store_activated<T>(p.act, a2);
        yo[i + 3] = store_activated<T>(p.act, a3);
      }
      for (; i < sp; ++i) {
        A acc = b;
        const T* xi = xn + i;
        for (int32_t ic = 0; ic < p.in_c; ++ic) acc += A(xi[ic * sp]) * A(wo[ic]);
        yo[i] = store_activated<T>(p.act, acc);
      }
    }
  }
}

}  // namespace tmlc
