// max_unpool.cpp: MaxUnpool, the partial inverse of MaxPool: X's values are
// scattered into a zeroed output at the positions given by I (as MaxPool's
// Indices output produces them: flat over the shape MaxPool's input had, which
// the window attributes give as (in - 1) * stride + kernel - pads). The
// optional output_shape input (a compile-time constant) may ask for a larger
// output; each value keeps its coordinates. Kernel: runtime/include/tmlc/kernels/pool.h.
#include "ops/nn/window.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/pool.h"

namespace tmlc {

namespace {

// Spatial shape of the unpooled tensor that the indices refer to.
Expected<Shape> sourceShape(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  auto a = readWindow(n, x.size() - 2, {});
  if (!a) return a.status();
  Shape src;
  for (size_t i = 0; i < a->spatial; ++i)
    src.push_back((x[2 + i] - 1) * a->strides[i] + a->kernel[i] - a->padBegin[i] - a->padEnd[i]);
  return src;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 3 || x.size() > 5) return Status::error("input X must have rank 3 to 5");
  if (n.input(1)->type.dtype != DType::Int64 || n.input(1)->type.shape != x)
    return Status::error("indices I must be int64 with X's shape " + shapeToString(x));
  auto src = sourceShape(n);
  if (!src) return src.status();
  Shape out = {x[0], x[1]};
  out.insert(out.end(), src->begin(), src->end());
  if (n.input(2)) {
    auto s = constInts(n, 2, "output_shape");
    if (!s) return s.status();
    if (s->size() != x.size() || (*s)[0] != x[0] || (*s)[1] != x[1])
      return Status::error("output_shape " + shapeToString(*s) + " does not match X " + shapeToString(x));
    out = *s;
  }
  for (int64_t d : out)
    if (d <= 0) return Status::error("output would be empty");
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/pool.h");
  const Shape& x = n.input(0)->type.shape;
  const Shape& y = n.output(0)->type.shape;
  Shape src = *sourceShape(n), dst(y.begin() + 2, y.end());
  while (src.size() < 3) src.insert(src.begin(), 1);
  while (dst.size() < 3) dst.insert(dst.begin(), 1);
  auto dims = [](const Shape& s) { return "{" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ", " + std::to_string(s[2]) + "}"; };
  std::string name = ctx.params(n, "tmlc::MaxUnpoolParams",
                                "{/*count*/ " + std::to_string(numElements(x)) + ", /*planes*/ " +
                                    std::to_string(x[0] * x[1]) + ", /*src*/ " + dims(src) + ", /*dst*/ " +
                                    dims(dst) + "}");
  ctx.call("tmlc::max_unpool<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_MaxUnpool = {OpKind::MaxUnpool, "", "MaxUnpool", infer, emit, nullptr, nullptr, nullptr,
                                    false, false};

}  // namespace tmlc
