// run_targets.cpp: the regression suite on the Cortex-M targets.
//
// Every ONNX conformance test that passes on the host, and the models given
// with --model, are built for each target in batched firmware images (many
// models per image, one QEMU boot per image), run in QEMU, and their outputs
// compared with the host's: integers and booleans bit-exact, floats within
// --rtol/--atol (how many float outputs are bit-identical is reported too).
//
//   1. collect the tests: conformance folders (model.onnx + test_data_set_N)
//      of --suite under --data matching --filter, every --sample'th of them
//      (the quick subset; --suite none for no conformance tests), plus each
//      --model M.onnx[=DATA_DIR] (its data gives inputs only; without data,
//      pseudo-random inputs: the host is the oracle), and each --model-int8
//      M.onnx=DIR: the model quantized as bench/run_bench.py's int8 rows do
//      (--quantize int8 --calibration DIR --quantize-io int8), its data sets
//      giving the calibration samples and (the first --int8-cases N of
//      them) the inputs;
//   2. host: compile each (inputs the model needs at compile time are frozen
//      to data set 0's values, as the conformance runner does), stage the
//      inputs, build one host harness, run it, compare with the references;
//      a test that does not pass on the host is left out, and counted;
//   3. per target: compile for the target; a model over the target's memory
//      budget counts as "does not fit" (compileModel's error says why); pack
//      the rest into images within the target's RAM and flash; build each
//      image (a model whose code does not compile for the target fails) --
//      an image whose link overflows is split in two; run each image in QEMU,
//      resuming after a case that crashes; compare with the host;
//   4. print a summary per target, a line per failure, and optionally a JSON
//      file of every case (instructions, stack); exit 1 on any failure.
//
// Usage: run_targets --targets T1,T2,... [--suite NAME]... [--filter REGEX]
//                    [--sample N] [--model M.onnx[=DIR]]...
//                    [--model-int8 M.onnx=DIR]... [--int8-cases N] [--work DIR]
//                    [--host-dir DIR] [--compiler gcc|clang] [--jobs N]
//                    [--results FILE.json] [-v]
// --host-dir keeps the inputs and the host's outputs and verdicts in DIR; a
// later run with the same selection of tests reuses them (the per-target ctest
// tests share one host run this way).
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "codegen/emit_context.h"
#include "driver/budget.h"
#include "driver/commands.h"
#include "driver/compare.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "driver/test_data.h"
#include "frontend/tensor_proto.h"
#include "targets/target.h"

using namespace tmlc;

namespace {

// Seconds since the start, for the progress lines.
double elapsed() {
  static const auto start = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Test {
  std::string label;        // suite/name
  std::string model, dataDir, ident;
  std::vector<std::string> sets;  // data set folders (empty: random inputs)
  bool checkReference = true;      // conformance tests: the host must match output_K.pb
  CompileOptions co;               // with frozen inputs and shapes found on the host
  std::vector<DType> outTypes;
  std::vector<Shape> outShapes;
  int numCases = 0;
  bool hostOk = false;
  std::string hostWhy;
};

struct Outcome {
  std::string status = "pass";  // pass, fail, nofit
  std::string why;
  unsigned long long instructions = 0;
  unsigned long stack = 0;
  int floatOutputs = 0, bitIdentical = 0;
  double maxAbs = 0;
};

struct Options {
  std::vector<std::string> targets, suites;
  std::vector<std::pair<std::string, bool>> models;  // M.onnx[=DIR], quantized to int8
  std::string data = "/usr/share/libonnx-testdata/data", filter, work = "targets-work", compiler = "gcc", results;
  std::string hostDir;  // inputs and host outputs; shared between runs with --host-dir
  int sample = 1, jobs = 2, group = 20;
  int int8Cases = 0;  // data sets run per --model-int8 model; 0: all
  double rtol = 1e-3, atol = 1e-5;
  bool verbose = false;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> r;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, sep))
    if (!x.empty()) r.push_back(x);
  return r;
}

std::vector<std::string> listDir(const std::string& dir) {
  std::string out;
  runCommand("ls -1 " + shellQuote(dir), out);
  auto r = split(out, '\n');
  std::sort(r.begin(), r.end());
  return r;
}

