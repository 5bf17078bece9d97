// plan_memory: assigns every tensor its storage (the third part of memory
// planning): liveness (liveness.h), then placement by the chosen algorithm
// (placement.h), then this rewrite, which records each arena offset in the
// value's Placement and each scratch offset in its node.
// Requires: the final graph; run it last, after all rewrites.
#pragma once
#include "passes/pass.h"
namespace tmlc {
// Returns the arena size in bytes.
Expected<int64_t> planMemory(Graph& g, const PassOptions& opts);
}
