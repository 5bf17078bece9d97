// variadic.h: element-wise operators over N inputs with numpy broadcasting:
// Sum, Mean, Max, Min.
//
//   const float* const in[] = {a, b, c};
//   tmlc::variadic<tmlc::MaxOp>(params, in, y);
// The inputs are folded left to right in their compute type (float for
// float16/bfloat16) and the result is stored once; Mean divides the sum by N.
#pragma once

#include "tmlc/kernels/binary.h"

namespace tmlc {

// Sum is AddOp; Mean adds and divides at the end.
struct MeanOp : AddOp {};

template <typename Op>
struct variadic_finish {
  template <typename C> static C apply(C acc, int) noexcept { return acc; }
};
template <>
struct variadic_finish<MeanOp> {
  template <typename C> static C apply(C acc, int n) noexcept { return C(acc / C(n)); }
};

template <typename Op, typename T, int N>
inline void variadic(const BroadcastN<N>& p, const T* const (&x)[N], T* TMLC_RESTRICT y) noexcept {
  using C = compute_t<T>;
  const Op op{};
  broadcast_walk(p, [&](int32_t i, const int32_t* off) {
    C acc = C(x[0][off[0]]);
    for (int k = 1; k < N; ++k) acc = op(acc, C(x[k][off[k]]));
    y[i] = T(variadic_finish<Op>::apply(acc, N));
  });
}

}  // namespace tmlc
