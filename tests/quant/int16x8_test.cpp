// int16x8_test.cpp: how close int16x8 (int16 activations, int8 weights) and
// int8 come to the float model.
//
// Models:
//  * the DS-CNN keyword spotter of samples/kws (conv, depthwise and 1x1 conv,
//    average pooling, dense layer); its three committed inputs come with ONNX
//    Runtime's outputs, which the float build must match;
//  * tests/quant/act16/act16.onnx (make_act16_model.py): Tanh, Sigmoid (int16
//    interpolated tables), a Mul by a constant, GlobalAveragePool, Gemm and
//    Softmax (the int16 softmax kernel).
// Each is compiled as float, with --quantize int8 and with --quantize int16x8,
// both calibrated on 100 seeded standard-normal inputs written as
// calib/input.npy, and the three builds run in one host harness on 40 other
// seeded standard-normal inputs (plus the committed ones). For each quantized
// build the test reports the outputs' max abs error, cosine similarity and SNR
// against the float build, and checks that the quantized builds call no float
// kernel.
//
// Passes when, for every model, int16x8 has a higher SNR and cosine similarity
// than int8 and a cosine similarity of at least 0.999. (Both keep int8
// weights, whose rounding alone sets the floor of the error: see
// docs/quantization.md.)
//
// Usage: quant_int16x8_accuracy SOURCE_DIR WORK_DIR
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "driver/test_data.h"
#include "frontend/tensor_proto.h"
#include "tests/support/test_util.h"

using namespace tmlc;

namespace {

// A float32 .npy of shape [n, *shape] (docs/quantization.md's format).
bool writeNpy(const std::string& path, const std::vector<float>& v, int64_t n, const std::string& shape) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(n) + ", " + shape +
                       "), }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string b = "\x93NUMPY";
  b += '\x01';
  b += '\x00';
  b += static_cast<char>(header.size() & 0xff);
  b += static_cast<char>(header.size() >> 8);
  b += header;
  b.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
  return writeFile(path, b);
}

std::vector<float> readFloats(const std::string& path) {
  const std::string b = readFile(path);
  std::vector<float> v(b.size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), b.data(), v.size() * sizeof(float));
  return v;
}

struct Model {
  std::string name, onnx, data;  // data: committed ONNX Runtime reference sets, or ""
  std::string shape;             // input shape for the .npy, e.g. "1, 1, 49, 10"
  int64_t inCount, outCount;
};

