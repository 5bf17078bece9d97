// conv_mve.h: the Helium bodies of int8 convolution with group 1 and of the
// fully connected layer (see conv.h and fully_connected.h for the contracts;
// results equal the portable bodies bit for bit).
//
// Both are a matrix product: rows of K activations (a pixel's in_c channels for a
// 1x1 convolution or a dense layer, a pixel's im2col patch otherwise) times the
// weight rows w[oc][K] (conv.h's layout, [out_c, k_h, k_w, in_c]).
// mat_mult_rows takes up to four rows at a time: for each output channel, each
// 16-byte chunk of weights is loaded once and VMLADAVA (16 int8 products summed
// into a scalar) accumulates it against the four rows. The input offset enters
// once per channel, as in_offset * sum(w), instead of per product:
//   sum (x + off) * w = sum x * w + off * sum w,
// with bias + off * sum w computed once per call (fold_offset, VADDVA) for up to
// kFoldChunk channels at a time, on the stack. The last chunk of a
// row whose length is not a multiple of 16 is a predicated (zeroing) load. The
// four sums are requantized together (one multiplier and shift) and scattered to
// the four output pixels.
//
// conv2d_mve: other kernels (strides, padding, k > 1) first copy four patches
// into scratch as int8 (im2col), padding as zp_x (= -in_offset, so that padded
// taps add (zp_x + in_offset) * w = 0). 4 * K bytes fit in conv2d_scratch_bytes.
#pragma once

#include "tmlc/kernels/int8/mve/mve.h"

#if defined(TMLC_MVE_INT8)

