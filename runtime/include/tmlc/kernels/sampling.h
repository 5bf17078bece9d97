// sampling.h: GridSample and RoiAlign, 2-D bilinear-family sampling (float maths).
//
//   grid_sample  x [N, C, H, W], grid [N, oH, oW, 2] of normalized (x, y) in
//                [-1, 1] -> y [N, C, oH, oW]. mode 0 bilinear, 1 nearest (ties
//                to even), 2 bicubic (A = -0.75); padding 0 zeros, 1 border,
//                2 reflection; align_corners maps -1/1 to the corner pixels'
//                centres instead of their outer edges. As PyTorch's grid_sampler_2d.
//   roi_align    x [N, C, H, W], rois [R, 4] (x1, y1, x2, y2), batch_indices [R]
//                -> y [R, C, oH, oW]; each bin averages (or takes the maximum
//                of the weighted corners, as ONNX Runtime does) bilinear samples
//                on a grid of sampling_ratio^2 points (adaptive when 0).
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

struct GridSampleParams {
  int32_t batch, channels, in_h, in_w, out_h, out_w;
  int32_t mode, padding, align_corners;
};

namespace detail {
inline float gs_unnormalize(float c, int32_t size, int32_t align) noexcept {
  return align ? (c + 1.f) / 2.f * float(size - 1) : ((c + 1.f) * float(size) - 1.f) / 2.f;
}

inline float gs_reflect(float c, float twice_low, float twice_high) noexcept {
  if (twice_low == twice_high) return 0.f;
  const float lo = twice_low / 2.f, span = (twice_high - twice_low) / 2.f;
  c = std::fabs(c - lo);
  const float extra = std::fmod(c, span);
  const int32_t flips = int32_t(std::floor(c / span));
  return flips % 2 == 0 ? extra + lo : span - extra + lo;
}

inline float gs_clip(float c, int32_t size) noexcept {
  return c < 0.f ? 0.f : (c > float(size - 1) ? float(size - 1) : c);
}

inline float gs_pad(float c, int32_t size, const GridSampleParams& p) noexcept {
  if (p.padding == 1) return gs_clip(c, size);
  if (p.padding == 2) {
    c = p.align_corners ? gs_reflect(c, 0.f, 2.f * float(size - 1)) : gs_reflect(c, -1.f, 2.f * float(size) - 1.f);
    return gs_clip(c, size);
  }
  return c;
}

template <typename T>
inline float gs_at(const T* plane, int32_t yy, int32_t xx, const GridSampleParams& p) noexcept {
  return (yy >= 0 && yy < p.in_h && xx >= 0 && xx < p.in_w) ? float(plane[yy * p.in_w + xx]) : 0.f;
}

inline float gs_cubic1(float x, float a) noexcept { return ((a + 2.f) * x - (a + 3.f)) * x * x + 1.f; }
inline float gs_cubic2(float x, float a) noexcept { return ((a * x - 5.f * a) * x + 8.f * a) * x - 4.f * a; }
}  // namespace detail

template <typename T>
inline void grid_sample(const GridSampleParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT grid,
                        T* TMLC_RESTRICT y) noexcept {
  using namespace detail;
  const int32_t out_sp = p.out_h * p.out_w, in_sp = p.in_h * p.in_w;
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t i = 0; i < out_sp; ++i) {
      const float gx = float(grid[(n * out_sp + i) * 2]), gy = float(grid[(n * out_sp + i) * 2 + 1]);
      float ix = gs_unnormalize(gx, p.in_w, p.align_corners), iy = gs_unnormalize(gy, p.in_h, p.align_corners);
      for (int32_t c = 0; c < p.channels; ++c) {
        const T* plane = x + (n * p.channels + c) * in_sp;
        float v = 0.f;
        if (p.mode == 2) {  // bicubic: padding applies to each tap
          const float fx = std::floor(ix), fy = std::floor(iy), tx = ix - fx, ty = iy - fy;
          const float cx[4] = {gs_cubic2(tx + 1.f, -0.75f), gs_cubic1(tx, -0.75f), gs_cubic1(1.f - tx, -0.75f),
                               gs_cubic2(2.f - tx, -0.75f)};
          const float cy[4] = {gs_cubic2(ty + 1.f, -0.75f), gs_cubic1(ty, -0.75f), gs_cubic1(1.f - ty, -0.75f),
                               gs_cubic2(2.f - ty, -0.75f)};
          for (int32_t r = 0; r < 4; ++r) {
            float row = 0.f;
            for (int32_t k = 0; k < 4; ++k) {
              const float sx = gs_pad(fx - 1.f + float(k), p.in_w, p), sy = gs_pad(fy - 1.f + float(r), p.in_h, p);
              row += cx[k] * gs_at(plane, int32_t(sy), int32_t(sx), p);
            }
            v += cy[r] * row;
          }
        } else {
          const float sx = gs_pad(ix, p.in_w, p), sy = gs_pad(iy, p.in_h, p);
          if (p.mode == 1) {
            v = gs_at(plane, int32_t(std::nearbyint(sy)), int32_t(std::nearbyint(sx)), p);
          } else {
            const float x0 = std::floor(sx), y0 = std::floor(sy), lx = sx - x0, ly = sy - y0;
            const int32_t xi = int32_t(x0), yi = int32_t(y0);
            v = gs_at(plane, yi, xi, p) * (1.f - lx) * (1.f - ly) + gs_at(plane, yi, xi + 1, p) * lx * (1.f - ly) +
                gs_at(plane, yi + 1, xi, p) * (1.f - lx) * ly + gs_at(plane, yi + 1, xi + 1, p) * lx * ly;
          }
        }
        y[(n * p.channels + c) * out_sp + i] = T(v);
      }
    }
  }
}

