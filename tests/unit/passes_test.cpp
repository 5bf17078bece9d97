// passes_test.cpp: the graph passes (passes/): dead-code elimination, constant
// folding of PyTorch's Shape/Gather/Unsqueeze/Concat/Reshape chain, BatchNorm
// folding (checked numerically: the runtime kernels evaluate the network
// before and after the rewrite on random data) and activation fusion.
#include <catch2/catch.hpp>

#include "ir/printer.h"
#include "onnx_text.h"
#include "passes/eliminate_dead_code.h"
#include "passes/fold_constants.h"
#include "passes/fuse_activation.h"
#include "passes/fuse_batchnorm.h"
#include "passes/pipeline.h"
#include "passes/verify.h"
#include "conv_adapter.h"
#include "test_util.h"
#include "tmlc/kernels/batchnorm.h"
#include "tmlc/kernels/gemm.h"

using namespace tmlc;
using tmlc_test::countKind;
using tmlc_test::findNode;
using tmlc_test::floatList;
using tmlc_test::importText;
using tmlc_test::randomFloats;

namespace {
const char* const kHeader = "<ir_version: 8, opset_import: [\"\" : 13]>\n";

std::vector<float> constData(const Value* v) {
  REQUIRE(v != nullptr);
  REQUIRE(v->isConstant());
  REQUIRE(v->constant->dtype == DType::Float32);
  const float* p = v->constant->data<float>();
  return std::vector<float>(p, p + v->constant->numel());
}

std::string dims(const Shape& s) {
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r;
}
}  // namespace

// ------------------------------------------------------------ dead code

TEST_CASE("eliminate-dead-code removes nodes and constants no output needs", "[passes][dce]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[4] X, float[4] U = {1, 2, 3, 4}) => (float[4] Y) {
      a = Relu(X)
      b = Sigmoid(a)
      c = Add(b, U)
      Y = Tanh(a)
    })");
  REQUIRE(g->nodes.size() == 4);
  REQUIRE(eliminateDeadCode(*g, {}));
  REQUIRE(verifyGraph(*g, "test"));
  REQUIRE(g->nodes.size() == 2);
  CHECK(g->nodes[0]->name == "Relu_a");
  CHECK(g->nodes[1]->name == "Tanh_Y");
  CHECK(g->findValue("b") == nullptr);
  CHECK(g->findValue("c") == nullptr);
  CHECK(g->findValue("U") == nullptr);  // only the dead Add read it
  CHECK(g->findValue("a")->users.size() == 1);
}

TEST_CASE("eliminate-dead-code keeps every node that feeds any output", "[passes][dce]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[4] X) => (float[4] Y, float[4] Z) {
      a = Relu(X)
      Y = Sigmoid(a)
      Z = Tanh(a)
    })");
  REQUIRE(eliminateDeadCode(*g, {}));
  CHECK(g->nodes.size() == 3);
}

// ------------------------------------------------------------ constant folding

TEST_CASE("fold-constants collapses Shape->Gather->Unsqueeze->Concat into Reshape's shape",
          "[passes][fold]") {
  // What torch.onnx exports for x.view(x.size(0), -1).
  auto g = importText(std::string(kHeader) + R"(
    g (float[2,3,4,5] X) => (float[2,60] Y) {
      s = Shape(X)
      i = Constant <value = int64 {0}> ()
      d = Gather <axis = 0> (s, i)
      ax = Constant <value = int64[1] {0}> ()
      u = Unsqueeze(d, ax)
      m = Constant <value = int64[1] {-1}> ()
      sh = Concat <axis = 0> (u, m)
      Y = Reshape(X, sh)
    })");
  REQUIRE(foldConstants(*g, {}));
  REQUIRE(eliminateDeadCode(*g, {}));
  REQUIRE(verifyGraph(*g, "test"));
  INFO(printGraph(*g));
  REQUIRE(g->nodes.size() == 1);
  const Node& r = *g->nodes[0];
  CHECK(r.kind == OpKind::Reshape);
  REQUIRE(r.input(1)->isConstant());
  CHECK(r.input(1)->constant->toInts() == std::vector<int64_t>{2, -1});
  CHECK(r.output(0)->type.shape == Shape{2, 60});
}

