#include "passes/fold_constants.h"

#include "ops/op_def.h"

namespace tmlc {

namespace {
// A node can be folded when its op can evaluate itself and every present input
// is known. Shape only needs its input's (static) shape.
bool foldable(const Node& n) {
  const OpDef& def = opDef(n.kind);
  if (!def.eval) return false;
  if (n.kind == OpKind::Shape || n.kind == OpKind::Size) return true;
  for (const Value* i : n.inputs)
    if (i && !i->isConstant()) return false;
  return true;
}
}  // namespace

Status foldConstants(Graph& g, const PassOptions&) {
  for (auto& np : g.nodes) {
    Node& n = *np;
    if (n.dead || !foldable(n)) continue;
    std::vector<Tensor> outs;
    Status st = opDef(n.kind).eval(n, outs);
    if (!st) return Status::error(g.sourceFile + ": " + n.where() + ": " + st.message());
    if (outs.size() < n.outputs.size())
      return TMLC_INTERNAL_ERROR(n.where() + ": eval returned too few outputs");
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      Value* o = n.outputs[k];
      if (!o) continue;
      if (outs[k].shape != o->type.shape || outs[k].dtype != o->type.dtype)
        return TMLC_INTERNAL_ERROR(n.where() + ": eval result type differs from the shape rule");
      o->constant = std::make_shared<Tensor>(std::move(outs[k]));
      o->producer = nullptr;
    }
    n.dead = true;
  }
  g.compact();
  return Status::ok();
}

}  // namespace tmlc
