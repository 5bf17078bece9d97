// reverse_sequence.cpp: ReverseSequence (tmlc/kernels/reverse_sequence.h):
// x has rank >= 2 with the time and batch axes (attributes, 0 and 1 in
// either order) first; for each batch entry b the first sequence_lens[b] time
// steps are reversed and the rest copied. sequence_lens is read at run time.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "ops/tensor/dispatch.h"
#include "tmlc/kernels/reverse_sequence.h"

namespace tmlc {

namespace {

Expected<tmlc::ReverseSequenceParams> makeParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 2) return Status::error("input must have rank at least 2, got " + shapeToString(x));
  const int64_t batchAxis = n.attrInt("batch_axis", 1), timeAxis = n.attrInt("time_axis", 0);
  if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)))
    return Status::error("batch_axis " + std::to_string(batchAxis) + " and time_axis " + std::to_string(timeAxis) +
                         " must be 0 and 1 in some order");
  TMLC_RETURN_IF_ERROR(checkIndexType(n.input(1)->type.dtype, "sequence_lens"));
  TMLC_RETURN_IF_ERROR(checkIndexable(x));
  const int64_t batch = x[static_cast<size_t>(batchAxis)];
  if (n.input(1)->type.shape != Shape{batch})
    return Status::error("sequence_lens has shape " + shapeToString(n.input(1)->type.shape) + ", expected [" +
                         std::to_string(batch) + "]");
  const int64_t inner = numElements(Shape(x.begin() + 2, x.end()));
  tmlc::ReverseSequenceParams p{};
  p.batch = static_cast<int32_t>(batch);
  p.time = static_cast<int32_t>(x[static_cast<size_t>(timeAxis)]);
  p.inner = static_cast<int32_t>(inner);
  p.time_stride = static_cast<int32_t>(timeAxis == 0 ? x[1] * inner : inner);
  p.batch_stride = static_cast<int32_t>(batchAxis == 0 ? x[1] * inner : inner);
  return p;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  auto p = makeParams(n);
  if (!p) return p.status();
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  auto p = makeParams(n);
  if (!p) return p.status();
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  ctx.include("tmlc/kernels/reverse_sequence.h");
  auto s = [](int32_t v) { return std::to_string(v); };
  const std::string name = ctx.params(n, "tmlc::ReverseSequenceParams",
                                      "{/*batch*/ " + s(p->batch) + ", /*time*/ " + s(p->time) + ", /*inner*/ " +
                                          s(p->inner) + ", /*batch_stride*/ " + s(p->batch_stride) +
                                          ", /*time_stride*/ " + s(p->time_stride) + "}");
  ctx.call("tmlc::reverse_sequence<" + EmitContext::ctype(n.output(0)) + ", " + EmitContext::ctype(n.input(1)) +
           ">(" + name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.input(1)) + ", " + ctx.ref(n.output(0)) +
           ");");
  return Status::ok();
}

// Constant folding runs the same kernel.
Status eval(const Node& n, std::vector<Tensor>& outs) {
  auto p = makeParams(n);
  if (!p) return p.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  const Tensor& x = *n.input(0)->constant;
  const Tensor& lens = *n.input(1)->constant;
  if (y.numel() > 0)
    visitElementSize(dtypeSize(y.dtype), [&](auto size) {
      visitIndex(lens.dtype, [&](auto l) {
        tmlc::reverse_sequence_bytes<decltype(size)::value>(*p, x.bytes.data(), lens.data<decltype(l)>(),
                                                            y.bytes.data());
      });
    });
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_ReverseSequence = {OpKind::ReverseSequence, "", "ReverseSequence", infer, emit, eval,
                                          nullptr, nullptr, false, false};

}  // namespace tmlc
