#include "passes/fuse_activation.h"

#include <limits>

#include "ops/op_def.h"

namespace tmlc {

namespace {
bool asActivation(const Node& n, Activation& a) {
  switch (n.kind) {
    case OpKind::Relu: a = {Act::Relu, 0, 0}; return true;
    case OpKind::LeakyRelu: a = {Act::LeakyRelu, n.attrFloat("alpha", 0.01f), 0}; return true;
    case OpKind::Sigmoid: a = {Act::Sigmoid, 0, 0}; return true;
    case OpKind::Tanh: a = {Act::Tanh, 0, 0}; return true;
    case OpKind::HardSwish: a = {Act::HardSwish, 0, 0}; return true;
    case OpKind::HardSigmoid:
      a = {Act::HardSigmoid, n.attrFloat("alpha", 0.2f), n.attrFloat("beta", 0.5f)};
      return true;
    case OpKind::Clip: {
      float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
      if (n.hasAttr("min")) lo = n.attrFloat("min", lo);
      if (n.hasAttr("max")) hi = n.attrFloat("max", hi);
      if (const Value* v = n.input(1)) {
        if (!v->isConstant()) return false;
        lo = static_cast<float>(v->constant->getDouble(0));
      }
      if (const Value* v = n.input(2)) {
        if (!v->isConstant()) return false;
        hi = static_cast<float>(v->constant->getDouble(0));
      }
      a = {Act::Clip, lo, hi};
      return true;
    }
    default: return false;
  }
}
}  // namespace

Status fuseActivation(Graph& g, const PassOptions&) {
  for (auto& np : g.nodes) {
    Node& act = *np;
    Activation a;
    if (act.dead || !asActivation(act, a)) continue;
    Value* x = act.input(0);
    Node* prod = x->producer;
    if (!prod || prod->dead || !opDef(prod->kind).fusesActivation) continue;
    if (x->type.dtype != DType::Float32 || prod->fused.kind != Act::None) continue;
    if (x->users.size() != 1 || x->graphOutput >= 0) continue;
    prod->fused = a;
    Value* y = act.output(0);
    prod->outputs[0] = y;
    y->producer = prod;
    act.dead = true;
  }
  g.compact();
  return Status::ok();
}

}  // namespace tmlc
