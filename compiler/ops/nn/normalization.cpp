// normalization.cpp: InstanceNormalization, GroupNormalization,
// LayerNormalization (with its optional Mean and InvStdDev outputs) and
// MeanVarianceNormalization. Kernel: runtime/include/tmlc/kernels/normalization.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/normalization.h"

namespace tmlc {

namespace {

std::string i2s(int64_t v) { return std::to_string(v); }

Status requireFloat(const Node& n) {
  if (!isFloat(n.input(0)->type.dtype))
    return Status::error(std::string(opName(n.kind)) + " of " + dtypeName(n.input(0)->type.dtype) + " is not supported");
  for (size_t i = 1; i < n.inputs.size(); ++i)
    if (n.input(i) && n.input(i)->type.dtype != n.input(0)->type.dtype)
      return Status::error("input " + i2s(static_cast<int64_t>(i)) + " has a different type from X");
  return Status::ok();
}

// InstanceNormalization (groups = channels) and GroupNormalization.
int64_t groupsOf(const Node& n) {
  return n.kind == OpKind::InstanceNormalization ? n.input(0)->type.shape[1] : n.attrInt("num_groups", 0);
}

Status inferGroupNorm(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, 3));
  TMLC_RETURN_IF_ERROR(requireFloat(n));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 2) return Status::error("input X must have rank >= 2");
  const int64_t groups = groupsOf(n);
  if (groups <= 0 || x[1] % groups) return Status::error("num_groups must divide the " + i2s(x[1]) + " channels");
  for (size_t i = 1; i < 3; ++i) {
    const Shape& s = n.input(i)->type.shape;
    if (s != Shape{x[1]} && s != Shape{groups})
      return Status::error("scale and bias must have shape [" + i2s(x[1]) + "] (or [" + i2s(groups) + "])");
  }
  if (n.input(1)->type.shape != n.input(2)->type.shape) return Status::error("scale and bias shapes differ");
  setOutput(n, 0, n.input(0)->type.dtype, x);
  return Status::ok();
}

