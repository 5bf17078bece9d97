// fully_connected.h: quantized dense layer (Gemm / MatMul with constant weights).
//
//   x [batch, in]          T, zero point zp_x (in_offset = -zp_x)
//   w [out, in]            int8_t, symmetric per output (row)
//   bias [out]             bias_t<T> (int32_t; int64_t for int16_t, accumulated in
//                          int64), scale = scale_x * scale_w[o]; or nullptr
//   mult, shift [out]      requantize.h pairs for scale_x * scale_w[o] / scale_y
//   y [batch, out]         T
// Per-tensor weights are the case where every row has the same mult and shift.
#pragma once

#include <type_traits>

#include "tmlc/kernels/int8/conv.h"

namespace tmlc {
namespace q {

struct FullyConnectedParams {
  int32_t batch, in, out;
  int32_t in_offset, out_offset;
  int32_t act_min, act_max;
};

template <typename T>
inline void fully_connected(const FullyConnectedParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                            const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                            const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    mve::mat_mult(x, p.batch, p.in, w, p.out, {bias, mult, shift, p.in_offset, p.out_offset, p.act_min, p.act_max}, y);
    return;
  }
#endif
  for (int32_t b = 0; b < p.batch; ++b) {
    const T* xb = x + b * p.in;
    for (int32_t o = 0; o < p.out; ++o) {
      const bias_t<T> acc = dot_offset(xb, w + o * p.in, p.in, p.in_offset, bias ? bias[o] : bias_t<T>(0));
      y[b * p.out + o] = requantize<T>(acc, mult[o], shift[o], p.out_offset, p.act_min, p.act_max);
    }
  }
}

}  // namespace q
}  // namespace tmlc