TEST_CASE("fold-constants evaluates arithmetic on constants with the runtime kernels",
          "[passes][fold]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[3] X) => (float[3] Y) {
      a = Constant <value = float[3] {1.5, -2, 0.25}> ()
      b = Constant <value = float[1] {4}> ()
      k = Mul(a, b)
      r = Relu(k)
      Y = Add(X, r)
    })");
  REQUIRE(foldConstants(*g, {}));
  REQUIRE(eliminateDeadCode(*g, {}));
  REQUIRE(g->nodes.size() == 1);
  CHECK(g->nodes[0]->kind == OpKind::Add);
  CHECK(constData(g->nodes[0]->input(1)) == std::vector<float>{6.f, 0.f, 1.f});
}

TEST_CASE("fold-constants leaves nodes with run-time inputs alone", "[passes][fold]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[3] X) => (float[3] Y) {
      a = Relu(X)
      Y = Add(a, a)
    })");
  REQUIRE(foldConstants(*g, {}));
  CHECK(g->nodes.size() == 2);
}

// ------------------------------------------------------------ BatchNorm folding

namespace {

// Conv(X, W, B) -> BatchNormalization -> Y, with random parameters.
struct ConvBnModel {
  tmlc_test::Conv2d cs;
  std::vector<float> x, w, b, gamma, beta, mean, var;
  float eps = 1e-3f;
  std::string text;

  ConvBnModel(tmlc_test::Conv2d c, unsigned seed) : cs(c) {
    const Shape ws = {c.m, c.c / c.group, c.kh, c.kw};
    x = randomFloats(c.inSize(), seed);
    w = randomFloats(c.weightSize(), seed + 1);
    b = randomFloats(size_t(c.m), seed + 2);
    gamma = randomFloats(size_t(c.m), seed + 3, -2.f, 2.f);
    beta = randomFloats(size_t(c.m), seed + 4);
    mean = randomFloats(size_t(c.m), seed + 5);
    var = randomFloats(size_t(c.m), seed + 6, 0.05f, 3.f);
    auto s = [](int64_t v) { return std::to_string(v); };
    const std::string m = s(c.m);
    text = std::string(kHeader) + "g (float[1," + s(c.c) + "," + s(c.h) + "," + s(c.w) + "] X, float[" +
           dims(ws) + "] W = {" + floatList(w) + "}, float[" + m + "] B = {" + floatList(b) + "}, float[" + m +
           "] G = {" + floatList(gamma) + "}, float[" + m + "] Be = {" + floatList(beta) + "}, float[" + m +
           "] Mu = {" + floatList(mean) + "}, float[" + m + "] Var = {" + floatList(var) + "}) => (float[1," + m +
           "," + s(c.outH()) + "," + s(c.outW()) + "] Y) {\n" + "  C = Conv <group = " + s(c.group) +
           ", strides = [" + s(c.stride) + "," + s(c.stride) + "], pads = [" + s(c.pad) + "," + s(c.pad) + "," +
           s(c.pad) + "," + s(c.pad) + "], dilations = [" + s(c.dil) + "," + s(c.dil) + "]> (X, W, B)\n" +
           "  Y = BatchNormalization <epsilon = 0.001> (C, G, Be, Mu, Var)\n}\n";
  }
  size_t outSize() const { return cs.outSize(); }

  // The unfused network, evaluated by the runtime's conv and batchnorm kernels.
  std::vector<float> reference() const {
    std::vector<float> c(outSize()), y(outSize());
    tmlc_test::conv2d<float>(cs, x.data(), w.data(), b.data(), c.data());
    tmlc::BatchNormParams bp{1, cs.m, cs.outH() * cs.outW(), eps};
    tmlc::batchnorm<float>(bp, c.data(), gamma.data(), beta.data(), mean.data(), var.data(), y.data());
    return y;
  }
};

}  // namespace

