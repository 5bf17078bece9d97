// qlinear_pool.h: integer average pooling over 1-D to 3-D windows, channels
// first or last, with one rounding: the com.microsoft QLinearAveragePool and
// QLinearGlobalAveragePool (global: one window covering the input).
//
//   x [batch, C, D, H, W] (channels_last: [batch, D, H, W, C]) T, y likewise.
//   For each window: s = sum over the taps inside the input of (x - zp_x);
//   count = the kernel size when count_include_pad (taps in the padding are the
//   real value 0), else the taps inside the input. Then
//     y = clamp(round(s * scale_x / (scale_y * count)) + zp_y)
//   in fixed point, with |s| * 2^pre_shift within int32 (pre_shift <= 16) so
//   that the first of the two roundings of multiply_by_quantized_multiplier
//   moves the result by at most 2^-(pre_shift+1) LSB: a window of the full
//   kernel size takes
//     mbqm(s * 2^pre_shift, full_mult, full_shift),
//     (full_mult, full_shift) = scale_x / (scale_y * kernel size) * 2^-pre_shift;
//   a window cut by the input's edges divides first:
//     mbqm(rounding_divide(s * 2^pre_shift, count), mult, shift),
//     (mult, shift) = scale_x / scale_y * 2^-pre_shift.
//   When the output keeps the input's scale (same_scale) the mean is exact:
//     y = clamp(rounding_divide_half_even(s + count * zp_y, count)),
//   ties to even as ONNX Runtime's float mean, which lands on them exactly.
// ONNX Runtime computes the same mean in float and rounds half to even; see
// requantize.h for where the two may differ by one.
#pragma once

#include "tmlc/kernels/int8/requantize.h"
#include "tmlc/kernels/window.h"

namespace tmlc {
namespace q {

struct QLinearPoolParams {
  int32_t batch, channels;
  int32_t channels_last;  // 1: x and y are [batch, D, H, W, C]
  Window win;             // dil 1; pad_end unused (ONNX Runtime counts the whole kernel)
  int32_t count_include_pad;
  int32_t in_zp, out_zp;
  int32_t full_mult, full_shift;  // scale_x / (scale_y * kernel size) * 2^-pre_shift
  int32_t mult, shift;            // scale_x / scale_y * 2^-pre_shift
  int32_t pre_shift;
  int32_t same_scale;  // scale_y == scale_x: exact mean, ties to even
};

template <typename T>
inline void qlinear_avg_pool(const QLinearPoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  const Window& g = p.win;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g), k_full = window_kernel_size(g);
  // Element strides of a channel and of a spatial position.
  const int32_t in_cs = p.channels_last ? 1 : in_sp, in_ss = p.channels_last ? p.channels : 1;
  const int32_t out_cs = p.channels_last ? 1 : out_sp, out_ss = p.channels_last ? p.channels : 1;
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.channels * in_sp;
    T* yn = y + n * p.channels * out_sp;
    for (int32_t od = 0; od < g.out[0]; ++od) {
      const int32_t d0 = od * g.stride[0] - g.pad[0];
      int32_t kd0, kd1;
      window_taps(d0, g.kernel[0], 1, g.in[0], kd0, kd1);
      for (int32_t oh = 0; oh < g.out[1]; ++oh) {
        const int32_t h0 = oh * g.stride[1] - g.pad[1];
        int32_t kh0, kh1;
        window_taps(h0, g.kernel[1], 1, g.in[1], kh0, kh1);
        for (int32_t ow = 0; ow < g.out[2]; ++ow) {
          const int32_t w0 = ow * g.stride[2] - g.pad[2];
          int32_t kw0, kw1;
          window_taps(w0, g.kernel[2], 1, g.in[2], kw0, kw1);
          const int32_t valid = (kd1 > kd0 ? kd1 - kd0 : 0) * (kh1 > kh0 ? kh1 - kh0 : 0) * (kw1 > kw0 ? kw1 - kw0 : 0);
          const int32_t count = p.count_include_pad ? k_full : valid;
          const int32_t o = (od * g.out[1] + oh) * g.out[2] + ow;
          for (int32_t c = 0; c < p.channels; ++c) {
            const T* xc = xn + c * in_cs;
            int32_t sum = 0;
            for (int32_t kd = kd0; kd < kd1; ++kd)
              for (int32_t kh = kh0; kh < kh1; ++kh) {
                const int32_t row = ((d0 + kd) * g.in[1] + h0 + kh) * g.in[2] + w0;
                for (int32_t kw = kw0; kw < kw1; ++kw) sum += static_cast<int32_t>(xc[(row + kw) * in_ss]);
              }
            sum -= valid * p.in_zp;
            int32_t v;
            if (count <= 0)
              v = p.out_zp;
            else if (p.same_scale)
              v = rounding_divide_half_even(sum + count * p.out_zp, count);
            else if (count == k_full)
              v = multiply_by_quantized_multiplier(sum * (1 << p.pre_shift), p.full_mult, p.full_shift) + p.out_zp;
            else
              v = multiply_by_quantized_multiplier(rounding_divide(sum * (1 << p.pre_shift), count), p.mult, p.shift) +
                  p.out_zp;
            yn[c * out_cs + o * out_ss] = static_cast<T>(clamp_to<T>(v));
          }
        }
      }
    }
  }
}

}  // namespace q
}  // namespace tmlc
