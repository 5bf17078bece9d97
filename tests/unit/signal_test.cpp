// signal_test.cpp: numerics of the audio front-end and recurrent kernels
// (runtime/include/tmlc/kernels/dft.h, signal_window.h, rnn.h) against
// textbook formulas evaluated here in double precision.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <vector>

#include "test_util.h"
#include "tmlc/kernels/dft.h"
#include "tmlc/kernels/rnn.h"
#include "tmlc/kernels/signal_window.h"

using namespace tmlc;

namespace {

const double kPi = 3.14159265358979323846;

// The DFT by definition, in double.
std::vector<std::complex<double>> naiveDft(const std::vector<float>& re, const std::vector<float>& im, int n,
                                           bool inverse) {
  std::vector<std::complex<double>> y(static_cast<size_t>(n));
  for (int k = 0; k < n; ++k) {
    std::complex<double> acc = 0;
    for (int t = 0; t < n && t < static_cast<int>(re.size()); ++t) {
      const double a = (inverse ? 2 : -2) * kPi * double(k) * double(t) / double(n);
      acc += std::complex<double>(re[static_cast<size_t>(t)], im[static_cast<size_t>(t)]) *
             std::complex<double>(std::cos(a), std::sin(a));
    }
    y[static_cast<size_t>(k)] = inverse ? acc / double(n) : acc;
  }
  return y;
}

}  // namespace

TEST_CASE("dft: radix-2 and direct paths match the definition for every length 1..40", "[kernels][dft]") {
  for (int n = 1; n <= 40; ++n) {
    for (int inverse = 0; inverse < 2; ++inverse) {
      INFO("n = " << n << ", inverse = " << inverse);
      std::vector<float> re = tmlc_test::randomFloats(static_cast<size_t>(n), unsigned(n)),
                         im = tmlc_test::randomFloats(static_cast<size_t>(n), unsigned(n + 100));
      std::vector<float> x(2 * static_cast<size_t>(n)), y(2 * static_cast<size_t>(n)),
          scratch(static_cast<size_t>(dft_scratch_elems(n)));
      for (int t = 0; t < n; ++t) {
        x[2 * static_cast<size_t>(t)] = re[static_cast<size_t>(t)];
        x[2 * static_cast<size_t>(t) + 1] = im[static_cast<size_t>(t)];
      }
      const DftParams p = {1, 1, n, n, n, 1, inverse};
      dft<float>(p, x.data(), y.data(), scratch.data());
      const auto want = naiveDft(re, im, n, inverse != 0);
      for (int k = 0; k < n; ++k) {
        CHECK(std::fabs(y[2 * static_cast<size_t>(k)] - want[static_cast<size_t>(k)].real()) < 2e-5 * n);
        CHECK(std::fabs(y[2 * static_cast<size_t>(k) + 1] - want[static_cast<size_t>(k)].imag()) < 2e-5 * n);
      }
    }
  }
}

TEST_CASE("dft: a real signal's DC and Nyquist bins have exactly zero imaginary parts", "[kernels][dft]") {
  for (int n : {8, 10, 16, 30, 64}) {
    INFO("n = " << n);
    std::vector<float> x = tmlc_test::randomFloats(static_cast<size_t>(n), unsigned(n));
    std::vector<float> y(2 * static_cast<size_t>(n / 2 + 1)), scratch(static_cast<size_t>(dft_scratch_elems(n)));
    const DftParams p = {1, 1, n, n, n / 2 + 1, 0, 0};  // one-sided
    dft<float>(p, x.data(), y.data(), scratch.data());
    CHECK(y[1] == 0.0f);
    CHECK(y[2 * static_cast<size_t>(n / 2) + 1] == 0.0f);
  }
}

TEST_CASE("dft: dft_length zero-pads and truncates along the middle axis", "[kernels][dft]") {
  // x [outer 2, n_in 5, inner 3, real]; transform of length 8 and of length 4.
  std::vector<float> x = tmlc_test::randomFloats(2 * 5 * 3, 7);
  for (int len : {8, 4}) {
    INFO("dft_length = " << len);
    std::vector<float> y(2 * static_cast<size_t>(len) * 3 * 2), scratch(static_cast<size_t>(dft_scratch_elems(len)));
    const DftParams p = {2, 3, 5, len, len, 0, 0};
    dft<float>(p, x.data(), y.data(), scratch.data());
    for (int o = 0; o < 2; ++o)
      for (int i = 0; i < 3; ++i) {
        std::vector<float> re, im;
        for (int t = 0; t < 5 && t < len; ++t) {
          re.push_back(x[static_cast<size_t>((o * 5 + t) * 3 + i)]);
          im.push_back(0.0f);
        }
        const auto want = naiveDft(re, im, len, false);
        for (int k = 0; k < len; ++k) {
          const size_t at = static_cast<size_t>(((o * len + k) * 3 + i) * 2);
          CHECK(std::fabs(y[at] - want[static_cast<size_t>(k)].real()) < 1e-5);
          CHECK(std::fabs(y[at + 1] - want[static_cast<size_t>(k)].imag()) < 1e-5);
        }
      }
  }
}

