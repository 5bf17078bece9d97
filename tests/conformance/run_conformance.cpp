// run_conformance.cpp: the ONNX backend conformance suite, compiled by tmlc and
// run on the host against the suite's reference outputs.
//
// For each test folder (model.onnx + test_data_set_N/{input,output}_K.pb):
//   1. compile the model in-process (compileModel), write NAME.h/NAME.cpp;
//   2. write the inputs as raw bytes for the harness;
//   3. build all models into one harness executable, grouped into a few
//      translation units so the runtime headers are parsed a few times only;
//   4. run the harness once over all cases (resuming after a crash);
//   5. compare every output with its reference (rtol 1e-3, atol 1e-7, exact
//      for integers) and print one line per failure and a summary.
// Tests whose operators tmlc does not support are counted as unsupported, with
// the reason; a test listed in known_failures.txt may fail with its reason.
// An unsupported test must have an acceptable reason (unsupported_reasons.txt:
// one of its operators, or a phrase of the compiler's message); the summary
// counts them by reason. Exit status 1 when any other test fails or is
// unsupported for another reason.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "codegen/emit_context.h"
#include "driver/commands.h"
#include "driver/compare.h"
#include "driver/compile_model.h"
#include "driver/harness.h"
#include "driver/test_data.h"
#include "frontend/tensor_proto.h"
#include "operators_doc.h"

using namespace tmlc;

namespace {

struct TestCase {
  std::string suite, name, dir, ident;
  std::string status = "pass";  // pass, fail, unsupported, xfail
  std::string reason;
  std::string category;         // unsupported: the acceptable reason, or empty
  std::vector<std::string> ops;
  std::set<std::string> dtypes;
  std::vector<std::string> dataSets;
  std::string source;           // generated .cpp
  double maxAbs = 0;
};

std::vector<std::string> listDir(const std::string& dir) {
  std::vector<std::string> r;
  DIR* d = opendir(dir.c_str());
  if (!d) return r;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") r.push_back(n);
  }
  closedir(d);
  std::sort(r.begin(), r.end());
  return r;
}

// Operator types of a graph and of its subgraphs (If branches, Loop and Scan bodies).
void collectOps(const onnx::GraphProto& g, std::set<std::string>& ops) {
  for (const auto& n : g.node()) {
    ops.insert(n.op_type());
    for (const auto& a : n.attribute()) {
      if (a.has_g()) collectOps(a.g(), ops);
      for (const auto& sub : a.graphs()) collectOps(sub, ops);
    }
  }
}

// Operator types used by a model and the element types of its inputs and outputs.
std::vector<std::string> opsOf(const std::string& modelPath, std::set<std::string>& dtypes) {
  std::set<std::string> ops;
  onnx::ModelProto m;
  if (m.ParseFromString(readFile(modelPath))) {
    collectOps(m.graph(), ops);
    for (const auto* list : {&m.graph().input(), &m.graph().output()})
      for (const auto& v : *list)
        if (v.type().has_tensor_type()) {
          auto dt = dtypeFromOnnx(v.type().tensor_type().elem_type());
          dtypes.insert(dt ? dtypeName(*dt) : "other");
        }
  }
  return std::vector<std::string>(ops.begin(), ops.end());
}

// "KEY REASON" lines; a KEY in double quotes may hold spaces (and keeps its quotes).
std::map<std::string, std::string> readReasons(const std::string& path) {
  std::map<std::string, std::string> r;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line[0] == '"' ? line.find('"', 1) + 1 : line.find_first_of(" \t");
    if (sp == 0) continue;
    if (sp == std::string::npos) continue;
    std::string key = line.substr(0, sp), why = line.substr(line.find_first_not_of(" \t", sp));
    r[key] = why;
  }
  return r;
}

std::string jsonEscape(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    r += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return r;
}

