// digits_accuracy_test.cpp: the int8 accuracy check of issue 5.
//
// Compiles tests/quant/digits/digits.onnx (made by make_digits_model.py) as
// float, with `--quantize int8 --calibration digits/calib` (every calibration
// method) and with `--quantize int16x8` (int16 activations, int8 weights), builds the generated code into one host harness
// (compiler/driver/harness.h), runs it on the committed test split and compares
// top-1 accuracies against the labels. Passes when each quantized model is
// within 1 point of the float model.
//
// Usage: quant_digits_accuracy DIGITS_DIR WORK_DIR
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "passes/quantize/calibration_data.h"
#include "tests/support/test_util.h"

using namespace tmlc;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DIGITS_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1], work = argv[2];
  test::freshWorkDir(work);

  struct Variant {
    std::string name, method, mode = "int8";
  };
  const std::vector<Variant> variants = {{"digits_f", ""},
                                         {"digits_minmax", "minmax"},
                                         {"digits_percentile", "percentile"},
                                         {"digits_mse", "mse"},
                                         {"digits_16x8", "minmax", "int16x8"}};
  HarnessBuild hb;
  hb.workDir = work;
  hb.includeDirs = {work};
  for (const Variant& v : variants) {
    CompileOptions o;
    o.modelPath = dir + "/digits.onnx";
    o.name = v.name;
    if (!v.method.empty()) {
      o.quant.mode = v.mode;
      o.quant.calibrationDir = dir + "/calib";
      o.quant.method = v.method;
      o.quant.progress = false;
    }
    auto r = compileModel(o);
    if (!r) {
      std::printf("FAIL: compiling %s: %s\n", v.name.c_str(), r.status().message().c_str());
      return 1;
    }
    for (const std::string& w : r->warnings) std::printf("warning: %s: %s\n", v.name.c_str(), w.c_str());
    if (!test::addModel(hb, work, v.name, *r)) return 1;
    // The int8 models must be integer-only inside: no float kernel calls.
    if (!v.method.empty()) {
      for (const char* floatKernel : {"tmlc::conv2d<float>", "tmlc::gemm<float>", "tmlc::binary<"})
        if (r->source.find(floatKernel) != std::string::npos) {
          std::printf("FAIL: %s still calls %s\n", v.name.c_str(), floatKernel);
          return 1;
        }
      std::printf("%s: arena %lld bytes, weights %lld bytes\n", v.name.c_str(),
                  static_cast<long long>(r->arenaBytes), static_cast<long long>(r->weightBytes));
    }
  }
  auto bin = buildHarness(hb);
  if (!bin) {
    std::printf("FAIL: %s\n", bin.status().message().c_str());
    return 1;
  }

  auto xs = readNpy(dir + "/test_x.npy");
  auto ys = readNpy(dir + "/test_y.npy");
  if (!xs || !ys || xs->dtype != DType::Float32 || ys->dtype != DType::Int64) {
    std::printf("FAIL: cannot read the test split in %s\n", dir.c_str());
    return 1;
  }
  const int64_t n = ys->numel(), per = 64;
  if (xs->numel() != n * per) {
    std::printf("FAIL: test_x.npy holds %lld values for %lld labels\n", static_cast<long long>(xs->numel()),
                static_cast<long long>(n));
    return 1;
  }
  std::string manifest;
  for (int64_t i = 0; i < n; ++i) {
    for (const Variant& v : variants) {
      const std::string cd = work + "/cases/" + std::to_string(i) + "/" + v.name;
      std::string bytes(reinterpret_cast<const char*>(xs->data<float>() + i * per), per * sizeof(float));
      if (!writeFile(cd + "/in_0.bin", bytes)) {
        std::printf("FAIL: cannot write %s\n", cd.c_str());
        return 1;
      }
      manifest += v.name + " " + cd + "\n";
    }
  }
  writeFile(work + "/manifest.txt", manifest);
  auto run = runHarness("host", bin->exe, work + "/manifest.txt", 600);
  if (!run || run->exitCode != 0) {
    std::printf("FAIL: harness: %s\n", run ? run->output.substr(0, 2000).c_str() : run.status().message().c_str());
    return 1;
  }

  std::vector<int> correct(variants.size(), 0), agree(variants.size(), 0);
  std::vector<double> maxErr(variants.size(), 0.0), errSq(variants.size(), 0.0);  // logits vs float
  double floatSq = 0;
  for (int64_t i = 0; i < n; ++i) {
    int floatTop = -1;
    float floatLogits[10] = {};
    for (size_t k = 0; k < variants.size(); ++k) {
      const std::string path = work + "/cases/" + std::to_string(i) + "/" + variants[k].name + "/out_0.bin";
      const std::string b = readFile(path);
      if (b.size() != 10 * sizeof(float)) {
        std::printf("FAIL: cannot read %s\n", path.c_str());
        return 1;
      }
      const float* logits = reinterpret_cast<const float*>(b.data());
      int top = 0;
      for (int c = 1; c < 10; ++c)
        if (logits[c] > logits[top]) top = c;
      if (k == 0) {
        floatTop = top;
        for (int c = 0; c < 10; ++c) floatLogits[c] = logits[c], floatSq += double(logits[c]) * logits[c];
      }
      for (int c = 0; c < 10; ++c) {
        const double e = std::fabs(double(logits[c]) - floatLogits[c]);
        maxErr[k] = std::max(maxErr[k], e);
        errSq[k] += e * e;
      }
      correct[k] += top == ys->data<int64_t>()[i];
      agree[k] += top == floatTop;
    }
  }
  int failed = 0, passed = 0;
  const double floatAcc = 100.0 * correct[0] / static_cast<double>(n);
  std::printf("float top-1 accuracy: %.2f%% (%d/%lld)\n", floatAcc, correct[0], static_cast<long long>(n));
  if (floatAcc < 90.0) {
    std::printf("FAIL: the float model itself is off (%.2f%% < 90%%)\n", floatAcc);
    ++failed;
  }
  for (size_t k = 1; k < variants.size(); ++k) {
    const double acc = 100.0 * correct[k] / static_cast<double>(n);
    const bool ok = acc >= floatAcc - 1.0;
    std::printf("%s (%s) top-1 accuracy: %.2f%% (%d/%lld), %+.2f points, top-1 agreement with float %.2f%%, "
                "logits vs float: max abs error %.4f, SNR %.1f dB %s\n",
                variants[k].mode.c_str(), variants[k].method.c_str(), acc, correct[k], static_cast<long long>(n),
                acc - floatAcc, 100.0 * agree[k] / static_cast<double>(n), maxErr[k],
                10.0 * std::log10(floatSq / std::max(errSq[k], 1e-30)), ok ? "ok" : "FAIL");
    ok ? ++passed : ++failed;
  }
  std::printf("digits accuracy: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
