// det.cpp: Det, the determinant of the square matrices in the last two
// dimensions of x [*, n, n]; y has shape [*]. The kernel eliminates in a copy
// of each matrix in the arena scratch (n * n elements of float, or double for
// double). Kernel: runtime/include/tmlc/kernels/det.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "tmlc/kernels/det.h"

namespace tmlc {

namespace {

bool isDouble(const Node& n) { return n.input(0)->type.dtype == DType::Float64; }

Expected<tmlc::DetParams> makeParams(const Node& n) {
  const TensorType& x = n.input(0)->type;
  if (x.dtype != DType::Float32 && x.dtype != DType::Float64 && x.dtype != DType::Float16)
    return Status::error(std::string("Det of ") + dtypeName(x.dtype) + " is not supported (float, double or float16)");
  if (x.shape.size() < 2 || x.shape.back() != x.shape[x.shape.size() - 2])
    return Status::error("input must be a batch of square matrices [*, n, n], got " + shapeToString(x.shape));
  TMLC_RETURN_IF_ERROR(checkIndexable(x.shape));
  const int64_t m = x.shape.back();
  if (m > 46340) return Status::error("matrices of " + std::to_string(m) + " rows are not supported");
  return tmlc::DetParams{static_cast<int32_t>(numElements(Shape(x.shape.begin(), x.shape.end() - 2))),
                         static_cast<int32_t>(m)};
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  auto p = makeParams(n);
  if (!p) return p.status();
  const Shape& x = n.input(0)->type.shape;
  setOutput(n, 0, n.input(0)->type.dtype, Shape(x.begin(), x.end() - 2));
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  auto p = makeParams(n);
  if (!p) return p.status();
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/det.h");
  const std::string name = ctx.params(n, "tmlc::DetParams",
                                      "{/*batch*/ " + std::to_string(p->batch) + ", /*n*/ " + std::to_string(p->n) + "}");
  ctx.call("tmlc::det<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ", " + ctx.scratch(n, isDouble(n) ? "double" : "float") + ");");
  return Status::ok();
}

size_t scratch(const Node& n) {
  auto p = makeParams(n);
  return p ? static_cast<size_t>(tmlc::det_scratch_elems(p->n)) * (isDouble(n) ? 8 : 4) : 0;
}

// Constant folding runs the same kernel.
Status eval(const Node& n, std::vector<Tensor>& outs) {
  auto p = makeParams(n);
  if (!p) return p.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const Tensor& x = *n.input(0)->constant;
  std::vector<double> a(static_cast<size_t>(tmlc::det_scratch_elems(p->n)));
  std::vector<float> af(a.size());
  if (x.dtype == DType::Float64) tmlc::det<double>(*p, x.data<double>(), y.data<double>(), a.data());
  else if (x.dtype == DType::Float32) tmlc::det<float>(*p, x.data<float>(), y.data<float>(), af.data());
  else tmlc::det<tmlc::float16>(*p, x.data<tmlc::float16>(), y.data<tmlc::float16>(), af.data());
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Det = {OpKind::Det, "", "Det", infer, emit, eval, scratch, nullptr, false, false};

}  // namespace tmlc
