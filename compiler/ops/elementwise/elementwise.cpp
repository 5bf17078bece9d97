// elementwise.cpp: shape rules, type checks and emission shared by the
// element-wise operators (see elementwise.h).
#include "ops/elementwise/elementwise.h"

#include <cmath>
#include <cstdio>

namespace tmlc {
namespace ew {

namespace {

std::string describe(unsigned set) {
  switch (set) {
    case kFloats: return "a floating-point type";
    case kSignedInts: return "a signed integer type";
    case kUnsignedInts: return "an unsigned integer type";
    case kBool: return "bool";
    case kInts: return "an integer type";
    case kSignedNumeric: return "a floating-point or signed integer type";
    case kNumeric: return "a numeric type";
    default: return "a numeric or bool type";
  }
}

// Opset < 7 binary ops with broadcast=1 and `axis` align input 1 at `axis`
// of input 0 instead of at its end: pad its shape with trailing ones.
Shape operandShape(const Node& n, size_t i) {
  Shape s = n.input(i)->type.shape;
  if (i == 1 && n.attrInt("broadcast", 0) != 0 && n.hasAttr("axis")) {
    const int64_t rankA = static_cast<int64_t>(n.input(0)->type.shape.size());
    int64_t axis = n.attrInt("axis", 0);
    if (axis < 0) axis += rankA;
    while (static_cast<int64_t>(s.size()) + axis < rankA) s.push_back(1);
  }
  return s;
}

}  // namespace

Status checkTypes(const Node& n, size_t input, unsigned allowed) {
  const DType t = n.input(input)->type.dtype;
  if (typeSetOf(t) & allowed) return Status::ok();
  return Status::error("input " + std::to_string(input) + " has type " + dtypeName(t) + "; " + opName(n.kind) +
                       " takes " + describe(allowed));
}

std::string scalarLiteral(DType dt, double v) {
  char buf[64];
  auto hex = [&](const char* type, unsigned bits) {
    std::snprintf(buf, sizeof buf, "%s(uint16_t(0x%04x), 0)", type, bits);
    return std::string(buf);
  };
  switch (dt) {
    case DType::Float32: return EmitContext::floatLiteral(static_cast<float>(v));
    case DType::Float64:
      if (std::isnan(v)) return "double(NAN)";
      if (std::isinf(v)) return v > 0 ? "double(INFINITY)" : "double(-INFINITY)";
      std::snprintf(buf, sizeof buf, "%.17g", v);
      return std::string(buf) + (std::string(buf).find_first_of(".eEn") == std::string::npos ? ".0" : "");
    case DType::Float16: return hex("tmlc::float16", tmlc::float16(static_cast<float>(v)).bits);
    case DType::BFloat16: return hex("tmlc::bfloat16", tmlc::bfloat16(static_cast<float>(v)).bits);
    case DType::Bool: return v != 0 ? "true" : "false";
    case DType::UInt64: return std::to_string(tmlc::convert<uint64_t>(v)) + "ull";
    case DType::Int64: {
      const int64_t i = tmlc::convert<int64_t>(v);
      if (i == INT64_MIN) return "INT64_MIN";
      return "int64_t(" + std::to_string(i) + "ll)";
    }
    default: {
      std::string r;
      visitDType(dt, [&](auto t) {
        using T = decltype(t);
        if constexpr (tmlc::is_int_v<T>)
          r = std::string(dtypeCType(dt)) + "(" + std::to_string(static_cast<int64_t>(tmlc::convert<T>(v))) + ")";
      });
      return r;
    }
  }
}

Expected<BroadcastPlan> planInputs(const Node& n, const std::vector<const Value*>& ins) {
  std::vector<Shape> shapes;
  for (size_t i = 0; i < ins.size(); ++i) shapes.push_back(i == 1 ? operandShape(n, 1) : ins[i]->type.shape);
  BroadcastPlan p = planBroadcast(n.output(0)->type.shape, shapes);
  if (p.dims.size() > static_cast<size_t>(tmlc::kMaxRank))
    return Status::error("broadcasting needs " + std::to_string(p.dims.size()) + " dimensions; more than " +
                         std::to_string(tmlc::kMaxRank) + " is not supported");
  return p;
}

Status inferUnary(Node& n, unsigned types, bool boolOut) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(checkTypes(n, 0, types));
  setOutput(n, 0, boolOut ? DType::Bool : n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status emitUnary(EmitContext& ctx, const Node& n, const std::string& functor, UnaryAttrs a) {
  ctx.include("tmlc/kernels/unary.h");
  const std::string count = std::to_string(numElements(n.output(0)->type.shape));
  std::string name = ctx.params(n, "tmlc::UnaryParams",
                                "{" + count + ", " + EmitContext::floatLiteral(a.alpha) + ", " +
                                    EmitContext::floatLiteral(a.beta) + "}");
  ctx.call("tmlc::unary<" + functor + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) +
           ");");
  return Status::ok();
}

Status inferBinary(Node& n, unsigned types, BinaryOut out, unsigned expTypes) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(checkTypes(n, 0, types));
  const Value *a = n.input(0), *b = n.input(1);
  if (expTypes) {
    TMLC_RETURN_IF_ERROR(checkTypes(n, 1, expTypes));
  } else if (a->type.dtype != b->type.dtype) {
    return Status::error(std::string("input types differ: ") + dtypeName(a->type.dtype) + " and " +
                         dtypeName(b->type.dtype));
  }
  auto s = broadcastShapes({a->type.shape, operandShape(n, 1)});
  if (!s) return s.status();
  setOutput(n, 0, out == BinaryOut::Bool ? DType::Bool : a->type.dtype, *s);
  auto plan = planInputs(n, {a, b});
  return plan ? Status::ok() : plan.status();
}

tmlc::BinaryParams binaryParams(const Node& n) {
  auto plan = planInputs(n, {n.input(0), n.input(1)});
  return tmlc::BinaryParams{toBroadcastN<tmlc::kMaxOperands>(*plan), n.fused};
}

Status emitBinary(EmitContext& ctx, const Node& n, const std::string& functor) {
  ctx.include("tmlc/kernels/binary.h");
  auto plan = planInputs(n, {n.input(0), n.input(1)});
  if (!plan) return plan.status();
  std::string name = ctx.params(n, "tmlc::BinaryParams",
                                "{" + printBroadcast(*plan, tmlc::kMaxOperands) + ", " +
                                    EmitContext::activation(n.fused) + "}");
  ctx.call("tmlc::binary<" + functor + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) +
           ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace ew
}  // namespace tmlc
