// validate_command.cpp: `tmlc validate MODEL.onnx --data DIR [--target T] [--json]`.
//
// Compiles the model (every option of `tmlc compile` applies), builds it with
// the harness (targets/common/harness.cpp) for the target, runs it once per
// data set (on the host, or in QEMU for a Cortex-M target), and compares each
// output with the reference in DIR, laid out as the ONNX backend test data:
// DIR/test_data_set_N/input_K.pb and output_K.pb (TensorProto); DIR may also
// be one test_data_set_N folder. Floats pass when |got - ref| <= atol +
// rtol * |ref|; integers and booleans must be equal.
//
// It prints per output and data set the max absolute and relative error and
// pass/fail, then the metrics: instructions per inference (QEMU, -icount
// shift=0 with SysTick; its resolution is one SysTick tick, 1e9/cpu_hz
// instructions), stack used by one inference (painted stack), flash and RAM of
// the built image (arm-none-eabi-size) and arena bytes. On the host there is
// no instruction count, and flash/RAM are those of the model's object file.
// For a quantized model (--quantize, or quantization in the imported types)
// it adds an accuracy report (driver/accuracy.h): per output, against the float
// model built and run on the host in WORK/float (with --quantize) and against
// the reference data, max error in output LSBs, cosine, SNR and top-1
// agreement. It does not change pass/fail.
// --json prints one JSON object instead. Exit status: 0 when every output is
// within tolerance, 1 when one is not or something failed, 2 on bad usage.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "driver/accuracy.h"
#include "driver/commands.h"
#include "driver/compare.h"
#include "driver/harness.h"
#include "driver/test_data.h"
#include "frontend/tensor_proto.h"
#include "targets/target.h"

