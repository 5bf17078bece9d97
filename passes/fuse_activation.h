// fuse_activation: folds Relu, Clip (constant bounds), LeakyRelu, Sigmoid,
// HardSigmoid, HardSwish and Tanh into the op producing their input, when that
// op's kernel applies a fused activation (OpDef::fusesActivation) and the
// activation is its only user. Saves one pass over the tensor and its buffer.
// Requires: constants folded (Clip bounds), BatchNormalization already fused.
#pragma once
#include "passes/pass.h"
namespace tmlc {
Status fuseActivation(Graph& g, const PassOptions& opts);
}
