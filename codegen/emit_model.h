// emit_model.h: writes one .h and one .cpp for a planned graph.
//
// Requires: every value placed by the memory planner (passes/memory). The
// .cpp holds the weights as const arrays (flash), the kernel parameter structs
// as constexpr data, one static arena, and a run function that is a straight
// list of kernel calls, one per node, each under a comment naming the node.
#pragma once

#include <string>

#include "ir/graph.h"
#include "support/status.h"

namespace tmlc {

struct EmitOptions {
  std::string name;        // symbol prefix: NAME_run, NAME_model, NAME_ARENA_BYTES
  std::string sourceName;  // file name of the .onnx, for the banner
  std::string target;      // target name, for the banner
};

struct EmittedModel {
  std::string header;
  std::string source;
  int64_t arenaBytes = 0;
  int64_t weightBytes = 0;
};

Expected<EmittedModel> emitModel(const Graph& g, int64_t arenaBytes, const EmitOptions& opts);

// The C type of a dtype in the public header (float16 is uint16_t there).
const char* cApiType(DType t);

}  // namespace tmlc
