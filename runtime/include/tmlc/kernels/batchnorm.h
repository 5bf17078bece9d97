// batchnorm.h: BatchNormalization in inference mode, for the cases the
// compiler cannot fold into a preceding Conv or Gemm.
//   y = (x - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c], x [N, C, spatial...]
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct BatchNormParams {
  int32_t batch, channels, spatial;
  float epsilon;
};

template <typename T>
inline void batchnorm(const BatchNormParams& p, const T* TMLC_RESTRICT x, const T* scale, const T* bias,
                      const T* mean, const T* var, T* TMLC_RESTRICT y) noexcept {
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t c = 0; c < p.channels; ++c) {
      const float s = float(scale[c]) / std::sqrt(float(var[c]) + p.epsilon);
      const float b = float(bias[c]) - float(mean[c]) * s;
      const int32_t base = (n * p.channels + c) * p.spatial;
      for (int32_t i = 0; i < p.spatial; ++i) y[base + i] = T(float(x[base + i]) * s + b);
    }
  }
}

}  // namespace tmlc
