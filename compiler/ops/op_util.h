// op_util.h: helpers shared by operator definitions: input checks, broadcasting,
// axis normalization, dtype dispatch for compile-time evaluation, and
// printing of common runtime parameter structs.
#pragma once

#include <string>
#include <vector>

#include "codegen/emit_context.h"
#include "ir/graph.h"
#include "support/status.h"
#include "tmlc/kernels/broadcast.h"
#include "tmlc/tmlc.h"

namespace tmlc {

// "expected 2 to 3 inputs, got 1"
Status checkArity(const Node& n, size_t minIn, size_t maxIn);
// Requires input i present.
Status requireInput(const Node& n, size_t i);
// Sets output k's type.
inline void setOutput(Node& n, size_t k, DType dt, Shape s) {
  if (Value* o = n.output(k)) o->type = TensorType{dt, std::move(s), std::nullopt};
}
// Numpy-style broadcast of shapes; error when incompatible.
Expected<Shape> broadcastShapes(const std::vector<Shape>& shapes);
// Maps a possibly negative axis into [0, rank); error if out of range.
Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank);
// Integer values of a constant input, or an error saying it must be constant.
Expected<std::vector<int64_t>> constInts(const Node& n, size_t i, const char* what);

// Broadcast walk for `out` from the given input shapes, with adjacent
// dimensions merged where every operand steps the same way.
tmlc::BroadcastParams makeBroadcast(const Shape& out, const std::vector<Shape>& ins);
std::string printBroadcast(const tmlc::BroadcastParams& p);
// The same walk for any number of inputs (variadic Sum/Max...): merged dims
// and one stride row per input; fill a tmlc::BroadcastN<N> with toBroadcastN.
struct BroadcastPlan {
  int32_t count = 0;
  std::vector<int32_t> dims;
  std::vector<std::vector<int32_t>> strides;  // [input][dim]
};
BroadcastPlan planBroadcast(const Shape& out, const std::vector<Shape>& ins);
// Initializer of tmlc::BroadcastN<rows> (missing rows are zero).
std::string printBroadcast(const BroadcastPlan& p, size_t rows);
template <int N>
tmlc::BroadcastN<N> toBroadcastN(const BroadcastPlan& plan) {
  tmlc::BroadcastN<N> p{};
  p.count = plan.count;
  p.rank = static_cast<int32_t>(plan.dims.size());
  for (size_t d = 0; d < plan.dims.size() && d < static_cast<size_t>(tmlc::kMaxRank); ++d) {
    p.dims[d] = plan.dims[d];
    for (size_t k = 0; k < plan.strides.size() && k < static_cast<size_t>(N); ++k) p.strides[k][d] = plan.strides[k][d];
  }
  return p;
}

// Calls f(T{}) with T the runtime storage type of dt. Returns false for
// types without one.
template <typename F>
bool visitDType(DType dt, F&& f) {
  switch (dt) {
    case DType::Float32: f(float{}); return true;
    case DType::Float64: f(double{}); return true;
    case DType::Float16: f(tmlc::float16{}); return true;
    case DType::BFloat16: f(tmlc::bfloat16{}); return true;
    case DType::Int8: f(int8_t{}); return true;
    case DType::Int16: f(int16_t{}); return true;
    case DType::Int32: f(int32_t{}); return true;
    case DType::Int64: f(int64_t{}); return true;
    case DType::UInt8: f(uint8_t{}); return true;
    case DType::UInt16: f(uint16_t{}); return true;
    case DType::UInt32: f(uint32_t{}); return true;
    case DType::UInt64: f(uint64_t{}); return true;
    case DType::Bool: f(bool{}); return true;
    default: return false;
  }
}

}  // namespace tmlc
