// dft.cpp: DFT (any axis, forward or inverse, one-sided, dft_length padding or
// truncation; axis as an attribute up to opset 19, as an input from 20) and
// STFT (frame step, optional window and frame length, one-sided). Lengths
// and the frame step must be compile-time constants: they fix the shapes.
// Kernel: runtime/include/tmlc/kernels/dft.h.
#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/dft.h"

namespace tmlc {

namespace {

size_t mathBytes(const Node& n) { return n.input(0)->type.dtype == DType::Float64 ? 8 : 4; }
std::string mathType(const Node& n) { return n.input(0)->type.dtype == DType::Float64 ? "double" : "float"; }

Status checkSignal(const Node& n) {
  const TensorType& t = n.input(0)->type;
  if (t.dtype != DType::Float32 && t.dtype != DType::Float64)
    return Status::error(std::string("element type ") + dtypeName(t.dtype) + " is not supported (float or double)");
  if (t.shape.size() < 2 || (t.shape.back() != 1 && t.shape.back() != 2))
    return Status::error("input must end in a dimension of 1 (real) or 2 (complex), got " + shapeToString(t.shape));
  return Status::ok();
}

// Single integer from a constant input.
Expected<int64_t> constScalar(const Node& n, size_t i, const char* what) {
  auto v = constInts(n, i, what);
  if (!v) return v.status();
  if (v->size() != 1) return Status::error(std::string("input '") + what + "' must hold one value");
  return (*v)[0];
}

// ---- DFT

// The normalized DFT axis.
Expected<size_t> dftAxis(const Node& n) {
  const int64_t rank = static_cast<int64_t>(n.input(0)->type.shape.size());
  int64_t axis = n.attrInt("axis", 1);
  if (n.input(2)) {
    auto a = constScalar(n, 2, "axis");
    if (!a) return a.status();
    axis = *a;
  }
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank - 1)
    return Status::error("axis " + std::to_string(axis) + " is out of range for an input of rank " + std::to_string(rank));
  return static_cast<size_t>(axis);
}

Expected<tmlc::DftParams> dftParams(const Node& n) {
  TMLC_RETURN_IF_ERROR(checkSignal(n));
  const Shape& x = n.input(0)->type.shape;
  auto axis = dftAxis(n);
  if (!axis) return axis.status();
  const size_t a = *axis;
  const long al = static_cast<long>(a);
  tmlc::DftParams p{};
  p.outer = static_cast<int32_t>(numElements(Shape(x.begin(), x.begin() + al)));
  p.inner = static_cast<int32_t>(numElements(Shape(x.begin() + al + 1, x.end() - 1)));
  p.n_in = static_cast<int32_t>(x[a]);
  int64_t len = x[a];
  if (n.input(1)) {
    auto l = constScalar(n, 1, "dft_length");
    if (!l) return l.status();
    len = *l;
  }
  if (len < 1 || len > (int64_t(1) << 24)) return Status::error("dft_length " + std::to_string(len) + " is invalid");
  p.n_fft = static_cast<int32_t>(len);
  p.in_complex = x.back() == 2;
  p.inverse = n.attrInt("inverse", 0) != 0;
  const bool onesided = n.attrInt("onesided", 0) != 0;
  if (onesided && p.inverse) return Status::error("an inverse one-sided DFT is not supported");
  p.n_out = onesided ? p.n_fft / 2 + 1 : p.n_fft;
  return p;
}

Status inferDft(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, 3));
  auto p = dftParams(n);
  if (!p) return p.status();
  Shape y = n.input(0)->type.shape;
  y[*dftAxis(n)] = p->n_out;
  y.back() = 2;
  setOutput(n, 0, n.input(0)->type.dtype, y);
  return Status::ok();
}

std::string printDft(const tmlc::DftParams& p) {
  auto s = [](int32_t v) { return std::to_string(v); };
  return "{/*outer*/ " + s(p.outer) + ", /*inner*/ " + s(p.inner) + ", /*n_in*/ " + s(p.n_in) + ", /*n_fft*/ " +
         s(p.n_fft) + ", /*n_out*/ " + s(p.n_out) + ", /*complex*/ " + s(p.in_complex) + ", /*inverse*/ " +
         s(p.inverse) + "}";
}

Status emitDft(EmitContext& ctx, const Node& n) {
  auto p = dftParams(n);
  if (!p) return p.status();
  ctx.include("tmlc/kernels/dft.h");
  const std::string name = ctx.params(n, "tmlc::DftParams", printDft(*p));
  ctx.call("tmlc::dft<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.ref(n.output(0)) + ", " + ctx.scratch(n, mathType(n)) + ");");
  return Status::ok();
}

size_t scratchDft(const Node& n) {
  auto p = dftParams(n);
  return p ? static_cast<size_t>(tmlc::dft_scratch_elems(p->n_fft)) * mathBytes(n) : 0;
}

// ---- STFT

