// kws_16x8_test.cpp: how close int16x8 (int16 activations, int8 weights) and
// int8 come to the float model, on the DS-CNN keyword spotter of samples/kws.
//
// Compiles samples/kws/kws.onnx as float, with --quantize int8 and with
// --quantize int16x8 (both calibrated on 100 seeded standard-normal inputs, the
// distribution of the committed ones, written as calib/input.npy), builds the
// three into one host harness and runs them on the three committed inputs
// (whose outputs ONNX Runtime computed: the float build must match them) and on
// 40 more seeded standard-normal inputs, none of them calibration samples.
// For each quantized build it reports the outputs' max abs error, cosine
// similarity and SNR against the float build.
//
// Passes when the float build matches ONNX Runtime (1e-4), int16x8 has a
// higher SNR and cosine similarity than int8, and int16x8's cosine similarity
// is at least 0.999. (Both keep int8 weights, whose rounding alone puts the
// floor of the error: see docs/quantization.md.)
//
// Usage: quant_kws_16x8 SOURCE_DIR WORK_DIR
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "driver/test_data.h"
#include "frontend/tensor_proto.h"

using namespace tmlc;

namespace {

// A float32 .npy of shape [n, 1, 1, 49, 10] (docs/quantization.md's format).
bool writeNpy(const std::string& path, const std::vector<float>& v, int64_t n) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(n) +
                       ", 1, 1, 49, 10), }";
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
  std::ifstream f(path, std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<float> v(b.size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), b.data(), v.size() * sizeof(float));
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SOURCE_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string src = argv[1], work = argv[2];
  const std::string model = src + "/samples/kws/kws.onnx", data = src + "/samples/kws/data";
  std::string out;
  runCommand("rm -rf '" + work + "' && mkdir -p '" + work + "'", out);

  const int64_t inCount = 49 * 10, outCount = 12;
  std::mt19937 gen(2026);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int64_t calibCount = 100;
  std::vector<float> calib(static_cast<size_t>(calibCount * inCount));
  for (float& v : calib) v = normal(gen);
  if (!writeNpy(work + "/calib/input.npy", calib, calibCount)) {
    std::printf("FAIL: cannot write %s/calib/input.npy\n", work.c_str());
    return 1;
  }

  const std::vector<std::pair<std::string, std::string>> builds = {
      {"kws_f", ""}, {"kws_i8", "int8"}, {"kws_i16x8", "int16x8"}};
  HarnessBuild hb;
  hb.workDir = work;
  hb.includeDirs = {work};
  for (const auto& b : builds) {
    CompileOptions o;
    o.modelPath = model;
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
    writeFile(work + "/" + b.first + ".h", r->header);
    writeFile(work + "/" + b.first + ".cpp", r->source);
    hb.modelNames.push_back(b.first);
    hb.sources.push_back(work + "/" + b.first + ".cpp");
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
  for (const std::string& ds : listDataSets(data)) {
    auto x = readTensorFile(ds + "/input_0.pb");
    auto y = readTensorFile(ds + "/output_0.pb");
    if (!x || !y || x->numel() != inCount || y->numel() != outCount) {
      std::printf("FAIL: cannot read %s\n", ds.c_str());
      return 1;
    }
    inputs.emplace_back(x->data<float>(), x->data<float>() + inCount);
    ortOutputs.emplace_back(y->data<float>(), y->data<float>() + outCount);
  }
  for (int k = 0; k < 40; ++k) {
    std::vector<float> x(static_cast<size_t>(inCount));
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
  double ortErr = 0;
  std::vector<double> maxErr(builds.size(), 0), errSq(builds.size(), 0), dot(builds.size(), 0),
      qSq(builds.size(), 0);
  double refSq = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<std::vector<float>> ys;
    for (const auto& b : builds) {
      ys.push_back(readFloats(work + "/cases/" + std::to_string(i) + "/" + b.first + "/out_0.bin"));
      if (static_cast<int64_t>(ys.back().size()) != outCount) {
        std::printf("FAIL: no output for %s case %zu\n", b.first.c_str(), i);
        return 1;
      }
    }
    const std::vector<float>& ref = ys[0];
    if (i < ortOutputs.size())
      for (int64_t c = 0; c < outCount; ++c) ortErr = std::max(ortErr, double(std::fabs(ref[c] - ortOutputs[i][c])));
    for (int64_t c = 0; c < outCount; ++c) refSq += double(ref[c]) * ref[c];
    for (size_t k = 1; k < builds.size(); ++k)
      for (int64_t c = 0; c < outCount; ++c) {
        const double e = double(ys[k][c]) - ref[c];
        maxErr[k] = std::max(maxErr[k], std::fabs(e));
        errSq[k] += e * e;
        dot[k] += double(ys[k][c]) * ref[c];
        qSq[k] += double(ys[k][c]) * ys[k][c];
      }
  }
  std::printf("float build vs ONNX Runtime (%zu data sets): max abs error %.3g %s\n", ortOutputs.size(), ortErr,
              ortErr <= 1e-4 ? "ok" : "FAIL");
  if (ortErr > 1e-4 || ortOutputs.empty()) ++failed;
  std::vector<double> cosine(builds.size(), 0), snr(builds.size(), 0);
  for (size_t k = 1; k < builds.size(); ++k) {
    cosine[k] = dot[k] / std::sqrt(refSq * qSq[k]);
    snr[k] = 10.0 * std::log10(refSq / std::max(errSq[k], 1e-30));
    std::printf("%s vs float (%zu inputs, output max |y| ~1): max abs error %.5f, cosine similarity %.6f, SNR %.1f dB\n",
                builds[k].second.c_str(), inputs.size(), maxErr[k], cosine[k], snr[k]);
  }
  if (!(snr[2] > snr[1] && cosine[2] > cosine[1])) {
    std::printf("FAIL: int16x8 is not closer to float than int8\n");
    ++failed;
  }
  if (!(cosine[2] >= 0.999)) {
    std::printf("FAIL: int16x8 cosine similarity %.6f < 0.999\n", cosine[2]);
    ++failed;
  }
  std::printf("kws int16x8 accuracy: %s\n", failed ? "FAIL" : "ok");
  return failed ? 1 : 0;
}
