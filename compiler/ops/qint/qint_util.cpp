#include "ops/qint/qint_util.h"

#include <cmath>

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {

Status requirePerTensor(const Value* v, const char* what) {
  if (!v) return Status::error(std::string("input ") + what + " is missing");
  if (v->type.dtype != DType::Int8 && v->type.dtype != DType::Int16)
    return Status::error(std::string(what) + " must be int8 or int16, got " + dtypeName(v->type.dtype));
  if (!v->type.quant || v->type.quant->scale.size() != 1 || v->type.quant->zero_point.size() != 1)
    return Status::error(std::string(what) + " ('" + v->name + "') needs per-tensor quantization");
  return Status::ok();
}

QScalar qscalar(const Value* v) {
  QScalar q;
  if (v && v->type.quant && !v->type.quant->scale.empty()) {
    q.scale = v->type.quant->scale[0];
    q.zp = v->type.quant->zero_point.empty() ? 0 : v->type.quant->zero_point[0];
  }
  return q;
}

int32_t qmin(DType t) { return t == DType::Int16 ? -32768 : (t == DType::UInt8 ? 0 : -128); }
int32_t qmax(DType t) { return t == DType::Int16 ? 32767 : (t == DType::UInt8 ? 255 : 127); }

Status checkRequantization(const Node& n, int64_t channels) {
  const DType biasType = n.input(0)->type.dtype == DType::Int16 ? DType::Int64 : DType::Int32;
  for (size_t i = 2; i < 5; ++i) {
    const DType want = i == 2 ? biasType : DType::Int32;
    if (n.input(i)->type.dtype != want || numElements(n.input(i)->type.shape) != channels)
      return Status::error(std::string(i == 2 ? "bias" : (i == 3 ? "mult" : "shift")) + " must be " +
                           dtypeName(want) + " [" + std::to_string(channels) + "] for " +
                           dtypeName(n.input(0)->type.dtype) + " x");
  }
  return Status::ok();
}

Expected<std::pair<int32_t, int32_t>> activationRange(const Node& n, const Value* out) {
  const int32_t lo = qmin(out->type.dtype), hi = qmax(out->type.dtype);
  const QScalar q = qscalar(out);
  auto quant = [&](float r) {
    double v = std::nearbyint(r / q.scale) + q.zp;
    return static_cast<int32_t>(v < lo ? lo : (v > hi ? hi : v));
  };
  switch (n.fused.kind) {
    case Act::None: return std::make_pair(lo, hi);
    case Act::Relu: return std::make_pair(std::max(lo, quant(0.0f)), hi);
    case Act::Clip: return std::make_pair(quant(n.fused.alpha), quant(n.fused.beta));
    default:
      return Status::error(std::string("fused activation ") + actKindName(n.fused.kind) +
                           " is not supported by integer kernels");
  }
}

Expected<std::pair<int32_t, int32_t>> fixedMultiplier(double real) {
  if (!std::isfinite(real) || real < 0 || real >= 128.0)
    return Status::error("requantization multiplier " + std::to_string(real) +
                         " is out of range [0, 128): the scales are inconsistent");
  int32_t m = 0, s = 0;
  q::quantize_multiplier(real, &m, &s);
  return std::make_pair(m, s);
}

std::string fieldInit(const std::vector<std::pair<const char*, int64_t>>& fields) {
  std::string r = "{";
  for (size_t i = 0; i < fields.size(); ++i)
    r += std::string(i ? ", " : "") + "/*" + fields[i].first + "*/ " + std::to_string(fields[i].second);
  return r + "}";
}

std::string layoutName(int64_t layout) {
  return layout == 1 ? "tmlc::q::Layout::ToChannelsLast"
                     : (layout == 2 ? "tmlc::q::Layout::ToChannelsFirst" : "tmlc::q::Layout::Same");
}

}  // namespace tmlc