TEST_CASE("window functions: the periodic window of N is the symmetric one of N+1 without its last point",
          "[kernels][window]") {
  for (WindowKind kind : {WindowKind::Hann, WindowKind::Hamming, WindowKind::Blackman}) {
    std::vector<double> periodic(16), symmetric(17);
    window_function<double>({kind, 16, 1}, periodic.data());
    window_function<double>({kind, 17, 0}, symmetric.data());
    for (size_t n = 0; n < 16; ++n) CHECK(periodic[n] == Approx(symmetric[n]).margin(1e-15));
    CHECK(symmetric[0] == Approx(symmetric[16]).margin(1e-15));  // symmetric ends
  }
  std::vector<double> hann(4);
  window_function<double>({WindowKind::Hann, 4, 1}, hann.data());
  CHECK(hann[0] == Approx(0.0).margin(1e-15));
  CHECK(hann[1] == Approx(0.5));
  CHECK(hann[2] == Approx(1.0));
}

TEST_CASE("mel_weight_matrix: triangles between mel-spaced edges peak at 1", "[kernels][mel]") {
  const MelWeightParams p = {10, 256, 16000.0, 0.0, 8000.0};
  std::vector<float> w(129 * 10);
  mel_weight_matrix<float>(p, w.data());
  for (int m = 0; m < 10; ++m) {
    float peak = 0;
    for (int b = 0; b < 129; ++b) {
      const float v = w[static_cast<size_t>(b * 10 + m)];
      CHECK(v >= 0.0f);
      CHECK(v <= 1.0f);
      peak = std::max(peak, v);
    }
    CHECK(peak == 1.0f);
  }
}

TEST_CASE("rnn: one Tanh step equals tanh(W x + R h0 + Wb + Rb); padding keeps the state", "[kernels][rnn]") {
  // seq 2, batch 2 (the second entry has length 1), input 3, hidden 2.
  const RnnParams p = {2, 2, 3, 2, 1, 0, 0, 0.f, 0, 0,
                       {{{RnnAct::Tanh, 0.f, 0.f}, {RnnAct::Tanh, 0.f, 0.f}, {RnnAct::Tanh, 0.f, 0.f}}, {}}};
  const std::vector<float> x = tmlc_test::randomFloats(2 * 2 * 3, 1), w = tmlc_test::randomFloats(2 * 3, 2),
                           r = tmlc_test::randomFloats(2 * 2, 3), b = tmlc_test::randomFloats(4, 4),
                           h0 = tmlc_test::randomFloats(2 * 2, 5);
  const int32_t lens[2] = {2, 1};
  std::vector<float> y(2 * 1 * 2 * 2), yh(2 * 2), scratch(static_cast<size_t>(rnn_scratch_elems(p, 1)));
  rnn<float>(p, x.data(), w.data(), r.data(), b.data(), lens, h0.data(), y.data(), yh.data(), scratch.data());
  // Reference, batch entry by entry.
  for (int bi = 0; bi < 2; ++bi) {
    double h[2] = {h0[static_cast<size_t>(bi * 2)], h0[static_cast<size_t>(bi * 2 + 1)]};
    for (int t = 0; t < lens[bi]; ++t) {
      double nh[2];
      for (int j = 0; j < 2; ++j) {
        double acc = b[static_cast<size_t>(j)] + b[static_cast<size_t>(2 + j)];
        for (int k = 0; k < 3; ++k)
          acc += double(w[static_cast<size_t>(j * 3 + k)]) * x[static_cast<size_t>((t * 2 + bi) * 3 + k)];
        for (int k = 0; k < 2; ++k) acc += double(r[static_cast<size_t>(j * 2 + k)]) * h[k];
        nh[j] = std::tanh(acc);
      }
      h[0] = nh[0];
      h[1] = nh[1];
      for (int j = 0; j < 2; ++j) CHECK(y[static_cast<size_t>((t * 2 + bi) * 2 + j)] == Approx(h[j]).epsilon(1e-5));
    }
    for (int j = 0; j < 2; ++j) CHECK(yh[static_cast<size_t>(bi * 2 + j)] == Approx(h[j]).epsilon(1e-5));
  }
  // Past its length, entry 1 has zeros in Y.
  CHECK(y[static_cast<size_t>((1 * 2 + 1) * 2)] == 0.0f);
  CHECK(y[static_cast<size_t>((1 * 2 + 1) * 2 + 1)] == 0.0f);
}
