// normalization.h: normalization layers (statistics in float, double for double).
//
//   group_norm  x [batch, channels, spatial]; mean and variance per batch and
//               group of channels / groups channels; then scale and bias per
//               channel (or per group when scale_per_group). InstanceNormalization
//               is groups == channels.
//   layer_norm  x [outer, inner]; statistics per row over inner; scale and bias
//               broadcast over the row through p.affine (operands 0 and 1,
//               strides 0 where they repeat); optional mean and inv_std_dev [outer]
//               in the stash type U.
//   mvn         MeanVarianceNormalization over any set of axes: the kept axes
//               and the reduced axes are walked separately (dims and element
//               strides of each); y = (x - mean) / (sqrt(E[x^2] - mean^2) + 1e-9).
// y = (x - mean) / sqrt(var + epsilon) * scale + bias in the first two.
#pragma once

#include "tmlc/kernels/accum.h"
#include "tmlc/kernels/broadcast.h"

namespace tmlc {

struct GroupNormParams {
  int32_t batch, channels, groups, spatial;
  float epsilon;
  int32_t scale_per_group;
};

template <typename T>
inline void group_norm(const GroupNormParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT scale,
                       const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  const int32_t cpg = p.channels / p.groups, len = cpg * p.spatial;
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t g = 0; g < p.groups; ++g) {
      const int32_t base = (n * p.channels + g * cpg) * p.spatial;
      M mean = M(0), var = M(0);
      for (int32_t i = 0; i < len; ++i) mean += M(x[base + i]);
      mean /= M(len);
      for (int32_t i = 0; i < len; ++i) {
        const M d = M(x[base + i]) - mean;
        var += d * d;
      }
      const M inv = M(1) / std::sqrt(var / M(len) + M(p.epsilon));
      for (int32_t c = 0; c < cpg; ++c) {
        const int32_t k = p.scale_per_group ? g : g * cpg + c;
        const M s = M(scale[k]) * inv, b = M(bias[k]);
        const int32_t off = base + c * p.spatial;
        for (int32_t i = 0; i < p.spatial; ++i) y[off + i] = T((M(x[off + i]) - mean) * s + b);
      }
    }
  }
}

struct LayerNormParams {
  int32_t outer, inner;
  float epsilon;
  BroadcastParams affine;  // walk over one row: operand 0 scale, 1 bias
};

template <typename T, typename U>
inline void layer_norm(const LayerNormParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT scale,
                       const T* TMLC_RESTRICT bias, T* TMLC_RESTRICT y, U* TMLC_RESTRICT mean_out,
                       U* TMLC_RESTRICT inv_std_out) noexcept {
  using M = math_t<T>;
  for (int32_t o = 0; o < p.outer; ++o) {
    const T* xr = x + o * p.inner;
    T* yr = y + o * p.inner;
    M mean = M(0), var = M(0);
    for (int32_t i = 0; i < p.inner; ++i) mean += M(xr[i]);
    mean /= M(p.inner);
    for (int32_t i = 0; i < p.inner; ++i) {
      const M d = M(xr[i]) - mean;
      var += d * d;
    }
    const M inv = M(1) / std::sqrt(var / M(p.inner) + M(p.epsilon));
    broadcast_walk(p.affine, [&](int32_t i, int32_t is, int32_t ib, int32_t) {
      const M v = (M(xr[i]) - mean) * inv * M(scale[is]);
      yr[i] = T(bias ? v + M(bias[ib]) : v);
    });
    if (mean_out) mean_out[o] = U(mean);
    if (inv_std_out) inv_std_out[o] = U(inv);
  }
}

struct MvnParams {
  int32_t kept_rank, reduced_rank;
  int32_t kept_dims[kMaxRank], kept_strides[kMaxRank];
  int32_t reduced_dims[kMaxRank], reduced_strides[kMaxRank];
};

namespace detail {
// Calls f(offset) for every index of an odometer over dims with element strides.
template <typename F>
TMLC_ALWAYS_INLINE void odometer(int32_t rank, const int32_t* dims, const int32_t* strides, F&& f) noexcept {
  int32_t idx[kMaxRank] = {0};
  int32_t off = 0;
  for (;;) {
    f(off);
    int32_t d = rank - 1;
    for (; d >= 0; --d) {
      off += strides[d];
      if (++idx[d] < dims[d]) break;
      off -= strides[d] * dims[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
}  // namespace detail

template <typename T>
inline void mvn(const MvnParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  detail::odometer(p.kept_rank, p.kept_dims, p.kept_strides, [&](int32_t base) {
    M sum = M(0), sq = M(0);
    int32_t count = 0;
    detail::odometer(p.reduced_rank, p.reduced_dims, p.reduced_strides, [&](int32_t off) {
      const M v = M(x[base + off]);
      sum += v;
      sq += v * v;
      ++count;
    });
    const M mean = sum / M(count);
    M var = sq / M(count) - mean * mean;
    if (var < M(0)) var = M(0);
    const M den = std::sqrt(var) + M(1e-9);
    detail::odometer(p.reduced_rank, p.reduced_dims, p.reduced_strides,
                     [&](int32_t off) { y[base + off] = T((M(x[base + off]) - mean) / den); });
  });
}

}  // namespace tmlc
