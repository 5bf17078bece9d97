// where.h: Where(condition, x, y) with numpy broadcasting of all three.
//
//   tmlc::where<float>(params, cond, x, y, out)
// Operand order in params: 0 condition, 1 x, 2 y.
#pragma once

#include "tmlc/kernels/broadcast.h"

namespace tmlc {

template <typename T>
inline void where(const BroadcastParams& p, const bool* TMLC_RESTRICT c, const T* TMLC_RESTRICT x,
                  const T* TMLC_RESTRICT y, T* TMLC_RESTRICT out) noexcept {
  broadcast_walk(p, [&](int32_t i, const int32_t* off) { out[i] = c[off[0]] ? x[off[1]] : y[off[2]]; });
}

}  // namespace tmlc
