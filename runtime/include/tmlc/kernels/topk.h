// topk.h: TopK along one axis.
//
//   tmlc::topk<T>(params, x, values, indices)      (indices: int64_t)
//
// x viewed as [outer, len, inner], the outputs as [outer, k, inner]. For each
// slice the k best elements are kept sorted in the outputs by insertion
// (O(len * k), no scratch memory): largest first (or smallest first), equal
// values in order of their index, as ONNX specifies.
#pragma once

#include "tmlc/kernels/reduce.h"

namespace tmlc {

struct TopKParams {
  int32_t outer;
  int32_t len;
  int32_t inner;
  int32_t k;  // 0 < k <= len
  bool largest;
};

template <typename T>
inline void topk(const TopKParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT values,
                 int64_t* TMLC_RESTRICT indices) noexcept {
  using A = acc_t<T>;
  if (p.k <= 0) return;
  const size_t in = size_t(p.inner);
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t i = 0; i < p.inner; ++i) {
      const T* xs = x + size_t(o) * size_t(p.len) * in + size_t(i);
      T* vs = values + size_t(o) * size_t(p.k) * in + size_t(i);
      int64_t* is = indices + size_t(o) * size_t(p.k) * in + size_t(i);
      auto better = [&](A a, A b) { return p.largest ? a > b : a < b; };
      int32_t n = 0;
      for (int32_t j = 0; j < p.len; ++j) {
        const A v = A(xs[size_t(j) * in]);
        if (n == p.k && !better(v, A(vs[size_t(n - 1) * in]))) continue;
        int32_t at = n < p.k ? n++ : n - 1;  // the slot freed for v
        while (at > 0 && better(v, A(vs[size_t(at - 1) * in]))) {
          vs[size_t(at) * in] = vs[size_t(at - 1) * in];
          is[size_t(at) * in] = is[size_t(at - 1) * in];
          --at;
        }
        vs[size_t(at) * in] = xs[size_t(j) * in];
        is[size_t(at) * in] = j;
      }
    }
  }
}

}  // namespace tmlc
