// window_functions.cpp: HannWindow, HammingWindow, BlackmanWindow (periodic or
// symmetric, any numeric output_datatype) and MelWeightMatrix. Their inputs
// fix the output shape, so they must be compile-time constants; the nodes then
// always fold into weights, computed by the runtime kernel on the host.
// Kernel: runtime/include/tmlc/kernels/signal_window.h.
#include <cstdio>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/signal_window.h"

namespace tmlc {

namespace {

Expected<DType> outputType(const Node& n) {
  auto dt = dtypeFromOnnx(static_cast<int>(n.attrInt("output_datatype", 1)));
  if (!dt || *dt == DType::Bool) return Status::error("output_datatype is not a numeric type");
  return *dt;
}

Expected<double> constScalar(const Node& n, size_t i, const char* what) {
  const Value* v = n.input(i);
  if (!v) return Status::error(std::string("input '") + what + "' is missing");
  if (!v->isConstant())
    return Status::error(std::string("input '") + what + "' ('" + v->name +
                         "') must be a compile-time constant (an initializer, or --const-input)");
  if (v->constant->numel() != 1) return Status::error(std::string("input '") + what + "' must hold one value");
  return v->constant->getDouble(0);
}

tmlc::WindowKind windowKind(OpKind k) {
  return k == OpKind::HannWindow ? tmlc::WindowKind::Hann
                                 : k == OpKind::HammingWindow ? tmlc::WindowKind::Hamming : tmlc::WindowKind::Blackman;
}

Expected<tmlc::WindowFunctionParams> windowParams(const Node& n) {
  auto size = constScalar(n, 0, "size");
  if (!size) return size.status();
  if (*size < 0 || *size > double(1 << 24)) return Status::error("window size is invalid");
  return tmlc::WindowFunctionParams{windowKind(n.kind), static_cast<int32_t>(*size),
                                    static_cast<int32_t>(n.attrInt("periodic", 1) != 0)};
}

Status inferWindow(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 1));
  auto dt = outputType(n);
  if (!dt) return dt.status();
  auto p = windowParams(n);
  if (!p) return p.status();
  setOutput(n, 0, *dt, {p->size});
  return Status::ok();
}

Expected<tmlc::MelWeightParams> melParams(const Node& n) {
  const char* names[] = {"num_mel_bins", "dft_length", "sample_rate", "lower_edge_hertz", "upper_edge_hertz"};
  double v[5];
  for (size_t i = 0; i < 5; ++i) {
    auto x = constScalar(n, i, names[i]);
    if (!x) return x.status();
    v[i] = *x;
  }
  if (v[0] < 1 || v[1] < 1 || v[0] > double(1 << 20) || v[1] > double(1 << 24))
    return Status::error("num_mel_bins and dft_length must be positive");
  if (v[2] <= 0) return Status::error("sample_rate must be positive");
  if (v[3] < 0 || v[4] <= v[3]) return Status::error("edges must satisfy 0 <= lower < upper");
  return tmlc::MelWeightParams{static_cast<int32_t>(v[0]), static_cast<int32_t>(v[1]), v[2], v[3], v[4]};
}

Status inferMel(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 5, 5));
  auto dt = outputType(n);
  if (!dt) return dt.status();
  auto p = melParams(n);
  if (!p) return p.status();
  setOutput(n, 0, *dt, {p->dft_length / 2 + 1, p->num_mel_bins});
  return Status::ok();
}

// Runs f(T{}, out) with T the output's storage type.
template <typename F>
Status evalInto(const Node& n, std::vector<Tensor>& outs, F&& f) {
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  bool ok = visitDType(y->type.dtype, [&](auto t) {
    if constexpr (!std::is_same<decltype(t), bool>::value) f(t, out);
  });
  if (!ok) return Status::error("cannot evaluate this type at compile time");
  outs.push_back(std::move(out));
  return Status::ok();
}

Status evalWindow(const Node& n, std::vector<Tensor>& outs) {
  auto p = windowParams(n);
  if (!p) return p.status();
  return evalInto(n, outs, [&](auto t, Tensor& out) { tmlc::window_function(*p, out.data<decltype(t)>()); });
}

Status evalMel(const Node& n, std::vector<Tensor>& outs) {
  auto p = melParams(n);
  if (!p) return p.status();
  return evalInto(n, outs, [&](auto t, Tensor& out) { tmlc::mel_weight_matrix(*p, out.data<decltype(t)>()); });
}

// Reached only when folding is disabled: the same kernels at run time.
Status emitWindow(EmitContext& ctx, const Node& n) {
  auto p = windowParams(n);
  if (!p) return p.status();
  ctx.include("tmlc/kernels/signal_window.h");
  const std::string name = ctx.params(n, "tmlc::WindowFunctionParams",
                                      "{tmlc::WindowKind(" + std::to_string(static_cast<int>(p->kind)) + "), " +
                                          std::to_string(p->size) + ", " + std::to_string(p->periodic) + "}");
  ctx.call("tmlc::window_function<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.output(0)) +
           ");");
  return Status::ok();
}

Status emitMel(EmitContext& ctx, const Node& n) {
  auto p = melParams(n);
  if (!p) return p.status();
  ctx.include("tmlc/kernels/signal_window.h");
  auto d = [](double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.17g", v);
    std::string s = b;
    return s.find_first_of(".eEn") == std::string::npos ? s + ".0" : s;
  };
  const std::string name = ctx.params(n, "tmlc::MelWeightParams",
                                      "{" + std::to_string(p->num_mel_bins) + ", " + std::to_string(p->dft_length) +
                                          ", " + d(p->sample_rate) + ", " + d(p->lower_hz) + ", " + d(p->upper_hz) +
                                          "}");
  ctx.call("tmlc::mel_weight_matrix<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_HannWindow = {OpKind::HannWindow, "", "HannWindow", inferWindow, emitWindow, evalWindow,
                                     nullptr, nullptr, false, false};
extern const OpDef kOp_HammingWindow = {OpKind::HammingWindow, "", "HammingWindow", inferWindow, emitWindow,
                                        evalWindow, nullptr, nullptr, false, false};
extern const OpDef kOp_BlackmanWindow = {OpKind::BlackmanWindow, "", "BlackmanWindow", inferWindow, emitWindow,
                                         evalWindow, nullptr, nullptr, false, false};
extern const OpDef kOp_MelWeightMatrix = {OpKind::MelWeightMatrix, "", "MelWeightMatrix", inferMel, emitMel, evalMel,
                                          nullptr, nullptr, false, false};

}  // namespace tmlc
