// batchnorm.h: BatchNormalization, for the cases the compiler cannot fold into
// a preceding Conv or Gemm. x [N, C, spatial...]:
//   batchnorm           inference: y = (x - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c]
//   batchnorm_training  training_mode = 1: normalizes with the batch's own
//                       statistics (population variance over N and spatial)
//                       and writes the updated running statistics,
//                       running = stat * momentum + batch_stat * (1 - momentum)
//                       (either output may be nullptr).
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

struct BatchNormParams {
  int32_t batch, channels, spatial;
  float epsilon;
};

struct BatchNormTrainingParams {
  BatchNormParams bn;
  float momentum;
};

template <typename T>
inline void batchnorm(const BatchNormParams& p, const T* TMLC_RESTRICT x, const T* scale, const T* bias,
                      const T* mean, const T* var, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t c = 0; c < p.channels; ++c) {
      const M s = M(scale[c]) / std::sqrt(M(var[c]) + M(p.epsilon));
      const M b = M(bias[c]) - M(mean[c]) * s;
      const int32_t base = (n * p.channels + c) * p.spatial;
      for (int32_t i = 0; i < p.spatial; ++i) y[base + i] = T(M(x[base + i]) * s + b);
    }
  }
}

template <typename T>
inline void batchnorm_training(const BatchNormTrainingParams& tp, const T* TMLC_RESTRICT x, const T* scale, const T* bias,
                               const T* mean, const T* var, T* TMLC_RESTRICT y, T* running_mean,
                               T* running_var) noexcept {
  using M = math_t<T>;
  const BatchNormParams& p = tp.bn;
  const M count = M(p.batch) * M(p.spatial);
  for (int32_t c = 0; c < p.channels; ++c) {
    M sum = M(0), sq = M(0);
    for (int32_t n = 0; n < p.batch; ++n) {
      const T* xc = x + (n * p.channels + c) * p.spatial;
      for (int32_t i = 0; i < p.spatial; ++i) sum += M(xc[i]);
    }
    const M bm = sum / count;
    for (int32_t n = 0; n < p.batch; ++n) {
      const T* xc = x + (n * p.channels + c) * p.spatial;
      for (int32_t i = 0; i < p.spatial; ++i) sq += (M(xc[i]) - bm) * (M(xc[i]) - bm);
    }
    const M bv = sq / count;
    const M s = M(scale[c]) / std::sqrt(bv + M(p.epsilon));
    for (int32_t n = 0; n < p.batch; ++n) {
      const int32_t base = (n * p.channels + c) * p.spatial;
      for (int32_t i = 0; i < p.spatial; ++i) y[base + i] = T((M(x[base + i]) - bm) * s + M(bias[c]));
    }
    const M mo = M(tp.momentum);
    if (running_mean) running_mean[c] = T(M(mean[c]) * mo + bm * (M(1) - mo));
    if (running_var) running_var[c] = T(M(var[c]) * mo + bv * (M(1) - mo));
  }
}

}  // namespace tmlc
