// matmul.h: batched matrix product with numpy broadcasting of the batch axes.
//
//   a [batch..., M, K], b [batch..., K, N] -> y [batch..., M, N]
// p.batch walks the output's batch index and gives, per output matrix, the
// index of the A and B matrices it uses (broadcast.h; strides count matrices,
// 0 where a batch axis repeats). 1-D operands are handled by the compiler as
// [1, K] and [K, 1]. Accumulation type: accum.h. A fused activation applies
// to floating-point outputs.
#pragma once

#include "tmlc/kernels/accum.h"
#include "tmlc/kernels/broadcast.h"

namespace tmlc {

struct MatMulParams {
  int32_t m, n, k;
  BroadcastParams batch;
  Activation act;
};

template <typename T>
inline void matmul(const MatMulParams& p, const T* TMLC_RESTRICT a, const T* TMLC_RESTRICT b,
                   T* TMLC_RESTRICT y) noexcept {
  using A = accum_t<T>;
  const int32_t sa = p.m * p.k, sb = p.k * p.n, sy = p.m * p.n;
  broadcast_walk(p.batch, [&](int32_t i, int32_t ia, int32_t ib, int32_t) {
    const T* am = a + ia * sa;
    const T* bm = b + ib * sb;
    T* ym = y + i * sy;
    for (int32_t r = 0; r < p.m; ++r) {
      const T* ar = am + r * p.k;
      for (int32_t c = 0; c < p.n; ++c) {
        const T* bc = bm + c;
        A acc = A(0);
        for (int32_t l = 0; l < p.k; ++l) acc += A(ar[l]) * A(bc[l * p.n]);
        ym[r * p.n + c] = store_activated<T>(p.act, acc);
      }
    }
  });
}

}  // namespace tmlc
