// pipeline.h: the compiler's pass pipeline, in one visible order.
#pragma once

#include <string>

#include "passes/pass.h"

namespace tmlc {

struct PipelineOptions {
  PassOptions pass;
  std::string printIrAfter;  // pass name, "all", or empty
  std::string* irLog = nullptr;  // receives the printed IR
};

// Runs the optimization passes and the memory planner; returns the arena size.
Expected<int64_t> runPipeline(Graph& g, const PipelineOptions& opts);

// Names of the passes, in order (for --help and tests).
std::vector<std::string> pipelinePassNames();

}  // namespace tmlc
