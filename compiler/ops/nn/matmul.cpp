// matmul.cpp: MatMul with numpy semantics: batched, broadcasting batch axes,
// 1-D operands (A [K] is a row, B [K] a column; the added axis is dropped
// from the result), float and integer types; fuses a following activation.
// Kernel: runtime/include/tmlc/kernels/matmul.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/matmul.h"

namespace tmlc {

namespace {

struct Dims {
  int64_t m, k, n;
  Shape aBatch, bBatch, yBatch;
};

Expected<Dims> dims(const Node& n) {
  Shape a = n.input(0)->type.shape, b = n.input(1)->type.shape;
  if (a.empty() || b.empty()) return Status::error("MatMul operands must have rank >= 1");
  if (a.size() == 1) a.insert(a.begin(), 1);
  if (b.size() == 1) b.push_back(1);
  Dims d;
  d.m = a[a.size() - 2];
  d.k = a.back();
  d.n = b.back();
  if (b[b.size() - 2] != d.k)
    return Status::error("inner dimensions differ: A " + shapeToString(n.input(0)->type.shape) + ", B " +
                         shapeToString(n.input(1)->type.shape));
  d.aBatch.assign(a.begin(), a.end() - 2);
  d.bBatch.assign(b.begin(), b.end() - 2);
  auto y = broadcastShapes({d.aBatch, d.bBatch});
  if (!y) return Status::error("batch dimensions do not broadcast: A " + shapeToString(n.input(0)->type.shape) +
                               ", B " + shapeToString(n.input(1)->type.shape));
  d.yBatch = *y;
  return d;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const DType dt = n.input(0)->type.dtype;
  if (n.input(1)->type.dtype != dt) return Status::error("A and B types differ");
  if (!isFloat(dt) && !isInteger(dt)) return Status::error(std::string("MatMul of ") + dtypeName(dt) + " is not supported");
  auto d = dims(n);
  if (!d) return d.status();
  Shape out = d->yBatch;
  if (n.input(0)->type.shape.size() > 1) out.push_back(d->m);
  if (n.input(1)->type.shape.size() > 1) out.push_back(d->n);
  setOutput(n, 0, dt, out);
  return Status::ok();
}

tmlc::MatMulParams makeParams(const Node& n) {
  Dims d = *dims(n);
  tmlc::MatMulParams p{};
  p.m = static_cast<int32_t>(d.m);
  p.n = static_cast<int32_t>(d.n);
  p.k = static_cast<int32_t>(d.k);
  p.batch = makeBroadcast(d.yBatch, {d.aBatch, d.bBatch});
  p.act = n.fused;
  return p;
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/matmul.h");
  tmlc::MatMulParams p = makeParams(n);
  std::string name = ctx.params(n, "tmlc::MatMulParams",
                                "{/*m,n,k*/ " + std::to_string(p.m) + ", " + std::to_string(p.n) + ", " +
                                    std::to_string(p.k) + ", /*batch*/ " + printBroadcast(p.batch) + ", " +
                                    EmitContext::activation(n.fused) + "}");
  ctx.call("tmlc::matmul<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status eval(const Node& n, std::vector<Tensor>& outs) {
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  tmlc::MatMulParams p = makeParams(n);
  const Tensor &a = *n.input(0)->constant, &b = *n.input(1)->constant;
  bool ok = visitDType(y->type.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value) tmlc::matmul<T>(p, a.data<T>(), b.data<T>(), out.data<T>());
  });
  if (!ok || y->type.dtype == DType::Bool) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

int64_t macs(const Node& n) {
  tmlc::MatMulParams p = makeParams(n);
  return int64_t(p.batch.count) * p.m * p.n * p.k;
}

}  // namespace

extern const OpDef kOp_MatMul = {OpKind::MatMul, "", "MatMul", infer, emit, eval, nullptr, macs, true, false};

}  // namespace tmlc
