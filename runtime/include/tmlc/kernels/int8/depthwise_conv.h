// depthwise_conv.h: quantized depthwise 2-D convolution, NHWC.
//
//   x [batch, in_h, in_w, in_c]              T
//   w [k_h, k_w, out_c]                      int8_t, out_c = in_c * depth_multiplier;
//                                            channel innermost, so neighbouring
//                                            channels are neighbours in memory
//   bias, mult, shift [out_c]                as in conv.h
//   y [batch, out_h, out_w, out_c]           T
// Output channel oc reads input channel oc / depth_multiplier. Parameters are
// conv.h's ConvParams with group == in_c.
//
// The window's rows and columns inside the input are found once per output
// pixel, so the tap loops carry no bounds checks. With the DSP extension, int8
// and multiplier 1, four channels go together: one word of activations and one
// of weights unpack with SXTB16 and feed SMLABB/SMLATT (same results bit for bit).
// int16 activations take depthwise_conv_s16.h's body.
#pragma once

#include <type_traits>

#include "tmlc/kernels/int8/conv.h"
#include "tmlc/kernels/window.h"

namespace tmlc {
namespace q {

template <typename T>
inline void depthwise_conv2d_portable(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                                      const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                      const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y) noexcept {
  const int32_t dm = p.out_c / p.in_c;
  for (int32_t n = 0; n < p.batch; ++n) {
    const T* xn = x + n * p.in_h * p.in_w * p.in_c;
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      int32_t khLo, khHi;
      window_taps(ih0, p.k_h, p.dil_h, p.in_h, khLo, khHi);
      for (int32_t ow = 0; ow < p.out_w; ++ow) {
        const int32_t iw0 = ow * p.stride_w - p.pad_left;
        int32_t kwLo, kwHi;
        window_taps(iw0, p.k_w, p.dil_w, p.in_w, kwLo, kwHi);
        T* yp = y + ((n * p.out_h + oh) * p.out_w + ow) * p.out_c;
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          const int32_t ic = oc / dm;
          bias_t<T> acc = bias ? bias[oc] : 0;
          for (int32_t kh = khLo; kh < khHi; ++kh) {
            const T* xr = xn + (ih0 + kh * p.dil_h) * p.in_w * p.in_c + ic;
            const int8_t* wr = w + kh * p.k_w * p.out_c + oc;
            for (int32_t kw = kwLo; kw < kwHi; ++kw)
              acc += (static_cast<int32_t>(xr[(iw0 + kw * p.dil_w) * p.in_c]) + p.in_offset) *
                     static_cast<int32_t>(wr[kw * p.out_c]);  // int32 product, bias_t<T> sum
          }
          yp[oc] = requantize<T>(acc, mult[oc], shift[oc], p.out_offset, p.act_min, p.act_max);
        }
      }
    }
  }
}

// Columns of an expanded row: the input with its left padding, and every
// column an output reads (the right padding).
constexpr int32_t depthwise_padded_width(const ConvParams& p) {
  return p.pad_left + p.in_w > (p.out_w - 1) * p.stride_w + (p.k_w - 1) * p.dil_w + 1
             ? p.pad_left + p.in_w
             : (p.out_w - 1) * p.stride_w + (p.k_w - 1) * p.dil_w + 1;
}

// Bytes of scratch depthwise_conv2d needs (the DSP body; the size must not
// depend on the target): a ring of the input rows one window spans plus a zero
// row, each padded left and right and expanded to int16, and the weights
// expanded to int16.
constexpr int32_t depthwise_conv2d_scratch_bytes(const ConvParams& p) {
  return ((p.k_h - 1) * p.dil_h + 2) * depthwise_padded_width(p) * p.in_c * 2 + p.k_h * p.k_w * p.in_c * 2 + 8;
}

#if defined(__ARM_FEATURE_DSP)
// int8, depth multiplier 1, channels a multiple of 4. Input rows are expanded
// once (x + in_offset as int16, SXTB16 order per 4 channels, padding columns 0,
// so padded taps add nothing) into a ring of rows laid out [group of 4
// channels][column][4]; rows outside the input read a zero row. The weights are
// expanded the same way ([group][tap][4]). Every tap is then two LDRD and four
// 16x16 multiply-accumulates, with no bounds checks; 3x3 windows are unrolled.
struct DwTap {
  TMLC_ALWAYS_INLINE static void mac(const uint32_t* TMLC_RESTRICT xp, const uint32_t* TMLC_RESTRICT wp,
                                     int32_t& a0, int32_t& a1, int32_t& a2, int32_t& a3) noexcept {
    const int32_t x02 = static_cast<int32_t>(xp[0]), x13 = static_cast<int32_t>(xp[1]);
    const int32_t w02 = static_cast<int32_t>(wp[0]), w13 = static_cast<int32_t>(wp[1]);
    a0 = __smlabb(x02, w02, a0);
    a2 = __smlatt(x02, w02, a2);
    a1 = __smlabb(x13, w13, a1);
    a3 = __smlatt(x13, w13, a3);
  }
};

