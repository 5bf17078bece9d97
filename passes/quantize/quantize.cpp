#include "passes/quantize/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "ops/op_def.h"
#include "ops/qint/qint_util.h"
#include "passes/quantize/fold_qdq.h"
#include "passes/quantize/quant_math.h"
#include "tmlc/kernels/int8/softmax.h"

namespace tmlc {

namespace {

// Layout of an integer value. First: the float model's own layout and shape.
// Last: channels-last, IR shape [N, H, W, C] for the model's [N, C, H, W].
// FlatLast: a Flatten of channels-last data, [N, H*W*C] ordered (pixel, channel).
enum class Lay { First, Last, FlatLast };

struct QVal {
  Value* q = nullptr;
  Lay lay = Lay::First;
  int64_t c = 0, inner = 0;  // FlatLast: channels and pixels per row
};

Shape toLast(const Shape& s) {
  Shape r = {s[0]};
  r.insert(r.end(), s.begin() + 2, s.end());
  r.push_back(s[1]);
  return r;
}

// NCHW axis -> NHWC axis for rank 4.
int64_t axisToLast(int64_t a) {
  static const int64_t kMap[] = {0, 3, 1, 2};
  return kMap[a];
}

bool asActivation(const Node& n, Activation& a) {
  switch (n.kind) {
    case OpKind::Relu: a = {Act::Relu, 0, 0}; return true;
    case OpKind::LeakyRelu: a = {Act::LeakyRelu, n.attrFloat("alpha", 0.01f), 0}; return true;
    case OpKind::Sigmoid: a = {Act::Sigmoid, 0, 0}; return true;
    case OpKind::Tanh: a = {Act::Tanh, 0, 0}; return true;
    case OpKind::HardSwish: a = {Act::HardSwish, 0, 0}; return true;
    case OpKind::HardSigmoid:
      a = {Act::HardSigmoid, n.attrFloat("alpha", 0.2f), n.attrFloat("beta", 0.5f)};
      return true;
    case OpKind::Clip: {
      float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
      if (n.hasAttr("min")) lo = n.attrFloat("min", lo);
      if (n.hasAttr("max")) hi = n.attrFloat("max", hi);
      if (const Value* v = n.input(1)) {
        if (!v->isConstant()) return false;
        lo = static_cast<float>(v->constant->getDouble(0));
      }
      if (const Value* v = n.input(2)) {
        if (!v->isConstant()) return false;
        hi = static_cast<float>(v->constant->getDouble(0));
      }
      a = {Act::Clip, lo, hi};
      return true;
    }
    default: return false;
  }
}

bool integerActivation(const Activation& a) {
  return a.kind == Act::None || a.kind == Act::Relu || a.kind == Act::Clip;
}

// Explicit [top, left, bottom, right] pads of a 2-D window op, auto_pad resolved
// against the float node's known output size.
std::vector<int64_t> windowPads(const Node& n, const Shape& x, const Shape& y, const std::vector<int64_t>& k,
                                const std::vector<int64_t>& s, const std::vector<int64_t>& d) {
  const std::string autoPad = n.attrString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") return n.attrInts("pads", {0, 0, 0, 0});
  std::vector<int64_t> p(4, 0);
  if (autoPad == "VALID") return p;
  for (int i = 0; i < 2; ++i) {
    const int64_t total = std::max<int64_t>(0, (y[2 + i] - 1) * s[i] + (k[i] - 1) * d[i] + 1 - x[2 + i]);
    const int64_t begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
    p[i] = begin;
    p[2 + i] = total - begin;
  }
  return p;
}

Tensor int32Tensor(const std::vector<int32_t>& v) {
  Tensor t = Tensor::zeros(DType::Int32, {static_cast<int64_t>(v.size())});
  std::copy(v.begin(), v.end(), t.data<int32_t>());
  return t;
}

// An int8 or int16 tensor (the activation type) of quantized values.
Tensor intTensor(DType t, const std::vector<int32_t>& v, const Shape& shape) {
  Tensor r = Tensor::zeros(t, shape);
  for (size_t i = 0; i < v.size(); ++i) {
    if (t == DType::Int16) r.data<int16_t>()[i] = static_cast<int16_t>(v[i]);
    else r.data<int8_t>()[i] = static_cast<int8_t>(v[i]);
  }
  return r;
}

Tensor int8Tensor(const std::vector<int8_t>& v, const Shape& shape) {
  Tensor t = Tensor::zeros(DType::Int8, shape);
  std::copy(v.begin(), v.end(), t.data<int8_t>());
  return t;
}

class Quantizer {
 public:
  Quantizer(Graph& g, const PassOptions& o)
      : g_(g), o_(o), qdq_(o.quant.mode.empty()), act_(o.quant.mode == "int16x8" ? DType::Int16 : DType::Int8), qlo_(qmin(act_)),
        qhi_(qmax(act_)), kMaxPool_(lookupOp("", "MaxPool")), kAveragePool_(lookupOp("", "AveragePool")),
        kGlobalAveragePool_(lookupOp("", "GlobalAveragePool")), kGlobalMaxPool_(lookupOp("", "GlobalMaxPool")),
        kSoftmax_(lookupOp("", "Softmax")), kConcat_(lookupOp("", "Concat")), kMatMul_(lookupOp("", "MatMul")),
        kPad_(lookupOp("", "Pad")), kQLinearAveragePool_(lookupOp("com.microsoft", "QLinearAveragePool")) {
    // Pure data movement: the same operator runs on int8 data with the input's quantization.
    for (const char* name : {"Transpose", "Slice", "Split", "Expand", "Tile", "Gather", "DepthToSpace", "SpaceToDepth"})
      if (auto k = lookupOp("", name)) movement_.push_back(*k);
  }

