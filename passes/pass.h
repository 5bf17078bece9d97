// pass.h: what every pass sees. A pass is a plain function over the Graph:
//   Status passName(Graph& g, const PassOptions& opts);
// passes/pipeline.cpp runs them in a fixed, commented order.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "passes/quantize/quantize_options.h"
#include "support/status.h"

namespace tmlc {

struct PassOptions {
  std::string planner = "greedy";      // memory placement algorithm, by name
  std::vector<std::string>* warnings = nullptr;
  QuantizeOptions quant;               // post-training quantization (passes/quantize/)
};

}  // namespace tmlc
