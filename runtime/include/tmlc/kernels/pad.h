// pad.h: Pad in constant, reflect, edge and wrap modes.
//
//   tmlc::pad<T>(params, x, value, y)
//
// Output position o along a dimension reads input position o - begin; when
// that falls outside the input, constant mode writes `value`, reflect mirrors
// about the edge elements (numpy 'reflect'), edge repeats them and wrap goes
// around. Negative pads crop. Rows are filled as a left part, one memcpy of
// the middle, and a right part. Elements move as bytes (pad_bytes<N>).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

enum class PadMode : uint8_t { Constant, Reflect, Edge, Wrap };

struct PadParams {
  int32_t rank;                 // >= 1
  int32_t in_dims[kMaxRank];
  int32_t out_dims[kMaxRank];
  int32_t begin[kMaxRank];      // elements added before, per dimension (negative: cropped)
  PadMode mode;
};

// The input index output index o reads along a dimension of size n, or -1
// for the constant value. n > 0.
TMLC_ALWAYS_INLINE int32_t pad_source(PadMode mode, int32_t i, int32_t n) noexcept {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case PadMode::Constant: return -1;
    case PadMode::Edge: return i < 0 ? 0 : n - 1;
    case PadMode::Wrap: {
      int32_t r = i % n;
      return r < 0 ? r + n : r;
    }
    case PadMode::Reflect: {
      if (n == 1) return 0;
      const int32_t period = 2 * (n - 1);
      int32_t r = i % period;
      if (r < 0) r += period;
      return r < n ? r : period - r;
    }
  }
  return -1;
}

template <size_t N>
inline void pad_bytes(const PadParams& p, const uint8_t* TMLC_RESTRICT x, const uint8_t* TMLC_RESTRICT value,
                      uint8_t* TMLC_RESTRICT y) noexcept {
  const int32_t last = p.rank - 1;
  const int32_t out_w = p.out_dims[last], in_w = p.in_dims[last], b = p.begin[last];
  int32_t rows = 1;
  for (int32_t d = 0; d < last; ++d) rows *= p.out_dims[d];
  if (out_w == 0) return;
  // Output columns [lo, hi) read the input contiguously.
  int32_t lo = b < 0 ? 0 : b, hi = b + in_w;
  if (hi > out_w) hi = out_w;
  if (lo > hi) lo = hi;
  int32_t idx[kMaxRank] = {0};
  for (int32_t r = 0; r < rows; ++r) {
    uint8_t* dst = y + size_t(r) * size_t(out_w) * N;
    // Source row: map every outer coordinate; -1 when any falls in constant padding.
    int32_t src = 0;
    bool inside = in_w > 0;
    for (int32_t d = 0; d < last && inside; ++d) {
      const int32_t s = p.in_dims[d] > 0 ? pad_source(p.mode, idx[d] - p.begin[d], p.in_dims[d]) : -1;
      if (s < 0) inside = false;
      src = src * p.in_dims[d] + s;
    }
    if (!inside) {
      for (int32_t j = 0; j < out_w; ++j) memcpy(dst + size_t(j) * N, value, N);
    } else {
      const uint8_t* row = x + size_t(src) * size_t(in_w) * N;
      for (int32_t j = 0; j < lo; ++j) {
        const int32_t s = pad_source(p.mode, j - b, in_w);
        memcpy(dst + size_t(j) * N, s < 0 ? value : row + size_t(s) * N, N);
      }
      if (hi > lo) memcpy(dst + size_t(lo) * N, row + size_t(lo - b) * N, size_t(hi - lo) * N);
      for (int32_t j = hi; j < out_w; ++j) {
        const int32_t s = pad_source(p.mode, j - b, in_w);
        memcpy(dst + size_t(j) * N, s < 0 ? value : row + size_t(s) * N, N);
      }
    }
    for (int32_t d = last - 1; d >= 0; --d) {
      if (++idx[d] < p.out_dims[d]) break;
      idx[d] = 0;
    }
  }
}

template <typename T>
TMLC_ALWAYS_INLINE void pad(const PadParams& p, const T* x, T value, T* y) noexcept {
  pad_bytes<sizeof(T)>(p, reinterpret_cast<const uint8_t*>(x), reinterpret_cast<const uint8_t*>(&value),
                       reinterpret_cast<uint8_t*>(y));
}

}  // namespace tmlc