TEST_CASE("fuse-batchnorm folds BN into Conv: same outputs on random data", "[passes][bn]") {
  // c, m, h, w, kh, kw, stride, pad, dil, group
  const tmlc_test::Conv2d cases[] = {
      {3, 5, 7, 7, 3, 3, 1, 1, 1, 1},   // plain 3x3, same padding
      {4, 6, 9, 8, 3, 3, 2, 0, 1, 2},   // grouped, strided, no padding
      {4, 4, 6, 6, 3, 3, 1, 1, 1, 4},   // depthwise
      {8, 16, 5, 5, 1, 1, 1, 0, 1, 1},  // pointwise
      {2, 3, 9, 9, 3, 2, 1, 2, 2, 1},   // dilated, non-square kernel
  };
  unsigned seed = 100;
  for (const tmlc_test::Conv2d& c : cases) {
    INFO("C=" << c.c << " M=" << c.m << " group=" << c.group << " stride=" << c.stride);
    ConvBnModel model(c, seed += 10);
    auto g = importText(model.text);
    const std::vector<float> before = model.reference();

    REQUIRE(fuseBatchNorm(*g, {}));
    REQUIRE(verifyGraph(*g, "fuse-batchnorm"));
    CHECK(countKind(*g, OpKind::BatchNormalization) == 0);
    REQUIRE(g->nodes.size() == 1);
    const Node& conv = *g->nodes[0];
    REQUIRE(conv.kind == OpKind::Conv);
    CHECK(conv.output(0)->name == "Y");
    CHECK(g->outputs[0] == conv.output(0));

    const std::vector<float> w2 = constData(conv.input(1)), b2 = constData(conv.input(2));
    std::vector<float> after(model.outSize());
    tmlc_test::conv2d<float>(model.cs, model.x.data(), w2.data(), b2.data(), after.data());
    CHECK(tmlc_test::worstError(after, before, 1e-5, 1e-4) <= 1.0);
  }
}

TEST_CASE("fuse-batchnorm folds BN into a Conv without bias", "[passes][bn]") {
  ConvBnModel model({2, 3, 5, 5, 3, 3, 1, 1, 1, 1}, 7);
  // Same model, Conv without its bias input (the reference uses zero bias).
  std::string text = model.text;
  const std::string conv3 = "(X, W, B)\n";
  text.replace(text.find(conv3), conv3.size(), "(X, W)\n");
  std::fill(model.b.begin(), model.b.end(), 0.f);
  auto g = importText(text);
  REQUIRE(g->nodes[0]->inputs.size() == 2);
  REQUIRE(fuseBatchNorm(*g, {}));
  REQUIRE(g->nodes.size() == 1);
  const Node& conv = *g->nodes[0];
  REQUIRE(conv.input(2) != nullptr);
  const std::vector<float> w2 = constData(conv.input(1)), b2 = constData(conv.input(2));
  std::vector<float> after(model.outSize());
  tmlc_test::conv2d<float>(model.cs, model.x.data(), w2.data(), b2.data(), after.data());
  CHECK(tmlc_test::worstError(after, model.reference(), 1e-5, 1e-4) <= 1.0);
}

