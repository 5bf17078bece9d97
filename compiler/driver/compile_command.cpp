// compile_command.cpp: `tmlc compile` and the options it shares with validate.
#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "driver/commands.h"
#include "frontend/tensor_proto.h"
#include "passes/pipeline.h"
#include "targets/target.h"

namespace tmlc {

const char* const kCommonOptionsHelp =
    "  -o, --output DIR       directory for NAME.h and NAME.cpp (created if missing)\n"
    "  --name NAME            symbol prefix (default: the model file's stem)\n"
    "  --target T             host (default), a target in targets/ (cortex-m0, cortex-m3,\n"
    "                         cortex-m4, cortex-m7, cortex-m33, cortex-m55) or the folder\n"
    "                         of your own target.txt (docs/targets.md)\n"
    "  --flash SIZE, --ram SIZE  override the target's budget (256K, 1M, bytes; 0 = none);\n"
    "                         a model that does not fit is an error naming its largest\n"
    "                         tensors and layers\n"
    "  --shape NAME=DxD...    static shape for an input with dynamic dimensions\n"
    "  --const-input NAME=FILE.pb  fix input NAME to the TensorProto in FILE.pb\n"
    "  --report FILE.json     write arena, weights and per-node shape, MACs, offset\n"
    "  --planner ALGO         memory placement: greedy (default) or linear\n"
    "  --print-ir-after PASS  print the IR after PASS (import, a pass name, or all)\n"
    "  --quantize MODE        post-training quantization to integer-only code: int8, or int16x8\n"
    "                         (int16 activations, int8 weights)\n"
    "  --calibration DIR      calibration samples: test_data_set_N/input_K.pb or .npy (docs/quantization.md)\n"
    "  --calibration-method M minmax (default), percentile or mse\n"
    "  --quantize-io T        float (default: quantize/dequantize in the entry point), or the\n"
    "                         activation type: int8 (int16 with int16x8)\n";

namespace {

bool parseShape(const std::string& spec, std::string& name, Shape& shape) {
  size_t eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) return false;
  name = spec.substr(0, eq);
  std::string dims = spec.substr(eq + 1);
  shape.clear();
  size_t pos = 0;
  while (pos <= dims.size()) {
    size_t x = dims.find('x', pos);
    std::string d = dims.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
    if (d.empty() || d.size() > 9 || d.find_first_not_of("0123456789") != std::string::npos) return false;
    shape.push_back(std::stoll(d));
    if (x == std::string::npos) break;
    pos = x + 1;
  }
  return !shape.empty();
}

}  // namespace

bool parseCommonOptions(const std::vector<std::string>& args, CommonOptions& o,
                        std::vector<std::string>& extra, const char* command) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "error: tmlc %s: option %s needs a value\n", command, a.c_str());
        return false;
      }
      out = args[++i];
      return true;
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "-o" || a == "--output") {
      if (!value(o.outDir)) return false;
    } else if (a == "--name") {
      if (!value(o.compile.name)) return false;
      // Every symbol of the generated code starts with it.
      const std::string& nm = o.compile.name;
      bool ident = !nm.empty() && !std::isdigit(static_cast<unsigned char>(nm[0]));
      for (char c : nm) ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (!ident) {
        std::fprintf(stderr, "error: tmlc %s: --name '%s' is not a C identifier (letters, digits, '_')\n", command,
                     oneLine(nm).c_str());
        return false;
      }
    } else if (a == "--target") {
      if (!value(o.compile.target)) return false;
    } else if (a == "--flash" || a == "--ram") {
      std::string v;
      if (!value(v)) return false;
      int64_t n = parseByteSize(v);
      if (n < 0) {
        std::fprintf(stderr, "error: tmlc %s: bad size '%s' for %s (expected e.g. 64K, 1M or bytes)\n", command,
                     v.c_str(), a.c_str());
        return false;
      }
      (a == "--flash" ? o.compile.flashBudget : o.compile.ramBudget) = n;
    } else if (a == "--report") {
      if (!value(o.reportPath)) return false;
    } else if (a == "--planner") {
      if (!value(o.compile.planner)) return false;
    } else if (a == "--print-ir-after") {
      if (!value(o.compile.printIrAfter)) return false;
    } else if (a == "--quantize") {
      if (!value(o.compile.quant.mode)) return false;
    } else if (a == "--calibration") {
      if (!value(o.compile.quant.calibrationDir)) return false;
    } else if (a == "--calibration-method") {
      if (!value(o.compile.quant.method)) return false;
    } else if (a == "--quantize-io") {
      if (!value(o.compile.quant.io)) return false;
    } else if (a == "--shape") {
      std::string spec, name;
      Shape s;
      if (!value(spec)) return false;
      if (!parseShape(spec, name, s)) {
        std::fprintf(stderr, "error: tmlc %s: bad --shape '%s' (expected NAME=1x3x96x96)\n", command, spec.c_str());
        return false;
      }
      o.compile.shapes[name] = s;
    } else if (a == "--const-input") {
      std::string spec;
      if (!value(spec)) return false;
      size_t eq = spec.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "error: tmlc %s: bad --const-input '%s' (expected NAME=FILE.pb)\n", command, spec.c_str());
        return false;
      }
      auto t = readTensorFile(spec.substr(eq + 1));
      if (!t) {
        std::fprintf(stderr, "error: %s\n", oneLine(t.status().message()).c_str());
        return false;
      }
      o.compile.constInputs[spec.substr(0, eq)] = std::move(*t);
    } else if (!a.empty() && a[0] == '-') {
      extra.push_back(a);
      // An unknown option's value, if any, is the caller's to interpret.
    } else if (o.compile.modelPath.empty()) {
      o.compile.modelPath = a;
    } else {
      extra.push_back(a);
    }
  }
  return true;
}

