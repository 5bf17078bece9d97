// kernels_target_test.cpp: builds kernels_check.cpp for a target with the same
// harness build as `tmlc validate` (startup code, linker script, flags from the
// target description), runs it (in QEMU for a Cortex-M target) and passes when
// it does: the int8 kernels the target selects equal the portable bodies.
//
//   quant_kernels_target TARGET WORKDIR [gcc|clang]
#include <cstdio>
#include <string>

#include "driver/harness.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: quant_kernels_target TARGET WORKDIR [gcc|clang]\n");
    return 2;
  }
  std::string ignored;
  tmlc::runCommand("rm -rf " + std::string(argv[2]) + " && mkdir -p " + argv[2], ignored);
  tmlc::HarnessBuild b;
  b.workDir = argv[2];
  b.target = argv[1];
  b.compiler = argc > 3 ? argv[3] : "gcc";
  b.harnessSource = tmlc::tmlcHome() + "/tests/quant/kernels_check.cpp";
  auto bin = tmlc::buildHarness(b);
  if (!bin) {
    std::fprintf(stderr, "error: %s\n", bin.status().message().c_str());
    return 1;
  }
  auto run = tmlc::runHarness(b.target, bin->exe, "none", 300);
  if (!run) {
    std::fprintf(stderr, "error: %s\n", run.status().message().c_str());
    return 1;
  }
  std::fputs(run->output.c_str(), stdout);
  std::printf("exit status %d\n", run->exitCode);
  return run->exitCode == 0 && run->output.find("FAIL") == std::string::npos ? 0 : 1;
}
