#include "frontend/onnx_import.h"

#include <fstream>
#include <set>
#include <sstream>

#include "frontend/control_flow.h"
#include "frontend/tensor_proto.h"
#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"
#include "onnx/version_converter/convert.h"
#include "ops/op_def.h"

namespace tmlc {

namespace {

constexpr int kTargetOpset = 13;  // older models are converted up to this opset

std::string dirOf(const std::string& path) {
  size_t p = path.find_last_of('/');
  return p == std::string::npos ? "." : path.substr(0, p);
}

class Importer {
 public:
  Importer(const std::string& path, const ImportOptions& o) : path_(path), opts_(o) {}

  Expected<std::unique_ptr<Graph>> run(const std::string& bytes);

 private:
  Status err(const std::string& msg) { return Status::error(path_ + ": " + msg); }
  Status nodeErr(const onnx::NodeProto& n, const std::string& msg) {
    return err("node '" + nodeName(n) + "' (" + n.op_type() + "): " + msg);
  }
  std::string nodeName(const onnx::NodeProto& n) {
    if (!n.name().empty()) return prefix_ + n.name();
    return prefix_ + n.op_type() + "_" + std::to_string(nodeIndex_);
  }
  void warn(const std::string& msg) {
    if (opts_.warnings) opts_.warnings->push_back(path_ + ": " + msg);
  }
  Expected<TensorType> valueType(const onnx::ValueInfoProto& vi, bool isInput);
  Status importConstantNode(const onnx::NodeProto& n);
  Status importNode(const onnx::NodeProto& n);
  Expected<Attribute> importAttribute(const onnx::NodeProto& n, const onnx::AttributeProto& a);
  // If, Loop, Scan: inlined (control_flow.h), their subgraphs imported by importBody.
  Status importControlFlow(const onnx::NodeProto& n, const std::vector<Value*>& ins);
  Expected<std::vector<Value*>> importBody(const onnx::GraphProto& body, const std::vector<Value*>& args,
                                           const std::string& prefix);

