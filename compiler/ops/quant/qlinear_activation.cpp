// qlinear_activation.cpp: com.microsoft QLinearSigmoid and QLinearLeakyRelu
// (uint8 or int8; inputs X, X_scale, X_zero_point, Y_scale, Y_zero_point, zero
// points optional; LeakyRelu's alpha, default 0.01).
//
// Both are a 256-entry table indexed by the input byte, computed here exactly
// as ONNX Runtime computes its table (ms_qlinear.h), so the results are ONNX
// Runtime's bit for bit:
//   LeakyRelu: v >= 0 ? v : alpha * v, in float;
//   Sigmoid:   ONNX Runtime's MlasComputeLogistic, a rational approximation
//              (Eigen's coefficients) on x clamped to [-18, 18]:
//              x * p(x^2) / q(x^2) + 0.5, the polynomials evaluated with fused
//              multiply-adds as its FMA3 (x86-64) and NEON (Arm) kernels do.
// Kernel: runtime/include/tmlc/kernels/int8/lut.h (lut_bytes).
#include <cmath>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"
#include "ops/quant/ms_qlinear.h"

namespace tmlc {

namespace {

float mlasLogistic(float v) {
  v = v < -18.0f ? -18.0f : (v > 18.0f ? 18.0f : v);
  const float x2 = v * v;
  float p = std::fma(x2, 4.37031012579801e-11f, 1.15627324459942e-07f);
  p = std::fma(p, x2, 6.08574864600143e-05f);
  p = std::fma(p, x2, 8.51377133304701e-03f);
  p = std::fma(p, x2, 2.48287947061529e-01f);
  p = v * p;
  float q = std::fma(x2, 6.10247389755681e-13f, 5.76102136993427e-09f);
  q = std::fma(q, x2, 6.29106785017040e-06f);
  q = std::fma(q, x2, 1.70198817374094e-03f);
  q = std::fma(q, x2, 1.16817656904453e-01f);
  q = std::fma(q, x2, 9.93151921023180e-01f);
  const float r = p / q + 0.5f;
  return r < 0.0f ? 0.0f : (r > 1.0f ? 1.0f : r);
}

FloatArrayFn function(const Node& n) {
  if (n.kind == OpKind::QLinearSigmoid)
    return [](const float* in, float* out, size_t k) {
      for (size_t i = 0; i < k; ++i) out[i] = mlasLogistic(in[i]);
    };
  const float alpha = n.attrFloat("alpha", 0.01f);
  return [alpha](const float* in, float* out, size_t k) {
    for (size_t i = 0; i < k; ++i) out[i] = in[i] >= 0.0f ? in[i] : alpha * in[i];
  };
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 5));  // the zero points (2, 4) are optional
  TMLC_RETURN_IF_ERROR(requireInput(n, 3));
  const DType t = n.input(0)->type.dtype;
  if (!isMsQuantType(t)) return Status::error(std::string("type ") + dtypeName(t) + " is not supported (uint8 or int8)");
  auto x = readMsQuant(n, 1, 2, t, "X");
  if (!x) return x.status();
  auto y = readMsQuant(n, 3, 4, t, "Y");
  if (!y) return y.status();
  setOutput(n, 0, t, n.input(0)->type.shape);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/lut.h");
  const DType t = n.input(0)->type.dtype;
  const MsQuant x = *readMsQuant(n, 1, 2, t, "X"), y = *readMsQuant(n, 3, 4, t, "Y");
  const std::string ct = EmitContext::ctype(n.output(0));
  std::string p = ctx.params(n, "tmlc::q::LutParams", fieldInit({{"count", numElements(n.output(0)->type.shape)}}));
  std::string table = ctx.params(n, "tmlc::q::ByteTable<" + ct + ">", printByteTable(msByteTable(t, x, y, function(n))),
                                 "_table");
  ctx.call("tmlc::q::lut_bytes<" + ct + ">(" + p + ", " + ctx.ref(n.input(0)) + ", " + table + ", " +
           ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QLinearSigmoid = {OpKind::QLinearSigmoid, "com.microsoft", "QLinearSigmoid", infer, emit,
                                         nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_QLinearLeakyRelu = {OpKind::QLinearLeakyRelu, "com.microsoft", "QLinearLeakyRelu", infer, emit,
                                           nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
