// fold_constants: evaluates at compile time every node whose inputs are all
// constants and whose op has an eval function, replacing its outputs by
// constants. Shape is folded from its input's static shape even when that
// input is not constant, which collapses the Shape/Gather/Unsqueeze/Concat
// chains PyTorch exports around Reshape and Flatten.
// Requires: shapes inferred (frontend). Follow it with eliminateDeadCode.
#pragma once
#include "passes/pass.h"
namespace tmlc {
Status foldConstants(Graph& g, const PassOptions& opts);
}
