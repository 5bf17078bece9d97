#include "ops/quant/ms_qlinear.h"

#include <cmath>

#include "tmlc/kernels/int8/requantize.h"

namespace tmlc {

bool isMsQuantType(DType t) { return t == DType::UInt8 || t == DType::Int8; }

Expected<MsQuant> readMsQuant(const Node& n, size_t scaleIdx, size_t zpIdx, DType t, const std::string& what) {
  MsQuant q;
  const Value* s = n.input(scaleIdx);
  if (!s) return Status::error(what + " scale is missing");
  if (!s->isConstant())
    return Status::error("input '" + what + "_scale' ('" + s->name +
                         "') must be a compile-time constant (an initializer, or --const-input)");
  if (s->type.dtype != DType::Float32 || numElements(s->type.shape) != 1 || s->type.shape.size() > 1)
    return Status::error(what + " scale must be a float scalar (per-tensor quantization)");
  q.scale = static_cast<float>(s->constant->getDouble(0));
  if (!(q.scale > 0.0f) || !std::isfinite(q.scale)) return Status::error(what + " scale must be positive and finite");
  if (const Value* z = n.input(zpIdx)) {
    if (!z->isConstant())
      return Status::error("input '" + what + "_zero_point' ('" + z->name +
                           "') must be a compile-time constant (an initializer, or --const-input)");
    if (z->type.dtype != t)
      return Status::error(what + " zero point has type " + dtypeName(z->type.dtype) + ", expected " + dtypeName(t));
    if (numElements(z->type.shape) != 1 || z->type.shape.size() > 1)
      return Status::error(what + " zero point must be a scalar (per-tensor quantization)");
    q.zp = static_cast<int32_t>(z->constant->getDouble(0));
  }
  return q;
}

std::vector<int32_t> msByteTable(DType t, MsQuant x, MsQuant y, const FloatArrayFn& f) {
  float in[256], out[256];
  for (int b = 0; b < 256; ++b) {
    const int v = t == DType::Int8 ? static_cast<int>(static_cast<int8_t>(static_cast<uint8_t>(b))) : b;
    in[b] = x.scale * static_cast<float>(v - x.zp);  // float product, as ONNX Runtime
  }
  f(in, out, 256);
  std::vector<int32_t> table(256);
  for (int b = 0; b < 256; ++b)
    table[static_cast<size_t>(b)] = t == DType::Int8 ? q::quantize_value<int8_t>(out[b], y.scale, y.zp)
                                                     : q::quantize_value<uint8_t>(out[b], y.scale, y.zp);
  return table;
}

std::string printByteTable(const std::vector<int32_t>& table) {
  std::string r = "{{";
  for (size_t i = 0; i < table.size(); ++i) r += (i ? ", " : "") + std::to_string(table[i]);
  return r + "}}";
}

}  // namespace tmlc
