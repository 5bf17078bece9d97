// reshape.cpp: operators whose output is the input's bytes under another shape:
// Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout (inference mode).
// They emit no kernel: the memory planner makes the output an alias of the
// input (OpDef::alias). Also Shape and Size, which always fold to constants
// because every shape is static.
#include <algorithm>
#include <set>

#include "codegen/literals.h"
#include "ops/op_def.h"
#include "ops/op_util.h"

namespace tmlc {

namespace {

void setAlias(Node& n, Shape s) { setOutput(n, 0, n.input(0)->type.dtype, std::move(s)); }

Status inferReshape(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  std::vector<int64_t> target;
  if (n.input(1)) {
    auto t = constInts(n, 1, "shape");
    if (!t) return t.status();
    target = *t;
  } else {
    target = n.attrInts("shape");  // opset < 5
  }
  const Shape& in = n.input(0)->type.shape;
  const bool allowZero = n.attrInt("allowzero", 0) != 0;
  Shape out;
  int inferAt = -1;
  int64_t known = 1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == 0 && !allowZero) {
      if (i >= in.size()) return Status::error("shape copies dimension " + std::to_string(i) + " the input lacks");
      d = in[i];
    }
    if (d == -1) {
      if (inferAt >= 0) return Status::error("shape has more than one -1");
      inferAt = static_cast<int>(i);
      out.push_back(1);
      continue;
    }
    if (d < 0) return Status::error("shape has invalid dimension " + std::to_string(d));
    out.push_back(d);
    known *= d;
  }
  const int64_t total = numElements(in);
  if (inferAt >= 0) {
    if (known == 0 || total % known) return Status::error("cannot reshape " + shapeToString(in) + " to the requested shape");
    out[static_cast<size_t>(inferAt)] = total / known;
  }
  if (numElements(out) != total)
    return Status::error("cannot reshape " + shapeToString(in) + " (" + std::to_string(total) +
                         " elements) to " + shapeToString(out));
  setAlias(n, out);
  return Status::ok();
}

Status inferFlatten(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  const Shape& in = n.input(0)->type.shape;
  int64_t axis = n.attrInt("axis", 1);
  if (axis < 0) axis += static_cast<int64_t>(in.size());
  if (axis < 0 || axis > static_cast<int64_t>(in.size())) return Status::error("axis out of range");
  int64_t a = 1, b = 1;
  for (size_t i = 0; i < in.size(); ++i) (static_cast<int64_t>(i) < axis ? a : b) *= in[i];
  setAlias(n, {a, b});
  return Status::ok();
}

Expected<std::vector<int64_t>> axesOf(const Node& n) {
  if (n.input(1)) return constInts(n, 1, "axes");  // opset >= 13
  return n.attrInts("axes");
}

Status inferSqueeze(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  const Shape& in = n.input(0)->type.shape;
  auto axes = axesOf(n);
  if (!axes) return axes.status();
  std::set<int64_t> drop;
  for (int64_t a : *axes) {
    auto na = normalizeAxis(a, static_cast<int64_t>(in.size()));
    if (!na) return na.status();
    if (in[static_cast<size_t>(*na)] != 1)
      return Status::error("cannot squeeze axis " + std::to_string(a) + " of size " +
                           std::to_string(in[static_cast<size_t>(*na)]));
    drop.insert(*na);
  }
  Shape out;
  for (size_t i = 0; i < in.size(); ++i) {
    bool squeeze = axes->empty() ? in[i] == 1 : drop.count(static_cast<int64_t>(i)) > 0;
    if (!squeeze) out.push_back(in[i]);
  }
  setAlias(n, out);
  return Status::ok();
}

Status inferUnsqueeze(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 2));
  const Shape& in = n.input(0)->type.shape;
  auto axes = axesOf(n);
  if (!axes) return axes.status();
  const int64_t rank = static_cast<int64_t>(in.size() + axes->size());
  std::set<int64_t> ins;
  for (int64_t a : *axes) {
    auto na = normalizeAxis(a, rank);
    if (!na) return na.status();
    if (!ins.insert(*na).second) return Status::error("axes repeat");
  }
  Shape out;
  size_t k = 0;
  for (int64_t i = 0; i < rank; ++i) out.push_back(ins.count(i) ? 1 : in[k++]);
  setAlias(n, out);
  return Status::ok();
}

Status inferIdentity(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  setAlias(n, n.input(0)->type.shape);
  return Status::ok();
}

// Dropout in inference: output = input; the optional mask output is all
// true (emitted as a fill). Training mode is accepted only with ratio 0, where
// it is the identity too; with a ratio above 0 it drops random elements.
DType maskType(const Node& n) { return n.opset >= 10 ? DType::Bool : n.input(0)->type.dtype; }

