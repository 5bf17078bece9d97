// kernels_target_test.cpp: builds kernels_check.cpp for a target with the same
// harness build as `tmlc validate` (startup code, linker script, flags from the
// target description), runs it (in QEMU for a Cortex-M target) and passes when
// it does: the int8 kernels the target selects equal the portable bodies.
//
//   quant_kernels_target TARGET WORKDIR [gcc|clang]
#include <cstdio>

#include "tests/support/test_util.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: quant_kernels_target TARGET WORKDIR [gcc|clang]\n");
    return 2;
  }
  return tmlc::test::buildAndRunSelfCheck(argv[1], argv[2], argc > 3 ? argv[3] : "gcc",
                                          tmlc::tmlcHome() + "/tests/quant/kernels_check.cpp");
}