// Returns the number of failed checks of one model.
int checkModel(const Model& m, const std::string& work) {
  std::mt19937 gen(2026);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int64_t calibCount = 100;
  std::vector<float> calib(static_cast<size_t>(calibCount * m.inCount));
  for (float& v : calib) v = normal(gen);
  if (!writeNpy(work + "/calib/input.npy", calib, calibCount, m.shape)) {
    std::printf("FAIL: cannot write %s/calib/input.npy\n", work.c_str());
    return 1;
  }

  const std::vector<std::pair<std::string, std::string>> builds = {
      {m.name + "_f", ""}, {m.name + "_i8", "int8"}, {m.name + "_i16x8", "int16x8"}};
  HarnessBuild hb;
  hb.workDir = work;
  hb.includeDirs = {work};
  for (const auto& b : builds) {
    CompileOptions o;
    o.modelPath = m.onnx;
    o.name = b.first;
    o.quant.mode = b.second;
    if (!b.second.empty()) {
      o.quant.calibrationDir = work + "/calib";
      o.quant.progress = false;
    }
    auto r = compileModel(o);
    if (!r) {
      std::printf("FAIL: compiling %s: %s\n", b.first.c_str(), r.status().message().c_str());
      return 1;
    }
    if (!b.second.empty()) {
      for (const std::string& w : r->warnings) std::printf("warning: %s: %s\n", b.first.c_str(), w.c_str());
      for (const char* floatKernel : {"<float>", "tmlc::binary<", "tmlc::unary<", "tmlc::softmax<"})
        if (r->source.find(floatKernel) != std::string::npos) {
          std::printf("FAIL: %s still calls a float kernel (%s)\n", b.first.c_str(), floatKernel);
          return 1;
        }
    }
    if (!test::addModel(hb, work, b.first, *r)) return 1;
    std::printf("%s: arena %lld bytes, weights %lld bytes\n", b.first.c_str(),
                static_cast<long long>(r->arenaBytes), static_cast<long long>(r->weightBytes));
  }
  auto bin = buildHarness(hb);
  if (!bin) {
    std::printf("FAIL: %s\n", bin.status().message().c_str());
    return 1;
  }

  // Inputs: the committed data sets, then seeded normal samples.
  std::vector<std::vector<float>> inputs, ortOutputs;
  if (!m.data.empty())
    for (const std::string& ds : listDataSets(m.data)) {
      auto x = readTensorFile(ds + "/input_0.pb");
      auto y = readTensorFile(ds + "/output_0.pb");
      if (!x || !y || x->numel() != m.inCount || y->numel() != m.outCount) {
        std::printf("FAIL: cannot read %s\n", ds.c_str());
        return 1;
      }
      inputs.emplace_back(x->data<float>(), x->data<float>() + m.inCount);
      ortOutputs.emplace_back(y->data<float>(), y->data<float>() + m.outCount);
    }
  for (int k = 0; k < 40; ++k) {
    std::vector<float> x(static_cast<size_t>(m.inCount));
    for (float& v : x) v = normal(gen);
    inputs.push_back(x);
  }
  std::string manifest;
  for (size_t i = 0; i < inputs.size(); ++i)
    for (const auto& b : builds) {
      const std::string cd = work + "/cases/" + std::to_string(i) + "/" + b.first;
      writeFile(cd + "/in_0.bin",
                std::string(reinterpret_cast<const char*>(inputs[i].data()), inputs[i].size() * sizeof(float)));
      manifest += b.first + " " + cd + "\n";
    }
  writeFile(work + "/manifest.txt", manifest);
  auto run = runHarness("host", bin->exe, work + "/manifest.txt", 300);
  if (!run || run->exitCode != 0) {
    std::printf("FAIL: harness: %s\n", run ? run->output.substr(0, 2000).c_str() : run.status().message().c_str());
    return 1;
  }

  int failed = 0;
  double ortErr = 0, refSq = 0, refMax = 0;
  std::vector<double> maxErr(builds.size(), 0), errSq(builds.size(), 0), dot(builds.size(), 0),
      qSq(builds.size(), 0);
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<std::vector<float>> ys;
    for (const auto& b : builds) {
      ys.push_back(readFloats(work + "/cases/" + std::to_string(i) + "/" + b.first + "/out_0.bin"));
      if (static_cast<int64_t>(ys.back().size()) != m.outCount) {
        std::printf("FAIL: no output for %s case %zu\n", b.first.c_str(), i);
        return 1;
      }
    }
    const std::vector<float>& ref = ys[0];
    if (i < ortOutputs.size())
      for (int64_t c = 0; c < m.outCount; ++c)
        ortErr = std::max(ortErr, double(std::fabs(ref[c] - ortOutputs[i][c])));
    for (int64_t c = 0; c < m.outCount; ++c) {
      refSq += double(ref[c]) * ref[c];
      refMax = std::max(refMax, double(std::fabs(ref[c])));
    }
    for (size_t k = 1; k < builds.size(); ++k)
      for (int64_t c = 0; c < m.outCount; ++c) {
        const double e = double(ys[k][c]) - ref[c];
        maxErr[k] = std::max(maxErr[k], std::fabs(e));
        errSq[k] += e * e;
        dot[k] += double(ys[k][c]) * ref[c];
        qSq[k] += double(ys[k][c]) * ys[k][c];
      }
  }
  if (!ortOutputs.empty()) {
    std::printf("%s: float build vs ONNX Runtime (%zu data sets): max abs error %.3g %s\n", m.name.c_str(),
                ortOutputs.size(), ortErr, ortErr <= 1e-4 ? "ok" : "FAIL");
    if (ortErr > 1e-4) ++failed;
  }
  std::vector<double> cosine(builds.size(), 0), snr(builds.size(), 0);
  for (size_t k = 1; k < builds.size(); ++k) {
    cosine[k] = dot[k] / std::sqrt(refSq * qSq[k]);
    snr[k] = 10.0 * std::log10(refSq / std::max(errSq[k], 1e-30));
    std::printf("%s %s vs float (%zu inputs, max |y| %.3g): max abs error %.5f, cosine similarity %.6f, SNR %.1f dB\n",
                m.name.c_str(), builds[k].second.c_str(), inputs.size(), refMax, maxErr[k], cosine[k], snr[k]);
  }
  if (!(snr[2] > snr[1] && cosine[2] > cosine[1])) {
    std::printf("FAIL: %s: int16x8 is not closer to float than int8\n", m.name.c_str());
    ++failed;
  }
  if (!(cosine[2] >= 0.999)) {
    std::printf("FAIL: %s: int16x8 cosine similarity %.6f < 0.999\n", m.name.c_str(), cosine[2]);
    ++failed;
  }
  return failed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SOURCE_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string src = argv[1], work = argv[2];
  test::freshWorkDir(work);
  const std::vector<Model> models = {
      {"kws", src + "/samples/kws/kws.onnx", src + "/samples/kws/data", "1, 1, 49, 10", 49 * 10, 12},
      {"act16", src + "/tests/quant/act16/act16.onnx", "", "1, 1, 16, 8", 16 * 8, 6}};
  int failed = 0;
  for (const Model& m : models) failed += checkModel(m, work + "/" + m.name);
  std::printf("int16x8 accuracy: %s\n", failed ? "FAIL" : "ok");
  return failed ? 1 : 0;
}
