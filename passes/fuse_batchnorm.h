// fuse_batchnorm: folds an inference-mode BatchNormalization into the Conv or
// Gemm that feeds it, when that op's weights are constant and the BN is its
// only user: W' = W * s, b' = (b - mean) * s + beta with s = gamma / sqrt(var + eps),
// per output channel. Requires: constants folded (so BN parameters are known).
#pragma once
#include "passes/pass.h"
namespace tmlc {
Status fuseBatchNorm(Graph& g, const PassOptions& opts);
}
