// cast.cpp: Cast (target type from the `to` attribute) and CastLike (target
// type of input 1) between all numeric types and bool. Strings are not
// supported. Kernel: runtime/include/tmlc/kernels/cast.h (tmlc::convert).
#include "ops/elementwise/elementwise.h"
#include "tmlc/kernels/cast.h"

namespace tmlc {

using namespace ew;

namespace {

constexpr int kOnnxString = 8;

Status checkSource(const Node& n) {
  if (typeSetOf(n.input(0)->type.dtype) == 0)
    return Status::error(std::string("casting from ") + dtypeName(n.input(0)->type.dtype) + " is not supported");
  return Status::ok();
}

Status inferCast(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(checkSource(n));
  if (!n.hasAttr("to")) return Status::error("attribute 'to' is missing");
  const int64_t to = n.attrInt("to", 0);
  if (to == kOnnxString) return Status::error("Cast to string is not supported: strings are not supported");
  auto dt = dtypeFromOnnx(static_cast<int>(to));
  if (!dt) return Status::error("Cast to ONNX type " + std::to_string(to) + " is not supported");
  setOutput(n, 0, *dt, n.input(0)->type.shape);
  return Status::ok();
}

Status inferCastLike(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 2));
  TMLC_RETURN_IF_ERROR(checkSource(n));
  const DType dt = n.input(1)->type.dtype;
  if (typeSetOf(dt) == 0) return Status::error(std::string("casting to ") + dtypeName(dt) + " is not supported");
  setOutput(n, 0, dt, n.input(0)->type.shape);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/cast.h");
  ctx.call("tmlc::cast<" + EmitContext::ctype(n.input(0)) + ", " + EmitContext::ctype(n.output(0)) + ">(" +
           std::to_string(numElements(n.output(0)->type.shape)) + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status eval(const Node& n, std::vector<Tensor>& outs) {
  const Tensor& x = *n.input(0)->constant;
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  bool done = false;
  visitDType(x.dtype, [&](auto from) {
    visitDType(y->type.dtype, [&](auto to) {
      using From = decltype(from);
      using To = decltype(to);
      tmlc::cast<From, To>(static_cast<int32_t>(x.numel()), x.data<From>(), out.data<To>());
      done = true;
    });
  });
  if (!done) return Status::error("cannot evaluate this cast at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Cast = {OpKind::Cast, "", "Cast", inferCast, emit, eval, nullptr, nullptr, false, false};
extern const OpDef kOp_CastLike = {OpKind::CastLike, "", "CastLike", inferCastLike, emit, eval,
                                   nullptr, nullptr, false, false};

}  // namespace tmlc
