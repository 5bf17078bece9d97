// reduce.cpp: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd,
// ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceSumSquare
// (tmlc/kernels/reduce.h: one kernel, one functor per op).
//
// Axes come from the 'axes' input (ReduceSum since opset 13, the others since
// 18; it must be a constant) or the 'axes' attribute (older opsets). No axes
// means every axis, unless noop_with_empty_axes asks for the input unchanged
// (then the node is a copy). keepdims (default 1) keeps reduced axes as 1.
#include <set>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "tmlc/kernels/reduce.h"

namespace tmlc {

namespace {

struct ReducePlan {
  bool identity = false;      // noop_with_empty_axes with no axes
  std::vector<bool> reduced;  // per input axis
};

Expected<ReducePlan> planReduce(const Node& n) {
  const Shape& s = n.input(0)->type.shape;
  const int64_t r = static_cast<int64_t>(s.size());
  std::vector<int64_t> axes;
  if (n.input(1)) {
    auto a = constInts(n, 1, "axes");
    if (!a) return a.status();
    axes = *a;
  } else {
    axes = n.attrInts("axes");
  }
  ReducePlan p;
  p.reduced.assign(s.size(), axes.empty());
  if (axes.empty() && n.attrInt("noop_with_empty_axes", 0) != 0) {
    p.identity = true;
    p.reduced.assign(s.size(), false);
    return p;
  }
  for (int64_t a : axes) {
    auto na = normalizeAxis(a, r);
    if (!na) return na.status();
    p.reduced[static_cast<size_t>(*na)] = true;
  }
  return p;
}

Status inferReduce(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  const TensorType& t = n.input(0)->type;
  if (t.dtype == DType::Bool) return Status::error("bool input is not supported");
  TMLC_RETURN_IF_ERROR(checkIndexable(t.shape));
  auto p = planReduce(n);
  if (!p) return p.status();
  const bool keep = n.attrInt("keepdims", 1) != 0;
  Shape out;
  for (size_t d = 0; d < t.shape.size(); ++d) {
    if (!p->reduced[d]) out.push_back(t.shape[d]);
    else if (keep) out.push_back(1);
  }
  setOutput(n, 0, t.dtype, out);
  return Status::ok();
}

// Kept and reduced axes, adjacent ones of a kind merged, unit axes dropped.
Expected<tmlc::ReduceParams> params(const Node& n, const ReducePlan& plan) {
  const Shape& s = n.input(0)->type.shape;
  const std::vector<int64_t> st = denseStrides(s);
  std::vector<int64_t> kd, ks, rd, rs;
  int prev = -1;  // kind of the last axis added: 0 kept, 1 reduced
  for (size_t d = 0; d < s.size(); ++d) {
    if (s[d] == 1) continue;
    const int kind = plan.reduced[d] ? 1 : 0;
    std::vector<int64_t>& dims = kind ? rd : kd;
    std::vector<int64_t>& strides = kind ? rs : ks;
    if (prev == kind) {
      dims.back() *= s[d];
      strides.back() = st[d];
    } else {
      dims.push_back(s[d]);
      strides.push_back(st[d]);
    }
    prev = kind;
  }
  if (kd.size() > static_cast<size_t>(tmlc::kMaxRank) || rd.size() > static_cast<size_t>(tmlc::kMaxRank))
    return Status::error("more than 8 alternating kept and reduced axes are not supported");
  tmlc::ReduceParams p{};
  p.out_count = 1;
  p.red_count = 1;
  p.kept_rank = static_cast<int32_t>(kd.size());
  for (size_t i = 0; i < kd.size(); ++i) {
    p.kept_dims[i] = static_cast<int32_t>(kd[i]);
    p.kept_strides[i] = static_cast<int32_t>(ks[i]);
    p.out_count *= p.kept_dims[i];
  }
  p.red_rank = static_cast<int32_t>(rd.size());
  for (size_t i = 0; i < rd.size(); ++i) {
    p.red_dims[i] = static_cast<int32_t>(rd[i]);
    p.red_strides[i] = static_cast<int32_t>(rs[i]);
    p.red_count *= p.red_dims[i];
  }
  // A zero-sized axis: no outputs if it is kept, an empty reduction if reduced.
  for (size_t d = 0; d < s.size(); ++d)
    if (s[d] == 0) (plan.reduced[d] ? p.red_count : p.out_count) = 0;
  return p;
}

std::string printReduce(const tmlc::ReduceParams& p) {
  return "{" + std::to_string(p.out_count) + ", " + std::to_string(p.kept_rank) + ", " +
         printArray(p.kept_dims, p.kept_rank) + ", " + printArray(p.kept_strides, p.kept_rank) + ", " +
         std::to_string(p.red_rank) + ", " + printArray(p.red_dims, p.red_rank) + ", " +
         printArray(p.red_strides, p.red_rank) + ", " + std::to_string(p.red_count) + "}";
}

Expected<std::optional<tmlc::CopyParams>> identityCopy(const Node& n) {
  CopyBox b;
  b.dims = {numElements(n.input(0)->type.shape)};
  b.src = b.dst = {1};
  return makeCopy(b);
}

template <typename Op>
Status emitReduce(EmitContext& ctx, const Node& n, const char* functor) {
  auto plan = planReduce(n);
  if (!plan) return plan.status();
  if (plan->identity) {
    auto c = identityCopy(n);
    if (!c) return c.status();
    if (*c) emitCopy(ctx, n, **c, n.input(0), n.output(0));
    return Status::ok();
  }
  auto p = params(n, *plan);
  if (!p) return p.status();
  if (p->out_count == 0) return Status::ok();
  ctx.include("tmlc/kernels/reduce.h");
  std::string name = ctx.params(n, "tmlc::ReduceParams", printReduce(*p));
  ctx.call(std::string("tmlc::reduce<") + functor + ", " + EmitContext::ctype(n.output(0)) + ">(" + name + ", " +
           ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

template <typename Op>
Status evalReduce(const Node& n, std::vector<Tensor>& outs) {
  auto plan = planReduce(n);
  if (!plan) return plan.status();
  const Tensor& x = *n.input(0)->constant;
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  if (plan->identity) {
    y.bytes = x.bytes;
    outs.push_back(std::move(y));
    return Status::ok();
  }
  auto p = params(n, *plan);
  if (!p) return p.status();
  bool ok = visitDType(y.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (!std::is_same<T, bool>::value) tmlc::reduce<Op, T>(*p, x.data<T>(), y.data<T>());
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

int64_t macsReduce(const Node& n) { return numElements(n.input(0)->type.shape); }

}  // namespace

#define TMLC_REDUCE_OP(Kind, Functor)                                                                    \
  extern const OpDef kOp_##Kind = {                                                                      \
      OpKind::Kind, "", #Kind, inferReduce,                                                              \
      [](EmitContext& c, const Node& n) { return emitReduce<tmlc::Functor>(c, n, "tmlc::" #Functor); }, \
      evalReduce<tmlc::Functor>, nullptr, macsReduce, false, false};

TMLC_REDUCE_OP(ReduceSum, ReduceSumOp)
TMLC_REDUCE_OP(ReduceMean, ReduceMeanOp)
TMLC_REDUCE_OP(ReduceMax, ReduceMaxOp)
TMLC_REDUCE_OP(ReduceMin, ReduceMinOp)
TMLC_REDUCE_OP(ReduceProd, ReduceProdOp)
TMLC_REDUCE_OP(ReduceL1, ReduceL1Op)
TMLC_REDUCE_OP(ReduceL2, ReduceL2Op)
TMLC_REDUCE_OP(ReduceLogSum, ReduceLogSumOp)
TMLC_REDUCE_OP(ReduceLogSumExp, ReduceLogSumExpOp)
TMLC_REDUCE_OP(ReduceSumSquare, ReduceSumSquareOp)

}  // namespace tmlc
