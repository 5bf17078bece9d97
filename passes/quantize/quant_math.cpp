#include "passes/quantize/quant_math.h"

#include <algorithm>
#include <cmath>

namespace tmlc {

QuantParams asymmetricParams(double lo, double hi, int32_t qlo, int32_t qhi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  double scale = (hi - lo) / static_cast<double>(qhi - qlo);
  if (!(scale > 1e-30)) scale = 1.0f / 256;  // an all-zero tensor: any scale is exact
  const double zpReal = static_cast<double>(qlo) - lo / scale;
  int32_t zp = static_cast<int32_t>(std::nearbyint(zpReal));
  zp = std::max(qlo, std::min(qhi, zp));
  QuantParams q;
  q.scale = {static_cast<float>(scale)};
  q.zero_point = {zp};
  return q;
}

QuantParams symmetricParams(double amax, int32_t qmaxv) {
  double scale = amax / qmaxv;
  if (!(scale > 1e-30) || !std::isfinite(scale)) scale = 1.0;
  QuantParams q;
  q.scale = {static_cast<float>(scale)};
  q.zero_point = {0};
  return q;
}

QuantParams activationParams(double lo, double hi, DType act) {
  if (act != DType::Int16) return asymmetricParams(lo, hi);
  double amax = std::max(std::fabs(lo), std::fabs(hi));
  if (!std::isfinite(amax)) amax = 0;
  QuantParams q = symmetricParams(amax, 32767);
  if (!(amax > 1e-30)) q.scale = {1.0f / 32768};  // an all-zero tensor: any scale is exact
  return q;
}

int32_t quantizeOne(double x, double scale, int32_t zp, int32_t qlo, int32_t qhi) {
  double v = std::nearbyint(x / scale) + zp;  // default rounding mode: half to even
  if (!(v == v)) return zp;
  return static_cast<int32_t>(std::max<double>(qlo, std::min<double>(qhi, v)));
}

void quantizePerChannel(const std::vector<double>& w, int64_t channels, int64_t per, std::vector<int8_t>& q,
                        std::vector<float>& scales) {
  q.assign(w.size(), 0);
  scales.assign(static_cast<size_t>(channels), 1.0f);
  for (int64_t c = 0; c < channels; ++c) {
    double amax = 0;
    for (int64_t i = 0; i < per; ++i) amax = std::max(amax, std::fabs(w[static_cast<size_t>(c * per + i)]));
    // The scale is stored as float; quantize with exactly that float.
    const float s = amax > 0 ? static_cast<float>(amax / 127.0) : 1.0f;
    scales[static_cast<size_t>(c)] = s;
    for (int64_t i = 0; i < per; ++i) {
      const size_t k = static_cast<size_t>(c * per + i);
      q[k] = static_cast<int8_t>(quantizeOne(w[k], s, 0, -127, 127));
    }
  }
}

std::vector<double> constantValues(const Value* v) {
  std::vector<double> r(static_cast<size_t>(v->constant->numel()));
  for (size_t i = 0; i < r.size(); ++i) r[i] = v->constant->getDouble(static_cast<int64_t>(i));
  return r;
}

}  // namespace tmlc
