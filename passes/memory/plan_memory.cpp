#include "passes/memory/plan_memory.h"

#include "passes/memory/liveness.h"
#include "passes/memory/placement.h"

namespace tmlc {

Expected<int64_t> planMemory(Graph& g, const PassOptions& opts) {
  std::vector<Buffer> bufs = computeLiveness(g);
  auto size = placeBuffers(bufs, opts.planner);
  if (!size) return size.status();
  for (const Buffer& b : bufs) {
    if (b.value) b.value->place = {Placement::Kind::Arena, -1, b.offset, nullptr};
    if (b.scratchOf) b.scratchOf->scratchOffset = b.offset;
  }
  return *size;
}

}  // namespace tmlc
