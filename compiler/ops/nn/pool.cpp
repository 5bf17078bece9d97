// pool.cpp: MaxPool (with the optional Indices output), AveragePool, LpPool
// over 1-D to 3-D windows, and GlobalAveragePool, GlobalMaxPool, GlobalLpPool.
// Kernel: runtime/include/tmlc/kernels/pool.h.
#include "ops/nn/window.h"
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/pool.h"

namespace tmlc {

namespace {

enum class Pool { Max, Avg, Lp };

// LpPool's p: an int since opset 2, a float in opset 1.
std::string lpExponent(const Node& n) {
  const Attribute* a = n.attr("p");
  return EmitContext::floatLiteral(a && a->kind == Attribute::Kind::Float ? a->f : static_cast<float>(n.attrInt("p", 2)));
}

Status checkType(const Node& n, Pool kind) {
  const DType dt = n.input(0)->type.dtype;
  const bool intOk = kind == Pool::Max && (dt == DType::Int8 || dt == DType::UInt8);
  if (!isFloat(dt) && !intOk)
    return Status::error(std::string("pooling of ") + dtypeName(dt) + " is not supported");
  return Status::ok();
}

Expected<WindowAttrs> geometry(const Node& n, Shape& out) {
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 3) return Status::error("input X must have rank >= 3");
  auto a = readWindow(n, x.size() - 2, {});
  if (!a) return a;
  auto sp = windowOutput(*a, Shape(x.begin() + 2, x.end()), n.attrInt("ceil_mode", 0) != 0);
  if (!sp) return sp.status();
  out = {x[0], x[1]};
  out.insert(out.end(), sp->begin(), sp->end());
  return a;
}

template <Pool kind>
Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(checkType(n, kind));
  Shape out;
  auto a = geometry(n, out);
  if (!a) return a.status();
  setOutput(n, 0, n.input(0)->type.dtype, out);
  if (n.output(1)) {
    if (kind != Pool::Max) return Status::error("only MaxPool has an Indices output");
    setOutput(n, 1, DType::Int64, out);
  }
  return Status::ok();
}

template <Pool kind>
Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/pool.h");
  Shape out;
  WindowAttrs a = *geometry(n, out);
  const Shape& x = n.input(0)->type.shape;
  tmlc::Window w = makeWindow(a, Shape(x.begin() + 2, x.end()), Shape(out.begin() + 2, out.end()));
  std::string init = "{/*planes*/ " + std::to_string(x[0] * x[1]) + ", " + printWindow(w) +
                     ", /*count_include_pad*/ " + std::to_string(n.attrInt("count_include_pad", 0) != 0) +
                     ", /*storage_order*/ " + std::to_string(n.attrInt("storage_order", 0) != 0) + ", /*p*/ " + lpExponent(n) + "}";
  std::string name = ctx.params(n, "tmlc::PoolParams", init);
  const std::string t = EmitContext::ctype(n.output(0));
  const std::string args = "(" + name + ", " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0));
  if (kind == Pool::Max)
    ctx.call("tmlc::max_pool<" + t + ">" + args + ", " + (n.output(1) ? ctx.ref(n.output(1)) : "nullptr") + ");");
  else
    ctx.call(std::string(kind == Pool::Avg ? "tmlc::avg_pool<" : "tmlc::lp_pool<") + t + ">" + args + ");");
  return Status::ok();
}

template <Pool kind>
Status inferGlobal(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  TMLC_RETURN_IF_ERROR(checkType(n, kind));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() < 3) return Status::error("input X must have rank >= 3");
  Shape out(x.size(), 1);
  out[0] = x[0];
  out[1] = x[1];
  setOutput(n, 0, n.input(0)->type.dtype, out);
  return Status::ok();
}

template <Pool kind>
Status emitGlobal(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/pool.h");
  const Shape& x = n.input(0)->type.shape;
  const int64_t planes = x[0] * x[1];
  std::string name =
      ctx.params(n, "tmlc::GlobalPoolParams",
                 "{/*planes*/ " + std::to_string(planes) + ", /*size*/ " +
                     std::to_string(numElements(x) / std::max<int64_t>(planes, 1)) + ", /*p*/ " + lpExponent(n) + "}");
  const char* fn = kind == Pool::Max ? "tmlc::global_max_pool<" : kind == Pool::Avg ? "tmlc::global_avg_pool<" : "tmlc::global_lp_pool<";
  ctx.call(fn + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_MaxPool = {OpKind::MaxPool, "", "MaxPool", infer<Pool::Max>, emit<Pool::Max>,
                                  nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_AveragePool = {OpKind::AveragePool, "", "AveragePool", infer<Pool::Avg>, emit<Pool::Avg>,
                                      nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_LpPool = {OpKind::LpPool, "", "LpPool", infer<Pool::Lp>, emit<Pool::Lp>,
                                 nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_GlobalMaxPool = {OpKind::GlobalMaxPool, "", "GlobalMaxPool", inferGlobal<Pool::Max>,
                                        emitGlobal<Pool::Max>, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_GlobalAveragePool = {OpKind::GlobalAveragePool, "", "GlobalAveragePool",
                                            inferGlobal<Pool::Avg>, emitGlobal<Pool::Avg>, nullptr, nullptr,
                                            nullptr, false, false};
extern const OpDef kOp_GlobalLpPool = {OpKind::GlobalLpPool, "", "GlobalLpPool", inferGlobal<Pool::Lp>,
                                       emitGlobal<Pool::Lp>, nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
