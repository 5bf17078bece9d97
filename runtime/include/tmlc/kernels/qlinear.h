// qlinear.h: ONNX's quantized matrix product and convolution, as ONNX Runtime
// computes them: integer accumulation of (x - x_zero_point) * (w - w_zero_point)
// in int32, then, for the QLinear forms, ONNX's float rescale
//   y = saturate(round_half_even(float(acc) * M) + y_zero_point),
//   M = x_scale * w_scale / y_scale (float),
// computed with integers only: the compiler splits each M into a FloatMult
// and float_rescale (int8/requantize.h) repeats every float rounding, so the
// results equal ONNX Runtime's bit for bit and the code needs no FPU.
//
//   qlinear_matmul  QLinearMatMul (mult given) and MatMulInteger (mult
//                   nullptr: y is the int32 accumulator). a [batch..., M, K],
//                   b [batch..., K, N]; batch axes broadcast as in matmul.h.
//                   Zero points of A may be per row (M values), of B per
//                   column (N values), else one value; mult holds one M per
//                   (row, column) pair that differs: [a_rows][b_cols] with
//                   a_rows = M if A's scale is per row else 1, b_cols likewise.
//   qlinear_conv    QLinearConv (mult given, optional int32 bias) and
//                   ConvInteger (mult nullptr). Layout and geometry as conv.h;
//                   w's zero point and mult may be per output channel.
// Zero points may be nullptr (0).
#pragma once

#include "tmlc/kernels/int8/requantize.h"
#include "tmlc/kernels/matmul.h"
#include "tmlc/kernels/window.h"

namespace tmlc {

struct QMatMulParams {
  MatMulParams mm;          // m, n, k and the batch walk; act unused
  int32_t a_zp_per_row, a_scale_per_row;  // A's zero point / scale hold M values (else 1)
  int32_t b_zp_per_col, b_scale_per_col;  // B's zero point / scale hold N values (else 1)
};

// The rescale multipliers of one node, a compile-time table.
template <int N>
struct FloatMults {
  q::FloatMult v[N];
};

struct QConvParams {
  int32_t batch, in_c, out_c, group;
  Window win;
  int32_t w_zp_per_channel, w_scale_per_channel;  // w's zero point / scale hold out_c values (else 1)
};

namespace qlinear_detail {

template <typename T>
TMLC_ALWAYS_INLINE int32_t at(const T* v, int32_t i) noexcept {
  return v ? int32_t(v[i]) : 0;
}

// Stores the accumulator: int32 as is (the Integer forms), or rescaled and
// saturated to the 8- or 16-bit TY (the QLinear forms).
template <typename TY>
TMLC_ALWAYS_INLINE TY store(int32_t acc, const q::FloatMult* mult, const TY* zp_y) noexcept {
  if constexpr (sizeof(TY) >= 4) {
    (void)mult, (void)zp_y;
    return TY(acc);
  } else {
    const int32_t v = q::float_rescale(acc, *mult) + (zp_y ? int32_t(zp_y[0]) : 0);
    return TY(q::clamp_to<TY>(v));
  }
}

}  // namespace qlinear_detail

template <typename TA, typename TB, typename TY>
inline void qlinear_matmul(const QMatMulParams& p, const TA* TMLC_RESTRICT a, const TA* a_zero_point,
                           const TB* TMLC_RESTRICT b, const TB* b_zero_point, const q::FloatMult* mult,
                           const TY* y_zero_point, TY* TMLC_RESTRICT y) noexcept {
  const MatMulParams& m = p.mm;
  const int32_t sa = m.m * m.k, sb = m.k * m.n, sy = m.m * m.n;
  broadcast_walk(m.batch, [&](int32_t i, int32_t ia, int32_t ib, int32_t) {
    const TA* am = a + ia * sa;
    const TB* bm = b + ib * sb;
    TY* ym = y + i * sy;
    for (int32_t r = 0; r < m.m; ++r) {
      const int32_t za = qlinear_detail::at(a_zero_point, p.a_zp_per_row ? r : 0);
      const q::FloatMult* m_r = mult ? mult + (p.a_scale_per_row ? r : 0) * (p.b_scale_per_col ? m.n : 1) : nullptr;
      const TA* ar = am + r * m.k;
      for (int32_t c = 0; c < m.n; ++c) {
        const int32_t zb = qlinear_detail::at(b_zero_point, p.b_zp_per_col ? c : 0);
        int32_t acc = 0;
        for (int32_t l = 0; l < m.k; ++l) acc += (int32_t(ar[l]) - za) * (int32_t(bm[l * m.n + c]) - zb);
        ym[r * m.n + c] =
            qlinear_detail::store<TY>(acc, m_r ? m_r + (p.b_scale_per_col ? c : 0) : nullptr, y_zero_point);
      }
    }
  });
}

template <typename TX, typename TW, typename TY>
inline void qlinear_conv(const QConvParams& p, const TX* TMLC_RESTRICT x, const TX* x_zero_point,
                         const TW* TMLC_RESTRICT w, const TW* w_zero_point, const q::FloatMult* mult,
                         const TY* y_zero_point, const int32_t* TMLC_RESTRICT bias, TY* TMLC_RESTRICT y) noexcept {
  const Window& g = p.win;
  const int32_t icg = p.in_c / p.group, ocg = p.out_c / p.group;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  const int32_t in_hw = g.in[1] * g.in[2], k_hw = g.kernel[1] * g.kernel[2];
  const int32_t zx = qlinear_detail::at(x_zero_point, 0);
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_c; ++oc) {
      const int32_t zw = qlinear_detail::at(w_zero_point, p.w_zp_per_channel ? oc : 0);
      const q::FloatMult* mo = mult ? mult + (p.w_scale_per_channel ? oc : 0) : nullptr;
      const TX* xg = x + (n * p.in_c + (oc / ocg) * icg) * in_sp;
      const TW* wo = w + oc * icg * k_sp;
      TY* yo = y + (n * p.out_c + oc) * out_sp;
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
            // Padding holds x's zero point, which contributes nothing.
            int32_t acc = bias ? bias[oc] : 0;
            for (int32_t ic = 0; ic < icg; ++ic) {
              const TX* xc = xg + ic * in_sp;
              const TW* wc = wo + ic * k_sp;
              for (int32_t kd = kd0; kd < kd1; ++kd) {
                const TX* xd = xc + (d0 + kd * g.dil[0]) * in_hw;
                const TW* wd = wc + kd * k_hw;
                for (int32_t kh = kh0; kh < kh1; ++kh) {
                  const TX* xh = xd + (h0 + kh * g.dil[1]) * g.in[2] + w0;
                  const TW* wh = wd + kh * g.kernel[2];
                  for (int32_t kw = kw0; kw < kw1; ++kw)
                    acc += (int32_t(xh[kw * g.dil[2]]) - zx) * (int32_t(wh[kw]) - zw);
                }
              }
            }
            yo[(od * g.out[1] + oh) * g.out[2] + ow] = qlinear_detail::store<TY>(acc, mo, y_zero_point);
          }
        }
      }
    }
  }
}

}  // namespace tmlc