TEST_CASE("fuse-batchnorm folds BN into Gemm (transB 0 and 1): same outputs", "[passes][bn]") {
  for (int transB : {0, 1}) {
    INFO("transB=" << transB);
    const int M = 3, K = 5, N = 4;
    auto a = randomFloats(M * K, 1), bw = randomFloats(K * N, 2), c = randomFloats(N, 3);
    auto gamma = randomFloats(N, 4, -2, 2), beta = randomFloats(N, 5), mean = randomFloats(N, 6),
         var = randomFloats(N, 7, 0.1f, 2.f);
    const std::string bshape = transB ? "4,5" : "5,4";
    auto g = importText(std::string(kHeader) + "g (float[3,5] A, float[" + bshape + "] Bw = {" +
                        floatList(bw) + "}, float[4] C = {" + floatList(c) + "}, float[4] G = {" +
                        floatList(gamma) + "}, float[4] Be = {" + floatList(beta) + "}, float[4] Mu = {" +
                        floatList(mean) + "}, float[4] Var = {" + floatList(var) +
                        "}) => (float[3,4] Y) {\n  H = Gemm <transB = " + std::to_string(transB) +
                        "> (A, Bw, C)\n  Y = BatchNormalization(H, G, Be, Mu, Var)\n}\n");
    tmlc::GemmParams p{M, N, K, 0, transB, 1.f, 1.f, 0, 1, tmlc::kNoActivation};
    std::vector<float> h(M * N), before(M * N), after(M * N);
    tmlc::gemm<float>(p, a.data(), bw.data(), c.data(), h.data());
    tmlc::BatchNormParams bp{M, N, 1, 1e-5f};
    tmlc::batchnorm<float>(bp, h.data(), gamma.data(), beta.data(), mean.data(), var.data(), before.data());

    REQUIRE(fuseBatchNorm(*g, {}));
    REQUIRE(g->nodes.size() == 1);
    const Node& gemm = *g->nodes[0];
    REQUIRE(gemm.kind == OpKind::Gemm);
    auto bw2 = constData(gemm.input(1)), c2 = constData(gemm.input(2));
    tmlc::gemm<float>(p, a.data(), bw2.data(), c2.data(), after.data());
    CHECK(tmlc_test::worstError(after, before, 1e-5, 1e-4) <= 1.0);
  }
}

TEST_CASE("fuse-batchnorm leaves BN alone when the Conv output has another user", "[passes][bn]") {
  ConvBnModel model({2, 2, 4, 4, 1, 1, 1, 0, 1, 1}, 3);
  std::string text = model.text;
  // Make C a second graph output: BN cannot be folded into the Conv.
  text.replace(text.find(" Y) {"), 5, " Y, float[1,2,4,4] C) {");
  auto g = importText(text);
  REQUIRE(fuseBatchNorm(*g, {}));
  CHECK(countKind(*g, OpKind::BatchNormalization) == 1);
  CHECK(constData(g->nodes[0]->input(1)) == model.w);
}

TEST_CASE("fuse-batchnorm leaves BN alone when the Conv weights are not constant", "[passes][bn]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[1,2,3,3] X, float[2,2,1,1] W, float[2] G = {1, 2}, float[2] Be = {0, 1},
       float[2] Mu = {0, 0}, float[2] Var = {1, 1}) => (float[1,2,3,3] Y) {
      C = Conv(X, W)
      Y = BatchNormalization(C, G, Be, Mu, Var)
    })");
  REQUIRE(fuseBatchNorm(*g, {}));
  CHECK(countKind(*g, OpKind::BatchNormalization) == 1);
}

// ------------------------------------------------------------ activation fusion

TEST_CASE("fuse-activation folds Relu into Conv; the fused kernel matches Relu(Conv)",
          "[passes][fuse]") {
  ConvBnModel model({3, 4, 6, 6, 3, 3, 1, 1, 1, 1}, 21);
  std::string text = model.text;
  const std::string bn = "  Y = BatchNormalization <epsilon = 0.001> (C, G, Be, Mu, Var)\n";
  text.replace(text.find(bn), bn.size(), "  Y = Relu(C)\n");
  auto g = importText(text);
  REQUIRE(fuseActivation(*g, {}));
  REQUIRE(verifyGraph(*g, "fuse-activation"));
  REQUIRE(g->nodes.size() == 1);
  const Node& conv = *g->nodes[0];
  CHECK(conv.fused.kind == Act::Relu);
  CHECK(conv.output(0)->name == "Y");
  CHECK(printGraph(*g).find("+Relu") != std::string::npos);

  std::vector<float> plain(model.outSize()), out(model.outSize());
  tmlc_test::conv2d<float>(model.cs, model.x.data(), model.w.data(), model.b.data(), plain.data());
  tmlc_test::conv2d<float>(model.cs, model.x.data(), model.w.data(), model.b.data(), out.data(), conv.fused);
  int negatives = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    negatives += plain[i] < 0;
    CHECK(out[i] == std::max(plain[i], 0.f));
  }
  CHECK(negatives > 0);  // the data exercises the activation
}

