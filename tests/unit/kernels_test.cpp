// kernels_test.cpp: numerics of runtime kernels (runtime/include/tmlc/)
// against naive reference implementations written here, over dtypes.
#include <catch2/catch.hpp>

#include <random>
#include <type_traits>

#include "conv_adapter.h"
#include "ops/op_util.h"
#include "test_util.h"
#include "tmlc/kernels/binary.h"
#include "tmlc/kernels/gemm.h"

using namespace tmlc;

namespace {

// Random values of T that keep + - * / exact or well inside range.
template <typename T>
std::vector<T> randomValues(size_t n, std::mt19937& rng) {
  std::vector<T> v(n);
  if constexpr (std::is_floating_point<T>::value) {
    std::uniform_real_distribution<double> d(-8, 8);
    for (T& x : v) x = T(d(rng));
  } else if constexpr (std::is_same<T, tmlc::float16>::value || std::is_same<T, tmlc::bfloat16>::value) {
    std::uniform_real_distribution<float> d(-8, 8);
    for (T& x : v) x = T(d(rng));
  } else if constexpr (std::is_signed<T>::value) {
    std::uniform_int_distribution<int> d(-11, 11);
    for (T& x : v) x = T(d(rng));
  } else {
    std::uniform_int_distribution<int> d(0, 15);
    for (T& x : v) x = T(d(rng));
  }
  return v;
}

// Row-major strides of `s` as seen from an output of rank `rank`
// (missing leading dims and size-1 dims broadcast: stride 0).
std::vector<int64_t> broadcastStrides(const Shape& s, size_t rank) {
  std::vector<int64_t> st(rank, 0);
  int64_t acc = 1;
  for (size_t j = 0; j < s.size(); ++j) {
    size_t d = s.size() - 1 - j;
    st[rank - 1 - j] = s[d] == 1 ? 0 : acc;
    acc *= s[d];
  }
  return st;
}

// A random pair of shapes that broadcast together, and their result.
void randomBroadcastShapes(std::mt19937& rng, Shape& a, Shape& b, Shape& out) {
  const size_t rank = 1 + rng() % 5;
  out.clear();
  a.clear();
  b.clear();
  for (size_t d = 0; d < rank; ++d) {
    int64_t n = 1 + rng() % 4;
    out.push_back(n);
    switch (rng() % 4) {
      case 0: a.push_back(n), b.push_back(n); break;
      case 1: a.push_back(1), b.push_back(n); break;
      case 2: a.push_back(n), b.push_back(1); break;
      default: a.push_back(1), b.push_back(1), out.back() = 1; break;
    }
  }
  // Drop some leading dims of one operand (numpy's rank extension).
  size_t dropA = rng() % 3 == 0 ? rng() % rank : 0;
  a.erase(a.begin(), a.begin() + static_cast<long>(dropA));
  for (size_t d = 0; d < dropA; ++d)
    if (b[d] == 1) out[d] = 1;
}

// The operation computed exactly in double (the data keep integer results in
// range), then rounded once to T. Integer division truncates toward zero.
template <typename Op, typename T>
T reference(T a, T b) {
  const double x = double(a), y = double(b);
  double r = 0;
  if constexpr (std::is_same<Op, AddOp>::value) r = x + y;
  if constexpr (std::is_same<Op, SubOp>::value) r = x - y;
  if constexpr (std::is_same<Op, MulOp>::value) r = x * y;
  if constexpr (std::is_same<Op, DivOp>::value) r = std::is_integral<T>::value ? std::trunc(x / y) : x / y;
  if constexpr (std::is_integral<T>::value) return T(int64_t(r));
  else if constexpr (std::is_same<T, double>::value) return r;
  else return T(float(r));
}

template <typename Op, typename T>
void checkBinary(std::mt19937& rng) {
  for (int trial = 0; trial < 60; ++trial) {
    Shape as, bs, os;
    randomBroadcastShapes(rng, as, bs, os);
    INFO("a " << shapeToString(as) << " b " << shapeToString(bs) << " -> " << shapeToString(os));
    auto expect = broadcastShapes({as, bs});
    REQUIRE(expect);
    REQUIRE(*expect == os);
    const int64_t n = numElements(os);
    auto a = randomValues<T>(size_t(numElements(as)), rng);
    auto b = randomValues<T>(size_t(numElements(bs)), rng);
    if constexpr (std::is_same<Op, DivOp>::value && std::is_integral<T>::value)
      for (T& v : b)
        if (v == T(0)) v = T(3);
    std::vector<T> y(static_cast<size_t>(n));
    BinaryParams p{makeBroadcast(os, {as, bs}), kNoActivation};
    binary<Op>(p, a.data(), b.data(), y.data());

    // Naive reference: decompose each output index into coordinates.
    auto sa = broadcastStrides(as, os.size()), sb = broadcastStrides(bs, os.size());
    int bad = 0;
    for (int64_t i = 0; i < n; ++i) {
      int64_t rem = i, ia = 0, ib = 0;
      for (size_t d = os.size(); d-- > 0;) {
        int64_t c = rem % os[d];
        rem /= os[d];
        ia += c * sa[d];
        ib += c * sb[d];
      }
      T want = reference<Op, T>(a[size_t(ia)], b[size_t(ib)]);
      if (!(double(y[size_t(i)]) == double(want))) ++bad;
    }
    CHECK(bad == 0);
  }
}

}  // namespace

