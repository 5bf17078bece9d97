#include "passes/quantize/calibrate.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "codegen/emit_model.h"
#include "driver/commands.h"
#include "driver/harness.h"
#include "passes/memory/plan_memory.h"
#include "passes/quantize/calibration_data.h"
#include "ops/qint/qint_util.h"
#include "passes/quantize/quant_math.h"

namespace tmlc {

namespace {

constexpr int kBins = 2048;

struct Stats {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  std::vector<double> hist;  // kBins over [lo, hi], second pass only
};

// The calibration program: reads samples from a file, runs the model on each
// and writes every output's bytes to stdout. Host only (it may use the heap).
const char* const kDriver = R"(// calibration driver written by tmlc
#include <stdio.h>
#include <stdlib.h>
#include <vector>
#include "calib.h"
int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const tmlc_model_info* m = calib_model();
  FILE* in = fopen(argv[1], "rb");
  if (!in) return 2;
  const long samples = atol(argv[2]);
  std::vector<std::vector<unsigned char>> ins(m->num_inputs), outs(m->num_outputs);
  std::vector<const void*> ip(m->num_inputs);
  std::vector<void*> op(m->num_outputs);
  for (int k = 0; k < m->num_inputs; ++k) { ins[k].resize(m->inputs[k].bytes + 1); ip[k] = ins[k].data(); }
  for (int k = 0; k < m->num_outputs; ++k) { outs[k].resize(m->outputs[k].bytes + 1); op[k] = outs[k].data(); }
  for (long s = 0; s < samples; ++s) {
    for (int k = 0; k < m->num_inputs; ++k)
      if (fread(ins[k].data(), 1, m->inputs[k].bytes, in) != m->inputs[k].bytes) return 3;
    m->run(ip.data(), op.data());
    for (int k = 0; k < m->num_outputs; ++k) fwrite(outs[k].data(), 1, m->outputs[k].bytes, stdout);
  }
  fclose(in);
  return 0;
}
)";

std::string quoteArg(const std::string& s) {
  std::string r = "'";
  for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return r + "'";
}

// Reads `samples` records of the observed values from the program's stdout
// and calls f(value index, float data) for each.
template <typename F>
Status readActivations(const std::string& cmd, const std::vector<Value*>& obs, size_t samples, bool progress,
                       const char* what, F&& f) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return Status::error("cannot run the calibration program");
  std::vector<float> buf;
  const bool bar = progress && isatty(2);
  for (size_t s = 0; s < samples; ++s) {
    for (size_t k = 0; k < obs.size(); ++k) {
      buf.resize(static_cast<size_t>(numElements(obs[k]->type.shape)));
      if (fread(buf.data(), sizeof(float), buf.size(), p) != buf.size()) {
        pclose(p);
        return Status::error("the calibration program stopped after " + std::to_string(s) + " samples");
      }
      f(k, buf);
    }
    if (bar) {
      const size_t width = 30, done = (s + 1) * width / samples;
      std::fprintf(stderr, "\rcalibrating (%s) [%s%s] %zu/%zu samples", what, std::string(done, '#').c_str(),
                   std::string(width - done, '.').c_str(), s + 1, samples);
    }
  }
  if (bar) std::fprintf(stderr, "\n");
  int st = pclose(p);
  if (st != 0) return Status::error("the calibration program failed (status " + std::to_string(st) + ")");
  return Status::ok();
}

double histQuantile(const Stats& s, double frac) {
  double total = 0;
  for (double c : s.hist) total += c;
  const double target = frac * total, width = (s.hi - s.lo) / kBins;
  double acc = 0;
  for (int b = 0; b < kBins; ++b) {
    acc += s.hist[static_cast<size_t>(b)];
    if (acc >= target) return s.lo + width * (b + 1);
  }
  return s.hi;
}

