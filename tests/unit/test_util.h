// test_util.h: small helpers shared by the unit tests: seeded random data,
// float lists for ONNX text initializers, and a tolerance check.
#pragma once

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace tmlc_test {

inline std::vector<float> randomFloats(size_t n, unsigned seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// "1.5, -0.25, ..." with every float exact (%.9g), for `float[2] w = {...}`.
inline std::string floatList(const std::vector<float>& v) {
  std::string r;
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v[i]));
    r += (i ? ", " : "") + std::string(buf);
  }
  return r;
}

// Largest |a-b| / (atol + rtol*|b|) over the arrays; <= 1 means within tolerance.
inline double worstError(const std::vector<float>& a, const std::vector<float>& b, double atol,
                         double rtol) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double e = std::fabs(double(a[i]) - double(b[i])) / (atol + rtol * std::fabs(double(b[i])));
    if (!(e <= worst)) worst = e;  // NaN propagates
  }
  return worst;
}

}  // namespace tmlc_test