namespace tmlc {
namespace q {
namespace mve {

// The output stage of an accumulating kernel: how to requantize and where to put the results.
struct OutputStage {
  const int32_t* bias;  // or nullptr
  const int32_t* mult;
  const int32_t* shift;
  int32_t in_offset, out_offset, act_min, act_max;
};

// mat_mult_rows' view of it, for the output channels of one call: folded[oc] is
// bias[oc] + in_offset * sum of weight row oc (fold_offset).
struct FoldedStage {
  const int32_t* folded;
  const int32_t* mult;
  const int32_t* shift;
  int32_t out_offset, act_min, act_max;
};

// Output channels are taken kFoldChunk at a time, their folded biases on the stack.
constexpr int32_t kFoldChunk = 64;

// folded[oc] = bias[oc] + in_offset * sum(w[oc][0..K)) for oc < n.
inline void fold_offset(const int8_t* TMLC_RESTRICT w, int32_t K, int32_t n, const int32_t* TMLC_RESTRICT bias,
                        int32_t in_offset, int32_t* TMLC_RESTRICT folded) noexcept {
  for (int32_t oc = 0; oc < n; ++oc, w += K) {
    int32_t ws = 0;
    for (int32_t k = 0; k < K; k += 16) ws = vaddvaq_s8(ws, vldrbq_z_s8(w + k, vctp8q(static_cast<uint32_t>(K - k))));
    folded[oc] = (bias ? bias[oc] : 0) + in_offset * ws;
  }
}

// y[r * y_stride + oc] for r < rows (1..4; kFull: rows == 4), oc < out_c: row r
// of activations is x[r] (K int8); x[rows..3] must be readable too (a copy of x[0]).
template <bool kFull>
inline void mat_mult_rows(const int8_t* const x[4], int32_t rows, int32_t K, const int8_t* TMLC_RESTRICT w,
                          int32_t out_c, const FoldedStage& o, int8_t* TMLC_RESTRICT y, int32_t y_stride) noexcept {
  const int32_t* const folded = o.folded;
  const int32_t* const mult = o.mult;
  const int32_t* const shift = o.shift;
  const int32_t out_offset = o.out_offset, act_min = o.act_min, act_max = o.act_max;
  const int8_t* const x0 = x[0];
  const int8_t* const x1 = x[1];
  const int8_t* const x2 = x[2];
  const int8_t* const x3 = x[3];
  const int32_t chunks = K >> 4, tail = K & 15;
  const mve_pred16_t tail_pred = vctp8q(static_cast<uint32_t>(tail));
  const mve_pred16_t row_pred = vctp32q(static_cast<uint32_t>(rows));
  const uint32x4_t offsets = vmulq_n_u32(vidupq_n_u32(0, 1), static_cast<uint32_t>(y_stride));
  for (int32_t oc = 0; oc < out_c; ++oc) {
    const int8_t* p0 = x0;
    const int8_t* p1 = x1;
    const int8_t* p2 = x2;
    const int8_t* p3 = x3;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (int32_t i = 0; i < chunks; ++i) {
      const int8x16_t wv = vldrbq_s8(w);
      w += 16;
      a0 = vmladavaq_s8(a0, vldrbq_s8(p0), wv);
      p0 += 16;
      a1 = vmladavaq_s8(a1, vldrbq_s8(p1), wv);
      p1 += 16;
      a2 = vmladavaq_s8(a2, vldrbq_s8(p2), wv);
      p2 += 16;
      a3 = vmladavaq_s8(a3, vldrbq_s8(p3), wv);
      p3 += 16;
    }
    if (tail) {  // zeroed lanes add nothing
      const int8x16_t wv = vldrbq_z_s8(w, tail_pred);
      w += tail;
      a0 = vmladavaq_s8(a0, vldrbq_z_s8(p0, tail_pred), wv);
      a1 = vmladavaq_s8(a1, vldrbq_z_s8(p1, tail_pred), wv);
      a2 = vmladavaq_s8(a2, vldrbq_z_s8(p2, tail_pred), wv);
      a3 = vmladavaq_s8(a3, vldrbq_z_s8(p3, tail_pred), wv);
    }
    int32x4_t acc = vsetq_lane_s32(a3, vsetq_lane_s32(a2, vsetq_lane_s32(a1, vdupq_n_s32(a0), 1), 2), 3);
    acc = vaddq_n_s32(acc, folded[oc]);
    const int32x4_t v = requantize(acc, mult[oc], shift[oc], out_offset, act_min, act_max);
    if constexpr (kFull)
      vstrbq_scatter_offset_s32(y + oc, offsets, v);
    else
      vstrbq_scatter_offset_p_s32(y + oc, offsets, v, row_pred);
  }
}

// rows x [rows, K] times w [out_c, K] -> y [rows, out_c].
inline void mat_mult(const int8_t* TMLC_RESTRICT x, int32_t rows, int32_t K, const int8_t* TMLC_RESTRICT w,
                     int32_t out_c, const OutputStage& o, int8_t* TMLC_RESTRICT y) noexcept {
  int32_t folded[kFoldChunk];
  for (int32_t oc0 = 0; oc0 < out_c; oc0 += kFoldChunk) {
    const int32_t n = out_c - oc0 < kFoldChunk ? out_c - oc0 : kFoldChunk;
    const int8_t* wc = w + oc0 * K;
    fold_offset(wc, K, n, o.bias ? o.bias + oc0 : nullptr, o.in_offset, folded);
    const FoldedStage f = {folded, o.mult + oc0, o.shift + oc0, o.out_offset, o.act_min, o.act_max};
    int32_t r = 0;
    for (; r + 4 <= rows; r += 4) {
      const int8_t* xr[4] = {x + r * K, x + (r + 1) * K, x + (r + 2) * K, x + (r + 3) * K};
      mat_mult_rows<true>(xr, 4, K, wc, n, f, y + r * out_c + oc0, out_c);
    }
    if (r < rows) {  // rows past the end read row r again; their results are not stored
      const int8_t* xr[4] = {x + r * K, x + r * K, x + r * K, x + r * K};
      for (int32_t i = 1; i < rows - r; ++i) xr[i] = x + (r + i) * K;
      mat_mult_rows<false>(xr, rows - r, K, wc, n, f, y + r * out_c + oc0, out_c);
    }
  }
}

// Patch of output pixel (n, oh, ow): k_h * k_w * in_c int8, padding as -in_offset.
inline void im2col_patch_s8(const ConvParams& p, const int8_t* TMLC_RESTRICT x, int32_t n, int32_t oh, int32_t ow,
                            int8_t* TMLC_RESTRICT buf) noexcept {
  const int32_t ih0 = oh * p.stride_h - p.pad_top, iw0 = ow * p.stride_w - p.pad_left;
  const int8_t* xn = x + n * p.in_h * p.in_w * p.in_c;
  const int8x16_t pad = vdupq_n_s8(static_cast<int8_t>(-p.in_offset));
  const bool row_inside = p.dil_w == 1 && iw0 >= 0 && iw0 + p.k_w <= p.in_w;  // a row of taps is contiguous
  const int32_t row_bytes = p.k_w * p.in_c;
  for (int32_t kh = 0; kh < p.k_h; ++kh) {
    const int32_t ih = ih0 + kh * p.dil_h;
    if (row_inside && ih >= 0 && ih < p.in_h) {  // the whole row at once
      const int8_t* src = xn + (ih * p.in_w + iw0) * p.in_c;
      for (int32_t c = 0; c < row_bytes; c += 16) {
        const mve_pred16_t pr = vctp8q(static_cast<uint32_t>(row_bytes - c));
        vstrbq_p_s8(buf + c, vldrbq_z_s8(src + c, pr), pr);
      }
      buf += row_bytes;
      continue;
    }
    for (int32_t kw = 0; kw < p.k_w; ++kw, buf += p.in_c) {
      const int32_t iw = iw0 + kw * p.dil_w;
      const bool inside = ih >= 0 && ih < p.in_h && iw >= 0 && iw < p.in_w;
      const int8_t* src = xn + (ih * p.in_w + iw) * p.in_c;
      if (p.in_c == 1) {
        *buf = inside ? *src : static_cast<int8_t>(-p.in_offset);
        continue;
      }
      for (int32_t c = 0; c < p.in_c; c += 16) {
        const mve_pred16_t pr = vctp8q(static_cast<uint32_t>(p.in_c - c));
        vstrbq_p_s8(buf + c, inside ? vldrbq_z_s8(src + c, pr) : pad, pr);
      }
    }
  }
}

// Convolutions other than 1x1 / stride 1 / no padding: four im2col patches at a time.
inline void conv2d_im2col_mve(const ConvParams& params, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                              const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                              const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                              int16_t* TMLC_RESTRICT scratch) noexcept {
  const ConvParams p = params;  // a local copy: int8 stores cannot alias it
  const int32_t K = p.k_h * p.k_w * p.in_c;
  const int32_t pixels = p.out_h * p.out_w;
  int8_t* buf = reinterpret_cast<int8_t*>(scratch);
  int32_t folded[kFoldChunk];
  const bool fold_once = p.out_c <= kFoldChunk;  // else folded again per block of pixels and chunk
  if (fold_once) fold_offset(w, K, p.out_c, bias, p.in_offset, folded);
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t px = 0; px < pixels; px += 4) {
      const int32_t rows = pixels - px < 4 ? pixels - px : 4;
      const int8_t* xr[4] = {buf, rows > 1 ? buf + K : buf, rows > 2 ? buf + 2 * K : buf, rows > 3 ? buf + 3 * K : buf};
      for (int32_t r = 0; r < rows; ++r)
        im2col_patch_s8(p, x, n, (px + r) / p.out_w, (px + r) % p.out_w, buf + r * K);
      for (int32_t oc0 = 0; oc0 < p.out_c; oc0 += kFoldChunk) {
        const int32_t cnt = p.out_c - oc0 < kFoldChunk ? p.out_c - oc0 : kFoldChunk;
        const int8_t* wc = w + oc0 * K;
        if (!fold_once) fold_offset(wc, K, cnt, bias ? bias + oc0 : nullptr, p.in_offset, folded);
        const FoldedStage f = {folded, mult + oc0, shift + oc0, p.out_offset, p.act_min, p.act_max};
        int8_t* yb = y + (n * pixels + px) * p.out_c + oc0;
        if (rows == 4)
          mat_mult_rows<true>(xr, 4, K, wc, cnt, f, yb, p.out_c);
        else
          mat_mult_rows<false>(xr, rows, K, wc, cnt, f, yb, p.out_c);
      }
    }
  }
}

inline void conv2d_mve(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                       const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                       const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                       int16_t* TMLC_RESTRICT scratch) noexcept {
  const bool direct = p.k_h == 1 && p.k_w == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_top == 0 &&
                      p.pad_left == 0 && p.out_h == p.in_h && p.out_w == p.in_w;
  if (direct)
    mat_mult(x, p.batch * p.out_h * p.out_w, p.in_c, w, p.out_c,
             {bias, mult, shift, p.in_offset, p.out_offset, p.act_min, p.act_max}, y);
  else
    conv2d_im2col_mve(p, x, w, bias, mult, shift, y, scratch);
}

}  // namespace mve
}  // namespace q
}  // namespace tmlc

#endif  // TMLC_MVE_INT8
