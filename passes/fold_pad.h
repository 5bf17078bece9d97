// fold_pad: removes Pad nodes the operator after them can do itself.
//
//   Pad by nothing (every pad 0, any mode)  ->  its input. PyTorch exports one
//       before AveragePool; it would otherwise be a full copy per inference.
//   Pad with constant 0 (non-negative pads on the spatial axes only) -> Conv:
//       the pads are added to the Conv's (zero padding is what Conv pads with).
//   The same -> AveragePool with ceil_mode 0, when the padded zeros can be
//       counted: count_include_pad = 1, or the pool has no pads of its own
//       (then the fused pool counts every padded tap, as the original counted
//       the explicit zeros). Otherwise (or before MaxPool: padding there is
//       -inf, not 0) the Pad stays.
// Only a Pad whose every reader is such a Conv or AveragePool (reading it as
// input X, with explicit pads: auto_pad NOTSET or VALID) is folded, and never
// one whose output is a graph output.
// Requires: constants folded (the pads and constant_value inputs known).
#pragma once
#include "passes/pass.h"
namespace tmlc {
Status foldPad(Graph& g, const PassOptions& opts);
}