  Status run() {
    std::vector<Node*> order;
    for (auto& n : g_.nodes) order.push_back(n.get());
    if (intIo()) intInputs(order.empty() ? nullptr : order.front());
    int floatNodes = 0, converted = 0;
    std::string firstFloat;
    for (Node* n : order) {
      at_ = n;
      skip_.clear();
      bool done = false;
      const size_t pairs = pairNodes_.size();
      TMLC_RETURN_IF_ERROR(convert(*n, done));
      if (done) {
        ++converted;
        n->dead = true;
        for (Value*& o : n->outputs) o = nullptr;
      } else if (producesFloat(*n) && !opDef(n->kind).alias && pairNodes_.size() == pairs) {
        ++floatNodes;
        if (firstFloat.empty()) firstFloat = n->where() + (skip_.empty() ? "" : ": " + skip_);
      }
    }
    at_ = nullptr;
    if (intIo()) TMLC_RETURN_IF_ERROR(intOutputs());
    resolvePairs();
    // Float values keep no quantization: it described their calibrated range only.
    for (auto& v : g_.values)
      if (isFloat(v->type.dtype)) v->type.quant.reset();
    if (floatNodes && converted && o_.warnings)
      o_.warnings->push_back(std::to_string(floatNodes) + " node(s) stay float in the int8 model, e.g. " +
                             firstFloat);
    g_.compact();
    return Status::ok();
  }

 private:
  Graph& g_;
  const PassOptions& o_;
  const bool qdq_;           // a QDQ model (no --quantize): the annotations are the model's own grids
  const DType act_;          // activation type: int8, or int16 for --quantize int16x8
  const int32_t qlo_, qhi_;  // its range
  std::optional<OpKind> kMaxPool_, kAveragePool_, kGlobalAveragePool_, kGlobalMaxPool_, kSoftmax_, kConcat_,
      kMatMul_, kPad_, kQLinearAveragePool_;
  std::vector<OpKind> movement_;
  std::map<Value*, QVal> q_;                          // float value -> its integer form
  std::map<std::pair<Value*, int>, Value*> inLayout_;  // (float value, layout) -> integer value in that layout
  // QDQ pairs (fold_qdq.h) whose integer readers read their source's integer
  // form: pair output -> source, and the DequantizeLinear nodes in graph order.
  std::map<Value*, Value*> pairs_;
  std::vector<Node*> pairNodes_;
  Node* at_ = nullptr;                                // the float node being replaced: new nodes go before it
  std::string skip_;                                  // why the current node stays float

  bool is(const Node& n, const std::optional<OpKind>& k) const { return k && n.kind == *k; }
  // --quantize-io int8 (int16 with int16x8): integer model inputs and outputs.
  bool intIo() const { return o_.quant.io == "int8" || o_.quant.io == "int16"; }

  static bool producesFloat(const Node& n) {
    for (const Value* o : n.outputs)
      if (o && isFloat(o->type.dtype)) return true;
    return false;
  }

  bool skip(const std::string& why) {
    skip_ = why;
    return false;
  }

  Node* add(OpKind k, const std::string& name, std::vector<Value*> ins, std::vector<Value*> outs) {
    Node* n = g_.addNode(k, name, std::move(ins), std::move(outs), at_);
    n->domain = opDef(k).domain;
    return n;
  }

  Value* newValue(const std::string& base, DType dt, Shape s, QuantParams q) {
    return g_.addValue(g_.uniqueValueName(base), TensorType{dt, std::move(s), std::move(q)});
  }

  Value* newConst(const std::string& base, Tensor t, std::optional<QuantParams> q = std::nullopt) {
    Value* v = g_.addConstant(g_.uniqueValueName(base), std::move(t));
    v->type.quant = std::move(q);
    return v;
  }

  static int key(Lay l) { return static_cast<int>(l); }

  // The value whose integer form stands for f: the source of f's QDQ pair(s), or f.
  Value* real(Value* f) const {
    for (auto it = pairs_.find(f); it != pairs_.end(); it = pairs_.find(f)) f = it->second;
    return f;
  }

  // The integer form of float value f in layout `want`, converting or
  // quantizing (at the current insertion point) as needed.
  Expected<Value*> get(Value* f, Lay want) {
    f = real(f);
    auto hit = inLayout_.find({f, key(want)});
    if (hit != inLayout_.end()) return hit->second;
    auto it = q_.find(f);
    if (it == q_.end()) {
      if (f->isConstant()) return TMLC_INTERNAL_ERROR("constant '" + f->name + "' reached get()");
      if (!f->type.quant || f->type.dtype != DType::Float32)
        return Status::error("'" + f->name + "' has no calibrated range");
      if (want == Lay::FlatLast || (want == Lay::Last && f->type.shape.size() != 4))
        return Status::error("internal: bad layout request");
      const Shape s = want == Lay::Last ? toLast(f->type.shape) : f->type.shape;
      Value* q = newValue(f->name + "_q", act_, s, *f->type.quant);
      Node* n = add(OpKind::QQuantize, f->name + "/quantize", {f}, {q});
      n->attrs["layout"].i = want == Lay::Last ? 1 : 0;
      QVal qv{q, want, 0, 0};
      q_[f] = qv;
      inLayout_[{f, key(want)}] = q;
      return q;
    }
    const QVal qv = it->second;
    Attribute layout, channels;
    Shape s = f->type.shape;
    if (qv.lay == Lay::First && want == Lay::Last && s.size() == 4) {
      layout.i = 1;
      s = toLast(s);
    } else if (qv.lay == Lay::Last && want == Lay::First) {
      layout.i = 2;
    } else if (qv.lay == Lay::FlatLast && want == Lay::First) {
      layout.i = 2;
      channels.i = qv.c;
    } else {
      return Status::error("no layout conversion for '" + f->name + "'");
    }
    Value* q = newValue(f->name + (want == Lay::Last ? "_nhwc" : "_nchw"), act_, s, *qv.q->type.quant);
    const Shape& fs = f->type.shape;
    const int64_t c = channels.i ? channels.i : (fs.size() >= 2 ? fs[1] : 1);
    const int64_t inner = fs.empty() ? 1 : numElements(fs) / std::max<int64_t>(1, fs[0] * c);
    if (c == 1 || inner == 1) {
      // The same bytes in either layout: a free Reshape.
      Value* shape = newConst(f->name + "_shape", Tensor::fromInts(DType::Int64, {static_cast<int64_t>(s.size())}, s));
      Node* n = add(OpKind::Reshape, f->name + "/reshape", {qv.q, shape}, {q});
      n->domain = "";
      inLayout_[{f, key(want)}] = q;
      return q;
    }
    Node* n = add(OpKind::QLayout, f->name + "/layout", {qv.q}, {q});
    n->attrs["layout"] = layout;
    if (channels.i) n->attrs["channels"] = channels;
    inLayout_[{f, key(want)}] = q;
    return q;
  }