std::string oneLine(const std::string& message) {
  std::string r;
  for (char c : message) {
    if (c == '\n') r += "\\n";
    else if (c == '\r') r += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) r += '?';
    else r += c;
  }
  return r;
}

std::string readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool pathExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool writeFile(const std::string& path, const std::string& text) {
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos) {
    std::string dir = path.substr(0, slash);
    std::string partial;
    for (size_t p = 0; p <= dir.size(); ++p) {
      if (p == dir.size() || dir[p] == '/') {
        if (!partial.empty()) mkdir(partial.c_str(), 0755);
      }
      if (p < dir.size()) partial += dir[p];
    }
  }
  std::ofstream f(path, std::ios::binary);
  if (!f) return false;
  f << text;
  return static_cast<bool>(f);
}

int runCompileCommand(const std::vector<std::string>& args) {
  CommonOptions o;
  std::vector<std::string> extra;
  if (!parseCommonOptions(args, o, extra, "compile")) return 2;
  if (o.help) {
    std::printf("usage: tmlc compile MODEL.onnx -o DIR [options]\n\n"
                "Compiles MODEL.onnx into DIR/NAME.h and DIR/NAME.cpp.\n\noptions:\n%s", kCommonOptionsHelp);
    std::printf("\npasses, in order: ");
    for (const std::string& p : pipelinePassNames()) std::printf("%s ", p.c_str());
    std::printf("\n");
    return 0;
  }
  if (!extra.empty()) {
    std::fprintf(stderr, "error: tmlc compile: unknown argument '%s' (see tmlc compile --help)\n", extra[0].c_str());
    return 2;
  }
  if (o.compile.modelPath.empty() || o.outDir.empty()) {
    std::fprintf(stderr, "error: tmlc compile: need MODEL.onnx and -o DIR (see tmlc compile --help)\n");
    return 2;
  }
  auto r = compileModel(o.compile);
  if (!r) {
    std::fprintf(stderr, "error: %s\n", oneLine(r.status().message()).c_str());
    return 1;
  }
  for (const std::string& w : r->warnings) std::fprintf(stderr, "warning: %s\n", oneLine(w).c_str());
  if (!r->irLog.empty()) std::fputs(r->irLog.c_str(), stdout);
  const std::string name = o.compile.name.empty() ? defaultModelName(o.compile.modelPath) : o.compile.name;
  if (!writeFile(o.outDir + "/" + name + ".h", r->header) || !writeFile(o.outDir + "/" + name + ".cpp", r->source)) {
    std::fprintf(stderr, "error: cannot write to '%s'\n", o.outDir.c_str());
    return 1;
  }
  if (!o.reportPath.empty() && !writeFile(o.reportPath, r->reportJson)) {
    std::fprintf(stderr, "error: cannot write report '%s'\n", o.reportPath.c_str());
    return 1;
  }
  return 0;
}

}  // namespace tmlc
