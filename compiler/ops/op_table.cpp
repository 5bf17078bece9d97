// op_table.cpp: the table of OpDefs, built from ops.def.
#include <cstring>

#include "ops/op_def.h"

namespace tmlc {

#define TMLC_OP(kind, domain, name) extern const OpDef kOp_##kind;
#include "ops/ops.def"
#undef TMLC_OP

namespace {
const OpDef* const kTable[] = {
    nullptr,
#define TMLC_OP(kind, domain, name) &kOp_##kind,
#include "ops/ops.def"
#undef TMLC_OP
};
}  // namespace

const OpDef& opDef(OpKind k) { return *kTable[static_cast<int>(k)]; }

const char* opName(OpKind k) {
  if (k == OpKind::Unknown || k >= OpKind::NumKinds) return "?";
  return kTable[static_cast<int>(k)]->name;
}

std::optional<OpKind> lookupOp(const std::string& domain, const std::string& name) {
  std::string d = domain == "ai.onnx" ? "" : domain;
  for (int i = 1; i < static_cast<int>(OpKind::NumKinds); ++i)
    if (d == kTable[i]->domain && name == kTable[i]->name) return static_cast<OpKind>(i);
  return std::nullopt;
}

std::vector<const OpDef*> allOps() {
  return std::vector<const OpDef*>(kTable + 1, kTable + static_cast<int>(OpKind::NumKinds));
}

}  // namespace tmlc