  // Records q as the integer form of f; f itself is then computed from q by a
  // Dequantize (removed later when nothing float reads f).
  void define(Value* f, QVal qv) {
    q_[f] = qv;
    inLayout_[{f, key(qv.lay)}] = qv.q;
    dequantize(f, qv);
  }

  // f = Dequantize(qv.q), in qv's layout, at the current insertion point.
  void dequantize(Value* f, const QVal& qv) {
    Node* d = add(OpKind::QDequantize, f->name + "/dequantize", {qv.q}, {f});
    if (qv.lay == Lay::Last) d->attrs["layout"].i = 2;
    if (qv.lay == Lay::FlatLast) {
      d->attrs["layout"].i = 2;
      d->attrs["channels"].i = qv.c;
    }
  }

  // Calibrated (or already integer) quantization of a float activation.
  std::optional<QuantParams> quantOf(Value* f) {
    f = real(f);
    auto it = q_.find(f);
    if (it != q_.end()) return it->second.q->type.quant;
    return f->type.quant;
  }

  bool ready(const Node& n) {
    for (const Value* v : n.inputs)
      if (v && !v->isConstant() && !q_.count(real(const_cast<Value*>(v))) && !v->type.quant)
        return skip("input '" + v->name + "' has no calibrated range");
    for (const Value* v : n.outputs)
      if (v && (v->type.dtype != DType::Float32 || !v->type.quant)) return skip("output is not a calibrated float");
    return true;
  }

  Status convert(Node& n, bool& done) {
    done = false;
    if (auto pair = qdqPair(n)) return qdq(n, *pair);
    if (!producesFloat(n) || n.domain == "tmlc") return Status::ok();
    if (!ready(n)) return Status::ok();
    Expected<bool> r = false;
    if (n.kind == OpKind::Conv) r = conv(n);
    else if (n.kind == OpKind::Gemm || is(n, kMatMul_)) r = dense(n);
    else if (n.kind == OpKind::Add || n.kind == OpKind::Sub || n.kind == OpKind::Mul) r = binary(n);
    else if (is(n, kMaxPool_) || is(n, kAveragePool_) || is(n, kGlobalAveragePool_) || is(n, kGlobalMaxPool_))
      r = pool(n);
    else if (is(n, kConcat_)) r = concat(n);
    else if (is(n, kSoftmax_)) r = softmax(n);
    else if (is(n, kPad_)) r = pad(n);
    else if (std::find(movement_.begin(), movement_.end(), n.kind) != movement_.end()) r = movement(n);
    else if (n.kind == OpKind::Reshape || n.kind == OpKind::Flatten || n.kind == OpKind::Squeeze ||
             n.kind == OpKind::Unsqueeze || n.kind == OpKind::Identity || n.kind == OpKind::Dropout)
      r = view(n);
    else {
      Activation a;
      if (asActivation(n, a)) r = lut(n, a);
      else skip("no integer kernel for " + std::string(opName(n.kind)));
    }
    if (!r) return Status::error(g_.sourceFile + ": " + n.where() + ": " + r.status().message());
    done = *r;
    return Status::ok();
  }

  // ---------------------------------------------------------------- QDQ pairs
  // DequantizeLinear(QuantizeLinear(x)) on one grid: integer readers of its
  // output read x's integer form when that form is on the same grid (then the
  // rounding is the quantization itself). The pair stays until resolvePairs.
  Status qdq(Node& n, const QdqPair& pair) {
    Value* src = real(pair.source);
    if (src->isConstant()) return Status::ok();
    auto it = q_.find(src);
    const std::optional<QuantParams> q = it != q_.end() ? it->second.q->type.quant : src->type.quant;
    if (act_ != DType::Int8 || !q || q->scale != pair.quant.scale || q->zero_point != pair.quant.zero_point) {
      skip("the integer form of '" + src->name + "' is on another grid");
      return Status::ok();
    }
    pairs_[n.output(0)] = pair.source;
    pairNodes_.push_back(&n);
    return Status::ok();
  }

  // After every node is converted: a pair nothing float reads any more goes
  // (its QuantizeLinear with it, by dead-code elimination). A pair a float node
  // or a float graph output still reads keeps its rounding: when its source
  // is an integer kernel's result, as Dequantize of that result (the same
  // values); otherwise as the model's QuantizeLinear -> DequantizeLinear.
  void resolvePairs() {
    const auto kQ = lookupOp("", "QuantizeLinear");
    for (auto p = pairNodes_.rbegin(); p != pairNodes_.rend(); ++p) {
      Node* dq = *p;
      Value* y = dq->output(0);
      bool floatReaders = y->graphOutput >= 0;
      for (Node* u : y->users) {
        if (u->dead) continue;
        // A QuantizeLinear whose results nothing reads (a later pair that went).
        bool used = !kQ || u->kind != *kQ || !u->output(0) || u->output(0)->graphOutput >= 0;
        if (!used)
          for (Node* v : u->output(0)->users) used = used || !v->dead;
        if (used) floatReaders = true;
        else u->dead = true;
      }
      if (floatReaders) {
        Value* src = real(y);
        auto it = q_.find(src);
        if (it == q_.end() || !src->producer || src->producer->kind != OpKind::QDequantize) continue;
        at_ = dq;
        dequantize(y, it->second);
        at_ = nullptr;
      }
      dq->dead = true;
      for (Value*& o : dq->outputs) o = nullptr;
    }
  }

