// broadcast.h: index walking for element-wise kernels with numpy broadcasting.
//
// The code generator collapses adjacent dimensions that broadcast the same way,
// so `rank` is usually 1 or 2. A stride of 0 means that input repeats along the
// dimension. `count` is the number of output elements.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

constexpr int kMaxOperands = 3;

struct BroadcastParams {
  int32_t count;
  int32_t rank;
  int32_t dims[kMaxRank];
  int32_t strides[kMaxOperands][kMaxRank];  // element strides of each input
};

// Calls f(i, offset_0, offset_1, offset_2) for every output element i in order.
template <typename F>
TMLC_ALWAYS_INLINE void broadcast_walk(const BroadcastParams& p, F&& f) noexcept {
  int32_t idx[kMaxRank] = {0};
  int32_t off[kMaxOperands] = {0, 0, 0};
  for (int32_t i = 0; i < p.count; ++i) {
    f(i, off[0], off[1], off[2]);
    for (int32_t d = p.rank - 1; d >= 0; --d) {
      ++idx[d];
      for (int k = 0; k < kMaxOperands; ++k) off[k] += p.strides[k][d];
      if (idx[d] < p.dims[d]) break;
      for (int k = 0; k < kMaxOperands; ++k) off[k] -= p.strides[k][d] * p.dims[d];
      idx[d] = 0;
    }
  }
}

}  // namespace tmlc
