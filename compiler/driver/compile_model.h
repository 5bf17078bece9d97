// compile_model.h: the whole compiler as one call: import, passes, codegen,
// report. The CLI's compile and validate commands and the tests use it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "passes/quantize/quantize_options.h"
#include "support/status.h"

namespace tmlc {

struct CompileOptions {
  std::string modelPath;
  std::string name;               // symbol prefix; default: file stem
  std::string target = "host";
  std::map<std::string, Shape> shapes;
  std::map<std::string, Tensor> constInputs;  // inputs frozen to a value
  std::string planner = "greedy";
  std::string printIrAfter;       // pass name or "all"
  int64_t flashBudget = -1;       // bytes; -1: the target's (--flash), 0: unlimited
  int64_t ramBudget = -1;         // bytes; -1: the target's (--ram), 0: unlimited
  QuantizeOptions quant;          // --quantize and its options
};

struct CompileResult {
  std::string header, source;     // NAME.h, NAME.cpp
  std::string reportJson;         // --report
  std::string irLog;              // --print-ir-after
  std::vector<std::string> warnings;
  int64_t arenaBytes = 0;
  int64_t weightBytes = 0;
  int64_t flashEstimate = 0, ramEstimate = 0;  // see driver/budget.h
  int64_t flashBudget = 0, ramBudget = 0;      // checked against; 0 = unlimited
  std::unique_ptr<Graph> graph;
};

Expected<CompileResult> compileModel(const CompileOptions& opts);

// A valid C identifier from a file name: "kws-v2.onnx" -> "kws_v2".
std::string defaultModelName(const std::string& path);

}  // namespace tmlc