  // ---------------------------------------------------------------- integer model I/O
  // Each calibrated float input becomes an int8 input of the same shape (the
  // model's layout); whatever float code still reads it gets a Dequantize.
  void intInputs(Node* first) {
    at_ = first;
    for (size_t k = 0; k < g_.inputs.size(); ++k) {
      Value* f = g_.inputs[k];
      if (f->type.dtype != DType::Float32 || !f->type.quant) continue;
      const std::string name = f->name;
      f->name = g_.uniqueValueName(name + "_float");
      Value* q = newValue(name, act_, f->type.shape, *f->type.quant);
      q->graphInput = static_cast<int>(k);
      f->graphInput = -1;
      g_.inputs[k] = q;
      define(f, {q, Lay::First, 0, 0});
    }
  }

  // Each graph output computed in integers is returned as int8 (int16) in the model's layout.
  Status intOutputs() {
    for (size_t k = 0; k < g_.outputs.size(); ++k) {
      Value* f = g_.outputs[k];
      if (!q_.count(real(f))) continue;
      auto q = get(f, Lay::First);
      if (!q) return q.status();
      Value* qv = *q;
      if (qv->graphInput >= 0 || qv->graphOutput >= 0) {  // an input or another output: copy through a Layout node
        Value* c = newValue(f->name + "_out", act_, qv->type.shape, *qv->type.quant);
        add(OpKind::QLayout, f->name + "/copy", {qv}, {c});
        qv = c;
      }
      f->graphOutput = -1;
      const std::string name = f->name;
      f->name = g_.uniqueValueName(f->name + "_float");
      qv->name = name;
      qv->graphOutput = static_cast<int>(k);
      g_.outputs[k] = qv;
    }
    return Status::ok();
  }

  // ---------------------------------------------------------------- Conv
  Expected<bool> conv(Node& n) {
    Value* x = n.input(0);
    Value* w = n.input(1);
    Value* b = n.input(2);
    Value* f = n.output(0);
    if (x->type.shape.size() != 4) return skip("only 2-D convolution has an integer kernel");
    if (!w->isConstant() || (b && !b->isConstant())) return skip("weights are not constant");
    if (!integerActivation(n.fused)) return skip("fused activation has no integer form");
    const Shape& xs = x->type.shape;
    const Shape& ws = w->type.shape;
    const Shape& ys = f->type.shape;
    const int64_t oc = ws[0], icg = ws[1], kh = ws[2], kw = ws[3], group = n.attrInt("group", 1);
    const std::vector<int64_t> k = {kh, kw};
    const std::vector<int64_t> strides = n.attrInts("strides", {1, 1}), dil = n.attrInts("dilations", {1, 1});
    const std::vector<int64_t> pads = windowPads(n, xs, ys, k, strides, dil);
    const bool depthwise = group == xs[1] && icg == 1 && group > 1;

    auto qx = get(x, Lay::Last);
    if (!qx) return qx.status();
    const double sx = (*qx)->type.quant->scale[0];
    const QuantParams qy = *f->type.quant;
    const double sy = qy.scale[0];

    std::vector<int8_t> qw;
    std::vector<float> sw;
    const int64_t per = icg * kh * kw;
    weights(w, constantValues(w), 0, oc, per, qw, sw);
    std::vector<int8_t> laid(qw.size());
    for (int64_t o = 0; o < oc; ++o)
      for (int64_t i = 0; i < icg; ++i)
        for (int64_t h = 0; h < kh; ++h)
          for (int64_t c = 0; c < kw; ++c) {
            const int8_t v = qw[static_cast<size_t>(((o * icg + i) * kh + h) * kw + c)];
            const int64_t at = depthwise ? (h * kw + c) * oc + o : ((o * kh + h) * kw + c) * icg + i;
            laid[static_cast<size_t>(at)] = v;
          }
    QuantParams wq;
    wq.scale = sw;
    wq.zero_point.assign(sw.size(), 0);
    wq.axis = depthwise ? 2 : 0;
    Value* qwv = newConst(w->name + "_q", int8Tensor(laid, depthwise ? Shape{kh, kw, oc} : Shape{oc, kh, kw, icg}),
                          wq);
    auto req = requant(b, sx, sw, sy, oc, w->name);
    if (!req) return req.status();
    Value* qy_ = newValue(f->name + "_q", act_, toLast(ys), qy);
    Node* q = add(depthwise ? OpKind::QDepthwiseConv : OpKind::QConv, n.name,
                  {*qx, qwv, (*req)[0], (*req)[1], (*req)[2]}, {qy_});
    q->attrs["strides"].kind = Attribute::Kind::Ints;
    q->attrs["strides"].ints = strides;
    q->attrs["pads"].kind = Attribute::Kind::Ints;
    q->attrs["pads"].ints = pads;
    q->attrs["dilations"].kind = Attribute::Kind::Ints;
    q->attrs["dilations"].ints = dil;
    q->attrs["group"].i = group;
    q->fused = n.fused;
    define(f, {qy_, Lay::Last, 0, 0});
    return true;
  }

  // int8 weights and per-channel scales of `w` (values `wv`, `channels` rows of
  // `per`): the model's own symmetric scales when it gives them (a QDQ model;
  // per channel along `outAxis` or per tensor), otherwise max |w| / 127.
  static void weights(const Value* w, const std::vector<double>& wv, int outAxis, int64_t channels, int64_t per,
                      std::vector<int8_t>& q, std::vector<float>& scales, bool exact = true) {
    if (exact && w->type.quant) {
      const QuantParams& g = *w->type.quant;
      bool symmetric = true;
      for (int32_t z : g.zero_point) symmetric = symmetric && z == 0;
      const bool perTensor = g.scale.size() == 1;
      if (symmetric && (perTensor || (static_cast<int64_t>(g.scale.size()) == channels && g.axis == outAxis))) {
        scales.assign(static_cast<size_t>(channels), g.scale[0]);
        if (!perTensor) scales = g.scale;
        q.assign(wv.size(), 0);
        for (size_t i = 0; i < wv.size(); ++i)
          q[i] = static_cast<int8_t>(quantizeOne(wv[i], scales[i / static_cast<size_t>(per)], 0, -128, 127));
        return;
      }
    }
    quantizePerChannel(wv, channels, per, q, scales);
  }

