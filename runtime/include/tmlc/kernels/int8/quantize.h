// quantize.h: the model boundary and layout changes of quantized tensors.
//
// quantize:   float x -> T y = saturate(round_half_even(x / scale) + zp)  (ONNX QuantizeLinear)
// dequantize: T x -> float y = (x - zp) * scale                          (ONNX DequantizeLinear)
// Both may also change the layout between channels-first (the model's NCHW)
// and channels-last (NHWC, the layout of the integer kernels): `perm` says
// which. `transpose_layout` does only the layout change, for integer tensors.
// The tensors are viewed as [outer, c, inner] (NCHW: outer = N, inner = H*W).
#pragma once

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

enum class Layout : int32_t { Same = 0, ToChannelsLast = 1, ToChannelsFirst = 2 };

struct BoundaryParams {
  int32_t outer, c, inner;
  Layout perm;
  float scale;
  int32_t zp;
};

// Index in y of element i of x, for the layout change.
TMLC_ALWAYS_INLINE int32_t layout_index(const BoundaryParams& p, int32_t o, int32_t c, int32_t i) noexcept {
  return (o * p.inner + i) * p.c + c;  // [outer, inner, c]
}

template <typename T>
inline void quantize(const BoundaryParams& p, const float* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  const int32_t total = p.outer * p.c * p.inner;
  if (p.perm == Layout::Same) {
    for (int32_t i = 0; i < total; ++i) y[i] = quantize_value<T>(x[i], p.scale, p.zp);
    return;
  }
  // ToChannelsLast: x is [outer, c, inner].
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t c = 0; c < p.c; ++c)
      for (int32_t i = 0; i < p.inner; ++i)
        y[layout_index(p, o, c, i)] = quantize_value<T>(x[(o * p.c + c) * p.inner + i], p.scale, p.zp);
}

template <typename T>
inline void dequantize(const BoundaryParams& p, const T* TMLC_RESTRICT x, float* TMLC_RESTRICT y) noexcept {
  const int32_t total = p.outer * p.c * p.inner;
  if (p.perm == Layout::Same) {
    for (int32_t i = 0; i < total; ++i) y[i] = dequantize_value<T>(x[i], p.scale, p.zp);
    return;
  }
  // ToChannelsFirst: x is [outer, inner, c].
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t c = 0; c < p.c; ++c)
      for (int32_t i = 0; i < p.inner; ++i)
        y[(o * p.c + c) * p.inner + i] = dequantize_value<T>(x[layout_index(p, o, c, i)], p.scale, p.zp);
}

template <typename T>
inline void transpose_layout(const BoundaryParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t c = 0; c < p.c; ++c)
      for (int32_t i = 0; i < p.inner; ++i) {
        if (p.perm == Layout::ToChannelsLast)
          y[layout_index(p, o, c, i)] = x[(o * p.c + c) * p.inner + i];
        else
          y[(o * p.c + c) * p.inner + i] = x[layout_index(p, o, c, i)];
      }
}

}  // namespace q
}  // namespace tmlc