inline void depthwise_conv2d_dsp(const ConvParams& p, const int8_t* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                                 const int32_t* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                                 const int32_t* TMLC_RESTRICT shift, int8_t* TMLC_RESTRICT y,
                                 int16_t* TMLC_RESTRICT scratch) noexcept {
  const int32_t C = p.in_c, G = C / 4, taps = p.k_h * p.k_w;
  const int32_t span = (p.k_h - 1) * p.dil_h + 1;
  // Padded row width: every column an output reads.
  const int32_t pw = depthwise_padded_width(p);
  const int32_t rowWords = pw * C / 2;  // one expanded row: pw columns x C int16
  uint32_t* const ring = reinterpret_cast<uint32_t*>((reinterpret_cast<uintptr_t>(scratch) + 7u) & ~uintptr_t(7));
  uint32_t* const zero = ring + span * rowWords;
  uint32_t* const wx = zero + rowWords;
  const uint32_t off2 = dsp::pair(p.in_offset);
  const uint32_t lo4 = dsp::bytes4(p.act_min), hi4 = dsp::bytes4(p.act_max);
  // Weights [tap][C] -> [group][tap][4 int16].
  for (int32_t t = 0; t < taps; ++t)
    for (int32_t g = 0; g < G; ++g) {
      const uint32_t v = dsp::read32(w + t * C + g * 4);
      wx[(g * taps + t) * 2] = dsp::sxtb16(v);
      wx[(g * taps + t) * 2 + 1] = dsp::sxtb16_ror8(v);
    }
  for (int32_t i = 0; i < rowWords; ++i) zero[i] = 0;
  const uint32_t* rows[16];  // per kh (k_h <= 16 checked by the caller)
  for (int32_t n = 0; n < p.batch; ++n) {
    const int8_t* xn = x + n * p.in_h * p.in_w * C;
    int32_t next = 0;  // first input row not yet expanded
    for (int32_t oh = 0; oh < p.out_h; ++oh) {
      const int32_t ih0 = oh * p.stride_h - p.pad_top;
      // Expand the window's rows not yet in the ring: all of [ih0, ih0 + span)
      // from `next` on (with dilation the rows between taps too, so that the
      // ring always holds a contiguous run of rows ending at next - 1).
      const int32_t last = ih0 + span < p.in_h ? ih0 + span : p.in_h;
      for (int32_t ih = next > ih0 ? next : (ih0 > 0 ? ih0 : 0); ih < last; ++ih) {
        uint32_t* r = ring + (ih % span) * rowWords;
        // Row ih: columns [0, pad_left) and past the input stay 0.
        const int8_t* src = xn + ih * p.in_w * C;
        for (int32_t g = 0; g < G; ++g) {
          uint32_t* d = r + g * pw * 2;
          int32_t c = 0;
          for (; c < p.pad_left; ++c) d[2 * c] = d[2 * c + 1] = 0;
          for (int32_t iw = 0; iw < p.in_w; ++iw, ++c) {
            const uint32_t v = dsp::read32(src + iw * C + g * 4);
            d[2 * c] = dsp::sadd16(dsp::sxtb16(v), off2);
            d[2 * c + 1] = dsp::sadd16(dsp::sxtb16_ror8(v), off2);
          }
          for (; c < pw; ++c) d[2 * c] = d[2 * c + 1] = 0;
        }
        next = ih + 1;
      }
      for (int32_t kh = 0; kh < p.k_h; ++kh) {
        const int32_t ih = ih0 + kh * p.dil_h;
        rows[kh] = ih < 0 || ih >= p.in_h ? zero : ring + (ih % span) * rowWords;
      }
      int8_t* yrow = y + (n * p.out_h + oh) * p.out_w * C;
      const bool k33 = p.k_h == 3 && p.k_w == 3 && p.dil_w == 1;
      for (int32_t g = 0; g < G; ++g) {
        const int32_t c0 = g * 4;
        const uint32_t* wg = wx + g * taps * 2;
        const int32_t go = g * pw * 2;
        const int32_t b0 = bias ? bias[c0] : 0, b1 = bias ? bias[c0 + 1] : 0;
        const int32_t b2 = bias ? bias[c0 + 2] : 0, b3 = bias ? bias[c0 + 3] : 0;
        for (int32_t ow = 0; ow < p.out_w; ++ow) {
          int32_t a0 = b0, a1 = b1, a2 = b2, a3 = b3;
          const int32_t col = ow * p.stride_w * 2 + go;
          if (k33) {
            const uint32_t* r0 = rows[0] + col;
            const uint32_t* r1 = rows[1] + col;
            const uint32_t* r2 = rows[2] + col;
            // The nine taps in assembly (GCC's allocation of the unrolled C
            // spills): per tap one LDRD of activations, one of weights and
            // four 16x16 multiply-accumulates; twelve registers.
            uint32_t x02, x13, w02, w13;
#define TMLC_DW_TAP(R, XOFF, WOFF)                                   \
  "ldrd %[x02], %[x13], [%[" R "], #" XOFF "]\n\t"                   \
  "ldrd %[w02], %[w13], [%[wg], #" WOFF "]\n\t"                      \
  "smlabb %[a0], %[x02], %[w02], %[a0]\n\t"                         \
  "smlatt %[a2], %[x02], %[w02], %[a2]\n\t"                         \
  "smlabb %[a1], %[x13], %[w13], %[a1]\n\t"                         \
  "smlatt %[a3], %[x13], %[w13], %[a3]\n\t"
            __asm__(TMLC_DW_TAP("r0", "0", "0") TMLC_DW_TAP("r0", "8", "8") TMLC_DW_TAP("r0", "16", "16")
                        TMLC_DW_TAP("r1", "0", "24") TMLC_DW_TAP("r1", "8", "32") TMLC_DW_TAP("r1", "16", "40")
                            TMLC_DW_TAP("r2", "0", "48") TMLC_DW_TAP("r2", "8", "56") TMLC_DW_TAP("r2", "16", "64")
                    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x02] "=&r"(x02),
                      [x13] "=&r"(x13), [w02] "=&r"(w02), [w13] "=&r"(w13)
                    : [r0] "r"(r0), [r1] "r"(r1), [r2] "r"(r2), [wg] "r"(wg),
                      // what the taps read, for the compiler's ordering
                      "m"(*reinterpret_cast<const uint32_t(*)[6]>(r0)),
                      "m"(*reinterpret_cast<const uint32_t(*)[6]>(r1)),
                      "m"(*reinterpret_cast<const uint32_t(*)[6]>(r2)),
                      "m"(*reinterpret_cast<const uint32_t(*)[18]>(wg)));
#undef TMLC_DW_TAP
          } else {
            const uint32_t* wp = wg;
            for (int32_t kh = 0; kh < p.k_h; ++kh) {
              const uint32_t* xp = rows[kh] + col;
              for (int32_t kw = 0; kw < p.k_w; ++kw, xp += p.dil_w * 2, wp += 2) DwTap::mac(xp, wp, a0, a1, a2, a3);
            }
          }
          const int32_t zp = p.out_offset;
          dsp::store4_clamped(yrow + ow * C + c0, multiply_by_quantized_multiplier(a0, mult[c0], shift[c0]) + zp,
                              multiply_by_quantized_multiplier(a1, mult[c0 + 1], shift[c0 + 1]) + zp,
                              multiply_by_quantized_multiplier(a2, mult[c0 + 2], shift[c0 + 2]) + zp,
                              multiply_by_quantized_multiplier(a3, mult[c0 + 3], shift[c0 + 3]) + zp, lo4, hi4);
        }
      }
    }
  }
}
#endif

}  // namespace q
}  // namespace tmlc

