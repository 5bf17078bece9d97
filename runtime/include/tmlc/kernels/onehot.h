// onehot.h: OneHot.
//
//   tmlc::one_hot<T, I>(params, indices, values, y)
//
// y viewed as [outer, depth, inner] is values[1] where the index at
// [outer, inner] equals the depth position, values[0] elsewhere. Negative
// indices count from depth; indices out of [-depth, depth) give a row of
// values[0]. I may be any numeric type (ONNX allows float indices).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct OneHotParams {
  int32_t outer;
  int32_t depth;
  int32_t inner;
};

template <typename T, typename I>
inline void one_hot(const OneHotParams& p, const I* TMLC_RESTRICT idx, const T* TMLC_RESTRICT values,
                    T* TMLC_RESTRICT y) noexcept {
  const T off = values[0], on = values[1];
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t i = 0; i < p.inner; ++i) {
      int64_t v = static_cast<int64_t>(idx[o * p.inner + i]);
      if (v < 0) v += p.depth;
      T* col = y + size_t(o) * size_t(p.depth) * size_t(p.inner) + size_t(i);
      for (int32_t d = 0; d < p.depth; ++d) col[size_t(d) * size_t(p.inner)] = v == d ? on : off;
    }
  }
}

}  // namespace tmlc
