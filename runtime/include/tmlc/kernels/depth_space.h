// depth_space.h: DepthToSpace and SpaceToDepth, pure data movement.
//
//   depth_to_space  x [batch, channels, h, w] -> y [batch, channels / b^2, h * b, w * b];
//                   DCR mode reads channel (by * b + bx) * oc + c, CRD mode
//                   c * b^2 + by * b + bx, for output channel c and block offset (by, bx).
//   space_to_depth  x [batch, channels, h, w] -> y [batch, channels * b^2, h / b, w / b];
//                   output channel (by * b + bx) * channels + c.
// h, w, channels below are always the input's.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct DepthSpaceParams {
  int32_t batch, channels, h, w, block;
  int32_t crd;  // depth_to_space: 1 for CRD mode, 0 for DCR
};

template <typename T>
inline void depth_to_space(const DepthSpaceParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  const int32_t b = p.block, oc = p.channels / (b * b), oh = p.h * b, ow = p.w * b;
  int32_t o = 0;
  for (int32_t n = 0; n < p.batch; ++n)
    for (int32_t c = 0; c < oc; ++c)
      for (int32_t yy = 0; yy < oh; ++yy)
        for (int32_t xx = 0; xx < ow; ++xx, ++o) {
          const int32_t by = yy % b, bx = xx % b;
          const int32_t ic = p.crd ? (c * b + by) * b + bx : (by * b + bx) * oc + c;
          y[o] = x[((n * p.channels + ic) * p.h + yy / b) * p.w + xx / b];
        }
}

template <typename T>
inline void space_to_depth(const DepthSpaceParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  const int32_t b = p.block, oh = p.h / b, ow = p.w / b;
  int32_t o = 0;
  for (int32_t n = 0; n < p.batch; ++n)
    for (int32_t by = 0; by < b; ++by)
      for (int32_t bx = 0; bx < b; ++bx)
        for (int32_t c = 0; c < p.channels; ++c)
          for (int32_t yy = 0; yy < oh; ++yy)
            for (int32_t xx = 0; xx < ow; ++xx, ++o)
              y[o] = x[((n * p.channels + c) * p.h + yy * b + by) * p.w + xx * b + bx];
}

}  // namespace tmlc
