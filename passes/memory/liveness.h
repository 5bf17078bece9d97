// liveness.h: the first part of memory planning. For each tensor that needs
// arena space, the span of node positions during which it must hold its bytes.
//
// A buffer is born at its producer and dies after its last user; a value that
// aliases another (the output of Reshape, Flatten, Squeeze...) extends its
// base's life. A node's scratch space lives only during that node.
// Requires: graph in topological order, alias ops marked in their OpDef.
#pragma once

#include <vector>

#include "ir/graph.h"

namespace tmlc {

struct Buffer {
  Value* value = nullptr;  // null for a scratch buffer
  Node* scratchOf = nullptr;
  int64_t bytes = 0;
  int first = 0;  // node position where it is written
  int last = 0;   // last node position that reads it
  int64_t offset = -1;
};

// Also assigns Placement for inputs, outputs, constants and aliases.
std::vector<Buffer> computeLiveness(Graph& g);

}  // namespace tmlc
