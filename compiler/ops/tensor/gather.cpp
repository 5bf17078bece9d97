// gather.cpp: Gather, GatherElements and GatherND (tmlc/kernels/gather.h).
// Gather at a constant scalar index is a strided copy (tmlc/kernels/copy.h):
// one slice of the input, with no index array in flash.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "ops/tensor/dispatch.h"
#include "tmlc/kernels/gather.h"

namespace tmlc {

namespace {

int32_t i32(int64_t v) { return static_cast<int32_t>(v); }

int64_t product(const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to && i < s.size(); ++i) p *= s[i];
  return p;
}

// ------------------------------------------------------------------ Gather
Status inferGather(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  TMLC_RETURN_IF_ERROR(checkIndexType(n.input(1)->type.dtype, "indices"));
  if (x.empty()) return Status::error("cannot gather from a scalar");
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(x.size()));
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  Shape out(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(a));
  out.insert(out.end(), idx.begin(), idx.end());
  out.insert(out.end(), x.begin() + static_cast<std::ptrdiff_t>(a) + 1, x.end());
  TMLC_RETURN_IF_ERROR(checkIndexable(x));
  TMLC_RETURN_IF_ERROR(checkIndexable(out));
  if (n.input(1)->isConstant()) {
    const Tensor& t = *n.input(1)->constant;
    for (int64_t i = 0; i < t.numel(); ++i) {
      int64_t v = t.getInt(i);
      if (v < -x[a] || v >= x[a])
        return Status::error("index " + std::to_string(v) + " is out of range for an axis of size " + std::to_string(x[a]));
    }
  }
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

tmlc::GatherParams gatherParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const size_t a = static_cast<size_t>(*normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(x.size())));
  return tmlc::GatherParams{i32(product(x, 0, a)), i32(x[a]), i32(product(x, a + 1, x.size())),
                            i32(numElements(n.input(1)->type.shape))};
}

// A single constant index: the slice x[..., i, ...] as a strided copy.
Expected<std::optional<tmlc::CopyParams>> singleIndexCopy(const Node& n) {
  const tmlc::GatherParams p = gatherParams(n);
  int64_t i = n.input(1)->constant->getInt(0);
  if (i < 0) i += p.axis_dim;
  CopyBox b;
  b.dims = {p.outer, p.inner};
  b.src = {int64_t(p.axis_dim) * p.inner, 1};
  b.dst = {p.inner, 1};
  b.srcOffset = i * p.inner;
  return makeCopy(b);
}

Status emitGather(EmitContext& ctx, const Node& n) {
  if (n.input(1)->isConstant() && numElements(n.input(1)->type.shape) == 1) {
    auto c = singleIndexCopy(n);
    if (!c) return c.status();
    if (*c) emitCopy(ctx, n, **c, n.input(0), n.output(0));
    return Status::ok();
  }
  const tmlc::GatherParams p = gatherParams(n);
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/gather.h");
  std::string name = ctx.params(n, "tmlc::GatherParams",
                                "{" + std::to_string(p.outer) + ", " + std::to_string(p.axis_dim) + ", " +
                                    std::to_string(p.inner) + ", " + std::to_string(p.count) + "}");
  ctx.call("tmlc::gather<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalGather(const Node& n, std::vector<Tensor>& outs) {
  const Tensor &x = *n.input(0)->constant, &idx = *n.input(1)->constant;
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const tmlc::GatherParams p = gatherParams(n);
  visitElementSize(dtypeSize(x.dtype), [&](auto size) {
    visitIndex(idx.dtype, [&](auto i) {
      using I = decltype(i);
      tmlc::gather_bytes<decltype(size)::value, I>(p, x.bytes.data(), idx.data<I>(), y.bytes.data());
    });
  });
  outs.push_back(std::move(y));
  return Status::ok();
}

// ---------------------------------------------------------- GatherElements
Status inferGatherElements(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  TMLC_RETURN_IF_ERROR(checkIndexType(n.input(1)->type.dtype, "indices"));
  if (x.empty() || x.size() != idx.size()) return Status::error("data and indices must have the same rank, at least 1");
  if (x.size() > static_cast<size_t>(tmlc::kMaxRank)) return Status::error("rank above 8 is not supported");
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(x.size()));
  if (!axis) return axis.status();
  for (size_t d = 0; d < x.size(); ++d)
    if (d != static_cast<size_t>(*axis) && idx[d] > x[d])
      return Status::error("indices " + shapeToString(idx) + " exceed data " + shapeToString(x) + " outside the axis");
  TMLC_RETURN_IF_ERROR(checkIndexable(x));
  setOutput(n, 0, n.input(0)->type.dtype, idx);
  return Status::ok();
}

tmlc::GatherElementsParams gatherElementsParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  const std::vector<int64_t> st = denseStrides(x);
  tmlc::GatherElementsParams p{};
  p.rank = i32(static_cast<int64_t>(x.size()));
  p.count = i32(numElements(idx));
  for (size_t d = 0; d < x.size(); ++d) {
    p.dims[d] = i32(idx[d]);
    p.strides[d] = i32(st[d]);
  }
  p.axis = i32(*normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(x.size())));
  p.axis_dim = i32(x[static_cast<size_t>(p.axis)]);
  return p;
}

