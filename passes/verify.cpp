#include "passes/verify.h"

#include <set>

namespace tmlc {

Status verifyGraph(const Graph& g, const std::string& afterPass) {
  std::set<const Value*> defined(g.inputs.begin(), g.inputs.end());
  for (const auto& v : g.values)
    if (v->isConstant()) defined.insert(v.get());
  for (const auto& n : g.nodes) {
    for (const Value* i : n->inputs)
      if (i && !defined.count(i))
        return TMLC_INTERNAL_ERROR("after " + afterPass + ": " + n->where() + " reads '" + i->name +
                                   "' before it is defined");
    for (const Value* o : n->outputs) {
      if (!o) continue;
      if (o->type.dtype == DType::Undefined)
        return TMLC_INTERNAL_ERROR("after " + afterPass + ": '" + o->name + "' has no type");
      if (o->producer != n.get())
        return TMLC_INTERNAL_ERROR("after " + afterPass + ": '" + o->name + "' has a stale producer");
      defined.insert(o);
    }
  }
  for (const Value* o : g.outputs)
    if (!defined.count(o))
      return TMLC_INTERNAL_ERROR("after " + afterPass + ": graph output '" + o->name + "' is undefined");
  return Status::ok();
}

}  // namespace tmlc
