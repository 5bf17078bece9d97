// qdq_ort_test.cpp: QDQ import against ONNX Runtime (issue 5).
//
// Compiles tests/quant/digits/digits_qdq.onnx (make_digits_qdq.py: uint8
// activations, int8 per-channel weights, int32 biases, as ONNX Runtime's
// quantizer writes them) with no option, checks that the generated code is
// integer-only between the entry point's Quantize and Dequantize, runs it on
// digits/qdq_data/test_data_set_N and compares with ONNX Runtime's outputs on
// the same QDQ model: at least 99% of output elements within 1 LSB (of the
// output's scale), none beyond 2 LSB.
//
// Usage: quant_qdq_ort DIGITS_DIR WORK_DIR
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "frontend/onnx_import.h"
#include "frontend/tensor_proto.h"
#include "tests/support/test_util.h"

using namespace tmlc;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DIGITS_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1], work = argv[2];
  test::freshWorkDir(work);

  // The output scale: the DequantizeLinear that produces the model's output.
  double outScale = 0;
  {
    ImportOptions io;
    auto g = importOnnx(dir + "/digits_qdq.onnx", io);
    if (!g) {
      std::printf("FAIL: %s\n", g.status().message().c_str());
      return 1;
    }
    for (const auto& n : (*g)->nodes)
      if (std::string(opName(n->kind)) == "DequantizeLinear" && n->input(1)->isConstant())
        outScale = n->input(1)->constant->getDouble(0);  // the last one feeds the output
  }
  if (!(outScale > 0)) {
    std::printf("FAIL: no output DequantizeLinear in the model\n");
    return 1;
  }

  CompileOptions o;
  o.modelPath = dir + "/digits_qdq.onnx";
  o.name = "digits_qdq";
  auto r = compileModel(o);
  if (!r) {
    std::printf("FAIL: compiling: %s\n", r.status().message().c_str());
    return 1;
  }
  for (const std::string& w : r->warnings) std::printf("warning: %s\n", w.c_str());
  // Integer-only: every kernel call is an integer kernel (tmlc::q::, or a
  // data-movement kernel instantiated on int8_t); float appears only in the
  // entry point's Quantize and Dequantize.
  {
    size_t pos = 0;
    int calls = 0;
    while ((pos = r->source.find("\n  tmlc::", pos)) != std::string::npos) {
      const size_t e = r->source.find('\n', pos + 1);
      const std::string line = r->source.substr(pos + 1, e - pos - 1);
      pos = e;
      ++calls;
      if (line.rfind("  tmlc::q::", 0) == 0 || line.find("<int8_t>") != std::string::npos) continue;
      std::printf("FAIL: the QDQ model still runs float code: %s\n", line.c_str());
      return 1;
    }
    if (calls < 5) {
      std::printf("FAIL: found only %d kernel calls in the generated code\n", calls);
      return 1;
    }
  }
  HarnessBuild hb;
  hb.workDir = work;
  hb.includeDirs = {work};
  if (!test::addModel(hb, work, "digits_qdq", *r)) return 1;
  auto bin = buildHarness(hb);
  if (!bin) {
    std::printf("FAIL: %s\n", bin.status().message().c_str());
    return 1;
  }
  std::string manifest;
  int sets = 0;
  std::vector<Tensor> refs;
  for (;; ++sets) {
    const std::string set = dir + "/qdq_data/test_data_set_" + std::to_string(sets);
    auto in = readTensorFile(set + "/input_0.pb");
    if (!in) break;
    auto ref = readTensorFile(set + "/output_0.pb");
    if (!ref) {
      std::printf("FAIL: %s\n", ref.status().message().c_str());
      return 1;
    }
    refs.push_back(*ref);
    const std::string cd = work + "/cases/" + std::to_string(sets);
    writeFile(cd + "/in_0.bin", std::string(in->bytes.begin(), in->bytes.end()));
    manifest += "digits_qdq " + cd + "\n";
  }
  if (sets == 0) {
    std::printf("FAIL: no test data in %s/qdq_data\n", dir.c_str());
    return 1;
  }
  writeFile(work + "/manifest.txt", manifest);
  auto run = runHarness("host", bin->exe, work + "/manifest.txt", 300);
  if (!run || run->exitCode != 0) {
    std::printf("FAIL: harness: %s\n", run ? run->output.substr(0, 2000).c_str() : run.status().message().c_str());
    return 1;
  }
  int64_t total = 0, within1 = 0, exact = 0, beyond2 = 0;
  double worst = 0;
  for (int s = 0; s < sets; ++s) {
    std::ifstream f(work + "/cases/" + std::to_string(s) + "/out_0.bin", std::ios::binary);
    std::vector<float> got(static_cast<size_t>(refs[s].numel()));
    if (!f.read(reinterpret_cast<char*>(got.data()), static_cast<std::streamsize>(got.size() * sizeof(float)))) {
      std::printf("FAIL: missing output of case %d\n", s);
      return 1;
    }
    for (size_t i = 0; i < got.size(); ++i) {
      const double lsb = std::fabs(got[i] - refs[s].getDouble(static_cast<int64_t>(i))) / outScale;
      worst = std::max(worst, lsb);
      ++total;
      exact += lsb < 0.01;
      within1 += lsb < 1.01;
      beyond2 += lsb > 2.01;
    }
  }
  const double pct = 100.0 * within1 / static_cast<double>(total);
  std::printf("QDQ vs ONNX Runtime: %lld outputs, %.2f%% equal, %.2f%% within 1 LSB, worst %.0f LSB\n",
              static_cast<long long>(total), 100.0 * exact / total, pct, worst);
  const bool ok = pct >= 99.0 && beyond2 == 0;
  std::printf("qdq: %d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
}
