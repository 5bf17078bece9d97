// qelementwise.cpp: QAdd, QSub and QMul with numpy broadcasting, each input
// with its own per-tensor scale and zero point.
// Kernel: runtime/include/tmlc/kernels/int8/elementwise.h (which documents the
// fixed-point scheme; the multipliers are computed here from the types).
#include <algorithm>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(0), "A"));
  TMLC_RETURN_IF_ERROR(requirePerTensor(n.input(1), "B"));
  if (n.input(0)->type.dtype != n.input(1)->type.dtype) return Status::error("A and B differ in type");
  auto s = broadcastShapes({n.input(0)->type.shape, n.input(1)->type.shape});
  if (!s) return s.status();
  Value* o = n.output(0);
  o->type.dtype = n.input(0)->type.dtype;
  o->type.shape = *s;
  return requirePerTensor(o, "output");
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/elementwise.h");
  const QScalar a = qscalar(n.input(0)), b = qscalar(n.input(1)), y = qscalar(n.output(0));
  auto range = activationRange(n, n.output(0));
  if (!range) return range.status();
  const bool isMul = n.kind == OpKind::QMul;
  const int32_t leftShift = n.input(0)->type.dtype == DType::Int16 ? 15 : 20;
  std::pair<int32_t, int32_t> am{0, 0}, bm{0, 0}, om{0, 0};
  if (isMul) {
    auto m = fixedMultiplier(a.scale * b.scale / y.scale);
    if (!m) return m.status();
    om = *m;
  } else {
    const double twiceMax = 2.0 * std::max(a.scale, b.scale);
    auto ma = fixedMultiplier(a.scale / twiceMax), mb = fixedMultiplier(b.scale / twiceMax),
         mo = fixedMultiplier(twiceMax / (static_cast<double>(1 << leftShift) * y.scale));
    if (!ma) return ma.status();
    if (!mb) return mb.status();
    if (!mo) return mo.status();
    am = *ma;
    bm = *mb;
    om = *mo;
  }
  auto bc = makeBroadcast(n.output(0)->type.shape, {n.input(0)->type.shape, n.input(1)->type.shape});
  std::string init = "{" + printBroadcast(bc) + ", " +
                     fieldInit({{"a_offset", -a.zp}, {"b_offset", -b.zp}, {"out_offset", y.zp},
                                {"left_shift", isMul ? 0 : leftShift}, {"a_mult", am.first}, {"a_shift", am.second},
                                {"b_mult", bm.first}, {"b_shift", bm.second},
                                {"b_sign", n.kind == OpKind::QSub ? -1 : 1}, {"out_mult", om.first},
                                {"out_shift", om.second}, {"act_min", range->first}, {"act_max", range->second}})
                         .substr(1);
  std::string p = ctx.params(n, "tmlc::q::ElementwiseParams", init);
  ctx.call(std::string("tmlc::q::") + (isMul ? "mul" : "add") + "<" + EmitContext::ctype(n.output(0)) + ">(" + p +
           ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QAdd = {OpKind::QAdd, "tmlc", "QAdd", infer, emit, nullptr, nullptr, nullptr, true, false};
extern const OpDef kOp_QSub = {OpKind::QSub, "tmlc", "QSub", infer, emit, nullptr, nullptr, nullptr, true, false};
extern const OpDef kOp_QMul = {OpKind::QMul, "tmlc", "QMul", infer, emit, nullptr, nullptr, nullptr, true, false};

}  // namespace tmlc
