#include "driver/accuracy.h"

#include <cmath>
#include <limits>

namespace tmlc {

namespace {

int64_t argmax(const float* x, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (x[i] > x[best]) best = i;
  return best;
}

}  // namespace

int64_t classifierClasses(const std::vector<int64_t>& shape) {
  if (shape.size() < 2 || shape.back() < 2) return 0;
  for (size_t i = 1; i + 1 < shape.size(); ++i)
    if (shape[i] != 1) return 0;
  return shape.back();
}

void AccuracyAccumulator::add(const float* got, const float* ref, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const double g = got[i], r = ref[i], e = g - r;
    maxAbs_ = std::max(maxAbs_, std::fabs(e));
    dot_ += g * r;
    gg_ += g * g;
    rr_ += r * r;
    ee_ += e * e;
  }
  n_ += n;
  if (classes_ >= 2 && n % classes_ == 0) {
    for (int64_t row = 0; row < n; row += classes_) {
      agree_ += argmax(got + row, classes_) == argmax(ref + row, classes_);
      ++rows_;
    }
  }
}

OutputAccuracy AccuracyAccumulator::result() const {
  OutputAccuracy a;
  a.scale = scale_;
  a.elements = n_;
  a.maxAbs = maxAbs_;
  a.maxLsb = scale_ > 0 ? maxAbs_ / scale_ : 0;
  if (gg_ == 0 && rr_ == 0) a.cosine = 1;
  else if (gg_ == 0 || rr_ == 0) a.cosine = 0;
  else a.cosine = dot_ / (std::sqrt(gg_) * std::sqrt(rr_));
  if (ee_ == 0) a.snrDb = std::numeric_limits<double>::infinity();
  else if (rr_ == 0) a.snrDb = -std::numeric_limits<double>::infinity();
  else a.snrDb = 10 * std::log10(rr_ / ee_);
  a.top1Agree = agree_;
  a.top1Rows = rows_;
  return a;
}

}  // namespace tmlc
