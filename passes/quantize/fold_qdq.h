// fold_qdq.h: reads the quantization of a QDQ model (QuantizeLinear /
// DequantizeLinear pairs around float operators, as written by ONNX Runtime's
// quantizer and by PyTorch) into the types, so that passes/quantize/quantize.cpp
// turns the float operators between the pairs into integer kernels with the
// model's own scales and zero points.
//
//   DequantizeLinear(constant q, scale, zp)  ->  a float constant (the same real
//       values) annotated with the scales: weights keep their exact int8 values
//       when quantize.cpp re-derives them; int32 biases are recovered the same way.
//   QuantizeLinear(x) -> DequantizeLinear (same parameters)  ->  x itself,
//       annotated with (scale, zero point); uint8 becomes int8 with zp - 128
//       (the same real values, the kernels are int8).
//   A DequantizeLinear of a non-constant int8/uint8 value (an int8 model input)
//   stays, and its output is annotated.
// Runs before constant folding (which would evaluate DequantizeLinear of
// weights and lose their scales). quantize.cpp runs whenever an activation is
// annotated, with or without --quantize.
#pragma once

#include "passes/pass.h"

namespace tmlc {

Status foldQdq(Graph& g, const PassOptions& opts);

}  // namespace tmlc
