// split_activations.h: undoes the fusion of activations that integer kernels
// cannot apply in their output clamp (Sigmoid, Tanh, HardSwish, HardSigmoid,
// LeakyRelu), so that calibration sees the tensor before the activation and the
// quantization pass turns the activation into a 256-entry table (QLut).
//
// Runs only with --quantize (PassOptions::quant.mode), after fuse-activation and
// before calibrate. Relu and Clip stay fused: they become the clamp range.
#pragma once

#include "passes/pass.h"

namespace tmlc {

Status splitActivations(Graph& g, const PassOptions& opts);

}  // namespace tmlc
