// qoperator_ort_test.cpp: QOperator import against ONNX Runtime (issue 5).
//
// Compiles the models of tests/quant/qoperator/ (make_qoperator_models.py:
// ops_* and pool_* (uint8, int8) exercise every com.microsoft QLinear operator,
// net.onnx is a small CNN as ONNX Runtime's quantizer lays it out), checks that
// the generated code is integer-only (tmlc::q:: kernels, and ONNX's QLinearConv
// and QLinearMatMul with their integer rescale; only net.onnx's boundary
// QuantizeLinear and DequantizeLinear take and give float), runs the
// generated code on the host on every data set and compares each output with
// ONNX Runtime's, in units of the output's quantization step (LSB). mixed.onnx
// mixes QDQ pairs with float operators and a QLinearSigmoid: there the code
// check is only that the pairs between integer kernels go (3 integer kernel
// calls or more), and the outputs show that float operators read rounded values.
// Outputs:
//   - the table operators (QLinearSigmoid, QLinearLeakyRelu, QLinearConcat,
//     outputs sig, lrelu*, cat*) must equal ONNX Runtime's bit for bit: their
//     tables are built with ONNX Runtime's own float arithmetic;
//   - every output: at least 99% of its elements within 1 LSB, none beyond
//     2 LSB (ONNX Runtime rescales in float and rounds half to even, tmlc in
//     fixed point; docs/quantization.md says where the two differ by one).
// Prints, per output, the share of equal elements and the largest difference.
//
// Usage: quant_qoperator_ort QOPERATOR_DIR WORK_DIR
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "driver/test_data.h"
#include "frontend/onnx_import.h"
#include "frontend/tensor_proto.h"
#include "tests/support/test_util.h"

using namespace tmlc;

namespace {

struct Model {
  std::string file, name;
  std::vector<std::string> sets;
  std::vector<std::string> outNames;
  std::vector<double> outScale;  // float outputs: the scale of their DequantizeLinear; 0 for integer outputs
  bool allInteger = false;       // every kernel call must be an integer kernel
  bool mixed = false;            // float operators between QDQ pairs
};

// The kernel calls of the generated run function ("tmlc::...(" lines).
std::vector<std::string> kernelCalls(const std::string& source) {
  std::vector<std::string> calls;
  std::istringstream in(source);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("  tmlc::", 0) == 0) calls.push_back(line.substr(2));
  return calls;
}

double elementAt(const std::string& bytes, DType t, size_t i) {
  switch (t) {
    case DType::UInt8: return static_cast<uint8_t>(bytes[i]);
    case DType::Int8: return static_cast<int8_t>(bytes[i]);
    default: {
      float f;
      std::memcpy(&f, bytes.data() + 4 * i, 4);
      return f;
    }
  }
}

