// control_flow.h: If, Loop and Scan, inlined by the frontend when their
// condition or trip count is a compile-time constant.
//
// tmlc has no run-time control flow: the generated code is one straight
// sequence of kernel calls. So the importer replaces
//   If    by the nodes of the branch the (constant) condition selects;
//   Loop  by its body repeated trip-count times (the condition, when given,
//         must be constant at every iteration), with the loop-carried values
//         threaded through and the scan outputs stacked (Unsqueeze + Concat);
//   Scan  by its body repeated once per slice of the scan inputs (Gather),
//         in either direction, with the scan outputs stacked likewise.
// A subgraph reads outer-scope values by name; the importer resolves them
// (importBody keeps the enclosing scope visible). Values that decide the
// unrolling must fold to constants; when one depends on a graph input the
// error names that input, so --const-input can fix it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace onnx {
class GraphProto;
class NodeProto;
}  // namespace onnx

namespace tmlc {

struct InlineContext {
  Graph& graph;
  std::string where;   // "model.onnx: node 'Loop_3' (Loop)", the prefix of every message
  std::string prefix;  // prefix of the names of the nodes and values made here ("Loop_3/")
  int opset = 0;       // ai.onnx opset of the node
  // Imports `body` with its inputs bound to `args`, names prefixed with
  // `prefix`, and returns the values of its outputs. Errors are complete
  // messages.
  std::function<Expected<std::vector<Value*>>(const onnx::GraphProto& body, const std::vector<Value*>& args,
                                              const std::string& prefix)>
      importBody;
};

// True for the op types inlineControlFlow handles (ai.onnx If, Loop, Scan).
bool isControlFlow(const std::string& opType);

// Inlines node `n` whose inputs resolved to `inputs` (nullptr where omitted)
// and returns one value per output of n (nullptr where the output is omitted).
// Errors are complete messages.
Expected<std::vector<Value*>> inlineControlFlow(const onnx::NodeProto& n, const std::vector<Value*>& inputs,
                                                InlineContext& c);

}  // namespace tmlc
