// accuracy.h: how close a quantized model's outputs are to a float reference,
// as `tmlc validate` reports it for int8 models (docs/quantization.md#accuracy).
//
// For one output, accumulated over all data sets (the elements of every data
// set taken as one vector):
//   max error in LSBs   max |got - ref| / scale, scale being the quantized
//                       output's (the int8 value the entry point dequantizes);
//   cosine similarity   sum(got*ref) / (|got| |ref|)  (1 when both are zero);
//   SNR                 10 log10(sum ref^2 / sum (got - ref)^2) dB (infinite
//                       when got equals ref);
//   top-1 agreement     for classifier-shaped outputs ([N, C] or [N, 1, .., C]
//                       with C >= 2): rows whose arg-max (first maximum) is
//                       the same in got and ref, out of all rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tmlc {

struct OutputAccuracy {
  double scale = 0;            // the output's quantization scale; 0: not known
  int64_t elements = 0;
  double maxAbs = 0;           // max |got - ref|
  double maxLsb = 0;           // maxAbs / scale (when scale > 0)
  double cosine = 1;
  double snrDb = 0;            // +infinity when there is no error
  int64_t top1Agree = 0, top1Rows = 0;  // top1Rows 0: not classifier-shaped
};

class AccuracyAccumulator {
 public:
  // classes: the last dimension when the output is classifier-shaped, else 0.
  AccuracyAccumulator(double scale, int64_t classes) : scale_(scale), classes_(classes) {}
  // One data set's output: n elements of the model (got) and the reference.
  void add(const float* got, const float* ref, int64_t n);
  OutputAccuracy result() const;

 private:
  double scale_;
  int64_t classes_;
  int64_t n_ = 0, agree_ = 0, rows_ = 0;
  double maxAbs_ = 0, dot_ = 0, gg_ = 0, rr_ = 0, ee_ = 0;
};

// C when a shape [d0, ..., C] is classifier-shaped (C >= 2 and every dimension
// but the first and the last is 1), else 0.
int64_t classifierClasses(const std::vector<int64_t>& shape);

}  // namespace tmlc
