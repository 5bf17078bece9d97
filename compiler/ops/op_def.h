// op_def.h: what one operator contributes to the compiler.
//
// Each operator's .cpp defines one `const OpDef kOp_<Kind>` with a few free
// functions; op_table.cpp collects them from ops.def. Nothing else in the
// compiler knows about a particular operator, except passes that rewrite
// specific patterns (fusion), which match on OpKind.
#pragma once

#include <optional>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tmlc {

class EmitContext;

struct OpDef {
  OpKind kind;
  const char* domain;
  const char* name;
  // Checks inputs and attributes and sets every output's TensorType.
  // Inputs' types are known; constant inputs carry data. Required.
  Status (*infer)(Node& n);
  // Writes the kernel call for the node into the generated run function.
  // Alias ops, whose first output reuses the input's storage, need none; when
  // they have one, it writes their other outputs (Dropout's mask).
  Status (*emit)(EmitContext& ctx, const Node& n);
  // Computes outputs from constant inputs at compile time (constant folding).
  // Optional; when null the node is never folded.
  Status (*eval)(const Node& n, std::vector<Tensor>& outputs);
  // Scratch bytes the kernel needs in the arena while it runs. Optional.
  size_t (*scratch)(const Node& n);
  // Multiply-accumulates per inference, for the report. Optional (0).
  int64_t (*macs)(const Node& n);
  // True when the kernel applies Node::fused (an activation folded into it).
  bool fusesActivation;
  // True when the output is the first input's bytes reinterpreted (Reshape...).
  bool alias;
};

const OpDef& opDef(OpKind k);
std::optional<OpKind> lookupOp(const std::string& domain, const std::string& name);
std::vector<const OpDef*> allOps();

}  // namespace tmlc