  std::string path_;
  const ImportOptions& opts_;
  std::unique_ptr<Graph> g_;
  std::map<std::string, Value*> byName_;
  std::map<std::string, int> opsets_;
  int nodeIndex_ = 0;
  std::string prefix_;  // of node and value names inside an inlined subgraph
};

Expected<TensorType> Importer::valueType(const onnx::ValueInfoProto& vi, bool isInput) {
  if (!vi.type().has_tensor_type())
    return err("value '" + vi.name() + "' is not a tensor (sequences, maps and optionals are not supported)");
  const auto& tt = vi.type().tensor_type();
  auto dt = dtypeFromOnnx(tt.elem_type());
  if (!dt && tt.elem_type() == onnx::TensorProto::STRING)
    return err("value '" + vi.name() + "' is a string tensor (strings are not supported)");
  if (!dt)
    return err("value '" + vi.name() + "' has unsupported element type " + std::to_string(tt.elem_type()));
  TensorType t;
  t.dtype = *dt;
  auto over = opts_.shapes.find(vi.name());
  if (over != opts_.shapes.end()) {
    t.shape = over->second;
    if (tt.has_shape()) {
      const auto& ms = tt.shape();
      bool agrees = ms.dim_size() == static_cast<int>(t.shape.size());
      for (int i = 0; agrees && i < ms.dim_size(); ++i)
        if (ms.dim(i).has_dim_value() && ms.dim(i).dim_value() != t.shape[static_cast<size_t>(i)]) agrees = false;
      if (!agrees)
        return err("--shape " + vi.name() + "=" + shapeToString(t.shape) + " does not fit the model's shape for '" +
                   vi.name() + "' (" + std::to_string(ms.dim_size()) + " dimensions, static ones must match)");
    }
    return t;
  }
  if (!tt.has_shape()) {
    if (isInput)
      return err("input '" + vi.name() + "' has no shape; give one with --shape " + vi.name() + "=DxDx...");
    return t;
  }
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const auto& d = tt.shape().dim(i);
    if (d.has_dim_value() && d.dim_value() > 0) {
      t.shape.push_back(d.dim_value());
    } else if (d.has_dim_value() && d.dim_value() == 0) {
      t.shape.push_back(0);
    } else if (isInput && i == 0 && tt.shape().dim_size() > 1) {
      warn("input '" + vi.name() + "': dynamic batch dimension '" + d.dim_param() +
           "' specialized to 1 (use --shape to choose another)");
      t.shape.push_back(1);
    } else if (isInput) {
      std::string dn = d.has_dim_param() ? "'" + d.dim_param() + "'" : std::to_string(i);
      return err("input '" + vi.name() + "' has dynamic dimension " + dn +
                 "; give a static shape with --shape " + vi.name() + "=DxDx...");
    } else {
      return t;  // outputs: our shape rules decide
    }
  }
  return t;
}

Expected<Attribute> Importer::importAttribute(const onnx::NodeProto& n, const onnx::AttributeProto& a) {
  Attribute r;
  switch (a.type()) {
    case onnx::AttributeProto::INT: r.kind = Attribute::Kind::Int; r.i = a.i(); break;
    case onnx::AttributeProto::FLOAT: r.kind = Attribute::Kind::Float; r.f = a.f(); break;
    case onnx::AttributeProto::STRING: r.kind = Attribute::Kind::String; r.s = a.s(); break;
    case onnx::AttributeProto::INTS:
      r.kind = Attribute::Kind::Ints;
      r.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case onnx::AttributeProto::FLOATS:
      r.kind = Attribute::Kind::Floats;
      r.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case onnx::AttributeProto::STRINGS:
      r.kind = Attribute::Kind::Strings;
      r.strings.assign(a.strings().begin(), a.strings().end());
      break;
    case onnx::AttributeProto::TENSOR: {
      auto t = tensorFromProto(a.t(), dirOf(path_));
      if (!t) return nodeErr(n, "attribute '" + a.name() + "': " + t.status().message());
      r.kind = Attribute::Kind::Tensor;
      r.tensor = std::make_shared<Tensor>(std::move(*t));
      break;
    }
    case onnx::AttributeProto::GRAPH:
    case onnx::AttributeProto::GRAPHS:
      return nodeErr(n, "attribute '" + a.name() + "' holds a subgraph; subgraphs are not supported yet");
    default:
      return nodeErr(n, "attribute '" + a.name() + "' has unsupported type " + std::to_string(a.type()));
  }
  return r;
}

Status Importer::importConstantNode(const onnx::NodeProto& n) {
  if (n.output_size() != 1) return nodeErr(n, "expected one output");
  Tensor t;
  bool have = false;
  for (const auto& a : n.attribute()) {
    have = true;
    if (a.name() == "value") {
      auto r = tensorFromProto(a.t(), dirOf(path_));
      if (!r) return nodeErr(n, r.status().message());
      t = std::move(*r);
    } else if (a.name() == "value_float") {
      t = Tensor::zeros(DType::Float32, {});
      float f = a.f();
      std::memcpy(t.bytes.data(), &f, 4);
    } else if (a.name() == "value_floats") {
      t = Tensor::zeros(DType::Float32, {a.floats_size()});
      for (int i = 0; i < a.floats_size(); ++i) {
        float f = a.floats(i);
        std::memcpy(t.bytes.data() + 4 * i, &f, 4);
      }
    } else if (a.name() == "value_int") {
      t = Tensor::fromInts(DType::Int64, {}, {a.i()});
    } else if (a.name() == "value_ints") {
      t = Tensor::fromInts(DType::Int64, {a.ints_size()}, std::vector<int64_t>(a.ints().begin(), a.ints().end()));
    } else {
      return nodeErr(n, "attribute '" + a.name() + "' is not supported (string or sparse constants)");
    }
  }
  if (!have) return nodeErr(n, "has no value attribute");
  Value* v = g_->addConstant(prefix_ + n.output(0), std::move(t));
  byName_[n.output(0)] = v;
  return Status::ok();
}

Status Importer::importNode(const onnx::NodeProto& n) {
  std::string domain = n.domain() == "ai.onnx" ? "" : n.domain();
  if (domain.empty() && n.op_type() == "Constant") return importConstantNode(n);
  auto kind = lookupOp(domain, n.op_type());
  if (!kind) {
    return nodeErr(n, "unsupported operator '" + (domain.empty() ? "" : domain + ".") + n.op_type() +
                          "' (opset " + std::to_string(opsets_[domain]) + ")");
  }
  std::vector<Value*> ins;
  for (const std::string& in : n.input()) {
    if (in.empty()) {
      ins.push_back(nullptr);
      continue;
    }
    auto it = byName_.find(in);
    if (it == byName_.end())
      return nodeErr(n, "input '" + in + "' is not produced by any node, initializer or graph input");
    ins.push_back(it->second);
  }
  if (domain.empty() && isControlFlow(n.op_type())) return importControlFlow(n, ins);
  std::vector<Value*> outs;
  for (const std::string& out : n.output()) {
    if (out.empty()) {
      outs.push_back(nullptr);
      continue;
    }
    if (byName_.count(out)) return nodeErr(n, "output '" + out + "' is defined twice");
    Value* v = g_->addValue(prefix_ + out, TensorType{});
    byName_[out] = v;
    outs.push_back(v);
  }
  Node* node = g_->addNode(*kind, nodeName(n), ins, outs);
  node->domain = domain;
  node->opset = opsets_[domain];
  for (const auto& a : n.attribute()) {
    auto attr = importAttribute(n, a);
    if (!attr) return attr.status();
    node->attrs[a.name()] = std::move(*attr);
  }
  return Status::ok();
}

Status Importer::importControlFlow(const onnx::NodeProto& n, const std::vector<Value*>& ins) {
  const std::string name = nodeName(n);
  InlineContext c{*g_, path_ + ": node '" + name + "' (" + n.op_type() + ")", name + "/", opsets_[""],
                  [this](const onnx::GraphProto& b, const std::vector<Value*>& a, const std::string& p) {
                    return importBody(b, a, p);
                  }};
  auto vals = inlineControlFlow(n, ins, c);
  if (!vals) return vals.status();
  // Each output becomes an Identity of the inlined value, under its ONNX name.
  for (int k = 0; k < n.output_size(); ++k) {
    const std::string& out = n.output(k);
    if (out.empty()) continue;
    Value* v = static_cast<size_t>(k) < vals->size() ? (*vals)[static_cast<size_t>(k)] : nullptr;
    if (!v) return nodeErr(n, "output '" + out + "' has no value");
    if (byName_.count(out)) return nodeErr(n, "output '" + out + "' is defined twice");
    Value* o = g_->addValue(prefix_ + out, TensorType{});
    g_->addNode(OpKind::Identity, name + "/" + out, {v}, {o})->opset = opsets_[""];
    byName_[out] = o;
  }
  return Status::ok();
}

Expected<std::vector<Value*>> Importer::importBody(const onnx::GraphProto& body, const std::vector<Value*>& args,
                                                   const std::string& prefix) {
  if (static_cast<size_t>(body.input_size()) != args.size())
    return err("subgraph '" + body.name() + "' has " + std::to_string(body.input_size()) + " inputs, expected " +
               std::to_string(args.size()));
  // The body sees the enclosing scope; its own names vanish when it ends.
  const std::map<std::string, Value*> outer = byName_;
  const std::string outerPrefix = prefix_;
  const int outerIndex = nodeIndex_;
  auto restore = [&]() {
    byName_ = outer;
    prefix_ = outerPrefix;
    nodeIndex_ = outerIndex;
  };
  prefix_ = prefix;
  for (int i = 0; i < body.input_size(); ++i) byName_[body.input(i).name()] = args[static_cast<size_t>(i)];
  for (const auto& init : body.initializer()) {
    auto t = tensorFromProto(init, dirOf(path_));
    if (!t) {
      restore();
      return err("initializer: " + t.status().message());
    }
    byName_[init.name()] = g_->addConstant(prefix + init.name(), std::move(*t));
  }
  Status st;
  for (int k = 0; k < body.node_size() && st; ++k) {
    nodeIndex_ = k;
    st = importNode(body.node(k));
  }
  std::vector<Value*> outs;
  for (int i = 0; i < body.output_size() && st; ++i) {
    auto it = byName_.find(body.output(i).name());
    if (it == byName_.end()) st = err("subgraph output '" + body.output(i).name() + "' is not produced by any node");
    else outs.push_back(it->second);
  }
  restore();
  if (!st) return st;
  return outs;
}

// Orders nodes so that every input is defined before use; ONNX requires this,
// but exporters do not always comply.
Status topoSort(const onnx::GraphProto& gp, std::vector<int>& order, const std::string& path) {
  std::set<std::string> known;
  for (const auto& i : gp.input()) known.insert(i.name());
  for (const auto& i : gp.initializer()) known.insert(i.name());
  std::vector<bool> done(static_cast<size_t>(gp.node_size()), false);
  size_t remaining = done.size();
  while (remaining) {
    bool progress = false;
    for (int k = 0; k < gp.node_size(); ++k) {
      if (done[static_cast<size_t>(k)]) continue;
      bool ready = true;
      for (const auto& in : gp.node(k).input())
        if (!in.empty() && !known.count(in)) ready = false;
      if (!ready) continue;
      done[static_cast<size_t>(k)] = true;
      --remaining;
      progress = true;
      order.push_back(k);
      for (const auto& out : gp.node(k).output()) known.insert(out);
    }
    if (!progress) {
      // The first node still waiting names the missing input.
      for (int k = 0; k < gp.node_size(); ++k) {
        if (done[static_cast<size_t>(k)]) continue;
        for (const auto& in : gp.node(k).input())
          if (!in.empty() && !known.count(in)) {
            std::string nm = gp.node(k).name().empty() ? gp.node(k).op_type() + "_" + std::to_string(k)
                                                       : gp.node(k).name();
            bool cycle = false;  // produced, but only by a node that waits too
            for (int j = 0; j < gp.node_size(); ++j)
              for (const auto& out : gp.node(j).output()) cycle = cycle || (!done[static_cast<size_t>(j)] && out == in);
            return Status::error(path + ": node '" + nm + "' (" + gp.node(k).op_type() + "): input '" + in +
                                 (cycle ? "' depends on the node's own output (the graph has a cycle)"
                                        : "' is not produced by any node, initializer or graph input"));
          }
      }
    }
  }
  return Status::ok();
}

Expected<std::unique_ptr<Graph>> Importer::run(const std::string& bytes) {
  if (bytes.empty()) return err("empty file, not an ONNX model");
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) return err("not a valid ONNX model (protobuf parse failed: truncated or corrupt file)");
  if (!model.has_graph() || model.ir_version() == 0)
    return err("not a valid ONNX model (no graph or no IR version)");
  {
    // Before the checker: our own ordering names the node and operator that
    // reads an undefined value, and sorts graphs that exporters left unsorted
    // (the checker rejects those).
    std::vector<int> order;
    TMLC_RETURN_IF_ERROR(topoSort(model.graph(), order, path_));
    google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
    for (int k : order) *sorted.Add() = model.graph().node(k);
    model.mutable_graph()->mutable_node()->Swap(&sorted);
    // Every graph output must be defined (libonnx's version converter crashes
    // on one that is not).
    std::set<std::string> defined;
    for (const auto& i : model.graph().input()) defined.insert(i.name());
    for (const auto& i : model.graph().initializer()) defined.insert(i.name());
    for (const auto& nd : model.graph().node()) defined.insert(nd.output().begin(), nd.output().end());
    for (const auto& o : model.graph().output())
      if (o.name().empty() || !defined.count(o.name()))
        return err("graph output '" + o.name() + "' is not produced by any node");
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    // One line: the checker's message may span several.
    std::string m;
    for (char c : std::string(e.what())) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      if (c == ' ' && (m.empty() || m.back() == ' ')) continue;
      m += c;
    }
    while (!m.empty() && m.back() == ' ') m.pop_back();
    if (m.size() > 400) m = m.substr(0, 400) + "...";
    return err("ONNX checker: " + m);
  }
  for (const auto& op : model.opset_import())
    opsets_[op.domain() == "ai.onnx" ? "" : op.domain()] = static_cast<int>(op.version());
  {
    // Operators of a newer opset may mean something else than what we know.
    const auto& known = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    auto it = known.find(onnx::ONNX_DOMAIN);
    if (it != known.end() && opsets_[""] > it->second.second)
      return err("opset " + std::to_string(opsets_[""]) + " is newer than the newest this tmlc knows (" +
                 std::to_string(it->second.second) + ")");
  }
  // libonnx's Scan 8 -> 9 adapter drops the batch axis from the graph's
  // declarations; Scan-8 models stay at their opset (control_flow.cpp reads both forms).
  // Likewise for adapters that change meaning: Hardmax 12 -> 13 keeps the axis
  // though opset 13 stopped coercing to 2-D, and Upsample 9 -> 10 / Resize
  // 10 -> 11 drop the asymmetric coordinates (softmax.cpp, resize.cpp read both forms).
  bool keepOpset = false;
  for (const auto& nd : model.graph().node()) {
    const std::string& op = nd.op_type();
    keepOpset = keepOpset || (op == "Scan" && opsets_[""] < 9) || (op == "Hardmax" && opsets_[""] < 13) ||
                ((op == "Upsample" || op == "Resize") && opsets_[""] < 11);
  }
  if (opts_.convertOpset && opsets_[""] > 0 && opsets_[""] < kTargetOpset && !keepOpset) {
    try {
      onnx::ModelProto converted = onnx::version_conversion::ConvertVersion(model, kTargetOpset);
      model = std::move(converted);
      opsets_[""] = kTargetOpset;
    } catch (const std::exception& e) {
      warn("opset " + std::to_string(opsets_[""]) + " kept: the version converter could not reach " +
           std::to_string(kTargetOpset));
    }
  }

  const onnx::GraphProto& gp = model.graph();
  g_ = std::make_unique<Graph>();
  g_->sourceFile = path_;
  g_->opset = opsets_[""];
  g_->name = gp.name();

  for (const auto& kv : opts_.shapes) {
    bool found = false;
    for (const auto& in : gp.input()) found = found || in.name() == kv.first;
    if (!found) return err("--shape " + kv.first + ": the model has no input '" + kv.first + "'");
  }
  for (const auto& kv : opts_.constInputs) {
    bool found = false;
    for (const auto& in : gp.input()) found = found || in.name() == kv.first;
    if (!found) return err("--const-input " + kv.first + ": the model has no input '" + kv.first + "'");
  }
  std::set<std::string> initNames;
  for (const auto& init : gp.initializer()) {
    auto t = tensorFromProto(init, dirOf(path_));
    if (!t) return err("initializer: " + t.status().message());
    Value* v = g_->addConstant(init.name(), std::move(*t));
    byName_[init.name()] = v;
    initNames.insert(init.name());
  }
  for (const auto& in : gp.input()) {
    if (initNames.count(in.name())) continue;  // an initializer listed as input: a constant
    auto fixed = opts_.constInputs.find(in.name());
    if (fixed != opts_.constInputs.end()) {
      byName_[in.name()] = g_->addConstant(in.name(), fixed->second);
      continue;
    }
    auto t = valueType(in, true);
    if (!t) return t.status();
    if (tensorBytes(t->dtype, t->shape) < 0)
      return err("input '" + in.name() + "' of shape " + shapeToString(t->shape) + " is too large");
    Value* v = g_->addValue(in.name(), *t);
    v->graphInput = static_cast<int>(g_->inputs.size());
    g_->inputs.push_back(v);
    byName_[in.name()] = v;
  }
  std::vector<int> order;
  TMLC_RETURN_IF_ERROR(topoSort(gp, order, path_));
  for (int k : order) {
    nodeIndex_ = k;
    TMLC_RETURN_IF_ERROR(importNode(gp.node(k)));
  }
  for (const auto& out : gp.output()) {
    auto it = byName_.find(out.name());
    if (it == byName_.end()) return err("graph output '" + out.name() + "' is not produced by any node");
    Value* v = it->second;
    auto t = valueType(out, false);
    if (t && v->type.dtype == DType::Undefined) v->type.dtype = t->dtype;
    g_->outputs.push_back(v);
  }
  for (size_t k = 0; k < g_->outputs.size(); ++k)
    if (g_->outputs[k]->graphOutput < 0) g_->outputs[k]->graphOutput = static_cast<int>(k);
  if (g_->outputs.empty()) return err("the graph has no outputs");
  Status st = inferShapes(*g_);
  if (!st) return st;
  return std::move(g_);
}

