// elementwise.h: quantized Add, Sub and Mul with numpy broadcasting.
//
// add: as TensorFlow Lite, both inputs move to a common fixed-point scale
// (2 * max(scale_a, scale_b) / 2^left_shift) before they are summed:
//   a' = mbqm((a - zp_a) << left_shift, a_mult, a_shift)   (likewise b'; Sub
//   negates b_mult's sign through b_sign = -1)
//   y  = clamp(mbqm(a' + b', out_mult, out_shift) + zp_y)
// mul: y = clamp(mbqm((a - zp_a) * (b - zp_b) << left_shift, out_mult, out_shift) + zp_y)
// with mbqm = multiply_by_quantized_multiplier. For add, left_shift is 20 for
// int8 and 15 for int16 inputs, which keeps (q - zp) << left_shift within
// int32. For mul it is 0, or up to 15 for 8-bit inputs (|product| < 2^16):
// fraction bits that make the first rounding of mbqm negligible.
#pragma once

#include "tmlc/kernels/broadcast.h"
#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {
namespace q {

struct ElementwiseParams {
  BroadcastParams bc;
  int32_t a_offset, b_offset;  // -zero points of the inputs
  int32_t out_offset;          // zero point of y
  int32_t left_shift;          // fraction bits of the sum (add/sub) or product (mul)
  int32_t a_mult, a_shift;     // add/sub only
  int32_t b_mult, b_shift;     // add/sub only
  int32_t b_sign;              // +1 add, -1 sub
  int32_t out_mult, out_shift;
  int32_t act_min, act_max;
};

template <typename T>
TMLC_ALWAYS_INLINE T add_one(const ElementwiseParams& p, T a, T b) noexcept {
  const int32_t sa = multiply_by_quantized_multiplier((static_cast<int32_t>(a) + p.a_offset) * (1 << p.left_shift),
                                                      p.a_mult, p.a_shift);
  const int32_t sb = multiply_by_quantized_multiplier((static_cast<int32_t>(b) + p.b_offset) * (1 << p.left_shift),
                                                      p.b_mult, p.b_shift);
  return requantize<T>(sa + p.b_sign * sb, p.out_mult, p.out_shift, p.out_offset, p.act_min, p.act_max);
}

template <typename T>
TMLC_ALWAYS_INLINE T mul_one(const ElementwiseParams& p, T a, T b) noexcept {
  const int32_t prod =
      (static_cast<int32_t>(a) + p.a_offset) * (static_cast<int32_t>(b) + p.b_offset) * (1 << p.left_shift);
  return requantize<T>(prod, p.out_mult, p.out_shift, p.out_offset, p.act_min, p.act_max);
}

template <typename T>
inline void add(const ElementwiseParams& p, const T* TMLC_RESTRICT a, const T* TMLC_RESTRICT b,
                T* TMLC_RESTRICT y) noexcept {
  if (p.bc.rank == 1 && p.bc.strides[0][0] == 1 && p.bc.strides[1][0] == 1) {
    for (int32_t i = 0; i < p.bc.count; ++i) y[i] = add_one(p, a[i], b[i]);
    return;
  }
  broadcast_walk(p.bc, [&](int32_t i, int32_t ia, int32_t ib, int32_t) { y[i] = add_one(p, a[ia], b[ib]); });
}

template <typename T>
inline void mul(const ElementwiseParams& p, const T* TMLC_RESTRICT a, const T* TMLC_RESTRICT b,
                T* TMLC_RESTRICT y) noexcept {
  if (p.bc.rank == 1 && p.bc.strides[0][0] == 1 && p.bc.strides[1][0] == 1) {
    for (int32_t i = 0; i < p.bc.count; ++i) y[i] = mul_one(p, a[i], b[i]);
    return;
  }
  broadcast_walk(p.bc, [&](int32_t i, int32_t ia, int32_t ib, int32_t) { y[i] = mul_one(p, a[ia], b[ib]); });
}

}  // namespace q
}  // namespace tmlc
