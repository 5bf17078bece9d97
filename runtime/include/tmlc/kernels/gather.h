// gather.h: Gather, GatherElements and GatherND.
//
//   tmlc::gather<T, I>(params, x, indices, y)
//   tmlc::gather_elements<T, I>(params, x, indices, y)
//   tmlc::gather_nd<T, I>(params, x, indices, y)
//
// I is the index type (int32_t or int64_t). Negative indices count from the
// end of their axis, as in ONNX. An index still out of range after that
// yields zeros rather than reading outside x (ONNX leaves it undefined).
// Elements are moved as bytes (the *_bytes<N> functions over the element
// size), so one instantiation serves every type of a given size.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

// Gather along one axis: x viewed as [outer, axis_dim, inner], y as
// [outer, count, inner] where count is the number of indices.
struct GatherParams {
  int32_t outer;
  int32_t axis_dim;
  int32_t inner;
  int32_t count;
};

template <typename I>
TMLC_ALWAYS_INLINE int32_t normalize_index(I i, int32_t dim) noexcept {
  int64_t v = int64_t(i);
  if (v < 0) v += dim;
  return v < 0 || v >= dim ? -1 : int32_t(v);
}

template <size_t N, typename I>
inline void gather_bytes(const GatherParams& p, const uint8_t* TMLC_RESTRICT x, const I* TMLC_RESTRICT idx,
                         uint8_t* TMLC_RESTRICT y) noexcept {
  const size_t row = size_t(p.inner) * N;
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t j = 0; j < p.count; ++j) {
      uint8_t* dst = y + (size_t(o) * size_t(p.count) + size_t(j)) * row;
      const int32_t i = normalize_index(idx[j], p.axis_dim);
      if (i < 0) memset(dst, 0, row);
      else memcpy(dst, x + (size_t(o) * size_t(p.axis_dim) + size_t(i)) * row, row);
    }
  }
}

template <typename T, typename I>
TMLC_ALWAYS_INLINE void gather(const GatherParams& p, const T* x, const I* idx, T* y) noexcept {
  gather_bytes<sizeof(T), I>(p, reinterpret_cast<const uint8_t*>(x), idx, reinterpret_cast<uint8_t*>(y));
}

// GatherElements: y has the indices' shape; y[c] = x[c with c[axis] = idx[c]].
struct GatherElementsParams {
  int32_t rank;
  int32_t count;                // elements of indices and y
  int32_t dims[kMaxRank];       // the indices' shape
  int32_t strides[kMaxRank];    // x's element strides
  int32_t axis;
  int32_t axis_dim;             // x's extent along axis
};

// Calls f(e, offset) for every element e of a box of `dims`, where offset
// sums coordinate * strides over every dimension but `skip`.
template <typename F>
TMLC_ALWAYS_INLINE void walk_skipping(int32_t rank, int32_t count, const int32_t* dims, const int32_t* strides,
                                      int32_t skip, F&& f) noexcept {
  int32_t idx[kMaxRank] = {0};
  int32_t off = 0;
  for (int32_t e = 0; e < count; ++e) {
    f(e, off);
    for (int32_t d = rank - 1; d >= 0; --d) {
      const int32_t s = d == skip ? 0 : strides[d];
      off += s;
      if (++idx[d] < dims[d]) break;
      off -= s * dims[d];
      idx[d] = 0;
    }
  }
}

template <size_t N, typename I>
inline void gather_elements_bytes(const GatherElementsParams& p, const uint8_t* TMLC_RESTRICT x,
                                  const I* TMLC_RESTRICT idx, uint8_t* TMLC_RESTRICT y) noexcept {
  const int32_t astride = p.strides[p.axis];
  walk_skipping(p.rank, p.count, p.dims, p.strides, p.axis, [&](int32_t e, int32_t off) {
    const int32_t i = normalize_index(idx[e], p.axis_dim);
    if (i < 0) memset(y + size_t(e) * N, 0, N);
    else memcpy(y + size_t(e) * N, x + size_t(off + i * astride) * N, N);
  });
}

template <typename T, typename I>
TMLC_ALWAYS_INLINE void gather_elements(const GatherElementsParams& p, const T* x, const I* idx, T* y) noexcept {
  gather_elements_bytes<sizeof(T), I>(p, reinterpret_cast<const uint8_t*>(x), idx, reinterpret_cast<uint8_t*>(y));
}

// GatherND with batch_dims b: x viewed as [batch, ...], indices as
// [batch, tuples, k]; each k-tuple picks a slice of `slice` elements that
// lands in y viewed as [batch, tuples, slice].
struct GatherNDParams {
  int32_t batch;             // product of the first b dimensions
  int32_t batch_stride;      // elements of x per batch
  int32_t tuples;            // index tuples per batch
  int32_t k;                 // tuple length
  int32_t dims[kMaxRank];    // x's extents indexed by a tuple
  int32_t strides[kMaxRank]; // and their element strides
  int32_t slice;             // elements per gathered slice
};

template <size_t N, typename I>
inline void gather_nd_bytes(const GatherNDParams& p, const uint8_t* TMLC_RESTRICT x, const I* TMLC_RESTRICT idx,
                            uint8_t* TMLC_RESTRICT y) noexcept {
  const size_t row = size_t(p.slice) * N;
  for (int32_t b = 0; b < p.batch; ++b) {
    for (int32_t t = 0; t < p.tuples; ++t) {
      const I* tuple = idx + (size_t(b) * size_t(p.tuples) + size_t(t)) * size_t(p.k);
      uint8_t* dst = y + (size_t(b) * size_t(p.tuples) + size_t(t)) * row;
      int32_t off = b * p.batch_stride;
      bool ok = true;
      for (int32_t j = 0; j < p.k; ++j) {
        const int32_t i = normalize_index(tuple[j], p.dims[j]);
        if (i < 0) ok = false;
        off += i * p.strides[j];
      }
      if (ok) memcpy(dst, x + size_t(off) * N, row);
      else memset(dst, 0, row);
    }
  }
}

template <typename T, typename I>
TMLC_ALWAYS_INLINE void gather_nd(const GatherNDParams& p, const T* x, const I* idx, T* y) noexcept {
  gather_nd_bytes<sizeof(T), I>(p, reinterpret_cast<const uint8_t*>(x), idx, reinterpret_cast<uint8_t*>(y));
}

}  // namespace tmlc
