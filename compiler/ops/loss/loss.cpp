// loss.cpp: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
//
// Both take scores x [N, C, D1..Dk] (k >= 0), labels [N, D1..Dk] (int32 or
// int64) and optional per-class weights [C]; reduction is none (the loss per
// sample, shaped like the labels), sum or mean (a scalar); a sample whose
// label equals ignore_index contributes nothing. SoftmaxCrossEntropyLoss
// applies log-softmax along C first and may also output it (log_prob).
// The trailing dims are merged into one, D, for the kernel.
// Kernel: runtime/include/tmlc/kernels/loss.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "ops/tensor/dispatch.h"
#include "tmlc/kernels/loss.h"

namespace tmlc {

namespace {

Expected<tmlc::LossParams> makeParams(const Node& n) {
  const TensorType& x = n.input(0)->type;
  const TensorType& labels = n.input(1)->type;
  if (!isFloat(x.dtype) || x.dtype == DType::BFloat16)
    return Status::error(std::string(opName(n.kind)) + " of " + dtypeName(x.dtype) +
                         " is not supported (float, double or float16)");
  TMLC_RETURN_IF_ERROR(checkIndexType(labels.dtype, "labels"));
  if (x.shape.size() < 2) return Status::error("input must have rank at least 2, got " + shapeToString(x.shape));
  Shape expect = x.shape;
  expect.erase(expect.begin() + 1);
  if (labels.shape != expect)
    return Status::error("labels have shape " + shapeToString(labels.shape) + ", expected " + shapeToString(expect) +
                         " for an input of shape " + shapeToString(x.shape));
  if (const Value* w = n.input(2)) {
    if (w->type.dtype != x.dtype) return Status::error("weights' element type differs from the input's");
    if (w->type.shape != Shape{x.shape[1]})
      return Status::error("weights have shape " + shapeToString(w->type.shape) + ", expected [" +
                           std::to_string(x.shape[1]) + "]");
  }
  TMLC_RETURN_IF_ERROR(checkIndexable(x.shape));
  if (x.shape[0] == 0 || x.shape[1] == 0 || numElements(x.shape) == 0)
    return Status::error("input of shape " + shapeToString(x.shape) + " is empty, which is not supported");
  const std::string red = n.attrString("reduction", "mean");
  tmlc::LossParams p{};
  if (red == "none") p.reduction = tmlc::LossReduction::None;
  else if (red == "sum") p.reduction = tmlc::LossReduction::Sum;
  else if (red == "mean") p.reduction = tmlc::LossReduction::Mean;
  else return Status::error("reduction '" + red + "' is not supported (none, sum or mean)");
  p.n = static_cast<int32_t>(x.shape[0]);
  p.c = static_cast<int32_t>(x.shape[1]);
  p.d = static_cast<int32_t>(numElements(x.shape) / (x.shape[0] * x.shape[1]));
  p.has_ignore = n.hasAttr("ignore_index");
  p.ignore_index = n.attrInt("ignore_index", 0);
  return p;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 3));
  auto p = makeParams(n);
  if (!p) return p.status();
  const TensorType& x = n.input(0)->type;
  setOutput(n, 0, x.dtype, p->reduction == tmlc::LossReduction::None ? n.input(1)->type.shape : Shape{});
  if (n.kind == OpKind::NegativeLogLikelihoodLoss && n.output(1))
    return Status::error("NegativeLogLikelihoodLoss has one output");
  if (n.output(1)) setOutput(n, 1, x.dtype, x.shape);  // SoftmaxCrossEntropyLoss's log_prob
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  auto p = makeParams(n);
  if (!p) return p.status();
  ctx.include("tmlc/kernels/loss.h");
  auto s = [](int64_t v) { return std::to_string(v); };
  const std::string name =
      ctx.params(n, "tmlc::LossParams",
                 "{/*n*/ " + s(p->n) + ", /*c*/ " + s(p->c) + ", /*d*/ " + s(p->d) + ", /*ignore_index*/ " +
                     s(p->ignore_index) + ", /*has_ignore*/ " + (p->has_ignore ? "true" : "false") +
                     ", tmlc::LossReduction::" +
                     (p->reduction == tmlc::LossReduction::None  ? "None"
                      : p->reduction == tmlc::LossReduction::Sum ? "Sum"
                                                                 : "Mean") +
                     "}");
  const bool sce = n.kind == OpKind::SoftmaxCrossEntropyLoss;
  ctx.call(std::string(sce ? "tmlc::softmax_cross_entropy<" : "tmlc::nll_loss<") + EmitContext::ctype(n.input(0)) +
           ", " + EmitContext::ctype(n.input(1)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.input(1)) + ", " + ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) +
           (sce ? ", " + ctx.refOrNull(n.output(1)) : std::string()) + ");");
  return Status::ok();
}

// Constant folding runs the same kernels.
Status eval(const Node& n, std::vector<Tensor>& outs) {
  auto p = makeParams(n);
  if (!p) return p.status();
  const bool sce = n.kind == OpKind::SoftmaxCrossEntropyLoss;
  Tensor loss = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  Tensor logProb = n.output(1) ? Tensor::zeros(n.output(1)->type.dtype, n.output(1)->type.shape) : Tensor{};
  const Tensor& x = *n.input(0)->constant;
  const Tensor& labels = *n.input(1)->constant;
  const Tensor* w = n.input(2) ? n.input(2)->constant.get() : nullptr;
  bool ok = visitDType(x.dtype, [&](auto t) {
    using T = decltype(t);
    if constexpr (std::is_same<T, float>::value || std::is_same<T, double>::value ||
                  std::is_same<T, tmlc::float16>::value) {
      visitIndex(labels.dtype, [&](auto l) {
        using L = decltype(l);
        const T* wp = w ? w->data<T>() : nullptr;
        if (sce)
          tmlc::softmax_cross_entropy<T, L>(*p, x.data<T>(), labels.data<L>(), wp, loss.data<T>(),
                                            n.output(1) ? logProb.data<T>() : nullptr);
        else
          tmlc::nll_loss<T, L>(*p, x.data<T>(), labels.data<L>(), wp, loss.data<T>());
      });
    }
  });
  if (!ok) return Status::error("internal compiler error: loss eval of an unexpected dtype");
  outs.push_back(std::move(loss));
  if (n.output(1)) outs.push_back(std::move(logProb));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_NegativeLogLikelihoodLoss = {
    OpKind::NegativeLogLikelihoodLoss, "", "NegativeLogLikelihoodLoss", infer, emit, eval, nullptr, nullptr, false,
    false};
extern const OpDef kOp_SoftmaxCrossEntropyLoss = {
    OpKind::SoftmaxCrossEntropyLoss, "", "SoftmaxCrossEntropyLoss", infer, emit, eval, nullptr, nullptr, false,
    false};

}  // namespace tmlc