// Squared quantization error of the histogram for the range [lo, hi].
double histError(const Stats& s, double lo, double hi, DType act) {
  QuantParams q = activationParams(lo, hi, act);
  const double scale = q.scale[0];
  const int32_t zp = q.zero_point[0];
  const double width = (s.hi - s.lo) / kBins;
  double err = 0;
  for (int b = 0; b < kBins; ++b) {
    const double n = s.hist[static_cast<size_t>(b)];
    if (n == 0) continue;
    const double x = s.lo + width * (b + 0.5);
    const double r = scale * (quantizeOne(x, scale, zp, qmin(act), qmax(act)) - zp);
    err += n * (x - r) * (x - r);
  }
  return err;
}

QuantParams choose(const Stats& s, const QuantizeOptions& o) {
  const DType act = o.mode == "int16x8" ? DType::Int16 : DType::Int8;
  if (o.method == "minmax" || s.hist.empty() || !(s.hi > s.lo)) return activationParams(s.lo, s.hi, act);
  if (o.method == "percentile") {
    const double tail = (100.0 - o.percentile) / 100.0;
    const double lo = s.lo >= 0 ? s.lo : histQuantile(s, tail);
    const double hi = s.hi <= 0 ? s.hi : histQuantile(s, 1.0 - tail);
    return activationParams(lo, hi, act);
  }
  double best = std::numeric_limits<double>::infinity(), bestA = 1.0;
  for (int i = 100; i >= 10; --i) {
    const double a = i / 100.0;
    const double e = histError(s, s.lo * a, s.hi * a, act);
    if (e < best) {
      best = e;
      bestA = a;
    }
  }
  return activationParams(s.lo * bestA, s.hi * bestA, act);
}

}  // namespace

