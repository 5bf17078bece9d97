// qlinear.cpp: ONNX's quantized products: QLinearMatMul and MatMulInteger
// (numpy matmul shapes, per-row A and per-column B zero points and scales),
// QLinearConv and ConvInteger (1-D to 3-D, groups, pads, auto_pad, strides,
// dilations; per-output-channel weight zero points and scales).
// The scales of the QLinear forms must be compile-time constants: the float
// rescale M = scale_a * scale_b / scale_y becomes integer FloatMults here
// (the generated code is integer-only, and bit-exact with the float rescale).
// Kernel: runtime/include/tmlc/kernels/qlinear.h.
#include "ops/nn/window.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/qlinear.h"

namespace tmlc {

namespace {

bool isQuantType(DType t) { return t == DType::UInt8 || t == DType::Int8; }

// Input positions of the operands of each form; -1 where the form has none.
struct Slots {
  int a, aScale, aZp, b, bScale, bZp, yScale, yZp, bias;
};
Slots slotsOf(OpKind k) {
  switch (k) {
    case OpKind::QLinearMatMul: return {0, 1, 2, 3, 4, 5, 6, 7, -1};
    case OpKind::QLinearConv: return {0, 1, 2, 3, 4, 5, 6, 7, 8};
    default: return {0, -1, 2, 1, -1, 3, -1, -1, -1};  // MatMulInteger, ConvInteger
  }
}
const Value* in(const Node& n, int slot) { return slot < 0 ? nullptr : n.input(static_cast<size_t>(slot)); }
// True when v holds `count` > 1 values (one per row, column or channel).
int32_t isPer(const Value* v, int64_t count) {
  return v && count > 1 && v->type.shape.size() == 1 && v->type.shape[0] == count;
}
bool isQLinear(OpKind k) { return k == OpKind::QLinearMatMul || k == OpKind::QLinearConv; }
bool isConv(OpKind k) { return k == OpKind::QLinearConv || k == OpKind::ConvInteger; }

// A zero point or scale must hold 1 value, or `count` values along a 1-D tensor.
Status checkPer(const Value* v, const char* what, int64_t count) {
  if (!v) return Status::ok();
  const int64_t e = numElements(v->type.shape);
  if (e == 1 && v->type.shape.size() <= 1) return Status::ok();
  if (v->type.shape.size() == 1 && e == count) return Status::ok();
  return Status::error(std::string(what) + " has shape " + shapeToString(v->type.shape) + ", expected one value or " +
                       std::to_string(count));
}

// ---- matrix product

struct MatDims {
  int64_t m, k, n;
  Shape aBatch, bBatch, yBatch, y;
};

Expected<MatDims> matDims(const Node& n) {
  const Slots s = slotsOf(n.kind);
  Shape a = in(n, s.a)->type.shape, b = in(n, s.b)->type.shape;
  if (a.empty() || b.empty()) return Status::error("operands must have rank >= 1");
  MatDims d;
  const bool aVec = a.size() == 1, bVec = b.size() == 1;
  if (aVec) a.insert(a.begin(), 1);
  if (bVec) b.push_back(1);
  d.m = a[a.size() - 2];
  d.k = a.back();
  d.n = b.back();
  if (b[b.size() - 2] != d.k)
    return Status::error("inner dimensions differ: A " + shapeToString(in(n, s.a)->type.shape) + ", B " +
                         shapeToString(in(n, s.b)->type.shape));
  d.aBatch.assign(a.begin(), a.end() - 2);
  d.bBatch.assign(b.begin(), b.end() - 2);
  auto yb = broadcastShapes({d.aBatch, d.bBatch});
  if (!yb) return yb.status();
  d.yBatch = *yb;
  d.y = d.yBatch;
  if (!aVec) d.y.push_back(d.m);
  if (!bVec) d.y.push_back(d.n);
  return d;
}

tmlc::QMatMulParams matParams(const Node& n) {
  const Slots s = slotsOf(n.kind);
  MatDims d = *matDims(n);
  tmlc::QMatMulParams p{};
  p.mm.m = static_cast<int32_t>(d.m);
  p.mm.n = static_cast<int32_t>(d.n);
  p.mm.k = static_cast<int32_t>(d.k);
  p.mm.batch = makeBroadcast(d.yBatch, {d.aBatch, d.bBatch});
  p.mm.act = kNoActivation;
  p.a_zp_per_row = isPer(in(n, s.aZp), d.m);
  p.a_scale_per_row = isPer(in(n, s.aScale), d.m);
  p.b_zp_per_col = isPer(in(n, s.bZp), d.n);
  p.b_scale_per_col = isPer(in(n, s.bScale), d.n);
  return p;
}

// ---- convolution

Expected<WindowAttrs> convAttrs(const Node& n) {
  const Slots s = slotsOf(n.kind);
  const Shape& x = in(n, s.a)->type.shape;
  const Shape& w = in(n, s.b)->type.shape;
  if (x.size() < 3 || x.size() > 5)
    return Status::error("input x has rank " + std::to_string(x.size()) + "; only 1-D, 2-D and 3-D convolutions are supported");
  if (w.size() != x.size()) return Status::error("weight rank differs from the input's");
  auto a = readWindow(n, x.size() - 2, Shape(w.begin() + 2, w.end()));
  if (!a) return a;
  for (size_t i = 0; i < a->spatial; ++i)
    if (a->kernel[i] != w[2 + i]) return Status::error("kernel_shape does not match the weight " + shapeToString(w));
  const int64_t group = n.attrInt("group", 1);
  if (group <= 0 || x[1] % group || w[0] % group || w[1] * group != x[1])
    return Status::error("channels (x " + shapeToString(x) + ", w " + shapeToString(w) + ") do not match group " +
                         std::to_string(group));
  return a;
}

tmlc::QConvParams convParams(const Node& n) {
  const Slots s = slotsOf(n.kind);
  WindowAttrs a = *convAttrs(n);
  const Shape& x = in(n, s.a)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  windowOutput(a, Shape(x.begin() + 2, x.end()), false);
  tmlc::QConvParams p{};
  p.batch = static_cast<int32_t>(x[0]);
  p.in_c = static_cast<int32_t>(x[1]);
  p.out_c = static_cast<int32_t>(y[1]);
  p.group = static_cast<int32_t>(n.attrInt("group", 1));
  p.win = makeWindow(a, Shape(x.begin() + 2, x.end()), Shape(y.begin() + 2, y.end()));
  p.w_zp_per_channel = isPer(in(n, s.bZp), y[1]);
  p.w_scale_per_channel = isPer(in(n, s.bScale), y[1]);
  return p;
}

// ---- shared

Status infer(Node& n) {
  const OpKind k = n.kind;
  const Slots s = slotsOf(k);
  if (k == OpKind::QLinearMatMul) TMLC_RETURN_IF_ERROR(checkArity(n, 8, 8));
  else if (k == OpKind::QLinearConv) TMLC_RETURN_IF_ERROR(checkArity(n, 8, 9));
  else TMLC_RETURN_IF_ERROR(checkArity(n, 2, 4));
  const DType ta = in(n, s.a)->type.dtype, tb = in(n, s.b)->type.dtype;
  if (!isQuantType(ta) || !isQuantType(tb))
    return Status::error(std::string("operand types ") + dtypeName(ta) + " and " + dtypeName(tb) +
                         " are not supported (uint8 or int8)");
  if (const Value* z = in(n, s.aZp))
    if (z->type.dtype != ta) return Status::error("zero point of the first operand has another type");
  if (const Value* z = in(n, s.bZp))
    if (z->type.dtype != tb) return Status::error("zero point of the second operand has another type");
  DType out = DType::Int32;
  if (isQLinear(k)) {
    static const char* const kScaleName[3] = {"a_scale", "b_scale", "y_scale"};
    const bool conv = isConv(k);
    int which = 0;
    for (int sl : {s.aScale, s.bScale, s.yScale}) {
      const Value* v = in(n, sl);
      const std::string what = conv ? std::string(which == 0 ? "x_scale" : (which == 1 ? "w_scale" : "y_scale"))
                                    : std::string(kScaleName[which]);
      ++which;
      if (v->type.dtype != DType::Float32) return Status::error("scales must be float");
      if (!v->isConstant())
        return Status::error("input '" + what + "' ('" + v->name +
                             "') must be a compile-time constant (an initializer, or --const-input)");
    }
    out = in(n, s.yZp)->type.dtype;
    if (!isQuantType(out)) return Status::error("output zero point must be uint8 or int8");
    if (numElements(in(n, s.yScale)->type.shape) != 1 || numElements(in(n, s.yZp)->type.shape) != 1)
      return Status::error("output scale and zero point must be scalars");
  }
  Shape y;
  if (isConv(k)) {
    auto a = convAttrs(n);
    if (!a) return a.status();
    const Shape& x = in(n, s.a)->type.shape;
    const Shape& w = in(n, s.b)->type.shape;
    auto sp = windowOutput(*a, Shape(x.begin() + 2, x.end()), false);
    if (!sp) return sp.status();
    y = {x[0], w[0]};
    y.insert(y.end(), sp->begin(), sp->end());
    if (const Value* z = in(n, s.aZp))
      if (numElements(z->type.shape) != 1) return Status::error("x zero point must be a scalar");
    if (s.aScale >= 0 && numElements(in(n, s.aScale)->type.shape) != 1)
      return Status::error("x scale must be a scalar");
    TMLC_RETURN_IF_ERROR(checkPer(in(n, s.bZp), "w zero point", w[0]));
    if (s.bScale >= 0) TMLC_RETURN_IF_ERROR(checkPer(in(n, s.bScale), "w scale", w[0]));
    if (const Value* b = in(n, s.bias)) {
      if (b->type.dtype != DType::Int32 || b->type.shape != Shape{w[0]})
        return Status::error("bias must be int32 of shape [" + std::to_string(w[0]) + "]");
    }
  } else {
    auto d = matDims(n);
    if (!d) return d.status();
    TMLC_RETURN_IF_ERROR(checkPer(in(n, s.aZp), "a zero point", d->m));
    TMLC_RETURN_IF_ERROR(checkPer(in(n, s.bZp), "b zero point", d->n));
    if (s.aScale >= 0) TMLC_RETURN_IF_ERROR(checkPer(in(n, s.aScale), "a scale", d->m));
    if (s.bScale >= 0) TMLC_RETURN_IF_ERROR(checkPer(in(n, s.bScale), "b scale", d->n));
    y = d->y;
  }
  setOutput(n, 0, out, y);
  return Status::ok();
}

// The rescale multipliers M = scale_a * scale_b / scale_y, computed in float
// as ONNX Runtime does, one per distinct (a scale, b scale) pair: [a][b].
std::vector<tmlc::q::FloatMult> multipliers(const Node& n, int64_t aCount, int64_t bCount) {
  const Slots s = slotsOf(n.kind);
  const Tensor& sa = *in(n, s.aScale)->constant;
  const Tensor& sb = *in(n, s.bScale)->constant;
  const float sy = static_cast<float>(in(n, s.yScale)->constant->getDouble(0));
  std::vector<tmlc::q::FloatMult> r;
  for (int64_t i = 0; i < aCount; ++i)
    for (int64_t j = 0; j < bCount; ++j) {
      const float m = static_cast<float>(sa.getDouble(i)) * static_cast<float>(sb.getDouble(j)) / sy;
      r.push_back(tmlc::q::float_mult(m));
    }
  return r;
}

// Declares the node's FloatMults table; returns the expression for its array.
std::string multTable(EmitContext& ctx, const Node& n, const std::vector<tmlc::q::FloatMult>& m) {
  std::string init = "{{";
  for (size_t i = 0; i < m.size(); ++i)
    init += (i ? ", " : "") + std::string("{") + std::to_string(m[i].m) + ", " + std::to_string(m[i].e) + "}";
  init += "}}";
  return ctx.params(n, "tmlc::FloatMults<" + std::to_string(m.size()) + ">", init, "_mult") + ".v";
}

std::string types(const Node& n) {
  const Slots s = slotsOf(n.kind);
  return std::string(EmitContext::ctype(in(n, s.a))) + ", " + EmitContext::ctype(in(n, s.b)) + ", " +
         EmitContext::ctype(n.output(0));
}

// x, x zero point, w, w zero point, multipliers, y zero point: the operands
// both kernels take after the params.
std::string operands(EmitContext& ctx, const Node& n, const std::string& mult) {
  const Slots s = slotsOf(n.kind);
  auto ref = [&](int slot) { return slot < 0 ? std::string("nullptr") : ctx.refOrNull(in(n, slot)); };
  return ref(s.a) + ", " + ref(s.aZp) + ", " + ref(s.b) + ", " + ref(s.bZp) + ", " + mult + ", " + ref(s.yZp);
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/qlinear.h");
  auto s = [](int32_t v) { return std::to_string(v); };
  if (isConv(n.kind)) {
    tmlc::QConvParams p = convParams(n);
    std::string name = ctx.params(n, "tmlc::QConvParams",
                                  "{/*batch*/ " + s(p.batch) + ", /*in_c*/ " + s(p.in_c) + ", /*out_c*/ " +
                                      s(p.out_c) + ", /*group*/ " + s(p.group) + ", " + printWindow(p.win) +
                                      ", /*w zp, scale per channel*/ " + s(p.w_zp_per_channel) + ", " +
                                      s(p.w_scale_per_channel) + "}");
    const int bias = slotsOf(n.kind).bias;
    const std::string mult =
        isQLinear(n.kind) ? multTable(ctx, n, multipliers(n, 1, p.w_scale_per_channel ? p.out_c : 1)) : "nullptr";
    ctx.call("tmlc::qlinear_conv<" + types(n) + ">(" + name + ", " + operands(ctx, n, mult) + ", " +
             (bias < 0 ? std::string("nullptr") : ctx.refOrNull(in(n, bias))) + ", " + ctx.ref(n.output(0)) + ");");
    return Status::ok();
  }
  tmlc::QMatMulParams p = matParams(n);
  std::string name = ctx.params(n, "tmlc::QMatMulParams",
                                "{{/*m,n,k*/ " + s(p.mm.m) + ", " + s(p.mm.n) + ", " + s(p.mm.k) + ", /*batch*/ " +
                                    printBroadcast(p.mm.batch) + ", " + EmitContext::activation(kNoActivation) +
                                    "}, /*a zp, scale per row*/ " + s(p.a_zp_per_row) + ", " + s(p.a_scale_per_row) +
                                    ", /*b zp, scale per column*/ " + s(p.b_zp_per_col) + ", " +
                                    s(p.b_scale_per_col) + "}");
  const std::string mult =
      isQLinear(n.kind)
          ? multTable(ctx, n, multipliers(n, p.a_scale_per_row ? p.mm.m : 1, p.b_scale_per_col ? p.mm.n : 1))
          : "nullptr";
  ctx.call("tmlc::qlinear_matmul<" + types(n) + ">(" + name + ", " + operands(ctx, n, mult) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

int64_t macs(const Node& n) {
  if (isConv(n.kind)) {
    const Shape& w = in(n, slotsOf(n.kind).b)->type.shape;
    return numElements(n.output(0)->type.shape) * numElements(Shape(w.begin() + 1, w.end()));
  }
  tmlc::QMatMulParams p = matParams(n);
  return int64_t(p.mm.batch.count) * p.mm.m * p.mm.n * p.mm.k;
}

}  // namespace

extern const OpDef kOp_QLinearMatMul = {OpKind::QLinearMatMul, "", "QLinearMatMul", infer, emit, nullptr, nullptr,
                                        macs, false, false};
extern const OpDef kOp_MatMulInteger = {OpKind::MatMulInteger, "", "MatMulInteger", infer, emit, nullptr, nullptr,
                                        macs, false, false};
extern const OpDef kOp_QLinearConv = {OpKind::QLinearConv, "", "QLinearConv", infer, emit, nullptr, nullptr, macs,
                                      false, false};
extern const OpDef kOp_ConvInteger = {OpKind::ConvInteger, "", "ConvInteger", infer, emit, nullptr, nullptr, macs,
                                      false, false};

}  // namespace tmlc
