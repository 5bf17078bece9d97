// avg_pool_test.cpp: the rescaling int8 average pool (runtime/include/tmlc/kernels/
// int8/pool.h, QAvgPool with an output grid of its own) rounds once. Oracle: the
// exact real mean, (sum of (x - zp_x)) * scale_x / (scale_y * count) + zp_y, in
// double. One rounding puts the result within 1/2 LSB of it, plus the fixed-point
// multiplier's own first rounding (2^(shift-1) LSB, multiply_by_quantized_multiplier;
// with the sums shifted left by pre_shift 16 first, under 2^-17) and 1e-6 for the
// double arithmetic. The multipliers are made as the compiler's qpool.cpp makes
// them (quantize_multiplier of scale_x / (scale_y * count) * 2^-16, one pair when
// every window has the same count, else a table by count).
// Random shapes, padding, strides, count_include_pad, scales (the output grid
// coarser and finer than the input's) and zero points. The test also counts how
// many outputs the former two roundings (the mean rounded to the input grid, then
// rescaled) put outside that bound, to show that the bound tells them apart.
#include <cmath>
#include <cstdio>
#include <vector>

#include "tmlc/kernels/int8/pool.h"

namespace {

uint64_t g_state = 0x2545F4914F6CDD1Dull;
uint32_t next() {
  g_state ^= g_state << 13;
  g_state ^= g_state >> 7;
  g_state ^= g_state << 17;
  return static_cast<uint32_t>(g_state >> 16);
}
int32_t range(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(next() % static_cast<uint32_t>(hi - lo + 1)); }

}  // namespace

