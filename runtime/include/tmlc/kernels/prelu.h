// prelu.h: PRelu, y = x < 0 ? slope * x : x, with slope broadcast to x.
//
//   p.bc walks y (= x's shape); operand 0 is x, operand 1 the slope.
#pragma once

#include <type_traits>

#include "tmlc/kernels/broadcast.h"

namespace tmlc {

struct PReluParams {
  BroadcastParams bc;
};

template <typename T>
inline void prelu(const PReluParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT slope,
                  T* TMLC_RESTRICT y) noexcept {
  broadcast_walk(p.bc, [&](int32_t i, int32_t ix, int32_t is, int32_t) {
    const T v = x[ix];
    if constexpr (std::is_unsigned<T>::value) {
      (void)is;
      y[i] = v;
    } else {
      y[i] = v < T(0) ? T(slope[is] * v) : v;
    }
  });
}

}  // namespace tmlc
