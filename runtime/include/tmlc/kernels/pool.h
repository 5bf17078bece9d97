// pool.h: pooling over 1-D to 3-D windows in channels-first layout.
//
//   x [planes, D, H, W] -> y [planes, oD, oH, oW], planes = batch * channels.
//   max_pool     maximum over the window's cells inside the input; optional
//                indices (int64, flat over the whole input, spatial offset in
//                row-major order, or column-major when storage_order == 1);
//   avg_pool     mean; the divisor counts the cells inside the input, or with
//                count_include_pad the cells inside the padded input;
//   lp_pool      (sum |x|^p)^(1/p) over the cells inside the input;
//   global_*     the same over the whole plane (one output per plane);
//   max_unpool   scatters x into a zeroed y at the flat positions in indices.
// Geometry in window.h.
#pragma once

#include "tmlc/kernels/accum.h"
#include "tmlc/kernels/window.h"

namespace tmlc {

struct PoolParams {
  int32_t planes;
  Window win;
  int32_t count_include_pad;  // avg_pool
  int32_t storage_order;      // max_pool indices: 0 row-major, 1 column-major
  float p;                    // lp_pool exponent
};

namespace detail {
// Calls f(cell offset in the plane, d, h, w) for every window cell inside the input.
template <typename F>
TMLC_ALWAYS_INLINE void pool_window(const Window& g, int32_t d0, int32_t h0, int32_t w0, F&& f) noexcept {
  int32_t kd0, kd1, kh0, kh1, kw0, kw1;
  window_taps(d0, g.kernel[0], g.dil[0], g.in[0], kd0, kd1);
  window_taps(h0, g.kernel[1], g.dil[1], g.in[1], kh0, kh1);
  window_taps(w0, g.kernel[2], g.dil[2], g.in[2], kw0, kw1);
  for (int32_t kd = kd0; kd < kd1; ++kd) {
    const int32_t id = d0 + kd * g.dil[0];
    for (int32_t kh = kh0; kh < kh1; ++kh) {
      const int32_t ih = h0 + kh * g.dil[1];
      for (int32_t kw = kw0; kw < kw1; ++kw) {
        const int32_t iw = w0 + kw * g.dil[2];
        f((id * g.in[1] + ih) * g.in[2] + iw, id, ih, iw);
      }
    }
  }
}

// Calls f(plane input, output index, d0, h0, w0) for every output cell.
template <typename T, typename F>
TMLC_ALWAYS_INLINE void pool_outputs(const PoolParams& p, const T* x, F&& f) noexcept {
  const Window& g = p.win;
  const int32_t in_sp = window_in_size(g), out_sp = window_out_size(g);
  for (int32_t c = 0; c < p.planes; ++c) {
    const T* xc = x + c * in_sp;
    int32_t o = c * out_sp;
    for (int32_t od = 0; od < g.out[0]; ++od)
      for (int32_t oh = 0; oh < g.out[1]; ++oh)
        for (int32_t ow = 0; ow < g.out[2]; ++ow, ++o)
          f(c, xc, o, od * g.stride[0] - g.pad[0], oh * g.stride[1] - g.pad[1], ow * g.stride[2] - g.pad[2]);
  }
}

}  // namespace detail

template <typename T>
inline void max_pool(const PoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y,
                     int64_t* TMLC_RESTRICT indices) noexcept {
  const Window& g = p.win;
  const int32_t in_sp = window_in_size(g);
  detail::pool_outputs(p, x, [&](int32_t c, const T* xc, int32_t o, int32_t d0, int32_t h0, int32_t w0) {
    bool have = false;
    T best = T(0);
    int32_t at = 0, ad = 0, ah = 0, aw = 0;
    detail::pool_window(g, d0, h0, w0, [&](int32_t i, int32_t id, int32_t ih, int32_t iw) {
      if (!have || xc[i] > best) {
        best = xc[i];
        at = i, ad = id, ah = ih, aw = iw;
        have = true;
      }
    });
    y[o] = best;
    if (indices) {
      const int32_t off = p.storage_order ? ad + g.in[0] * (ah + g.in[1] * aw) : at;
      indices[o] = int64_t(c) * in_sp + off;
    }
  });
}

template <typename T>
inline void avg_pool(const PoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  const Window& g = p.win;
  detail::pool_outputs(p, x, [&](int32_t, const T* xc, int32_t o, int32_t d0, int32_t h0, int32_t w0) {
    M sum = M(0);
    int32_t count = 0;
    detail::pool_window(g, d0, h0, w0, [&](int32_t i, int32_t, int32_t, int32_t) {
      sum += M(xc[i]);
      ++count;
    });
    if (p.count_include_pad) {  // cells inside [-pad, in + pad_end) on every axis
      const int32_t s[3] = {d0, h0, w0};
      count = 1;
      for (int a = 0; a < 3; ++a) {
        int32_t lo, hi;
        window_taps(s[a] + g.pad[a], g.kernel[a], g.dil[a], g.in[a] + g.pad[a] + g.pad_end[a], lo, hi);
        count *= hi > lo ? hi - lo : 0;
      }
    }
    y[o] = T(count ? sum / M(count) : M(0));
  });
}

template <typename T>
inline void lp_pool(const PoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  detail::pool_outputs(p, x, [&](int32_t, const T* xc, int32_t o, int32_t d0, int32_t h0, int32_t w0) {
    M sum = M(0);
    detail::pool_window(p.win, d0, h0, w0, [&](int32_t i, int32_t, int32_t, int32_t) {
      sum += std::pow(std::fabs(M(xc[i])), M(p.p));
    });
    y[o] = T(std::pow(sum, M(1) / M(p.p)));
  });
}

// Global pools: x [planes, size] -> y [planes].
struct GlobalPoolParams {
  int32_t planes, size;
  float p;  // global_lp_pool exponent
};

template <typename T>
inline void global_avg_pool(const GlobalPoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  for (int32_t c = 0; c < p.planes; ++c) {
    const T* xc = x + c * p.size;
    M sum = M(0);
    for (int32_t i = 0; i < p.size; ++i) sum += M(xc[i]);
    y[c] = T(sum / M(p.size));
  }
}

template <typename T>
inline void global_max_pool(const GlobalPoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  for (int32_t c = 0; c < p.planes; ++c) {
    const T* xc = x + c * p.size;
    T best = xc[0];
    for (int32_t i = 1; i < p.size; ++i)
      if (xc[i] > best) best = xc[i];
    y[c] = best;
  }
}

template <typename T>
inline void global_lp_pool(const GlobalPoolParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y) noexcept {
  using M = math_t<T>;
  for (int32_t c = 0; c < p.planes; ++c) {
    const T* xc = x + c * p.size;
    M sum = M(0);
    for (int32_t i = 0; i < p.size; ++i) sum += std::pow(std::fabs(M(xc[i])), M(p.p));
    y[c] = T(std::pow(sum, M(1) / M(p.p)));
  }
}

// MaxUnpool: x and indices [count]; y [planes, dst] zeroed, then x[i] goes to
// the cell that indices[i] names in a [planes, src] tensor (src is the shape
// MaxPool's input had; dst the requested output shape, src where none is given).
struct MaxUnpoolParams {
  int32_t count, planes;
  int32_t src[3], dst[3];
};

template <typename T>
inline void max_unpool(const MaxUnpoolParams& p, const T* TMLC_RESTRICT x, const int64_t* TMLC_RESTRICT indices,
                       T* TMLC_RESTRICT y) noexcept {
  const int64_t src_sp = int64_t(p.src[0]) * p.src[1] * p.src[2];
  const int32_t dst_sp = p.dst[0] * p.dst[1] * p.dst[2];
  for (int32_t i = 0; i < p.planes * dst_sp; ++i) y[i] = T(0);
  for (int32_t i = 0; i < p.count; ++i) {
    const int64_t at = indices[i];
    if (at < 0 || at >= src_sp * p.planes) continue;
    const int32_t plane = int32_t(at / src_sp), off = int32_t(at % src_sp);
    const int32_t w = off % p.src[2], h = (off / p.src[2]) % p.src[1], d = off / (p.src[2] * p.src[1]);
    if (d >= p.dst[0] || h >= p.dst[1] || w >= p.dst[2]) continue;
    y[plane * dst_sp + (d * p.dst[1] + h) * p.dst[2] + w] = x[i];
  }
}

}  // namespace tmlc