Status inferDropout(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 3));
  if (const Value* t = n.input(2)) {
    if (!t->isConstant())
      return Status::error("input 'training_mode' ('" + t->name +
                           "') must be a compile-time constant (an initializer, or --const-input)");
    if (t->constant->numel() > 0 && t->constant->getInt(0) != 0) {
      double ratio = 0.5;
      if (const Value* r = n.input(1)) {
        if (!r->isConstant())
          return Status::error("input 'ratio' ('" + r->name +
                               "') must be a compile-time constant (an initializer, or --const-input)");
        ratio = r->constant->getDouble(0);
      }
      if (ratio != 0)
        return Status::error("training mode with ratio > 0 drops random elements: random operators are not supported");
    }
  }
  if (n.attrInt("is_test", 1) == 0 && n.opset < 7)
    return Status::error("training mode (is_test = 0) is not supported: tmlc compiles inference only");
  setAlias(n, n.input(0)->type.shape);
  if (n.output(1)) setOutput(n, 1, maskType(n), n.input(0)->type.shape);
  return Status::ok();
}

// A scalar 1 (true) of type dt.
Tensor oneOf(DType dt) {
  Tensor one = Tensor::zeros(dt, {});
  visitDType(dt, [&](auto t) { *one.data<decltype(t)>() = static_cast<decltype(t)>(1); });
  return one;
}

Tensor maskOf(const Node& n) {
  Tensor one = oneOf(maskType(n));
  Tensor m = Tensor::zeros(one.dtype, n.input(0)->type.shape);
  const size_t es = one.bytes.size();
  for (size_t i = 0; i < m.bytes.size(); i += es) std::copy(one.bytes.begin(), one.bytes.end(), m.bytes.begin() + static_cast<std::ptrdiff_t>(i));
  return m;
}

Status emitDropoutMask(EmitContext& ctx, const Node& n) {
  const Value* mask = n.output(1);
  if (!mask || numElements(mask->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/fill.h");
  ctx.call("tmlc::fill<" + EmitContext::ctype(mask) + ">(" + std::to_string(numElements(mask->type.shape)) + ", " +
           elementLiteral(oneOf(mask->type.dtype), 0) + ", " + ctx.ref(mask) + ");");
  return Status::ok();
}

Status evalDropout(const Node& n, std::vector<Tensor>& outs) {
  Tensor t = *n.input(0)->constant;
  t.shape = n.output(0)->type.shape;
  outs.push_back(std::move(t));
  outs.push_back(n.output(1) ? maskOf(n) : Tensor{});
  return Status::ok();
}

Status evalAlias(const Node& n, std::vector<Tensor>& outs) {
  Tensor t = *n.input(0)->constant;
  t.shape = n.output(0)->type.shape;
  outs.push_back(std::move(t));
  return Status::ok();
}

// Shape: start/end attributes (opset 15) slice the dimension list.
Status inferShape(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  const int64_t r = static_cast<int64_t>(n.input(0)->type.shape.size());
  int64_t start = n.attrInt("start", 0), end = n.attrInt("end", r);
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = std::clamp<int64_t>(start, 0, r);
  end = std::clamp<int64_t>(end, 0, r);
  setOutput(n, 0, DType::Int64, {std::max<int64_t>(0, end - start)});
  return Status::ok();
}

Status evalShape(const Node& n, std::vector<Tensor>& outs) {
  const Shape& in = n.input(0)->type.shape;
  const int64_t r = static_cast<int64_t>(in.size());
  int64_t start = n.attrInt("start", 0), end = n.attrInt("end", r);
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = std::clamp<int64_t>(start, 0, r);
  end = std::clamp<int64_t>(end, 0, r);
  std::vector<int64_t> dims;
  for (int64_t i = start; i < end; ++i) dims.push_back(in[static_cast<size_t>(i)]);
  outs.push_back(Tensor::fromInts(DType::Int64, {static_cast<int64_t>(dims.size())}, dims));
  return Status::ok();
}

Status inferSize(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  setOutput(n, 0, DType::Int64, {});
  return Status::ok();
}

Status evalSize(const Node& n, std::vector<Tensor>& outs) {
  outs.push_back(Tensor::fromInts(DType::Int64, {}, {numElements(n.input(0)->type.shape)}));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Reshape = {OpKind::Reshape, "", "Reshape", inferReshape, nullptr, evalAlias, nullptr, nullptr, false, true};
extern const OpDef kOp_Flatten = {OpKind::Flatten, "", "Flatten", inferFlatten, nullptr, evalAlias, nullptr, nullptr, false, true};
extern const OpDef kOp_Squeeze = {OpKind::Squeeze, "", "Squeeze", inferSqueeze, nullptr, evalAlias, nullptr, nullptr, false, true};
extern const OpDef kOp_Unsqueeze = {OpKind::Unsqueeze, "", "Unsqueeze", inferUnsqueeze, nullptr, evalAlias, nullptr, nullptr, false, true};
extern const OpDef kOp_Identity = {OpKind::Identity, "", "Identity", inferIdentity, nullptr, evalAlias, nullptr, nullptr, false, true};
extern const OpDef kOp_Dropout = {OpKind::Dropout, "", "Dropout", inferDropout, emitDropoutMask, evalDropout, nullptr, nullptr, false, true};
extern const OpDef kOp_Shape = {OpKind::Shape, "", "Shape", inferShape, nullptr, evalShape, nullptr, nullptr, false, false};
extern const OpDef kOp_Size = {OpKind::Size, "", "Size", inferSize, nullptr, evalSize, nullptr, nullptr, false, false};

}  // namespace tmlc
