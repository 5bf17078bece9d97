/* kernels_check.cpp: the int8 kernels a target selects (Helium on cortex-m55,
 * DSP on cortex-m4/m7/m33, portable elsewhere) against their portable bodies,
 * the int16 (16x8) convolutions against a direct int64 reference,
 * on pseudo-random shapes and values, in the same program; and on an MVE target
 * the vector requantization against requantize.h's scalar one on extreme values.
 *
 * Shapes cover what the fast bodies special-case: channel counts that are not
 * multiples of 4 or 16 (predicated tails), 1..6 rows (partial blocks of four
 * pixels), padding, strides and dilations (im2col, clipped windows), a depth
 * multiplier of 2 (portable fallback), no bias, positive shifts (multipliers of
 * 1 or more), narrowed activation ranges. Prints "FAIL" lines and exits 1 on
 * any difference, else one summary line and exits 0.
 * Built and run by kernels_target_test.cpp through the same harness build as
 * `tmlc validate` (this file replaces targets/common/harness.cpp). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tmlc/kernels/int8/conv.h"
#include "tmlc/kernels/int8/depthwise_conv.h"
#include "tmlc/kernels/int8/fully_connected.h"
#include "tmlc/kernels/int8/pool.h"

using namespace tmlc::q;

namespace {

uint32_t g_state = 12345u;
uint32_t next() {
  g_state = g_state * 1664525u + 1013904223u;
  return g_state >> 8;
}
int32_t range(int32_t lo, int32_t hi) { return lo + static_cast<int32_t>(next() % static_cast<uint32_t>(hi - lo + 1)); }

constexpr int kMax = 8192;
int8_t g_x[kMax], g_w[kMax], g_y[kMax], g_ref[kMax];
int32_t g_bias[256], g_mult[256], g_shift[256];
int16_t g_scratch[4096];
int g_failures = 0, g_cases = 0;

void fill(int8_t* p, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<int8_t>(range(-128, 127));
}

// Per-channel requantization pairs: mostly the usual (shift < 0), some >= 0.
void fill_requant(int n) {
  for (int i = 0; i < n; ++i) {
    g_bias[i] = range(-20000, 20000);
    g_mult[i] = static_cast<int32_t>(0x40000000u + (next() & 0x3FFFFFFFu));
    g_shift[i] = range(0, 5) == 0 ? range(0, 3) : range(-14, -1);
  }
}

void compare(const char* what, int n) {
  ++g_cases;
  for (int i = 0; i < n; ++i)
    if (g_y[i] != g_ref[i]) {
      printf("FAIL %s case %d: element %d is %d, portable %d\n", what, g_cases, i, g_y[i], g_ref[i]);
      ++g_failures;
      return;
    }
}

void act_range(int32_t& lo, int32_t& hi) {
  lo = range(0, 2) == 0 ? range(-128, 0) : -128;
  hi = range(0, 2) == 0 ? range(lo, 127) : 127;
}

void conv_case(bool depthwise) {
  ConvParams p{};
  p.batch = range(1, 2);
  p.in_h = range(1, 7);
  p.in_w = range(1, 7);
  p.in_c = depthwise ? range(1, 37) : range(1, 40);
  p.k_h = range(1, 4);
  p.k_w = range(1, 4);
  p.stride_h = range(1, 2);
  p.stride_w = range(1, 2);
  p.dil_h = range(0, 3) == 0 ? 2 : 1;
  p.dil_w = range(0, 3) == 0 ? 2 : 1;
  p.pad_top = range(0, p.k_h - 1);
  p.pad_left = range(0, p.k_w - 1);
  const int32_t eh = p.dil_h * (p.k_h - 1) + 1, ew = p.dil_w * (p.k_w - 1) + 1;
  if (p.in_h + 2 * p.pad_top < eh || p.in_w + 2 * p.pad_left < ew) return;
  p.out_h = (p.in_h + 2 * p.pad_top - eh) / p.stride_h + 1;
  p.out_w = (p.in_w + 2 * p.pad_left - ew) / p.stride_w + 1;
  p.group = depthwise ? p.in_c : 1;
  p.out_c = depthwise ? p.in_c * (range(0, 4) == 0 ? 2 : 1) : range(1, 20);
  p.in_offset = range(-127, 128);
  p.out_offset = range(-128, 127);
  act_range(p.act_min, p.act_max);
  const int32_t K = depthwise ? p.k_h * p.k_w : p.k_h * p.k_w * p.in_c;
  const int32_t nx = p.batch * p.in_h * p.in_w * p.in_c, ny = p.batch * p.out_h * p.out_w * p.out_c;
  if (nx > kMax || ny > kMax || K * p.out_c > kMax || p.out_c > 256) return;
  if (conv2d_scratch_bytes(p.k_h, p.k_w, p.in_c) > static_cast<int32_t>(sizeof(g_scratch))) return;
  if (depthwise_conv2d_scratch_bytes(p) > static_cast<int32_t>(sizeof(g_scratch))) return;
  fill(g_x, nx);
  fill(g_w, K * p.out_c);
  fill_requant(p.out_c);
  const int32_t* bias = range(0, 4) == 0 ? nullptr : g_bias;
  memset(g_y, 0x55, static_cast<size_t>(ny));
  memset(g_ref, 0x55, static_cast<size_t>(ny));
  if (depthwise) {
    depthwise_conv2d<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_y, g_scratch);
    depthwise_conv2d_portable<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_ref);
    compare("depthwise_conv2d", ny);
  } else {
    conv2d<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_y, g_scratch);
    conv2d_portable<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_ref);
    compare("conv2d", ny);
  }
}

void conv1x1_case() {
  ConvParams p{};
  p.batch = range(1, 2);
  p.in_h = p.out_h = range(1, 5);
  p.in_w = p.out_w = range(1, 5);
  p.in_c = range(1, 70);
  p.out_c = range(1, 24);
  p.k_h = p.k_w = p.stride_h = p.stride_w = p.dil_h = p.dil_w = p.group = 1;
  p.in_offset = range(-127, 128);
  p.out_offset = range(-128, 127);
  act_range(p.act_min, p.act_max);
  const int32_t nx = p.batch * p.in_h * p.in_w * p.in_c, ny = p.batch * p.out_h * p.out_w * p.out_c;
  if (nx > kMax || ny > kMax || p.in_c * p.out_c > kMax) return;
  fill(g_x, nx);
  fill(g_w, p.in_c * p.out_c);
  fill_requant(p.out_c);
  const int32_t* bias = range(0, 4) == 0 ? nullptr : g_bias;
  conv2d_1x1<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_y, g_scratch);
  conv2d_1x1_portable<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_ref);
  compare("conv2d_1x1", ny);
}

void fc_case() {
  FullyConnectedParams p{};
  p.batch = range(1, 6);
  p.in = range(1, 100);
  p.out = range(1, 40);
  p.in_offset = range(-127, 128);
  p.out_offset = range(-128, 127);
  act_range(p.act_min, p.act_max);
  if (p.batch * p.in > kMax || p.in * p.out > kMax) return;
  fill(g_x, p.batch * p.in);
  fill(g_w, p.in * p.out);
  fill_requant(p.out);
  const int32_t* bias = range(0, 4) == 0 ? nullptr : g_bias;
  fully_connected<int8_t>(p, g_x, g_w, bias, g_mult, g_shift, g_y);
  // The portable body: a 1x1 convolution over batch "pixels" is the same sum.
  ConvParams c{};
  c.batch = 1;
  c.in_h = c.out_h = p.batch;
  c.in_w = c.out_w = 1;
  c.in_c = p.in;
  c.out_c = p.out;
  c.k_h = c.k_w = c.stride_h = c.stride_w = c.dil_h = c.dil_w = c.group = 1;
  c.in_offset = p.in_offset;
  c.out_offset = p.out_offset;
  c.act_min = p.act_min;
  c.act_max = p.act_max;
  conv2d_1x1_portable<int8_t>(c, g_x, g_w, bias, g_mult, g_shift, g_ref);
  compare("fully_connected", p.batch * p.out);
}

// pool.h's portable loops are the template's body for other types: int16_t
// runs them on the same values.
int16_t g_x16[kMax], g_y16[kMax];

void pool_case(bool avg) {
  PoolParams p{};
  p.batch = range(1, 2);
  p.in_h = range(1, 8);
  p.in_w = range(1, 8);
  p.c = range(1, 40);
  p.k_h = range(1, p.in_h);
  p.k_w = range(1, p.in_w);
  p.stride_h = range(1, 3);
  p.stride_w = range(1, 3);
  p.pad_top = p.pad_bottom = range(0, p.k_h - 1);
  p.pad_left = p.pad_right = range(0, p.k_w - 1);
  p.out_h = (p.in_h + 2 * p.pad_top - p.k_h) / p.stride_h + 1;
  p.out_w = (p.in_w + 2 * p.pad_left - p.k_w) / p.stride_w + 1;
  p.count_include_pad = range(0, 1);
  p.in_zp = range(-128, 127);
  p.rescale = range(0, 1);
  p.mult = static_cast<int32_t>(0x40000000u + (next() & 0x3FFFFFFFu));
  p.shift = range(-3, 1);
  p.pre_shift = range(0, 16);  // windows of at most 8x8 taps: |sum| * 2^16 within int32
  p.out_zp = range(-128, 127);
  act_range(p.act_min, p.act_max);
  const int32_t nx = p.batch * p.in_h * p.in_w * p.c, ny = p.batch * p.out_h * p.out_w * p.c;
  if (nx > kMax || ny > kMax) return;
  fill(g_x, nx);
  for (int32_t i = 0; i < nx; ++i) g_x16[i] = g_x[i];
  if (avg) {
    // Half the time a table of multipliers by window count (windows cut by the borders).
    int32_t mult[64], shift[64];
    const bool table = p.k_h * p.k_w <= 64 && range(0, 1);
    for (int32_t i = 0; table && i < p.k_h * p.k_w; ++i) {
      mult[i] = static_cast<int32_t>(0x40000000u + (next() & 0x3FFFFFFFu));
      shift[i] = range(-24, 1);
    }
    avg_pool<int8_t>(p, g_x, g_y, table ? mult : nullptr, table ? shift : nullptr);
    avg_pool<int16_t>(p, g_x16, g_y16, table ? mult : nullptr, table ? shift : nullptr);
  } else {
    max_pool<int8_t>(p, g_x, g_y);
    max_pool<int16_t>(p, g_x16, g_y16);
  }
  for (int32_t i = 0; i < ny; ++i) g_ref[i] = static_cast<int8_t>(g_y16[i]);
  compare(avg ? "avg_pool" : "max_pool", ny);
}

#if defined(TMLC_MVE_INT8)
// The vector requantization against the scalar one, lane by lane.
void requantize_mve_check() {
  static const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, -1073741825, -65536, -32769, -32768, -256, -129, -128,
                                  -3, -2, -1, 0, 1, 2, 3, 127, 128, 255, 32767, 32768, 65535, 1073741824,
                                  INT32_MAX - 1, INT32_MAX};
  const int n = static_cast<int>(sizeof(edges) / sizeof(edges[0]));
  for (int iter = 0; iter < 4000; ++iter) {
    int32_t acc[4], mult[4], shift[4];
    for (int l = 0; l < 4; ++l) {
      acc[l] = (iter + l) % 3 == 0 ? edges[range(0, n - 1)] : static_cast<int32_t>(next() << 8 ^ next());
      if (iter % 5 == 0) acc[l] = range(-70000, 70000);
      mult[l] = iter % 7 == 0 ? (range(0, 1) ? INT32_MAX : 0x40000000) : static_cast<int32_t>(0x40000000u + (next() & 0x3FFFFFFFu));
      shift[l] = range(-31, 30);
      if (iter % 3 == 0) shift[l] = range(-8, 2);
    }
    int32_t v[4], s[4];
    vst1q_s32(v, tmlc::q::mve::multiply_by_quantized_multiplier(vld1q_s32(acc), vld1q_s32(mult), vld1q_s32(shift)));
    vst1q_s32(s, tmlc::q::mve::multiply_by_quantized_multiplier(vld1q_s32(acc), mult[0], shift[0]));
    for (int l = 0; l < 4; ++l) {
      const int32_t want = multiply_by_quantized_multiplier(acc[l], mult[l], shift[l]);
      const int32_t want0 = multiply_by_quantized_multiplier(acc[l], mult[0], shift[0]);
      if (v[l] != want || s[l] != want0) {
        printf("FAIL requantize: acc %ld mult %ld shift %ld: vector %ld (scalar pair %ld), requantize.h %ld (%ld)\n",
               static_cast<long>(acc[l]), static_cast<long>(mult[l]), static_cast<long>(shift[l]),
               static_cast<long>(v[l]), static_cast<long>(s[l]), static_cast<long>(want), static_cast<long>(want0));
        ++g_failures;
        return;
      }
    }
  }
  ++g_cases;
}
#endif

// ---- int16 (16x8): the selected bodies (dot_s16, conv2d_im2col, the DSP 1x1
// block and depthwise) against a direct reference written here: int64 sums of
// (x + in_offset) * w plus the int64 bias, then requantize.h's 64-bit
// requantization. in_offset is mostly 0 (the 16x8 scheme; the DSP bodies need
// it) and sometimes not (their fallbacks); rows longer than 256 products cross
// dot_s16's int32 chunks.
int16_t g_ref16[kMax];
int64_t g_bias64[256];

void ref_conv16(const ConvParams& p, bool dw, const int64_t* bias) {
  const int32_t dm = dw ? p.out_c / p.in_c : 1;
  for (int32_t n = 0; n < p.batch; ++n)
    for (int32_t oh = 0; oh < p.out_h; ++oh)
      for (int32_t ow = 0; ow < p.out_w; ++ow)
        for (int32_t oc = 0; oc < p.out_c; ++oc) {
          int64_t acc = bias ? bias[oc] : 0;
          for (int32_t kh = 0; kh < p.k_h; ++kh)
            for (int32_t kw = 0; kw < p.k_w; ++kw) {
              const int32_t ih = oh * p.stride_h - p.pad_top + kh * p.dil_h;
              const int32_t iw = ow * p.stride_w - p.pad_left + kw * p.dil_w;
              if (ih < 0 || ih >= p.in_h || iw < 0 || iw >= p.in_w) continue;
              const int16_t* xp = g_x16 + ((n * p.in_h + ih) * p.in_w + iw) * p.in_c;
              if (dw) {
                acc += static_cast<int64_t>(xp[oc / dm] + p.in_offset) * g_w[(kh * p.k_w + kw) * p.out_c + oc];
              } else {
                for (int32_t ic = 0; ic < p.in_c; ++ic)
                  acc += static_cast<int64_t>(xp[ic] + p.in_offset) * g_w[((oc * p.k_h + kh) * p.k_w + kw) * p.in_c + ic];
              }
            }
          g_ref16[((n * p.out_h + oh) * p.out_w + ow) * p.out_c + oc] =
              requantize<int16_t>(acc, g_mult[oc], g_shift[oc], p.out_offset, p.act_min, p.act_max);
        }
}

void compare16(const char* what, int n) {
  ++g_cases;
  for (int i = 0; i < n; ++i)
    if (g_y16[i] != g_ref16[i]) {
      printf("FAIL %s (int16) case %d: element %d is %d, reference %d\n", what, g_cases, i, g_y16[i], g_ref16[i]);
      ++g_failures;
      return;
    }
}

// kind 0: conv2d, 1: depthwise_conv2d, 2: conv2d_1x1.
void conv16_case(int kind) {
  ConvParams p{};
  const bool dw = kind == 1, pw = kind == 2;
  p.batch = range(1, 2);
  p.in_h = range(1, 7);
  p.in_w = range(1, 7);
  p.in_c = dw ? 4 * range(1, 9) - (range(0, 4) == 0 ? 1 : 0) : (range(0, 5) == 0 ? range(257, 300) : range(1, 40));
  p.k_h = pw ? 1 : range(1, 4);
  p.k_w = pw ? 1 : range(1, 4);
  p.stride_h = pw ? 1 : range(1, 2);
  p.stride_w = pw ? 1 : range(1, 2);
  p.dil_h = !pw && range(0, 3) == 0 ? 2 : 1;
  p.dil_w = !pw && range(0, 3) == 0 ? 2 : 1;
  p.pad_top = range(0, p.k_h - 1);
  p.pad_left = range(0, p.k_w - 1);
  const int32_t eh = p.dil_h * (p.k_h - 1) + 1, ew = p.dil_w * (p.k_w - 1) + 1;
  if (p.in_h + 2 * p.pad_top < eh || p.in_w + 2 * p.pad_left < ew) return;
  p.out_h = (p.in_h + 2 * p.pad_top - eh) / p.stride_h + 1;
  p.out_w = (p.in_w + 2 * p.pad_left - ew) / p.stride_w + 1;
  p.group = dw ? p.in_c : 1;
  p.out_c = dw ? p.in_c * (range(0, 4) == 0 ? 2 : 1) : range(1, 20);
  p.in_offset = range(0, 4) == 0 ? range(-300, 300) : 0;
  p.out_offset = 0;
  p.act_min = range(0, 2) == 0 ? range(-32768, 0) : -32768;
  p.act_max = range(0, 2) == 0 ? range(p.act_min, 32767) : 32767;
  const int32_t K = dw ? p.k_h * p.k_w : p.k_h * p.k_w * p.in_c;
  const int32_t nx = p.batch * p.in_h * p.in_w * p.in_c, ny = p.batch * p.out_h * p.out_w * p.out_c;
  if (nx > kMax || ny > kMax || K * p.out_c > kMax || p.out_c > 256) return;
  if (!dw && !pw && conv2d_im2col_scratch_bytes(p.k_h, p.k_w, p.in_c) > static_cast<int32_t>(sizeof(g_scratch)))
    return;
  for (int32_t i = 0; i < nx; ++i) g_x16[i] = static_cast<int16_t>(range(-32768 + 300, 32767 - 300));
  fill(g_w, K * p.out_c);
  fill_requant(p.out_c);
  for (int32_t i = 0; i < p.out_c; ++i) g_bias64[i] = static_cast<int64_t>(range(-2000000, 2000000)) * range(1, 3000);
  const int64_t* bias = range(0, 4) == 0 ? nullptr : g_bias64;
  ref_conv16(p, dw, bias);
  memset(g_y16, 0x55, sizeof(g_y16));
  if (dw) {
    depthwise_conv2d<int16_t>(p, g_x16, g_w, bias, g_mult, g_shift, g_y16, nullptr);
    compare16("depthwise_conv2d", ny);
  } else if (pw) {
    conv2d_1x1<int16_t>(p, g_x16, g_w, bias, g_mult, g_shift, g_y16, nullptr);
    compare16("conv2d_1x1", ny);
  } else {
    conv2d<int16_t>(p, g_x16, g_w, bias, g_mult, g_shift, g_y16, g_scratch);
    compare16("conv2d", ny);
  }
}

}  // namespace

int main() {
#if defined(TMLC_MVE_INT8)
  const char* body = "Helium (MVE)";
  requantize_mve_check();
#elif defined(__ARM_FEATURE_DSP)
  const char* body = "DSP";
#else
  const char* body = "portable";
#endif
  for (int i = 0; i < 150; ++i) {
    conv_case(false);
    conv_case(true);
    conv1x1_case();
    fc_case();
    pool_case(true);
    pool_case(false);
    conv16_case(0);
    conv16_case(1);
    conv16_case(2);
  }
  printf("%s int8 and int16 kernels: %d cases, %d failures\n", body, g_cases, g_failures);
  return g_failures ? 1 : 0;
}
