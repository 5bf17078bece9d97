// placement.h: the second part of memory planning. Given buffers with
// lifetimes, choose arena offsets so that buffers alive at the same time never
// overlap. Algorithms are selected by name:
//   "greedy"  largest buffer first, each at the lowest 16-byte-aligned offset
//             that does not collide with an already placed buffer whose life
//             overlaps (the strategy of TFLM's GreedyMemoryPlanner).
//   "linear"  no reuse: every buffer gets its own range (for debugging).
#pragma once

#include <string>
#include <vector>

#include "passes/memory/liveness.h"
#include "support/status.h"

namespace tmlc {

constexpr int64_t kArenaAlignment = 16;

// Sets Buffer::offset for each buffer; returns the arena size in bytes.
Expected<int64_t> placeBuffers(std::vector<Buffer>& bufs, const std::string& algorithm);

}  // namespace tmlc
