#include "driver/compare.h"

#include <cmath>
#include <cstring>

namespace tmlc {

Comparison compareTensor(const Tensor& ref, const void* got, size_t gotBytes, double rtol, double atol) {
  Comparison c;
  if (gotBytes != ref.bytes.size()) {
    c.pass = false;
    c.note = "size differs: got " + std::to_string(gotBytes) + " bytes, reference has " +
             std::to_string(ref.bytes.size());
    return c;
  }
  Tensor g;
  g.dtype = ref.dtype;
  g.shape = ref.shape;
  g.bytes.assign(static_cast<const uint8_t*>(got), static_cast<const uint8_t*>(got) + gotBytes);
  const bool exact = !isFloat(ref.dtype);
  for (int64_t i = 0; i < ref.numel(); ++i) {
    bool ok;
    double err = 0, rel = 0;
    if (exact) {
      ok = ref.getInt(i) == g.getInt(i) && ref.getDouble(i) == g.getDouble(i);
      err = ok ? 0 : std::fabs(ref.getDouble(i) - g.getDouble(i));
      rel = ok ? 0 : err / std::max(1e-30, std::fabs(ref.getDouble(i)));
    } else {
      double r = ref.getDouble(i), v = g.getDouble(i);
      if (std::isnan(r) || std::isnan(v)) {
        ok = std::isnan(r) && std::isnan(v);
      } else if (std::isinf(r) || std::isinf(v)) {
        ok = r == v;
      } else {
        err = std::fabs(r - v);
        rel = err / std::max(1e-30, std::fabs(r));
        ok = err <= atol + rtol * std::fabs(r);
      }
      if (!ok && err == 0) err = INFINITY;
    }
    if (err > c.maxAbs) c.maxAbs = err;
    if (rel > c.maxRel && !ok) c.maxRel = rel;
    if (!ok) {
      if (c.firstBad < 0) c.firstBad = i;
      ++c.mismatches;
      c.pass = false;
    }
  }
  // Relative error over all elements, for the report even when passing.
  if (c.pass) {
    for (int64_t i = 0; i < ref.numel(); ++i) {
      double r = ref.getDouble(i), v = g.getDouble(i);
      if (std::isfinite(r) && std::isfinite(v) && r != 0) c.maxRel = std::max(c.maxRel, std::fabs(r - v) / std::fabs(r));
    }
  }
  return c;
}

}  // namespace tmlc
