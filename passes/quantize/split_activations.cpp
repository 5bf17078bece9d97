#include "passes/quantize/split_activations.h"

#include "ops/op_def.h"

namespace tmlc {

Status splitActivations(Graph& g, const PassOptions& opts) {
  if (opts.quant.mode.empty()) return Status::ok();
  std::vector<Node*> order;
  for (auto& n : g.nodes) order.push_back(n.get());
  for (Node* n : order) {
    const Activation a = n->fused;
    OpKind k;
    switch (a.kind) {
      case Act::Sigmoid: k = OpKind::Sigmoid; break;
      case Act::Tanh: k = OpKind::Tanh; break;
      case Act::HardSwish: k = OpKind::HardSwish; break;
      case Act::HardSigmoid: k = OpKind::HardSigmoid; break;
      case Act::LeakyRelu: k = OpKind::LeakyRelu; break;
      default: continue;
    }
    Value* y = n->output(0);
    if (!y) continue;
    Value* pre = g.addValue(g.uniqueValueName(y->name + "_pre_activation"), TensorType{y->type.dtype, y->type.shape, {}});
    n->outputs[0] = pre;
    pre->producer = n;
    n->fused = kNoActivation;
    // The activation node goes right after its producer.
    Node* next = nullptr;
    for (size_t i = 0; i + 1 < g.nodes.size(); ++i)
      if (g.nodes[i].get() == n) next = g.nodes[i + 1].get();
    Node* act = g.addNode(k, n->name + "/activation", {pre}, {y}, next);
    if (k == OpKind::LeakyRelu) {
      act->attrs["alpha"].kind = Attribute::Kind::Float;
      act->attrs["alpha"].f = a.alpha;
    } else if (k == OpKind::HardSigmoid) {
      act->attrs["alpha"].kind = Attribute::Kind::Float;
      act->attrs["alpha"].f = a.alpha;
      act->attrs["beta"].kind = Attribute::Kind::Float;
      act->attrs["beta"].f = a.beta;
    }
  }
  g.rebuildUsers();
  return Status::ok();
}

}  // namespace tmlc
