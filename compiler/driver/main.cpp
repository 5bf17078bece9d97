// main.cpp: the tmlc command line.
//
//   tmlc compile MODEL.onnx -o DIR [options]     write DIR/NAME.h and DIR/NAME.cpp
//   tmlc validate MODEL.onnx --data DIR [options] build, run, compare with reference data
//   tmlc --help | --version
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "driver/commands.h"
#include "support/version.h"

namespace {

const char* const kUsage =
    "usage: tmlc <command> [options]\n"
    "\n"
    "tmlc compiles an ONNX model into standalone C++ for microcontrollers:\n"
    "one .h and one .cpp, no interpreter, no heap.\n"
    "\n"
    "commands:\n"
    "  compile    compile MODEL.onnx into DIR/NAME.h and DIR/NAME.cpp\n"
    "  validate   compile, build, run (host or QEMU) and compare with reference outputs\n"
    "\n"
    "options:\n"
    "  -h, --help     show this help (tmlc COMMAND --help for a command's options)\n"
    "  --version      print the version\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::printf("tmlc %s\n", tmlc::kTmlcVersion);
    return 0;
  }
  if (cmd == "compile") return tmlc::runCompileCommand(rest);
  if (cmd == "validate") return tmlc::runValidateCommand(rest);
  std::fprintf(stderr, "error: unknown command '%s' (try tmlc --help)\n", cmd.c_str());
  return 2;
}
