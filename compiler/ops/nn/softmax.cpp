// softmax.cpp: Softmax, LogSoftmax, Hardmax. Since opset 13 they normalize
// along `axis` (default -1); before, the input is coerced to 2-D at `axis`
// (default 1) and each row of the flattened trailing dims is normalized.
// Kernel: runtime/include/tmlc/kernels/softmax.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/softmax.h"

namespace tmlc {

namespace {

Expected<tmlc::SoftmaxParams> makeParams(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const int64_t rank = static_cast<int64_t>(x.size());
  const bool coerce = n.opset > 0 && n.opset < 13;
  auto axis = normalizeAxis(n.attrInt("axis", coerce ? 1 : -1), rank);
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  int64_t outer = 1, len = 1, inner = 1;
  for (size_t i = 0; i < x.size(); ++i) {
    if (i < a) outer *= x[i];
    else if (i == a || coerce) len *= x[i];
    else inner *= x[i];
  }
  if (x.empty()) len = 1;
  return tmlc::SoftmaxParams{static_cast<int32_t>(outer), static_cast<int32_t>(len), static_cast<int32_t>(inner)};
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  if (!isFloat(n.input(0)->type.dtype))
    return Status::error(std::string(opName(n.kind)) + " of " + dtypeName(n.input(0)->type.dtype) + " is not supported");
  auto p = makeParams(n);
  if (!p) return p.status();
  setOutput(n, 0, n.input(0)->type.dtype, n.input(0)->type.shape);
  return Status::ok();
}

template <int kind>  // 0 softmax, 1 log_softmax, 2 hardmax
Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/softmax.h");
  tmlc::SoftmaxParams p = *makeParams(n);
  std::string name = ctx.params(n, "tmlc::SoftmaxParams",
                                "{/*outer*/ " + std::to_string(p.outer) + ", /*axis*/ " + std::to_string(p.axis) +
                                    ", /*inner*/ " + std::to_string(p.inner) + "}");
  const char* fn = kind == 0 ? "tmlc::softmax<" : kind == 1 ? "tmlc::log_softmax<" : "tmlc::hardmax<";
  ctx.call(fn + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Softmax = {OpKind::Softmax, "", "Softmax", infer, emit<0>, nullptr, nullptr, nullptr,
                                  false, false};
extern const OpDef kOp_LogSoftmax = {OpKind::LogSoftmax, "", "LogSoftmax", infer, emit<1>, nullptr, nullptr,
                                     nullptr, false, false};
extern const OpDef kOp_Hardmax = {OpKind::Hardmax, "", "Hardmax", infer, emit<2>, nullptr, nullptr, nullptr,
                                  false, false};

}  // namespace tmlc
