// conv.h: convolution in channels-first layout, 1-D, 2-D and 3-D.
//
//   x [batch, in_c, D, H, W], w [out_c, in_c / group, kD, kH, kW],
//   bias [out_c] or nullptr, y [batch, out_c, oD, oH, oW].
// 1-D and 2-D convolutions are the D = 1 (and H = 1) cases; see window.h.
// Variants with the same signature, chosen by the compiler:
//   conv            any group, stride, dilation and padding (output channels in
//                   register blocks of four, 3x3 windows unrolled, inside
//                   pixels in pairs at strides 1 and 2);
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

namespace detail {

// One row of three taps (x[0..2], consecutive) into four channels' sums; the
// channels' weights are w0[k], w0[s + k], w0[2s + k], w0[3s + k].
template <typename A, typename T>
TMLC_ALWAYS_INLINE void row3_block4(A& a0, A& a1, A& a2, A& a3, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w0,
                                    const T* TMLC_RESTRICT w1, const T* TMLC_RESTRICT w2,
                                    const T* TMLC_RESTRICT w3) noexcept {
  const A x0 = A(x[0]), x1 = A(x[1]), x2 = A(x[2]);
  a0 = mac(a0, x0, A(w0[0]));
  a1 = mac(a1, x0, A(w1[0]));
  a2 = mac(a2, x0, A(w2[0]));
  a3 = mac(a3, x0, A(w3[0]));
  a0 = mac(a0, x1, A(w0[1]));
  a1 = mac(a1, x1, A(w1[1]));
  a2 = mac(a2, x1, A(w2[1]));
  a3 = mac(a3, x1, A(w3[1]));
  a0 = mac(a0, x2, A(w0[2]));
  a1 = mac(a1, x2, A(w1[2]));
  a2 = mac(a2, x2, A(w2[2]));
  a3 = mac(a3, x2, A(w3[2]));
}

// One row of a 3x3 window for two neighbouring output pixels (inputs x0..x2
// and x0s..x2s, the second pixel's) and one channel's weights w[0..2].
template <typename A, typename T>
TMLC_ALWAYS_INLINE void row3_pair(A& a, A& c, A x0, A x1, A x2, A x0s, A x1s, A x2s,
                                  const T* TMLC_RESTRICT w) noexcept {
  const A w0 = A(w[0]), w1 = A(w[1]), w2 = A(w[2]);
  a = mac(a, x0, w0);
  c = mac(c, x0s, w0);
  a = mac(a, x1, w1);
  c = mac(c, x1s, w1);
  a = mac(a, x2, w2);
  c = mac(c, x2s, w2);
}

// Row r (0..2) of the 3x3 windows of two pixels at stride S for four channels.
template <int32_t S, typename A, typename T>
TMLC_ALWAYS_INLINE void row3_pair_block4(A& a0, A& a1, A& a2, A& a3, A& c0, A& c1, A& c2, A& c3,
                                         const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT q0,
                                         const T* TMLC_RESTRICT q1, const T* TMLC_RESTRICT q2,
                                         const T* TMLC_RESTRICT q3) noexcept {
  const A x0 = A(x[0]), x1 = A(x[1]), x2 = A(x[2]), x3 = A(x[3]);
  const A x4 = S == 2 ? A(x[4]) : x3;
  const A x0s = S == 1 ? x1 : x2, x1s = S == 1 ? x2 : x3, x2s = S == 1 ? x3 : x4;
  row3_pair(a0, c0, x0, x1, x2, x0s, x1s, x2s, q0);
  row3_pair(a1, c1, x0, x1, x2, x0s, x1s, x2s, q1);
  row3_pair(a2, c2, x0, x1, x2, x0s, x1s, x2s, q2);
  row3_pair(a3, c3, x0, x1, x2, x0s, x1s, x2s, q3);
}

// Two neighbouring output pixels (stride S along W) of four channels, whole 3x3
// windows (conv_block4's inside pairs): eight sums, each weight loaded once for
// both pixels and each input once for the four channels. xc is the windows'
// first input of input channel 0, wo channel oc's weights (channels ws apart),
// yp the first pixel's output of channel oc (channels out_sp apart).
template <int32_t S, typename T>
inline void conv3x3_pair_block4(const ConvParams& p, const T* TMLC_RESTRICT xc, const T* TMLC_RESTRICT wo,
                                const accum_t<T>* b, T* TMLC_RESTRICT yp) noexcept {
  using A = accum_t<T>;
  const Window& g = p.win;
  const int32_t icg = p.in_c / p.group, in_w = g.in[2];
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), ws = icg * 9;
  A a0 = b[0], a1 = b[1], a2 = b[2], a3 = b[3];
  A c0 = b[0], c1 = b[1], c2 = b[2], c3 = b[3];
  const T* q0 = wo;
  const T* q1 = wo + ws;
  const T* q2 = q1 + ws;
  const T* q3 = q2 + ws;
  for (int32_t ic = 0; ic < icg; ++ic, xc += in_sp, q0 += 9, q1 += 9, q2 += 9, q3 += 9) {
    const T* x1 = xc + in_w;
    const T* x2 = x1 + in_w;
    row3_pair_block4<S>(a0, a1, a2, a3, c0, c1, c2, c3, xc, q0, q1, q2, q3);
    row3_pair_block4<S>(a0, a1, a2, a3, c0, c1, c2, c3, x1, q0 + 3, q1 + 3, q2 + 3, q3 + 3);
    row3_pair_block4<S>(a0, a1, a2, a3, c0, c1, c2, c3, x2, q0 + 6, q1 + 6, q2 + 6, q3 + 6);
  }
  yp[0] = store_activated<T>(p.act, a0);
  yp[1] = store_activated<T>(p.act, c0);
  yp[out_sp] = store_activated<T>(p.act, a1);
  yp[out_sp + 1] = store_activated<T>(p.act, c1);
  yp[2 * out_sp] = store_activated<T>(p.act, a2);
  yp[2 * out_sp + 1] = store_activated<T>(p.act, c2);
  yp[3 * out_sp] = store_activated<T>(p.act, a3);
  yp[3 * out_sp + 1] = store_activated<T>(p.act, c3);
}

