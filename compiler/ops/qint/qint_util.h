// qint_util.h: helpers shared by the integer operators (compiler/ops/qint/) and
// the quantization passes: reading quantization parameters from types, the
// clamp range of a fused activation, fixed-point multipliers, and printing
// parameter initializers.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tmlc {

// Scale and zero point of a per-tensor quantized value.
struct QScalar {
  double scale = 1.0;
  int32_t zp = 0;
};

// Error unless v is an integer tensor with per-tensor quantization.
Status requirePerTensor(const Value* v, const char* what);
QScalar qscalar(const Value* v);

// Inputs 2, 3, 4 of a convolution or dense layer: bias (int32 for int8
// activations, int64 for int16: bias_t in requantize.h), mult and shift (int32),
// `channels` values each.
Status checkRequantization(const Node& n, int64_t channels);

// The integer range of the output's type narrowed by n.fused (None, Relu, Clip):
// the quantized values of the activation's bounds.
Expected<std::pair<int32_t, int32_t>> activationRange(const Node& n, const Value* out);

// (mult, shift) of a real multiplier; error when it is too large for the
// kernels (>= 2^7) or not finite.
Expected<std::pair<int32_t, int32_t>> fixedMultiplier(double real);

// "{/*a*/ 1, /*b*/ 2}" from (comment, value) pairs.
std::string fieldInit(const std::vector<std::pair<const char*, int64_t>>& fields);

// Integer ranges of the activation types.
int32_t qmin(DType t);
int32_t qmax(DType t);

// The runtime's name for a layout change attribute (0 same, 1 to channels-last,
// 2 to channels-first).
std::string layoutName(int64_t layout);

}  // namespace tmlc
