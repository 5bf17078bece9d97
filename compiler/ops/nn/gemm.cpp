// gemm.cpp: Gemm (fully connected layers). Kernel: runtime/include/tmlc/kernels/gemm.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/gemm.h"

namespace tmlc {

namespace {

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  const Shape &a = n.input(0)->type.shape, &b = n.input(1)->type.shape;
  if (a.size() != 2 || b.size() != 2) return Status::error("A and B must be matrices (rank 2)");
  const bool ta = n.attrInt("transA", 0), tb = n.attrInt("transB", 0);
  const int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
  const int64_t kb = tb ? b[1] : b[0], nn = tb ? b[0] : b[1];
  if (k != kb) return Status::error("inner dimensions differ: A " + shapeToString(a) + ", B " + shapeToString(b));
  if (const Value* c = n.input(2)) {
    auto s = broadcastShapes({c->type.shape, {m, nn}});
    if (!s || *s != Shape{m, nn}) return Status::error("C " + shapeToString(c->type.shape) + " does not broadcast to [M, N]");
  }
  if (!isFloat(n.input(0)->type.dtype) && !isInteger(n.input(0)->type.dtype))
    return Status::error("unsupported input type");
  setOutput(n, 0, n.input(0)->type.dtype, {m, nn});
  return Status::ok();
}

tmlc::GemmParams makeParams(const Node& n) {
  const Shape& y = n.output(0)->type.shape;
  const Shape& a = n.input(0)->type.shape;
  const bool ta = n.attrInt("transA", 0);
  tmlc::GemmParams p{};
  p.m = static_cast<int32_t>(y[0]);
  p.n = static_cast<int32_t>(y[1]);
  p.k = static_cast<int32_t>(ta ? a[0] : a[1]);
  p.trans_a = ta;
  p.trans_b = static_cast<int32_t>(n.attrInt("transB", 0) != 0);
  p.alpha = n.attrFloat("alpha", 1.f);
  p.beta = n.attrFloat("beta", 1.f);
  if (const Value* c = n.input(2)) {
    Shape cs = c->type.shape;
    while (cs.size() < 2) cs.insert(cs.begin(), 1);
    p.c_stride_m = cs[0] == 1 ? 0 : static_cast<int32_t>(cs[1]);
    p.c_stride_n = cs[1] == 1 ? 0 : 1;
  }
  p.act = n.fused;
  return p;
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/gemm.h");
  tmlc::GemmParams p = makeParams(n);
  auto s = [](int32_t v) { return std::to_string(v); };
  std::string init = "{/*m,n,k*/ " + s(p.m) + ", " + s(p.n) + ", " + s(p.k) + ", /*trans a,b*/ " + s(p.trans_a) +
                     ", " + s(p.trans_b) + ", /*alpha,beta*/ " + EmitContext::floatLiteral(p.alpha) + ", " +
                     EmitContext::floatLiteral(p.beta) + ", /*C strides*/ " + s(p.c_stride_m) + ", " +
                     s(p.c_stride_n) + ", " + EmitContext::activation(n.fused) + "}";
  std::string name = ctx.params(n, "tmlc::GemmParams", init);
  ctx.call("tmlc::gemm<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

int64_t macs(const Node& n) {
  tmlc::GemmParams p = makeParams(n);
  return int64_t(p.m) * p.n * p.k;
}

}  // namespace

extern const OpDef kOp_Gemm = {OpKind::Gemm, "", "Gemm", infer, emit, nullptr, nullptr, macs, true, false};

}  // namespace tmlc
