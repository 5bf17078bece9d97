// logic.cpp: logical operators on bool (And, Or, Xor, Not), BitwiseNot, and
// comparisons with a bool output (Equal, Less, LessOrEqual, Greater,
// GreaterOrEqual), all with numpy broadcasting.
// Kernels: runtime/include/tmlc/kernels/binary.h and unary.h.
#include "ops/elementwise/elementwise.h"

namespace tmlc {

using namespace ew;

// Kind, functor, allowed input types, output type.
#define TMLC_LOGIC_OP(Kind, Functor, Types, Out)                                                    \
  extern const OpDef kOp_##Kind = {                                                                 \
      OpKind::Kind, "", #Kind, [](Node& n) { return inferBinary(n, Types, Out); },                 \
      [](EmitContext& c, const Node& n) { return emitBinary(c, n, "tmlc::" #Functor); },           \
      evalBinary<tmlc::Functor, Types, Out>, nullptr, nullptr, false, false};

TMLC_LOGIC_OP(And, AndOp, kBool, BinaryOut::Same)
TMLC_LOGIC_OP(Or, OrOp, kBool, BinaryOut::Same)
TMLC_LOGIC_OP(Xor, XorOp, kBool, BinaryOut::Same)
TMLC_LOGIC_OP(Equal, EqualOp, kAll, BinaryOut::Bool)
TMLC_LOGIC_OP(Less, LessOp, kNumeric, BinaryOut::Bool)
TMLC_LOGIC_OP(LessOrEqual, LessOrEqualOp, kNumeric, BinaryOut::Bool)
TMLC_LOGIC_OP(Greater, GreaterOp, kNumeric, BinaryOut::Bool)
TMLC_LOGIC_OP(GreaterOrEqual, GreaterOrEqualOp, kNumeric, BinaryOut::Bool)

extern const OpDef kOp_Not = {
    OpKind::Not, "", "Not", [](Node& n) { return inferUnary(n, kBool, false); },
    [](EmitContext& c, const Node& n) { return emitUnary(c, n, "tmlc::NotOp", {}); },
    [](const Node& n, std::vector<Tensor>& o) { return evalUnary<tmlc::NotOp, kBool, false>(n, o, {}); },
    nullptr, nullptr, false, false};

extern const OpDef kOp_BitwiseNot = {
    OpKind::BitwiseNot, "", "BitwiseNot", [](Node& n) { return inferUnary(n, kInts, false); },
    [](EmitContext& c, const Node& n) { return emitUnary(c, n, "tmlc::BitNotOp", {}); },
    [](const Node& n, std::vector<Tensor>& o) { return evalUnary<tmlc::BitNotOp, kInts, false>(n, o, {}); },
    nullptr, nullptr, false, false};

}  // namespace tmlc
