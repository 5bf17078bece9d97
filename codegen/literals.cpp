#include "codegen/literals.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "codegen/emit_context.h"

namespace tmlc {

namespace {
template <typename T>
T load(const Tensor& t, int64_t i) {
  T v;
  std::memcpy(&v, t.bytes.data() + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

std::string doubleLiteral(double d) {
  if (std::isnan(d)) return "static_cast<double>(NAN)";
  if (std::isinf(d)) return d > 0 ? "static_cast<double>(INFINITY)" : "-static_cast<double>(INFINITY)";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string signedLiteral(int64_t v, int bits) {
  int64_t mn = bits == 64 ? INT64_MIN : -(int64_t(1) << (bits - 1));
  std::string suffix = bits == 64 ? "LL" : "";
  if (v == mn) {
    return "(" + std::to_string(mn + 1) + suffix + " - 1)";
  }
  return std::to_string(v) + suffix;
}
}  // namespace

std::string elementLiteral(const Tensor& t, int64_t i) {
  char buf[32];
  switch (t.dtype) {
    case DType::Float32: return EmitContext::floatLiteral(load<float>(t, i));
    case DType::Float64: return doubleLiteral(load<double>(t, i));
    case DType::Float16:
      std::snprintf(buf, sizeof buf, "tmlc::float16(0x%04x, 0)", load<uint16_t>(t, i));
      return buf;
    case DType::BFloat16:
      std::snprintf(buf, sizeof buf, "tmlc::bfloat16(0x%04x, 0)", load<uint16_t>(t, i));
      return buf;
    case DType::Int8: return signedLiteral(load<int8_t>(t, i), 8);
    case DType::Int16: return signedLiteral(load<int16_t>(t, i), 16);
    case DType::Int32: return signedLiteral(load<int32_t>(t, i), 32);
    case DType::Int64: return signedLiteral(load<int64_t>(t, i), 64);
    case DType::UInt8: return std::to_string(load<uint8_t>(t, i));
    case DType::UInt16: return std::to_string(load<uint16_t>(t, i));
    case DType::UInt32: return std::to_string(load<uint32_t>(t, i)) + "u";
    case DType::UInt64: return std::to_string(load<uint64_t>(t, i)) + "ULL";
    case DType::Bool: return load<uint8_t>(t, i) ? "true" : "false";
    default: return "0";
  }
}

std::string tensorInitializer(const Tensor& t, const std::string& indent) {
  const int64_t n = t.numel();
  const int perLine = dtypeSize(t.dtype) >= 4 ? 8 : 16;
  std::string r = "{";
  for (int64_t i = 0; i < n; ++i) {
    if (i % perLine == 0) r += "\n" + indent;
    r += elementLiteral(t, i);
    if (i + 1 < n) r += (i % perLine == perLine - 1) ? "," : ", ";
  }
  r += "\n" + indent.substr(0, indent.size() >= 2 ? indent.size() - 2 : 0) + "}";
  return r;
}

}  // namespace tmlc
