// rnn.cpp: LSTM, GRU and RNN (one-layer recurrent networks), every direction,
// layout, activation list, clip, input_forget and linear_before_reset, with
// the optional inputs (B, sequence_lens, initial_h, initial_c, P) and outputs
// (Y, Y_h, Y_c). The three share attribute parsing and shape rules; G is the
// number of gates (4, 3, 1). Kernel: runtime/include/tmlc/kernels/rnn.h, whose
// working state lives in the node's arena scratch.
#include <algorithm>
#include <cctype>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/rnn.h"

namespace tmlc {

namespace {

int gatesOf(OpKind k) { return k == OpKind::LSTM ? 4 : k == OpKind::GRU ? 3 : 1; }
int funcsOf(OpKind k) { return k == OpKind::LSTM ? 3 : k == OpKind::GRU ? 2 : 1; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Name, kernel enum, how many alphas and betas it takes, their defaults
// (as ONNX Runtime applies them when the lists run short).
struct ActInfo {
  const char* name;
  RnnAct kind;
  int alphas, betas;
  float alpha, beta;
};
const ActInfo kActs[] = {
    {"relu", RnnAct::Relu, 0, 0, 0.f, 0.f},
    {"tanh", RnnAct::Tanh, 0, 0, 0.f, 0.f},
    {"sigmoid", RnnAct::Sigmoid, 0, 0, 0.f, 0.f},
    {"affine", RnnAct::Affine, 1, 1, 0.f, 0.f},
    {"leakyrelu", RnnAct::LeakyRelu, 1, 0, 0.01f, 0.f},
    {"thresholdedrelu", RnnAct::ThresholdedRelu, 1, 0, 0.f, 0.f},
    {"scaledtanh", RnnAct::ScaledTanh, 1, 1, 0.f, 0.f},
    {"hardsigmoid", RnnAct::HardSigmoid, 1, 1, 0.2f, 0.5f},
    {"elu", RnnAct::Elu, 1, 0, 1.f, 0.f},
    {"softsign", RnnAct::Softsign, 0, 0, 0.f, 0.f},
    {"softplus", RnnAct::Softplus, 0, 0, 0.f, 0.f},
};

struct RnnAttrs {
  tmlc::RnnParams p{};
  bool hasY = false, hasYh = false, hasYc = false;
};

Expected<RnnAttrs> parse(const Node& n) {
  const OpKind k = n.kind;
  const int G = gatesOf(k);
  RnnAttrs a;
  tmlc::RnnParams& p = a.p;
  const Shape& x = n.input(0)->type.shape;
  const Shape& w = n.input(1)->type.shape;
  const Shape& r = n.input(2)->type.shape;
  if (x.size() != 3) return Status::error("input X must have rank 3, got " + shapeToString(x));
  p.layout = static_cast<int32_t>(n.attrInt("layout", 0));
  if (p.layout != 0 && p.layout != 1) return Status::error("layout must be 0 or 1");
  const std::string dir = n.attrString("direction", "forward");
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    return Status::error("direction '" + dir + "' is not forward, reverse or bidirectional");
  p.dirs = dir == "bidirectional" ? 2 : 1;
  p.reverse = dir == "reverse";
  p.seq = static_cast<int32_t>(x[p.layout ? 1 : 0]);
  p.batch = static_cast<int32_t>(x[p.layout ? 0 : 1]);
  p.input = static_cast<int32_t>(x[2]);
  if (w.size() != 3 || r.size() != 3) return Status::error("W and R must have rank 3");
  p.hidden = static_cast<int32_t>(n.attrInt("hidden_size", r[2]));
  const int64_t H = p.hidden;
  if (w != Shape{p.dirs, G * H, p.input})
    return Status::error("W has shape " + shapeToString(w) + ", expected " +
                         shapeToString({p.dirs, G * H, p.input}));
  if (r != Shape{p.dirs, G * H, H})
    return Status::error("R has shape " + shapeToString(r) + ", expected " + shapeToString({p.dirs, G * H, H}));
  const Shape stateShape = p.layout ? Shape{p.batch, p.dirs, H} : Shape{p.dirs, p.batch, H};
  struct Opt { size_t index; const char* name; Shape shape; };
  std::vector<Opt> opts = {{3, "B", {p.dirs, 2 * G * H}}, {5, "initial_h", stateShape}};
  if (k == OpKind::LSTM) {
    opts.push_back({6, "initial_c", stateShape});
    opts.push_back({7, "P", {p.dirs, 3 * H}});
  }
  for (const Opt& o : opts)
    if (const Value* v = n.input(o.index))
      if (v->type.shape != o.shape)
        return Status::error(std::string("input ") + o.name + " has shape " + shapeToString(v->type.shape) +
                             ", expected " + shapeToString(o.shape));
  if (const Value* sl = n.input(4)) {
    if (sl->type.shape != Shape{p.batch}) return Status::error("sequence_lens must have shape [batch]");
    if (sl->type.dtype != DType::Int32) return Status::error("sequence_lens must be int32");
  }
  p.clip = n.attrFloat("clip", 0.f);
  p.input_forget = static_cast<int32_t>(n.attrInt("input_forget", 0) != 0);
  p.linear_before_reset = static_cast<int32_t>(n.attrInt("linear_before_reset", 0) != 0);

  // Activations: funcsOf(k) per direction; one direction's list serves both.
  const int F = funcsOf(k);
  std::vector<std::string> names = n.attr("activations") ? n.attr("activations")->strings
                                                         : std::vector<std::string>{};
  if (names.empty()) {
    if (k == OpKind::RNN) names = {"Tanh"};
    else if (k == OpKind::GRU) names = {"Sigmoid", "Tanh"};
    else names = {"Sigmoid", "Tanh", "Tanh"};
  }
  if (static_cast<int>(names.size()) == F && p.dirs == 2) {
    const std::vector<std::string> one = names;
    names.insert(names.end(), one.begin(), one.end());
  }
  if (static_cast<int>(names.size()) != F * p.dirs)
    return Status::error("activations lists " + std::to_string(names.size()) + " functions, expected " +
                         std::to_string(F * p.dirs));
  const std::vector<float> alphas = n.attrFloats("activation_alpha"), betas = n.attrFloats("activation_beta");
  size_t ai = 0, bi = 0;
  for (int d = 0; d < p.dirs; ++d)
    for (int f = 0; f < 3; ++f) {
      tmlc::RnnActivation& act = p.act[d][f];
      act = {RnnAct::Tanh, 0.f, 0.f};
      if (f >= F) continue;
      const std::string nm = lower(names[static_cast<size_t>(d * F + f)]);
      const ActInfo* info = nullptr;
      for (const ActInfo& ai2 : kActs)
        if (nm == ai2.name) info = &ai2;
      if (!info) return Status::error("activation '" + names[static_cast<size_t>(d * F + f)] + "' is not supported");
      act.kind = info->kind;
      act.alpha = info->alphas && ai < alphas.size() ? alphas[ai++] : info->alpha;
      act.beta = info->betas && bi < betas.size() ? betas[bi++] : info->beta;
    }
  a.hasY = n.output(0) != nullptr;
  a.hasYh = n.output(1) != nullptr;
  a.hasYc = n.output(2) != nullptr;
  return a;
}

Status infer(Node& n) {
  const OpKind k = n.kind;
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, k == OpKind::LSTM ? 8 : 6));
  if (n.outputs.size() > (k == OpKind::LSTM ? 3u : 2u)) return Status::error("too many outputs");
  const DType dt = n.input(0)->type.dtype;
  if (dt != DType::Float32 && dt != DType::Float64)
    return Status::error(std::string("element type ") + dtypeName(dt) + " is not supported (float or double)");
  for (size_t i : {1, 2, 3, 5, 6, 7})
    if (const Value* v = n.input(i))
      if (v->type.dtype != dt) return Status::error("input " + std::to_string(i) + " type differs from X");
  auto a = parse(n);
  if (!a) return a.status();
  const tmlc::RnnParams& p = a->p;
  const int64_t S = p.seq, B = p.batch, D = p.dirs, H = p.hidden;
  setOutput(n, 0, dt, p.layout ? Shape{B, S, D, H} : Shape{S, D, B, H});
  const Shape state = p.layout ? Shape{B, D, H} : Shape{D, B, H};
  setOutput(n, 1, dt, state);
  setOutput(n, 2, dt, state);
  return Status::ok();
}

std::string printParams(const tmlc::RnnParams& p) {
  static const char* const kNames[] = {"Relu",        "Tanh",  "Sigmoid",     "Affine",
                                       "LeakyRelu",   "ThresholdedRelu", "ScaledTanh", "HardSigmoid",
                                       "Elu",         "Softsign",        "Softplus"};
  auto s = [](int32_t v) { return std::to_string(v); };
  std::string acts = "{";
  for (int d = 0; d < 2; ++d) {
    acts += d ? ", {" : "{";
    for (int f = 0; f < 3; ++f) {
      const tmlc::RnnActivation& a = p.act[d][f];
      acts += std::string(f ? ", " : "") + "{tmlc::RnnAct::" + kNames[static_cast<int>(a.kind)] + ", " +
              EmitContext::floatLiteral(a.alpha) + ", " + EmitContext::floatLiteral(a.beta) + "}";
    }
    acts += "}";
  }
  acts += "}";
  return "{/*seq*/ " + s(p.seq) + ", /*batch*/ " + s(p.batch) + ", /*input*/ " + s(p.input) + ", /*hidden*/ " +
         s(p.hidden) + ", /*dirs*/ " + s(p.dirs) + ", /*reverse*/ " + s(p.reverse) + ", /*layout*/ " +
         s(p.layout) + ", /*clip*/ " + EmitContext::floatLiteral(p.clip) + ", /*input_forget*/ " +
         s(p.input_forget) + ", /*linear_before_reset*/ " + s(p.linear_before_reset) + ", " + acts + "}";
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/rnn.h");
  auto a = parse(n);
  if (!a) return a.status();
  const std::string name = ctx.params(n, "tmlc::RnnParams", printParams(a->p));
  const std::string T = EmitContext::ctype(n.input(0));
  const std::string A = n.input(0)->type.dtype == DType::Float64 ? "double" : "float";
  std::string args = name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) +
                     ", " + ctx.refOrNull(n.input(3)) + ", " + ctx.refOrNull(n.input(4)) + ", " +
                     ctx.refOrNull(n.input(5));
  if (n.kind == OpKind::LSTM) args += ", " + ctx.refOrNull(n.input(6)) + ", " + ctx.refOrNull(n.input(7));
  // An omitted optional input is a typed null (sequence_lens is int32).
  args += ", " + ctx.refOrNull(n.output(0)) + ", " + ctx.refOrNull(n.output(1));
  if (n.kind == OpKind::LSTM) args += ", " + ctx.refOrNull(n.output(2));
  args += ", " + ctx.scratch(n, A);
  const char* fn = n.kind == OpKind::LSTM ? "lstm" : n.kind == OpKind::GRU ? "gru" : "rnn";
  ctx.call(std::string("tmlc::") + fn + "<" + T + ">(" + args + ");");
  return Status::ok();
}

size_t scratch(const Node& n) {
  auto a = parse(n);
  if (!a) return 0;
  const size_t elem = n.input(0)->type.dtype == DType::Float64 ? 8 : 4;
  return elem * static_cast<size_t>(tmlc::rnn_scratch_elems(a->p, gatesOf(n.kind)));
}

int64_t macs(const Node& n) {
  auto a = parse(n);
  if (!a) return 0;
  const tmlc::RnnParams& p = a->p;
  return int64_t(p.seq) * p.dirs * p.batch * gatesOf(n.kind) * p.hidden * (p.input + p.hidden);
}

}  // namespace

extern const OpDef kOp_LSTM = {OpKind::LSTM, "", "LSTM", infer, emit, nullptr, scratch, macs, false, false};
extern const OpDef kOp_GRU = {OpKind::GRU, "", "GRU", infer, emit, nullptr, scratch, macs, false, false};
extern const OpDef kOp_RNN = {OpKind::RNN, "", "RNN", infer, emit, nullptr, scratch, macs, false, false};

}  // namespace tmlc
