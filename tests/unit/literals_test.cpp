// literals_test.cpp: constants in generated code (codegen/literals.cpp) must
// read back bit-exactly. Two oracles: the C library's strtof/strtod on the
// printed text, and a real C++ compiler building a file of literals and
// comparing each with the bits it came from.
#include <catch2/catch.hpp>
#include <stdlib.h>  // mkdtemp

#include <cinttypes>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "codegen/literals.h"

using namespace tmlc;

namespace {

template <typename T>
Tensor tensorOf(DType dt, const std::vector<T>& v) {
  Tensor t = Tensor::zeros(dt, {static_cast<int64_t>(v.size())});
  std::memcpy(t.bytes.data(), v.data(), v.size() * sizeof(T));
  return t;
}

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
uint64_t bitsOf(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}

// Parses a float/double literal as printed by codegen; NaN and infinities are
// the macros of <math.h>.
double parseLiteral(std::string s, bool isFloat) {
  if (s.find("NAN") != std::string::npos) return std::nan("");
  if (s.find("INFINITY") != std::string::npos) return s[0] == '-' ? -INFINITY : INFINITY;
  if (isFloat) {
    REQUIRE(s.back() == 'f');
    s.pop_back();
    return std::strtof(s.c_str(), nullptr);
  }
  return std::strtod(s.c_str(), nullptr);
}

std::vector<float> interestingFloats() {
  std::vector<float> v = {0.f, -0.f, 1.f, -1.f, 0.1f, 1.f / 3.f, 16777216.f, 16777217.f,
                          std::numeric_limits<float>::min(), std::numeric_limits<float>::max(),
                          -std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min(),
                          -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::epsilon(),
                          std::nextafter(std::numeric_limits<float>::min(), 0.f), 1e-40f, 123456789.f};
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    uint32_t u = rng();
    float f;
    std::memcpy(&f, &u, 4);
    if (std::isfinite(f)) v.push_back(f);
  }
  return v;
}

std::vector<double> interestingDoubles() {
  std::vector<double> v = {0.0, -0.0, 0.1, 1.0 / 3.0, std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                           -std::numeric_limits<double>::max(), 9007199254740993.0};
  std::mt19937_64 rng(2);
  for (int i = 0; i < 5000; ++i) {
    uint64_t u = rng();
    double d;
    std::memcpy(&d, &u, 8);
    if (std::isfinite(d)) v.push_back(d);
  }
  return v;
}

}  // namespace

TEST_CASE("float literals parse back bit-exactly (strtof)", "[codegen][literals]") {
  auto v = interestingFloats();
  Tensor t = tensorOf(DType::Float32, v);
  int bad = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    std::string lit = elementLiteral(t, int64_t(i));
    float back = static_cast<float>(parseLiteral(lit, true));
    if (bitsOf(back) != bitsOf(v[i])) {
      if (bad++ < 5) UNSCOPED_INFO(lit << " is not " << v[i]);
    }
    // A literal is a valid C++ float literal: has a '.', 'e' or is special.
    CHECK(lit.find_first_of(".eEN") != std::string::npos);
  }
  CHECK(bad == 0);
  CHECK(elementLiteral(tensorOf(DType::Float32, std::vector<float>{-0.f}), 0) == "-0.0f");
}

TEST_CASE("double literals parse back bit-exactly (strtod)", "[codegen][literals]") {
  auto v = interestingDoubles();
  Tensor t = tensorOf(DType::Float64, v);
  int bad = 0;
  for (size_t i = 0; i < v.size(); ++i)
    if (bitsOf(parseLiteral(elementLiteral(t, int64_t(i)), false)) != bitsOf(v[i])) ++bad;
  CHECK(bad == 0);
}

TEST_CASE("special float values print as NAN and INFINITY", "[codegen][literals]") {
  Tensor t = tensorOf(DType::Float32, std::vector<float>{NAN, INFINITY, -INFINITY});
  CHECK(std::isnan(parseLiteral(elementLiteral(t, 0), true)));
  CHECK(parseLiteral(elementLiteral(t, 1), true) == INFINITY);
  CHECK(parseLiteral(elementLiteral(t, 2), true) == -INFINITY);
}

TEST_CASE("tensorInitializer lists every element, in order, in braces", "[codegen][literals]") {
  std::vector<int32_t> v(37);
  for (size_t i = 0; i < v.size(); ++i) v[i] = int32_t(i * 7) - 100;
  std::string init = tensorInitializer(tensorOf(DType::Int32, v), "    ");
  REQUIRE(init.front() == '{');
  REQUIRE(init.back() == '}');
  std::string body = init.substr(1, init.size() - 2);
  for (char& c : body)
    if (c == ',') c = ' ';
  std::istringstream in(body);
  std::vector<int32_t> back;
  for (long x; in >> x;) back.push_back(int32_t(x));
  CHECK(back == v);
  // Same input, same text.
  CHECK(tensorInitializer(tensorOf(DType::Int32, v), "    ") == init);
}