Expected<tmlc::StftParams> stftParams(const Node& n) {
  TMLC_RETURN_IF_ERROR(checkSignal(n));
  const Shape& x = n.input(0)->type.shape;
  if (x.size() != 3) return Status::error("signal must have shape [batch, length, 1 or 2], got " + shapeToString(x));
  auto step = constScalar(n, 1, "frame_step");
  if (!step) return step.status();
  int64_t frame = -1;
  if (const Value* w = n.input(2)) {
    if (w->type.shape.size() != 1) return Status::error("window must be 1-D");
    if (w->type.dtype != n.input(0)->type.dtype) return Status::error("window type differs from the signal's");
    frame = w->type.shape[0];
  }
  if (n.input(3)) {
    auto f = constScalar(n, 3, "frame_length");
    if (!f) return f.status();
    if (frame >= 0 && *f != frame) return Status::error("frame_length differs from the window's length");
    frame = *f;
  }
  if (frame < 1) return Status::error("needs a window or a frame_length");
  if (*step < 1) return Status::error("frame_step must be positive");
  if (frame > x[1]) return Status::error("frame_length is longer than the signal");
  tmlc::StftParams p{};
  p.batch = static_cast<int32_t>(x[0]);
  p.signal_len = static_cast<int32_t>(x[1]);
  p.in_complex = x[2] == 2;
  p.frame_len = static_cast<int32_t>(frame);
  p.step = static_cast<int32_t>(*step);
  p.frames = static_cast<int32_t>((x[1] - frame) / *step + 1);
  const bool onesided = n.attrInt("onesided", 1) != 0;
  if (onesided && p.in_complex) return Status::error("a one-sided STFT of a complex signal is not supported");
  p.n_out = onesided ? p.frame_len / 2 + 1 : p.frame_len;
  return p;
}

Status inferStft(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 2, 4));
  auto p = stftParams(n);
  if (!p) return p.status();
  setOutput(n, 0, n.input(0)->type.dtype, {p->batch, p->frames, p->n_out, 2});
  return Status::ok();
}

Status emitStft(EmitContext& ctx, const Node& n) {
  auto p = stftParams(n);
  if (!p) return p.status();
  ctx.include("tmlc/kernels/dft.h");
  auto s = [](int32_t v) { return std::to_string(v); };
  const std::string name =
      ctx.params(n, "tmlc::StftParams",
                 "{/*batch*/ " + s(p->batch) + ", /*signal_len*/ " + s(p->signal_len) + ", /*complex*/ " +
                     s(p->in_complex) + ", /*frames*/ " + s(p->frames) + ", /*frame_len*/ " + s(p->frame_len) +
                     ", /*step*/ " + s(p->step) + ", /*n_out*/ " + s(p->n_out) + "}");
  ctx.call("tmlc::stft<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + ctx.ref(n.input(0)) + ", " +
           ctx.refOrNull(n.input(2)) + ", " + ctx.ref(n.output(0)) + ", " + ctx.scratch(n, mathType(n)) + ");");
  return Status::ok();
}

size_t scratchStft(const Node& n) {
  auto p = stftParams(n);
  return p ? static_cast<size_t>(tmlc::dft_scratch_elems(p->frame_len)) * mathBytes(n) : 0;
}

// ---- compile-time evaluation, through the same kernels

template <typename F>
Status evalFloat(const Node& n, std::vector<Tensor>& outs, F&& run) {
  const Value* y = n.output(0);
  Tensor out = Tensor::zeros(y->type.dtype, y->type.shape);
  if (y->type.dtype == DType::Float64) {
    run(double{}, out);
  } else {
    run(float{}, out);
  }
  outs.push_back(std::move(out));
  return Status::ok();
}

Status evalDft(const Node& n, std::vector<Tensor>& outs) {
  auto p = dftParams(n);
  if (!p) return p.status();
  return evalFloat(n, outs, [&](auto t, Tensor& out) {
    using T = decltype(t);
    std::vector<T> scratch(static_cast<size_t>(tmlc::dft_scratch_elems(p->n_fft)));
    tmlc::dft<T>(*p, n.input(0)->constant->data<T>(), out.data<T>(), scratch.data());
  });
}

Status evalStft(const Node& n, std::vector<Tensor>& outs) {
  auto p = stftParams(n);
  if (!p) return p.status();
  return evalFloat(n, outs, [&](auto t, Tensor& out) {
    using T = decltype(t);
    std::vector<T> scratch(static_cast<size_t>(tmlc::dft_scratch_elems(p->frame_len)));
    const T* w = n.input(2) ? n.input(2)->constant->data<T>() : nullptr;
    tmlc::stft<T>(*p, n.input(0)->constant->data<T>(), w, out.data<T>(), scratch.data());
  });
}

}  // namespace

extern const OpDef kOp_DFT = {OpKind::DFT, "", "DFT", inferDft, emitDft, evalDft, scratchDft, nullptr, false, false};
extern const OpDef kOp_STFT = {OpKind::STFT, "", "STFT", inferStft, emitStft, evalStft, scratchStft, nullptr, false, false};

}  // namespace tmlc
