// budget.h: does a compiled model fit the target's flash and RAM?
//
// Checked by compileModel after memory planning, before any code is built, so
// a model too large for the part fails with a message that says why instead of
// a linker's "region RAM overflowed":
//   flash = weights (const data) + an estimate of the code (a low one, so that
//           nothing that fits is refused; `tmlc validate` measures the real
//           image with arm-none-eabi-size);
//   RAM   = the arena + the input and output buffers the application holds +
//           the stack and heap the target reserves (target.txt).
// The budget is the target's (target.txt: flash, ram) unless --flash/--ram
// override it. When it does not fit, the message names the largest
// activations and the layers with the most bytes live while they run (for
// RAM) or the largest weights (for flash).
#pragma once

#include <cstdint>
#include <string>

#include "ir/graph.h"
#include "support/status.h"
#include "targets/target.h"

namespace tmlc {

struct MemoryEstimate {
  int64_t weights = 0, code = 0;               // flash
  int64_t arena = 0, io = 0, stack = 0, heap = 0;  // RAM
  int64_t flash() const { return weights + code; }
  int64_t ram() const { return arena + io + stack + heap; }
};

// Code bytes assumed per node (a low estimate: small kernels take more).
constexpr int64_t kCodeBytesPerNodeEstimate = 256;

MemoryEstimate estimateMemory(const Graph& g, int64_t arenaBytes, int64_t weightBytes, const Target& t);

// flashBudget/ramBudget: bytes, 0 = unlimited. `what` names the model in the message.
Status checkBudget(const Graph& g, const MemoryEstimate& e, int64_t flashBudget, int64_t ramBudget,
                   const std::string& targetName, const std::string& what);

// "65,536" (bytes with thousands separators, for messages).
std::string withCommas(int64_t n);

}  // namespace tmlc
