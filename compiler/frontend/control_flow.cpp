// control_flow.cpp: inlining of If, Loop and Scan; see control_flow.h.
//
// Constant conditions and trip counts come from the importer's own shape
// inference, which folds constant expressions as it goes (inferShapesFor): it
// runs over the nodes a decision depends on before it is read, so a trip
// count computed by Sub/Div/Ceil/Cast of initializers is known.
#include "frontend/control_flow.h"

#include <algorithm>
#include <set>

#include "frontend/onnx_import.h"
#include "onnx/onnx_pb.h"
#include "ops/op_def.h"

namespace tmlc {

namespace {

// Unrolling stops with an error beyond this many iterations (a Loop whose
// condition never turns false, or an unreasonably large model).
constexpr int64_t kMaxIterations = 4096;

Status error(const InlineContext& c, const std::string& msg) { return Status::error(c.where + ": " + msg); }

// The graph input that keeps v from being constant, if any (depth first,
// each value visited once).
const Value* blockingInput(const Value* v) {
  std::vector<const Value*> todo = {v};
  std::set<const Value*> seen;
  while (!todo.empty()) {
    const Value* x = todo.back();
    todo.pop_back();
    if (x->isConstant() || !seen.insert(x).second) continue;
    if (!x->producer) return x;
    for (auto it = x->producer->inputs.rbegin(); it != x->producer->inputs.rend(); ++it)
      if (*it) todo.push_back(*it);
  }
  return nullptr;
}

// The compile-time value of v, which decides `role` ("the condition").
Expected<Tensor> constantOf(InlineContext& c, const Value* v, const std::string& role) {
  if (!v->isConstant()) {
    TMLC_RETURN_IF_ERROR(inferShapesFor(c.graph, v));
  }
  if (v->isConstant()) return *v->constant;
  if (const Value* b = blockingInput(v))
    return error(c, "input '" + b->name + "' ('" + b->name +
                        "') must be a compile-time constant (an initializer, or --const-input): " + role +
                        " depends on it");
  return error(c, role + " cannot be computed at compile time; control flow that depends on run-time values is "
                     "not supported");
}

Expected<Value*> addOp(InlineContext& c, const char* op, std::vector<Value*> ins,
                       std::map<std::string, Attribute> attrs, const std::string& name) {
  auto kind = lookupOp("", op);
  if (!kind) return error(c, std::string("unrolling needs operator ") + op + ", which is not supported");
  Value* out = c.graph.addValue(c.graph.uniqueValueName(c.prefix + name), TensorType{});
  Node* n = c.graph.addNode(*kind, c.prefix + name, std::move(ins), {out});
  n->attrs = std::move(attrs);
  n->opset = c.opset;
  return out;
}

Value* constInts(InlineContext& c, const std::string& name, const Shape& shape, const std::vector<int64_t>& v) {
  return c.graph.addConstant(c.graph.uniqueValueName(c.prefix + name), Tensor::fromInts(DType::Int64, shape, v));
}

Attribute intAttr(int64_t v) {
  Attribute a;
  a.kind = Attribute::Kind::Int;
  a.i = v;
  return a;
}

// vals[i] stacked along a new axis (Unsqueeze each, then Concat).
Expected<Value*> stack(InlineContext& c, const std::vector<Value*>& vals, int64_t axis, const std::string& name) {
  Value* axes = constInts(c, name + "_axes", {1}, {axis});
  std::vector<Value*> parts;
  for (size_t i = 0; i < vals.size(); ++i) {
    auto u = addOp(c, "Unsqueeze", {vals[i], axes}, {}, name + "_unsqueeze" + std::to_string(i));
    if (!u) return u;
    parts.push_back(*u);
  }
  if (parts.size() == 1) return parts[0];
  return addOp(c, "Concat", parts, {{"axis", intAttr(axis)}}, name + "_concat");
}

// Element `index` of x along `axis`, with that axis removed.
Expected<Value*> slice(InlineContext& c, Value* x, int64_t index, int64_t axis, const std::string& name) {
  Value* idx = constInts(c, name + "_index", {}, {index});
  return addOp(c, "Gather", {x, idx}, {{"axis", intAttr(axis)}}, name);
}

const onnx::AttributeProto* findAttr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::vector<int64_t> intsAttr(const onnx::NodeProto& n, const std::string& name, size_t count, int64_t dflt) {
  const onnx::AttributeProto* a = findAttr(n, name);
  std::vector<int64_t> r(count, dflt);
  if (a)
    for (size_t i = 0; i < count && i < static_cast<size_t>(a->ints_size()); ++i) r[i] = a->ints(static_cast<int>(i));
  return r;
}

Expected<const onnx::GraphProto*> graphAttr(const InlineContext& c, const onnx::NodeProto& n, const std::string& name) {
  const onnx::AttributeProto* a = findAttr(n, name);
  if (!a || !a->has_g()) return error(c, "attribute '" + name + "' (a subgraph) is missing");
  return &a->g();
}

Expected<std::vector<Value*>> inlineIf(const onnx::NodeProto& n, const std::vector<Value*>& ins, InlineContext& c) {
  if (ins.size() != 1 || !ins[0]) return error(c, "expected one input, the condition");
  auto cond = constantOf(c, ins[0], "the condition");
  if (!cond) return cond.status();
  if (cond->numel() != 1) return error(c, "the condition must hold one value");
  const bool taken = cond->getDouble(0) != 0.0;
  auto body = graphAttr(c, n, taken ? "then_branch" : "else_branch");
  if (!body) return body.status();
  auto outs = c.importBody(**body, {}, c.prefix + (taken ? "then/" : "else/"));
  if (!outs) return outs.status();
  if (outs->size() != static_cast<size_t>(n.output_size()))
    return error(c, "the branch has " + std::to_string(outs->size()) + " outputs, the node " +
                        std::to_string(n.output_size()));
  return outs;
}

Expected<std::vector<Value*>> inlineLoop(const onnx::NodeProto& n, const std::vector<Value*>& ins, InlineContext& c) {
  if (ins.size() < 2) return error(c, "expected the trip count and condition inputs");
  auto body = graphAttr(c, n, "body");
  if (!body) return body.status();
  const size_t N = ins.size() - 2;
  if (static_cast<size_t>((*body)->output_size()) < 1 + N)
    return error(c, "the body has too few outputs for " + std::to_string(N) + " loop-carried values");
  const size_t K = static_cast<size_t>((*body)->output_size()) - 1 - N;
  if (static_cast<size_t>(n.output_size()) > N + K) return error(c, "the node has more outputs than the body gives");

  int64_t trips = kMaxIterations + 1;
  if (ins[0]) {
    auto m = constantOf(c, ins[0], "the trip count");
    if (!m) return m.status();
    if (m->numel() != 1) return error(c, "the trip count must hold one value");
    trips = m->getInt(0);
  }
  bool cond = true;
  if (ins[1]) {
    auto v = constantOf(c, ins[1], "the loop condition");
    if (!v) return v.status();
    cond = v->getDouble(0) != 0.0;
  }
  std::vector<Value*> carried(ins.begin() + 2, ins.end());
  std::vector<std::vector<Value*>> scans(K);
  int64_t i = 0;
  for (; i < trips && cond; ++i) {
    if (i >= kMaxIterations)
      return error(c, "the loop runs more than " + std::to_string(kMaxIterations) +
                          " iterations; unrolling it is not supported");
    const std::string it = c.prefix + "it" + std::to_string(i) + "/";
    std::vector<Value*> args = {constInts(c, "it" + std::to_string(i) + "_iter", {}, {i}), nullptr};
    Tensor cv = Tensor::zeros(DType::Bool, {});
    cv.bytes[0] = 1;
    args[1] = c.graph.addConstant(c.graph.uniqueValueName(it + "cond"), cv);
    args.insert(args.end(), carried.begin(), carried.end());
    auto outs = c.importBody(**body, args, it);
    if (!outs) return outs.status();
    if (ins[1]) {
      auto v = constantOf(c, (*outs)[0], "the loop condition");
      if (!v) return v.status();
      cond = v->getDouble(0) != 0.0;
    }
    for (size_t k = 0; k < N; ++k) carried[k] = (*outs)[1 + k];
    for (size_t k = 0; k < K; ++k) scans[k].push_back((*outs)[1 + N + k]);
  }
  std::vector<Value*> result = carried;
  for (size_t k = 0; k < K; ++k) {
    if (k + N >= static_cast<size_t>(n.output_size()) || n.output(static_cast<int>(N + k)).empty()) {
      result.push_back(nullptr);
      continue;
    }
    if (scans[k].empty()) return error(c, "a loop that runs no iteration has empty scan outputs, which are not supported");
    auto s = stack(c, scans[k], 0, "scan" + std::to_string(k));
    if (!s) return s.status();
    result.push_back(*s);
  }
  result.resize(static_cast<size_t>(n.output_size()));
  return result;
}

// One Scan (opset 9 form) over `states` and `scanIns`; axes and directions
// per scan input and output.
Expected<std::vector<Value*>> scanOnce(const onnx::NodeProto& n, const onnx::GraphProto& body,
                                       std::vector<Value*> states, const std::vector<Value*>& scanIns,
                                       const std::vector<int64_t>& inAxes, const std::vector<int64_t>& inDirs,
                                       const std::string& tag, InlineContext& c) {
  TMLC_RETURN_IF_ERROR(inferShapes(c.graph));
  const size_t N = states.size(), M = scanIns.size();
  if (static_cast<size_t>(body.output_size()) < N) return error(c, "the body has fewer outputs than state variables");
  const size_t K = static_cast<size_t>(body.output_size()) - N;
  int64_t len = -1;
  std::vector<int64_t> axes(M);
  for (size_t j = 0; j < M; ++j) {
    const Shape& s = scanIns[j]->type.shape;
    const int64_t r = static_cast<int64_t>(s.size());
    axes[j] = inAxes[j] < 0 ? inAxes[j] + r : inAxes[j];
    if (axes[j] < 0 || axes[j] >= r) return error(c, "scan_input_axes is out of range");
    if (len >= 0 && s[static_cast<size_t>(axes[j])] != len) return error(c, "scan inputs differ in length");
    len = s[static_cast<size_t>(axes[j])];
  }
  if (len <= 0) return error(c, "a Scan over no elements is not supported");
  if (len > kMaxIterations) return error(c, "unrolling a Scan of " + std::to_string(len) + " steps is not supported");
  std::vector<std::vector<Value*>> scans(K);
  for (int64_t t = 0; t < len; ++t) {
    const std::string it = tag + "it" + std::to_string(t);
    std::vector<Value*> args = states;
    for (size_t j = 0; j < M; ++j) {
      auto s = slice(c, scanIns[j], inDirs[j] ? len - 1 - t : t, axes[j], it + "_in" + std::to_string(j));
      if (!s) return s.status();
      args.push_back(*s);
    }
    auto outs = c.importBody(body, args, c.prefix + it + "/");
    if (!outs) return outs.status();
    for (size_t k = 0; k < N; ++k) states[k] = (*outs)[k];
    for (size_t k = 0; k < K; ++k) scans[k].push_back((*outs)[N + k]);
  }
  TMLC_RETURN_IF_ERROR(inferShapes(c.graph));
  const std::vector<int64_t> outAxes = intsAttr(n, "scan_output_axes", K, 0);
  const std::vector<int64_t> outDirs = intsAttr(n, "scan_output_directions", K, 0);
  std::vector<Value*> result = states;
  for (size_t k = 0; k < K; ++k) {
    std::vector<Value*> v = scans[k];
    if (outDirs[k]) std::reverse(v.begin(), v.end());
    const int64_t r = static_cast<int64_t>(v[0]->type.shape.size()) + 1;
    const int64_t a = outAxes[k] < 0 ? outAxes[k] + r : outAxes[k];
    if (a < 0 || a >= r) return error(c, "scan_output_axes is out of range");
    auto s = stack(c, v, a, tag + "scan" + std::to_string(k));
    if (!s) return s.status();
    result.push_back(*s);
  }
  return result;
}

Expected<std::vector<Value*>> inlineScan(const onnx::NodeProto& n, const std::vector<Value*>& ins, InlineContext& c) {
  auto body = graphAttr(c, n, "body");
  if (!body) return body.status();
  const onnx::AttributeProto* msAttr = findAttr(n, "num_scan_inputs");
  if (!msAttr) return error(c, "attribute 'num_scan_inputs' is missing");
  const size_t M = static_cast<size_t>(msAttr->i());
  if (c.opset >= 9) {
    if (M > ins.size()) return error(c, "num_scan_inputs exceeds the inputs");
    for (const Value* v : ins)
      if (!v) return error(c, "an omitted Scan input is not valid");
    const size_t N = ins.size() - M;
    std::vector<Value*> states(ins.begin(), ins.begin() + static_cast<long>(N));
    std::vector<Value*> scanIns(ins.begin() + static_cast<long>(N), ins.end());
    return scanOnce(n, **body, states, scanIns, intsAttr(n, "scan_input_axes", M, 0),
                    intsAttr(n, "scan_input_directions", M, 0), "", c);
  }
  // Opset 8: an optional sequence_lens first, then states and scan inputs
  // that all have a leading batch axis; the scan axis follows it.
  if (ins.empty() || M + 1 > ins.size()) return error(c, "num_scan_inputs exceeds the inputs");
  const size_t N = ins.size() - 1 - M;
  for (size_t i = 1; i < ins.size(); ++i)
    if (!ins[i]) return error(c, "an omitted Scan input is not valid");
  TMLC_RETURN_IF_ERROR(inferShapes(c.graph));
  const int64_t batch = ins[1]->type.shape.empty() ? 0 : ins[1]->type.shape[0];
  if (ins[0]) {
    auto lens = constantOf(c, ins[0], "sequence_lens");
    if (!lens) return lens.status();
    const int64_t full = ins[1 + N]->type.shape.size() > 1 ? ins[1 + N]->type.shape[1] : -1;
    for (int64_t b = 0; b < lens->numel(); ++b)
      if (lens->getInt(b) != full) return error(c, "sequence_lens shorter than the scan inputs is not supported");
  }
  const std::vector<int64_t> dirs = intsAttr(n, "directions", M, 0);
  std::vector<std::vector<Value*>> perBatch;
  for (int64_t b = 0; b < batch; ++b) {
    const std::string tag = "b" + std::to_string(b) + "_";
    std::vector<Value*> states, scanIns;
    for (size_t i = 1; i < ins.size(); ++i) {
      auto s = slice(c, ins[i], b, 0, tag + "x" + std::to_string(i));
      if (!s) return s.status();
      (i <= N ? states : scanIns).push_back(*s);
    }
    auto outs = scanOnce(n, **body, states, scanIns, std::vector<int64_t>(M, 0), dirs, tag, c);
    if (!outs) return outs.status();
    perBatch.push_back(*outs);
  }
  if (perBatch.empty()) return error(c, "a Scan over an empty batch is not supported");
  std::vector<Value*> result;
  for (size_t k = 0; k < perBatch[0].size(); ++k) {
    std::vector<Value*> v;
    for (const auto& pb : perBatch) v.push_back(pb[k]);
    auto s = stack(c, v, 0, "batch" + std::to_string(k));
    if (!s) return s.status();
    result.push_back(*s);
  }
  return result;
}

}  // namespace

bool isControlFlow(const std::string& opType) { return opType == "If" || opType == "Loop" || opType == "Scan"; }

Expected<std::vector<Value*>> inlineControlFlow(const onnx::NodeProto& n, const std::vector<Value*>& inputs,
                                                InlineContext& c) {
  if (n.op_type() == "If") return inlineIf(n, inputs, c);
  if (n.op_type() == "Loop") return inlineLoop(n, inputs, c);
  return inlineScan(n, inputs, c);
}

}  // namespace tmlc
