// ms_qlinear.h: what the com.microsoft QLinear* operators share (ONNX Runtime's
// quantizer writes them in QOperator models): reading their constant per-tensor
// scales and zero points, and building 256-entry tables the way ONNX Runtime
// builds them (QlinearBuildLookupTable: dequantize every byte in float, apply
// the function, quantize with round half to even), so that the table kernels
// of runtime/include/tmlc/kernels/int8/lut.h give ONNX Runtime's results.
//
// Operators: qlinear_binary.cpp (QLinearAdd, QLinearMul), qlinear_activation.cpp
// (QLinearSigmoid, QLinearLeakyRelu), qlinear_pool.cpp (QLinearAveragePool,
// QLinearGlobalAveragePool), qlinear_concat.cpp (QLinearConcat). All are
// integer-only at run time: the scales are read at compile time.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tmlc {

struct MsQuant {
  float scale = 1.0f;
  int32_t zp = 0;
};

// True for the element types of these operators (uint8, int8).
bool isMsQuantType(DType t);

// The scale (input scaleIdx, a float constant of one element) and zero point
// (input zpIdx, optional: 0 when absent; a constant of type t) named `what`.
Expected<MsQuant> readMsQuant(const Node& n, size_t scaleIdx, size_t zpIdx, DType t, const std::string& what);

// table[b] for every byte b read as t: quantize(f(dequantize(b, x)), y), with
// f applied to all 256 dequantized values at once (as ONNX Runtime does).
using FloatArrayFn = std::function<void(const float* in, float* out, size_t n)>;
std::vector<int32_t> msByteTable(DType t, MsQuant x, MsQuant y, const FloatArrayFn& f);

// Initializer of a tmlc::q::ByteTable<T>: "{{v0, v1, ...}}".
std::string printByteTable(const std::vector<int32_t>& table);

}  // namespace tmlc
