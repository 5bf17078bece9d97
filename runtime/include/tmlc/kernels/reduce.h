// reduce.h: the Reduce* operators, ArgMax and ArgMin.
//
//   tmlc::reduce<tmlc::ReduceSumOp>(params, x, y)
//   tmlc::argmax<T>(params, x, y) / tmlc::argmin<T>(params, x, y)   (y: int64_t)
//
// A reduction over any set of axes: the code generator merges adjacent axes
// that are both kept or both reduced, and describes x as the kept dimensions
// (outer loop, in output order) and the reduced ones (inner loop), each with
// its element strides in x. Each output element is one pass over its reduced
// box, accumulated in acc_t<T> (float for float16/bfloat16, int64_t/uint64_t
// for integers) and finished by the op: mean divides, L2 takes the root,
// LogSum the log. LogSumExp makes a first pass for the maximum, for stability.
// An empty reduced box yields the op's identity (0 for sums, -inf for max...).
#pragma once

#include <limits>
#include <type_traits>

#include "tmlc/tmlc.h"

namespace tmlc {

template <typename T> struct Accumulator { using type = T; };
template <> struct Accumulator<float16> { using type = float; };
template <> struct Accumulator<bfloat16> { using type = float; };
template <> struct Accumulator<int8_t> { using type = int64_t; };
template <> struct Accumulator<int16_t> { using type = int64_t; };
template <> struct Accumulator<int32_t> { using type = int64_t; };
template <> struct Accumulator<uint8_t> { using type = uint64_t; };
template <> struct Accumulator<uint16_t> { using type = uint64_t; };
template <> struct Accumulator<uint32_t> { using type = uint64_t; };
template <typename T> using acc_t = typename Accumulator<T>::type;
// The accumulator of ops whose maths needs a floating type (L2, logs).
template <typename T> struct FloatAccumulator { using type = double; };
template <> struct FloatAccumulator<float> { using type = float; };
template <> struct FloatAccumulator<float16> { using type = float; };
template <> struct FloatAccumulator<bfloat16> { using type = float; };
template <typename T> using float_acc_t = typename FloatAccumulator<T>::type;

template <typename A>
TMLC_ALWAYS_INLINE A abs_value(A v) noexcept {
  if constexpr (std::is_signed<A>::value) return v < A(0) ? A(-v) : v;
  return v;
}

template <typename A>
constexpr A lowest_value() noexcept {
  return std::numeric_limits<A>::has_infinity ? -std::numeric_limits<A>::infinity() : std::numeric_limits<A>::lowest();
}
template <typename A>
constexpr A highest_value() noexcept {
  return std::numeric_limits<A>::has_infinity ? std::numeric_limits<A>::infinity() : std::numeric_limits<A>::max();
}

struct ReduceParams {
  int32_t out_count;
  int32_t kept_rank;
  int32_t kept_dims[kMaxRank];
  int32_t kept_strides[kMaxRank];  // x's element strides
  int32_t red_rank;                // 0: every output reads one element
  int32_t red_dims[kMaxRank];
  int32_t red_strides[kMaxRank];
  int32_t red_count;
};

// Each op: its accumulator type acc<T>, and init, step(acc, x) and
// done(acc, count, shift) over it. kShift ops see x - max of the box in step
// and get that max as shift in done.
struct ReduceSumOp {
  template <typename T> using acc = acc_t<T>;
  static constexpr bool kShift = false;
  template <typename A> static A init() noexcept { return A(0); }
  template <typename A> static A step(A acc, A v) noexcept { return A(acc + v); }
  template <typename A> static A done(A acc, int32_t, A) noexcept { return acc; }
};
struct ReduceMeanOp : ReduceSumOp {
  // The mean of nothing is NaN for floats (0/0) and 0 for integers.
  template <typename A> static A done(A acc, int32_t n, A) noexcept {
    if constexpr (std::is_integral<A>::value) return n == 0 ? A(0) : A(acc / A(n));
    return A(acc / A(n));
  }
};
struct ReduceSumSquareOp : ReduceSumOp {
  template <typename A> static A step(A acc, A v) noexcept { return A(acc + v * v); }
};
struct ReduceL1Op : ReduceSumOp {
  template <typename A> static A step(A acc, A v) noexcept { return A(acc + abs_value(v)); }
};
struct ReduceL2Op : ReduceSumSquareOp {
  template <typename T> using acc = float_acc_t<T>;
  template <typename A> static A done(A acc, int32_t, A) noexcept { return A(std::sqrt(acc)); }
};
struct ReduceLogSumOp : ReduceSumOp {
  template <typename T> using acc = float_acc_t<T>;
  template <typename A> static A done(A acc, int32_t, A) noexcept { return A(std::log(acc)); }
};
struct ReduceLogSumExpOp {
  template <typename T> using acc = float_acc_t<T>;
  static constexpr bool kShift = true;
  template <typename A> static A init() noexcept { return A(0); }
  template <typename A> static A step(A acc, A v) noexcept { return A(acc + std::exp(v)); }
  template <typename A> static A done(A acc, int32_t n, A m) noexcept {
    return n == 0 ? lowest_value<A>() : A(std::log(acc) + m);
  }
};
struct ReduceProdOp {
  template <typename T> using acc = acc_t<T>;
  static constexpr bool kShift = false;
  template <typename A> static A init() noexcept { return A(1); }
  template <typename A> static A step(A acc, A v) noexcept { return A(acc * v); }
  template <typename A> static A done(A acc, int32_t, A) noexcept { return acc; }
};
struct ReduceMaxOp {
  template <typename T> using acc = acc_t<T>;
  static constexpr bool kShift = false;
  template <typename A> static A init() noexcept { return lowest_value<A>(); }
  template <typename A> static A step(A acc, A v) noexcept { return v > acc ? v : acc; }
  template <typename A> static A done(A acc, int32_t, A) noexcept { return acc; }
};
struct ReduceMinOp {
  template <typename T> using acc = acc_t<T>;
  static constexpr bool kShift = false;
  template <typename A> static A init() noexcept { return highest_value<A>(); }
  template <typename A> static A step(A acc, A v) noexcept { return v < acc ? v : acc; }
  template <typename A> static A done(A acc, int32_t, A) noexcept { return acc; }
};

// Calls f(offset) for each element of the reduced box starting at x offset 0.
template <typename F>
TMLC_ALWAYS_INLINE void reduce_walk(const ReduceParams& p, F&& f) noexcept {
  if (p.red_rank == 1) {
    for (int32_t j = 0; j < p.red_count; ++j) f(j * p.red_strides[0]);
    return;
  }
  int32_t idx[kMaxRank] = {0};
  int32_t off = 0;
  for (int32_t j = 0; j < p.red_count; ++j) {
    f(off);
    for (int32_t d = p.red_rank - 1; d >= 0; --d) {
      off += p.red_strides[d];
      if (++idx[d] < p.red_dims[d]) break;
      off -= p.red_strides[d] * p.red_dims[d];
      idx[d] = 0;
    }
  }
}

template <typename Op, typename T>
inline void reduce(const ReduceParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using A = typename Op::template acc<T>;
  int32_t idx[kMaxRank] = {0};
  int32_t base = 0;
  for (int32_t o = 0; o < p.out_count; ++o) {
    const T* xb = x + base;
    A shift = A(0);
    if constexpr (Op::kShift) {
      shift = lowest_value<A>();
      reduce_walk(p, [&](int32_t off) { shift = A(xb[off]) > shift ? A(xb[off]) : shift; });
    }
    A acc = Op::template init<A>();
    reduce_walk(p, [&](int32_t off) { acc = Op::template step<A>(acc, A(A(xb[off]) - shift)); });
    y[o] = T(Op::template done<A>(acc, p.red_count, shift));
    for (int32_t d = p.kept_rank - 1; d >= 0; --d) {
      base += p.kept_strides[d];
      if (++idx[d] < p.kept_dims[d]) break;
      base -= p.kept_strides[d] * p.kept_dims[d];
      idx[d] = 0;
    }
  }
}

// ArgMax/ArgMin along one axis: x viewed as [outer, len, inner], y as
// [outer, inner]. Ties go to the first index, or the last with select_last.
struct ArgReduceParams {
  int32_t outer;
  int32_t len;
  int32_t inner;
  bool select_last;
};

template <bool Max, typename T>
inline void arg_reduce(const ArgReduceParams& p, const T* TMLC_RESTRICT x, int64_t* TMLC_RESTRICT y) noexcept {
  using A = acc_t<T>;
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t i = 0; i < p.inner; ++i) {
      const T* v = x + size_t(o) * size_t(p.len) * size_t(p.inner) + size_t(i);
      int32_t best = 0;
      A bv = A(v[0]);
      for (int32_t j = 1; j < p.len; ++j) {
        const A c = A(v[size_t(j) * size_t(p.inner)]);
        const bool better = Max ? (c > bv || (p.select_last && c == bv)) : (c < bv || (p.select_last && c == bv));
        if (better) {
          bv = c;
          best = j;
        }
      }
      y[size_t(o) * size_t(p.inner) + size_t(i)] = best;
    }
  }
}

template <typename T>
TMLC_ALWAYS_INLINE void argmax(const ArgReduceParams& p, const T* x, int64_t* y) noexcept {
  arg_reduce<true>(p, x, y);
}
template <typename T>
TMLC_ALWAYS_INLINE void argmin(const ArgReduceParams& p, const T* x, int64_t* y) noexcept {
  arg_reduce<false>(p, x, y);
}

}  // namespace tmlc
