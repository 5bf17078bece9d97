// qemu_counter_test.cpp: builds counter_test.cpp for a target with the same
// harness build as `tmlc validate` (startup code, linker script, flags from the
// target description) and runs it in QEMU; passes when the program does.
//
//   qemu_counter_test TARGET WORKDIR [gcc|clang]
#include <cstdio>

#include "tests/support/test_util.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: qemu_counter_test TARGET WORKDIR [gcc|clang]\n");
    return 2;
  }
  return tmlc::test::buildAndRunSelfCheck(argv[1], argv[2], argc > 3 ? argv[3] : "gcc",
                                          tmlc::tmlcHome() + "/tests/qemu/counter_test.cpp");
}