#include "tmlc/kernels/int8/depthwise_conv_s16.h"
#include "tmlc/kernels/int8/mve/depthwise_conv_mve.h"

namespace tmlc {
namespace q {

template <typename T>
inline void depthwise_conv2d(const ConvParams& p, const T* TMLC_RESTRICT x, const int8_t* TMLC_RESTRICT w,
                             const bias_t<T>* TMLC_RESTRICT bias, const int32_t* TMLC_RESTRICT mult,
                             const int32_t* TMLC_RESTRICT shift, T* TMLC_RESTRICT y,
                             int16_t* TMLC_RESTRICT scratch) noexcept {
#if defined(TMLC_MVE_INT8)
  if constexpr (std::is_same<T, int8_t>::value) {
    if (p.out_c == p.in_c) {
      mve::depthwise_conv2d_mve(p, x, w, bias, mult, shift, y);
      return;
    }
  }
#elif defined(__ARM_FEATURE_DSP)
  if constexpr (std::is_same<T, int8_t>::value) {
    if (p.out_c == p.in_c && (p.in_c & 3) == 0 && p.k_h <= 16) {
      depthwise_conv2d_dsp(p, x, w, bias, mult, shift, y, scratch);
      return;
    }
  }
#endif
  if constexpr (std::is_same<T, int16_t>::value) {
    if (p.out_c == p.in_c && (p.in_c & 3) == 0 && p.in_offset == 0 && p.k_h * p.k_w <= kDotS16Chunk) {
      depthwise_conv2d_s16(p, x, w, bias, mult, shift, y);
      return;
    }
  }
  (void)scratch;
  depthwise_conv2d_portable(p, x, w, bias, mult, shift, y);
}

}  // namespace q
}  // namespace tmlc