TEST_CASE("fuse-activation folds Clip with constant bounds into Conv", "[passes][fuse]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[1,1,3,3] X, float[1,1,1,1] W = {2}, float lo = {0}, float hi = {6}) => (float[1,1,3,3] Y) {
      C = Conv(X, W)
      Y = Clip(C, lo, hi)
    })");
  REQUIRE(fuseActivation(*g, {}));
  REQUIRE(g->nodes.size() == 1);
  CHECK(g->nodes[0]->fused.kind == Act::Clip);
  CHECK(g->nodes[0]->fused.alpha == 0.f);
  CHECK(g->nodes[0]->fused.beta == 6.f);
}

TEST_CASE("fuse-activation folds Relu into Add", "[passes][fuse]") {
  auto g = importText(std::string(kHeader) + R"(
    g (float[4] A, float[4] B) => (float[4] Y) {
      S = Add(A, B)
      Y = Relu(S)
    })");
  REQUIRE(fuseActivation(*g, {}));
  REQUIRE(g->nodes.size() == 1);
  CHECK(g->nodes[0]->kind == OpKind::Add);
  CHECK(g->nodes[0]->fused.kind == Act::Relu);
}

TEST_CASE("fuse-activation does not fuse when the pre-activation value is used elsewhere",
          "[passes][fuse]") {
  SECTION("second user") {
    auto g = importText(std::string(kHeader) + R"(
      g (float[4] A, float[4] B) => (float[4] Y) {
        S = Add(A, B)
        R = Relu(S)
        Y = Mul(R, S)
      })");
    REQUIRE(fuseActivation(*g, {}));
    CHECK(countKind(*g, OpKind::Relu) == 1);
    CHECK(g->nodes[0]->fused.kind == Act::None);
  }
  SECTION("graph output") {
    auto g = importText(std::string(kHeader) + R"(
      g (float[4] A, float[4] B) => (float[4] Y, float[4] S) {
        S = Add(A, B)
        Y = Relu(S)
      })");
    REQUIRE(fuseActivation(*g, {}));
    CHECK(countKind(*g, OpKind::Relu) == 1);
  }
  SECTION("producer cannot fuse (Reshape)") {
    auto g = importText(std::string(kHeader) + R"(
      g (float[2,2] A, int64[1] s = {4}) => (float[4] Y) {
        S = Reshape(A, s)
        Y = Relu(S)
      })");
    REQUIRE(fuseActivation(*g, {}));
    CHECK(countKind(*g, OpKind::Relu) == 1);
  }
}

TEST_CASE("the pipeline turns Conv+BN+Relu into one Conv with fused Relu, numerically equal",
          "[passes][pipeline]") {
  ConvBnModel model({4, 8, 7, 7, 3, 3, 1, 1, 1, 1}, 55);
  std::string text = model.text;
  text.replace(text.find("  Y = BatchNormalization"), std::string("  Y = BatchNormalization").size(),
               "  Z = BatchNormalization");
  text.replace(text.find("\n}\n"), 3, "\n  Y = Relu(Z)\n}\n");
  auto g = importText(text);
  PipelineOptions po;
  auto arena = runPipeline(*g, po);
  REQUIRE(arena);
  INFO(printGraph(*g));
  REQUIRE(g->nodes.size() == 1);
  const Node& conv = *g->nodes[0];
  CHECK(conv.kind == OpKind::Conv);
  CHECK(conv.fused.kind == Act::Relu);

  std::vector<float> ref = model.reference();
  for (float& v : ref) v = std::max(v, 0.f);
  std::vector<float> out(model.outSize());
  tmlc_test::conv2d<float>(model.cs, model.x.data(), constData(conv.input(1)).data(),
                           constData(conv.input(2)).data(), out.data(), conv.fused);
  CHECK(tmlc_test::worstError(out, ref, 1e-5, 1e-4) <= 1.0);
  CHECK(*arena == 0);  // input and output are the caller's buffers
}