bool isTableOutput(const std::string& name) {
  return name.rfind("sig", 0) == 0 || name.rfind("lrelu", 0) == 0 || name.rfind("cat", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s QOPERATOR_DIR WORK_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1], work = argv[2];
  test::freshWorkDir(work);

  std::vector<Model> models = {{"ops_u8", "qop_ops_u8", {}, {}, {}, true},
                               {"ops_i8", "qop_ops_i8", {}, {}, {}, true},
                               {"pool_u8", "qop_pool_u8", {}, {}, {}, true},
                               {"pool_i8", "qop_pool_i8", {}, {}, {}, true},
                               {"net", "qop_net", {}, {}, {}, false},
                               {"mixed", "qop_mixed", {}, {}, {}, false, true}};
  HarnessBuild hb;
  hb.workDir = work;
  hb.includeDirs = {work};
  std::string manifest;
  int failures = 0;
  for (Model& m : models) {
    const std::string path = dir + "/" + m.file + ".onnx";
    m.sets = listDataSets(dir + "/" + m.file + "_data");
    CompileOptions o;
    o.modelPath = path;
    o.name = m.name;
    auto r = compileModel(o);
    if (!r) {
      std::printf("FAIL: %s: %s\n", m.file.c_str(), r.status().message().c_str());
      return 1;
    }
    for (const std::string& w : r->warnings) std::printf("warning: %s: %s\n", m.file.c_str(), w.c_str());
    // Integer-only: every kernel call is an integer kernel, except the model's
    // boundary QuantizeLinear/DequantizeLinear (net.onnx's float input and output).
    int integerCalls = 0;
    for (const std::string& c : kernelCalls(r->source)) {
      const bool qlinear = c.rfind("tmlc::qlinear_conv<", 0) == 0 || c.rfind("tmlc::qlinear_matmul<", 0) == 0;
      if (c.rfind("tmlc::q::", 0) == 0 || (qlinear && c.find("_mult.v") != std::string::npos)) {
        ++integerCalls;
        continue;
      }
      if (m.mixed) continue;
      if (m.allInteger || (c.rfind("tmlc::quantize_linear<float,", 0) != 0 &&
                           c.rfind("tmlc::dequantize_linear<uint8_t, float>", 0) != 0)) {
        std::printf("FAIL: %s: a kernel that is not integer-only: %s\n", m.file.c_str(), c.c_str());
        return 1;
      }
    }
    if (integerCalls < (m.mixed ? 3 : m.allInteger ? 9 : 13)) {
      std::printf("FAIL: %s: only %d integer kernel calls in the generated code\n", m.file.c_str(), integerCalls);
      return 1;
    }
    if (r->source.find("float") != std::string::npos && m.allInteger) {
      std::printf("FAIL: %s: the generated code mentions float\n", m.file.c_str());
      return 1;
    }
    if (!test::addModel(hb, work, m.name, *r)) return 1;
    for (const Value* v : r->graph->outputs) m.outNames.push_back(v->name);
    // Scales of float outputs: the DequantizeLinear producing them.
    ImportOptions io;
    auto g = importOnnx(path, io);
    if (!g) {
      std::printf("FAIL: %s\n", g.status().message().c_str());
      return 1;
    }
    for (const Value* v : (*g)->outputs) {
      double s = 0;
      for (const auto& n : (*g)->nodes)
        if (std::string(opName(n->kind)) == "DequantizeLinear" && n->output(0) == v && n->input(1)->isConstant())
          s = n->input(1)->constant->getDouble(0);
      if (v->type.dtype == DType::Float32 && !(s > 0)) {
        std::printf("FAIL: %s: float output '%s' is not made by a DequantizeLinear\n", m.file.c_str(), v->name.c_str());
        return 1;
      }
      m.outScale.push_back(s);
    }
    for (size_t k = 0; k < m.sets.size(); ++k) {
      const std::string cd = work + "/cases/" + m.file + "/" + std::to_string(k);
      Status st = stageInputs(*r->graph, path, m.sets[k], cd);
      if (!st) {
        std::printf("FAIL: %s: %s\n", m.file.c_str(), st.message().c_str());
        return 1;
      }
      manifest += m.name + " " + cd + "\n";
    }
    if (m.sets.empty()) {
      std::printf("FAIL: no data sets for %s\n", m.file.c_str());
      return 1;
    }
  }
  auto bin = buildHarness(hb);
  if (!bin) {
    std::printf("FAIL: %s\n", bin.status().message().c_str());
    return 1;
  }
  writeFile(work + "/manifest.txt", manifest);
  auto run = runHarness("host", bin->exe, work + "/manifest.txt", 300);
  if (!run || run->exitCode != 0) {
    std::printf("FAIL: harness: %s\n", run ? run->output.substr(0, 2000).c_str() : run.status().message().c_str());
    return 1;
  }

  int64_t allTotal = 0, allExact = 0;
  double allWorst = 0;
  for (const Model& m : models) {
    for (size_t j = 0; j < m.outNames.size(); ++j) {
      int64_t total = 0, exact = 0, within1 = 0, beyond2 = 0;
      double worst = 0;
      for (size_t k = 0; k < m.sets.size(); ++k) {
        auto ref = readTensorFile(m.sets[k] + "/output_" + std::to_string(j) + ".pb");
        if (!ref) {
          std::printf("FAIL: %s\n", ref.status().message().c_str());
          return 1;
        }
        const std::string got =
            readFile(work + "/cases/" + m.file + "/" + std::to_string(k) + "/out_" + std::to_string(j) + ".bin");
        if (got.size() != ref->bytes.size()) {
          std::printf("FAIL: %s output '%s': %zu bytes, ONNX Runtime has %zu\n", m.file.c_str(),
                      m.outNames[j].c_str(), got.size(), ref->bytes.size());
          return 1;
        }
        for (int64_t i = 0; i < ref->numel(); ++i) {
          double d = std::fabs(elementAt(got, ref->dtype, static_cast<size_t>(i)) - ref->getDouble(i));
          if (m.outScale[j] > 0) d /= m.outScale[j];
          worst = std::max(worst, d);
          ++total;
          exact += d < 0.01;
          within1 += d < 1.01;
          beyond2 += d > 2.01;
        }
      }
      const double pctExact = 100.0 * exact / total, pct1 = 100.0 * within1 / total;
      bool ok = pct1 >= 99.0 && beyond2 == 0;
      if (isTableOutput(m.outNames[j])) ok = ok && exact == total;
      std::printf("%-7s %-7s %6lld elements: %7.2f%% equal, %7.2f%% within 1 LSB, max %.0f LSB  %s\n",
                  m.file.c_str(), m.outNames[j].c_str(), static_cast<long long>(total), pctExact, pct1, worst,
                  ok ? "ok" : "FAIL");
      failures += ok ? 0 : 1;
      allTotal += total;
      allExact += exact;
      allWorst = std::max(allWorst, worst);
    }
  }
  std::printf("QOperator vs ONNX Runtime: %lld outputs, %.2f%% equal, worst %.0f LSB\n",
              static_cast<long long>(allTotal), 100.0 * allExact / allTotal, allWorst);
  std::printf("qoperator: %d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
