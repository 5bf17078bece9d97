// window.h: sliding-window attributes (kernel_shape, strides, dilations, pads,
// auto_pad, ceil_mode) shared by Conv, ConvTranspose and the pooling operators,
// and their translation into the runtime's tmlc::Window (kernels/window.h).
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"
#include "tmlc/kernels/window.h"

namespace tmlc {

struct WindowAttrs {
  size_t spatial = 0;  // 1, 2 or 3
  std::vector<int64_t> kernel, strides, dilations, padBegin, padEnd;
  std::string autoPad = "NOTSET";
};

// Reads the attributes for `spatial` axes. kernel_shape defaults to
// `kernelDefault` (the weight's spatial dims); when that is empty the attribute
// is required. Errors when a list's length does not match or a value is < 1.
Expected<WindowAttrs> readWindow(const Node& n, size_t spatial, const std::vector<int64_t>& kernelDefault);

// Output extent of each spatial axis of a convolution or pooling over `in`
// (spatial dims only). Resolves auto_pad into padBegin/padEnd. ceilMode rounds
// the window count up (a last window must still start inside the input or
// its begin padding). Errors when an axis would be empty.
Expected<Shape> windowOutput(WindowAttrs& w, const Shape& in, bool ceilMode);

// The runtime geometry: axes right-aligned into (D, H, W), leading axes 1.
tmlc::Window makeWindow(const WindowAttrs& w, const Shape& in, const Shape& out);
// C++ initializer of a tmlc::Window.
std::string printWindow(const tmlc::Window& w);
// "{a, b, c}"
std::string printInts3(const int32_t* v);

}  // namespace tmlc
