// quant_math.h: choosing quantization parameters (compile time only). The
// run-time side of the arithmetic is runtime/include/tmlc/kernels/int8/requantize.h.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace tmlc {

// Asymmetric per-tensor parameters covering [lo, hi] (widened to include 0, so
// that zero padding and Relu are exact) for a type of range [qlo, qhi].
QuantParams asymmetricParams(double lo, double hi, int32_t qlo = -128, int32_t qhi = 127);
// Symmetric (zero point 0) parameters for max |x| = amax, range [-qmaxv, qmaxv].
QuantParams symmetricParams(double amax, int32_t qmaxv = 127);

// The parameters of an activation of type `act` covering [lo, hi]: int8
// asymmetric (asymmetricParams); int16 symmetric with zero point 0 and range
// [-32767, 32767], as TensorFlow Lite's 16x8 scheme.
QuantParams activationParams(double lo, double hi, DType act);

// Quantizes one value with given scale/zp into [qlo, qhi], rounding half to even.
int32_t quantizeOne(double x, double scale, int32_t zp, int32_t qlo, int32_t qhi);

// Weights symmetric per output channel: `w` holds `channels` rows of `per`
// values (row-major). Returns int8 values in the same order and one scale per row.
void quantizePerChannel(const std::vector<double>& w, int64_t channels, int64_t per, std::vector<int8_t>& q,
                        std::vector<float>& scales);

// The values of a float constant as doubles.
std::vector<double> constantValues(const Value* v);

}  // namespace tmlc
