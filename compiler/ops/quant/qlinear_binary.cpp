// qlinear_binary.cpp: com.microsoft QLinearAdd and QLinearMul (uint8 or int8,
// numpy broadcasting, per-tensor scales and zero points given as constant
// inputs A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale,
// C_zero_point; zero points optional).
// Kernel: runtime/include/tmlc/kernels/int8/elementwise.h, the integer add and
// mul of quantized graphs (fixed-point rescaling; ONNX Runtime rescales in
// float, see docs/quantization.md for where the two differ by one).
#include <algorithm>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"
#include "ops/quant/ms_qlinear.h"

namespace tmlc {

namespace {

struct Quants {
  MsQuant a, b, c;
};

Expected<Quants> quants(const Node& n) {
  const DType t = n.input(0)->type.dtype;
  Quants q;
  auto a = readMsQuant(n, 1, 2, t, "A");
  if (!a) return a.status();
  auto b = readMsQuant(n, 4, 5, t, "B");
  if (!b) return b.status();
  auto c = readMsQuant(n, 6, 7, t, "C");
  if (!c) return c.status();
  q.a = *a;
  q.b = *b;
  q.c = *c;
  return q;
}

// The fixed-point rescale. Fraction bits below the output's LSB before it:
// add, (q - zp) * 2^20 within int32 for 8-bit q, as the PTQ path; mul,
// |product| * 2^15 < 2^31.
struct Rescale {
  int32_t leftShift = 0;
  std::pair<int32_t, int32_t> a{0, 0}, b{0, 0}, out{0, 0};
};

Expected<Rescale> rescale(const Node& n, const Quants& q) {
  Rescale r;
  if (n.kind == OpKind::QLinearMul) {
    auto m = fixedMultiplier(double(q.a.scale) * q.b.scale / q.c.scale);
    if (!m) return m.status();
    r.out = *m;
    r.leftShift = 15;
    while (r.leftShift > 0 && r.out.second - r.leftShift < -31) --r.leftShift;
    r.out.second -= r.leftShift;
    return r;
  }
  r.leftShift = 20;
  const double twiceMax = 2.0 * std::max<double>(q.a.scale, q.b.scale);
  auto ma = fixedMultiplier(q.a.scale / twiceMax), mb = fixedMultiplier(q.b.scale / twiceMax),
       mo = fixedMultiplier(twiceMax / (static_cast<double>(1 << r.leftShift) * q.c.scale));
  if (!ma) return ma.status();
  if (!mb) return mb.status();
  if (!mo) return mo.status();
  r.a = *ma;
  r.b = *mb;
  r.out = *mo;
  return r;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 8));  // the zero points (2, 5, 7) are optional
  for (size_t i : {3, 4, 6}) TMLC_RETURN_IF_ERROR(requireInput(n, i));
  const DType t = n.input(0)->type.dtype;
  if (!isMsQuantType(t)) return Status::error(std::string("type ") + dtypeName(t) + " is not supported (uint8 or int8)");
  if (n.input(3)->type.dtype != t) return Status::error("A and B differ in type");
  auto q = quants(n);
  if (!q) return q.status();
  auto r = rescale(n, *q);
  if (!r) return r.status();
  auto s = broadcastShapes({n.input(0)->type.shape, n.input(3)->type.shape});
  if (!s) return s.status();
  setOutput(n, 0, t, *s);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/elementwise.h");
  const Quants q = *quants(n);
  const DType t = n.input(0)->type.dtype;
  const bool isMul = n.kind == OpKind::QLinearMul;
  const Rescale r = *rescale(n, q);
  auto bc = makeBroadcast(n.output(0)->type.shape, {n.input(0)->type.shape, n.input(3)->type.shape});
  std::string init = "{" + printBroadcast(bc) + ", " +
                     fieldInit({{"a_offset", -q.a.zp}, {"b_offset", -q.b.zp}, {"out_offset", q.c.zp},
                                {"left_shift", r.leftShift}, {"a_mult", r.a.first}, {"a_shift", r.a.second},
                                {"b_mult", r.b.first}, {"b_shift", r.b.second}, {"b_sign", 1},
                                {"out_mult", r.out.first}, {"out_shift", r.out.second}, {"act_min", qmin(t)},
                                {"act_max", qmax(t)}})
                         .substr(1);
  std::string p = ctx.params(n, "tmlc::q::ElementwiseParams", init);
  ctx.call(std::string("tmlc::q::") + (isMul ? "mul" : "add") + "<" + EmitContext::ctype(n.output(0)) + ">(" + p +
           ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(3)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QLinearAdd = {OpKind::QLinearAdd, "com.microsoft", "QLinearAdd", infer, emit, nullptr,
                                     nullptr, nullptr, false, false};
extern const OpDef kOp_QLinearMul = {OpKind::QLinearMul, "com.microsoft", "QLinearMul", infer, emit, nullptr,
                                     nullptr, nullptr, false, false};

}  // namespace tmlc