namespace tmlc {

namespace {

const char* const kValidateHelp =
    "usage: tmlc validate MODEL.onnx --data DIR [options]\n\n"
    "Compiles MODEL.onnx, builds it with a test harness for the target, runs it\n"
    "(on the host, or in QEMU for a Cortex-M target) and compares its outputs with\n"
    "the reference data in DIR (DIR/test_data_set_N/input_K.pb and output_K.pb,\n"
    "TensorProto, as in the ONNX backend tests; DIR may be one test_data_set_N).\n"
    "Exit status 0 only when every output is within tolerance. For a quantized\n"
    "model it also reports accuracy against the float model (run on the host) and\n"
    "the reference data: max error in output LSBs, cosine, SNR, top-1 agreement.\n\n"
    "validate options:\n"
    "  --data DIR             reference inputs and outputs (required)\n"
    "  --json                 print one JSON object (pass, max_abs_error, arena_bytes,\n"
    "                         flash_bytes, ram_bytes, instructions, ...)\n"
    "  --rtol R, --atol A     tolerance for float outputs (default 1e-3 and 1e-5)\n"
    "  --compiler gcc|clang   Cortex-M compiler: arm-none-eabi-g++ (default) or clang++-14\n"
    "  --work DIR             build directory (default: a temporary one, removed after)\n"
    "  --keep                 keep the temporary build directory\n"
    "  --timeout S            seconds before a run is stopped (default 600)\n"
    "\ncompile options (as for tmlc compile):\n";

struct ValidateOptions {
  std::string data, work, compiler = "gcc";
  bool json = false, keep = false;
  double rtol = 1e-3, atol = 1e-5;
  int timeout = 600;
};

std::string jsonNumber(double v) {
  if (std::isnan(v) || std::isinf(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string jsonString(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      r += c == '\n' ? "\\n" : " ";
      continue;
    }
    r += c;
  }
  return r + "\"";
}

struct OutputResult {
  std::string dataSet, name;
  int index = 0;
  Comparison cmp;
};

// One row of the accuracy report of a quantized model (driver/accuracy.h).
struct AccuracyRow {
  std::string versus;  // "float model" or "reference data"
  int index = 0;
  std::string name;
  OutputAccuracy acc;
};

struct Report {
  std::string model, target, error;
  bool pass = false;
  std::vector<OutputResult> outputs;
  double maxAbs = 0, maxRel = 0;
  int64_t arena = -1, weights = -1, flash = -1, ram = -1, modelFlash = -1, modelRam = -1;
  int64_t flashBudget = 0, ramBudget = 0;  // 0: none
  bool onDevice = false;
  unsigned long long instructions = 0;  // per inference, max over data sets
  unsigned long stack = 0;
  int runs = 0;
  bool quantized = false;             // an int8 model: the accuracy report applies
  std::vector<AccuracyRow> accuracy;  // per reference and output
  std::string accuracyNote;           // why a part of it is missing
};

void printJson(const Report& r, const ValidateOptions& v) {
  auto num = [](int64_t x) { return x < 0 ? std::string("null") : std::to_string(x); };
  std::string j = "{\"model\": " + jsonString(r.model) + ", \"target\": " + jsonString(r.target) +
                  ", \"pass\": " + (r.pass ? "true" : "false");
  if (!r.error.empty()) j += ", \"error\": " + jsonString(r.error);
  j += ", \"max_abs_error\": " + jsonNumber(r.maxAbs) + ", \"max_rel_error\": " + jsonNumber(r.maxRel);
  j += ", \"rtol\": " + jsonNumber(v.rtol) + ", \"atol\": " + jsonNumber(v.atol);
  j += ", \"arena_bytes\": " + num(r.arena) + ", \"weight_bytes\": " + num(r.weights);
  j += ", \"flash_bytes\": " + num(r.flash) + ", \"ram_bytes\": " + num(r.ram);
  j += ", \"model_flash_bytes\": " + num(r.modelFlash) + ", \"model_ram_bytes\": " + num(r.modelRam);
  j += ", \"flash_budget\": " + (r.flashBudget ? std::to_string(r.flashBudget) : std::string("null")) +
       ", \"ram_budget\": " + (r.ramBudget ? std::to_string(r.ramBudget) : std::string("null"));
  j += ", \"instructions\": " + (r.onDevice && r.runs ? std::to_string(r.instructions) : std::string("null"));
  j += ", \"stack_bytes\": " + (r.onDevice && r.runs ? std::to_string(r.stack) : std::string("null"));
  j += ", \"data_sets\": " + std::to_string(r.runs) + ", \"outputs\": [";
  for (size_t i = 0; i < r.outputs.size(); ++i) {
    const OutputResult& o = r.outputs[i];
    j += std::string(i ? ", " : "") + "{\"data_set\": " + jsonString(o.dataSet) + ", \"index\": " +
         std::to_string(o.index) + ", \"name\": " + jsonString(o.name) + ", \"pass\": " +
         (o.cmp.pass ? "true" : "false") + ", \"max_abs_error\": " + jsonNumber(o.cmp.maxAbs) +
         ", \"max_rel_error\": " + jsonNumber(o.cmp.maxRel) + ", \"mismatches\": " +
         std::to_string(o.cmp.mismatches) + "}";
  }
  j += "]";
  if (r.quantized) {
    j += ", \"accuracy\": [";
    for (size_t i = 0; i < r.accuracy.size(); ++i) {
      const AccuracyRow& a = r.accuracy[i];
      j += std::string(i ? ", " : "") + "{\"versus\": " + jsonString(a.versus) + ", \"index\": " +
           std::to_string(a.index) + ", \"name\": " + jsonString(a.name) + ", \"elements\": " +
           std::to_string(a.acc.elements) + ", \"output_scale\": " +
           (a.acc.scale > 0 ? jsonNumber(a.acc.scale) : "null") + ", \"max_abs_error\": " +
           jsonNumber(a.acc.maxAbs) + ", \"max_error_lsb\": " +
           (a.acc.scale > 0 ? jsonNumber(a.acc.maxLsb) : "null") + ", \"cosine\": " + jsonNumber(a.acc.cosine) +
           ", \"snr_db\": " + jsonNumber(a.acc.snrDb) + ", \"top1_agree\": " +
           (a.acc.top1Rows ? std::to_string(a.acc.top1Agree) : "null") + ", \"top1_rows\": " +
           (a.acc.top1Rows ? std::to_string(a.acc.top1Rows) : "null") + "}";
    }
    j += "]";
    if (!r.accuracyNote.empty()) j += ", \"accuracy_note\": " + jsonString(r.accuracyNote);
  }
  j += "}\n";
  std::fputs(j.c_str(), stdout);
}

void printText(const Report& r, const ValidateOptions& v) {
  std::printf("validate %s on %s (rtol %g, atol %g)\n", r.model.c_str(), r.target.c_str(), v.rtol, v.atol);
  for (const OutputResult& o : r.outputs) {
    std::printf("  %-18s output %d '%s': max abs error %.3g, max rel error %.3g  %s", o.dataSet.c_str(), o.index,
                o.name.c_str(), o.cmp.maxAbs, o.cmp.maxRel, o.cmp.pass ? "pass" : "FAIL");
    if (!o.cmp.pass)
      std::printf(" (%s)", o.cmp.note.empty() ? (std::to_string(o.cmp.mismatches) + " elements out of tolerance, first at " +
                                                 std::to_string(o.cmp.firstBad))
                                                    .c_str()
                                              : o.cmp.note.c_str());
    std::printf("\n");
  }
  if (r.quantized) {
    std::printf("  accuracy of the quantized model over %d data set%s:\n", r.runs, r.runs == 1 ? "" : "s");
    for (const AccuracyRow& a : r.accuracy) {
      std::printf("    output %d '%s' vs %s: ", a.index, a.name.c_str(), a.versus.c_str());
      if (a.acc.scale > 0) std::printf("max error %.2f LSB (scale %.4g), ", a.acc.maxLsb, a.acc.scale);
      else std::printf("max abs error %.3g, ", a.acc.maxAbs);
      std::printf("cosine %.6f, SNR ", a.acc.cosine);
      if (std::isinf(a.acc.snrDb)) std::printf("%sinf dB", a.acc.snrDb < 0 ? "-" : "");
      else std::printf("%.1f dB", a.acc.snrDb);
      if (a.acc.top1Rows)
        std::printf(", top-1 agreement %lld/%lld (%.1f%%)", (long long)a.acc.top1Agree, (long long)a.acc.top1Rows,
                    100.0 * a.acc.top1Agree / a.acc.top1Rows);
      std::printf("\n");
    }
    if (!r.accuracyNote.empty()) std::printf("    (%s)\n", r.accuracyNote.c_str());
  }
  if (r.onDevice && r.runs)
    std::printf("  instructions per inference: %llu\n  stack per inference: %lu bytes\n", r.instructions, r.stack);
  else
    std::printf("  instructions per inference: n/a (host)\n");
  if (r.arena >= 0) std::printf("  arena: %lld bytes, weights: %lld bytes\n", (long long)r.arena, (long long)r.weights);
  if (r.onDevice && r.flash >= 0) {
    std::printf("  image: flash %lld bytes, RAM %lld bytes (harness, libc, heap and stack included)\n",
                (long long)r.flash, (long long)r.ram);
    if (r.flashBudget || r.ramBudget)
      std::printf("  budget: flash %lld bytes, RAM %lld bytes%s\n", (long long)r.flashBudget, (long long)r.ramBudget,
                  (r.flashBudget && r.flash > r.flashBudget) || (r.ramBudget && r.ram > r.ramBudget)
                      ? " (the test image exceeds it; the model alone fits)"
                      : "");
  }
  if (r.modelFlash >= 0)
    std::printf("  model object: flash %lld bytes, RAM %lld bytes\n", (long long)r.modelFlash,
                (long long)r.modelRam);
  std::printf("%s\n", r.pass ? "PASS" : "FAIL");
}

// ------------------------------------------------------------ accuracy report

// A model with integer arithmetic: quantized by --quantize, or with
// quantization in its types after import (a QDQ or QOperator model).
bool isQuantized(const CommonOptions& o, const Graph& g) {
  if (!o.compile.quant.mode.empty()) return true;
  for (const auto& v : g.values)
    if (v->type.quant && !v->isConstant()) return true;
  return false;
}

// The quantization of graph output `out`: its own (an int8 output), or that of
// the integer value its Dequantize reads (a float output of a quantized model),
// looking through ops that only move data (Identity, Reshape, ...).
const QuantParams* outputQuant(const Value* out) {
  if (out->type.quant) return &*out->type.quant;
  while (out->producer && out->producer->input(0) &&
         (out->producer->kind == OpKind::Identity || out->producer->kind == OpKind::Reshape ||
          out->producer->kind == OpKind::Flatten || out->producer->kind == OpKind::Squeeze ||
          out->producer->kind == OpKind::Unsqueeze))
    out = out->producer->input(0);
  if (out->producer && out->producer->kind == OpKind::QDequantize && out->producer->input(0) &&
      out->producer->input(0)->type.quant)
    return &*out->producer->input(0)->type.quant;
  return nullptr;
}

// An output buffer as float: f32 as it is, integers dequantized with the
// output's (per-tensor) quantization. False for anything else.
bool outputAsFloat(const Value* out, const std::string& bytes, std::vector<float>& vals) {
  const int64_t n = numElements(out->type.shape);
  if (static_cast<int64_t>(bytes.size()) != n * static_cast<int64_t>(dtypeSize(out->type.dtype))) return false;
  vals.resize(static_cast<size_t>(n));
  if (out->type.dtype == DType::Float32) {
    std::memcpy(vals.data(), bytes.data(), bytes.size());
    return true;
  }
  const QuantParams* q = out->type.quant ? &*out->type.quant : nullptr;
  if (!q || q->scale.size() != 1) return false;
  Tensor t;
  t.dtype = out->type.dtype;
  t.shape = out->type.shape;
  t.bytes.assign(bytes.begin(), bytes.end());
  const int32_t zp = q->zero_point.empty() ? 0 : q->zero_point[0];
  for (int64_t i = 0; i < n; ++i) vals[static_cast<size_t>(i)] = static_cast<float>(q->scale[0] * (t.getInt(i) - zp));
  return true;
}

// Writes the generated code of model `name` to work/gen, stages the inputs of
// data set s in work/cases/s (graph input k comes from input_K.pb where K is its
// position among the ONNX model's non-initializer inputs), lists the cases in
// work/manifest.txt and fills caseDirs. Returns the harness build for them, for
// the host (set target and compiler for another).
Expected<HarnessBuild> stageHarness(const CompileResult& r, const std::string& modelPath,
                                    const std::vector<std::string>& sets, const std::string& name,
                                    const std::string& work, std::vector<std::string>& caseDirs) {
  const std::string gen = work + "/gen";
  if (!writeFile(gen + "/" + name + ".h", r.header) || !writeFile(gen + "/" + name + ".cpp", r.source))
    return Status::error("cannot write to " + gen);
  const Graph& g = *r.graph;
  int64_t ioBytes = 16;
  for (const Value* x : g.inputs) ioBytes += static_cast<int64_t>(x->type.bytes()) + 16;
  for (const Value* x : g.outputs) ioBytes += static_cast<int64_t>(x->type.bytes()) + 16;
  std::string manifest;
  caseDirs.clear();
  for (size_t s = 0; s < sets.size(); ++s) {
    const std::string caseDir = work + "/cases/" + std::to_string(s);
    TMLC_RETURN_IF_ERROR(stageInputs(g, modelPath, sets[s], caseDir));
    manifest += name + " " + caseDir + "\n";
    caseDirs.push_back(caseDir);
  }
  if (!writeFile(work + "/manifest.txt", manifest)) return Status::error("cannot write to " + work);
  HarnessBuild hb;
  hb.workDir = work;
  hb.target = "host";
  hb.modelNames = {name};
  hb.sources = {gen + "/" + name + ".cpp"};
  hb.includeDirs = {gen};
  hb.ioBytes = ioBytes;
  return hb;
}

// The float model (the same options without --quantize) compiled and run on
// the host on the same data sets, in work/float; its output k of data set s
// is in the returned dirs [s]/out_K.bin.
Expected<std::vector<std::string>> runFloatModel(const CommonOptions& o, const std::vector<std::string>& sets,
                                                 const std::string& name, const std::string& work,
                                                 std::unique_ptr<Graph>& graph) {
  CompileOptions fo = o.compile;
  fo.quant = QuantizeOptions{};
  fo.target = "host";
  fo.flashBudget = fo.ramBudget = 0;
  fo.printIrAfter.clear();
  fo.name = name;
  auto r = compileModel(fo);
  if (!r) return r.status();
  std::vector<std::string> caseDirs;
  auto hb = stageHarness(*r, o.compile.modelPath, sets, name, work, caseDirs);
  if (!hb) return hb.status();
  auto bin = buildHarness(*hb);
  if (!bin) return bin.status();
  auto run = runHarness("host", bin->exe, work + "/manifest.txt");
  if (!run) return run.status();
  if (run->exitCode != 0 || parseHarnessOutput(run->output).size() != sets.size())
    return Status::error("the float model's host run failed (exit status " + std::to_string(run->exitCode) + ")");
  graph = std::move(r->graph);
  return caseDirs;
}

// Fills rep.accuracy: the quantized model's outputs (in caseDirs) against the
// float model run on the host (with --quantize) and against the data sets'
// reference outputs.
Status accuracyReport(const CommonOptions& o, const Graph& g, const std::vector<std::string>& sets,
                      const std::vector<std::string>& caseDirs, const std::string& name, const std::string& work,
                      Report& rep) {
  std::vector<std::string> floatDirs;
  std::unique_ptr<Graph> floatGraph;
  if (!o.compile.quant.mode.empty()) {
    auto f = runFloatModel(o, sets, name, work + "/float", floatGraph);
    if (!f) return f.status();
    floatDirs = *f;
  } else {
    rep.accuracyNote = "a pre-quantized model: no float model to compare with, only the reference data";
  }
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const Value* out = g.outputs[k];
    const QuantParams* q = outputQuant(out);
    const double scale = q && q->scale.size() == 1 ? q->scale[0] : 0;
    const int64_t classes = classifierClasses(out->type.shape);
    AccuracyAccumulator vsFloat(scale, classes), vsData(scale, classes);
    bool haveFloat = !floatDirs.empty(), haveData = true;
    std::vector<float> got, ref;
    for (size_t s = 0; s < sets.size(); ++s) {
      if (!outputAsFloat(out, readFile(caseDirs[s] + "/out_" + std::to_string(k) + ".bin"), got)) {
        haveFloat = haveData = false;
        break;
      }
      if (haveFloat) {
        const Value* fout = k < floatGraph->outputs.size() ? floatGraph->outputs[k] : nullptr;
        if (fout && outputAsFloat(fout, readFile(floatDirs[s] + "/out_" + std::to_string(k) + ".bin"), ref) &&
            ref.size() == got.size())
          vsFloat.add(got.data(), ref.data(), static_cast<int64_t>(got.size()));
        else
          haveFloat = false;
      }
      const std::string refPath = sets[s] + "/output_" + std::to_string(k) + ".pb";
      auto t = pathExists(refPath) ? readTensorFile(refPath) : Expected<Tensor>(Status::error("no reference"));
      if (haveData && t && t->dtype == DType::Float32 && t->numel() == static_cast<int64_t>(got.size()))
        vsData.add(got.data(), t->data<float>(), static_cast<int64_t>(got.size()));
      else
        haveData = false;
    }
    if (haveFloat) rep.accuracy.push_back({"float model", static_cast<int>(k), out->name, vsFloat.result()});
    if (haveData) rep.accuracy.push_back({"reference data", static_cast<int>(k), out->name, vsData.result()});
  }
  return Status::ok();
}

// Runs the whole validation; a returned error is reported by the caller.
Status validate(const CommonOptions& o, const ValidateOptions& v, const std::string& work, Report& rep) {
  auto target = loadTarget(o.compile.target);
  if (!target) return target.status();
  const Target& t = **target;
  rep.target = t.name;
  rep.onDevice = !t.isHost();

  const std::vector<std::string> sets = listDataSets(v.data);
  if (sets.empty())
    return Status::error(v.data + ": no test_data_set_N folders and no input_K.pb / output_K.pb files");

  auto r = compileModel(o.compile);
  if (!r) return r.status();
  for (const std::string& w : r->warnings) std::fprintf(stderr, "warning: %s\n", oneLine(w).c_str());
  const std::string name = o.compile.name.empty() ? defaultModelName(o.compile.modelPath) : o.compile.name;
  rep.model = name;
  rep.arena = r->arenaBytes;
  rep.weights = r->weightBytes;
  rep.flashBudget = r->flashBudget;
  rep.ramBudget = r->ramBudget;
  if (!o.outDir.empty() &&
      (!writeFile(o.outDir + "/" + name + ".h", r->header) || !writeFile(o.outDir + "/" + name + ".cpp", r->source)))
    return Status::error("cannot write to '" + o.outDir + "'");
  if (!o.reportPath.empty() && !writeFile(o.reportPath, r->reportJson))
    return Status::error("cannot write report '" + o.reportPath + "'");

  const Graph& g = *r->graph;
  std::vector<std::string> caseDirs;
  auto hb = stageHarness(*r, o.compile.modelPath, sets, name, work, caseDirs);
  if (!hb) return hb.status();
  hb->target = o.compile.target;
  hb->compiler = v.compiler;
  auto bin = buildHarness(*hb);
  if (!bin) return bin.status();

  auto image = measureSize(o.compile.target, bin->exe);
  auto object = measureSize(o.compile.target, work + "/m0.o");
  if (object) {
    rep.modelFlash = object->flash();
    rep.modelRam = object->ram();
  }
  if (image && rep.onDevice) {
    rep.flash = image->flash();
    rep.ram = image->ram();
  } else {
    rep.flash = rep.modelFlash;
    rep.ram = rep.modelRam;
  }

  auto run = runHarness(o.compile.target, bin->exe, work + "/manifest.txt", v.timeout);
  if (!run) return run.status();
  std::vector<HarnessCase> cases = parseHarnessOutput(run->output);
  if (run->exitCode != 0 || cases.size() != sets.size()) {
    std::string out = run->output;
    if (out.size() > 3000) out = out.substr(out.size() - 3000);
    return Status::error("the harness failed on " + t.name + " (exit status " + std::to_string(run->exitCode) +
                         "):\n" + out);
  }
  for (const HarnessCase& c : cases) {
    rep.instructions = std::max(rep.instructions, c.instructions);
    rep.stack = std::max(rep.stack, c.stack);
  }
  rep.runs = static_cast<int>(cases.size());
  // The painted stack is worn down to its bottom: the run overflowed it (into
  // the heap below), so its results cannot be trusted.
  if (rep.onDevice && t.stackBytes > 0 && static_cast<int64_t>(rep.stack) >= t.stackBytes)
    return Status::error("one inference used all " + std::to_string(t.stackBytes) + " bytes of " + t.name +
                         "'s stack (a stack overflow): raise 'stack' in its target.txt");

  bool pass = true;
  for (size_t s = 0; s < sets.size(); ++s) {
    const std::string setName = sets[s].substr(sets[s].find_last_of('/') + 1);
    for (size_t k = 0; k < g.outputs.size(); ++k) {
      const std::string refPath = sets[s] + "/output_" + std::to_string(k) + ".pb";
      if (!pathExists(refPath)) continue;
      auto ref = readTensorFile(refPath);
      if (!ref) return ref.status();
      std::string got = readFile(caseDirs[s] + "/out_" + std::to_string(k) + ".bin");
      OutputResult o;
      o.dataSet = setName;
      o.index = static_cast<int>(k);
      o.name = g.outputs[k]->name;
      // An integer output with quantization (--quantize-io int8) against a
      // float reference: compared dequantized.
      std::vector<float> deq;
      const bool dequantized = ref->dtype == DType::Float32 && g.outputs[k]->type.quant &&
                               g.outputs[k]->type.dtype != DType::Float32 && outputAsFloat(g.outputs[k], got, deq);
      if (dequantized) got.assign(reinterpret_cast<const char*>(deq.data()), deq.size() * sizeof(float));
      o.cmp = compareTensor(*ref, got.data(), got.size(), v.rtol, v.atol);
      if (ref->dtype != g.outputs[k]->type.dtype && !dequantized) {
        o.cmp.pass = false;
        o.cmp.note = std::string("reference is ") + dtypeName(ref->dtype) + ", the model's output is " +
                     dtypeName(g.outputs[k]->type.dtype);
      }
      pass = pass && o.cmp.pass;
      rep.maxAbs = std::max(rep.maxAbs, o.cmp.maxAbs);
      rep.maxRel = std::max(rep.maxRel, o.cmp.maxRel);
      rep.outputs.push_back(o);
    }
  }
  if (rep.outputs.empty()) return Status::error(v.data + ": no output_K.pb reference files");
  rep.pass = pass;
  rep.quantized = isQuantized(o, g);
  if (rep.quantized) TMLC_RETURN_IF_ERROR(accuracyReport(o, g, sets, caseDirs, name, work, rep));
  return Status::ok();
}

}  // namespace

int runValidateCommand(const std::vector<std::string>& args) {
  // validate's own options first, so their values are not taken for the model.
  ValidateOptions v;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "error: tmlc validate: option %s needs a value\n", a.c_str());
        return false;
      }
      out = args[++i];
      return true;
    };
    auto number = [&](double& out) {
      std::string s;
      if (!value(s)) return false;
      char* end = nullptr;
      out = std::strtod(s.c_str(), &end);
      if (s.empty() || *end || out < 0) {
        std::fprintf(stderr, "error: tmlc validate: %s needs a non-negative number, got '%s'\n", a.c_str(), s.c_str());
        return false;
      }
      return true;
    };
    if (a == "--data") {
      if (!value(v.data)) return 2;
    } else if (a == "--work") {
      if (!value(v.work)) return 2;
    } else if (a == "--compiler") {
      if (!value(v.compiler)) return 2;
      if (v.compiler != "gcc" && v.compiler != "clang") {
        std::fprintf(stderr, "error: tmlc validate: --compiler must be gcc or clang\n");
        return 2;
      }
    } else if (a == "--json") {
      v.json = true;
    } else if (a == "--keep") {
      v.keep = true;
    } else if (a == "--rtol") {
      if (!number(v.rtol)) return 2;
    } else if (a == "--atol") {
      if (!number(v.atol)) return 2;
    } else if (a == "--timeout") {
      double s;
      if (!number(s)) return 2;
      v.timeout = std::max(1, static_cast<int>(s));
    } else {
      rest.push_back(a);
    }
  }
  CommonOptions o;
  std::vector<std::string> extra;
  if (!parseCommonOptions(rest, o, extra, "validate")) return 2;
  if (o.help) {
    std::printf("%s%s", kValidateHelp, kCommonOptionsHelp);
    return 0;
  }
  if (!extra.empty()) {
    std::fprintf(stderr, "error: tmlc validate: unknown argument '%s' (see tmlc validate --help)\n",
                 extra[0].c_str());
    return 2;
  }
  if (o.compile.modelPath.empty() || v.data.empty()) {
    std::fprintf(stderr, "error: tmlc validate: need MODEL.onnx and --data DIR (see tmlc validate --help)\n");
    return 2;
  }

  std::string work = v.work;
  bool temporary = work.empty();
  if (temporary) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/tmlc-validate-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back(0);
    if (!mkdtemp(buf.data())) {
      std::fprintf(stderr, "error: cannot create a temporary directory under %s\n", tmp ? tmp : "/tmp");
      return 1;
    }
    work = buf.data();
  } else {
    std::string ignored;
    runCommand("mkdir -p " + shellQuote(work), ignored);
  }

  Report rep;
  rep.model = o.compile.name.empty() ? defaultModelName(o.compile.modelPath) : o.compile.name;
  rep.target = o.compile.target;
  Status st = validate(o, v, work, rep);
  if (!st) {
    rep.pass = false;
    rep.error = st.message();
    std::fprintf(stderr, "error: %s\n", oneLine(st.message()).c_str());
  }
  if (v.json) printJson(rep, v);
  else if (st) printText(rep, v);
  std::string ignored;
  if (temporary && !v.keep) runCommand("rm -rf " + shellQuote(work), ignored);
  else if (temporary) std::fprintf(stderr, "note: build directory kept: %s\n", work.c_str());
  return rep.pass ? 0 : 1;
}

}  // namespace tmlc