// Evaluates a node whose inputs are all known (Shape and Size need only a
// static shape) and attaches the results to its outputs, so that the shape
// rules of later nodes see them: PyTorch computes Reshape's shape input with
// Shape -> Gather -> Unsqueeze -> Concat. The node stays; passes/fold_constants
// removes it. A node that cannot be evaluated is left for the pass to report.
void foldIfConstant(Node& n) {
  const OpDef& def = opDef(n.kind);
  if (!def.eval) return;
  if (n.kind != OpKind::Shape && n.kind != OpKind::Size)
    for (const Value* i : n.inputs)
      if (i && !i->isConstant()) return;
  std::vector<Tensor> outs;
  if (!def.eval(n, outs) || outs.size() < n.outputs.size()) return;
  for (size_t k = 0; k < n.outputs.size(); ++k) {
    const Value* o = n.outputs[k];
    if (o && (outs[k].shape != o->type.shape || outs[k].dtype != o->type.dtype)) return;
  }
  for (size_t k = 0; k < n.outputs.size(); ++k)
    if (Value* o = n.outputs[k]) o->constant = std::make_shared<Tensor>(std::move(outs[k]));
}

}  // namespace

// One node's shape rule, the size check of its outputs, then folding.
Status inferNode(Graph& g, Node& n) {
  for (Value* in : n.inputs)
    if (in && in->type.dtype == DType::Undefined)
      return Status::error(g.sourceFile + ": " + n.where() + ": input '" + in->name + "' has no type");
  Status st = opDef(n.kind).infer(n);
  if (!st) return Status::error(g.sourceFile + ": " + n.where() + ": " + st.message());
  for (const Value* o : n.outputs)
    if (o && tensorBytes(o->type.dtype, o->type.shape) < 0)
      return Status::error(g.sourceFile + ": " + n.where() + ": output '" + o->name + "' of shape " +
                           shapeToString(o->type.shape) + " is too large or has a negative dimension");
  foldIfConstant(n);
  return Status::ok();
}