struct RoiAlignParams {
  int32_t rois, channels, in_h, in_w, out_h, out_w;
  int32_t sampling_ratio;
  float spatial_scale;
  int32_t half_pixel;  // coordinate_transformation_mode: 1 half_pixel, 0 output_half_pixel
  int32_t max_mode;
};

template <typename T, typename I>
inline void roi_align(const RoiAlignParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT rois,
                      const I* TMLC_RESTRICT batch_indices, T* TMLC_RESTRICT y) noexcept {
  const float offset = p.half_pixel ? 0.5f : 0.f;
  for (int32_t r = 0; r < p.rois; ++r) {
    const T* roi = rois + r * 4;
    const float x0 = float(roi[0]) * p.spatial_scale - offset, y0 = float(roi[1]) * p.spatial_scale - offset;
    const float x1 = float(roi[2]) * p.spatial_scale - offset, y1 = float(roi[3]) * p.spatial_scale - offset;
    float rw = x1 - x0, rh = y1 - y0;
    if (!p.half_pixel) {
      rw = rw > 1.f ? rw : 1.f;
      rh = rh > 1.f ? rh : 1.f;
    }
    const float bh = rh / float(p.out_h), bw = rw / float(p.out_w);
    const int32_t gh = p.sampling_ratio > 0 ? p.sampling_ratio : int32_t(std::ceil(rh / float(p.out_h)));
    const int32_t gw = p.sampling_ratio > 0 ? p.sampling_ratio : int32_t(std::ceil(rw / float(p.out_w)));
    const float count = float(gh * gw > 1 ? gh * gw : 1);
    const int32_t b = int32_t(batch_indices[r]);
    for (int32_t c = 0; c < p.channels; ++c) {
      const T* plane = x + (b * p.channels + c) * p.in_h * p.in_w;
      T* out = y + (r * p.channels + c) * p.out_h * p.out_w;
      for (int32_t ph = 0; ph < p.out_h; ++ph) {
        for (int32_t pw = 0; pw < p.out_w; ++pw) {
          float acc = 0.f;
          bool first = true;
          for (int32_t iy = 0; iy < gh; ++iy) {
            float sy = y0 + float(ph) * bh + (float(iy) + .5f) * bh / float(gh);
            for (int32_t ix = 0; ix < gw; ++ix) {
              float sx = x0 + float(pw) * bw + (float(ix) + .5f) * bw / float(gw);
              float w[4] = {0.f, 0.f, 0.f, 0.f};
              int32_t at[4] = {0, 0, 0, 0};
              if (!(sy < -1.f || sy > float(p.in_h) || sx < -1.f || sx > float(p.in_w))) {
                float yy = sy <= 0.f ? 0.f : sy, xx = sx <= 0.f ? 0.f : sx;
                int32_t ylo = int32_t(yy), xlo = int32_t(xx), yhi, xhi;
                if (ylo >= p.in_h - 1) {
                  yhi = ylo = p.in_h - 1;
                  yy = float(ylo);
                } else {
                  yhi = ylo + 1;
                }
                if (xlo >= p.in_w - 1) {
                  xhi = xlo = p.in_w - 1;
                  xx = float(xlo);
                } else {
                  xhi = xlo + 1;
                }
                const float ly = yy - float(ylo), lx = xx - float(xlo), hy = 1.f - ly, hx = 1.f - lx;
                w[0] = hy * hx, w[1] = hy * lx, w[2] = ly * hx, w[3] = ly * lx;
                at[0] = ylo * p.in_w + xlo, at[1] = ylo * p.in_w + xhi;
                at[2] = yhi * p.in_w + xlo, at[3] = yhi * p.in_w + xhi;
              }
              if (p.max_mode) {
                float v = w[0] * float(plane[at[0]]);
                for (int k = 1; k < 4; ++k) v = v > w[k] * float(plane[at[k]]) ? v : w[k] * float(plane[at[k]]);
                acc = first || v > acc ? v : acc;
                first = false;
              } else {
                for (int k = 0; k < 4; ++k) acc += w[k] * float(plane[at[k]]);
              }
            }
          }
          out[ph * p.out_w + pw] = T(p.max_mode ? acc : acc / count);
        }
      }
    }
  }
}

}  // namespace tmlc