Status emitGroupNorm(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/normalization.h");
  const Shape& x = n.input(0)->type.shape;
  const int64_t groups = groupsOf(n);
  const bool perGroup = n.input(1)->type.shape[0] != x[1];
  std::string name = ctx.params(
      n, "tmlc::GroupNormParams",
      "{/*batch*/ " + i2s(x[0]) + ", /*channels*/ " + i2s(x[1]) + ", /*groups*/ " + i2s(groups) + ", /*spatial*/ " +
          i2s(numElements(Shape(x.begin() + 2, x.end()))) + ", /*epsilon*/ " +
          EmitContext::floatLiteral(n.attrFloat("epsilon", 1e-5f)) + ", /*scale_per_group*/ " + i2s(perGroup) + "}");
  ctx.call("tmlc::group_norm<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

// LayerNormalization: normalizes over axes [axis, rank).
Expected<size_t> layerAxis(const Node& n) {
  auto a = normalizeAxis(n.attrInt("axis", -1), static_cast<int64_t>(n.input(0)->type.shape.size()));
  if (!a) return a.status();
  return static_cast<size_t>(*a);
}

Status inferLayerNorm(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  TMLC_RETURN_IF_ERROR(requireFloat(n));
  if (n.attrInt("stash_type", 1) != 1) return Status::error("stash_type other than float is not supported");
  const Shape& x = n.input(0)->type.shape;
  auto axis = layerAxis(n);
  if (!axis) return axis.status();
  const Shape norm(x.begin() + static_cast<long>(*axis), x.end());
  for (size_t i = 1; i < 3; ++i) {
    const Value* v = n.input(i);
    if (!v) continue;
    auto b = broadcastShapes({norm, v->type.shape});
    if (!b || *b != norm)
      return Status::error("input " + i2s(static_cast<int64_t>(i)) + " " + shapeToString(v->type.shape) +
                           " does not broadcast to the normalized shape " + shapeToString(norm));
  }
  setOutput(n, 0, n.input(0)->type.dtype, x);
  Shape stat = x;
  for (size_t i = *axis; i < stat.size(); ++i) stat[i] = 1;
  setOutput(n, 1, DType::Float32, stat);
  setOutput(n, 2, DType::Float32, stat);
  return Status::ok();
}

Status emitLayerNorm(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/normalization.h");
  const Shape& x = n.input(0)->type.shape;
  const size_t axis = *layerAxis(n);
  const Shape norm(x.begin() + static_cast<long>(axis), x.end());
  const Shape none;  // an omitted bias: stride 0
  tmlc::BroadcastParams bc =
      makeBroadcast(norm, {n.input(1)->type.shape, n.input(2) ? n.input(2)->type.shape : none});
  const int64_t inner = numElements(norm);
  std::string name = ctx.params(n, "tmlc::LayerNormParams",
                                "{/*outer*/ " + i2s(numElements(x) / std::max<int64_t>(inner, 1)) + ", /*inner*/ " +
                                    i2s(inner) + ", /*epsilon*/ " +
                                    EmitContext::floatLiteral(n.attrFloat("epsilon", 1e-5f)) + ", " +
                                    printBroadcast(bc) + "}");
  ctx.call("tmlc::layer_norm<" + EmitContext::ctype(n.output(0)) + ", float>(" + name + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) + ", " +
           ctx.refOrNull(n.output(1)) + ", " + ctx.refOrNull(n.output(2)) + ");");
  return Status::ok();
}

// MeanVarianceNormalization over `axes` (default [0, 2, 3]).
Expected<std::vector<bool>> mvnAxes(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  std::vector<bool> reduced(x.size(), false);
  for (int64_t a : n.attrInts("axes", {0, 2, 3})) {
    auto k = normalizeAxis(a, static_cast<int64_t>(x.size()));
    if (!k) return k.status();
    reduced[static_cast<size_t>(*k)] = true;
  }
  return reduced;
}

Status inferMvn(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(requireFloat(n));
  auto r = mvnAxes(n);
  if (!r) return r.status();
  if (n.input(0)->type.shape.size() > static_cast<size_t>(tmlc::kMaxRank))
    return Status::error("rank above " + i2s(tmlc::kMaxRank) + " is not supported");
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status emitMvn(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/normalization.h");
  const Shape& x = n.input(0)->type.shape;
  const std::vector<bool> reduced = *mvnAxes(n);
  std::vector<int64_t> kd, ks, rd, rs;
  int64_t stride = 1;
  for (size_t i = x.size(); i-- > 0;) {  // innermost first, so strides accumulate
    std::vector<int64_t>& dims = reduced[i] ? rd : kd;
    std::vector<int64_t>& strides = reduced[i] ? rs : ks;
    dims.insert(dims.begin(), x[i]);
    strides.insert(strides.begin(), stride);
    stride *= x[i];
  }
  auto arr = [](const std::vector<int64_t>& v) {
    std::vector<int64_t> p = v;
    p.resize(tmlc::kMaxRank, 0);
    return EmitContext::ints(p);
  };
  std::string name = ctx.params(n, "tmlc::MvnParams",
                                "{" + i2s(static_cast<int64_t>(kd.size())) + ", " +
                                    i2s(static_cast<int64_t>(rd.size())) + ", " + arr(kd) + ", " + arr(ks) + ", " +
                                    arr(rd) + ", " + arr(rs) + "}");
  ctx.call("tmlc::mvn<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_InstanceNormalization = {OpKind::InstanceNormalization, "", "InstanceNormalization",
                                                inferGroupNorm, emitGroupNorm, nullptr, nullptr, nullptr,
                                                false, false};
extern const OpDef kOp_GroupNormalization = {OpKind::GroupNormalization, "", "GroupNormalization", inferGroupNorm,
                                             emitGroupNorm, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_LayerNormalization = {OpKind::LayerNormalization, "", "LayerNormalization", inferLayerNorm,
                                             emitLayerNorm, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_MeanVarianceNormalization = {OpKind::MeanVarianceNormalization, "",
                                                    "MeanVarianceNormalization", inferMvn, emitMvn, nullptr,
                                                    nullptr, nullptr, false, false};

}  // namespace tmlc
