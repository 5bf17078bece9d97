// bitexact_test.cpp: integer outputs of quantized models are bit-exact between
// the host build and each Cortex-M target in QEMU (issue 5). The Cortex-M4
// build takes the DSP bodies of the int8 kernels (__ARM_FEATURE_DSP), the host
// the portable ones, so this also checks that both compute the same thing.
//
// Compiles the digits CNN, the DS-CNN keyword spotter and tests/quant/act16
// (table lookups, softmax) with --quantize int8
// --quantize-io int8 (or, with --mode int16x8, --quantize int16x8
// --quantize-io int16: int16 activations, int64 accumulators), builds each into a host harness and a harness per target,
// runs all of them on the same pseudo-random int8 inputs and compares the
// outputs byte for byte. Prints the instructions per inference QEMU counted.
//
// A model that does not fit a part (the DS-CNN on the 16 KB cortex-m0) is
// skipped there.
//
// Usage: quant_bitexact SOURCE_DIR WORK_DIR [--mode int8|int16x8] TARGET...
#include <cstdio>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "tests/support/test_util.h"

using namespace tmlc;

namespace {

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s SOURCE_DIR WORK_DIR [--mode int8|int16x8] TARGET...\n", argv[0]);
    return 2;
  }
  const std::string src = argv[1], work = argv[2];
  std::string mode = "int8";
  std::vector<std::string> targets = {"host"};
  for (int i = 3; i < argc; ++i) {
    if (std::string(argv[i]) == "--mode" && i + 1 < argc) mode = argv[++i];
    else targets.push_back(argv[i]);
  }
  const std::string io = mode == "int16x8" ? "int16" : "int8";
  const std::string suffix = mode == "int16x8" ? "_q16" : "_q";
  test::freshWorkDir(work);

  struct Model {
    std::string name, onnx, calib;
    int64_t inBytes = 0;
  };
  std::vector<Model> models = {
      {"digits" + suffix, src + "/tests/quant/digits/digits.onnx", src + "/tests/quant/digits/calib"},
      {"kws" + suffix, src + "/samples/kws/kws.onnx", src + "/samples/kws/data"},
      {"act16" + suffix, src + "/tests/quant/act16/act16.onnx", src + "/tests/quant/act16/calib"}};
  // Compiles every model for target t into work/t; a model that does not fit
  // the target's memory is left out there (its name is cleared in `names`).
  auto compileFor = [&](const std::string& t, std::vector<std::string>& names, std::vector<std::string>& sources) {
    names.clear();
    sources.clear();
    for (Model& m : models) {
      CompileOptions o;
      o.modelPath = m.onnx;
      o.name = m.name;
      o.target = t;
      o.quant.mode = mode;
      o.quant.calibrationDir = m.calib;
      o.quant.io = io;
      o.quant.progress = false;
      auto r = compileModel(o);
      if (!r) {
        if (t != "host" && r.status().message().find("does not fit") != std::string::npos) {
          std::printf("%s %s: skipped, does not fit the part\n", t.c_str(), m.name.c_str());
          names.push_back("");
          continue;
        }
        std::printf("FAIL: compiling %s for %s: %s\n", m.name.c_str(), t.c_str(), r.status().message().c_str());
        return false;
      }
      m.inBytes = static_cast<int64_t>(r->graph->inputs[0]->type.bytes());
      writeFile(work + "/" + t + "/src/" + m.name + ".h", r->header);
      writeFile(work + "/" + t + "/src/" + m.name + ".cpp", r->source);
      sources.push_back(work + "/" + t + "/src/" + m.name + ".cpp");
      names.push_back(m.name);
    }
    return true;
  };
  std::vector<std::string> names, sources;
  if (!compileFor("host", names, sources)) return 1;

  const int kCases = 4;
  uint32_t state = 12345;
  std::vector<std::vector<std::string>> inputs(models.size());
  for (size_t k = 0; k < models.size(); ++k)
    for (int c = 0; c < kCases; ++c) {
      std::string b(static_cast<size_t>(models[k].inBytes), '\0');
      for (char& ch : b) {
        state = state * 1664525u + 1013904223u;
        ch = static_cast<char>(state >> 24);
      }
      inputs[k].push_back(b);
    }

  int failed = 0, passed = 0;
  std::vector<std::vector<std::string>> hostOut(models.size(), std::vector<std::string>(kCases));
  // Builds the models `idx` (compiled for t) into one image in dir, runs it and
  // compares (or, on the host, records) the outputs. 0 done, 1 failed, 2 the
  // image does not fit the part.
  auto runImage = [&](const std::string& t, const std::vector<size_t>& idx, const std::string& dir) {
    HarnessBuild hb;
    hb.workDir = dir;
    hb.target = t;
    hb.includeDirs = {work + "/" + t + "/src"};
    hb.ioBytes = 4096;
    for (size_t k : idx) {
      hb.sources.push_back(work + "/" + t + "/src/" + models[k].name + ".cpp");
      hb.modelNames.push_back(models[k].name);
    }
    auto bin = buildHarness(hb);
    if (!bin) {
      if (t != "host" && bin.status().message().find("does not fit") != std::string::npos) {
        if (idx.size() > 1) return 2;
        std::printf("%s %s: skipped, does not fit the part with the test harness\n", t.c_str(),
                    models[idx[0]].name.c_str());
        return 0;
      }
      std::printf("FAIL: %s: %s\n", t.c_str(), bin.status().message().c_str());
      return 1;
    }
    std::string manifest;
    for (size_t k : idx)
      for (int c = 0; c < kCases; ++c) {
        const std::string cd = dir + "/cases/" + models[k].name + "_" + std::to_string(c);
        writeFile(cd + "/in_0.bin", inputs[k][static_cast<size_t>(c)]);
        manifest += models[k].name + " " + cd + "\n";
      }
    writeFile(dir + "/manifest.txt", manifest);
    auto run = runHarness(t, bin->exe, dir + "/manifest.txt", 600);
    if (!run || run->exitCode != 0) {
      std::printf("FAIL: %s: %s\n", t.c_str(), run ? run->output.substr(0, 1500).c_str() : run.status().message().c_str());
      return 1;
    }
    for (size_t k : idx) {
      if (t != "host") {
        const std::string key = "case " + models[k].name + " ";
        size_t p = run->output.find(key);
        size_t q = p == std::string::npos ? p : run->output.find("instructions=", p);
        if (q != std::string::npos)
          std::printf("%s %s: %s instructions per inference\n", t.c_str(), models[k].name.c_str(),
                      run->output.substr(q + 13, run->output.find_first_of(" \n", q + 13) - q - 13).c_str());
      }
      for (int c = 0; c < kCases; ++c) {
        const std::string o = readFile(dir + "/cases/" + models[k].name + "_" + std::to_string(c) + "/out_0.bin");
        if (t == "host") {
          hostOut[k][static_cast<size_t>(c)] = o;
          continue;
        }
        const bool same = !o.empty() && o == hostOut[k][static_cast<size_t>(c)];
        if (!same) std::printf("FAIL: %s %s case %d differs from the host\n", t.c_str(), models[k].name.c_str(), c);
        same ? ++passed : ++failed;
      }
    }
    return 0;
  };
  for (const std::string& t : targets) {
    if (!compileFor(t, names, sources)) return 1;
    std::vector<size_t> present;
    for (size_t k = 0; k < models.size(); ++k)
      if (!names[k].empty()) present.push_back(k);
    // All models in one image; where they do not fit together (cortex-m0), one image each.
    int r = runImage(t, present, work + "/" + t);
    if (r == 2) {
      std::printf("%s: the models do not fit one image together; one image per model\n", t.c_str());
      r = 0;
      for (size_t k : present)
        if (runImage(t, {k}, work + "/" + t + "/" + models[k].name) == 1) r = 1;
    }
    if (r == 1) return 1;
  }
  std::printf("bit-exact host vs targets (%s): %d passed, %d failed\n", mode.c_str(), passed, failed);
  return failed || passed == 0 ? 1 : 0;
}
