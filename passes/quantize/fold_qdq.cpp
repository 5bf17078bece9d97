#include "passes/quantize/fold_qdq.h"

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

}  // namespace

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
      const Tensor& q = *x->constant;
      const int64_t rank = static_cast<int64_t>(q.shape.size());
      int64_t axis = p->axis < 0 ? p->axis + rank : p->axis;
      int64_t inner = 1;
      for (int64_t d = axis + 1; d < rank; ++d) inner *= q.shape[static_cast<size_t>(d)];
      const int64_t channels = static_cast<int64_t>(p->scale.size());
      if (channels > 1 && (axis < 0 || axis >= rank || q.shape[static_cast<size_t>(axis)] != channels)) continue;
      Tensor f = Tensor::zeros(DType::Float32, q.shape);
      for (int64_t i = 0; i < q.numel(); ++i) {
        const size_t c = channels == 1 ? 0 : static_cast<size_t>((i / inner) % channels);
        f.data<float>()[i] = static_cast<float>(q.getInt(i) - p->zp[c]) * p->scale[c];
      }
      Value* c = g.addConstant(g.uniqueValueName(y->name), std::move(f));
      QuantParams wq;
      wq.scale = p->scale;
      wq.zero_point = p->zp;
      wq.axis = channels == 1 ? -1 : static_cast<int>(axis);
      if (x->type.dtype == DType::Int8 || x->type.dtype == DType::UInt8) c->type.quant = wq;
      g.replaceAllUses(y, c);
      n.dead = true;
      changed = true;
      continue;
    }
    auto aq = activationQuant(*p);
    if (!aq) continue;
    Node* qn = x->producer;
    bool pair = qn && !qn->dead && qn->kind == *kQ && x->graphOutput < 0 && qn->input(0) &&
                qn->input(0)->type.dtype == DType::Float32;
    if (pair) {
      auto qp = params(*qn, x->type.dtype);
      pair = qp && same(*qp, *p);
    }
    if (pair) {
      // Q -> DQ: the float value before Q carries the quantization.
      Value* src = qn->input(0);
      src->type.quant = *aq;
      g.replaceAllUses(y, src);
      n.dead = true;
      changed = true;
    } else if (!y->type.quant) {
      y->type.quant = *aq;  // an int8 value entering float code
    }
  }
  if (changed) g.compact();
  return Status::ok();
}

}  // namespace tmlc
