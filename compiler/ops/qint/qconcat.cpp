// qconcat.cpp: QConcat along `axis`, requantizing inputs whose scale or zero
// point differ from the output's. Kernel: runtime/include/tmlc/kernels/int8/concat.h
// (one call per input).
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  if (n.inputs.empty()) return Status::error("needs at least one input");
  for (const Value* v : n.inputs) TMLC_RETURN_IF_ERROR(requirePerTensor(v, "input"));
  const Shape& s0 = n.input(0)->type.shape;
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(s0.size()));
  if (!axis) return axis.status();
  Shape out = s0;
  out[static_cast<size_t>(*axis)] = 0;
  for (const Value* v : n.inputs) {
    const Shape& s = v->type.shape;
    if (s.size() != s0.size() || v->type.dtype != n.input(0)->type.dtype)
      return Status::error("inputs differ in rank or type");
    for (size_t d = 0; d < s.size(); ++d)
      if (d != static_cast<size_t>(*axis) && s[d] != s0[d]) return Status::error("inputs differ off the axis");
    out[static_cast<size_t>(*axis)] += s[static_cast<size_t>(*axis)];
  }
  Value* o = n.output(0);
  o->type.dtype = n.input(0)->type.dtype;
  o->type.shape = out;
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/concat.h");
  const Shape& y = n.output(0)->type.shape;
  const int64_t axis = *normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(y.size()));
  int64_t outer = 1, after = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= y[static_cast<size_t>(d)];
  for (size_t d = static_cast<size_t>(axis) + 1; d < y.size(); ++d) after *= y[d];
  const QScalar qo = qscalar(n.output(0));
  std::string p = ctx.params(n, "tmlc::q::ConcatParams",
                             fieldInit({{"outer", outer}, {"out_inner", y[static_cast<size_t>(axis)] * after},
                                        {"out_zp", qo.zp}}));
  int64_t at = 0;
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    const Value* v = n.inputs[k];
    const QScalar qi = qscalar(v);
    const bool copy = qi.scale == qo.scale && qi.zp == qo.zp;
    std::pair<int32_t, int32_t> m{0, 0};
    if (!copy) {
      auto r = fixedMultiplier(qi.scale / qo.scale);
      if (!r) return r.status();
      m = *r;
    }
    const int64_t inner = v->type.shape[static_cast<size_t>(axis)] * after;
    std::string pi = ctx.params(n, "tmlc::q::ConcatInput",
                                fieldInit({{"inner", inner}, {"copy", copy ? 1 : 0}, {"zp", qi.zp},
                                           {"mult", m.first}, {"shift", m.second}}),
                                "_in" + std::to_string(k));
    ctx.call("tmlc::q::concat_part<" + EmitContext::ctype(v) + ">(" + p + ", " + pi + ", " + std::to_string(at) +
             ", " + ctx.ref(v) + ", " + ctx.ref(n.output(0)) + ");");
    at += inner;
  }
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QConcat = {OpKind::QConcat, "tmlc", "QConcat", infer, emit, nullptr, nullptr, nullptr,
                                  false, false};

}  // namespace tmlc
