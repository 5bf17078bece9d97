#include "ops/nn/window.h"

#include <algorithm>

namespace tmlc {

Expected<WindowAttrs> readWindow(const Node& n, size_t spatial, const std::vector<int64_t>& kernelDefault) {
  if (spatial < 1 || spatial > 3)
    return Status::error("only 1-D, 2-D and 3-D windows are supported (input rank " + std::to_string(spatial + 2) +
                         ")");
  WindowAttrs w;
  w.spatial = spatial;
  if (!n.hasAttr("kernel_shape") && kernelDefault.empty()) return Status::error("attribute kernel_shape is required");
  w.kernel = n.attrInts("kernel_shape", kernelDefault);
  w.strides = n.attrInts("strides", std::vector<int64_t>(spatial, 1));
  w.dilations = n.attrInts("dilations", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> pads = n.attrInts("pads", std::vector<int64_t>(2 * spatial, 0));
  if (w.kernel.size() != spatial || w.strides.size() != spatial || w.dilations.size() != spatial ||
      pads.size() != 2 * spatial)
    return Status::error("kernel_shape, strides, dilations or pads do not match the " + std::to_string(spatial) +
                         " spatial axes");
  for (size_t i = 0; i < spatial; ++i) {
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1)
      return Status::error("kernel_shape, strides and dilations must be positive");
    if (pads[i] < 0 || pads[i + spatial] < 0) return Status::error("pads must not be negative");
  }
  w.padBegin.assign(pads.begin(), pads.begin() + static_cast<long>(spatial));
  w.padEnd.assign(pads.begin() + static_cast<long>(spatial), pads.end());
  w.autoPad = n.attrString("auto_pad", "NOTSET");
  if (w.autoPad != "NOTSET" && w.autoPad != "SAME_UPPER" && w.autoPad != "SAME_LOWER" && w.autoPad != "VALID")
    return Status::error("auto_pad '" + w.autoPad + "' is not supported");
  return w;
}

Expected<Shape> windowOutput(WindowAttrs& w, const Shape& in, bool ceilMode) {
  Shape out;
  for (size_t i = 0; i < w.spatial; ++i) {
    const int64_t s = w.strides[i], ek = (w.kernel[i] - 1) * w.dilations[i] + 1;
    int64_t o;
    if (w.autoPad == "SAME_UPPER" || w.autoPad == "SAME_LOWER") {
      o = (in[i] + s - 1) / s;
      int64_t total = std::max<int64_t>(0, (o - 1) * s + ek - in[i]);
      w.padBegin[i] = w.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      w.padEnd[i] = total - w.padBegin[i];
    } else {
      if (w.autoPad == "VALID") w.padBegin[i] = w.padEnd[i] = 0;
      const int64_t span = in[i] + w.padBegin[i] + w.padEnd[i] - ek;
      if (span < 0) return Status::error("output would be empty: the window is larger than the padded input");
      o = (ceilMode ? (span + s - 1) / s : span / s) + 1;
      if (ceilMode && (o - 1) * s >= in[i] + w.padBegin[i]) --o;
    }
    if (o <= 0) return Status::error("output would be empty: the window is larger than the padded input");
    out.push_back(o);
  }
  return out;
}

tmlc::Window makeWindow(const WindowAttrs& w, const Shape& in, const Shape& out) {
  tmlc::Window r{};
  for (int a = 0; a < 3; ++a) {
    r.in[a] = r.out[a] = r.kernel[a] = r.stride[a] = r.dil[a] = 1;
    r.pad[a] = r.pad_end[a] = 0;
  }
  const size_t off = 3 - w.spatial;
  for (size_t i = 0; i < w.spatial; ++i) {
    auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
    r.in[off + i] = i32(in[i]);
    r.out[off + i] = i32(out[i]);
    r.kernel[off + i] = i32(w.kernel[i]);
    r.stride[off + i] = i32(w.strides[i]);
    r.dil[off + i] = i32(w.dilations[i]);
    r.pad[off + i] = i32(w.padBegin[i]);
    r.pad_end[off + i] = i32(w.padEnd[i]);
  }
  return r;
}

std::string printInts3(const int32_t* v) {
  return "{" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " + std::to_string(v[2]) + "}";
}

std::string printWindow(const tmlc::Window& w) {
  return "{/*in*/ " + printInts3(w.in) + ", /*out*/ " + printInts3(w.out) + ", /*kernel*/ " + printInts3(w.kernel) +
         ", /*stride*/ " + printInts3(w.stride) + ", /*pad*/ " + printInts3(w.pad) + ", /*pad_end*/ " +
         printInts3(w.pad_end) + ", /*dilation*/ " + printInts3(w.dil) + "}";
}

}  // namespace tmlc
