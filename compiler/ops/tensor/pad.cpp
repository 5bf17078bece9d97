// pad.cpp: Pad (tmlc/kernels/pad.h), modes constant, reflect, edge and wrap.
// Opset >= 11 takes pads, constant_value and (opset 18) axes as inputs, which
// must be constants; older opsets take the 'pads' and 'value' attributes.
#include "codegen/literals.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/tensor/copy_plan.h"
#include "ops/tensor/dispatch.h"
#include "tmlc/kernels/pad.h"

namespace tmlc {

namespace {

struct PadPlan {
  tmlc::PadParams params{};
  Tensor value;  // one element of the data's type
};

Expected<PadPlan> planPad(const Node& n) {
  const TensorType& t = n.input(0)->type;
  const int64_t r = static_cast<int64_t>(t.shape.size());
  if (r == 0) return Status::error("cannot pad a scalar");
  if (r > tmlc::kMaxRank) return Status::error("rank above 8 is not supported");
  PadPlan p;
  std::vector<int64_t> pads;
  const std::string mode = n.attrString("mode", "constant");
  if (mode == "constant") p.params.mode = tmlc::PadMode::Constant;
  else if (mode == "reflect") p.params.mode = tmlc::PadMode::Reflect;
  else if (mode == "edge") p.params.mode = tmlc::PadMode::Edge;
  else if (mode == "wrap") p.params.mode = tmlc::PadMode::Wrap;
  else return Status::error("mode '" + mode + "' is not supported");
  p.value = Tensor::zeros(t.dtype, {});
  if (n.opset < 11 && !n.input(1)) {
    pads = n.attrInts("pads");
    const float v = n.attrFloat("value", 0.0f);
    visitDType(t.dtype, [&](auto z) { *p.value.data<decltype(z)>() = static_cast<decltype(z)>(v); });
  } else {
    auto pv = constInts(n, 1, "pads");
    if (!pv) return pv.status();
    pads = *pv;
    if (const Value* cv = n.input(2)) {
      if (!cv->isConstant())
        return Status::error("input 'constant_value' ('" + cv->name +
                             "') must be a compile-time constant (an initializer, or --const-input)");
      if (cv->type.dtype != t.dtype) return Status::error("constant_value differs in type from the data");
      if (cv->constant->numel() > 0) p.value.bytes.assign(cv->constant->bytes.begin(), cv->constant->bytes.begin() +
                                                              static_cast<std::ptrdiff_t>(dtypeSize(t.dtype)));
    }
  }
  std::vector<int64_t> axes;
  if (n.input(3)) {
    auto a = constInts(n, 3, "axes");
    if (!a) return a.status();
    for (int64_t x : *a) {
      auto na = normalizeAxis(x, r);
      if (!na) return na.status();
      axes.push_back(*na);
    }
  } else {
    for (int64_t i = 0; i < r; ++i) axes.push_back(i);
  }
  const size_t k = axes.size();
  if (pads.size() != 2 * k)
    return Status::error("pads has " + std::to_string(pads.size()) + " entries, expected " + std::to_string(2 * k));
  p.params.rank = static_cast<int32_t>(r);
  for (int64_t d = 0; d < r; ++d) {
    p.params.in_dims[d] = static_cast<int32_t>(t.shape[static_cast<size_t>(d)]);
    p.params.out_dims[d] = p.params.in_dims[d];
  }
  for (size_t i = 0; i < k; ++i) {
    const size_t d = static_cast<size_t>(axes[i]);
    const int64_t out = t.shape[d] + pads[i] + pads[i + k];
    if (out < 0) return Status::error("pads crop axis " + std::to_string(d) + " below size 0");
    if (p.params.mode != tmlc::PadMode::Constant && t.shape[d] == 0 && out > 0)
      return Status::error("cannot pad an empty axis in mode '" + mode + "'");
    p.params.begin[d] = static_cast<int32_t>(pads[i]);
    p.params.out_dims[d] = static_cast<int32_t>(out);
  }
  return p;
}

Status inferPad(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 4));
  TMLC_RETURN_IF_ERROR(checkIndexable(n.input(0)->type.shape));
  auto p = planPad(n);
  if (!p) return p.status();
  Shape out;
  for (int32_t d = 0; d < p->params.rank; ++d) out.push_back(p->params.out_dims[d]);
  TMLC_RETURN_IF_ERROR(checkIndexable(out));
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

const char* modeName(tmlc::PadMode m) {
  switch (m) {
    case tmlc::PadMode::Constant: return "tmlc::PadMode::Constant";
    case tmlc::PadMode::Reflect: return "tmlc::PadMode::Reflect";
    case tmlc::PadMode::Edge: return "tmlc::PadMode::Edge";
    case tmlc::PadMode::Wrap: return "tmlc::PadMode::Wrap";
  }
  return "?";
}

Status emitPad(EmitContext& ctx, const Node& n) {
  auto p = planPad(n);
  if (!p) return p.status();
  if (numElements(n.output(0)->type.shape) == 0) return Status::ok();
  const tmlc::PadParams& q = p->params;
  ctx.include("tmlc/kernels/pad.h");
  std::string name = ctx.params(n, "tmlc::PadParams",
                                "{" + std::to_string(q.rank) + ", " + printArray(q.in_dims, q.rank) + ", " +
                                    printArray(q.out_dims, q.rank) + ", " + printArray(q.begin, q.rank) + ", " +
                                    modeName(q.mode) + "}");
  const std::string ct = EmitContext::ctype(n.output(0));
  ctx.call("tmlc::pad<" + ct + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " + elementLiteral(p->value, 0) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

Status evalPad(const Node& n, std::vector<Tensor>& outs) {
  auto p = planPad(n);
  if (!p) return p.status();
  Tensor y = Tensor::zeros(n.output(0)->type.dtype, n.output(0)->type.shape);
  if (y.numel() > 0)
    visitElementSize(dtypeSize(y.dtype), [&](auto size) {
      tmlc::pad_bytes<decltype(size)::value>(p->params, n.input(0)->constant->bytes.data(), p->value.bytes.data(),
                                             y.bytes.data());
    });
  outs.push_back(std::move(y));
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Pad = {OpKind::Pad, "", "Pad", inferPad, emitPad, evalPad, nullptr, nullptr, false, false};

}  // namespace tmlc