// The decisive check: a C++ compiler reads the literals. The program below
// holds each literal next to the bits it must produce and reports mismatches.
TEST_CASE("a C++ compiler reads every literal back bit-exactly", "[codegen][literals][compile]") {
  auto fl = interestingFloats();
  fl.resize(3000);
  fl.push_back(INFINITY);
  fl.push_back(-INFINITY);
  auto dl = interestingDoubles();
  dl.resize(1000);
  const std::vector<int64_t> i64 = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), -1, 0,
                                    int64_t(1) << 40};
  const std::vector<int32_t> i32 = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), -5};
  const std::vector<int16_t> i16 = {std::numeric_limits<int16_t>::min(), 32767};
  const std::vector<int8_t> i8 = {-128, 127, 0};
  const std::vector<uint64_t> u64 = {std::numeric_limits<uint64_t>::max(), 0, uint64_t(1) << 63};
  const std::vector<uint32_t> u32 = {4294967295u, 2147483648u};
  const std::vector<uint8_t> u8 = {255, 0};
  const std::vector<uint8_t> b = {0, 1};
  const std::vector<uint16_t> f16 = {0x0000, 0x8000, 0x0001, 0x7bff, 0x7c00, 0xfc00, 0x3555};

  std::string src = "#include <stdint.h>\n#include <string.h>\n#include <math.h>\n#include <stdio.h>\n"
                    "#include \"tmlc/float16.h\"\n";
  auto arr = [&](const char* ct, const char* name, const Tensor& t) {
    src += std::string("const ") + ct + " " + name + "[] = " + tensorInitializer(t, "  ") + ";\n";
  };
  arr("float", "kF", tensorOf(DType::Float32, fl));
  arr("double", "kD", tensorOf(DType::Float64, dl));
  arr("int64_t", "kI64", tensorOf(DType::Int64, i64));
  arr("int32_t", "kI32", tensorOf(DType::Int32, i32));
  arr("int16_t", "kI16", tensorOf(DType::Int16, i16));
  arr("int8_t", "kI8", tensorOf(DType::Int8, i8));
  arr("uint64_t", "kU64", tensorOf(DType::UInt64, u64));
  arr("uint32_t", "kU32", tensorOf(DType::UInt32, u32));
  arr("uint8_t", "kU8", tensorOf(DType::UInt8, u8));
  arr("bool", "kB", tensorOf(DType::Bool, b));
  arr("tmlc::float16", "kH", tensorOf(DType::Float16, f16));
  arr("tmlc::bfloat16", "kBF", tensorOf(DType::BFloat16, f16));
  // The expected bytes of each array, as hex strings.
  auto hex = [&](const char* name, const void* p, size_t n) {
    src += std::string("const char ") + name + "Bytes[] = \"";
    char buf[3];
    for (size_t i = 0; i < n; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", static_cast<const uint8_t*>(p)[i]);
      src += buf;
    }
    src += "\";\n";
  };
  hex("kF", fl.data(), fl.size() * 4);
  hex("kD", dl.data(), dl.size() * 8);
  hex("kI64", i64.data(), i64.size() * 8);
  hex("kI32", i32.data(), i32.size() * 4);
  hex("kI16", i16.data(), i16.size() * 2);
  hex("kI8", i8.data(), i8.size());
  hex("kU64", u64.data(), u64.size() * 8);
  hex("kU32", u32.data(), u32.size() * 4);
  hex("kU8", u8.data(), u8.size());
  hex("kB", b.data(), b.size());
  hex("kH", f16.data(), f16.size() * 2);
  hex("kBF", f16.data(), f16.size() * 2);
  src += R"(
static int check(const char* name, const void* p, size_t n, const char* hex) {
  int bad = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    if (static_cast<const unsigned char*>(p)[i] != v) ++bad;
  }
  if (bad) printf("%s: %d bytes differ\n", name, bad);
  return bad;
}
#define CHECK_ARRAY(a) bad += check(#a, a, sizeof a, a##Bytes)
int main() {
  int bad = 0;
  CHECK_ARRAY(kF); CHECK_ARRAY(kD); CHECK_ARRAY(kI64); CHECK_ARRAY(kI32); CHECK_ARRAY(kI16);
  CHECK_ARRAY(kI8); CHECK_ARRAY(kU64); CHECK_ARRAY(kU32); CHECK_ARRAY(kU8); CHECK_ARRAY(kB);
  CHECK_ARRAY(kH); CHECK_ARRAY(kBF);
  printf("mismatched bytes: %d\n", bad);
  return bad != 0;
}
)";
  // A fresh folder under the system's temporary directory, not the caller's.
  std::string dir = (std::filesystem::temp_directory_path() / "tmlc_literals_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  { std::ofstream(dir + "/lits.cpp") << src; }
  const std::string cxx = TMLC_TEST_CXX;
  const std::string cmd = cxx + " -std=c++17 -Wall -Wextra -Werror -I" TMLC_SOURCE_DIR "/runtime/include " + dir +
                          "/lits.cpp -o " + dir + "/lits > " + dir + "/build.log 2>&1";
  int rc = std::system(cmd.c_str());
  if (rc != 0) {
    std::ifstream log(dir + "/build.log");
    std::stringstream ss;
    ss << log.rdbuf();
    FAIL("the literals do not compile:\n" << ss.str().substr(0, 4000));
  }
  CHECK(std::system((dir + "/lits > " + dir + "/run.log").c_str()) == 0);
  std::filesystem::remove_all(dir);
}
