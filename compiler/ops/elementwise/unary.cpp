// unary.cpp: element-wise maths: Abs, Neg, Sign, Exp, Log, Sqrt, Reciprocal,
// Floor, Ceil, Round, trigonometric and hyperbolic functions, Erf, IsNaN, IsInf.
// Kernel: runtime/include/tmlc/kernels/unary.h (one template, one functor per
// operator); activations are in activations.cpp.
#include "ops/elementwise/elementwise.h"

namespace tmlc {

using namespace ew;

namespace {
UnaryAttrs isInfAttrs(const Node& n) {
  return {n.attrInt("detect_positive", 1) != 0 ? 1.f : 0.f, n.attrInt("detect_negative", 1) != 0 ? 1.f : 0.f};
}
}  // namespace

TMLC_EW_UNARY_OP(Abs, AbsOp, kNumeric, false, noAttrs)
TMLC_EW_UNARY_OP(Neg, NegOp, kSignedNumeric, false, noAttrs)
TMLC_EW_UNARY_OP(Sign, SignOp, kNumeric, false, noAttrs)
TMLC_EW_UNARY_OP(Exp, ExpOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Log, LogOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Sqrt, SqrtOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Reciprocal, ReciprocalOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Floor, FloorOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Ceil, CeilOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Round, RoundOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Sin, SinOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Cos, CosOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Tan, TanOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Asin, AsinOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Acos, AcosOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Atan, AtanOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Sinh, SinhOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Cosh, CoshOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Asinh, AsinhOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Acosh, AcoshOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Atanh, AtanhOp, kFloats, false, noAttrs)
TMLC_EW_UNARY_OP(Erf, ErfOp, kNumeric, false, noAttrs)
TMLC_EW_UNARY_OP(IsNaN, IsNaNOp, kFloats, true, noAttrs)
TMLC_EW_UNARY_OP(IsInf, IsInfOp, kFloats, true, isInfAttrs)

}  // namespace tmlc