  // bias (int32 at scale sx * sw), mult and shift constants for `channels` outputs.
  Expected<std::vector<Value*>> requant(const Value* b, double sx, const std::vector<float>& sw, double sy,
                                        int64_t channels, const std::string& base) {
    std::vector<double> bv = b ? constantValues(b) : std::vector<double>();
    std::vector<int64_t> bias(static_cast<size_t>(channels), 0);
    std::vector<int32_t> mult(static_cast<size_t>(channels), 0), shift(mult);
    // int32 for int8 activations; int64 for int16 (bounded by 2^40 so that the
    // kernels' int64 sums and requantization cannot overflow).
    const double bmax = act_ == DType::Int16 ? 1099511627776.0 : 2147483647.0;
    for (int64_t c = 0; c < channels; ++c) {
      const size_t i = static_cast<size_t>(c);
      const double s = sx * sw[i];
      if (!bv.empty()) {
        const double v = std::nearbyint((bv.size() == 1 ? bv[0] : bv[i]) / s);
        bias[i] = static_cast<int64_t>(std::max<double>(-bmax - 1, std::min<double>(bmax, v)));
      }
      auto m = fixedMultiplier(s / sy);
      if (!m) return m.status();
      mult[i] = m->first;
      shift[i] = m->second;
    }
    Tensor bt = Tensor::fromInts(act_ == DType::Int16 ? DType::Int64 : DType::Int32, {channels}, bias);
    return std::vector<Value*>{newConst(base + "_bias_q", std::move(bt)),
                               newConst(base + "_mult", int32Tensor(mult)),
                               newConst(base + "_shift", int32Tensor(shift))};
  }

