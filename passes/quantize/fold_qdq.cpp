#include "passes/quantize/fold_qdq.h"

#include <algorithm>
#include <cmath>

#include "ops/op_def.h"

namespace tmlc {

namespace {

struct QdqParams {
  std::vector<float> scale;
  std::vector<int32_t> zp;
  int64_t axis = 1;
  DType type = DType::Undefined;  // of the quantized data
};

// Scale and zero point of a QuantizeLinear / DequantizeLinear node, when constant.
std::optional<QdqParams> params(const Node& n, DType dataType) {
  const Value* s = n.input(1);
  const Value* z = n.input(2);
  if (!s || !s->isConstant() || (z && !z->isConstant())) return std::nullopt;
  if (n.hasAttr("block_size") && n.attrInt("block_size", 0) != 0) return std::nullopt;
  QdqParams p;
  p.type = z ? z->type.dtype : dataType;
  for (int64_t i = 0; i < s->constant->numel(); ++i) p.scale.push_back(static_cast<float>(s->constant->getDouble(i)));
  for (int64_t i = 0; i < s->constant->numel(); ++i)
    p.zp.push_back(z && z->constant->numel() ? static_cast<int32_t>(z->constant->getInt(z->constant->numel() == 1 ? 0 : i)) : 0);
  p.axis = n.attrInt("axis", 1);
  if (p.scale.empty()) return std::nullopt;
  return p;
}

bool same(const QdqParams& a, const QdqParams& b) {
  return a.scale == b.scale && a.zp == b.zp && a.type == b.type && (a.scale.size() == 1 || a.axis == b.axis);
}

// Per-tensor activation quantization as the int8 kernels see it.
std::optional<QuantParams> activationQuant(const QdqParams& p) {
  if (p.scale.size() != 1 || !(p.scale[0] > 0)) return std::nullopt;
  QuantParams q;
  q.scale = p.scale;
  if (p.type == DType::UInt8) q.zero_point = {p.zp[0] - 128};
  else if (p.type == DType::Int8) q.zero_point = {p.zp[0]};
  else return std::nullopt;
  return q;
}

// The channel of element i along p.axis of a tensor of `shape` (0 per tensor);
// nullopt when p's channels do not match that axis.
struct Channels {
  int64_t axis = -1, inner = 1, count = 1;
  size_t of(int64_t i) const { return count == 1 ? 0 : static_cast<size_t>((i / inner) % count); }
};
std::optional<Channels> channels(const Shape& shape, const QdqParams& p) {
  Channels c;
  const int64_t rank = static_cast<int64_t>(shape.size());
  c.count = static_cast<int64_t>(p.scale.size());
  if (c.count == 1) return c;
  c.axis = p.axis < 0 ? p.axis + rank : p.axis;
  if (c.axis < 0 || c.axis >= rank || shape[static_cast<size_t>(c.axis)] != c.count) return std::nullopt;
  for (int64_t d = c.axis + 1; d < rank; ++d) c.inner *= shape[static_cast<size_t>(d)];
  return c;
}

// A float constant of the real values (q - zp) * scale of the integer values
// `q` (getInt), named after `base`, annotated with their scales when the
// quantized type is 8-bit: per tensor as the int8 kernels see it, per channel raw.
Value* dequantizedConstant(Graph& g, const Tensor& q, const QdqParams& p, const Channels& ch,
                           const std::string& base) {
  Tensor f = Tensor::zeros(DType::Float32, q.shape);
  for (int64_t i = 0; i < q.numel(); ++i) {
    const size_t c = ch.of(i);
    f.data<float>()[i] = static_cast<float>(q.getInt(i) - p.zp[c]) * p.scale[c];
  }
  Value* v = g.addConstant(g.uniqueValueName(base), std::move(f));
  if (p.type == DType::Int8 || p.type == DType::UInt8) {
    QuantParams wq;
    wq.scale = p.scale;
    wq.zero_point = p.zp;
    wq.axis = ch.count == 1 ? -1 : static_cast<int>(ch.axis);
    v->type.quant = wq;
  }
  return v;
}

// QuantizeLinear of constant float x into p.type: round half to even, saturate.
std::optional<Tensor> quantizeConstant(const Tensor& x, const QdqParams& p, const Channels& ch) {
  double lo, hi;
  switch (p.type) {
    case DType::UInt8: lo = 0, hi = 255; break;
    case DType::Int8: lo = -128, hi = 127; break;
    case DType::UInt16: lo = 0, hi = 65535; break;
    case DType::Int16: lo = -32768, hi = 32767; break;
    default: return std::nullopt;
  }
  if (x.dtype != DType::Float32) return std::nullopt;
  Tensor q = Tensor::zeros(DType::Int32, x.shape);
  for (int64_t i = 0; i < x.numel(); ++i) {
    const size_t c = ch.of(i);
    const float r = std::nearbyint(x.data<float>()[i] / p.scale[c]);
    q.data<int32_t>()[i] = static_cast<int32_t>(std::min(hi, std::max(lo, static_cast<double>(r) + p.zp[c])));
  }
  return q;
}

}  // namespace

std::optional<QdqPair> qdqPair(const Node& dq) {
  const auto kQ = lookupOp("", "QuantizeLinear"), kDQ = lookupOp("", "DequantizeLinear");
  if (!kQ || !kDQ || dq.kind != *kDQ || !dq.input(0) || !dq.output(0) ||
      dq.output(0)->type.dtype != DType::Float32)
    return std::nullopt;
  const Value* x = dq.input(0);
  const Node* qn = x->producer;
  if (!qn || qn->dead || qn->kind != *kQ || x->graphOutput >= 0 || !qn->input(0) ||
      qn->input(0)->type.dtype != DType::Float32)
    return std::nullopt;
  auto p = params(dq, x->type.dtype);
  auto qp = params(*qn, x->type.dtype);
  if (!p || !qp || !same(*p, *qp)) return std::nullopt;
  auto aq = activationQuant(*p);
  if (!aq) return std::nullopt;
  return QdqPair{qn->input(0), *aq};
}

Status foldQdq(Graph& g, const PassOptions&) {
  const auto kQ = lookupOp("", "QuantizeLinear"), kDQ = lookupOp("", "DequantizeLinear");
  if (!kQ || !kDQ) return Status::ok();
  bool changed = false;
  std::vector<Node*> order;
  for (auto& n : g.nodes) order.push_back(n.get());
  for (Node* np : order) {
    Node& n = *np;
    if (n.dead || n.kind != *kDQ || !n.output(0) || n.output(0)->type.dtype != DType::Float32) continue;
    Value* x = n.input(0);
    Value* y = n.output(0);
    auto p = params(n, x->type.dtype);
    if (!p) continue;
    if (x->isConstant()) {
      // Weights or bias: the real values, annotated with their scales.
      auto ch = channels(x->constant->shape, *p);
      if (!ch) continue;
      g.replaceAllUses(y, dequantizedConstant(g, *x->constant, *p, *ch, y->name));
      n.dead = true;
      changed = true;
      continue;
    }
    if (auto pair = qdqPair(n)) {
      Value* src = pair->source;
      if (src->isConstant()) {
        // Q -> DQ of a constant (float weights): the rounded values, annotated.
        auto ch = channels(src->constant->shape, *p);
        auto q = ch ? quantizeConstant(*src->constant, *p, *ch) : std::nullopt;
        if (!q) continue;
        Value* c = dequantizedConstant(g, *q, *p, *ch, y->name);
        c->type.quant = pair->quant;
        g.replaceAllUses(y, c);
        n.dead = true;
        changed = true;
        continue;
      }
      // Q -> DQ of an activation: both ends carry the quantization; the pair
      // stays (see the header: quantize.cpp decides whether the rounding is needed).
      src->type.quant = pair->quant;
      y->type.quant = pair->quant;
      continue;
    }
    auto aq = activationQuant(*p);
    if (aq && !y->type.quant) y->type.quant = *aq;  // an int8 value entering float code
  }
  if (changed) g.compact();
  return Status::ok();
}

}  // namespace tmlc
