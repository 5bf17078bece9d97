// dft.h: discrete Fourier transforms, ONNX DFT and STFT.
//
//   dft   x viewed as [outer, n_in, inner, in_complex ? 2 : 1] -> y [outer, n_out, inner, 2]:
//         the transform of length n_fft along the middle axis (the input
//         truncated or zero-padded to n_fft), bins 0 .. n_out-1 (n_out is
//         n_fft, or n_fft/2 + 1 for a one-sided real transform). inverse: the
//         sign of the exponent flips and the result is divided by n_fft.
//   stft  x [batch, signal_len, in_complex ? 2 : 1], window [frame_len] or
//         nullptr -> y [batch, frames, n_out, 2]: frame f is
//         x[f*step .. f*step + frame_len) times the window, transformed.
// Lengths that are powers of two use an in-place radix-2 FFT, others the
// direct O(n^2) sum. The n twiddle factors are computed once per call into
// scratch; those at multiples of a quarter turn are exact, so components that
// are zero in theory (the imaginary part of a real signal's DC and Nyquist
// bins) come out as exact zeros. scratch: dft_scratch_elems(n_fft) (n_fft =
// frame_len for stft) elements of the compute type (float; double for double).
#pragma once

#include <type_traits>

#include "tmlc/tmlc.h"

namespace tmlc {

struct DftParams {
  int32_t outer, inner;
  int32_t n_in, n_fft, n_out;
  int32_t in_complex;
  int32_t inverse;
};

struct StftParams {
  int32_t batch, signal_len;
  int32_t in_complex;
  int32_t frames, frame_len, step, n_out;
};

template <typename T>
using dft_math_t = typename std::conditional<std::is_same<T, double>::value, double, float>::type;

// One complex working buffer and the table of n twiddles.
constexpr int32_t dft_scratch_elems(int32_t n) noexcept { return 4 * n; }

namespace dft_detail {

// cos and sin of 2*pi*m/n for m in [0, n), exact at quarter turns.
template <typename A>
inline void unit(int32_t m, int32_t n, A& c, A& s) noexcept {
  if ((4 * m) % n == 0) {  // n <= 2^24: no overflow
    const int32_t q = (4 * m) / n;
    c = q == 0 ? A(1) : (q == 2 ? A(-1) : A(0));
    s = q == 1 ? A(1) : (q == 3 ? A(-1) : A(0));
    return;
  }
  const A angle = A(6.283185307179586476925286766559) * A(m) / A(n);
  c = std::cos(angle);
  s = std::sin(angle);
}

TMLC_ALWAYS_INLINE bool is_pow2(int32_t n) noexcept { return n > 0 && (n & (n - 1)) == 0; }

// tw[2m], tw[2m+1] = cos, sin of 2*pi*m/n.
template <typename A>
inline void twiddles(int32_t n, A* tw) noexcept {
  for (int32_t m = 0; m < n; ++m) unit(m, n, tw[2 * m], tw[2 * m + 1]);
}

// In-place transform of buf (n interleaved complex values) with the twiddle
// table tw; the first n_out bins are written to out[k * stride + {0, 1}].
// sign -1: forward, +1: inverse.
template <typename A, typename T>
inline void transform(int32_t n, int32_t sign, int32_t n_out, A* buf, const A* tw, T* out, int32_t stride,
                      A scale) noexcept {
  if (is_pow2(n)) {
    for (int32_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
      int32_t bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {
        A tr = buf[2 * i], ti = buf[2 * i + 1];
        buf[2 * i] = buf[2 * j];
        buf[2 * i + 1] = buf[2 * j + 1];
        buf[2 * j] = tr;
        buf[2 * j + 1] = ti;
      }
    }
    for (int32_t len = 2; len <= n; len <<= 1) {
      const int32_t half = len >> 1;
      for (int32_t j = 0; j < half; ++j) {
        const A c = tw[2 * j * (n / len)], s = A(sign) * tw[2 * j * (n / len) + 1];
        for (int32_t i = 0; i < n; i += len) {
          A* u = buf + 2 * (i + j);
          A* v = buf + 2 * (i + j + half);
          const A vr = v[0] * c - v[1] * s, vi = v[0] * s + v[1] * c;
          v[0] = u[0] - vr;
          v[1] = u[1] - vi;
          u[0] += vr;
          u[1] += vi;
        }
      }
    }
    for (int32_t k = 0; k < n_out; ++k) {
      out[k * stride] = T(buf[2 * k] * scale);
      out[k * stride + 1] = T(buf[2 * k + 1] * scale);
    }
    return;
  }
  for (int32_t k = 0; k < n_out; ++k) {
    A re = A(0), im = A(0);
    for (int32_t t = 0, m = 0; t < n; ++t) {  // m = k*t mod n
      const A c = tw[2 * m], s = A(sign) * tw[2 * m + 1];
      re += buf[2 * t] * c - buf[2 * t + 1] * s;
      im += buf[2 * t] * s + buf[2 * t + 1] * c;
      m += k;
      if (m >= n) m -= n;
    }
    out[k * stride] = T(re * scale);
    out[k * stride + 1] = T(im * scale);
  }
}

}  // namespace dft_detail

template <typename T>
inline void dft(const DftParams& p, const T* TMLC_RESTRICT x, T* TMLC_RESTRICT y,
                dft_math_t<T>* TMLC_RESTRICT scratch) noexcept {
  using A = dft_math_t<T>;
  const int32_t comps = p.in_complex ? 2 : 1;
  const int32_t used = p.n_in < p.n_fft ? p.n_in : p.n_fft;
  const A scale = p.inverse ? A(1) / A(p.n_fft) : A(1);
  A* tw = scratch + 2 * p.n_fft;
  dft_detail::twiddles(p.n_fft, tw);
  for (int32_t o = 0; o < p.outer; ++o)
    for (int32_t i = 0; i < p.inner; ++i) {
      for (int32_t t = 0; t < p.n_fft; ++t) {
        const T* v = x + ((o * p.n_in + t) * p.inner + i) * comps;
        scratch[2 * t] = t < used ? A(v[0]) : A(0);
        scratch[2 * t + 1] = t < used && p.in_complex ? A(v[1]) : A(0);
      }
      dft_detail::transform<A, T>(p.n_fft, p.inverse ? 1 : -1, p.n_out, scratch, tw,
                                  y + (o * p.n_out * p.inner + i) * 2, p.inner * 2, scale);
    }
}

template <typename T>
inline void stft(const StftParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT window,
                 T* TMLC_RESTRICT y, dft_math_t<T>* TMLC_RESTRICT scratch) noexcept {
  using A = dft_math_t<T>;
  const int32_t comps = p.in_complex ? 2 : 1;
  A* tw = scratch + 2 * p.frame_len;
  dft_detail::twiddles(p.frame_len, tw);
  for (int32_t b = 0; b < p.batch; ++b)
    for (int32_t f = 0; f < p.frames; ++f) {
      for (int32_t t = 0; t < p.frame_len; ++t) {
        const T* v = x + (b * p.signal_len + f * p.step + t) * comps;
        const A w = window ? A(window[t]) : A(1);
        scratch[2 * t] = A(v[0]) * w;
        scratch[2 * t + 1] = p.in_complex ? A(v[1]) * w : A(0);
      }
      dft_detail::transform<A, T>(p.frame_len, -1, p.n_out, scratch, tw, y + (b * p.frames + f) * p.n_out * 2, 2,
                                  A(1));
    }
}

}  // namespace tmlc
