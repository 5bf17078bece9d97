// scatter.cpp: ScatterElements, its deprecated alias Scatter, and ScatterND
// (tmlc/kernels/scatter.h). The output is the data input with updates written
// (or combined by 'reduction': add, mul, max, min) at the indexed places.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "ops/tensor/dispatch.h"
#include "tmlc/kernels/scatter.h"

namespace tmlc {

namespace {

int32_t i32(int64_t v) { return static_cast<int32_t>(v); }

Expected<tmlc::ScatterReduction> reductionOf(const Node& n) {
  const std::string r = n.attrString("reduction", "none");
  if (r == "none") return tmlc::ScatterReduction::None;
  if (r == "add") return tmlc::ScatterReduction::Add;
  if (r == "mul") return tmlc::ScatterReduction::Mul;
  if (r == "max") return tmlc::ScatterReduction::Max;
  if (r == "min") return tmlc::ScatterReduction::Min;
  return Status::error("reduction '" + r + "' is not supported");
}

const char* reductionName(tmlc::ScatterReduction r) {
  switch (r) {
    case tmlc::ScatterReduction::None: return "tmlc::ScatterReduction::None";
    case tmlc::ScatterReduction::Add: return "tmlc::ScatterReduction::Add";
    case tmlc::ScatterReduction::Mul: return "tmlc::ScatterReduction::Mul";
    case tmlc::ScatterReduction::Max: return "tmlc::ScatterReduction::Max";
    case tmlc::ScatterReduction::Min: return "tmlc::ScatterReduction::Min";
  }
  return "?";
}

Status checkCommon(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 3, 3));
  TMLC_RETURN_IF_ERROR(checkIndexType(n.input(1)->type.dtype, "indices"));
  if (n.input(2)->type.dtype != n.input(0)->type.dtype) return Status::error("updates and data differ in type");
  auto r = reductionOf(n);
  if (!r) return r.status();
  TMLC_RETURN_IF_ERROR(checkIndexable(n.input(0)->type.shape));
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

// Runs the kernel on constant inputs: f(T{}, I{}) with the element and index types.
template <typename F>
Status evalTyped(const Node& n, std::vector<Tensor>& outs, F&& f) {
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  bool ok = visitDType(y.dtype, [&](auto t) {
    visitIndex(n.input(1)->type.dtype, [&](auto i) { f(t, i, y); });
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(y));
  return Status::ok();
}

// --------------------------------------------------------- ScatterElements
Status inferScatterElements(Node& n) {
  TMLC_RETURN_IF_ERROR(checkCommon(n));
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  if (x.empty() || idx.size() != x.size() || n.input(2)->type.shape != idx)
    return Status::error("data, indices and updates must have the same rank, and indices and updates the same shape");
  if (x.size() > static_cast<size_t>(tmlc::kMaxRank)) return Status::error("rank above 8 is not supported");
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(x.size()));
  if (!axis) return axis.status();
  for (size_t d = 0; d < x.size(); ++d)
    if (d != static_cast<size_t>(*axis) && idx[d] > x[d])
      return Status::error("indices " + shapeToString(idx) + " exceed data " + shapeToString(x) + " outside the axis");
  return Status::ok();
}

tmlc::ScatterElementsParams elementsParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  const std::vector<int64_t> st = denseStrides(x);
  tmlc::ScatterElementsParams p{};
  p.rank = i32(static_cast<int64_t>(x.size()));
  p.count = i32(numElements(idx));
  for (size_t d = 0; d < x.size(); ++d) {
    p.dims[d] = i32(idx[d]);
    p.strides[d] = i32(st[d]);
  }
  p.axis = i32(*normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(x.size())));
  p.axis_dim = i32(x[static_cast<size_t>(p.axis)]);
  p.data_count = i32(numElements(x));
  p.reduction = *reductionOf(n);
  return p;
}