int main() {
  using namespace tmlc::q;
  long checked = 0, failed = 0, tables = 0, formerOutside = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    PoolParams p{};
    p.batch = 1;
    p.in_h = range(1, 9);
    p.in_w = range(1, 9);
    p.c = range(1, 5);
    p.k_h = range(1, p.in_h);
    p.k_w = range(1, p.in_w);
    p.stride_h = range(1, 3);
    p.stride_w = range(1, 3);
    p.pad_top = range(0, p.k_h - 1);
    p.pad_bottom = range(0, p.k_h - 1);
    p.pad_left = range(0, p.k_w - 1);
    p.pad_right = range(0, p.k_w - 1);
    p.out_h = (p.in_h + p.pad_top + p.pad_bottom - p.k_h) / p.stride_h + 1;
    p.out_w = (p.in_w + p.pad_left + p.pad_right - p.k_w) / p.stride_w + 1;
    p.count_include_pad = range(0, 1);
    p.in_zp = range(-128, 127);
    p.out_zp = range(-128, 127);
    p.rescale = 1;
    p.act_min = -128;
    p.act_max = 127;
    const double sx = std::ldexp(1.0 + (next() % 1000) / 1000.0, range(-8, -4));
    const double sy = sx * (iter % 2 ? 0.4 + (next() % 3000) / 1000.0 : 1.0 / (1.2 + (next() % 2000) / 1000.0));
    // Each window's count, and the multipliers, as qpool.cpp computes them.
    std::vector<int32_t> counts;
    for (int32_t oh = 0; oh < p.out_h; ++oh)
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t h0 = oh * p.stride_h - p.pad_top, w0 = ow * p.stride_w - p.pad_left;
        const int32_t hs = h0 < 0 ? 0 : h0, he = h0 + p.k_h > p.in_h ? p.in_h : h0 + p.k_h;
        const int32_t ws = w0 < 0 ? 0 : w0, we = w0 + p.k_w > p.in_w ? p.in_w : w0 + p.k_w;
        int32_t valid, count;
        avg_pool_counts(p, h0, w0, hs, he, ws, we, valid, count);
        counts.push_back(count);
      }
    bool same = true;
    for (int32_t c : counts) same = same && c == counts[0];
    const int32_t kk = p.k_h * p.k_w;
    std::vector<int32_t> mult(static_cast<size_t>(kk), 0), shift(static_cast<size_t>(kk), 0);
    // pre_shift 16: windows of at most 9x9 taps, |sum| * 2^16 within int32.
    p.pre_shift = 16;
    for (int32_t c : counts) {
      const size_t i = static_cast<size_t>(c - 1);
      quantize_multiplier(sx / (sy * c), &mult[i], &shift[i]);
      shift[i] -= p.pre_shift;
    }
    if (same) {
      p.mult = mult[static_cast<size_t>(counts[0] - 1)];
      p.shift = shift[static_cast<size_t>(counts[0] - 1)];
    }
    tables += !same;

    std::vector<int8_t> x(static_cast<size_t>(p.in_h * p.in_w * p.c)), y(static_cast<size_t>(p.out_h * p.out_w * p.c));
    for (int8_t& v : x) v = static_cast<int8_t>(range(-128, 127));
    avg_pool<int8_t>(p, x.data(), y.data(), same ? nullptr : mult.data(), same ? nullptr : shift.data());

    for (int32_t oh = 0; oh < p.out_h; ++oh)
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t count = counts[static_cast<size_t>(oh * p.out_w + ow)];
        const int32_t sh = same ? p.shift : shift[static_cast<size_t>(count - 1)];
        const int32_t h0 = oh * p.stride_h - p.pad_top, w0 = ow * p.stride_w - p.pad_left;
        for (int32_t c = 0; c < p.c; ++c) {
          long centred = 0;
          int32_t valid = 0;
          for (int32_t ih = h0; ih < h0 + p.k_h; ++ih)
            for (int32_t iw = w0; iw < w0 + p.k_w; ++iw)
              if (ih >= 0 && ih < p.in_h && iw >= 0 && iw < p.in_w) {
                centred += x[static_cast<size_t>((ih * p.in_w + iw) * p.c + c)] - p.in_zp;
                ++valid;
              }
          const double real = static_cast<double>(centred) * sx / (sy * count) + p.out_zp;
          const double clamped = std::fmin(127.0, std::fmax(-128.0, real));
          const int32_t got = y[static_cast<size_t>((oh * p.out_w + ow) * p.c + c)];
          const double bound = 0.5 + std::ldexp(1.0, sh - 1) + 1e-6;  // sh <= -16: within 2^-17 of 1/2 LSB
          ++checked;
          if (std::fabs(got - clamped) > bound && !(got == 127 && real > 127) && !(got == -128 && real < -128)) {
            if (++failed < 10)
              std::printf("FAIL %dx%d k %dx%d stride %dx%d pads %d,%d,%d,%d include_pad %d at (%d, %d, %d): got %d, "
                          "exact %.4f (count %d)\n",
                          p.in_h, p.in_w, p.k_h, p.k_w, p.stride_h, p.stride_w, p.pad_top, p.pad_left, p.pad_bottom,
                          p.pad_right, p.count_include_pad, oh, ow, c, got, real, count);
          }
          // The former form: the mean on the input grid (rounding_divide), then rescaled.
          const long sum = centred + static_cast<long>(valid + (count - valid)) * p.in_zp;
          int32_t m0 = 0, s0 = 0;
          quantize_multiplier(sx / sy, &m0, &s0);
          int32_t former = multiply_by_quantized_multiplier(rounding_divide(static_cast<int32_t>(sum), count) - p.in_zp,
                                                            m0, s0) + p.out_zp;
          former = former < -128 ? -128 : (former > 127 ? 127 : former);
          formerOutside += std::fabs(former - clamped) > bound && !(former == 127 && real > 127) &&
                           !(former == -128 && real < -128);
        }
      }
  }
  std::printf("avg_pool: %ld outputs (%ld shapes with a table of counts), %ld outside 1/2 LSB of the exact mean; "
              "the former two roundings: %ld outside\n",
              checked, tables, failed, formerOutside);
  return failed || formerOutside == 0 ? 1 : 0;
}
