// operators_doc.h: writes docs/operators.md from the op table (what tmlc
// compiles) and the conformance results (what passes, and why not).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace tmlc {

struct ConformanceRecord {
  std::string suite, name, status, reason;
  std::vector<std::string> ops;
  std::set<std::string> dtypes;  // element types of the model's inputs and outputs
};

std::string operatorsMarkdown(const std::vector<ConformanceRecord>& tests);

}  // namespace tmlc
