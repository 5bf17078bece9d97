#include "ir/printer.h"

#include <cstdio>

#include "ops/op_def.h"

namespace tmlc {

namespace {
std::string fmtFloat(float f) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", static_cast<double>(f));
  return b;
}

std::string printAttr(const Attribute& a) {
  std::string r;
  switch (a.kind) {
    case Attribute::Kind::Int: return std::to_string(a.i);
    case Attribute::Kind::Float: return fmtFloat(a.f);
    case Attribute::Kind::String: return "\"" + a.s + "\"";
    case Attribute::Kind::Ints:
      for (size_t i = 0; i < a.ints.size(); ++i) r += (i ? "," : "") + std::to_string(a.ints[i]);
      return "[" + r + "]";
    case Attribute::Kind::Floats:
      for (size_t i = 0; i < a.floats.size(); ++i) r += (i ? "," : "") + fmtFloat(a.floats[i]);
      return "[" + r + "]";
    case Attribute::Kind::Strings:
      for (size_t i = 0; i < a.strings.size(); ++i) r += (i ? "," : "") + ("\"" + a.strings[i] + "\"");
      return "[" + r + "]";
    case Attribute::Kind::Tensor: return "tensor " + printType({a.tensor->dtype, a.tensor->shape, {}});
    case Attribute::Kind::Graph: return "graph";
  }
  return "?";
}
}  // namespace

std::string printType(const TensorType& t) {
  std::string r = std::string(dtypeName(t.dtype)) + "[";
  for (size_t i = 0; i < t.shape.size(); ++i) r += (i ? "," : "") + std::to_string(t.shape[i]);
  r += "]";
  if (t.quant) {
    r += " q(";
    for (size_t i = 0; i < t.quant->scale.size(); ++i)
      r += (i ? "," : "") + fmtFloat(t.quant->scale[i]) + ":" + std::to_string(t.quant->zero_point[i]);
    r += ")";
  }
  return r;
}

std::string printGraph(const Graph& g) {
  std::string r = "graph '" + g.name + "' (opset " + std::to_string(g.opset) + ")\n";
  for (const Value* v : g.inputs) r += "  input  %" + v->name + " : " + printType(v->type) + "\n";
  for (const auto& v : g.values)
    if (v->isConstant()) r += "  const  %" + v->name + " : " + printType(v->type) + "\n";
  for (const auto& np : g.nodes) {
    const Node& n = *np;
    std::string outs, ins, attrs, types;
    for (const Value* o : n.outputs) {
      outs += (outs.empty() ? "%" : ", %") + (o ? o->name : std::string("_"));
      types += (types.empty() ? "" : ", ") + (o ? printType(o->type) : std::string("_"));
    }
    for (size_t i = 0; i < n.inputs.size(); ++i)
      ins += (i ? ", " : "") + (n.inputs[i] ? "%" + n.inputs[i]->name : std::string("_"));
    for (const auto& kv : n.attrs) attrs += (attrs.empty() ? "" : ", ") + kv.first + "=" + printAttr(kv.second);
    r += "  " + outs + " = " + opName(n.kind) + "(" + ins + ")";
    if (!attrs.empty()) r += " {" + attrs + "}";
    if (n.fused.kind != Act::None) r += std::string(" +") + actKindName(n.fused.kind);
    r += " : " + types + "  // '" + n.name + "'\n";
  }
  for (const Value* v : g.outputs) r += "  output %" + v->name + "\n";
  return r;
}

}  // namespace tmlc