Status inferShapes(Graph& g) {
  for (auto& n : g.nodes) TMLC_RETURN_IF_ERROR(inferNode(g, *n));
  return Status::ok();
}

Status inferShapesFor(Graph& g, const Value* v) {
  // The producers v depends on, inputs before users (iterative post-order).
  std::vector<Node*> order;
  std::set<const Node*> seen;
  std::vector<std::pair<Node*, size_t>> stack;
  auto visit = [&](const Value* x) {
    if (x && !x->isConstant() && x->producer && seen.insert(x->producer).second) stack.push_back({x->producer, 0});
  };
  visit(v);
  while (!stack.empty()) {
    Node* n = stack.back().first;
    const size_t k = stack.back().second++;
    if (k < n->inputs.size()) {
      visit(n->inputs[k]);
      continue;
    }
    order.push_back(n);
    stack.pop_back();
  }
  for (Node* n : order) TMLC_RETURN_IF_ERROR(inferNode(g, *n));
  return Status::ok();
}

Expected<std::unique_ptr<Graph>> importOnnxBytes(const std::string& bytes, const std::string& path,
                                                 const ImportOptions& opts) {
  Importer imp(path, opts);
  return imp.run(bytes);
}

Expected<std::unique_ptr<Graph>> importOnnx(const std::string& path, const ImportOptions& opts) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::error(path + ": cannot open file");
  std::stringstream ss;
  ss << f.rdbuf();
  return importOnnxBytes(ss.str(), path, opts);
}

}  // namespace tmlc
