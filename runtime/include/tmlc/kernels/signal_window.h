// signal_window.h: window functions and the mel filter bank of audio
// front-ends (ONNX HannWindow, HammingWindow, BlackmanWindow, MelWeightMatrix).
//
//   window_function   y[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N),
//                     n < size, N = size (periodic) or size - 1 (symmetric);
//                     Hann (0.5, 0.5, 0), Hamming (25/46, 21/46, 0),
//                     Blackman (0.42, 0.5, 0.08).
//   mel_weight_matrix y [dft_length/2 + 1, num_mel_bins]: triangular filters
//                     between mel-spaced edges, computed exactly as ONNX's
//                     reference: num_mel_bins + 2 points spaced by
//                     (mel(upper) - mel(lower)) / (num_mel_bins + 2), mapped
//                     to FFT bins by floor((dft_length + 1) * hz / sample_rate).
// Both usually run at compile time (their inputs are constants and the
// compiler folds them with these same functions). Computed in double.
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

enum class WindowKind : int32_t { Hann = 0, Hamming = 1, Blackman = 2 };

struct WindowFunctionParams {
  WindowKind kind;
  int32_t size;
  int32_t periodic;
};

struct MelWeightParams {
  int32_t num_mel_bins, dft_length;
  double sample_rate, lower_hz, upper_hz;
};

template <typename T>
inline void window_function(const WindowFunctionParams& p, T* TMLC_RESTRICT y) noexcept {
  double a0 = 0.5, a1 = 0.5, a2 = 0.0;
  if (p.kind == WindowKind::Hamming) {
    a0 = 25.0 / 46.0;
    a1 = 1.0 - a0;
  } else if (p.kind == WindowKind::Blackman) {
    a0 = 0.42;
    a2 = 0.08;
  }
  const double two_pi = 6.283185307179586476925286766559;
  const double denom = double(p.periodic ? p.size : p.size - 1);
  for (int32_t n = 0; n < p.size; ++n) {
    const double t = denom > 0.0 ? two_pi * double(n) / denom : 0.0;
    y[n] = T(a0 - a1 * std::cos(t) + a2 * std::cos(2.0 * t));
  }
}

template <typename T>
inline void mel_weight_matrix(const MelWeightParams& p, T* TMLC_RESTRICT y) noexcept {
  const int32_t bins = p.dft_length / 2 + 1, mels = p.num_mel_bins;
  for (int32_t i = 0; i < bins * mels; ++i) y[i] = T(0);
  auto mel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
  const double lo = mel(p.lower_hz), hi = mel(p.upper_hz);
  const double step = (hi - lo) / double(mels + 2);
  // Edge k of the filters, as an FFT bin.
  auto edge = [&](int32_t k) {
    const double hz = 700.0 * (std::pow(10.0, (double(k) * step + lo) / 2595.0) - 1.0);
    return int32_t(std::floor(double(p.dft_length + 1) * hz / p.sample_rate));
  };
  for (int32_t i = 0; i < mels; ++i) {
    const int32_t left = edge(i), center = edge(i + 1), right = edge(i + 2);
    auto set = [&](int32_t j, double v) {
      if (j >= 0 && j < bins) y[j * mels + i] = T(v);
    };
    if (center == left) {
      set(center, 1.0);
    } else {
      for (int32_t j = left; j <= center; ++j) set(j, double(j - left) / double(center - left));
    }
    if (right > center)
      for (int32_t j = center; j < right; ++j) set(j, double(right - j) / double(right - center));
  }
}

}  // namespace tmlc
