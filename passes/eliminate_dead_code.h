// eliminate_dead_code: removes nodes none of whose outputs reach a graph output,
// and values no node references. Needs nothing before it; run it after any
// pass that leaves nodes unused.
#pragma once
#include "passes/pass.h"
namespace tmlc {
Status eliminateDeadCode(Graph& g, const PassOptions& opts);
}