TEMPLATE_TEST_CASE("binary kernels broadcast like numpy", "[kernels][binary]", float, double,
                   tmlc::float16, int8_t, int16_t, int32_t, int64_t, uint8_t, uint32_t) {
  std::mt19937 rng(2024);
  SECTION("Add") { checkBinary<AddOp, TestType>(rng); }
  SECTION("Sub") { checkBinary<SubOp, TestType>(rng); }
  SECTION("Mul") { checkBinary<MulOp, TestType>(rng); }
  SECTION("Div") { checkBinary<DivOp, TestType>(rng); }
}

TEST_CASE("binary kernel: exact values for a row + column broadcast", "[kernels][binary]") {
  // [2,1] + [3] -> [[10,11,12],[20,21,22]]
  const float a[] = {10, 20}, b[] = {0, 1, 2};
  float y[6];
  BinaryParams p{makeBroadcast({2, 3}, {{2, 1}, {3}}), kNoActivation};
  binary<AddOp>(p, a, b, y);
  const float want[] = {10, 11, 12, 20, 21, 22};
  for (int i = 0; i < 6; ++i) CHECK(y[i] == want[i]);
}

TEST_CASE("binary kernel applies a fused Relu", "[kernels][binary]") {
  const float a[] = {1, -2, 3, -4}, b[] = {0.5f};
  float y[4];
  BinaryParams p{makeBroadcast({4}, {{4}, {1}}), {Act::Relu, 0, 0}};
  binary<SubOp>(p, a, b, y);
  CHECK(y[0] == 0.5f);
  CHECK(y[1] == 0.f);
  CHECK(y[2] == 2.5f);
  CHECK(y[3] == 0.f);
}

// ------------------------------------------------------------ convolution

namespace {
// Textbook convolution in double, straight from the ONNX definition.
std::vector<double> naiveConv(const tmlc_test::Conv2d& s, const std::vector<float>& x, const std::vector<float>& w,
                              const std::vector<float>& b) {
  std::vector<double> y(s.outSize());
  const int cg = s.c / s.group, mg = s.m / s.group;
  for (int m = 0; m < s.m; ++m)
    for (int oh = 0; oh < s.outH(); ++oh)
      for (int ow = 0; ow < s.outW(); ++ow) {
        double acc = b.empty() ? 0.0 : b[size_t(m)];
        const int g = m / mg;
        for (int ic = 0; ic < cg; ++ic)
          for (int kh = 0; kh < s.kh; ++kh)
            for (int kw = 0; kw < s.kw; ++kw) {
              int ih = oh * s.stride - s.pad + kh * s.dil, iw = ow * s.stride - s.pad + kw * s.dil;
              if (ih < 0 || iw < 0 || ih >= s.h || iw >= s.w) continue;
              acc += double(x[size_t(((g * cg + ic) * s.h + ih) * s.w + iw)]) *
                     double(w[size_t(((m * cg + ic) * s.kh + kh) * s.kw + kw)]);
            }
        y[size_t((m * s.outH() + oh) * s.outW() + ow)] = acc;
      }
  return y;
}

std::vector<float> toFloat(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }
}  // namespace