// Four output channels oc..oc+3 of one group (conv's register-blocked body):
// per output pixel the valid taps are found once (window_taps, no division
// inside the input), then each input tap is loaded once and multiplied into
// four accumulators by the four channels' weights (pointers icg * k_sp apart,
// stepped along the window), rows of three taps unrolled. About 1.25 loads per
// multiply-accumulate instead of 2, and a quarter of the loop overhead.
template <typename T>
inline void conv_block4(const ConvParams& p, const T* TMLC_RESTRICT xg, const T* TMLC_RESTRICT w,
                        const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y, int32_t oc) noexcept {
  using A = accum_t<T>;
  const Window& g = p.win;
  const int32_t icg = p.in_c / p.group;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  const int32_t in_w = g.in[2], kh_n = g.kernel[1], kw_n = g.kernel[2], dw = g.dil[2];
  const int32_t row_step = g.dil[1] * in_w, ws = icg * k_sp;
  // 3x3 kernels (1x3x3 in 3-D) without dilation: inside windows take the unrolled nine taps.
  const bool full3x3 = g.kernel[0] == 1 && kh_n == 3 && kw_n == 3 && g.dil[1] == 1 && dw == 1;
  const T* wo = w + oc * ws;
  const A b0 = bias ? A(bias[oc]) : A(0), b1 = bias ? A(bias[oc + 1]) : A(0);
  const A b2 = bias ? A(bias[oc + 2]) : A(0), b3 = bias ? A(bias[oc + 3]) : A(0);
  const A bias4[4] = {b0, b1, b2, b3};
  const int32_t sw = g.stride[2];
  T* yo = y + oc * out_sp;
  for (int32_t od = 0; od < g.out[0]; ++od) {
    const int32_t d0 = od * g.stride[0] - g.pad[0];
    int32_t kd0, kd1;
    window_taps(d0, g.kernel[0], g.dil[0], g.in[0], kd0, kd1);
    for (int32_t oh = 0; oh < g.out[1]; ++oh) {
      const int32_t h0 = oh * g.stride[1] - g.pad[1];
      int32_t kh0, kh1;
      window_taps(h0, kh_n, g.dil[1], g.in[1], kh0, kh1);
      const int32_t out_row = (od * g.out[1] + oh) * g.out[2];
      // Whole 3x3 windows along this row go in pairs of pixels at strides 1 and 2.
      const bool pairs = full3x3 && kd1 > kd0 && kh1 - kh0 == 3 && (sw == 1 || sw == 2);
      const T* x_row = xg + (d0 * g.in[1] + h0) * in_w;
      for (int32_t ow = 0; ow < g.out[2]; ++ow) {
        const int32_t w0 = ow * sw - g.pad[2];
        if (pairs && ow + 1 < g.out[2] && w0 >= 0 && w0 + sw + 2 < in_w) {
          if (sw == 1)
            conv3x3_pair_block4<1>(p, x_row + w0, wo, bias4, yo + out_row + ow);
          else
            conv3x3_pair_block4<2>(p, x_row + w0, wo, bias4, yo + out_row + ow);
          ++ow;
          continue;
        }
        int32_t kw0, kw1;
        window_taps(w0, kw_n, dw, in_w, kw0, kw1);
        const int32_t taps = kw1 - kw0;
        A a0 = b0, a1 = b1, a2 = b2, a3 = b3;
        if (full3x3 && kd1 > kd0 && kh1 - kh0 == 3 && taps == 3) {  // a whole 3x3 window: nine taps unrolled
          const T* xc = x_row + w0;
          const T* q0 = wo;
          const T* q1 = wo + ws;
          const T* q2 = q1 + ws;
          const T* q3 = q2 + ws;
          for (int32_t ic = 0; ic < icg; ++ic, xc += in_sp, q0 += 9, q1 += 9, q2 += 9, q3 += 9) {
            const T* x1 = xc + in_w;
            const T* x2 = x1 + in_w;
            row3_block4(a0, a1, a2, a3, xc, q0, q1, q2, q3);
            row3_block4(a0, a1, a2, a3, x1, q0 + 3, q1 + 3, q2 + 3, q3 + 3);
            row3_block4(a0, a1, a2, a3, x2, q0 + 6, q1 + 6, q2 + 6, q3 + 6);
          }
        } else {
          for (int32_t kd = kd0; kd < kd1; ++kd) {
            // The first valid tap of input channel 0 and of output channel oc's weights.
            const T* xc = xg + ((d0 + kd * g.dil[0]) * g.in[1] + h0 + kh0 * g.dil[1]) * in_w + w0 + kw0 * dw;
            const T* wc = wo + (kd * kh_n + kh0) * kw_n + kw0;
            for (int32_t ic = 0; ic < icg; ++ic, xc += in_sp, wc += k_sp) {
              const T* xh = xc;
              const T* wh = wc;
              for (int32_t kh = kh0; kh < kh1; ++kh, xh += row_step, wh += kw_n) {
                const T* q1 = wh + ws;
                const T* q2 = q1 + ws;
                const T* q3 = q2 + ws;
                if (taps == 3 && dw == 1) {  // the common 3-wide row, unrolled
                  row3_block4(a0, a1, a2, a3, xh, wh, q1, q2, q3);
                  continue;
                }
                const T* xp = xh;
                for (int32_t k = 0; k < taps; ++k, xp += dw) {
                  const A xv = A(*xp);
                  a0 = mac(a0, xv, A(wh[k]));
                  a1 = mac(a1, xv, A(q1[k]));
                  a2 = mac(a2, xv, A(q2[k]));
                  a3 = mac(a3, xv, A(q3[k]));
                }
              }
            }
          }
        }
        T* yp = yo + out_row + ow;
        yp[0] = store_activated<T>(p.act, a0);
        yp[out_sp] = store_activated<T>(p.act, a1);
        yp[2 * out_sp] = store_activated<T>(p.act, a2);
        yp[3 * out_sp] = store_activated<T>(p.act, a3);
      }
    }
  }
}

}  // namespace detail

// Output channels in blocks of four within each group (detail::conv_block4);
// a group's last one to three channels take the one-channel loop below.
template <typename T>
inline void conv(const ConvParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                 const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_F32)
  if constexpr (std::is_same<T, float>::value) {  // Helium (mve/conv_mve.h)
    // Undilated 3x3 windows stay on conv_block4's unrolled scalar FMA body, which
    // measured faster on cortex-m55 (float ResNet-8 50.2 M -> 33.2 M instructions).
    const Window& g = p.win;
    const bool full3x3 = g.kernel[0] == 1 && g.kernel[1] == 3 && g.kernel[2] == 3 && g.dil[1] == 1 && g.dil[2] == 1;
    if (p.group == 1 && !full3x3) {
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
      if (oc % ocg + 4 <= ocg) {
        detail::conv_block4(p, xg, w, bias, y + n * p.out_c * out_sp, oc);
        oc += 3;
        continue;
      }
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
