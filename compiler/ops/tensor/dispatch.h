// dispatch.h: compile-time dispatch for constant folding of data-movement and
// indexing operators: by index type (int32_t, int64_t) and by element size
// (kernels that move bytes are instantiated per size, not per type).
#pragma once

#include <cstdint>
#include <type_traits>

#include "ir/dtype.h"
#include "support/status.h"

namespace tmlc {

inline bool isIndexType(DType t) { return t == DType::Int32 || t == DType::Int64; }

inline Status checkIndexType(DType t, const char* what) {
  if (isIndexType(t)) return Status::ok();
  return Status::error(std::string(what) + " must be int32 or int64, not " + dtypeName(t));
}

// Calls f(I{}) with I the C++ type of an index dtype; false for other types.
template <typename F>
bool visitIndex(DType t, F&& f) {
  if (t == DType::Int32) return f(int32_t{}), true;
  if (t == DType::Int64) return f(int64_t{}), true;
  return false;
}

// Calls f(std::integral_constant<size_t, N>{}) for an element size N of 1, 2, 4 or 8.
template <typename F>
bool visitElementSize(size_t n, F&& f) {
  switch (n) {
    case 1: f(std::integral_constant<size_t, 1>{}); return true;
    case 2: f(std::integral_constant<size_t, 2>{}); return true;
    case 4: f(std::integral_constant<size_t, 4>{}); return true;
    case 8: f(std::integral_constant<size_t, 8>{}); return true;
    default: return false;
  }
}

}  // namespace tmlc