Status emitScatterElements(EmitContext& ctx, const Node& n) {
  const tmlc::ScatterElementsParams p = elementsParams(n);
  if (p.data_count == 0) return Status::ok();
  ctx.include("tmlc/kernels/scatter.h");
  std::string name = ctx.params(
      n, "tmlc::ScatterElementsParams",
      "{" + std::to_string(p.rank) + ", " + std::to_string(p.count) + ", " + printArray(p.dims, p.rank) + ", " +
          printArray(p.strides, p.rank) + ", " + std::to_string(p.axis) + ", " + std::to_string(p.axis_dim) + ", " +
          std::to_string(p.data_count) + ", " + reductionName(p.reduction) + "}");
  ctx.call("tmlc::scatter_elements<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) +
           ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalScatterElements(const Node& n, std::vector<Tensor>& outs) {
  const tmlc::ScatterElementsParams p = elementsParams(n);
  return evalTyped(n, outs, [&](auto t, auto i, Tensor& y) {
    using T = decltype(t);
    using I = decltype(i);
    tmlc::scatter_elements<T, I>(p, n.input(0)->constant->data<T>(), n.input(1)->constant->data<I>(),
                                 n.input(2)->constant->data<T>(), y.data<T>());
  });
}

// -------------------------------------------------------------- ScatterND
Status inferScatterND(Node& n) {
  TMLC_RETURN_IF_ERROR(checkCommon(n));
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  if (x.empty() || idx.empty()) return Status::error("data and indices must have rank at least 1");
  const int64_t k = idx.back();
  if (k < 1 || k > static_cast<int64_t>(x.size()))
    return Status::error("index tuples of length " + std::to_string(k) + " do not fit data of rank " +
                         std::to_string(x.size()));
  if (k > tmlc::kMaxRank) return Status::error("index tuples longer than 8 are not supported");
  Shape upd(idx.begin(), idx.end() - 1);
  upd.insert(upd.end(), x.begin() + k, x.end());
  if (n.input(2)->type.shape != upd)
    return Status::error("updates have shape " + shapeToString(n.input(2)->type.shape) + ", expected " +
                         shapeToString(upd));
  return Status::ok();
}

tmlc::ScatterNDParams ndParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const Shape& idx = n.input(1)->type.shape;
  const size_t k = static_cast<size_t>(idx.back());
  const std::vector<int64_t> st = denseStrides(x);
  tmlc::ScatterNDParams p{};
  p.data_count = i32(numElements(x));
  p.tuples = i32(numElements(Shape(idx.begin(), idx.end() - 1)));
  p.k = i32(static_cast<int64_t>(k));
  for (size_t j = 0; j < k; ++j) {
    p.dims[j] = i32(x[j]);
    p.strides[j] = i32(st[j]);
  }
  p.slice = i32(numElements(Shape(x.begin() + static_cast<std::ptrdiff_t>(k), x.end())));
  p.reduction = *reductionOf(n);
  return p;
}

Status emitScatterND(EmitContext& ctx, const Node& n) {
  const tmlc::ScatterNDParams p = ndParams(n);
  if (p.data_count == 0) return Status::ok();
  ctx.include("tmlc/kernels/scatter.h");
  std::string name = ctx.params(
      n, "tmlc::ScatterNDParams",
      "{" + std::to_string(p.data_count) + ", " + std::to_string(p.tuples) + ", " + std::to_string(p.k) + ", " +
          printArray(p.dims, p.k) + ", " + printArray(p.strides, p.k) + ", " + std::to_string(p.slice) + ", " +
          reductionName(p.reduction) + "}");
  ctx.call("tmlc::scatter_nd<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.input(2)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalScatterND(const Node& n, std::vector<Tensor>& outs) {
  const tmlc::ScatterNDParams p = ndParams(n);
  return evalTyped(n, outs, [&](auto t, auto i, Tensor& y) {
    using T = decltype(t);
    using I = decltype(i);
    tmlc::scatter_nd<T, I>(p, n.input(0)->constant->data<T>(), n.input(1)->constant->data<I>(),
                           n.input(2)->constant->data<T>(), y.data<T>());
  });
}

}  // namespace

extern const OpDef kOp_ScatterElements = {OpKind::ScatterElements, "", "ScatterElements", inferScatterElements,
                                          emitScatterElements, evalScatterElements, nullptr, nullptr, false, false};
// Scatter (opsets 9-10) is ScatterElements under its old name.
extern const OpDef kOp_Scatter = {OpKind::Scatter, "", "Scatter", inferScatterElements, emitScatterElements,
                                  evalScatterElements, nullptr, nullptr, false, false};
extern const OpDef kOp_ScatterND = {OpKind::ScatterND, "", "ScatterND", inferScatterND, emitScatterND,
                                    evalScatterND, nullptr, nullptr, false, false};

}  // namespace tmlc
