// control.cpp: the table entries of If, Loop and Scan. The frontend replaces
// each such node by the nodes of its subgraph (frontend/control_flow.cpp), so
// a node of these kinds in the IR is an internal error.
#include "ops/op_def.h"

namespace tmlc {

namespace {

Status inferInlined(Node& n) {
  return TMLC_INTERNAL_ERROR(n.where() + " should have been inlined by the frontend");
}

}  // namespace

extern const OpDef kOp_If = {OpKind::If, "", "If", inferInlined, nullptr, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_Loop = {OpKind::Loop, "", "Loop", inferInlined, nullptr, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_Scan = {OpKind::Scan, "", "Scan", inferInlined, nullptr, nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
