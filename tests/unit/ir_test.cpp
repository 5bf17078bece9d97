// ir_test.cpp: the IR (compiler/ir/): the dtype table against ONNX's own
// enum and C++'s sizeof, the op table, Tensor helpers, and Graph surgery.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "ir/dtype.h"
#include "ir/graph.h"
#include "ir/printer.h"
#include "onnx/onnx_pb.h"
#include "onnx_text.h"
#include "ops/op_def.h"
#include "tmlc/float16.h"

using namespace tmlc;

TEST_CASE("dtype table matches ONNX's codes and C++ sizes", "[ir][dtype]") {
  struct Row { int onnx; DType dt; size_t size; const char* ctype; };
  const Row rows[] = {
      {onnx::TensorProto::FLOAT, DType::Float32, sizeof(float), "float"},
      {onnx::TensorProto::UINT8, DType::UInt8, sizeof(uint8_t), "uint8_t"},
      {onnx::TensorProto::INT8, DType::Int8, sizeof(int8_t), "int8_t"},
      {onnx::TensorProto::UINT16, DType::UInt16, sizeof(uint16_t), "uint16_t"},
      {onnx::TensorProto::INT16, DType::Int16, sizeof(int16_t), "int16_t"},
      {onnx::TensorProto::INT32, DType::Int32, sizeof(int32_t), "int32_t"},
      {onnx::TensorProto::INT64, DType::Int64, sizeof(int64_t), "int64_t"},
      {onnx::TensorProto::BOOL, DType::Bool, sizeof(bool), "bool"},
      {onnx::TensorProto::FLOAT16, DType::Float16, sizeof(tmlc::float16), "tmlc::float16"},
      {onnx::TensorProto::DOUBLE, DType::Float64, sizeof(double), "double"},
      {onnx::TensorProto::UINT32, DType::UInt32, sizeof(uint32_t), "uint32_t"},
      {onnx::TensorProto::UINT64, DType::UInt64, sizeof(uint64_t), "uint64_t"},
      {onnx::TensorProto::BFLOAT16, DType::BFloat16, sizeof(tmlc::bfloat16), "bfloat16"},
  };
  for (const Row& r : rows) {
    INFO("ONNX code " << r.onnx);
    auto dt = dtypeFromOnnx(r.onnx);
    REQUIRE(dt.has_value());
    CHECK(*dt == r.dt);
    CHECK(static_cast<int>(r.dt) == r.onnx);
    CHECK(dtypeSize(r.dt) == r.size);
    CHECK(std::string(dtypeCType(r.dt)).find(r.ctype) != std::string::npos);
    // Exactly one category.
    CHECK(int(isFloat(r.dt)) + int(isSignedInt(r.dt)) + int(isUnsignedInt(r.dt)) +
              int(r.dt == DType::Bool) == 1);
  }
  CHECK(isFloat(DType::Float16));
  CHECK(isSignedInt(DType::Int8));
  CHECK(isUnsignedInt(DType::UInt64));
  CHECK_FALSE(isInteger(DType::Bool));
  // Strings and complex numbers have no storage type here.
  CHECK_FALSE(dtypeFromOnnx(onnx::TensorProto::STRING).has_value());
  CHECK_FALSE(dtypeFromOnnx(onnx::TensorProto::COMPLEX64).has_value());
  CHECK_FALSE(dtypeFromOnnx(onnx::TensorProto::COMPLEX128).has_value());
  CHECK_FALSE(dtypeFromOnnx(0).has_value());
  CHECK_FALSE(dtypeFromOnnx(-1).has_value());
  CHECK_FALSE(dtypeFromOnnx(1000).has_value());
}

TEST_CASE("dtype short names are distinct", "[ir][dtype]") {
  std::set<std::string> names;
  for (int code = 0; code < 32; ++code)
    if (auto dt = dtypeFromOnnx(code)) CHECK(names.insert(dtypeName(*dt)).second);
  CHECK(names.size() == 13);
}

TEST_CASE("op table: every kind is found by its ONNX name and has a shape rule", "[ir][ops]") {
  auto ops = allOps();
  REQUIRE(ops.size() == static_cast<size_t>(OpKind::NumKinds) - 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    const OpDef* d = ops[i];
    INFO(d->name);
    CHECK(static_cast<size_t>(d->kind) == i + 1);
    CHECK(&opDef(d->kind) == d);
    CHECK(std::string(opName(d->kind)) == d->name);
    auto k = lookupOp(d->domain, d->name);
    REQUIRE(k.has_value());
    CHECK(*k == d->kind);
    CHECK(d->infer != nullptr);
    // An op without a kernel must be an alias, always fold (Shape, Size), or
    // be inlined by the frontend (control flow).
    const bool inlined = std::string(d->name) == "If" || std::string(d->name) == "Loop" ||
                         std::string(d->name) == "Scan";
    if (!d->emit) CHECK((d->alias || d->eval != nullptr || inlined));
  }
  CHECK_FALSE(lookupOp("", "NoSuchOperator").has_value());
  CHECK(lookupOp("ai.onnx", "Conv") == lookupOp("", "Conv"));
}

