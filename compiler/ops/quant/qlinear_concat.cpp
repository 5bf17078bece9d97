// qlinear_concat.cpp: com.microsoft QLinearConcat (uint8 or int8): inputs
// Y_scale, Y_zero_point, then one (X, X_scale, X_zero_point) triple per
// tensor; attribute axis. An input with the output's scale and zero point is
// copied; another is rescaled through a 256-entry table built as ONNX Runtime
// builds it (dequantize in float, quantize with round half to even), so the
// results are ONNX Runtime's bit for bit.
// Kernel: runtime/include/tmlc/kernels/int8/concat.h (concat_part_table).
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "ops/qint/qint_util.h"
#include "ops/quant/ms_qlinear.h"

namespace tmlc {

namespace {

size_t tensorCount(const Node& n) { return (n.inputs.size() - 2) / 3; }
const Value* tensorAt(const Node& n, size_t k) { return n.input(2 + 3 * k); }

Status infer(Node& n) {
  if (n.inputs.size() < 5 || (n.inputs.size() - 2) % 3 != 0)
    return Status::error("expected Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples, got " +
                         std::to_string(n.inputs.size()) + " inputs");
  TMLC_RETURN_IF_ERROR(requireInput(n, 2));
  const DType t = tensorAt(n, 0)->type.dtype;
  if (!isMsQuantType(t)) return Status::error(std::string("type ") + dtypeName(t) + " is not supported (uint8 or int8)");
  auto y = readMsQuant(n, 0, 1, t, "Y");
  if (!y) return y.status();
  Shape out = tensorAt(n, 0)->type.shape;
  auto axis = normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(out.size()));
  if (!n.hasAttr("axis")) return Status::error("attribute axis is required");
  if (!axis) return axis.status();
  const size_t a = static_cast<size_t>(*axis);
  out[a] = 0;
  for (size_t k = 0; k < tensorCount(n); ++k) {
    const std::string what = "input " + std::to_string(k);
    TMLC_RETURN_IF_ERROR(requireInput(n, 2 + 3 * k));
    const Value* x = tensorAt(n, k);
    if (x->type.dtype != t) return Status::error(what + " has type " + dtypeName(x->type.dtype) + ", expected " + dtypeName(t));
    auto q = readMsQuant(n, 3 + 3 * k, 4 + 3 * k, t, "X" + std::to_string(k));
    if (!q) return q.status();
    const Shape& s = x->type.shape;
    if (s.size() != out.size()) return Status::error(what + " has rank " + std::to_string(s.size()) + ", expected " + std::to_string(out.size()));
    for (size_t d = 0; d < s.size(); ++d)
      if (d != a && s[d] != out[d])
        return Status::error(what + " has shape " + shapeToString(s) + ", which differs off the axis " + std::to_string(a));
    out[a] += s[a];
  }
  setOutput(n, 0, t, out);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/int8/concat.h");
  const DType t = tensorAt(n, 0)->type.dtype;
  const MsQuant y = *readMsQuant(n, 0, 1, t, "Y");
  const Shape& out = n.output(0)->type.shape;
  const size_t a = static_cast<size_t>(*normalizeAxis(n.attrInt("axis", 0), static_cast<int64_t>(out.size())));
  const int64_t outer = numElements(Shape(out.begin(), out.begin() + static_cast<long>(a)));
  const int64_t outInner = numElements(Shape(out.begin() + static_cast<long>(a), out.end()));
  const std::string ct = EmitContext::ctype(n.output(0));
  std::string p = ctx.params(n, "tmlc::q::ConcatParams",
                             fieldInit({{"outer", outer}, {"out_inner", outInner}, {"out_zp", y.zp}}));
  int64_t at = 0;
  for (size_t k = 0; k < tensorCount(n); ++k) {
    const Value* x = tensorAt(n, k);
    const MsQuant q = *readMsQuant(n, 3 + 3 * k, 4 + 3 * k, t, "X");
    const int64_t inner = numElements(Shape(x->type.shape.begin() + static_cast<long>(a), x->type.shape.end()));
    std::string table = "nullptr";
    if (q.scale != y.scale || q.zp != y.zp) {
      auto identity = [](const float* in, float* o, size_t m) {
        for (size_t i = 0; i < m; ++i) o[i] = in[i];
      };
      table = "&" + ctx.params(n, "tmlc::q::ByteTable<" + ct + ">", printByteTable(msByteTable(t, q, y, identity)),
                               "_table" + std::to_string(k));
    }
    if (inner > 0)
      ctx.call("tmlc::q::concat_part_table<" + ct + ">(" + p + ", " + std::to_string(inner) + ", " + table + ", " +
               std::to_string(at) + ", " + ctx.ref(x) + ", " + ctx.ref(n.output(0)) + ");");
    at += inner;
  }
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_QLinearConcat = {OpKind::QLinearConcat, "com.microsoft", "QLinearConcat", infer, emit,
                                        nullptr, nullptr, nullptr, false, false};

}  // namespace tmlc
