// concat.cpp: Concat and Split, as one strided copy per input (Concat) or per
// output (Split) through tmlc/kernels/copy.h. Each copy moves rows of
// (extent along axis) x (inner size) elements; makeCopy merges the rest.
#include <algorithm>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"

namespace tmlc {

namespace {

Expected<int64_t> concatAxis(const Node& n) {
  const int64_t r = static_cast<int64_t>(n.input(0)->type.shape.size());
  if (!n.hasAttr("axis") && n.opset >= 4) return Status::error("attribute 'axis' is required");
  return normalizeAxis(n.attrInt("axis", 1), r);
}

Status inferConcat(Node& n) {
  if (n.inputs.empty()) return Status::error("expected at least 1 input");
  for (size_t i = 0; i < n.inputs.size(); ++i) TMLC_RETURN_IF_ERROR(requireInput(n, i));
  const TensorType& t0 = n.input(0)->type;
  if (t0.shape.empty()) return Status::error("cannot concatenate scalars");
  auto axis = concatAxis(n);
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  Shape out = t0.shape;
  out[a] = 0;
  for (const Value* v : n.inputs) {
    if (v->type.dtype != t0.dtype) return Status::error("inputs have different types");
    if (v->type.shape.size() != t0.shape.size()) return Status::error("inputs have different ranks");
    for (size_t d = 0; d < out.size(); ++d)
      if (d != a && v->type.shape[d] != t0.shape[d])
        return Status::error("input shapes " + shapeToString(t0.shape) + " and " + shapeToString(v->type.shape) +
                             " differ outside axis " + std::to_string(a));
    out[a] += v->type.shape[a];
  }
  TMLC_RETURN_IF_ERROR(checkIndexable(out));
  setOutput(n, 0, t0.dtype, out);
  return Status::ok();
}

// The copy of input k into the output.
Expected<std::vector<std::optional<tmlc::CopyParams>>> planConcat(const Node& n) {
  auto axis = concatAxis(n);
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  const Shape& out = n.output(0)->type.shape;
  const std::vector<int64_t> ost = denseStrides(out);
  std::vector<std::optional<tmlc::CopyParams>> r;
  int64_t at = 0;
  for (const Value* v : n.inputs) {
    CopyBox b;
    b.dims = v->type.shape;
    b.src = denseStrides(b.dims);
    b.dst = ost;
    b.dstOffset = at * ost[a];
    at += v->type.shape[a];
    auto p = makeCopy(b);
    if (!p) return p.status();
    r.push_back(*p);
  }
  return r;
}

Status emitConcat(EmitContext& ctx, const Node& n) {
  auto plan = planConcat(n);
  if (!plan) return plan.status();
  for (size_t k = 0; k < plan->size(); ++k)
    if ((*plan)[k]) emitCopy(ctx, n, *(*plan)[k], n.input(k), n.output(0), "_" + std::to_string(k));
  return Status::ok();
}

Status evalConcat(const Node& n, std::vector<Tensor>& outs) {
  auto plan = planConcat(n);
  if (!plan) return plan.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  for (size_t k = 0; k < plan->size(); ++k)
    if ((*plan)[k]) runCopy(*(*plan)[k], *n.input(k)->constant, y);
  outs.push_back(std::move(y));
  return Status::ok();
}

// Split: sizes from the 'split' input (opset 13), the 'split' attribute
// (older), 'num_outputs' (opset 18: the last part may be smaller), or equal parts.
Expected<std::vector<int64_t>> splitSizes(const Node& n, int64_t dim) {
  const int64_t parts = static_cast<int64_t>(n.outputs.size());
  std::vector<int64_t> s;
  if (n.input(1)) {
    auto v = constInts(n, 1, "split");
    if (!v) return v.status();
    s = *v;
  } else if (n.hasAttr("split")) {
    s = n.attrInts("split");
  } else if (n.hasAttr("num_outputs")) {
    const int64_t k = n.attrInt("num_outputs", parts);
    if (k != parts) return Status::error("num_outputs differs from the number of outputs");
    const int64_t chunk = (dim + k - 1) / k;
    for (int64_t i = 0, left = dim; i < k; ++i, left -= chunk) s.push_back(std::max<int64_t>(0, std::min(chunk, left)));
  } else {
    if (parts == 0 || dim % parts) return Status::error("axis of size " + std::to_string(dim) + " does not split into " +
                                                        std::to_string(parts) + " equal parts");
    s.assign(static_cast<size_t>(parts), dim / parts);
  }
  int64_t sum = 0;
  for (int64_t x : s) {
    if (x < 0) return Status::error("split has a negative size");
    sum += x;
  }
  if (static_cast<int64_t>(s.size()) != parts) return Status::error("split has " + std::to_string(s.size()) +
                                                                      " sizes for " + std::to_string(parts) + " outputs");
  if (sum != dim) return Status::error("split sizes add up to " + std::to_string(sum) + ", not " + std::to_string(dim));
  return s;
}

Status inferSplit(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  const TensorType& t = n.input(0)->type;
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(t.shape.size()));
  if (!axis) return axis.status();
  if (t.shape.empty()) return Status::error("cannot split a scalar");
  TMLC_RETURN_IF_ERROR(checkIndexable(t.shape));
  auto sizes = splitSizes(n, t.shape[static_cast<size_t>(*axis)]);
  if (!sizes) return sizes.status();
  for (size_t k = 0; k < n.outputs.size(); ++k) {
    Shape s = t.shape;
    s[static_cast<size_t>(*axis)] = (*sizes)[k];
    setOutput(n, k, t.dtype, s);
  }
  return Status::ok();
}

Expected<std::vector<std::optional<tmlc::CopyParams>>> planSplit(const Node& n) {
  const Shape& in = n.input(0)->type.shape;
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(in.size()));
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  const std::vector<int64_t> ist = denseStrides(in);
  std::vector<std::optional<tmlc::CopyParams>> r;
  int64_t at = 0;
  for (size_t k = 0; k < n.outputs.size(); ++k) {
    Shape s = in;
    s[a] = n.output(k) ? n.output(k)->type.shape[a] : 0;
    CopyBox b;
    b.dims = s;
    b.src = ist;
    b.dst = denseStrides(s);
    b.srcOffset = at * ist[a];
    at += s[a];
    auto p = makeCopy(b);
    if (!p) return p.status();
    r.push_back(*p);
  }
  return r;
}

Status emitSplit(EmitContext& ctx, const Node& n) {
  auto plan = planSplit(n);
  if (!plan) return plan.status();
  for (size_t k = 0; k < plan->size(); ++k)
    if ((*plan)[k] && n.output(k)) emitCopy(ctx, n, *(*plan)[k], n.input(0), n.output(k), "_" + std::to_string(k));
  return Status::ok();
}

Status evalSplit(const Node& n, std::vector<Tensor>& outs) {
  auto plan = planSplit(n);
  if (!plan) return plan.status();
  for (size_t k = 0; k < plan->size(); ++k) {
    const Value* o = n.output(k);
    Tensor y = o ? Tensor::zeros(o->type.dtype, o->type.shape) : Tensor{};
    if ((*plan)[k] && o) runCopy(*(*plan)[k], *n.input(0)->constant, y);
    outs.push_back(std::move(y));
  }
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Concat = {OpKind::Concat, "", "Concat", inferConcat, emitConcat, evalConcat,
                                 nullptr, nullptr, false, false};
extern const OpDef kOp_Split = {OpKind::Split, "", "Split", inferSplit, emitSplit, evalSplit,
                                nullptr, nullptr, false, false};

}  // namespace tmlc