TEST_CASE("shape helpers", "[ir][tensor]") {
  CHECK(numElements({}) == 1);
  CHECK(numElements({2, 3, 4}) == 24);
  CHECK(numElements({5, 0, 3}) == 0);
  CHECK(shapeToString({}) == "scalar");
  CHECK(shapeToString({1, 3, 224, 224}) == "1x3x224x224");
}

TEST_CASE("Tensor::fromInts and toInts round-trip", "[ir][tensor]") {
  const std::vector<int64_t> v = {0, 1, -1, 42, std::numeric_limits<int64_t>::max(),
                                  std::numeric_limits<int64_t>::min()};
  Tensor t = Tensor::fromInts(DType::Int64, {2, 3}, v);
  CHECK(t.bytes.size() == 48);
  CHECK(t.numel() == 6);
  CHECK(t.toInts() == v);
  CHECK(t.data<int64_t>()[4] == std::numeric_limits<int64_t>::max());

  Tensor t32 = Tensor::fromInts(DType::Int32, {3}, {-7, 0, 2147483647});
  CHECK(t32.bytes.size() == 12);
  CHECK(t32.toInts() == std::vector<int64_t>{-7, 0, 2147483647});

  Tensor f = Tensor::fromInts(DType::Float32, {2}, {3, -5});
  CHECK(f.data<float>()[0] == 3.0f);
  CHECK(f.getDouble(1) == -5.0);

  Tensor z = Tensor::zeros(DType::Float64, {4, 2});
  CHECK(z.bytes.size() == 64);
  for (int64_t i = 0; i < z.numel(); ++i) CHECK(z.getDouble(i) == 0.0);
}

TEST_CASE("Tensor::getDouble and getInt read every storage type", "[ir][tensor]") {
  auto make = [](DType dt, const void* p, size_t n) {
    Tensor t = Tensor::zeros(dt, {static_cast<int64_t>(n / dtypeSize(dt))});
    std::memcpy(t.bytes.data(), p, n);
    return t;
  };
  const int8_t i8[] = {-128, 127};
  CHECK(make(DType::Int8, i8, 2).getInt(0) == -128);
  const uint8_t u8[] = {255, 0};
  CHECK(make(DType::UInt8, u8, 2).getInt(0) == 255);
  const int16_t i16[] = {-32768};
  CHECK(make(DType::Int16, i16, 2).getDouble(0) == -32768.0);
  const uint16_t u16[] = {65535};
  CHECK(make(DType::UInt16, u16, 2).getInt(0) == 65535);
  const uint32_t u32[] = {4294967295u};
  CHECK(make(DType::UInt32, u32, 4).getInt(0) == 4294967295LL);
  const int64_t i64[] = {std::numeric_limits<int64_t>::min()};
  CHECK(make(DType::Int64, i64, 8).getInt(0) == std::numeric_limits<int64_t>::min());
  const double f64[] = {0.1};
  CHECK(make(DType::Float64, f64, 8).getDouble(0) == 0.1);
  const uint8_t b[] = {0, 1};
  CHECK(make(DType::Bool, b, 2).getDouble(1) == 1.0);
  const uint16_t bf[] = {0x3fc0};  // 1.5 in bfloat16
  CHECK(make(DType::BFloat16, bf, 2).getDouble(0) == 1.5);
}

TEST_CASE("Tensor::getDouble decodes every float16 bit pattern like the runtime", "[ir][tensor]") {
  // Two independent decoders (compiler/ir and runtime/include/tmlc/float16.h)
  // must agree on all 65536 patterns, and both with the known values below.
  Tensor t = Tensor::zeros(DType::Float16, {65536});
  for (uint32_t i = 0; i < 65536; ++i) {
    uint16_t h = static_cast<uint16_t>(i);
    std::memcpy(t.bytes.data() + 2 * i, &h, 2);
  }
  int mismatches = 0;
  for (uint32_t i = 0; i < 65536; ++i) {
    double a = t.getDouble(i);
    float b = tmlc::half_bits_to_float(static_cast<uint16_t>(i));
    bool same = (std::isnan(a) && std::isnan(b)) || (a == double(b) && std::signbit(a) == std::signbit(b));
    if (!same) ++mismatches;
  }
  CHECK(mismatches == 0);
  CHECK(t.getDouble(0x3c00) == 1.0);
  CHECK(t.getDouble(0xc000) == -2.0);
  CHECK(t.getDouble(0x7bff) == 65504.0);
  CHECK(t.getDouble(0x0001) == std::ldexp(1.0, -24));  // smallest denormal
  CHECK(std::isinf(t.getDouble(0x7c00)));
  CHECK(std::isnan(t.getDouble(0x7e00)));
  CHECK(std::signbit(t.getDouble(0x8000)));
}

namespace {
TensorType f32(Shape s) { return TensorType{DType::Float32, std::move(s), std::nullopt}; }
}  // namespace

