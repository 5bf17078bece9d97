// binary.h: element-wise binary operators with numpy broadcasting.
//
//   tmlc::binary<tmlc::AddOp>(params, a, b, y)
// One kernel for every binary operator and element type: Op is a functor,
// A and B the input element types (they differ only for Pow), Y the output's
// (bool for comparisons). Elements are loaded in their compute type (float for
// float16/bfloat16, see numeric.h), combined by Op, and stored once, so half
// types round once per element. A fused activation applies to floating outputs.
//
// Integer semantics follow ONNX Runtime without undefined behaviour: + - *
// wrap modulo 2^bits, division truncates toward zero (x / 0 gives 0, INT_MIN /
// -1 wraps), shifts by the bit width or more give 0.
#pragma once

#include "tmlc/kernels/broadcast.h"
#include "tmlc/kernels/numeric.h"

namespace tmlc {

struct BinaryParams {
  BroadcastParams bc;  // operands 0 and 1 (row 2 unused)
  Activation act;
};

// Arithmetic.
struct AddOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    if constexpr (is_int_v<T>) return wrap_add(a, b); else return T(a + b);
  }
};
struct SubOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    if constexpr (is_int_v<T>) return wrap_sub(a, b); else return T(a - b);
  }
};
struct MulOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    if constexpr (is_int_v<T>) return wrap_mul(a, b); else return T(a * b);
  }
};
struct DivOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    if constexpr (is_int_v<T>) {
      if (b == T(0)) return T(0);
      if constexpr (std::is_signed<T>::value)
        if (b == T(-1)) return wrap_neg(a);
      return T(a / b);
    } else {
      return T(a / b);
    }
  }
};
// Mod with fmod=0: the result takes the divisor's sign (Python's %).
struct ModOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    if constexpr (std::is_floating_point<T>::value) {
      T r = std::fmod(a, b);
      if (r != T(0) && ((r < T(0)) != (b < T(0)))) r += b;
      return r;
    } else {
      if (b == T(0)) return T(0);
      if constexpr (std::is_signed<T>::value) {
        if (b == T(-1)) return T(0);
        T r = T(a % b);
        if (r != T(0) && ((r < T(0)) != (b < T(0)))) r = T(r + b);
        return r;
      } else {
        return T(a % b);
      }
    }
  }
};
// Mod with fmod=1: the result takes the dividend's sign (C's fmod and %).
struct FmodOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    if constexpr (std::is_floating_point<T>::value) {
      return std::fmod(a, b);
    } else {
      if (b == T(0)) return T(0);
      if constexpr (std::is_signed<T>::value)
        if (b == T(-1)) return T(0);
      return T(a % b);
    }
  }
};
// Pow: the exponent may have another type; the result has the base's type.
struct PowOp {
  template <typename A, typename B> A operator()(A a, B b) const noexcept {
    if constexpr (std::is_floating_point<A>::value) {
      return A(std::pow(a, A(b)));
    } else if constexpr (std::is_floating_point<B>::value) {
      return float_to_int<A>(std::pow(double(a), double(b)));
    } else {
      if (is_negative(b)) {  // 1 / a^|b| truncated toward zero
        if (a == A(1)) return A(1);
        if constexpr (std::is_signed<A>::value)
          if (a == A(-1)) return (b & 1) ? A(-1) : A(1);
        return A(0);
      }
      A r = A(1), base = a;
      for (B e = b; e != B(0); e = B(e >> 1)) {
        if (e & 1) r = wrap_mul(r, base);
        base = wrap_mul(base, base);
      }
      return r;
    }
  }
};

// Bits (unsigned and signed integers; BitShift is unsigned only in ONNX).
struct ShiftLeftOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    return b >= T(sizeof(T) * 8) ? T(0) : T(wrap_t<T>(a) << b);
  }
};
struct ShiftRightOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    return b >= T(sizeof(T) * 8) ? T(0) : T(a >> b);
  }
};
struct BitAndOp { template <typename T> T operator()(T a, T b) const noexcept { return T(a & b); } };
struct BitOrOp { template <typename T> T operator()(T a, T b) const noexcept { return T(a | b); } };
struct BitXorOp { template <typename T> T operator()(T a, T b) const noexcept { return T(a ^ b); } };

// Logic on bool.
struct AndOp { bool operator()(bool a, bool b) const noexcept { return a && b; } };
struct OrOp { bool operator()(bool a, bool b) const noexcept { return a || b; } };
struct XorOp { bool operator()(bool a, bool b) const noexcept { return a != b; } };

// Comparisons (bool output).
struct EqualOp { template <typename T> bool operator()(T a, T b) const noexcept { return a == b; } };
struct LessOp { template <typename T> bool operator()(T a, T b) const noexcept { return a < b; } };
struct LessOrEqualOp { template <typename T> bool operator()(T a, T b) const noexcept { return a <= b; } };
struct GreaterOp { template <typename T> bool operator()(T a, T b) const noexcept { return a > b; } };
struct GreaterOrEqualOp { template <typename T> bool operator()(T a, T b) const noexcept { return a >= b; } };

// Max and Min propagate NaN, as numpy.maximum does.
struct MaxOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    return is_nan(a) ? a : (is_nan(b) ? b : (a < b ? b : a));
  }
};
struct MinOp {
  template <typename T> T operator()(T a, T b) const noexcept {
    return is_nan(a) ? a : (is_nan(b) ? b : (b < a ? b : a));
  }
};

template <typename Op, typename A, typename B, typename Y>
inline void binary(const BinaryParams& p, const A* TMLC_RESTRICT a, const B* TMLC_RESTRICT b,
                   Y* TMLC_RESTRICT y) noexcept {
  const Op op{};
  auto apply = [&](A x, B z) -> Y {
    auto r = op(compute_t<A>(x), compute_t<B>(z));
    if constexpr (is_float_v<Y>) return Y(activate(p.act, r)); else return Y(r);
  };
  if (broadcast_is_flat(p.bc, 2)) {
    for (int32_t i = 0; i < p.bc.count; ++i) y[i] = apply(a[i], b[i]);
    return;
  }
  broadcast_walk(p.bc, [&](int32_t i, const int32_t* off) { y[i] = apply(a[off[0]], b[off[1]]); });
}

}  // namespace tmlc
