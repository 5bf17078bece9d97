// binary.h: element-wise binary operators with broadcasting.
//
//   tmlc::binary<tmlc::AddOp>(params, a, b, y)
// Op is a functor; T the input element type, U the output's (bool for
// comparisons). A fused activation applies to float outputs.
#pragma once

#include "tmlc/kernels/broadcast.h"

namespace tmlc {

struct BinaryParams {
  BroadcastParams bc;
  Activation act;
};

struct AddOp { template <typename T> T operator()(T a, T b) const noexcept { return T(a + b); } };
struct SubOp { template <typename T> T operator()(T a, T b) const noexcept { return T(a - b); } };
struct MulOp { template <typename T> T operator()(T a, T b) const noexcept { return T(a * b); } };
struct DivOp {
  template <typename T> T operator()(T a, T b) const noexcept { return b == T(0) ? T(0) : T(a / b); }
  float operator()(float a, float b) const noexcept { return a / b; }
  double operator()(double a, double b) const noexcept { return a / b; }
};

template <typename Op, typename T, typename U>
inline void binary(const BinaryParams& p, const T* TMLC_RESTRICT a, const T* TMLC_RESTRICT b,
                   U* TMLC_RESTRICT y) noexcept {
  const Op op{};
  if (p.bc.rank == 1 && p.bc.strides[0][0] == 1 && p.bc.strides[1][0] == 1) {
    for (int32_t i = 0; i < p.bc.count; ++i) y[i] = activate(p.act, U(op(a[i], b[i])));
    return;
  }
  broadcast_walk(p.bc, [&](int32_t i, int32_t ia, int32_t ib, int32_t) {
    y[i] = activate(p.act, U(op(a[ia], b[ib])));
  });
}

}  // namespace tmlc