TEST_CASE("window_taps gives the taps inside the input, by enumeration", "[kernels][conv]") {
  for (int32_t kernel = 1; kernel <= 7; ++kernel)
    for (int32_t dil = 1; dil <= 4; ++dil)
      for (int32_t in = 1; in <= 9; ++in)
        for (int32_t start = -3 * kernel * dil; start <= in + 3; ++start) {
          int32_t lo = 0, hi = 0, n = 0;
          tmlc::window_taps(start, kernel, dil, in, lo, hi);
          INFO("start " << start << " kernel " << kernel << " dil " << dil << " in " << in);
          REQUIRE(0 <= lo);
          REQUIRE(lo <= hi);
          REQUIRE(hi <= kernel);
          for (int32_t k = 0; k < kernel; ++k) {
            const bool inside = start + k * dil >= 0 && start + k * dil < in;
            CHECK(inside == (k >= lo && k < hi));
            n += inside;
          }
          if (n == 0) CHECK(lo == hi);
        }
}

TEST_CASE("conv matches a textbook convolution", "[kernels][conv]") {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 120; ++trial) {
    tmlc_test::Conv2d s;
    s.group = 1 + int32_t(rng() % 3);
    s.c = s.group * (1 + int32_t(rng() % 3));
    s.m = s.group * (1 + int32_t(rng() % 6));  // 4 to 6 per group: blocks of four and a remainder
    s.h = 3 + int32_t(rng() % 6);
    s.w = 3 + int32_t(rng() % 6);
    s.kh = 1 + int32_t(rng() % 3);
    s.kw = 1 + int32_t(rng() % 3);
    s.stride = 1 + int32_t(rng() % 2);
    s.dil = 1 + int32_t(rng() % 2);
    s.pad = int32_t(rng() % 2);
    if (s.outH() <= 0 || s.outW() <= 0) continue;
    INFO("c" << s.c << " m" << s.m << " " << s.h << "x" << s.w << " k" << s.kh << "x" << s.kw << " s" << s.stride
             << " d" << s.dil << " p" << s.pad << " g" << s.group);
    auto x = tmlc_test::randomFloats(s.inSize(), rng()), w = tmlc_test::randomFloats(s.weightSize(), rng());
    auto b = tmlc_test::randomFloats(size_t(s.m), rng());
    std::vector<float> y(s.outSize());
    tmlc_test::conv2d<float>(s, x.data(), w.data(), b.data(), y.data());
    CHECK(tmlc_test::worstError(y, toFloat(naiveConv(s, x, w, b)), 1e-5, 1e-5) <= 1.0);
  }
}

TEST_CASE("depthwise_conv agrees with the general conv (group == channels)", "[kernels][conv]") {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    tmlc_test::Conv2d s;
    s.c = s.m = s.group = 1 + int32_t(rng() % 6);
    s.h = 2 + int32_t(rng() % 9);
    s.w = 2 + int32_t(rng() % 9);
    s.kh = 1 + int32_t(rng() % 3);
    s.kw = 1 + int32_t(rng() % 3);
    s.stride = 1 + int32_t(rng() % 3);
    s.dil = 1 + int32_t(rng() % 2);
    s.pad = int32_t(rng() % 3);
    if (s.outH() <= 0 || s.outW() <= 0) continue;
    INFO("c" << s.c << " " << s.h << "x" << s.w << " k" << s.kh << "x" << s.kw << " s" << s.stride << " d" << s.dil
             << " p" << s.pad);
    auto x = tmlc_test::randomFloats(s.inSize(), rng()), w = tmlc_test::randomFloats(s.weightSize(), rng());
    auto b = tmlc_test::randomFloats(size_t(s.m), rng());
    const Activation relu6{Act::Clip, 0.f, 6.f};
    std::vector<float> general(s.outSize()), depthwise(s.outSize());
    tmlc_test::conv2d<float>(s, x.data(), w.data(), trial % 2 ? b.data() : nullptr, general.data(), relu6);
    tmlc_test::depthwiseConv2d<float>(s, x.data(), w.data(), trial % 2 ? b.data() : nullptr, depthwise.data(),
                                      relu6);
    CHECK(tmlc_test::worstError(depthwise, general, 1e-6, 1e-6) <= 1.0);
  }
}