std::string printGatherElements(const tmlc::GatherElementsParams& p) {
  return "{" + std::to_string(p.rank) + ", " + std::to_string(p.count) + ", " + printArray(p.dims, p.rank) + ", " +
         printArray(p.strides, p.rank) + ", " + std::to_string(p.axis) + ", " + std::to_string(p.axis_dim) + "}";
}

Status emitGatherElements(EmitContext& ctx, const Node& n) {
  const tmlc::GatherElementsParams p = gatherElementsParams(n);
  if (p.count == 0) return Status::ok();
  ctx.include("tmlc/kernels/gather.h");
  std::string name = ctx.params(n, "tmlc::GatherElementsParams", printGatherElements(p));
  ctx.call("tmlc::gather_elements<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalGatherElements(const Node& n, std::vector<Tensor>& outs) {
  const Tensor &x = *n.input(0)->constant, &idx = *n.input(1)->constant;
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const tmlc::GatherElementsParams p = gatherElementsParams(n);
  visitElementSize(dtypeSize(x.dtype), [&](auto size) {
    visitIndex(idx.dtype, [&](auto i) {
      using I = decltype(i);
      tmlc::gather_elements_bytes<decltype(size)::value, I>(p, x.bytes.data(), idx.data<I>(), y.bytes.data());
    });
  });
  outs.push_back(std::move(y));
  return Status::ok();
}

// ---------------------------------------------------------------- GatherND
Status inferGatherND(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  TMLC_RETURN_IF_ERROR(checkIndexType(n.input(1)->type.dtype, "indices"));
  const int64_t b = n.attrInt("batch_dims", 0);
  if (idx.empty() || x.empty()) return Status::error("data and indices must have rank at least 1");
  if (b < 0 || b >= static_cast<int64_t>(std::min(x.size(), idx.size())))
    return Status::error("batch_dims " + std::to_string(b) + " is out of range");
  for (size_t d = 0; d < static_cast<size_t>(b); ++d)
    if (x[d] != idx[d]) return Status::error("batch dimensions of data and indices differ");
  const int64_t k = idx.back();
  if (k < 1 || b + k > static_cast<int64_t>(x.size()))
    return Status::error("index tuples of length " + std::to_string(k) + " do not fit data of rank " +
                         std::to_string(x.size()));
  if (k > tmlc::kMaxRank) return Status::error("index tuples longer than 8 are not supported");
  Shape out(idx.begin(), idx.end() - 1);
  out.insert(out.end(), x.begin() + b + k, x.end());
  TMLC_RETURN_IF_ERROR(checkIndexable(x));
  TMLC_RETURN_IF_ERROR(checkIndexable(out));
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

tmlc::GatherNDParams gatherNDParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  const size_t b = static_cast<size_t>(n.attrInt("batch_dims", 0));
  const size_t k = static_cast<size_t>(idx.back());
  const Shape inner(x.begin() + static_cast<std::ptrdiff_t>(b), x.end());
  const std::vector<int64_t> st = denseStrides(inner);
  tmlc::GatherNDParams p{};
  p.batch = i32(product(x, 0, b));
  p.batch_stride = i32(numElements(inner));
  p.tuples = i32(product(idx, b, idx.size() - 1));
  p.k = i32(static_cast<int64_t>(k));
  for (size_t j = 0; j < k; ++j) {
    p.dims[j] = i32(inner[j]);
    p.strides[j] = i32(st[j]);
  }
  p.slice = i32(product(x, b + k, x.size()));
  return p;
}

Status emitGatherND(EmitContext& ctx, const Node& n) {
  const tmlc::GatherNDParams p = gatherNDParams(n);
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/gather.h");
  std::string name = ctx.params(
      n, "tmlc::GatherNDParams",
      "{" + std::to_string(p.batch) + ", " + std::to_string(p.batch_stride) + ", " + std::to_string(p.tuples) + ", " +
          std::to_string(p.k) + ", " + printArray(p.dims, p.k) + ", " + printArray(p.strides, p.k) + ", " +
          std::to_string(p.slice) + "}");
  ctx.call("tmlc::gather_nd<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalGatherND(const Node& n, std::vector<Tensor>& outs) {
  const Tensor &x = *n.input(0)->constant, &idx = *n.input(1)->constant;
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const tmlc::GatherNDParams p = gatherNDParams(n);
  visitElementSize(dtypeSize(x.dtype), [&](auto size) {
    visitIndex(idx.dtype, [&](auto i) {
      using I = decltype(i);
      tmlc::gather_nd_bytes<decltype(size)::value, I>(p, x.bytes.data(), idx.data<I>(), y.bytes.data());
    });
  });
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Gather = {OpKind::Gather, "", "Gather", inferGather, emitGather, evalGather,
                                 nullptr, nullptr, false, false};
extern const OpDef kOp_GatherElements = {OpKind::GatherElements, "", "GatherElements", inferGatherElements,
                                         emitGatherElements, evalGatherElements, nullptr, nullptr, false, false};
extern const OpDef kOp_GatherND = {OpKind::GatherND, "", "GatherND", inferGatherND, emitGatherND, evalGatherND,
                                   nullptr, nullptr, false, false};

}  // namespace tmlc
