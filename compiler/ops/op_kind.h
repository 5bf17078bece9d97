// op_kind.h: the closed set of operators, generated from ops.def.
#pragma once

namespace tmlc {

enum class OpKind : int {
  Unknown = 0,
#define TMLC_OP(kind, domain, name) kind,
#include "ops/ops.def"
#undef TMLC_OP
  NumKinds
};

const char* opName(OpKind k);  // the ONNX op_type

}  // namespace tmlc
