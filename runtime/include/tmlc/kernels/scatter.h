// scatter.h: ScatterElements (and the deprecated Scatter) and ScatterND.
//
//   tmlc::scatter_elements<T, I>(params, x, indices, updates, y)
//   tmlc::scatter_nd<T, I>(params, x, indices, updates, y)
//
// y starts as a copy of x; each update is then written, or combined with the
// reduction (add, mul, max, min), in the order the updates come, as ONNX's
// reference does. Indices out of range after negative wrap-around are skipped.
#pragma once

#include "tmlc/kernels/gather.h"

namespace tmlc {

enum class ScatterReduction : uint8_t { None, Add, Mul, Max, Min };

template <typename T>
TMLC_ALWAYS_INLINE T scatter_combine(ScatterReduction r, T a, T b) noexcept {
  switch (r) {
    case ScatterReduction::None: return b;
    case ScatterReduction::Add: return T(a + b);
    case ScatterReduction::Mul: return T(a * b);
    case ScatterReduction::Max: return a < b ? b : a;
    case ScatterReduction::Min: return b < a ? b : a;
  }
  return b;
}

// The walk is over the updates (and indices) box; strides are x's.
struct ScatterElementsParams {
  int32_t rank;
  int32_t count;              // elements of indices and updates
  int32_t dims[kMaxRank];     // the indices' shape
  int32_t strides[kMaxRank];  // x's element strides
  int32_t axis;
  int32_t axis_dim;
  int32_t data_count;         // elements of x and y
  ScatterReduction reduction;
};

template <typename T, typename I>
inline void scatter_elements(const ScatterElementsParams& p, const T* TMLC_RESTRICT x, const I* TMLC_RESTRICT idx,
                             const T* TMLC_RESTRICT upd, T* TMLC_RESTRICT y) noexcept {
  memcpy(y, x, size_t(p.data_count) * sizeof(T));
  const int32_t astride = p.strides[p.axis];
  walk_skipping(p.rank, p.count, p.dims, p.strides, p.axis, [&](int32_t e, int32_t off) {
    const int32_t i = normalize_index(idx[e], p.axis_dim);
    if (i < 0) return;
    T& d = y[off + i * astride];
    d = scatter_combine(p.reduction, d, upd[e]);
  });
}

// ScatterND: indices viewed as [tuples, k]; each tuple addresses a slice of
// `slice` elements of y, updated from updates viewed as [tuples, slice].
struct ScatterNDParams {
  int32_t data_count;
  int32_t tuples;
  int32_t k;
  int32_t dims[kMaxRank];     // x's extents indexed by a tuple
  int32_t strides[kMaxRank];  // and their element strides
  int32_t slice;
  ScatterReduction reduction;
};

template <typename T, typename I>
inline void scatter_nd(const ScatterNDParams& p, const T* TMLC_RESTRICT x, const I* TMLC_RESTRICT idx,
                       const T* TMLC_RESTRICT upd, T* TMLC_RESTRICT y) noexcept {
  memcpy(y, x, size_t(p.data_count) * sizeof(T));
  for (int32_t t = 0; t < p.tuples; ++t) {
    const I* tuple = idx + size_t(t) * size_t(p.k);
    int32_t off = 0;
    bool ok = true;
    for (int32_t j = 0; j < p.k; ++j) {
      const int32_t i = normalize_index(tuple[j], p.dims[j]);
      if (i < 0) ok = false;
      off += i * p.strides[j];
    }
    if (!ok) continue;
    const T* u = upd + size_t(t) * size_t(p.slice);
    for (int32_t s = 0; s < p.slice; ++s) y[off + s] = scatter_combine(p.reduction, y[off + s], u[s]);
  }
}

}  // namespace tmlc
