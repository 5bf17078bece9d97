#include "passes/memory/placement.h"

#include <algorithm>
#include <numeric>

namespace tmlc {

namespace {
int64_t alignUp(int64_t x) { return (x + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment; }

int64_t placeGreedy(std::vector<Buffer>& bufs) {
  std::vector<size_t> order(bufs.size());
  std::iota(order.begin(), order.end(), 0);
  // Largest first; ties by birth so the result does not depend on sort internals.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (bufs[a].bytes != bufs[b].bytes) return bufs[a].bytes > bufs[b].bytes;
    return bufs[a].first < bufs[b].first;
  });
  std::vector<size_t> placed;
  int64_t arena = 0;
  for (size_t i : order) {
    Buffer& b = bufs[i];
    // Ranges already taken during b's life, sorted by offset.
    std::vector<std::pair<int64_t, int64_t>> taken;
    for (size_t j : placed) {
      const Buffer& o = bufs[j];
      if (o.first <= b.last && b.first <= o.last) taken.push_back({o.offset, o.offset + o.bytes});
    }
    std::sort(taken.begin(), taken.end());
    int64_t candidate = 0;
    for (const auto& t : taken) {
      if (candidate + b.bytes <= t.first) break;
      candidate = std::max(candidate, alignUp(t.second));
    }
    b.offset = candidate;
    arena = std::max(arena, candidate + b.bytes);
    placed.push_back(i);
  }
  return alignUp(arena);
}

int64_t placeLinear(std::vector<Buffer>& bufs) {
  int64_t off = 0;
  for (Buffer& b : bufs) {
    b.offset = off;
    off = alignUp(off + b.bytes);
  }
  return off;
}
}  // namespace

Expected<int64_t> placeBuffers(std::vector<Buffer>& bufs, const std::string& algorithm) {
  if (algorithm == "greedy") return placeGreedy(bufs);
  if (algorithm == "linear") return placeLinear(bufs);
  return Status::error("unknown memory planner '" + algorithm + "' (known: greedy, linear)");
}

}  // namespace tmlc
