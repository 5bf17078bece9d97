// copy.h: strided copies, the one kernel behind the data-movement operators.
//
//   tmlc::strided_copy<T>(params, x, y)
//
// Transpose, Slice, Concat, Split, Expand, Tile and Gather with a constant
// scalar index are all the same loop: walk the output positions of an
// N-dimensional box and copy one element from the source position each maps
// to. The code generator describes the box in CopyParams: its dimensions and,
// per dimension, the element stride in the source and in the destination (a
// source stride of 0 repeats an element, a negative one walks backwards) and
// the start offsets. It merges dimensions that are contiguous in both, so the
// innermost dimension is usually one long run copied with memcpy.
//
// Elements are moved as bytes: the work happens in strided_copy_bytes<N> over
// the element size, so float and int32_t share one instantiation.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct CopyParams {
  int32_t rank;                   // >= 1
  int32_t dims[kMaxRank];         // box extent, outermost first; all > 0
  int32_t src_strides[kMaxRank];  // elements; 0 repeats, negative reverses
  int32_t dst_strides[kMaxRank];  // elements
  int32_t src_offset;             // element offset of the box's first element
  int32_t dst_offset;
};

template <size_t N>
inline void strided_copy_bytes(const CopyParams& p, const uint8_t* TMLC_RESTRICT x,
                               uint8_t* TMLC_RESTRICT y) noexcept {
  const int32_t last = p.rank - 1;
  const int32_t inner = p.dims[last];
  const int32_t ss = p.src_strides[last], ds = p.dst_strides[last];
  int32_t outer = 1;
  for (int32_t d = 0; d < last; ++d) outer *= p.dims[d];
  int32_t idx[kMaxRank] = {0};
  int32_t so = p.src_offset, dof = p.dst_offset;
  for (int32_t o = 0; o < outer; ++o) {
    if (ss == 1 && ds == 1) {
      memcpy(y + size_t(dof) * N, x + size_t(so) * N, size_t(inner) * N);
    } else {
      for (int32_t j = 0; j < inner; ++j)
        memcpy(y + size_t(dof + j * ds) * N, x + size_t(so + j * ss) * N, N);
    }
    for (int32_t d = last - 1; d >= 0; --d) {
      so += p.src_strides[d];
      dof += p.dst_strides[d];
      if (++idx[d] < p.dims[d]) break;
      so -= p.src_strides[d] * p.dims[d];
      dof -= p.dst_strides[d] * p.dims[d];
      idx[d] = 0;
    }
  }
}

template <typename T>
TMLC_ALWAYS_INLINE void strided_copy(const CopyParams& p, const T* x, T* y) noexcept {
  strided_copy_bytes<sizeof(T)>(p, reinterpret_cast<const uint8_t*>(x), reinterpret_cast<uint8_t*>(y));
}

}  // namespace tmlc
