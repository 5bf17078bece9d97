// fill.cpp: operators that generate their output from shapes and scalars
// (tmlc/kernels/fill.h): ConstantOfShape and Range, whose shape inputs must be
// constants and which therefore always fold into weights, and EyeLike, which
// only needs its input's (static) shape.
#include <cmath>

#include "codegen/literals.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "tmlc/kernels/fill.h"

namespace tmlc {

namespace {

// -------------------------------------------------------- ConstantOfShape
Tensor valueOf(const Node& n) {
  const Attribute* a = n.attr("value");
  if (a && a->tensor && a->tensor->numel() == 1) {
    Tensor t = *a->tensor;
    t.shape = {};
    return t;
  }
  return Tensor::zeros(DType::Float32, {});
}

Status inferConstantOfShape(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  auto shape = constInts(n, 0, "input");
  if (!shape) return shape.status();
  for (int64_t d : *shape)
    if (d < 0) return Status::error("shape has a negative dimension");
  const Attribute* a = n.attr("value");
  if (a && (!a->tensor || a->tensor->numel() != 1)) return Status::error("'value' must be a one-element tensor");
  TMLC_RETURN_IF_ERROR(checkIndexable(*shape));
  setOutput(n, 0, valueOf(n).dtype, *shape);
  return Status::ok();
}

Status emitConstantOfShape(EmitContext& ctx, const Node& n) {
  const int64_t count = numElements(n.output(0)->type.shape);
  if (count == 0) return Status::ok();
  ctx.include("tmlc/kernels/fill.h");
  ctx.call("tmlc::fill<" + EmitContext::ctype(n.output(0)) + ">(" + std::to_string(count) + ", " +
           elementLiteral(valueOf(n), 0) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalConstantOfShape(const Node& n, std::vector<Tensor>& outs) {
  const Tensor v = valueOf(n);
  Tensor y = Tensor::zeros(v.dtype, n.output(0)->type.shape);
  const size_t es = dtypeSize(v.dtype);
  for (int64_t i = 0; i < y.numel(); ++i)
    std::copy(v.bytes.begin(), v.bytes.begin() + static_cast<std::ptrdiff_t>(es),
              y.bytes.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(i) * es));
  outs.push_back(std::move(y));
  return Status::ok();
}

// ------------------------------------------------------------------ Range
Expected<int64_t> rangeCount(const Node& n) {
  for (size_t i = 0; i < 3; ++i) {
    const Value* v = n.input(i);
    static const char* const kNames[] = {"start", "limit", "delta"};
    if (!v->isConstant())
      return Status::error(std::string("input '") + kNames[i] + "' ('" + v->name +
                           "') must be a compile-time constant (an initializer, or --const-input)");
    if (v->constant->numel() != 1) return Status::error(std::string("'") + kNames[i] + "' must be a scalar");
    if (v->type.dtype != n.input(0)->type.dtype) return Status::error("inputs differ in type");
  }
  const Tensor &s = *n.input(0)->constant, &l = *n.input(1)->constant, &d = *n.input(2)->constant;
  int64_t count;
  if (isFloat(s.dtype)) {
    const double delta = d.getDouble(0);
    if (delta == 0) return Status::error("delta is 0");
    count = static_cast<int64_t>(std::ceil((l.getDouble(0) - s.getDouble(0)) / delta));
  } else {
    const int64_t delta = d.getInt(0), diff = l.getInt(0) - s.getInt(0);
    if (delta == 0) return Status::error("delta is 0");
    count = diff / delta + ((diff % delta != 0 && (diff > 0) == (delta > 0)) ? 1 : 0);
  }
  return std::max<int64_t>(count, 0);
}

Status inferRange(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, 3));
  const DType dt = n.input(0)->type.dtype;
  if (!isFloat(dt) && !isSignedInt(dt)) return Status::error(std::string("type ") + dtypeName(dt) + " is not supported");
  auto count = rangeCount(n);
  if (!count) return count.status();
  TMLC_RETURN_IF_ERROR(checkIndexable({*count}));
  setOutput(n, 0, dt, {*count});
  return Status::ok();
}

Status emitRange(EmitContext& ctx, const Node& n) {
  const int64_t count = numElements(n.output(0)->type.shape);
  if (count == 0) return Status::ok();
  ctx.include("tmlc/kernels/fill.h");
  ctx.call("tmlc::range<" + EmitContext::ctype(n.output(0)) + ">(" + std::to_string(count) + ", " +
           elementLiteral(*n.input(0)->constant, 0) + ", " + elementLiteral(*n.input(2)->constant, 0) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalRange(const Node& n, std::vector<Tensor>& outs) {
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const int32_t count = static_cast<int32_t>(y.numel());
  bool ok = visitDType(y.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value)
      tmlc::range<T>(count, *n.input(0)->constant->data<T>(), *n.input(2)->constant->data<T>(), y.data<T>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

// ---------------------------------------------------------------- EyeLike
Status inferEyeLike(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  const Shape& s = n.input(0)->type.shape;
  if (s.size() != 2) return Status::error("input must have rank 2");
  DType dt = n.input(0)->type.dtype;
  if (n.hasAttr("dtype")) {
    auto d = dtypeFromOnnx(static_cast<int>(n.attrInt("dtype", 0)));
    if (!d) return Status::error("dtype " + std::to_string(n.attrInt("dtype", 0)) + " is not supported");
    dt = *d;
  }
  TMLC_RETURN_IF_ERROR(checkIndexable(s));
  setOutput(n, 0, dt, s);
  return Status::ok();
}

tmlc::EyeLikeParams eyeParams(const Node& n) {
  const Shape& s = n.output(0)->type.shape;
  int64_t k = n.attrInt("k", 0);
  k = std::max<int64_t>(-s[0] - 1, std::min<int64_t>(k, s[1] + 1));
  return tmlc::EyeLikeParams{static_cast<int32_t>(s[0]), static_cast<int32_t>(s[1]), static_cast<int32_t>(k)};
}

Status emitEyeLike(EmitContext& ctx, const Node& n) {
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  const tmlc::EyeLikeParams p = eyeParams(n);
  ctx.include("tmlc/kernels/fill.h");
  std::string name = ctx.params(n, "tmlc::EyeLikeParams",
                                "{" + std::to_string(p.rows) + ", " + std::to_string(p.cols) + ", " +
                                    std::to_string(p.k) + "}");
  ctx.call("tmlc::eye_like<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalEyeLike(const Node& n, std::vector<Tensor>& outs) {
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const tmlc::EyeLikeParams p = eyeParams(n);
  bool ok = visitDType(y.dtype, [&](auto t) { tmlc::eye_like(p, y.data<decltype(t)>()); });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_ConstantOfShape = {OpKind::ConstantOfShape, "", "ConstantOfShape", inferConstantOfShape,
                                          emitConstantOfShape, evalConstantOfShape, nullptr, nullptr, false, false};
extern const OpDef kOp_Range = {OpKind::Range, "", "Range", inferRange, emitRange, evalRange,
                                nullptr, nullptr, false, false};
extern const OpDef kOp_EyeLike = {OpKind::EyeLike, "", "EyeLike", inferEyeLike, emitEyeLike, evalEyeLike,
                                  nullptr, nullptr, false, false};

}  // namespace tmlc
