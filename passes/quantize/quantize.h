// quantize.h: rewrites a calibrated float graph into integer operators.
//
// Requires: passes/quantize/calibrate.cpp has annotated every float activation
// with its range (TensorType::quant); BatchNormalization and activations
// are fused. Runs when PassOptions::quant.mode is "int8" or "int16x8".
//
// Each float node with an integer counterpart (compiler/ops/qint/) becomes that
// counterpart: weights int8 symmetric per output channel, biases int32 at scale
// scale_x * scale_w, activations int8 asymmetric per tensor with the calibrated
// ranges, requantization as fixed-point (mult, shift) constants. With int16x8
// the activations are int16 (symmetric, zero point 0) and the biases int64.
// Integer activations with spatial dimensions are channels-last (NHWC):
// Quantize at a float input changes the layout, a Layout node is inserted only where a
// consumer needs the other layout, and a Flatten of NHWC data feeding a dense
// layer is absorbed by permuting that layer's weight columns at compile time.
// A node without an integer form stays float between Dequantize and Quantize
// (with a warning), so every model still compiles. Graph inputs and outputs
// stay float (Quantize/Dequantize in the generated entry point) unless
// quant.io is "int8". Run dead-code elimination afterwards: the pass leaves
// unused Dequantize nodes behind.
#pragma once

#include "passes/pass.h"

namespace tmlc {

Status quantizeGraph(Graph& g, const PassOptions& opts);

}  // namespace tmlc
