// broadcast.h: index walking for element-wise kernels with numpy broadcasting.
//
// BroadcastN<N> describes how N inputs map onto one output: the output's
// (merged) dimensions and each input's element stride along them, 0 where the
// input repeats. The code generator collapses adjacent dimensions that
// broadcast the same way, so `rank` is usually 1 or 2. `count` is the number
// of output elements. BroadcastParams (three operands) is what binary and
// Where use; variadic ops (Sum, Max...) use one row per input.
//
// broadcast_walk(p, f) calls f(i, off) for every output element i in order,
// off[k] being input k's element offset; it is the one walking routine. For
// BroadcastParams it also accepts f(i, off0, off1, off2).
#pragma once

#include <type_traits>

#include "tmlc/tmlc.h"

namespace tmlc {

template <int N>
struct BroadcastN {
  int32_t count;
  int32_t rank;
  int32_t dims[kMaxRank];
  int32_t strides[N][kMaxRank];  // element strides of each input
};

constexpr int kMaxOperands = 3;
using BroadcastParams = BroadcastN<kMaxOperands>;

template <int N, typename F>
TMLC_ALWAYS_INLINE void broadcast_walk(const BroadcastN<N>& p, F&& f) noexcept {
  int32_t idx[kMaxRank] = {0};
  int32_t off[N] = {0};
  for (int32_t i = 0; i < p.count; ++i) {
    if constexpr (N == 3 && std::is_invocable<F&, int32_t, int32_t, int32_t, int32_t>::value) {
      f(i, off[0], off[1], off[2]);
    } else {
      f(i, static_cast<const int32_t*>(off));
    }
    for (int32_t d = p.rank - 1; d >= 0; --d) {
      ++idx[d];
      for (int k = 0; k < N; ++k) off[k] += p.strides[k][d];
      if (idx[d] < p.dims[d]) break;
      for (int k = 0; k < N; ++k) off[k] -= p.strides[k][d] * p.dims[d];
      idx[d] = 0;
    }
  }
}

// True when every input is read contiguously (no broadcasting at all).
template <int N>
TMLC_ALWAYS_INLINE bool broadcast_is_flat(const BroadcastN<N>& p, int inputs = N) noexcept {
  if (p.rank != 1) return false;
  for (int k = 0; k < inputs; ++k)
    if (p.strides[k][0] != 1) return false;
  return true;
}

}  // namespace tmlc
