// window.h: the geometry of a sliding window over up to three spatial axes,
// shared by conv.h, conv_transpose.h and pool.h.
//
// Axes are (D, H, W); 1-D and 2-D operators set the leading axes to size 1
// (in = out = kernel = stride = dilation = 1, pads 0), so one kernel serves all.
// pad[] is the begin padding; pad_end[] the end padding (pooling needs it to
// count padded cells; convolution only needs pad[]).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct Window {
  int32_t in[3], out[3], kernel[3], stride[3], pad[3], pad_end[3], dil[3];
};

TMLC_ALWAYS_INLINE int32_t window_in_size(const Window& w) noexcept { return w.in[0] * w.in[1] * w.in[2]; }
TMLC_ALWAYS_INLINE int32_t window_out_size(const Window& w) noexcept { return w.out[0] * w.out[1] * w.out[2]; }
TMLC_ALWAYS_INLINE int32_t window_kernel_size(const Window& w) noexcept {
  return w.kernel[0] * w.kernel[1] * w.kernel[2];
}

// Kernel taps [lo, hi) of one axis whose input index start + k * dil lies in
// [0, in); lo == hi (at most kernel) when none does. The common inside window
// costs two compares, an edge one a division.
TMLC_ALWAYS_INLINE void window_taps(int32_t start, int32_t kernel, int32_t dil, int32_t in, int32_t& lo,
                                    int32_t& hi) noexcept {
  lo = 0;
  if (start < 0) {
    lo = (-start + dil - 1) / dil;
    if (lo > kernel) lo = kernel;
  }
  hi = kernel;
  if (start + (kernel - 1) * dil >= in) hi = in - start <= 0 ? 0 : (in - start + dil - 1) / dil;
  if (hi < lo) hi = lo;
}

}  // namespace tmlc
