// fuzz_frontend: mutates valid models and checks that `tmlc compile` on the
// result only ever succeeds (exit 0) or reports one error (exit 1, one
// "error: " line on stderr) -- never crashes, aborts or hangs.
//
//   fuzz_frontend --work DIR [--cases N] [--seed S] [--build-every K] MODEL.{onnx,onnxtxt,py}...
//   fuzz_frontend --work DIR --replay MODEL CASE [--seed S]
//
// Each case draws one mutation from a generator seeded by (seed, model, case),
// so every failure can be replayed. Half the mutations are on bytes (bit
// flips, interesting bytes, truncation, deleted, duplicated or random
// ranges), half on the parsed ModelProto (dims, dtypes, attributes, op types,
// node inputs, opsets, graph inputs, also inside If/Loop/Scan bodies), which
// reaches far deeper than byte flips that mostly break the protobuf framing.
// Each case runs in a forked child through the same entry point as tmlc's main
// (runCompileCommand), with a 20-second alarm; a failing case's model is kept
// in DIR for reproduction.
// With --build-every K, the code generated for every K-th model that compiles
// is also built with c++ -Wall -Wextra -Werror (-fsyntax-only).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

namespace {

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// .onnx as is; .onnxtxt parsed; .py run with Debian's python3 to write one
// (into `work`, as tests/lit's *.py models do with their first argument).
bool loadModel(const std::string& path, const std::string& work, std::string& bytes) {
  if (path.size() > 3 && path.substr(path.size() - 3) == ".py") {
    const std::string out = work + "/seed.onnx";
    const std::string cmd = "/usr/bin/python3 '" + path + "' '" + out + "' > /dev/null";
    if (std::system(cmd.c_str()) != 0) return false;
    bytes = readFile(out);
    return !bytes.empty();
  }
  std::string data = readFile(path);
  if (data.empty()) return false;
  if (path.size() > 8 && path.substr(path.size() - 8) == ".onnxtxt") {
    onnx::ModelProto m;
    if (!onnx::OnnxParser::Parse(m, data.c_str()).IsOK()) return false;
    for (auto& n : *m.mutable_graph()->mutable_node())
      if (n.name().empty() && n.output_size()) n.set_name(n.op_type() + "_" + n.output(0));
    return m.SerializeToString(&bytes);
  }
  bytes = data;
  return true;
}

using Rng = std::mt19937_64;

size_t pick(Rng& r, size_t n) { return n ? static_cast<size_t>(r() % n) : 0; }

int64_t interestingInt(Rng& r) {
  static const int64_t v[] = {-1, 0, 1, 2, 3, 7, 255, 65536, 1 << 30, -(int64_t(1) << 31), int64_t(1) << 40,
                              std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(), -2};
  return v[pick(r, sizeof v / sizeof v[0])];
}

float interestingFloat(Rng& r) {
  static const float v[] = {0.f, -0.f, 1.f, -1.f, 1e-45f, 3.4e38f, -3.4e38f, INFINITY, -INFINITY, NAN, 0.5f};
  return v[pick(r, sizeof v / sizeof v[0])];
}

// ---------------------------------------------------------------- bytes

void mutateBytes(std::string& b, Rng& r) {
  if (b.empty()) return;
  switch (r() % 6) {
    case 0:  // flip bits
      for (int i = 0, n = 1 + int(r() % 8); i < n; ++i) b[pick(r, b.size())] ^= char(1 << (r() % 8));
      break;
    case 1: {  // interesting bytes
      static const char v[] = {0, '\xff', '\x7f', '\x80', '\x01', '\x08', '\x12', '\x1a'};
      for (int i = 0, n = 1 + int(r() % 4); i < n; ++i) b[pick(r, b.size())] = v[pick(r, sizeof v)];
      break;
    }
    case 2:  // truncate
      b.resize(pick(r, b.size()));
      break;
    case 3: {  // delete a range
      size_t at = pick(r, b.size()), len = 1 + pick(r, std::min<size_t>(64, b.size() - at));
      b.erase(at, len);
      break;
    }
    case 4: {  // duplicate a range
      size_t at = pick(r, b.size()), len = 1 + pick(r, std::min<size_t>(64, b.size() - at));
      b.insert(pick(r, b.size()), b.substr(at, len));
      break;
    }
    default: {  // random bytes
      size_t at = pick(r, b.size());
      for (size_t i = at; i < std::min(b.size(), at + 1 + pick(r, 16)); ++i) b[i] = char(r());
    }
  }
}

// ---------------------------------------------------------------- structure

const char* const kOps[] = {"Conv",  "Gemm",    "Relu",      "Reshape", "Concat",  "Gather",     "Pad",
                            "Transpose", "MaxPool", "AveragePool", "Softmax", "Add", "Mul",     "Div",
                            "BatchNormalization", "Squeeze", "Unsqueeze", "Flatten", "Slice", "Split",
                            "ReduceMean", "Clip", "MatMul", "GlobalAveragePool", "Shape", "Expand", "Tile",
                            "Resize", "Identity", "Cast", "Sigmoid", "LeakyRelu", "Where", "TopK"};
const char* const kAttrs[] = {"axis", "axes", "pads", "strides", "kernel_shape", "dilations", "group", "perm",
                              "shape", "transA", "transB", "alpha", "epsilon", "auto_pad", "keepdims", "to",
                              "value", "split", "allowzero", "mode", "ceil_mode"};

void mutateDims(google::protobuf::RepeatedField<int64_t>* dims, Rng& r) {
  if (dims->empty() || r() % 4 == 0) {
    dims->Add(interestingInt(r));
  } else if (r() % 3 == 0) {
    dims->RemoveLast();
  } else {
    dims->Set(int(pick(r, size_t(dims->size()))), interestingInt(r));
  }
}

void mutateAttribute(onnx::AttributeProto& a, Rng& r) {
  switch (r() % 6) {
    case 0: a.set_i(interestingInt(r)); a.set_type(onnx::AttributeProto::INT); break;
    case 1:
      a.clear_ints();
      for (int i = 0, n = int(r() % 9); i < n; ++i) a.add_ints(interestingInt(r));
      a.set_type(onnx::AttributeProto::INTS);
      break;
    case 2: a.set_f(interestingFloat(r)); a.set_type(onnx::AttributeProto::FLOAT); break;
    case 3: a.set_type(static_cast<onnx::AttributeProto::AttributeType>(r() % 16)); break;
    case 4: a.set_s(r() % 2 ? "SAME_UPPER" : "\xff garbage"); a.set_type(onnx::AttributeProto::STRING); break;
    default:
      if (a.has_t()) mutateDims(a.mutable_t()->mutable_dims(), r);
      else a.set_name(kAttrs[pick(r, sizeof kAttrs / sizeof kAttrs[0])]);
  }
}

void mutateTensor(onnx::TensorProto& t, Rng& r) {
  switch (r() % 4) {
    case 0: mutateDims(t.mutable_dims(), r); break;
    case 1: t.set_data_type(int32_t(r() % 20)); break;
    case 2:
      if (t.has_raw_data()) t.mutable_raw_data()->resize(pick(r, t.raw_data().size() + 16));
      else t.add_float_data(1.f);
      break;
    default:  // external data that does not exist or escapes the model's folder
      t.set_data_location(onnx::TensorProto::EXTERNAL);
      {
        auto* kv = t.add_external_data();
        kv->set_key(r() % 2 ? "location" : "offset");
        kv->set_value(r() % 2 ? "../../etc/passwd" : (r() % 2 ? "999999999999999999999" : "x"));
      }
  }
}

// A graph to mutate: the main graph, or now and then the body of an If, Loop
// or Scan in it (at any depth).
onnx::GraphProto& pickGraph(onnx::GraphProto& g, Rng& r) {
  std::vector<onnx::GraphProto*> subs;
  for (auto& n : *g.mutable_node())
    for (auto& a : *n.mutable_attribute())
      if (a.has_g()) subs.push_back(a.mutable_g());
  if (subs.empty() || r() % 2) return g;
  return pickGraph(*subs[pick(r, subs.size())], r);
}

void mutateStructure(onnx::ModelProto& m, Rng& r) {
  onnx::GraphProto& g = pickGraph(*m.mutable_graph(), r);
  switch (r() % 10) {
    case 0:
    case 1: {  // an initializer
      if (g.initializer_size()) mutateTensor(*g.mutable_initializer(int(pick(r, size_t(g.initializer_size())))), r);
      break;
    }
    case 2: {  // a graph input's type
      if (!g.input_size()) break;
      auto* tt = g.mutable_input(int(pick(r, size_t(g.input_size()))))->mutable_type()->mutable_tensor_type();
      switch (r() % 4) {
        case 0: tt->set_elem_type(int32_t(r() % 20)); break;
        case 1: tt->clear_shape(); break;
        case 2:
          if (tt->shape().dim_size())
            tt->mutable_shape()->mutable_dim(int(pick(r, size_t(tt->shape().dim_size()))))->set_dim_value(interestingInt(r));
          break;
        default: tt->mutable_shape()->add_dim()->set_dim_param("N");
      }
      break;
    }
    case 3:
    case 4: {  // an attribute
      if (!g.node_size()) break;
      auto& n = *g.mutable_node(int(pick(r, size_t(g.node_size()))));
      if (n.attribute_size() && r() % 3) {
        mutateAttribute(*n.mutable_attribute(int(pick(r, size_t(n.attribute_size())))), r);
      } else {
        auto* a = n.add_attribute();
        a->set_name(kAttrs[pick(r, sizeof kAttrs / sizeof kAttrs[0])]);
        mutateAttribute(*a, r);
      }
      break;
    }
    case 5: {  // an op type
      if (g.node_size())
        g.mutable_node(int(pick(r, size_t(g.node_size()))))->set_op_type(kOps[pick(r, sizeof kOps / sizeof kOps[0])]);
      break;
    }
    case 6: {  // node inputs: drop, add, empty, or rewire
      if (!g.node_size()) break;
      auto& n = *g.mutable_node(int(pick(r, size_t(g.node_size()))));
      const auto& src = g.node(int(pick(r, size_t(g.node_size()))));
      switch (r() % 4) {
        case 0: if (n.input_size()) n.mutable_input()->RemoveLast(); break;
        case 1: n.add_input(src.output_size() ? src.output(0) : ""); break;
        case 2: if (n.input_size()) n.set_input(int(pick(r, size_t(n.input_size()))), ""); break;
        default:
          if (n.input_size() && src.output_size()) n.set_input(int(pick(r, size_t(n.input_size()))), src.output(0));
      }
      break;
    }
    case 7: {  // opset versions
      if (m.opset_import_size()) m.mutable_opset_import(0)->set_version(int64_t(r() % 20));
      if (r() % 4 == 0) m.set_ir_version(int64_t(r() % 10));
      break;
    }
    case 8: {  // drop a node, or output a node's value twice
      if (!g.node_size()) break;
      if (r() % 2) {
        g.mutable_node()->DeleteSubrange(int(pick(r, size_t(g.node_size()))), 1);
      } else {
        auto& n = *g.mutable_node(int(pick(r, size_t(g.node_size()))));
        n.add_output(n.output_size() ? n.output(0) : "dup");
      }
      break;
    }
    default: {  // a Constant node with a mutated value
      auto* n = g.add_node();
      n->set_op_type("Constant");
      n->add_output("fuzz_const");
      auto* a = n->add_attribute();
      a->set_name("value");
      a->set_type(onnx::AttributeProto::TENSOR);
      a->mutable_t()->set_data_type(onnx::TensorProto::INT64);
      a->mutable_t()->add_dims(2);
      a->mutable_t()->add_int64_data(interestingInt(r));
      a->mutable_t()->add_int64_data(interestingInt(r));
      if (r() % 2) mutateTensor(*a->mutable_t(), r);
      if (g.node_size() > 1) {
        auto& user = *g.mutable_node(int(pick(r, size_t(g.node_size() - 1))));
        if (user.input_size()) user.set_input(int(pick(r, size_t(user.input_size()))), "fuzz_const");
        else user.add_input("fuzz_const");
      }
    }
  }
}

std::string mutate(const std::string& original, Rng& r) {
  std::string b = original;
  const int rounds = 1 + int(r() % 3);
  for (int i = 0; i < rounds; ++i) {
    onnx::ModelProto m;
    if (r() % 2 && m.ParseFromString(b)) {
      mutateStructure(m, r);
      m.SerializeToString(&b);
    } else {
      mutateBytes(b, r);
    }
  }
  return b;
}

// ---------------------------------------------------------------- running

struct Outcome {
  bool ok;  // exit 0, or exit 1 with one error line
  std::string what;
};

int buildEvery = 0;  // --build-every N

Outcome runCase(const std::string& dir, const std::string& bytes) {
  const std::string model = dir + "/model.onnx";
  { std::ofstream(model, std::ios::binary) << bytes; }
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    int out = open((dir + "/stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open((dir + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    alarm(20);
    int rc = tmlc::runCompileCommand({model, "-o", dir + "/out"});
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(rc);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return {false, sig == SIGALRM ? "hung (20 s)" : std::string("killed by signal ") + strsignal(sig)};
  }
  int rc = WEXITSTATUS(status);
  if (rc == 0) {
    // Every buildEvery-th success: the generated code must build, -Werror.
    static int successes = 0;
    if (buildEvery > 0 && ++successes % buildEvery == 0) {
      const std::string cmd = "c++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -I" TMLC_SOURCE_DIR
                              "/runtime/include -I'" + dir + "/out' '" + dir + "/out/model.cpp' > '" + dir +
                              "/build.log' 2>&1";
      if (std::system(cmd.c_str()) != 0)
        return {false, "the generated code does not build: " + readFile(dir + "/build.log").substr(0, 400)};
    }
    return {true, "ok"};
  }
  if (rc != 1) return {false, "exit status " + std::to_string(rc)};
  // Exit 1: exactly one "error: " line, besides warnings.
  std::istringstream err(readFile(dir + "/stderr"));
  int errors = 0, other = 0;
  for (std::string line; std::getline(err, line);) {
    if (line.rfind("error: ", 0) == 0) ++errors;
    else if (line.rfind("warning: ", 0) != 0) ++other;
  }
  if (errors != 1 || other != 0) return {false, "exit 1 without exactly one 'error: ' line"};
  return {true, "error"};
}

// Depends on the model's file name, not its position, so --replay finds it.
uint64_t caseSeed(uint64_t seed, const std::string& model, uint64_t c) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a of the base name
  for (char ch : model.substr(model.find_last_of('/') == std::string::npos ? 0 : model.find_last_of('/') + 1))
    h = (h ^ uint8_t(ch)) * 1099511628211ull;
  return seed * 0x9E3779B97F4A7C15ull + h + c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string work;
  uint64_t cases = 200, seed = 1;
  long replayCase = -1;
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--work" && i + 1 < argc) work = argv[++i];
    else if (a == "--cases" && i + 1 < argc) cases = std::stoull(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
    else if (a == "--build-every" && i + 1 < argc) buildEvery = std::stoi(argv[++i]);
    else if (a == "--replay" && i + 2 < argc) models.push_back(argv[++i]), replayCase = std::stol(argv[++i]);
    else models.push_back(a);
  }
  if (work.empty() || models.empty()) {
    std::fprintf(stderr, "usage: fuzz_frontend --work DIR [--cases N] [--seed S] [--build-every K] MODEL...\n");
    return 2;
  }
  std::string mk = "mkdir -p '" + work + "'";
  if (std::system(mk.c_str()) != 0) return 2;

  int failures = 0;
  uint64_t total = 0, ok = 0, errors = 0;
  for (size_t mi = 0; mi < models.size(); ++mi) {
    std::string original;
    if (!loadModel(models[mi], work, original)) {
      std::fprintf(stderr, "error: cannot load %s\n", models[mi].c_str());
      return 2;
    }
    // The unmutated model must compile, or the mutations test nothing.
    Outcome base = runCase(work, original);
    if (base.what != "ok") {
      std::printf("FAIL: %s does not compile unmutated (%s)\n", models[mi].c_str(), base.what.c_str());
      ++failures;
      continue;
    }
    const uint64_t first = replayCase >= 0 ? uint64_t(replayCase) : 0;
    const uint64_t last = replayCase >= 0 ? first + 1 : cases;
    for (uint64_t c = first; c < last; ++c) {
      Rng r(caseSeed(seed, models[mi], c));
      std::string bytes = mutate(original, r);
      Outcome o = runCase(work, bytes);
      ++total;
      if (o.what == "ok") ++ok;
      if (o.what == "error") ++errors;
      if (!o.ok) {
        ++failures;
        std::string keep = work + "/failure-" + std::to_string(mi) + "-" + std::to_string(c) + ".onnx";
        { std::ofstream(keep, std::ios::binary) << bytes; }
        std::printf("FAIL: %s case %" PRIu64 ": %s (model kept as %s; replay: --replay %s %" PRIu64
                    " --seed %" PRIu64 ")\n",
                    models[mi].c_str(), c, o.what.c_str(), keep.c_str(), models[mi].c_str(), c, seed);
        std::printf("  stderr: %s\n", readFile(work + "/stderr").substr(0, 300).c_str());
      }
    }
  }
  std::printf("%" PRIu64 " mutated models: %" PRIu64 " compiled, %" PRIu64 " rejected with an error, %d failures\n",
              total, ok, errors, failures);
  return failures ? 1 : 0;
}
