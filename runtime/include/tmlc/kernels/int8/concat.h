// concat.h: quantized concatenation with rescaling.
//
// The tensors are viewed as [outer, inner_k] with inner_k the product of the
// concatenated axis and the dimensions after it. An input whose scale and zero
// point equal the output's is copied; another is requantized element by element:
//   y = clamp(mbqm(x - zp_x, mult, shift) + zp_y), (mult, shift) = scale_x / scale_y.
// concat_part_table rescales through a 256-entry table instead (lut.h), built
// at compile time as ONNX Runtime builds it for com.microsoft QLinearConcat.
#pragma once

#include "tmlc/kernels/int8/lut.h"
#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

struct ConcatInput {
  int32_t inner;  // elements per outer step
  int32_t copy;   // 1: same quantization as y
  int32_t zp, mult, shift;
};

struct ConcatParams {
  int32_t outer, out_inner, out_zp;
};

template <typename T>
inline void concat_part(const ConcatParams& p, const ConcatInput& in, int32_t at, const T* TMLC_RESTRICT x,
                        T* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o) {
    const T* xs = x + o * in.inner;
    T* ys = y + o * p.out_inner + at;
    if (in.copy) {
      std::memcpy(ys, xs, sizeof(T) * static_cast<size_t>(in.inner));
      continue;
    }
    for (int32_t i = 0; i < in.inner; ++i)
      ys[i] = static_cast<T>(
          clamp_to<T>(multiply_by_quantized_multiplier(xs[i] - in.zp, in.mult, in.shift) + p.out_zp));
  }
}

// One input of [outer, inner] placed at column `at` of y [outer, out_inner]:
// copied when table is nullptr, else mapped through it.
template <typename T>
inline void concat_part_table(const ConcatParams& p, int32_t inner, const ByteTable<T>* table, int32_t at,
                              const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  for (int32_t o = 0; o < p.outer; ++o) {
    const T* xs = x + o * inner;
    T* ys = y + o * p.out_inner + at;
    if (!table) {
      std::memcpy(ys, xs, sizeof(T) * static_cast<size_t>(inner));
      continue;
    }
    for (int32_t i = 0; i < inner; ++i) ys[i] = table->v[static_cast<uint8_t>(xs[i])];
  }
}

}  // namespace q
}  // namespace tmlc
