// lut.h: any element-wise function of one quantized input by table lookup.
//
// The compiler evaluates the float function (sigmoid, tanh, hard-swish, a
// standalone Relu/Clip/LeakyRelu, ...) at the input's quantized values:
//  * int8: 256 entries, table[q + 128] = quantized f(dequantized q); exact to
//    the output's quantization.
//  * int16: 513 entries, table[i] = quantized f(dequantized (-32768 + 128 i)),
//    linearly interpolated between neighbours as TensorFlow Lite's int16
//    lut_lookup: base = table[(q >> 7) + 256], slope = next - base,
//    y = base + ((slope * (q & 127) + 64) >> 7). Exact at every 128th input.
//
// lut_bytes is the same for int8 and uint8 in ONNX Runtime's layout (the
// com.microsoft QLinearSigmoid, QLinearLeakyRelu and QLinearConcat): the table
// is indexed by the input's byte, table.v[uint8_t(x)], and the compiler builds
// it with ONNX Runtime's float arithmetic, so results equal ONNX Runtime's.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {
namespace q {

struct LutParams {
  int32_t count;
};

constexpr int32_t lut_entries(int32_t type_bytes) { return type_bytes == 1 ? 256 : 513; }

TMLC_ALWAYS_INLINE int8_t lut_one(int8_t x, const int8_t* TMLC_RESTRICT table) noexcept {
  return table[static_cast<int32_t>(x) + 128];
}

TMLC_ALWAYS_INLINE int16_t lut_one(int16_t x, const int16_t* TMLC_RESTRICT table) noexcept {
  const int32_t v = x;
  const int32_t i = (v >> 7) + 256;  // [0, 511]
  const int32_t base = table[i], slope = table[i + 1] - base;
  return static_cast<int16_t>(base + ((slope * (v & 127) + 64) >> 7));
}

template <typename T>
inline void lut(const LutParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT table,
                T* TMLC_RESTRICT y) noexcept {
  for (int32_t i = 0; i < p.count; ++i) y[i] = lut_one(x[i], table);
}

template <typename T>
struct ByteTable {
  T v[256];  // indexed by the input's bit pattern as uint8_t
};

template <typename T>
inline void lut_bytes(const LutParams& p, const T* TMLC_RESTRICT x, const ByteTable<T>& table,
                      T* TMLC_RESTRICT y) noexcept {
  for (int32_t i = 0; i < p.count; ++i) y[i] = table.v[static_cast<uint8_t>(x[i])];
}

}  // namespace q
}  // namespace tmlc
