// compare.h: compares an output buffer with a reference tensor, as ONNX's
// backend tests do: |got - ref| <= atol + rtol * |ref| for floats (NaN equals
// NaN, infinities must match), exact for integers and booleans.
#pragma once

#include <string>

#include "ir/graph.h"

namespace tmlc {

struct Comparison {
  bool pass = true;
  double maxAbs = 0;
  double maxRel = 0;
  int64_t mismatches = 0;
  int64_t firstBad = -1;
  std::string note;  // why it failed, when it is not a value mismatch
};

Comparison compareTensor(const Tensor& ref, const void* got, size_t gotBytes, double rtol, double atol);

}  // namespace tmlc
