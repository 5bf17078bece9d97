// binary.cpp: element-wise arithmetic and bit operators with numpy
// broadcasting: Add, Sub, Mul, Div, Mod, Pow, BitShift, BitwiseAnd/Or/Xor.
// Kernel: runtime/include/tmlc/kernels/binary.h (one template, one functor
// per operator); shared rules in elementwise.h.
#include "ops/elementwise/elementwise.h"

namespace tmlc {

using namespace ew;

namespace {

int64_t macsBinary(const Node& n) { return numElements(n.output(0)->type.shape); }

// Mod: fmod=0 (Python's sign rule) or fmod=1 (C's).
bool isFmod(const Node& n) { return n.attrInt("fmod", 0) != 0; }

// ONNX asks for fmod=1 on floats; fmod=0 is taken as numpy.mod there.
Status inferMod(Node& n) { return inferBinary(n, kNumeric, BinaryOut::Same); }

// BitShift: direction LEFT or RIGHT.
Expected<bool> shiftLeft(const Node& n) {
  const std::string d = n.attrString("direction", "");
  if (d != "LEFT" && d != "RIGHT") return Status::error("direction must be LEFT or RIGHT, not '" + d + "'");
  return d == "LEFT";
}

Status inferBitShift(Node& n) {
  auto left = shiftLeft(n);
  if (!left) return left.status();
  return inferBinary(n, kUnsignedInts, BinaryOut::Same);
}

}  // namespace

// Same-type binary operators: Kind, functor, allowed types, fuses an activation.
#define TMLC_BINARY_OP(Kind, Functor, Types, Fuses)                                                  \
  extern const OpDef kOp_##Kind = {                                                                  \
      OpKind::Kind, "", #Kind, [](Node& n) { return inferBinary(n, Types, BinaryOut::Same); },      \
      [](EmitContext& c, const Node& n) { return emitBinary(c, n, "tmlc::" #Functor); },            \
      evalBinary<tmlc::Functor, Types, BinaryOut::Same>, nullptr, macsBinary, Fuses, /*alias=*/false};

TMLC_BINARY_OP(Add, AddOp, kNumeric, true)
TMLC_BINARY_OP(Sub, SubOp, kNumeric, true)
TMLC_BINARY_OP(Mul, MulOp, kNumeric, true)
TMLC_BINARY_OP(Div, DivOp, kNumeric, true)
TMLC_BINARY_OP(BitwiseAnd, BitAndOp, kInts, false)
TMLC_BINARY_OP(BitwiseOr, BitOrOp, kInts, false)
TMLC_BINARY_OP(BitwiseXor, BitXorOp, kInts, false)

// Pow: the exponent may have any numeric type; the result has the base's.
extern const OpDef kOp_Pow = {
    OpKind::Pow, "", "Pow", [](Node& n) { return inferBinary(n, kNumeric, BinaryOut::Same, kNumeric); },
    [](EmitContext& c, const Node& n) { return emitBinary(c, n, "tmlc::PowOp"); },
    evalBinary<tmlc::PowOp, kNumeric, BinaryOut::Same, kNumeric>, nullptr, macsBinary, true, false};

extern const OpDef kOp_Mod = {
    OpKind::Mod, "", "Mod", inferMod,
    [](EmitContext& c, const Node& n) { return emitBinary(c, n, isFmod(n) ? "tmlc::FmodOp" : "tmlc::ModOp"); },
    [](const Node& n, std::vector<Tensor>& o) {
      return isFmod(n) ? evalBinary<tmlc::FmodOp, kNumeric, BinaryOut::Same>(n, o)
                       : evalBinary<tmlc::ModOp, kNumeric, BinaryOut::Same>(n, o);
    },
    nullptr, macsBinary, true, false};

extern const OpDef kOp_BitShift = {
    OpKind::BitShift, "", "BitShift", inferBitShift,
    [](EmitContext& c, const Node& n) {
      return emitBinary(c, n, *shiftLeft(n) ? "tmlc::ShiftLeftOp" : "tmlc::ShiftRightOp");
    },
    [](const Node& n, std::vector<Tensor>& o) {
      return *shiftLeft(n) ? evalBinary<tmlc::ShiftLeftOp, kUnsignedInts, BinaryOut::Same>(n, o)
                           : evalBinary<tmlc::ShiftRightOp, kUnsignedInts, BinaryOut::Same>(n, o);
    },
    nullptr, macsBinary, false, false};

}  // namespace tmlc
