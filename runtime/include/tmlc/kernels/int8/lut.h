// lut.h: any element-wise function of one quantized input by table lookup.
//
// The compiler evaluates the float function (sigmoid, tanh, hard-swish, a
// standalone Relu/Clip/LeakyRelu, ...) at the 256 int8 input values and stores
// table[q - INT8_MIN] = quantized f(dequantized q). Nothing is computed at run
// time, so the result is exact to the output's quantization.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {
namespace q {

struct LutParams {
  int32_t count;
};

inline void lut(const LutParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT table,
                int8_t* TMLC_RESTRICT y) noexcept {
  for (int32_t i = 0; i < p.count; ++i) y[i] = table[static_cast<int32_t>(x[i]) + 128];
}

}  // namespace q
}  // namespace tmlc
