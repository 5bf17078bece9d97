#include "passes/fold_pad.h"

#include <algorithm>

namespace tmlc {

namespace {

// The full [begin..., end...] pads of a Pad node over its input's rank, its
// constant value and mode; nullopt when not known at compile time.
struct PadInfo {
  std::vector<int64_t> pads;
  double value = 0;
  std::string mode;
};

std::optional<PadInfo> padInfo(const Node& n) {
  const Value* x = n.input(0);
  if (!x || !n.output(0)) return std::nullopt;
  const int64_t r = static_cast<int64_t>(x->type.shape.size());
  PadInfo p;
  p.mode = n.attrString("mode", "constant");
  std::vector<int64_t> pads;
  if (n.opset < 11 && !n.input(1)) {
    pads = n.attrInts("pads");
    p.value = n.attrFloat("value", 0.0f);
  } else {
    if (!n.input(1) || !n.input(1)->isConstant()) return std::nullopt;
    pads = n.input(1)->constant->toInts();
    if (const Value* cv = n.input(2)) {
      if (!cv->isConstant()) return std::nullopt;
      if (cv->constant->numel() > 0) p.value = cv->constant->getDouble(0);
    }
  }
  std::vector<int64_t> axes;
  if (const Value* av = n.input(3)) {
    if (!av->isConstant()) return std::nullopt;
    for (int64_t a : av->constant->toInts()) axes.push_back(a < 0 ? a + r : a);
  } else {
    for (int64_t i = 0; i < r; ++i) axes.push_back(i);
  }
  if (pads.size() != 2 * axes.size()) return std::nullopt;
  p.pads.assign(static_cast<size_t>(2 * r), 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= r) return std::nullopt;
    p.pads[static_cast<size_t>(axes[i])] = pads[i];
    p.pads[static_cast<size_t>(axes[i] + r)] = pads[i + axes.size()];
  }
  return p;
}

// The explicit pads of a Conv or AveragePool reader with `spatial` axes, or
// nullopt when it pads by auto_pad SAME_*.
std::optional<std::vector<int64_t>> ownPads(const Node& u, size_t spatial) {
  const std::string autoPad = u.attrString("auto_pad", "NOTSET");
  if (autoPad == "VALID") return std::vector<int64_t>(2 * spatial, 0);
  if (autoPad != "NOTSET") return std::nullopt;
  std::vector<int64_t> p = u.attrInts("pads", std::vector<int64_t>(2 * spatial, 0));
  if (p.size() != 2 * spatial) return std::nullopt;
  return p;
}

// Whether reader u of the padded value can take the spatial pads `add`
// ([begin..., end...] over the spatial axes) itself.
bool canTake(const Node& u, const Value* padded, const std::vector<int64_t>& add) {
  if (u.input(0) != padded) return false;
  for (size_t i = 1; i < u.inputs.size(); ++i)
    if (u.inputs[i] == padded) return false;
  auto own = ownPads(u, add.size() / 2);
  if (!own) return false;
  if (u.kind == OpKind::Conv) return true;
  if (u.kind != OpKind::AveragePool || u.attrInt("ceil_mode", 0) != 0) return false;
  if (u.attrInt("count_include_pad", 0) != 0) return true;
  return std::all_of(own->begin(), own->end(), [](int64_t v) { return v == 0; });
}

}  // namespace

Status foldPad(Graph& g, const PassOptions&) {
  bool changed = false;
  // Last first: a Pad feeding another Pad (PyTorch's F.pad before avg_pool2d,
  // which exports its own Pad) sees the pool once the later Pad is folded.
  std::vector<Node*> order;
  for (auto& np : g.nodes) order.push_back(np.get());
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    Node& n = **it;
    if (n.dead || n.kind != OpKind::Pad) continue;
    Value* x = n.input(0);
    Value* y = n.output(0);
    auto p = padInfo(n);
    if (!p || y->graphOutput >= 0) continue;
    if (std::all_of(p->pads.begin(), p->pads.end(), [](int64_t v) { return v == 0; })) {
      // Padding by nothing: the readers read the input.
      g.replaceAllUses(y, x);
      n.dead = true;
      changed = true;
      continue;
    }
    // Zero padding of the spatial axes of an [N, C, spatial...] tensor.
    const size_t r = x->type.shape.size();
    if (p->mode != "constant" || p->value != 0 || r < 3) continue;
    bool ok = p->pads[0] == 0 && p->pads[1] == 0 && p->pads[r] == 0 && p->pads[r + 1] == 0;
    for (int64_t v : p->pads) ok = ok && v >= 0;
    std::vector<int64_t> add;
    for (size_t i = 2; i < r; ++i) add.push_back(p->pads[i]);
    for (size_t i = 2; i < r; ++i) add.push_back(p->pads[r + i]);
    std::vector<Node*> readers;  // the live ones: a Pad folded above is dead but still listed
    for (Node* u : y->users)
      if (!u->dead) readers.push_back(u);
    ok = ok && !readers.empty();
    for (const Node* u : readers) ok = ok && canTake(*u, y, add);
    if (!ok) continue;
    for (Node* u : readers) {
      std::vector<int64_t> own = *ownPads(*u, add.size() / 2);
      for (size_t i = 0; i < add.size(); ++i) own[i] += add[i];
      u->attrs.erase("auto_pad");
      Attribute a;
      a.kind = Attribute::Kind::Ints;
      a.ints = own;
      u->attrs["pads"] = a;
      if (u->kind == OpKind::AveragePool) u->attrs["count_include_pad"].i = 1;
    }
    g.replaceAllUses(y, x);
    n.dead = true;
    changed = true;
  }
  if (changed) g.compact();
  return Status::ok();
}

}  // namespace tmlc
