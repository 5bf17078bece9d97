// elementwise.h: what the element-wise operator files share.
//
// Every element-wise operator is one functor in the runtime (binary.h,
// unary.h, variadic.h) and one OpDef line in its family file (binary.cpp,
// logic.cpp, unary.cpp, activations.cpp, variadic.cpp) that names the functor
// together with the element types ONNX allows for it (a TypeSet). The set serves twice: the
// shape rule rejects other input types with a clear message, and constant
// folding instantiates the kernel only for these types (so a functor such as
// BitNotOp is never compiled for float).
//
// Folding (eval) calls the very kernel the generated code calls, on the host.
#pragma once

#include <string>
#include <vector>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/binary.h"
#include "tmlc/kernels/numeric.h"
#include "tmlc/kernels/unary.h"

namespace tmlc {
namespace ew {

enum TypeSet : unsigned {
  kFloats = 1u,        // float16, bfloat16, float, double
  kSignedInts = 2u,    // int8..int64
  kUnsignedInts = 4u,  // uint8..uint64
  kBool = 8u,
  kInts = kSignedInts | kUnsignedInts,
  kSignedNumeric = kFloats | kSignedInts,
  kNumeric = kFloats | kInts,
  kAll = kNumeric | kBool,
};

inline unsigned typeSetOf(DType t) {
  if (isFloat(t)) return kFloats;
  if (isSignedInt(t)) return kSignedInts;
  if (isUnsignedInt(t)) return kUnsignedInts;
  if (t == DType::Bool) return kBool;
  return 0;
}

template <typename T>
constexpr unsigned typeSetOf() {
  if constexpr (std::is_same<T, bool>::value) return kBool;
  else if constexpr (tmlc::is_float_v<T>) return kFloats;
  else if constexpr (std::is_signed<T>::value) return kSignedInts;
  else return kUnsignedInts;
}

// "input 0 has type f32; Not takes bool"
Status checkTypes(const Node& n, size_t input, unsigned allowed);

// A C++ expression of type `dt` with value v, usable in a constexpr
// initializer (half types are written as their bits).
std::string scalarLiteral(DType dt, double v);

// Broadcast plan of all present inputs to the output shape; error if the
// merged walk has more dimensions than the runtime holds.
Expected<BroadcastPlan> planInputs(const Node& n, const std::vector<const Value*>& ins);

// ---- Unary: y = Op(x), same shape; output is the input type or bool.

struct UnaryAttrs {
  float alpha = 0, beta = 0;
};
using UnaryAttrFn = UnaryAttrs (*)(const Node&);
inline UnaryAttrs noAttrs(const Node&) { return {}; }

Status inferUnary(Node& n, unsigned types, bool boolOut);
Status emitUnary(EmitContext& ctx, const Node& n, const std::string& functor, UnaryAttrs a);

template <typename Op, unsigned Types, bool BoolOut>
Status evalUnary(const Node& n, std::vector<Tensor>& outs, UnaryAttrs a) {
  const Value* y = n.output(0);
  const Tensor& x = *n.input(0)->constant;
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  const tmlc::UnaryParams p{static_cast<int32_t>(numElements(y->type.shape)), a.alpha, a.beta};
  bool done = false;
  visitDType(x.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr ((typeSetOf<T>() & Types) != 0) {
      using U = std::conditional_t<BoolOut, bool, T>;
      tmlc::unary<Op>(p, x.data<T>(), out.data<U>());
      done = true;
    }
  });
  if (!done) return Status::error(std::string("cannot evaluate type ") + dtypeName(x.dtype) + " at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

// One OpDef for a unary operator: Kind, functor (in tmlc::), allowed input
// types, bool output, attribute reader (a UnaryAttrFn).
#define TMLC_EW_UNARY_OP(Kind, Functor, Types, BoolOut, Attrs)                                        \
  extern const OpDef kOp_##Kind = {                                                                   \
      OpKind::Kind, "", #Kind, [](Node& n) { return ew::inferUnary(n, Types, BoolOut); },            \
      [](EmitContext& c, const Node& n) { return ew::emitUnary(c, n, "tmlc::" #Functor, Attrs(n)); }, \
      [](const Node& n, std::vector<Tensor>& o) {                                                     \
        return ew::evalUnary<tmlc::Functor, Types, BoolOut>(n, o, Attrs(n));                          \
      },                                                                                              \
      nullptr, nullptr, false, false};

// ---- Binary: y = Op(a, b) with broadcasting.

enum class BinaryOut { Same, Bool };

// Types: allowed for input 0; expTypes: for input 1 when it may differ (Pow), else 0.
Status inferBinary(Node& n, unsigned types, BinaryOut out, unsigned expTypes = 0);
tmlc::BinaryParams binaryParams(const Node& n);
Status emitBinary(EmitContext& ctx, const Node& n, const std::string& functor);

template <typename Op, unsigned Types, BinaryOut Out, unsigned ExpTypes = 0>
Status evalBinary(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  const Tensor &a = *n.input(0)->constant, &b = *n.input(1)->constant;
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  const tmlc::BinaryParams p = binaryParams(n);
  bool done = false;
  visitDType(a.dtype, [&](auto ta) {
    using A = decltype(ta);
    if constexpr ((typeSetOf<A>() & Types) != 0) {
      using Y = std::conditional_t<Out == BinaryOut::Bool, bool, A>;
      if constexpr (ExpTypes == 0) {
        tmlc::binary<Op>(p, a.data<A>(), b.data<A>(), out.data<Y>());
        done = true;
      } else {
        visitDType(b.dtype, [&](auto tb) {
          using B = decltype(tb);
          if constexpr ((typeSetOf<B>() & ExpTypes) != 0) {
            tmlc::binary<Op>(p, a.data<A>(), b.data<B>(), out.data<Y>());
            done = true;
          }
        });
      }
    }
  });
  if (!done) return Status::error(std::string("cannot evaluate type ") + dtypeName(a.dtype) + " at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

}  // namespace ew
}  // namespace tmlc