  // ---------------------------------------------------------------- Gemm / MatMul
  Expected<bool> dense(Node& n) {
    Value* a = n.input(0);
    Value* bm = n.input(1);
    Value* c = n.kind == OpKind::Gemm ? n.input(2) : nullptr;
    Value* f = n.output(0);
    if (a->type.shape.size() != 2 || bm->type.shape.size() != 2) return skip("only rank-2 dense layers");
    if (!bm->isConstant() || (c && !c->isConstant())) return skip("weights are not constant");
    if (!integerActivation(n.fused)) return skip("fused activation has no integer form");
    const bool isGemm = n.kind == OpKind::Gemm;
    if (isGemm && n.attrInt("transA", 0)) return skip("transA is not supported");
    const bool transB = isGemm && n.attrInt("transB", 0);
    const double alpha = isGemm ? n.attrFloat("alpha", 1.0f) : 1.0, beta = isGemm ? n.attrFloat("beta", 1.0f) : 1.0;
    const int64_t K = a->type.shape[1];
    const int64_t M = f->type.shape[1];
    std::vector<double> b0 = constantValues(bm), wv(static_cast<size_t>(M * K));
    for (int64_t m = 0; m < M; ++m)
      for (int64_t k = 0; k < K; ++k)
        wv[static_cast<size_t>(m * K + k)] = alpha * b0[static_cast<size_t>(transB ? m * K + k : k * M + m)];
    std::vector<double> bias;
    if (c) {
      std::vector<double> cv = constantValues(c);
      if (cv.size() != 1 && static_cast<int64_t>(cv.size()) != M) return skip("bias C is not per output");
      for (int64_t m = 0; m < M; ++m) bias.push_back(beta * cv[cv.size() == 1 ? 0 : static_cast<size_t>(m)]);
    }
    // A Flatten of channels-last data: permute the weight columns to its order.
    Value* qa = nullptr;
    auto it = q_.find(real(a));
    if (it != q_.end() && it->second.lay == Lay::FlatLast) {
      const int64_t ch = it->second.c, inner = it->second.inner;
      std::vector<double> perm(wv.size());
      for (int64_t m = 0; m < M; ++m)
        for (int64_t p = 0; p < inner; ++p)
          for (int64_t cc = 0; cc < ch; ++cc)
            perm[static_cast<size_t>(m * K + p * ch + cc)] = wv[static_cast<size_t>(m * K + cc * inner + p)];
      wv.swap(perm);
      qa = it->second.q;
    } else {
      auto g = get(a, Lay::First);
      if (!g) return g.status();
      qa = *g;
    }
    const double sx = qa->type.quant->scale[0];
    std::vector<int8_t> qw;
    std::vector<float> sw;
    weights(bm, wv, transB ? 0 : 1, M, K, qw, sw, alpha == 1.0);
    QuantParams wq;
    wq.scale = sw;
    wq.zero_point.assign(sw.size(), 0);
    wq.axis = 0;
    Value* qwv = newConst(bm->name + "_q", int8Tensor(qw, {M, K}), wq);
    Tensor bt;
    Value* bvv = nullptr;
    if (!bias.empty()) {
      bt = Tensor::zeros(DType::Float64, {M});
      std::copy(bias.begin(), bias.end(), bt.data<double>());
      bvv = g_.addConstant(g_.uniqueValueName(bm->name + "_bias_f"), bt);
    }
    const QuantParams qy = *f->type.quant;
    auto req = requant(bvv, sx, sw, qy.scale[0], M, bm->name);
    if (!req) return req.status();
    Value* qyv = newValue(f->name + "_q", act_, f->type.shape, qy);
    Node* q = add(OpKind::QFullyConnected, n.name, {qa, qwv, (*req)[0], (*req)[1], (*req)[2]}, {qyv});
    q->fused = n.fused;
    define(f, {qyv, Lay::First, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- Add / Sub / Mul
  Expected<bool> binary(Node& n) {
    Value* f = n.output(0);
    if (!integerActivation(n.fused)) return skip("fused activation has no integer form");
    Value* in[2] = {n.input(0), n.input(1)};
    if (in[0]->isConstant() && in[1]->isConstant()) return skip("constant operands");
    for (Value* v : in)
      if (v->type.dtype != DType::Float32) return skip("operands are not float32");
    // Channels-last when every operand is the full rank-4 shape (or a scalar
    // constant) and one of them already is channels-last.
    bool last = f->type.shape.size() == 4, anyLast = false;
    for (Value* v : in) {
      if (v->isConstant()) {
        if (v->constant->numel() != 1) last = false;
      } else {
        if (v->type.shape != f->type.shape) last = false;
        auto it = q_.find(real(v));
        if (it != q_.end() && it->second.lay == Lay::Last) anyLast = true;
      }
    }
    const Lay lay = last && anyLast ? Lay::Last : Lay::First;
    Value* qin[2];
    for (int i = 0; i < 2; ++i) {
      Value* v = in[i];
      if (v->isConstant()) {
        std::vector<double> d = constantValues(v);
        double lo = 0, hi = 0;
        for (double x : d) lo = std::min(lo, x), hi = std::max(hi, x);
        QuantParams qp = activationParams(lo, hi, act_);
        std::vector<int32_t> q(d.size());
        for (size_t k = 0; k < d.size(); ++k) q[k] = quantizeOne(d[k], qp.scale[0], qp.zero_point[0], qlo_, qhi_);
        qin[i] = newConst(v->name + "_q", intTensor(act_, q, v->type.shape), qp);
      } else {
        auto g = get(v, lay);
        if (!g) return g.status();
        qin[i] = *g;
      }
    }
    const OpKind k = n.kind == OpKind::Add ? OpKind::QAdd : (n.kind == OpKind::Sub ? OpKind::QSub : OpKind::QMul);
    Value* qy = newValue(f->name + "_q", act_, lay == Lay::Last ? toLast(f->type.shape) : f->type.shape,
                         *f->type.quant);
    Node* q = add(k, n.name, {qin[0], qin[1]}, {qy});
    q->fused = n.fused;
    define(f, {qy, lay, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- pooling
  Expected<bool> pool(Node& n) {
    Value* x = n.input(0);
    Value* f = n.output(0);
    if (x->type.shape.size() != 4) return skip("only 2-D pooling has an integer kernel");
    if (n.output(1) && !n.output(1)->users.empty()) return skip("MaxPool indices are used");
    if (!integerActivation(n.fused)) return skip("fused activation has no integer form");
    const Shape& xs = x->type.shape;
    const bool global = is(n, kGlobalAveragePool_) || is(n, kGlobalMaxPool_);
    const bool isMax = is(n, kMaxPool_) || is(n, kGlobalMaxPool_);
    std::vector<int64_t> k = global ? std::vector<int64_t>{xs[2], xs[3]} : n.attrInts("kernel_shape");
    std::vector<int64_t> s = global ? std::vector<int64_t>{1, 1} : n.attrInts("strides", {1, 1});
    if (k.size() != 2 || s.size() != 2) return skip("only 2-D pooling has an integer kernel");
    for (int64_t d : n.attrInts("dilations", {1, 1}))
      if (d != 1) return skip("dilated pooling");
    std::vector<int64_t> pads = global ? std::vector<int64_t>{0, 0, 0, 0} : windowPads(n, xs, f->type.shape, k, s, {1, 1});
    auto qx = get(x, Lay::Last);
    if (!qx) return qx.status();
    // A QDQ model's average pool with an output grid of its own (its
    // QuantizeLinear rounds the float mean once): ONNX Runtime's
    // QLinearAveragePool, channels last, which rounds once too.
    const QuantParams& qi = *(*qx)->type.quant;
    if (qdq_ && !isMax && act_ == DType::Int8 && kQLinearAveragePool_ && f->type.quant && n.fused.kind == Act::None &&
        (f->type.quant->scale != qi.scale || f->type.quant->zero_point != qi.zero_point)) {
      const QuantParams& qo = *f->type.quant;
      Value* qy = newValue(f->name + "_q", act_, toLast(f->type.shape), qo);
      auto scalar = [&](const std::string& name, DType t, double v) {
        Tensor c = Tensor::zeros(t, {});
        if (t == DType::Float32) c.data<float>()[0] = static_cast<float>(v);
        else c.data<int8_t>()[0] = static_cast<int8_t>(v);
        return newConst(n.name + name, std::move(c));
      };
      Node* q = add(*kQLinearAveragePool_, n.name,
                    {*qx, scalar("_x_scale", DType::Float32, qi.scale[0]), scalar("_x_zp", DType::Int8, qi.zero_point[0]),
                     scalar("_y_scale", DType::Float32, qo.scale[0]), scalar("_y_zp", DType::Int8, qo.zero_point[0])},
                    {qy});
      for (const char* a : {"kernel_shape", "strides", "pads"}) q->attrs[a].kind = Attribute::Kind::Ints;
      q->attrs["kernel_shape"].ints = k;
      q->attrs["strides"].ints = s;
      q->attrs["pads"].ints = pads;
      q->attrs["ceil_mode"].i = global ? 0 : n.attrInt("ceil_mode", 0);
      q->attrs["count_include_pad"].i = global ? 0 : n.attrInt("count_include_pad", 0);
      q->attrs["channels_last"].i = 1;
      Status st = opDef(q->kind).infer(*q);
      if (st && qy->type.shape == toLast(f->type.shape)) {
        qy->type.quant = qo;
        define(f, {qy, Lay::Last, 0, 0});
        return true;
      }
      // Scales too far apart for that kernel: the QAvgPool below keeps the input's grid and the
      // model's Q/DQ pair after it requantizes to the output grid.
      q->dead = true;
      for (Value*& o : q->outputs) o = nullptr;
    }
    // The output keeps the input's quantization: max and mean stay in range.
    Value* qy = newValue(f->name + "_q", act_, toLast(f->type.shape), qi);
    Node* q = add(isMax ? OpKind::QMaxPool : OpKind::QAvgPool, n.name, {*qx}, {qy});
    q->attrs["kernel_shape"].kind = Attribute::Kind::Ints;
    q->attrs["kernel_shape"].ints = k;
    q->attrs["strides"].kind = Attribute::Kind::Ints;
    q->attrs["strides"].ints = s;
    q->attrs["pads"].kind = Attribute::Kind::Ints;
    q->attrs["pads"].ints = pads;
    q->attrs["ceil_mode"].i = global ? 0 : n.attrInt("ceil_mode", 0);
    q->attrs["count_include_pad"].i = global ? 0 : n.attrInt("count_include_pad", 0);
    q->fused = n.fused;
    if (opDef(q->kind).infer(*q) && qy->type.shape != toLast(f->type.shape))
      return Status::error("internal: pooled shape differs from the float model");
    define(f, {qy, Lay::Last, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- Concat
  Expected<bool> concat(Node& n) {
    Value* f = n.output(0);
    const int64_t rank = static_cast<int64_t>(f->type.shape.size());
    int64_t axis = n.attrInt("axis", 0);
    if (axis < 0) axis += rank;
    bool anyLast = false;
    for (Value* v : n.inputs) {
      if (!v || v->isConstant()) return skip("constant concat operands");
      auto it = q_.find(real(v));
      if (it != q_.end() && it->second.lay == Lay::Last) anyLast = true;
    }
    const Lay lay = rank == 4 && anyLast ? Lay::Last : Lay::First;
    std::vector<Value*> ins;
    for (Value* v : n.inputs) {
      auto g = get(v, lay);
      if (!g) return g.status();
      ins.push_back(*g);
    }
    Value* qy = newValue(f->name + "_q", act_, lay == Lay::Last ? toLast(f->type.shape) : f->type.shape,
                         *f->type.quant);
    Node* q = add(OpKind::QConcat, n.name, ins, {qy});
    q->attrs["axis"].i = lay == Lay::Last ? axisToLast(axis) : axis;
    define(f, {qy, lay, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- Softmax
  Expected<bool> softmax(Node& n) {
    Value* x = n.input(0);
    Value* f = n.output(0);
    const int64_t rank = static_cast<int64_t>(x->type.shape.size());
    int64_t axis = n.attrInt("axis", n.opset >= 13 ? -1 : 1);
    if (axis < 0) axis += rank;
    Lay lay = Lay::First;
    auto it = q_.find(real(x));
    if (axis == rank - 1) {
      lay = Lay::First;
    } else if (rank == 4 && axis == 1 && it != q_.end() && it->second.lay == Lay::Last && n.opset >= 13) {
      lay = Lay::Last;
    } else {
      return skip("softmax over an inner axis");
    }
    auto qx = get(x, lay);
    if (!qx) return qx.status();
    const double sx = (*qx)->type.quant->scale[0];
    // int8: e for every difference; int16: 513 steps over kSoftmax16Range (softmax.h).
    const bool wide = act_ == DType::Int16;
    std::vector<int32_t> table(wide ? 513 : 256);
    for (size_t d = 0; d < table.size(); ++d) {
      const double r = wide ? static_cast<double>(d) * q::kSoftmax16Range / 512.0 : sx * static_cast<double>(d);
      table[d] = static_cast<int32_t>(std::nearbyint(65536.0 * std::exp(-r)));
    }
    QuantParams qp;
    qp.scale = {wide ? 1.0f / 32768 : 1.0f / 256};
    qp.zero_point = {wide ? 0 : -128};
    Value* qy = newValue(f->name + "_q", act_, (*qx)->type.shape, qp);
    add(OpKind::QSoftmax, n.name, {*qx, newConst(n.name + "_exp_table", int32Tensor(table))}, {qy});
    define(f, {qy, lay, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- views
  Expected<bool> view(Node& n) {
    Value* x = n.input(0);
    Value* f = n.output(0);
    if (x->isConstant()) return skip("constant input");
    if (n.kind == OpKind::Dropout && n.output(1) && !n.output(1)->users.empty()) return skip("Dropout mask is used");
    auto it = q_.find(real(x));
    const Shape& xs = x->type.shape;
    const Shape& ys = f->type.shape;
    Value* qx = nullptr;
    QVal out;
    if ((n.kind == OpKind::Identity || n.kind == OpKind::Dropout) && it != q_.end()) {
      qx = it->second.q;
      out = it->second;
    } else if (it != q_.end() && it->second.lay == Lay::Last && xs.size() == 4 && ys.size() == 2 &&
               ys[0] == xs[0] && (n.kind == OpKind::Flatten || n.kind == OpKind::Reshape)) {
      qx = it->second.q;
      const int64_t c = xs[1], inner = xs[2] * xs[3];
      out = c == 1 || inner == 1 ? QVal{nullptr, Lay::First, 0, 0} : QVal{nullptr, Lay::FlatLast, c, inner};
    } else {
      auto g = get(x, Lay::First);
      if (!g) return g.status();
      qx = *g;
      out.lay = Lay::First;
    }
    std::vector<Value*> ins = n.inputs;
    ins[0] = qx;
    Value* qy = newValue(f->name + "_q", act_, out.lay == Lay::Last ? qx->type.shape : ys, *qx->type.quant);
    std::vector<Value*> outs = {qy};
    Node* q = add(n.kind, n.name, ins, outs);
    q->attrs = n.attrs;
    q->domain = n.domain;
    q->opset = n.opset;
    out.q = qy;
    define(f, out);
    return true;
  }

  // ---------------------------------------------------------------- Pad
  // The generic Pad kernel on int8 data, its pads reordered for the layout and
  // its constant quantized with the input's parameters (0 becomes the zero point).
  Expected<bool> pad(Node& n) {
    Value* x = n.input(0);
    Value* f = n.output(0);
    if (x->isConstant()) return skip("constant input");
    const int64_t r = static_cast<int64_t>(x->type.shape.size());
    std::vector<int64_t> pads;
    double value = 0;
    if (n.opset < 11 && !n.input(1)) {
      pads = n.attrInts("pads");
      value = n.attrFloat("value", 0.0f);
    } else {
      if (!n.input(1) || !n.input(1)->isConstant()) return skip("pads are not constant");
      pads = n.input(1)->constant->toInts();
      if (const Value* cv = n.input(2)) {
        if (!cv->isConstant()) return skip("constant_value is not constant");
        if (cv->constant->numel() > 0) value = cv->constant->getDouble(0);
      }
    }
    std::vector<int64_t> axes;
    if (const Value* av = n.input(3)) {
      if (!av->isConstant()) return skip("axes are not constant");
      for (int64_t a : av->constant->toInts()) axes.push_back(a < 0 ? a + r : a);
    } else {
      for (int64_t i = 0; i < r; ++i) axes.push_back(i);
    }
    if (pads.size() != 2 * axes.size()) return skip("malformed pads");
    std::vector<int64_t> full(static_cast<size_t>(2 * r), 0);
    for (size_t i = 0; i < axes.size(); ++i) {
      full[static_cast<size_t>(axes[i])] = pads[i];
      full[static_cast<size_t>(axes[i] + r)] = pads[i + axes.size()];
    }
    auto it = q_.find(real(x));
    const Lay lay = it != q_.end() && it->second.lay == Lay::Last ? Lay::Last : Lay::First;
    auto qx = get(x, lay);
    if (!qx) return qx.status();
    if (lay == Lay::Last) {
      static const int64_t kFrom[] = {0, 2, 3, 1};  // NHWC axis i is NCHW axis kFrom[i]
      std::vector<int64_t> p(8);
      for (int i = 0; i < 4; ++i) {
        p[static_cast<size_t>(i)] = full[static_cast<size_t>(kFrom[i])];
        p[static_cast<size_t>(i + 4)] = full[static_cast<size_t>(kFrom[i] + 4)];
      }
      full = p;
    }
    const QuantParams qp = *(*qx)->type.quant;
    if (std::all_of(full.begin(), full.end(), [](int64_t v) { return v == 0; })) {
      // Padding by nothing (PyTorch exports these before pooling): a free Identity.
      Value* qy = newValue(f->name + "_q", act_, (*qx)->type.shape, qp);
      add(OpKind::Identity, n.name, {*qx}, {qy})->domain = "";
      define(f, {qy, lay, 0, 0});
      return true;
    }
    const int32_t qv = quantizeOne(value, qp.scale[0], qp.zero_point[0], qlo_, qhi_);
    Value* padsV = newConst(n.name + "_pads", Tensor::fromInts(DType::Int64, {2 * r}, full));
    Value* valueV = newConst(n.name + "_value_q", intTensor(act_, {qv}, {}));
    Value* qy = newValue(f->name + "_q", act_, lay == Lay::Last ? toLast(f->type.shape) : f->type.shape, qp);
    Node* q = add(n.kind, n.name, {*qx, padsV, valueV}, {qy});
    q->attrs = n.attrs;
    q->attrs.erase("pads");
    q->attrs.erase("value");
    q->domain = n.domain;
    q->opset = std::max(n.opset, 11);
    define(f, {qy, lay, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- data movement
  Expected<bool> movement(Node& n) {
    Value* x = n.input(0);
    if (x->isConstant()) return skip("constant input");
    for (size_t i = 1; i < n.inputs.size(); ++i)
      if (n.inputs[i] && !n.inputs[i]->isConstant()) return skip("a non-constant index input");
    auto qx = get(x, Lay::First);
    if (!qx) return qx.status();
    std::vector<Value*> ins = n.inputs, outs;
    ins[0] = *qx;
    for (Value* f : n.outputs)
      outs.push_back(f ? newValue(f->name + "_q", act_, f->type.shape, *(*qx)->type.quant) : nullptr);
    Node* q = add(n.kind, n.name, ins, outs);
    q->attrs = n.attrs;
    q->domain = n.domain;
    q->opset = n.opset;
    for (size_t k = 0; k < outs.size(); ++k)
      if (outs[k]) define(n.outputs[k], {outs[k], Lay::First, 0, 0});
    return true;
  }

  // ---------------------------------------------------------------- table lookups
  Expected<bool> lut(Node& n, const Activation& a) {
    Value* x = n.input(0);
    Value* f = n.output(0);
    if (x->isConstant()) return skip("constant input");
    auto it = q_.find(real(x));
    const Lay lay = it != q_.end() ? it->second.lay : Lay::First;
    auto qx = get(x, lay);
    if (!qx) return qx.status();
    const QuantParams qi = *(*qx)->type.quant, qo = *f->type.quant;
    // int8: every input value; int16: every 128th, interpolated at run time (lut.h).
    const bool wide = act_ == DType::Int16;
    std::vector<int32_t> table(wide ? 513 : 256);
    for (size_t i = 0; i < table.size(); ++i) {
      const int32_t q = wide ? -32768 + 128 * static_cast<int32_t>(i) : static_cast<int32_t>(i) - 128;
      const float r = static_cast<float>(qi.scale[0] * (q - qi.zero_point[0]));
      const float y = activate(n.fused, activate(a, r));
      table[i] = quantizeOne(y, qo.scale[0], qo.zero_point[0], qlo_, qhi_);
    }
    Value* qy = newValue(f->name + "_q", act_, (*qx)->type.shape, qo);
    add(OpKind::QLut, n.name, {*qx, newConst(n.name + "_table", intTensor(act_, table, {static_cast<int64_t>(table.size())}))}, {qy});
    QVal out = it != q_.end() ? it->second : QVal{};
    out.q = qy;
    out.lay = lay;
    define(f, out);
    return true;
  }
};

}  // namespace

Status quantizeGraph(Graph& g, const PassOptions& opts) {
  if (opts.quant.mode.empty()) {
    // A QDQ model: passes/quantize/fold_qdq.cpp annotated its activations.
    bool annotated = false;
    for (const auto& v : g.values)
      if (!v->isConstant() && v->type.dtype == DType::Float32 && v->type.quant) annotated = true;
    if (!annotated) return Status::ok();
  } else if (opts.quant.mode != "int8" && opts.quant.mode != "int16x8") {
    return Status::error("--quantize " + opts.quant.mode + " is not supported (int8 or int16x8)");
  }
  Quantizer q(g, opts);
  return q.run();
}

}  // namespace tmlc
