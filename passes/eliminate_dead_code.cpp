#include "passes/eliminate_dead_code.h"

#include <set>

namespace tmlc {

Status eliminateDeadCode(Graph& g, const PassOptions&) {
  std::set<const Value*> needed(g.outputs.begin(), g.outputs.end());
  for (auto it = g.nodes.rbegin(); it != g.nodes.rend(); ++it) {
    Node& n = **it;
    bool live = false;
    for (const Value* o : n.outputs)
      if (o && needed.count(o)) live = true;
    n.dead = !live;
    if (live)
      for (const Value* i : n.inputs)
        if (i) needed.insert(i);
  }
  g.compact();
  return Status::ok();
}

}  // namespace tmlc
