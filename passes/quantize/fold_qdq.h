// fold_qdq.h: reads the quantization of a QDQ model (QuantizeLinear /
// DequantizeLinear pairs around float operators, as written by ONNX Runtime's
// quantizer and by PyTorch) into the types, so that passes/quantize/quantize.cpp
// turns the float operators between the pairs into integer kernels with the
// model's own scales and zero points.
//
//   DequantizeLinear(constant q, scale, zp)  ->  a float constant (the same real
//       values) annotated with the scales: weights keep their exact int8 values
//       when quantize.cpp re-derives them; int32 biases are recovered the same way.
//   DequantizeLinear(QuantizeLinear(constant x))  ->  a float constant of the
//       rounded values, annotated the same way.
//   QuantizeLinear(x) -> DequantizeLinear (same parameters, per tensor): x and
//       the pair's output are annotated with (scale, zero point); uint8 becomes
//       int8 with zp - 128 (the same real values, the kernels are int8). The
//       pair STAYS: it rounds x to its grid, which the model's meaning depends
//       on. quantize.cpp removes it where the values are integers on both sides
//       (x made by an integer kernel or quantized for one, every reader of the
//       pair an integer kernel); a float reader keeps the rounding.
//   A DequantizeLinear of a non-constant int8/uint8 value (an int8 model input)
//   stays, and its output is annotated.
// Runs before constant folding (which would evaluate DequantizeLinear of
// weights and lose their scales). quantize.cpp runs whenever an activation is
// annotated, with or without --quantize.
#pragma once

#include <optional>

#include "passes/pass.h"

namespace tmlc {

Status foldQdq(Graph& g, const PassOptions& opts);

// dq = DequantizeLinear(QuantizeLinear(source)) with the same constant per-tensor
// int8/uint8 parameters and a float32 source: the source and the grid as the
// int8 kernels see it (uint8 zero points shifted by -128). nullopt otherwise.
struct QdqPair {
  Value* source = nullptr;
  QuantParams quant;
};
std::optional<QdqPair> qdqPair(const Node& dq);

}  // namespace tmlc