void usage() {
  std::printf(
      "usage: run_conformance [--data DIR] [--suite NAME]... [--filter REGEX] [--work DIR]\n"
      "                       [--results FILE.json] [--known FILE] [--jobs N] [--group N] [-v]\n"
      "                       [--operators-md docs/operators.md] [--strict]\n"
      "  --strict  an unsupported test is a failure too (for suites that must all pass)\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "/usr/share/libonnx-testdata/data", work = "conformance-work", results, filter, opsDoc;
  std::string known = tmlcHome() + "/tests/conformance/known_failures.txt";
  std::vector<std::string> suites;
  int jobs = 2, group = 40;
  bool verbose = false;
  bool strict = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--data") data = next();
    else if (a == "--suite") suites.push_back(next());
    else if (a == "--filter") filter = next();
    else if (a == "--work") work = next();
    else if (a == "--results") results = next();
    else if (a == "--known") known = next();
    else if (a == "--operators-md") opsDoc = next();
    else if (a == "--jobs") jobs = std::stoi(next());
    else if (a == "--group") group = std::stoi(next());
    else if (a == "-v") verbose = true;
    else if (a == "--strict") strict = true;
    else { usage(); return 2; }
  }
  if (suites.empty()) suites = {"node", "pytorch-converted", "pytorch-operator", "simple"};
  const std::map<std::string, std::string> knownFailures = readReasons(known);
  const std::map<std::string, std::string> acceptable =
      readReasons(tmlcHome() + "/tests/conformance/unsupported_reasons.txt");
  std::regex re(filter.empty() ? ".*" : filter);

  runCommand("rm -rf " + work + " && mkdir -p " + work + "/gen " + work + "/cases", *new std::string);
  std::vector<TestCase> tests;
  for (const std::string& suite : suites) {
    for (const std::string& name : listDir(data + "/" + suite)) {
      std::string dir = data + "/" + suite + "/" + name;
      if (!pathExists(dir + "/model.onnx") || !std::regex_search(name, re)) continue;
      TestCase t;
      t.suite = suite;
      t.name = name;
      t.dir = dir;
      t.ident = "t" + std::to_string(tests.size()) + "_" + sanitizeIdent(name).substr(0, 40);
      for (const std::string& ds : listDir(dir))
        if (ds.rfind("test_data_set_", 0) == 0) t.dataSets.push_back(ds);
      t.ops = opsOf(dir + "/model.onnx", t.dtypes);
      tests.push_back(t);
    }
  }

  // 1-2: compile and stage inputs. Inputs the model needs at compile time (a
  // Reshape's shape, an axes tensor) or with dynamic dimensions take their
  // value or shape from data set 0, as a user would with --const-input or
  // --shape (driver/test_data.h, shared with `tmlc validate`).
  int64_t ioBytes = 16;
  for (TestCase& t : tests) {
    CompileOptions co;
    co.modelPath = t.dir + "/model.onnx";
    co.name = t.ident;
    auto r = compileWithTestData(co, t.dataSets.empty() ? "" : t.dir + "/" + t.dataSets[0], nullptr);
    if (!r) {
      const std::string& m = r.status().message();
      std::string firstLine = m.substr(0, m.find('\n'));
      bool unsupported = m.find("unsupported") != std::string::npos || m.find("not supported") != std::string::npos;
      t.status = unsupported ? "unsupported" : "fail";
      t.reason = firstLine;
      continue;
    }
    writeFile(work + "/gen/" + t.ident + ".h", r->header);
    writeFile(work + "/gen/" + t.ident + ".cpp", r->source);
    t.source = work + "/gen/" + t.ident + ".cpp";
    int64_t io = 0;
    for (const Value* v : r->graph->inputs) io += static_cast<int64_t>(v->type.bytes()) + 16;
    for (const Value* v : r->graph->outputs) io += static_cast<int64_t>(v->type.bytes()) + 16;
    ioBytes = std::max(ioBytes, io);
    for (const std::string& ds : t.dataSets) {
      Status st = stageInputs(*r->graph, co.modelPath, t.dir + "/" + ds, work + "/cases/" + t.ident + "/" + ds);
      if (!st) {
        t.status = "fail";
        t.reason = st.message();
        if (t.reason.rfind(t.dir + "/", 0) == 0) t.reason.erase(0, t.dir.size() + 1);  // the test's own file
        break;
      }
    }
  }

  // 3: build in groups; a group that fails to compile is retried model by model.
  std::vector<TestCase*> built;
  for (TestCase& t : tests)
    if (t.status == "pass") built.push_back(&t);
  std::vector<std::string> groupSources;
  std::map<std::string, std::vector<TestCase*>> members;
  for (size_t i = 0; i < built.size(); i += static_cast<size_t>(group)) {
    std::string g = work + "/gen/group" + std::to_string(i / static_cast<size_t>(group)) + ".cpp";
    std::string text = "// A group of generated models compiled as one translation unit.\n";
    for (size_t j = i; j < std::min(built.size(), i + static_cast<size_t>(group)); ++j) {
      text += "#include \"" + built[j]->ident + ".cpp\"\n";
      members[g].push_back(built[j]);
    }
    writeFile(g, text);
    groupSources.push_back(g);
  }
  HarnessBuild hb;
  hb.workDir = work;
  hb.includeDirs = {work + "/gen"};
  hb.ioBytes = ioBytes;
  hb.jobs = jobs;
  hb.keepGoing = true;
  hb.optFlags = "-O1";
  // Groups that fail are split into their models; models that fail alone are dropped.
  std::vector<std::string> sources = groupSources;
  Expected<HarnessBinary> bin = Status::error("not built");
  for (int attempt = 0; attempt < 3; ++attempt) {
    HarnessBuild b = hb;
    b.sources = sources;
    for (TestCase* t : built)
      if (t->status == "pass") b.modelNames.push_back(t->ident);
    bin = buildHarness(b);
    if (!bin || bin->failedSources.empty()) break;
    std::vector<std::string> next;
    for (size_t i = 0; i < sources.size(); ++i) {
      const std::string& s = sources[i];
      bool failed = std::find(bin->failedSources.begin(), bin->failedSources.end(), s) != bin->failedSources.end();
      if (!failed) {
        next.push_back(s);
      } else if (members.count(s)) {
        for (TestCase* t : members[s]) next.push_back(t->source);
      } else {
        for (TestCase* t : built) {
          if (t->source != s) continue;
          t->status = "fail";
          std::string log = readFile(work + "/m" + std::to_string(i) + ".log");
          size_t e = log.find("error");
          t->reason = "generated code does not compile: " + (e == std::string::npos ? log.substr(0, 300) : log.substr(e, 300));
          std::replace(t->reason.begin(), t->reason.end(), '\n', ' ');
        }
      }
    }
    sources = next;
  }
  if (!bin || bin->exe.empty()) {
    std::fprintf(stderr, "conformance: %s\n", bin ? "harness build did not converge" : bin.status().message().c_str());
    return 1;
  }

  // 4: run all cases, resuming after a crash.
  std::vector<std::pair<TestCase*, std::string>> cases;
  for (TestCase* t : built)
    if (t->status == "pass")
      for (const std::string& ds : t->dataSets) cases.push_back({t, work + "/cases/" + t->ident + "/" + ds});
  std::set<std::string> ran;
  size_t next = 0;
  while (next < cases.size()) {
    std::string m;
    for (size_t i = next; i < cases.size(); ++i) m += cases[i].first->ident + " " + cases[i].second + "\n";
    writeFile(work + "/manifest.txt", m);
    auto run = runHarness("host", bin->exe, work + "/manifest.txt", 300);
    if (!run) {
      std::fprintf(stderr, "conformance: %s\n", run.status().message().c_str());
      return 1;
    }
    std::istringstream lines(run->output);
    std::string line;
    size_t done = next;
    while (std::getline(lines, line)) {
      if (line.rfind("case ", 0) != 0) continue;
      ++done;
    }
    if (done >= cases.size() || run->exitCode == 0) break;
    if (run->output.find("harness done") != std::string::npos) break;
    // The case after the last one reported crashed or hung.
    cases[done].first->status = "fail";
    cases[done].first->reason = "crashed or timed out at run time (exit " + std::to_string(run->exitCode) + ")";
    next = done + 1;
  }

  // 5: compare.
  for (auto& c : cases) {
    TestCase& t = *c.first;
    if (t.status != "pass") continue;
    const std::string ds = c.second.substr(c.second.find_last_of('/') + 1);
    for (int k = 0;; ++k) {
      std::string refPath = t.dir + "/" + ds + "/output_" + std::to_string(k) + ".pb";
      if (!pathExists(refPath)) break;
      auto ref = readTensorFile(refPath);
      if (!ref) {
        t.status = "fail";
        t.reason = ref.status().message();
        break;
      }
      std::string got = readFile(c.second + "/out_" + std::to_string(k) + ".bin");
      if (!pathExists(c.second + "/out_" + std::to_string(k) + ".bin")) {
        t.status = "fail";
        t.reason = "output " + std::to_string(k) + " missing (model has fewer outputs?)";
        break;
      }
      Comparison cmp = compareTensor(*ref, got.data(), got.size(), 1e-3, 1e-7);
      t.maxAbs = std::max(t.maxAbs, cmp.maxAbs);
      if (!cmp.pass) {
        t.status = "fail";
        char buf[200];
        std::snprintf(buf, sizeof buf, "output %d of %s: %lld mismatches, max abs error %.3g (first at %lld)", k,
                      ds.c_str(), static_cast<long long>(cmp.mismatches), cmp.maxAbs,
                      static_cast<long long>(cmp.firstBad));
        t.reason = cmp.note.empty() ? buf : "output " + std::to_string(k) + ": " + cmp.note;
        break;
      }
    }
  }

  // Report.
  std::map<std::string, std::map<std::string, int>> counts;  // suite -> status -> n
  std::map<std::string, int> byReason;                        // unsupported tests per reason
  int unexpected = 0;
  for (TestCase& t : tests) {
    auto kf = knownFailures.find(t.name);
    if (t.status == "fail" && kf != knownFailures.end()) {
      t.status = "xfail";
      t.reason = kf->second + " (" + t.reason + ")";
    }
    if (t.status == "unsupported") {
      for (const std::string& op : t.ops)
        if (acceptable.count(op)) {
          t.reason = op + ": " + acceptable.at(op);
          t.category = acceptable.at(op);
        }
      for (const auto& kv : acceptable)
        if (t.category.empty() && kv.first[0] == '"' &&
            t.reason.find(kv.first.substr(1, kv.first.size() - 2)) != std::string::npos)
          t.category = kv.second;
      byReason[t.category.empty() ? "(not an acceptable reason)" : t.category]++;
    }
    counts[t.suite][t.status]++;
    if (t.status == "fail" || (t.status == "unsupported" && (strict || t.category.empty()))) {
      ++unexpected;
      std::printf("%s %s/%s: %s\n", t.status == "fail" ? "FAIL" : "UNSUPPORTED", t.suite.c_str(), t.name.c_str(),
                  t.reason.c_str());
    } else if (verbose) {
      std::printf("%s %s/%s %s\n", t.status.c_str(), t.suite.c_str(), t.name.c_str(), t.reason.c_str());
    }
  }
  int total[4] = {0, 0, 0, 0};
  for (auto& s : counts) {
    std::printf("conformance %-18s passed %4d, failed %3d, known failures %3d, unsupported %4d\n", s.first.c_str(),
                s.second["pass"], s.second["fail"], s.second["xfail"], s.second["unsupported"]);
    total[0] += s.second["pass"];
    total[1] += s.second["fail"];
    total[2] += s.second["xfail"];
    total[3] += s.second["unsupported"];
  }
  std::printf("conformance: passed %d, failed %d, known failures %d, unsupported %d (of %zu)\n", total[0], total[1],
              total[2], total[3], tests.size());
  for (const auto& r : byReason) std::printf("conformance unsupported: %4d %s\n", r.second, r.first.c_str());
  if (!results.empty()) {
    std::string j = "{\n  \"tests\": [\n";
    for (size_t i = 0; i < tests.size(); ++i) {
      const TestCase& t = tests[i];
      std::string ops;
      for (const std::string& o : t.ops) ops += (ops.empty() ? "\"" : ", \"") + o + "\"";
      j += "    {\"suite\": \"" + t.suite + "\", \"name\": \"" + t.name + "\", \"status\": \"" + t.status +
           "\", \"ops\": [" + ops + "], \"reason\": \"" + jsonEscape(t.reason) +
           "\", \"category\": \"" + jsonEscape(t.category) + "\"}" +
           (i + 1 < tests.size() ? ",\n" : "\n");
    }
    j += "  ]\n}\n";
    writeFile(results, j);
  }
  if (!opsDoc.empty()) {
    std::vector<ConformanceRecord> recs;
    for (const TestCase& t : tests) recs.push_back({t.suite, t.name, t.status, t.reason, t.ops, t.dtypes});
    writeFile(opsDoc, operatorsMarkdown(recs));
  }
  return unexpected ? 1 : 0;
}