std::string caseDir(const Options& o, const Test& t, int k) {
  return o.hostDir + "/inputs/" + t.ident + "/" + std::to_string(k);
}
std::string outDir(const Options& o, const std::string& target, const Test& t, int k) {
  return (target == "host" ? o.hostDir : o.work) + "/" + target + "/out/" + t.ident + "/" + std::to_string(k);
}

// Deterministic pseudo-random inputs for a model without data.
Status stageRandomInputs(const Graph& g, const std::string& dir, uint32_t seed) {
  std::string ignored;
  runCommand("mkdir -p " + shellQuote(dir), ignored);
  uint32_t x = seed * 2654435761u + 12345u;
  auto next = [&]() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    const TensorType& t = g.inputs[k]->type;
    Tensor v = Tensor::zeros(t.dtype, t.shape);
    for (int64_t i = 0; i < v.numel(); ++i) {
      double u = (next() % 20001) / 10000.0 - 1.0;  // [-1, 1]
      std::vector<int64_t> one = {0};
      if (isFloat(t.dtype)) {
        if (t.dtype == DType::Float32) v.data<float>()[i] = static_cast<float>(u);
        else if (t.dtype == DType::Float64) v.data<double>()[i] = u;
        else return Status::error("random inputs of " + std::string(dtypeName(t.dtype)) + " are not supported");
      } else {
        one[0] = t.dtype == DType::Bool ? static_cast<int64_t>(next() & 1) : static_cast<int64_t>(u * 10);
        Tensor e = Tensor::fromInts(t.dtype, {1}, one);
        std::memcpy(v.bytes.data() + i * dtypeSize(t.dtype), e.bytes.data(), dtypeSize(t.dtype));
      }
    }
    if (!writeFile(dir + "/in_" + std::to_string(k) + ".bin", std::string(v.bytes.begin(), v.bytes.end())))
      return Status::error("cannot write " + dir);
  }
  return Status::ok();
}

// Builds `sources` (with their models) into a harness in `dir`; sources that
// do not compile are split (a group file) or reported in `bad`.
Expected<HarnessBinary> buildImage(const Options& o, const std::string& target, const std::string& dir,
                                   std::vector<std::string> sources,
                                   const std::map<std::string, std::vector<Test*>>& members, int64_t ioBytes,
                                   std::map<Test*, std::string>& bad) {
  std::string ignored;
  runCommand("mkdir -p " + shellQuote(dir), ignored);
  for (int attempt = 0; attempt < 3; ++attempt) {
    HarnessBuild b;
    b.workDir = dir;
    b.target = target;
    b.includeDirs = {(target == "host" ? o.hostDir : o.work) + "/" + target + "/gen"};
    b.ioBytes = ioBytes;
    b.jobs = o.jobs;
    b.keepGoing = true;
    b.optFlags = "-O1";
    b.compiler = o.compiler;
    b.sources = sources;
    for (const std::string& s : sources)
      for (Test* t : members.at(s))
        if (!bad.count(t)) b.modelNames.push_back(t->ident);
    auto bin = buildHarness(b);
    if (!bin || bin->failedSources.empty()) return bin;
    std::vector<std::string> next;
    for (size_t i = 0; i < sources.size(); ++i) {
      const std::string& s = sources[i];
      if (std::find(bin->failedSources.begin(), bin->failedSources.end(), s) == bin->failedSources.end()) {
        next.push_back(s);
        continue;
      }
      const std::vector<Test*>& ms = members.at(s);
      if (ms.size() == 1) {
        std::string log = readFile(dir + "/m" + std::to_string(i) + ".log");
        size_t e = log.find("error");
        std::string why = "does not compile for " + target + ": " + log.substr(e == std::string::npos ? 0 : e, 300);
        std::replace(why.begin(), why.end(), '\n', ' ');
        bad[ms[0]] = why;
      } else {
        for (Test* t : ms) next.push_back(b.includeDirs[0] + "/" + t->ident + ".cpp");
      }
    }
    sources = next;
    if (sources.empty()) return Status::error("no model of the image compiles");
  }
  return Status::error("the image build did not converge");
}

}  // namespace

