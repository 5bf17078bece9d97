// resize.cpp: Resize (opsets 10 to 19) and Upsample (opsets 7 to 9).
//
// Everything that depends on the mode is decided here, at compile time: for
// each axis and output coordinate, which input indices contribute and with
// what weights (tables in the generated code; kernel:
// runtime/include/tmlc/kernels/resize.h). The arithmetic follows ONNX's
// reference implementation: the source coordinate x_ori by
// coordinate_transformation_mode; ratio = x_ori - floor(x_ori), taken as 1 when
// x_ori is an integer; the n = 2 (nearest, linear) or 4 (cubic) nearest input
// indices, clamped to the edge; weights from the mode's coefficient function,
// zeroed and renormalized outside the input with exclude_outside.
// Scales, sizes and roi must be compile-time constants.
#include <algorithm>
#include <cmath>

#include "ops/op_def.h"
#include "ops/op_util.h"
#include "tmlc/kernels/resize.h"

namespace tmlc {

namespace {

struct Tap {
  int32_t index;  // -1: outside the crop
  double weight;
};

struct Config {
  std::string mode = "nearest", ctm = "half_pixel", nearest = "round_prefer_floor";
  double cubicA = -0.75;
  bool excludeOutside = false;
  bool simpleNearest = false;  // Upsample and Resize-10: floor when enlarging, ceil when shrinking
  float extrapolation = 0;
  std::vector<double> scales, roi;  // per axis; roi: starts then ends
  Shape out;
};

// Float values of constant input i, empty when omitted or empty.
Expected<std::vector<double>> constDoubles(const Node& n, size_t i, const char* what) {
  const Value* v = n.input(i);
  if (!v || numElements(v->type.shape) == 0) return std::vector<double>{};
  if (!v->isConstant())
    return Status::error(std::string("input '") + what + "' ('" + v->name +
                         "') must be a compile-time constant (an initializer, or --const-input)");
  std::vector<double> r;
  for (int64_t k = 0; k < v->constant->numel(); ++k) r.push_back(v->constant->getDouble(k));
  return r;
}

Expected<Config> configure(const Node& n) {
  const Shape& x = n.input(0)->type.shape;
  const size_t rank = x.size();
  Config c;
  std::vector<double> scales, sizes;
  if (n.kind == OpKind::Upsample) {
    c.ctm = "asymmetric";
    c.simpleNearest = true;
    if (n.input(1)) {
      auto s = constDoubles(n, 1, "scales");
      if (!s) return s.status();
      scales = *s;
    } else {
      for (float f : n.attrFloats("scales")) scales.push_back(f);
    }
  } else if (n.opset > 0 && n.opset < 11) {
    c.ctm = "asymmetric";
    c.simpleNearest = true;
    auto s = constDoubles(n, 1, "scales");
    if (!s) return s.status();
    scales = *s;
  } else {
    c.ctm = n.attrString("coordinate_transformation_mode", "half_pixel");
    c.nearest = n.attrString("nearest_mode", "round_prefer_floor");
    c.cubicA = n.attrFloat("cubic_coeff_a", -0.75f);
    c.excludeOutside = n.attrInt("exclude_outside", 0) != 0;
    c.extrapolation = n.attrFloat("extrapolation_value", 0.f);
    if (n.attrInt("antialias", 0)) return Status::error("antialias is not supported");
    auto roi = constDoubles(n, 1, "roi");
    auto s = constDoubles(n, 2, "scales");
    auto z = constDoubles(n, 3, "sizes");
    if (!s) return s.status();
    if (!z) return z.status();
    if (c.ctm == "tf_crop_and_resize") {
      if (!roi) return roi.status();
      c.roi = *roi;
    }
    scales = *s;
    sizes = *z;
  }
  std::string mode = n.attrString("mode", "nearest");
  if (mode == "bilinear" || mode == "trilinear") mode = "linear";  // Upsample-7 spelling
  c.mode = mode;
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return Status::error("mode '" + mode + "' is not supported");
  static const char* const kCtm[] = {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                                     "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize"};
  if (std::find(std::begin(kCtm), std::end(kCtm), c.ctm) == std::end(kCtm))
    return Status::error("coordinate_transformation_mode '" + c.ctm + "' is not supported");
  static const char* const kNearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  if (std::find(std::begin(kNearest), std::end(kNearest), c.nearest) == std::end(kNearest))
    return Status::error("nearest_mode '" + c.nearest + "' is not supported");

  // axes (opset 18): scales, sizes and roi name only these axes.
  std::vector<size_t> axes;
  for (int64_t a : n.attrInts("axes")) {
    auto k = normalizeAxis(a, static_cast<int64_t>(rank));
    if (!k) return k.status();
    axes.push_back(static_cast<size_t>(*k));
  }
  if (axes.empty())
    for (size_t i = 0; i < rank; ++i) axes.push_back(i);
  if (scales.empty() == sizes.empty()) return Status::error("exactly one of scales and sizes must be given");
  const std::vector<double>& given = scales.empty() ? sizes : scales;
  if (given.size() != axes.size())
    return Status::error("scales/sizes have " + std::to_string(given.size()) + " values for " +
                         std::to_string(axes.size()) + " axes");
  if (!c.roi.empty() && c.roi.size() != 2 * axes.size()) return Status::error("roi must have 2 values per axis");
  c.scales.assign(rank, 1.0);
  c.out = x;
  std::vector<double> roi(2 * rank);
  for (size_t i = 0; i < rank; ++i) roi[i] = 0, roi[rank + i] = 1;
  for (size_t k = 0; k < axes.size(); ++k) {
    if (!c.roi.empty()) roi[axes[k]] = c.roi[k], roi[rank + axes[k]] = c.roi[axes.size() + k];
    if (!scales.empty()) {
      if (!(scales[k] > 0)) return Status::error("scales must be positive");
      c.scales[axes[k]] = static_cast<double>(static_cast<float>(scales[k]));
      c.out[axes[k]] = static_cast<int64_t>(std::floor(c.scales[axes[k]] * static_cast<double>(x[axes[k]])));
    } else {
      c.out[axes[k]] = static_cast<int64_t>(sizes[k]);
      c.scales[axes[k]] = static_cast<double>(sizes[k]) / static_cast<double>(x[axes[k]]);
    }
  }
  const std::string policy = n.attrString("keep_aspect_ratio_policy", "stretch");
  if (!sizes.empty() && policy != "stretch") {
    if (policy != "not_larger" && policy != "not_smaller")
      return Status::error("keep_aspect_ratio_policy '" + policy + "' is not supported");
    double s = policy == "not_larger" ? 1e300 : 0;
    for (size_t a : axes) s = policy == "not_larger" ? std::min(s, c.scales[a]) : std::max(s, c.scales[a]);
    for (size_t a : axes) {
      c.scales[a] = s;
      c.out[a] = static_cast<int64_t>(std::nearbyint(s * static_cast<double>(x[a])));
    }
  }
  c.roi = roi;
  for (int64_t d : c.out)
    if (d <= 0) return Status::error("output shape " + shapeToString(c.out) + " would be empty");
  return c;
}

std::vector<double> coefficients(const Config& c, double ratio, double scale) {
  if (c.mode == "linear") return {1 - ratio, ratio};
  if (c.mode == "cubic") {
    const double A = c.cubicA, r = ratio, s = 1 - ratio;
    return {((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A, ((A + 2) * r - (A + 3)) * r * r + 1,
            ((A + 2) * s - (A + 3)) * s * s + 1, ((A * (s + 1) - 5 * A) * (s + 1) + 8 * A) * (s + 1) - 4 * A};
  }
  if (ratio == 1.0) return {0, 1};
  const std::string& mode = c.simpleNearest ? (scale < 1 ? "ceil" : "floor") : c.nearest;
  bool up = mode == "round_prefer_floor" ? ratio > 0.5 : mode == "round_prefer_ceil" ? ratio >= 0.5 : mode == "ceil";
  return {up ? 0.0 : 1.0, up ? 1.0 : 0.0};
}

// Taps of every output coordinate of one axis (taps per coordinate returned in `per`).
std::vector<Tap> axisTable(const Config& c, size_t axis, int64_t in, int32_t& per) {
  const double scale = c.scales[axis], width = scale * static_cast<double>(in);
  const double r0 = c.roi[axis], r1 = c.roi[c.roi.size() / 2 + axis];
  const int64_t out = c.out[axis];
  std::vector<std::vector<Tap>> all;
  for (int64_t o = 0; o < out; ++o) {
    const double xo = static_cast<double>(o);
    double xi = 0;
    bool outside = false;
    if (c.ctm == "align_corners") {
      xi = width == 1 ? 0 : xo * static_cast<double>(in - 1) / (width - 1);
    } else if (c.ctm == "asymmetric") {
      xi = xo / scale;
    } else if (c.ctm == "tf_crop_and_resize") {
      xi = width == 1 ? (r1 - r0) * static_cast<double>(in - 1) / 2
                      : xo * (r1 - r0) * static_cast<double>(in - 1) / (width - 1);
      xi += r0 * static_cast<double>(in - 1);
      outside = xi < 0 || xi > static_cast<double>(in - 1);
    } else if (c.ctm == "pytorch_half_pixel") {
      xi = width == 1 ? -0.5 : (xo + 0.5) / scale - 0.5;
    } else if (c.ctm == "tf_half_pixel_for_nn") {
      xi = (xo + 0.5) / scale;
    } else if (c.ctm == "half_pixel_symmetric") {
      const double adj = static_cast<double>(out) / width, center = static_cast<double>(in) / 2;
      xi = center * (1 - adj) + (xo + 0.5) / scale - 0.5;
    } else {
      xi = (xo + 0.5) / scale - 0.5;
    }
    std::vector<Tap> taps;
    if (outside) {
      taps.push_back({-1, 0});
    } else {
      const double fl = std::floor(xi);
      const double ratio = xi == fl ? 1.0 : xi - fl;
      std::vector<double> w = coefficients(c, ratio, scale);
      const int64_t n = static_cast<int64_t>(w.size());
      const int64_t first = static_cast<int64_t>(xi == fl ? fl - 1 : fl) - (n / 2 - 1);
      if (c.excludeOutside) {
        double sum = 0;
        for (int64_t k = 0; k < n; ++k) {
          if (first + k < 0 || first + k >= in) w[static_cast<size_t>(k)] = 0;
          sum += w[static_cast<size_t>(k)];
        }
        for (double& v : w) v /= sum;
      }
      for (int64_t k = 0; k < n; ++k) {
        const int64_t idx = std::min(std::max<int64_t>(first + k, 0), in - 1);
        if (w[static_cast<size_t>(k)] != 0) taps.push_back({static_cast<int32_t>(idx), w[static_cast<size_t>(k)]});
      }
      if (taps.empty()) taps.push_back({static_cast<int32_t>(std::min(std::max<int64_t>(first, 0), in - 1)), 0});
    }
    all.push_back(taps);
  }
  // One tap per coordinate when every coordinate takes one input with weight 1.
  bool single = true;
  size_t widest = 1;
  for (const auto& t : all) {
    widest = std::max(widest, t.size());
    single = single && t.size() == 1 && (t[0].index < 0 || std::fabs(t[0].weight - 1) < 1e-12);
  }
  per = static_cast<int32_t>(widest);
  std::vector<Tap> table;
  for (const auto& t : all) {
    for (size_t k = 0; k < widest; ++k) {
      Tap e = k < t.size() ? t[k] : Tap{t[0].index, 0};
      if (single) e.weight = e.index < 0 ? 0 : 1;
      table.push_back(e);
    }
  }
  return table;
}

Status infer(Node& n) {
  TMLC_RETURN_IF_ERROR(checkArity(n, 1, n.kind == OpKind::Upsample ? 2 : 4));
  const Shape& x = n.input(0)->type.shape;
  if (x.empty() || x.size() > static_cast<size_t>(tmlc::kMaxRank)) return Status::error("unsupported input rank");
  auto c = configure(n);
  if (!c) return c.status();
  if (c->mode != "nearest" && !isFloat(n.input(0)->type.dtype) && !isInteger(n.input(0)->type.dtype))
    return Status::error(std::string("interpolation of ") + dtypeName(n.input(0)->type.dtype) + " is not supported");
  setOutput(n, 0, n.input(0)->type.dtype, c->out);
  return Status::ok();
}

Status emit(EmitContext& ctx, const Node& n) {
  ctx.include("tmlc/kernels/resize.h");
  const Config c = *configure(n);
  const Shape& x = n.input(0)->type.shape;
  const size_t rank = x.size();
  tmlc::ResizeParams p{};
  p.rank = static_cast<int32_t>(rank);
  p.count = static_cast<int32_t>(numElements(c.out));
  p.combos = 1;
  p.extrapolation = c.extrapolation;
  std::vector<int64_t> index;
  std::vector<float> weight;
  int64_t stride = 1;
  for (size_t d = rank; d-- > 0;) {
    p.in_strides[d] = static_cast<int32_t>(stride);
    stride *= x[d];
  }
  for (size_t d = 0; d < rank; ++d) {
    int32_t per = 1;
    std::vector<Tap> t = axisTable(c, d, x[d], per);
    p.out_dims[d] = static_cast<int32_t>(c.out[d]);
    p.taps[d] = per;
    p.table[d] = static_cast<int32_t>(index.size());
    p.combos *= per;
    for (const Tap& e : t) {
      index.push_back(e.index);
      weight.push_back(static_cast<float>(e.weight));
    }
  }
  auto arr = [&](const int32_t* v) {
    std::vector<int64_t> r(v, v + tmlc::kMaxRank);
    return EmitContext::ints(r);
  };
  std::string name = ctx.params(n, "tmlc::ResizeParams",
                                "{/*rank*/ " + std::to_string(p.rank) + ", /*count*/ " + std::to_string(p.count) +
                                    ", /*combos*/ " + std::to_string(p.combos) + ", /*out_dims*/ " +
                                    arr(p.out_dims) + ", /*in_strides*/ " + arr(p.in_strides) + ", /*taps*/ " +
                                    arr(p.taps) + ", /*table*/ " + arr(p.table) + ", /*extrapolation*/ " +
                                    EmitContext::floatLiteral(p.extrapolation) + "}");
  std::string table = ctx.params(n, "tmlc::ResizeTable<" + std::to_string(index.size()) + ">",
                                 "{" + EmitContext::ints(index) + ", " + EmitContext::floats(weight) + "}", "_table");
  ctx.call("tmlc::resize<" + EmitContext::ctype(n.output(0)) + ">(" + name + ", " + table + ".index, " + table +
           ".weight, " + ctx.ref(n.input(0)) + ", " + ctx.ref(n.output(0)) + ");");
  return Status::ok();
}

}  // namespace

extern const OpDef kOp_Resize = {OpKind::Resize, "", "Resize", infer, emit, nullptr, nullptr, nullptr, false, false};
extern const OpDef kOp_Upsample = {OpKind::Upsample, "", "Upsample", infer, emit, nullptr, nullptr, nullptr,
                                   false, false};

}  // namespace tmlc
