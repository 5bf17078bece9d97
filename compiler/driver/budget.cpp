// budget.cpp: the flash/RAM budget check (see budget.h).
#include "driver/budget.h"

#include <algorithm>
#include <map>
#include <vector>

#include "ops/op_def.h"

namespace tmlc {

std::string withCommas(int64_t n) {
  std::string d = std::to_string(n < 0 ? -n : n), r;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) r += ',';
    r += d[i];
  }
  return (n < 0 ? "-" : "") + r;
}

MemoryEstimate estimateMemory(const Graph& g, int64_t arenaBytes, int64_t weightBytes, const Target& t) {
  MemoryEstimate e;
  e.weights = weightBytes;
  int64_t nodes = 0;
  for (const auto& n : g.nodes)
    if (!n->dead) ++nodes;
  e.code = nodes * kCodeBytesPerNodeEstimate;
  e.arena = arenaBytes;
  for (const Value* v : g.inputs) e.io += static_cast<int64_t>(v->type.bytes());
  for (const Value* v : g.outputs) e.io += static_cast<int64_t>(v->type.bytes());
  e.stack = t.stackBytes;
  e.heap = t.heapBytes;
  return e;
}

namespace {

std::string describe(const Value* v) {
  std::string s = "'" + v->name + "' " + dtypeName(v->type.dtype) + "[" + shapeToString(v->type.shape) + "] " +
                  withCommas(static_cast<int64_t>(v->type.bytes())) + " B";
  if (v->producer) s += " (output of '" + v->producer->name + "', " + opName(v->producer->kind) + ")";
  else if (!v->users.empty()) s += " (used by '" + v->users[0]->name + "', " + opName(v->users[0]->kind) + ")";
  return s;
}

// The largest graph inputs/outputs (the caller's buffers, outside the arena).
std::string largestIo(const Graph& g) {
  std::vector<const Value*> io(g.inputs.begin(), g.inputs.end());
  for (const Value* v : g.outputs)
    if (std::find(io.begin(), io.end(), v) == io.end()) io.push_back(v);
  std::stable_sort(io.begin(), io.end(),
                   [](const Value* a, const Value* b) { return a->type.bytes() > b->type.bytes(); });
  std::string s = "Largest inputs/outputs: ";
  for (size_t i = 0; i < std::min<size_t>(3, io.size()); ++i)
    s += (i ? "; " : "") + describe(io[i]);
  return s;
}

// The largest activations and the layers with the most arena bytes live.
std::string ramCulprits(const Graph& g) {
  std::vector<const Node*> order;
  for (const auto& n : g.nodes)
    if (!n->dead) order.push_back(n.get());
  std::map<const Node*, size_t> index;
  for (size_t i = 0; i < order.size(); ++i) index[order[i]] = i;

  // Lifetimes of the values stored in the arena (aliases share their base's).
  struct Life {
    const Value* v;
    size_t first, last;
  };
  std::vector<Life> lives;
  std::vector<const Value*> all;
  for (const Node* n : order)
    for (const Value* v : n->outputs) {
      if (!v || v->place.kind != Placement::Kind::Arena) continue;
      size_t last = index[n];
      for (const Node* u : v->users)
        if (index.count(u)) last = std::max(last, index[u]);
      if (v->graphOutput >= 0) last = order.size();
      lives.push_back({v, index[n], last});
      all.push_back(v);
    }
  // Uses through aliases extend the base's life.
  for (const auto& n : g.nodes)
    for (const Value* v : n->outputs)
      if (v && v->place.kind == Placement::Kind::Alias && v->place.base)
        for (Life& l : lives)
          if (l.v == v->place.base)
            for (const Node* u : v->users)
              if (index.count(u)) l.last = std::max(l.last, index[u]);

  std::sort(all.begin(), all.end(), [](const Value* a, const Value* b) { return a->type.bytes() > b->type.bytes(); });
  std::string s = "Largest activations: ";
  for (size_t i = 0; i < std::min<size_t>(3, all.size()); ++i) s += (i ? "; " : "") + describe(all[i]);
  if (all.empty()) s += "none in the arena";

  std::vector<std::pair<int64_t, const Node*>> live;
  for (size_t i = 0; i < order.size(); ++i) {
    int64_t bytes = 0;
    for (const Life& l : lives)
      if (l.first <= i && i <= l.last) bytes += static_cast<int64_t>(l.v->type.bytes());
    const OpDef& d = opDef(order[i]->kind);
    if (d.scratch) bytes += static_cast<int64_t>(d.scratch(*order[i]));
    live.push_back({bytes, order[i]});
  }
  std::stable_sort(live.begin(), live.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (!live.empty() && live[0].first > 0) {
    s += ". Layers with the most activation bytes live: ";
    for (size_t i = 0; i < std::min<size_t>(3, live.size()) && live[i].first > 0; ++i)
      s += (i ? "; " : "") + std::string("'") + live[i].second->name + "' (" + opName(live[i].second->kind) +
           ") " + withCommas(live[i].first) + " B";
  }
  return s;
}

std::string flashCulprits(const Graph& g) {
  std::vector<const Value*> weights;
  for (const auto& n : g.nodes) {
    if (n->dead) continue;
    for (const Value* v : n->inputs)
      if (v && v->isConstant() && std::find(weights.begin(), weights.end(), v) == weights.end())
        weights.push_back(v);
  }
  std::sort(weights.begin(), weights.end(),
            [](const Value* a, const Value* b) { return a->type.bytes() > b->type.bytes(); });
  std::string s = "Largest weights: ";
  for (size_t i = 0; i < std::min<size_t>(3, weights.size()); ++i) s += (i ? "; " : "") + describe(weights[i]);
  if (weights.empty()) s += "none";
  return s;
}

}  // namespace

Status checkBudget(const Graph& g, const MemoryEstimate& e, int64_t flashBudget, int64_t ramBudget,
                   const std::string& targetName, const std::string& what) {
  if (ramBudget > 0 && e.ram() > ramBudget) {
    return Status::error(what + " does not fit " + targetName + ": it needs " + withCommas(e.ram()) +
                         " bytes of RAM (arena " + withCommas(e.arena) + " + inputs/outputs " + withCommas(e.io) +
                         " + stack " + withCommas(e.stack) + " + heap " + withCommas(e.heap) + "), the budget is " +
                         withCommas(ramBudget) + " (--ram overrides it). " +
                         (e.io > e.arena ? largestIo(g) + ". " : "") + ramCulprits(g));
  }
  if (flashBudget > 0 && e.flash() > flashBudget) {
    return Status::error(what + " does not fit " + targetName + ": it needs at least " + withCommas(e.flash()) +
                         " bytes of flash (weights " + withCommas(e.weights) + " + code, estimated " +
                         withCommas(e.code) + "), the budget is " + withCommas(flashBudget) +
                         " (--flash overrides it). " + flashCulprits(g));
  }
  return Status::ok();
}

}  // namespace tmlc
