// resize.h: separable N-d resampling (ONNX Resize and Upsample) from tables.
//
// The compiler resolves every mode (nearest with its rounding, linear, cubic,
// each coordinate transformation, exclude_outside, tf_crop_and_resize) into
// per-axis tables, so the kernel only gathers: for output coordinate o on axis
// d, entries e = table[d] + o * taps[d] + t (t < taps[d]) give an input index
// and a weight. y = sum over all tap combinations of the product of the
// weights times x at the combined index. An index of -1 marks a coordinate
// outside the crop (tf_crop_and_resize): the output is `extrapolation`.
// combos is the product of taps[]; with one combination (nearest) the element
// is copied exactly, whatever its type.
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

struct ResizeParams {
  int32_t rank, count, combos;
  int32_t out_dims[kMaxRank], in_strides[kMaxRank];
  int32_t taps[kMaxRank], table[kMaxRank];
  float extrapolation;
};

// The tables, as one constexpr object of the generated code.
template <int32_t N>
struct ResizeTable {
  int32_t index[N];
  float weight[N];
};

template <typename T>
inline void resize(const ResizeParams& p, const int32_t* TMLC_RESTRICT index, const float* TMLC_RESTRICT weight,
                   const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  int32_t o[kMaxRank] = {0};
  for (int32_t i = 0; i < p.count; ++i) {
    bool outside = false;
    for (int32_t d = 0; d < p.rank; ++d) outside = outside || index[p.table[d] + o[d] * p.taps[d]] < 0;
    if (outside) {
      y[i] = T(p.extrapolation);
    } else if (p.combos == 1) {
      int32_t off = 0;
      for (int32_t d = 0; d < p.rank; ++d) off += index[p.table[d] + o[d]] * p.in_strides[d];
      y[i] = x[off];
    } else {
      M acc = M(0);
      for (int32_t c = 0; c < p.combos; ++c) {
        int32_t r = c, off = 0;
        M w = M(1);
        for (int32_t d = p.rank - 1; d >= 0; --d) {
          const int32_t e = p.table[d] + o[d] * p.taps[d] + r % p.taps[d];
          r /= p.taps[d];
          off += index[e] * p.in_strides[d];
          w *= M(weight[e]);
        }
        acc += w * M(x[off]);
      }
      if constexpr (is_floating_v<T>)
        y[i] = T(acc);
      else
        y[i] = T(std::floor(acc + M(0.5)));
    }
    for (int32_t d = p.rank - 1; d >= 0; --d) {
      if (++o[d] < p.out_dims[d]) break;
      o[d] = 0;
    }
  }
}

}  // namespace tmlc
