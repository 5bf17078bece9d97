#include "passes/memory/liveness.h"

#include <map>

#include "ops/op_def.h"

namespace tmlc {

std::vector<Buffer> computeLiveness(Graph& g) {
  std::map<const Node*, int> pos;
  for (size_t i = 0; i < g.nodes.size(); ++i) pos[g.nodes[i].get()] = static_cast<int>(i);

  // Storage that is not the arena.
  for (auto& v : g.values) v->place = Placement{};
  for (Value* v : g.inputs) v->place = {Placement::Kind::Input, v->graphInput, 0, nullptr};
  for (auto& v : g.values)
    if (v->isConstant()) v->place = {Placement::Kind::Weight, -1, 0, nullptr};
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    Value* v = g.outputs[k];
    if (v->place.kind == Placement::Kind::Unplanned && v->producer)
      v->place = {Placement::Kind::Output, static_cast<int>(k), 0, nullptr};
  }
  // Aliases reuse their input's storage (which may itself be an alias).
  for (auto& n : g.nodes) {
    if (!opDef(n->kind).alias) continue;
    Value* out = n->output(0);
    Value* base = n->input(0);
    while (base->place.kind == Placement::Kind::Alias) base = base->place.base;
    if (out->place.kind == Placement::Kind::Output) {
      // A graph output viewing a value computed here (Reshape of the last
      // layer): that value is written straight into the output buffer, where
      // its other readers find it too. Anything else (an input, a constant,
      // another output) is copied.
      if (base->place.kind == Placement::Kind::Unplanned && base->producer)
        base->place = {Placement::Kind::Alias, -1, 0, out};
      continue;
    }
    if (out->place.kind != Placement::Kind::Unplanned) continue;
    out->place = {Placement::Kind::Alias, -1, 0, base};
  }

  std::map<Value*, size_t> index;
  std::vector<Buffer> bufs;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& n = *g.nodes[i];
    for (Value* o : n.outputs) {
      if (!o || o->place.kind != Placement::Kind::Unplanned) continue;
      Buffer b;
      b.value = o;
      b.bytes = static_cast<int64_t>(o->type.bytes());
      b.first = b.last = static_cast<int>(i);
      index[o] = bufs.size();
      bufs.push_back(b);
    }
    const OpDef& def = opDef(n.kind);
    if (def.scratch) {
      int64_t s = static_cast<int64_t>(def.scratch(n));
      if (s > 0) {
        Buffer b;
        b.scratchOf = &n;
        b.bytes = s;
        b.first = b.last = static_cast<int>(i);
        bufs.push_back(b);
      }
    }
  }
  // Extend each buffer to its last reader, through aliases.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (Value* in : g.nodes[i]->inputs) {
      if (!in) continue;
      Value* base = in;
      while (base->place.kind == Placement::Kind::Alias) base = base->place.base;
      auto it = index.find(base);
      if (it != index.end() && bufs[it->second].last < static_cast<int>(i))
        bufs[it->second].last = static_cast<int>(i);
    }
  }
  // Graph outputs that alias an arena value are copied out at the very end.
  for (Value* out : g.outputs) {
    Value* base = out;
    while (base->place.kind == Placement::Kind::Alias) base = base->place.base;
    auto it = index.find(base);
    if (it != index.end()) bufs[it->second].last = static_cast<int>(g.nodes.size());
  }
  // Index scratch buffers: their re-index is stable because vectors are only appended.
  return bufs;
}

}  // namespace tmlc