TEST_CASE("Graph::addNode links producers and users, before= keeps order", "[ir][graph]") {
  Graph g;
  Value* x = g.addValue("x", f32({4}));
  x->graphInput = 0;
  g.inputs.push_back(x);
  Value* a = g.addValue("a", f32({4}));
  Value* y = g.addValue("y", f32({4}));
  Node* relu = g.addNode(OpKind::Relu, "relu", {x}, {a});
  Node* add = g.addNode(OpKind::Add, "add", {a, a}, {y});
  y->graphOutput = 0;
  g.outputs.push_back(y);

  CHECK(a->producer == relu);
  CHECK(y->producer == add);
  CHECK(x->users == std::vector<Node*>{relu});
  // Ids are unique.
  CHECK(x->id != a->id);
  CHECK(a->id != y->id);

  Value* c = g.addValue("c", f32({4}));
  Node* sig = g.addNode(OpKind::Sigmoid, "sig", {x}, {c}, add);
  REQUIRE(g.nodes.size() == 3);
  CHECK(g.nodes[0].get() == relu);
  CHECK(g.nodes[1].get() == sig);
  CHECK(g.nodes[2].get() == add);

  g.rebuildUsers();
  // A node reading a value twice is one user.
  CHECK(a->users == std::vector<Node*>{add});
  CHECK(x->users.size() == 2);
}

TEST_CASE("Graph::replaceAllUses rewires node inputs and graph outputs", "[ir][graph]") {
  Graph g;
  Value* x = g.addValue("x", f32({2}));
  x->graphInput = 0;
  g.inputs.push_back(x);
  Value* a = g.addValue("a", f32({2}));
  Value* b = g.addValue("b", f32({2}));
  Value* y = g.addValue("y", f32({2}));
  g.addNode(OpKind::Relu, "r1", {x}, {a});
  g.addNode(OpKind::Tanh, "t1", {a}, {b});
  g.addNode(OpKind::Sigmoid, "s1", {a}, {y});
  g.outputs = {b, a};
  b->graphOutput = 0;
  a->graphOutput = 1;

  g.replaceAllUses(a, x);
  CHECK(g.nodes[1]->inputs[0] == x);
  CHECK(g.nodes[2]->inputs[0] == x);
  CHECK(g.outputs[1] == x);
  CHECK(x->graphOutput == 1);
  CHECK(a->graphOutput == -1);
  CHECK(a->users.empty());
  CHECK(x->users.size() == 3);
}

TEST_CASE("Graph::compact drops dead nodes and unreferenced values", "[ir][graph]") {
  Graph g;
  Value* x = g.addValue("x", f32({2}));
  x->graphInput = 0;
  g.inputs.push_back(x);
  Value* w = g.addConstant("w", Tensor::zeros(DType::Float32, {2}));
  Value* unusedConst = g.addConstant("unused", Tensor::zeros(DType::Float32, {2}));
  Value* a = g.addValue("a", f32({2}));
  Value* y = g.addValue("y", f32({2}));
  Node* dead = g.addNode(OpKind::Add, "dead", {x, w}, {a});
  g.addNode(OpKind::Relu, "live", {x}, {y});
  g.outputs.push_back(y);
  y->graphOutput = 0;
  (void)unusedConst;

  dead->dead = true;
  g.compact();
  REQUIRE(g.nodes.size() == 1);
  CHECK(g.nodes[0]->name == "live");
  CHECK(g.findValue("x") == x);
  CHECK(g.findValue("y") == y);
  CHECK(g.findValue("a") == nullptr);
  CHECK(g.findValue("w") == nullptr);
  CHECK(g.findValue("unused") == nullptr);
  CHECK(x->users.size() == 1);
  CHECK(y->producer == g.nodes[0].get());
}

TEST_CASE("Graph::uniqueValueName avoids every existing name", "[ir][graph]") {
  Graph g;
  g.addValue("w", f32({1}));
  g.addValue("w_1", f32({1}));
  CHECK(g.uniqueValueName("v") == "v");
  std::string n = g.uniqueValueName("w");
  CHECK(n != "w");
  CHECK(n != "w_1");
  CHECK(g.findValue(n) == nullptr);
}

TEST_CASE("printGraph shows ops, types, attributes and ONNX node names", "[ir][printer]") {
  auto g = tmlc_test::importText(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,5,5] X) => (float[1,3,5,5] Y) {
      W = Constant <value = float[3,2,1,1] {1,2,3,4,5,6}> ()
      C = Conv <pads = [0,0,0,0]> (X, W)
      Y = Relu(C)
    })");
  std::string dump = printGraph(*g);
  INFO(dump);
  CHECK(dump.find("input  %X : f32[1,2,5,5]") != std::string::npos);
  CHECK(dump.find("%C = Conv(%X, %W) {pads=[0,0,0,0]} : f32[1,3,5,5]  // 'Conv_C'") != std::string::npos);
  CHECK(dump.find("%Y = Relu(%C) : f32[1,3,5,5]  // 'Relu_Y'") != std::string::npos);
  CHECK(dump.find("output %Y") != std::string::npos);
  // The dump is a pure function of the graph.
  CHECK(printGraph(*g) == dump);
}
