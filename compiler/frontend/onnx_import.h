// onnx_import.h: .onnx file -> Graph with static shapes.
//
// Steps, in order: read and parse the protobuf; run libonnx's checker; bring
// models older than opset 13 up to 13 with libonnx's version converter (ops
// still accept the older forms when conversion is impossible); import
// initializers (external data included), Constant nodes and graph inputs
// (a symbolic batch dimension becomes 1 with a warning, other dynamic
// dimensions need --shape); map each node to its OpKind; then run every op's
// shape rule in topological order. Every error names the file and, where there
// is one, the node and its operator.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tmlc {

struct ImportOptions {
  std::map<std::string, Shape> shapes;  // --shape NAME=1x3x96x96
  // Graph inputs fixed to a value at compile time (--const-input): they become
  // constants, e.g. the shape input of a Reshape.
  std::map<std::string, Tensor> constInputs;
  std::vector<std::string>* warnings = nullptr;
  bool convertOpset = true;
};

Expected<std::unique_ptr<Graph>> importOnnx(const std::string& path, const ImportOptions& opts);
// Same, from bytes already in memory; `path` is used for messages and external data.
Expected<std::unique_ptr<Graph>> importOnnxBytes(const std::string& bytes, const std::string& path,
                                                 const ImportOptions& opts);

// Runs every node's shape rule in order; used by the importer and after rewrites.
Status inferShapes(Graph& g);
// Runs the shape rules (and folding) of only the nodes v depends on: cheap
// enough to ask once per unrolled loop iteration.
Status inferShapesFor(Graph& g, const Value* v);

}  // namespace tmlc
