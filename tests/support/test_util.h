// test_util.h: small helpers the test drivers under tests/ share (header-only;
// include as "tests/support/test_util.h", the source root is on tmlc_core's
// include path).
#pragma once

#include <cstdio>
#include <string>

#include "driver/commands.h"
#include "driver/compile_model.h"
#include "driver/harness.h"

namespace tmlc::test {

// Empties (or creates) the work directory `dir`.
inline void freshWorkDir(const std::string& dir) {
  std::string ignored;
  runCommand("rm -rf '" + dir + "' && mkdir -p '" + dir + "'", ignored);
}

// Writes a compiled model as dir/name.h and dir/name.cpp and adds it to the
// harness build hb (which must have dir among its includeDirs). Prints a FAIL
// line and returns false when the files cannot be written.
inline bool addModel(HarnessBuild& hb, const std::string& dir, const std::string& name, const CompileResult& r) {
  if (!writeFile(dir + "/" + name + ".h", r.header) || !writeFile(dir + "/" + name + ".cpp", r.source)) {
    std::printf("FAIL: cannot write %s to %s\n", name.c_str(), dir.c_str());
    return false;
  }
  hb.modelNames.push_back(name);
  hb.sources.push_back(dir + "/" + name + ".cpp");
  return true;
}

// Builds `harnessSource` (a self-checking program) for `target` with the same
// harness build as `tmlc validate` (startup code, linker script, flags from the
// target description) in a fresh `workDir`, runs it (in QEMU for a Cortex-M
// target) and prints its output. Returns 0 when it exits with status 0 and
// prints no "FAIL", 1 otherwise.
inline int buildAndRunSelfCheck(const std::string& target, const std::string& workDir, const std::string& compiler,
                                const std::string& harnessSource) {
  freshWorkDir(workDir);
  HarnessBuild b;
  b.workDir = workDir;
  b.target = target;
  b.compiler = compiler;
  b.harnessSource = harnessSource;
  auto bin = buildHarness(b);
  if (!bin) {
    std::fprintf(stderr, "error: %s\n", bin.status().message().c_str());
    return 1;
  }
  auto run = runHarness(b.target, bin->exe, "none", 300);
  if (!run) {
    std::fprintf(stderr, "error: %s\n", run.status().message().c_str());
    return 1;
  }
  std::fputs(run->output.c_str(), stdout);
  std::printf("exit status %d\n", run->exitCode);
  return run->exitCode == 0 && run->output.find("FAIL") == std::string::npos ? 0 : 1;
}

}  // namespace tmlc::test