TEST_CASE("conv_pointwise agrees with the general conv (1x1 kernels)", "[kernels][conv]") {
  std::mt19937 rng(8);
  for (int trial = 0; trial < 30; ++trial) {
    tmlc_test::Conv2d s;
    s.c = 1 + int32_t(rng() % 8);
    s.m = 1 + int32_t(rng() % 8);
    s.h = 1 + int32_t(rng() % 6);
    s.w = 1 + int32_t(rng() % 6);
    auto x = tmlc_test::randomFloats(s.inSize(), rng()), w = tmlc_test::randomFloats(s.weightSize(), rng());
    auto b = tmlc_test::randomFloats(size_t(s.m), rng());
    std::vector<float> general(s.outSize()), pointwise(s.outSize());
    tmlc_test::conv2d<float>(s, x.data(), w.data(), b.data(), general.data());
    tmlc_test::pointwiseConv2d<float>(s, x.data(), w.data(), b.data(), pointwise.data());
    CHECK(tmlc_test::worstError(pointwise, general, 1e-6, 1e-6) <= 1.0);
  }
}

// ------------------------------------------------------------ gemm

TEMPLATE_TEST_CASE("gemm matches a naive matrix product", "[kernels][gemm]", float, double, int32_t) {
  using T = TestType;
  std::mt19937 rng(31);
  for (int trial = 0; trial < 80; ++trial) {
    const int M = 1 + int(rng() % 7), N = 1 + int(rng() % 7), K = 1 + int(rng() % 9);
    const int ta = int(rng() % 2), tb = int(rng() % 2);
    const bool isF = std::is_floating_point<T>::value;
    const float alpha = isF && rng() % 2 ? 0.5f : 1.f, beta = isF && rng() % 2 ? -2.f : 1.f;
    // C: none, [N], [M,1] or [M,N].
    const int cKind = int(rng() % 4);
    auto a = randomValues<T>(size_t(M * K), rng), b = randomValues<T>(size_t(K * N), rng);
    auto c = randomValues<T>(size_t(M * N), rng);
    int32_t csm = 0, csn = 0;
    if (cKind == 1) csn = 1;
    if (cKind == 2) csm = 1;
    if (cKind == 3) csm = N, csn = 1;
    GemmParams p{M, N, K, ta, tb, alpha, beta, csm, csn, kNoActivation};
    std::vector<T> y(size_t(M * N));
    gemm<T>(p, a.data(), b.data(), cKind ? c.data() : nullptr, y.data());
    INFO("M" << M << " N" << N << " K" << K << " ta" << ta << " tb" << tb << " C" << cKind);
    int bad = 0;
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        double acc = 0;
        for (int l = 0; l < K; ++l)
          acc += double(ta ? a[size_t(l * M + i)] : a[size_t(i * K + l)]) *
                 double(tb ? b[size_t(j * K + l)] : b[size_t(l * N + j)]);
        acc *= alpha;
        if (cKind) acc += beta * double(c[size_t(i * csm + j * csn)]);
        double got = double(y[size_t(i * N + j)]);
        if (std::fabs(got - acc) > (isF ? 1e-4 * (1 + std::fabs(acc)) : 0.0)) ++bad;
      }
    CHECK(bad == 0);
  }
}
