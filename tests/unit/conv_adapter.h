// conv_adapter.h: one place that knows the runtime convolution's parameter
// layout (tmlc/kernels/conv.h), so tests describe a 2-D convolution plainly.
#pragma once

#include "tmlc/kernels/conv.h"

namespace tmlc_test {

struct Conv2d {
  int32_t c = 1, m = 1, h = 1, w = 1;  // input channels, output channels, input size
  int32_t kh = 1, kw = 1, stride = 1, pad = 0, dil = 1, group = 1;
  int32_t outH() const { return (h + 2 * pad - ((kh - 1) * dil + 1)) / stride + 1; }
  int32_t outW() const { return (w + 2 * pad - ((kw - 1) * dil + 1)) / stride + 1; }
  size_t inSize() const { return size_t(c) * size_t(h) * size_t(w); }
  size_t outSize() const { return size_t(m) * size_t(outH()) * size_t(outW()); }
  size_t weightSize() const { return size_t(m) * size_t(c / group) * size_t(kh) * size_t(kw); }

  tmlc::ConvParams params(tmlc::Activation act = tmlc::kNoActivation) const {
    tmlc::ConvParams p{};
    p.batch = 1;
    p.in_c = c;
    p.out_c = m;
    p.group = group;
    p.win = tmlc::Window{{1, h, w}, {1, outH(), outW()}, {1, kh, kw}, {1, stride, stride},
                         {0, pad, pad}, {0, pad, pad}, {1, dil, dil}};
    p.act = act;
    return p;
  }
};

// The general kernel, which handles every case.
template <typename T>
void conv2d(const Conv2d& s, const T* x, const T* w, const T* b, T* y,
            tmlc::Activation act = tmlc::kNoActivation) {
  tmlc::conv<T>(s.params(act), x, w, b, y);
}

template <typename T>
void depthwiseConv2d(const Conv2d& s, const T* x, const T* w, const T* b, T* y,
                     tmlc::Activation act = tmlc::kNoActivation) {
  tmlc::depthwise_conv<T>(s.params(act), x, w, b, y);
}

template <typename T>
void pointwiseConv2d(const Conv2d& s, const T* x, const T* w, const T* b, T* y,
                     tmlc::Activation act = tmlc::kNoActivation) {
  tmlc::conv_pointwise<T>(s.params(act), x, w, b, y);
}

}  // namespace tmlc_test
