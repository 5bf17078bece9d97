// conv_transpose.h: transposed convolution (the gradient of conv), 1-D to 3-D.
//
//   x [batch, in_c, D, H, W], w [in_c, out_c / group, kD, kH, kW],
//   bias [out_c] or nullptr, y [batch, out_c, oD, oH, oW].
// Window fields (window.h) keep their convolution meaning seen from y: in[] is
// x's extent, out[] y's, pad[] the begin padding cropped from the full output.
// Output position o receives x[i] * w[k] where o + pad = i * stride + k * dil;
// the kernel gathers those terms per output, so each output is written once
// and a fused activation applies.
#pragma once

#include "tmlc/kernels/accum.h"
#include "tmlc/kernels/window.h"

namespace tmlc {

struct ConvTransposeParams {
  int32_t batch, in_c, out_c, group;
  Window win;
  Activation act;
};

template <typename T>
inline void conv_transpose(const ConvTransposeParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                           const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
  using A = accum_t<T>;
  const Window& g = p.win;
  const int32_t icg = p.in_c / p.group, ocg = p.out_c / p.group;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_sp = window_kernel_size(g);
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t oc = 0; oc < p.out_c; ++oc) {
      const int32_t grp = oc / ocg, m = oc % ocg;
      const T* xg = x + (n * p.in_c + grp * icg) * in_sp;
      const T* wg = w + (grp * icg * ocg + m) * k_sp;  // w[grp * icg + ic][m]
      const A b = bias ? A(bias[oc]) : A(0);
      T* yo = y + (n * p.out_c + oc) * out_sp;
      int32_t o[3];
      for (o[0] = 0; o[0] < g.out[0]; ++o[0]) {
        for (o[1] = 0; o[1] < g.out[1]; ++o[1]) {
          for (o[2] = 0; o[2] < g.out[2]; ++o[2]) {
            A acc = b;
            for (int32_t kd = 0; kd < g.kernel[0]; ++kd) {
              const int32_t td = o[0] + g.pad[0] - kd * g.dil[0];
              if (td < 0 || td % g.stride[0]) continue;
              const int32_t id = td / g.stride[0];
              if (id >= g.in[0]) continue;
              for (int32_t kh = 0; kh < g.kernel[1]; ++kh) {
                const int32_t th = o[1] + g.pad[1] - kh * g.dil[1];
                if (th < 0 || th % g.stride[1]) continue;
                const int32_t ih = th / g.stride[1];
                if (ih >= g.in[1]) continue;
                for (int32_t kw = 0; kw < g.kernel[2]; ++kw) {
                  const int32_t tw = o[2] + g.pad[2] - kw * g.dil[2];
                  if (tw < 0 || tw % g.stride[2]) continue;
                  const int32_t iw = tw / g.stride[2];
                  if (iw >= g.in[2]) continue;
                  const int32_t xi = (id * g.in[1] + ih) * g.in[2] + iw;
                  const int32_t ki = (kd * g.kernel[1] + kh) * g.kernel[2] + kw;
                  for (int32_t ic = 0; ic < icg; ++ic)
                    acc += A(xg[ic * in_sp + xi]) * A(wg[ic * ocg * k_sp + ki]);
                }
              }
            }
            yo[(o[0] * g.out[1] + o[1]) * g.out[2] + o[2]] = store_activated<T>(p.act, acc);
          }
        }
      }
    }
  }
}

}  // namespace tmlc
