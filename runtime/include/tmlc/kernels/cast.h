// cast.h: Cast and CastLike between any two element types.
//
//   tmlc::cast<float, tmlc::float16>(count, x, y)
// Semantics are tmlc::convert (numeric.h): floating types round to nearest
// even, float to integer truncates toward zero and saturates (NaN gives 0),
// integers wrap, anything to bool is x != 0.
#pragma once

#include "tmlc/kernels/numeric.h"

namespace tmlc {

template <typename From, typename To>
inline void cast(int32_t count, const From* TMLC_RESTRICT x, To* TMLC_RESTRICT y) noexcept {
  for (int32_t i = 0; i < count; ++i) y[i] = convert<To>(x[i]);
}

}  // namespace tmlc
