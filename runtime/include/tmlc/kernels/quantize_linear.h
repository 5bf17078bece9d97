// quantize_linear.h: ONNX's float <-> integer conversions.
//
//   quantize_linear     y = saturate(round_half_even(x / scale) + zero_point)
//   dequantize_linear   y = (x - zero_point) * scale
//   dynamic_quantize_linear  uint8 with scale and zero point from x's range:
//       scale = (max(0, max x) - min(0, min x)) / 255,
//       zero_point = saturate(round_half_even(-min(0, min x) / scale))
// Per-tensor or per-axis: x is viewed as [outer, channels, inner] and scale,
// zero_point hold `channels` values (1 for per-tensor). zero_point may be
// nullptr (0). The rounding itself is int8/requantize.h's, the one place
// every quantized kernel rounds.
#pragma once

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {

struct QuantizeLinearParams {
  int32_t outer, channels, inner;
};

template <typename TX, typename TY>
inline void quantize_linear(const QuantizeLinearParams& p, const TX* TMLC_RESTRICT x, const float* TMLC_RESTRICT scale,
                            const TY* TMLC_RESTRICT zero_point, TY* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t c = 0; c < p.channels; ++c) {
      const float s = scale[c];
      const int32_t zp = zero_point ? int32_t(zero_point[c]) : 0;
      const int32_t base = (o * p.channels + c) * p.inner;
      for (int32_t i = 0; i < p.inner; ++i) y[base + i] = q::quantize_value<TY>(float(x[base + i]), s, zp);
    }
}

template <typename TX, typename TY>
inline void dequantize_linear(const QuantizeLinearParams& p, const TX* TMLC_RESTRICT x, const TY* TMLC_RESTRICT scale,
                              const TX* TMLC_RESTRICT zero_point, TY* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t c = 0; c < p.channels; ++c) {
      const float s = float(scale[c]);
      const int32_t zp = zero_point ? int32_t(zero_point[c]) : 0;
      const int32_t base = (o * p.channels + c) * p.inner;
      for (int32_t i = 0; i < p.inner; ++i) y[base + i] = TY(q::dequantize_value<TX>(x[base + i], s, zp));
    }
}

inline void dynamic_quantize_linear(int32_t count, const float* TMLC_RESTRICT x, uint8_t* TMLC_RESTRICT y,
                                    float* TMLC_RESTRICT y_scale, uint8_t* TMLC_RESTRICT y_zero_point) noexcept {
  float lo = 0.0f, hi = 0.0f;
  for (int32_t i = 0; i < count; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  const float scale = (hi - lo) / 255.0f;
  int32_t zp = 0;
  if (scale > 0.0f) {
    float z = q::round_half_even(0.0f - lo / scale);
    zp = int32_t(z < 0.0f ? 0.0f : (z > 255.0f ? 255.0f : z));
  }
  *y_scale = scale;
  *y_zero_point = uint8_t(zp);
  for (int32_t i = 0; i < count; ++i) y[i] = scale > 0.0f ? q::quantize_value<uint8_t>(x[i], scale, zp) : uint8_t(0);
}

}  // namespace tmlc