Status calibrate(Graph& g, const PassOptions& opts) {
  const QuantizeOptions& o = opts.quant;
  if (o.mode.empty()) return Status::ok();
  if (o.mode != "int8" && o.mode != "int16x8")
    return Status::error("--quantize " + o.mode + " is not supported (int8 or int16x8)");
  const std::string intIo = o.mode == "int16x8" ? "int16" : "int8";
  if (o.io != "float" && o.io != intIo)
    return Status::error("--quantize-io " + o.io + " is not supported with --quantize " + o.mode + " (float or " +
                         intIo + ")");
  if (o.method != "minmax" && o.method != "percentile" && o.method != "mse")
    return Status::error("unknown calibration method '" + o.method + "' (minmax, percentile or mse)");
  if (o.calibrationDir.empty()) return Status::error("--quantize needs --calibration DIR with sample inputs");

  // The float activations to observe, in a stable order.
  std::vector<Value*> obs;
  auto want = [&](Value* v) {
    if (v && v->type.dtype == DType::Float32 && !v->isConstant() && !v->type.quant &&
        std::find(obs.begin(), obs.end(), v) == obs.end())
      obs.push_back(v);
  };
  for (auto& n : g.nodes)
    for (Value* v : n->outputs) want(v);

  auto samples = loadCalibrationData(g, o.calibrationDir, o.maxSamples);
  if (!samples) return samples.status();
  // Graph inputs: straight from the samples.
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    Value* in = g.inputs[k];
    if (in->type.dtype != DType::Float32 || in->type.quant) continue;  // a QDQ model's own range stays
    std::vector<float> all;
    for (const auto& s : *samples) all.insert(all.end(), s[k].data<float>(), s[k].data<float>() + s[k].numel());
    Stats st;
    for (float x : all)
      if (std::isfinite(x)) st.lo = std::min<double>(st.lo, x), st.hi = std::max<double>(st.hi, x);
    if (o.method != "minmax" && st.hi > st.lo) {
      st.hist.assign(kBins, 0.0);
      for (float x : all)
        if (std::isfinite(x))
          st.hist[static_cast<size_t>(std::max(0, std::min(kBins - 1, static_cast<int>((x - st.lo) * kBins / (st.hi - st.lo)))))] += 1;
    }
    if (!(st.lo <= st.hi)) st.lo = st.hi = 0;
    in->type.quant = choose(st, o);
  }
  if (obs.empty()) return Status::ok();

  // Emit the graph with every observed value as an output.
  const std::vector<Value*> savedOutputs = g.outputs;
  g.outputs = obs;
  for (auto& v : g.values) v->graphOutput = -1;
  for (size_t k = 0; k < obs.size(); ++k) obs[k]->graphOutput = static_cast<int>(k);
  auto restore = [&] {
    for (auto& v : g.values) v->graphOutput = -1;
    g.outputs = savedOutputs;
    for (size_t k = 0; k < g.outputs.size(); ++k) g.outputs[k]->graphOutput = static_cast<int>(k);
  };
  auto arena = planMemory(g, opts);
  if (!arena) {
    restore();
    return arena.status();
  }
  EmitOptions eo;
  eo.name = "calib";
  eo.sourceName = g.sourceFile;
  eo.target = "host";
  auto em = emitModel(g, *arena, eo);
  restore();
  if (!em) return em.status();

  // Build it.
  std::string work = o.workDir;
  bool tempWork = false;
  if (work.empty()) {
    char tmpl[] = "/tmp/tmlc-calib-XXXXXX";
    if (!mkdtemp(tmpl)) return Status::error("cannot create a temporary directory for calibration");
    work = tmpl;
    tempWork = true;
  }
  std::string out;
  auto cleanup = [&] {
    std::string ignored;
    if (tempWork) runCommand("rm -rf " + quoteArg(work), ignored);
  };
  if (!writeFile(work + "/calib.h", em->header) || !writeFile(work + "/calib.cpp", em->source) ||
      !writeFile(work + "/driver.cpp", kDriver)) {
    cleanup();
    return Status::error("cannot write to " + work);
  }
  std::string bytes;
  for (const auto& s : *samples)
    for (const Tensor& t : s) bytes.append(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
  if (!writeFile(work + "/samples.bin", bytes)) {
    cleanup();
    return Status::error("cannot write to " + work);
  }
  const char* cxx = std::getenv("TMLC_HOST_CXX");
  const std::string build = std::string(cxx ? cxx : "g++") + " -std=c++17 -O1 -w -I" + quoteArg(work) + " -I" +
                            quoteArg(tmlcHome() + "/runtime/include") + " " + quoteArg(work + "/driver.cpp") +
                            " " + quoteArg(work + "/calib.cpp") + " -o " + quoteArg(work + "/calib") + " -lm";
  if (runCommand(build, out) != 0) {
    cleanup();
    if (out.size() > 3000) out = out.substr(0, 3000) + "\n...";
    return TMLC_INTERNAL_ERROR("building the calibration program failed:\n" + out);
  }

  // Pass 1: ranges. Pass 2 (percentile, mse): histograms over those ranges.
  const std::string run =
      quoteArg(work + "/calib") + " " + quoteArg(work + "/samples.bin") + " " + std::to_string(samples->size());
  std::vector<Stats> stats(obs.size());
  Status st = readActivations(run, obs, samples->size(), o.progress, "ranges", [&](size_t k, const std::vector<float>& d) {
    for (float x : d)
      if (std::isfinite(x)) {
        stats[k].lo = std::min<double>(stats[k].lo, x);
        stats[k].hi = std::max<double>(stats[k].hi, x);
      }
  });
  if (st && o.method != "minmax") {
    for (Stats& s : stats) s.hist.assign(kBins, 0.0);
    st = readActivations(run, obs, samples->size(), o.progress, "histograms", [&](size_t k, const std::vector<float>& d) {
      Stats& s = stats[k];
      if (!(s.hi > s.lo)) return;
      const double inv = kBins / (s.hi - s.lo);
      for (float x : d) {
        if (!std::isfinite(x)) continue;
        int b = static_cast<int>((x - s.lo) * inv);
        s.hist[static_cast<size_t>(std::max(0, std::min(kBins - 1, b)))] += 1;
      }
    });
  }
  cleanup();
  if (!st) return st;
  for (size_t k = 0; k < obs.size(); ++k) {
    if (!(stats[k].lo <= stats[k].hi)) stats[k].lo = stats[k].hi = 0;  // never finite
    obs[k]->type.quant = choose(stats[k], o);
  }
  return Status::ok();
}

}  // namespace tmlc