int main(int argc, char** argv) {
  elapsed();
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--targets") o.targets = split(next(), ',');
    else if (a == "--suite") o.suites.push_back(next());
    else if (a == "--data") o.data = next();
    else if (a == "--filter") o.filter = next();
    else if (a == "--sample") o.sample = std::max(1, std::atoi(next().c_str()));
    else if (a == "--model") o.models.push_back({next(), false});
    else if (a == "--model-int8") o.models.push_back({next(), true});
    else if (a == "--int8-cases") o.int8Cases = std::max(0, std::atoi(next().c_str()));
    else if (a == "--work") o.work = next();
    else if (a == "--host-dir") o.hostDir = next();
    else if (a == "--compiler") o.compiler = next();
    else if (a == "--jobs") o.jobs = std::max(1, std::atoi(next().c_str()));
    else if (a == "--group") o.group = std::max(1, std::atoi(next().c_str()));
    else if (a == "--results") o.results = next();
    else if (a == "--rtol") o.rtol = std::atof(next().c_str());
    else if (a == "--atol") o.atol = std::atof(next().c_str());
    else if (a == "-v") o.verbose = true;
    else {
      std::fprintf(stderr, "usage: run_targets --targets T1,T2 [--suite S]... [--filter RE] [--sample N]\n"
                           "       [--model M.onnx[=DIR]]... [--model-int8 M.onnx=DIR]... [--int8-cases N] [--work DIR]\n"
                           "       [--compiler gcc|clang] [--results F.json]\n");
      return 2;
    }
  }
  if (o.targets.empty() && o.hostDir.empty()) {
    std::fprintf(stderr, "run_targets: --targets is required (or --host-dir alone, to prepare the host run)\n");
    return 2;
  }
  if (o.suites.empty()) o.suites = {"node", "pytorch-converted", "pytorch-operator", "simple"};
  if (o.suites.size() == 1 && o.suites[0] == "none") o.suites.clear();
  std::string ignored;
  runCommand("rm -rf " + shellQuote(o.work) + " && mkdir -p " + shellQuote(o.work), ignored);
  o.work = std::string(realpath(o.work.c_str(), nullptr));
  if (o.hostDir.empty()) o.hostDir = o.work + "/hostrun";
  // Without targets, this run prepares the shared host run: from scratch.
  if (o.targets.empty()) runCommand("rm -rf " + shellQuote(o.hostDir), ignored);
  runCommand("mkdir -p " + shellQuote(o.hostDir), ignored);
  o.hostDir = std::string(realpath(o.hostDir.c_str(), nullptr));
  const std::string statusFile = o.hostDir + "/host-status.txt";
  const bool reuseHost = pathExists(statusFile);

  // 1: collect.
  std::vector<Test> tests;
  std::regex re(o.filter.empty() ? ".*" : o.filter);
  int seen = 0;
  for (const std::string& suite : o.suites)
    for (const std::string& name : listDir(o.data + "/" + suite)) {
      std::string dir = o.data + "/" + suite + "/" + name;
      if (!pathExists(dir + "/model.onnx") || !std::regex_search(name, re)) continue;
      if (seen++ % o.sample) continue;
      Test t;
      t.label = suite + "/" + name;
      t.model = dir + "/model.onnx";
      t.dataDir = dir;
      tests.push_back(t);
    }
  for (const auto& [m, int8] : o.models) {
    Test t;
    size_t eq = m.find('=');
    t.model = m.substr(0, eq);
    if (eq != std::string::npos) t.dataDir = m.substr(eq + 1);
    t.label = t.model.substr(t.model.find_last_of('/') + 1);
    if (int8) {
      if (t.dataDir.empty()) {
        std::fprintf(stderr, "run_targets: --model-int8 %s needs =DIR (its calibration samples)\n", m.c_str());
        return 2;
      }
      t.label += "[int8]";  // no spaces: the host status file is read word by word
      t.co.quant.mode = "int8";
      t.co.quant.calibrationDir = t.dataDir;
      t.co.quant.io = "int8";
      t.co.quant.progress = false;
    }
    t.checkReference = false;  // the data only provides inputs; the model's own tests check accuracy
    tests.push_back(t);
  }
  for (size_t i = 0; i < tests.size(); ++i) {
    Test& t = tests[i];
    t.ident = "t" + std::to_string(i) + "_" + sanitizeIdent(t.label.substr(t.label.find('/') + 1)).substr(0, 40);
    if (!t.dataDir.empty()) t.sets = listDataSets(t.dataDir);
    if (!t.co.quant.mode.empty() && o.int8Cases > 0 && t.sets.size() > static_cast<size_t>(o.int8Cases))
      t.sets.resize(static_cast<size_t>(o.int8Cases));
  }

  // 2: host.
  int64_t hostIo = 16;
  std::map<std::string, std::vector<Test*>> hostMembers;
  std::vector<std::string> hostSources;
  std::string hostManifest;
  int unsupported = 0;
  for (Test& t : tests) {
    t.co.modelPath = t.model;
    t.co.name = t.ident;
    t.co.target = "host";
    std::vector<int> frozen;
    auto r = compileWithTestData(t.co, t.sets.empty() ? "" : t.sets[0], &frozen);
    if (!r) {
      const std::string& m = r.status().message();
      if (m.find("not supported") != std::string::npos || m.find("unsupported") != std::string::npos) ++unsupported;
      else t.hostWhy = "does not compile on the host: " + m.substr(0, m.find('\n'));
      continue;
    }
    writeFile(o.hostDir + "/host/gen/" + t.ident + ".h", r->header);
    writeFile(o.hostDir + "/host/gen/" + t.ident + ".cpp", r->source);
    int64_t io = 16;
    for (const Value* v : r->graph->inputs) io += static_cast<int64_t>(v->type.bytes()) + 16;
    for (const Value* v : r->graph->outputs) {
      io += static_cast<int64_t>(v->type.bytes()) + 16;
      t.outTypes.push_back(v->type.dtype);
      t.outShapes.push_back(v->type.shape);
    }
    hostIo = std::max(hostIo, io);
    t.numCases = t.sets.empty() ? 1 : static_cast<int>(t.sets.size());
    if (reuseHost) continue;
    Status st;
    for (int k = 0; k < t.numCases && st; ++k)
      st = t.sets.empty() ? stageRandomInputs(*r->graph, caseDir(o, t, k), static_cast<uint32_t>(k + 1))
                          : stageInputs(*r->graph, t.model, t.sets[k], caseDir(o, t, k));
    if (!st) {
      t.hostWhy = st.message();
      continue;
    }
    t.hostOk = true;
  }
  if (reuseHost) {
    // The host's verdicts from the run that made the cache (same selection).
    std::map<std::string, std::pair<std::string, std::string>> status;  // ident -> (label, verdict)
    std::istringstream in(readFile(statusFile));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string ident, verdict, label;
      f >> ident >> verdict >> label;
      status[ident] = {label, verdict};
    }
    int hostPassed = 0;
    for (Test& t : tests) {
      auto it = status.find(t.ident);
      if (it == status.end() || it->second.first != t.label) {
        std::fprintf(stderr, "run_targets: %s was made for other tests (%s); run with the same selection\n",
                     statusFile.c_str(), t.label.c_str());
        return 2;
      }
      t.hostOk = it->second.second == "ok";
      hostPassed += t.hostOk;
    }
    std::printf("host: %d of %zu tests passed in %s [%.0f s]\n", hostPassed, tests.size(), o.hostDir.c_str(),
                elapsed());
  } else {
  // Host harness: groups of models per translation unit.
  std::vector<Test*> hostTests;
  for (Test& t : tests)
    if (t.hostOk) hostTests.push_back(&t);
  for (size_t i = 0; i < hostTests.size(); i += static_cast<size_t>(o.group)) {
    std::string g = o.hostDir + "/host/gen/group" + std::to_string(i / static_cast<size_t>(o.group)) + ".cpp";
    std::string text;
    for (size_t j = i; j < std::min(hostTests.size(), i + static_cast<size_t>(o.group)); ++j) {
      text += "#include \"" + hostTests[j]->ident + ".cpp\"\n";
      hostMembers[g].push_back(hostTests[j]);
    }
    writeFile(g, text);
    hostSources.push_back(g);
  }
  for (Test* t : hostTests) hostMembers[o.hostDir + "/host/gen/" + t->ident + ".cpp"] = {t};
  std::map<Test*, std::string> hostBad;
  auto hostBin = buildImage(o, "host", o.hostDir + "/host/build", hostSources, hostMembers, hostIo, hostBad);
  if (!hostBin) {
    std::fprintf(stderr, "run_targets: host build: %s\n", hostBin.status().message().c_str());
    return 1;
  }
  for (auto& [t, why] : hostBad) {
    t->hostOk = false;
    t->hostWhy = why;
  }
  for (Test* t : hostTests)
    if (t->hostOk)
      for (int k = 0; k < t->numCases; ++k) {
        runCommand("mkdir -p " + shellQuote(outDir(o, "host", *t, k)), ignored);
        hostManifest += t->ident + " " + caseDir(o, *t, k) + " " + outDir(o, "host", *t, k) + "\n";
      }
  writeFile(o.hostDir + "/host/manifest.txt", hostManifest);
  auto hostRun = runHarness("host", hostBin->exe, o.hostDir + "/host/manifest.txt", 600);
  if (!hostRun) return 1;
  std::map<std::string, int> hostCases;
  for (const HarnessCase& c : parseHarnessOutput(hostRun->output)) hostCases[c.model]++;
  int hostPassed = 0;
  for (Test* t : hostTests) {
    if (!t->hostOk) continue;
    if (hostCases[t->ident] != t->numCases) {
      t->hostOk = false;
      t->hostWhy = "did not run on the host";
      continue;
    }
    for (int k = 0; t->checkReference && k < static_cast<int>(t->sets.size()) && t->hostOk; ++k)
      for (size_t j = 0; j < t->outTypes.size(); ++j) {
        auto ref = readTensorFile(t->sets[k] + "/output_" + std::to_string(j) + ".pb");
        if (!ref) continue;
        std::string got = readFile(outDir(o, "host", *t, k) + "/out_" + std::to_string(j) + ".bin");
        if (!compareTensor(*ref, got.data(), got.size(), 1e-3, 1e-7).pass) {
          t->hostOk = false;
          t->hostWhy = "does not match its reference on the host";
          break;
        }
      }
    hostPassed += t->hostOk;
  }
  std::printf("host: %d of %zu tests pass (%d unsupported) and are run on the targets [%.0f s]\n", hostPassed,
              tests.size(), unsupported, elapsed());
  for (const Test& t : tests)
    if (!t.hostOk && !t.hostWhy.empty() && o.verbose) std::printf("  not run: %s: %s\n", t.label.c_str(), t.hostWhy.c_str());
  std::string statusText;
  for (const Test& t : tests) statusText += t.ident + (t.hostOk ? " ok " : " no ") + t.label + "\n";
  writeFile(statusFile, statusText);
  }

  // 3: targets.
  int failures = 0;
  std::map<std::string, std::map<const Test*, Outcome>> results;
  for (const std::string& target : o.targets) {
    auto loaded = loadTarget(target);
    if (!loaded) {
      std::fprintf(stderr, "run_targets: %s\n", loaded.status().message().c_str());
      return 2;
    }
    const Target& T = **loaded;
    std::map<const Test*, Outcome>& res = results[T.name];
    // Compile for the target, with what the host run settled (frozen inputs, shapes).
    struct Item {
      Test* t;
      int64_t ram, flash, io;
    };
    std::vector<Item> items;
    for (Test& t : tests) {
      if (!t.hostOk) continue;
      CompileOptions co = t.co;
      co.target = target;
      auto r = compileModel(co);
      if (!r) {
        Outcome& oc = res[&t];
        const std::string& m = r.status().message();
        oc.status = m.find("does not fit") != std::string::npos ? "nofit" : "fail";
        oc.why = m.substr(0, m.find('\n'));
        continue;
      }
      writeFile(o.work + "/" + target + "/gen/" + t.ident + ".h", r->header);
      writeFile(o.work + "/" + target + "/gen/" + t.ident + ".cpp", r->source);
      int64_t io = 16, nodes = 0;
      for (const Value* v : r->graph->inputs) io += static_cast<int64_t>(v->type.bytes()) + 16;
      for (const Value* v : r->graph->outputs) io += static_cast<int64_t>(v->type.bytes()) + 16;
      for (const auto& n : r->graph->nodes) nodes += !n->dead;
      items.push_back({&t, r->arenaBytes, r->weightBytes + 1024 + 512 * nodes, io});
    }
    if (o.verbose) std::printf("  %s: compiled [%.0f s]\n", T.name.c_str(), elapsed());
    // Pack into images: what the harness, libc, stack and heap leave of the budget.
    const int64_t ramRoom = T.ramBytes ? T.ramBytes - T.stackBytes - T.heapBytes - 6 * 1024 : INT64_MAX;
    const int64_t flashRoom = T.flashBytes ? T.flashBytes - 48 * 1024 : INT64_MAX;
    std::vector<std::vector<Item>> images;
    int64_t ram = 0, flash = 0, io = 0;
    for (const Item& it : items) {
      if (it.ram + it.io > ramRoom || it.flash > flashRoom) {
        res[it.t] = {"nofit", "with the test harness it needs more than " + T.name + "'s memory"};
        continue;
      }
      bool full = images.empty() || ram + it.ram + std::max(io, it.io) > ramRoom || flash + it.flash > flashRoom ||
                  images.back().size() >= 400;
      if (full) {
        images.push_back({});
        ram = flash = io = 0;
      }
      images.back().push_back(it);
      ram += it.ram;
      flash += it.flash;
      io = std::max(io, it.io);
    }
    // Build and run each image; an image whose link overflows is split.
    int builtImages = 0;
    for (size_t n = 0; n < images.size(); ++n) {
      std::vector<Item> img = images[n];
      const std::string dir = o.work + "/" + target + "/img" + std::to_string(n);
      std::map<std::string, std::vector<Test*>> members;
      std::vector<std::string> sources;
      int64_t imgIo = 16;
      for (size_t i = 0; i < img.size(); i += static_cast<size_t>(o.group)) {
        std::string g = dir + "_group" + std::to_string(i / static_cast<size_t>(o.group)) + ".cpp";
        std::string text;
        for (size_t j = i; j < std::min(img.size(), i + static_cast<size_t>(o.group)); ++j) {
          text += "#include \"" + img[j].t->ident + ".cpp\"\n";
          members[g].push_back(img[j].t);
        }
        writeFile(g, text);
        sources.push_back(g);
      }
      for (const Item& it : img) {
        members[o.work + "/" + target + "/gen/" + it.t->ident + ".cpp"] = {it.t};
        imgIo = std::max(imgIo, it.io);
      }
      std::map<Test*, std::string> bad;
      auto bin = buildImage(o, target, dir, sources, members, imgIo, bad);
      for (auto& [t, why] : bad) res[t] = {"fail", why};
      if (!bin && bin.status().message().find("does not fit") != std::string::npos) {
        if (img.size() == 1) {
          res[img[0].t] = {"nofit", "the image does not link: " + T.name + "'s memory overflows"};
          continue;
        }
        size_t half = img.size() / 2;
        images.push_back(std::vector<Item>(img.begin(), img.begin() + static_cast<long>(half)));
        images.push_back(std::vector<Item>(img.begin() + static_cast<long>(half), img.end()));
        continue;
      }
      if (!bin) {
        for (const Item& it : img)
          if (!res.count(it.t)) res[it.t] = {"fail", "image build failed: " + bin.status().message().substr(0, 300)};
        continue;
      }
      ++builtImages;
      if (o.verbose) std::printf("  %s: image %zu built, %zu models [%.0f s]\n", T.name.c_str(), n, img.size(), elapsed());
      // Run, resuming after a case that crashes or hangs.
      std::vector<std::pair<Test*, int>> cases;
      for (const Item& it : img)
        if (!res.count(it.t))
          for (int k = 0; k < it.t->numCases; ++k) {
            cases.push_back({it.t, k});
            runCommand("mkdir -p " + shellQuote(outDir(o, target, *it.t, k)), ignored);
          }
      size_t next = 0;
      while (next < cases.size()) {
        std::string m;
        for (size_t i = next; i < cases.size(); ++i)
          m += cases[i].first->ident + " " + caseDir(o, *cases[i].first, cases[i].second) + " " +
               outDir(o, target, *cases[i].first, cases[i].second) + "\n";
        writeFile(dir + "/manifest.txt", m);
        auto run = runHarness(target, bin->exe, dir + "/manifest.txt", 900);
        if (!run) return 1;
        size_t done = next;
        for (const HarnessCase& c : parseHarnessOutput(run->output)) {
          Outcome& oc = res[cases[done].first];
          oc.instructions = std::max(oc.instructions, c.instructions);
          oc.stack = std::max(oc.stack, c.stack);
          ++done;
        }
        if (done >= cases.size() || run->output.find("harness done") != std::string::npos) break;
        std::string tail = run->output.substr(run->output.size() > 200 ? run->output.size() - 200 : 0);
        std::replace(tail.begin(), tail.end(), '\n', ' ');
        res[cases[done].first] = {"fail", "crashed or hung in QEMU (exit " + std::to_string(run->exitCode) + "): " + tail};
        next = done + 1;
      }
    }
    // 4: compare with the host.
    int passed = 0, failed = 0, nofit = 0, floats = 0, identical = 0;
    unsigned long long instructions = 0;
    for (Test& t : tests) {
      if (!t.hostOk) continue;
      Outcome& oc = res[&t];
      if (oc.status == "pass" && T.stackBytes > 0 && static_cast<int64_t>(oc.stack) >= T.stackBytes) {
        oc.status = "fail";
        oc.why = "overflowed the " + std::to_string(T.stackBytes) + "-byte stack";
      }
      for (int k = 0; k < t.numCases && oc.status == "pass"; ++k)
        for (size_t j = 0; j < t.outTypes.size(); ++j) {
          Tensor host;
          host.dtype = t.outTypes[j];
          host.shape = t.outShapes[j];
          std::string h = readFile(outDir(o, "host", t, k) + "/out_" + std::to_string(j) + ".bin");
          host.bytes.assign(h.begin(), h.end());
          std::string got = readFile(outDir(o, target, t, k) + "/out_" + std::to_string(j) + ".bin");
          Comparison c = compareTensor(host, got.data(), got.size(), o.rtol, o.atol);
          oc.maxAbs = std::max(oc.maxAbs, c.maxAbs);
          if (isFloat(host.dtype)) {
            ++oc.floatOutputs;
            oc.bitIdentical += got == h;
          }
          if (!c.pass) {
            oc.status = "fail";
            char buf[200];
            std::snprintf(buf, sizeof buf, "output %zu of case %d differs from the host: %lld mismatches, max abs %.3g",
                          j, k, static_cast<long long>(c.mismatches), c.maxAbs);
            oc.why = c.note.empty() ? buf : c.note;
            break;
          }
        }
      if (oc.status == "pass") {
        ++passed;
        floats += oc.floatOutputs;
        identical += oc.bitIdentical;
        instructions += oc.instructions;
      } else if (oc.status == "nofit") {
        ++nofit;
        if (o.verbose) std::printf("  does not fit %s: %s: %s\n", T.name.c_str(), t.label.c_str(), oc.why.c_str());
      } else {
        ++failed;
        std::printf("FAIL %s %s: %s\n", T.name.c_str(), t.label.c_str(), oc.why.c_str());
      }
    }
    failures += failed;
    std::printf("%-11s passed %4d, failed %3d, does not fit %3d (%d images); float outputs bit-identical to the host: "
                "%d of %d; %llu instructions in all [%.0f s]\n",
                T.name.c_str(), passed, failed, nofit, builtImages, identical, floats, instructions, elapsed());
    std::fflush(stdout);
  }

  if (!o.results.empty()) {
    std::string j = "{\"targets\": {";
    bool firstT = true;
    for (auto& [target, res] : results) {
      j += std::string(firstT ? "" : ",") + "\n  \"" + target + "\": [";
      firstT = false;
      bool first = true;
      for (auto& [t, oc] : res) {
        j += std::string(first ? "" : ",") + "\n    {\"test\": \"" + t->label + "\", \"status\": \"" + oc.status +
             "\", \"instructions\": " + std::to_string(oc.instructions) + ", \"stack\": " + std::to_string(oc.stack) +
             "}";
        first = false;
      }
      j += "\n  ]";
    }
    j += "\n}}\n";
    writeFile(o.results, j);
  }
  return failures ? 1 : 0;
}
