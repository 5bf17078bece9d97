// calibrate.h: measures the float model's activations on calibration samples
// and records the chosen int8 (or, for int16x8, int16 symmetric) range of each
// in its TensorType::quant.
//
// Runs when PassOptions::quant.mode is set, on the float graph after operator
// fusion (so a Conv with a fused Relu is observed after its Relu) and before
// passes/quantize/quantize.cpp, which reads the ranges. It makes every float
// activation a graph output, plans and emits that graph as C++, builds it with
// the host compiler next to a small driver, feeds it the samples of
// --calibration DIR (calibration_data.h) and reads the activations back through
// a pipe. The graph is left as it was apart from the annotations.
//
// Methods (--calibration-method): minmax (the observed range), percentile
// (clip each tail at 100 - quant.percentile percent of the values), mse (the
// clipping range, among 91 shrinkings of the observed one, that minimizes the
// squared quantization error over the observed histogram).
#pragma once

#include "passes/pass.h"

namespace tmlc {

Status calibrate(Graph& g, const PassOptions& opts);

}  // namespace tmlc
