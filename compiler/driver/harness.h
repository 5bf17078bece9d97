// harness.h: builds compiled models into one test executable
// (targets/common/harness.cpp) and runs it on the host or in QEMU.
//
// Used by `tmlc validate` and the conformance runner: many models go into one
// binary, so the runtime headers are compiled once per translation unit group
// and a whole suite is one process (or one QEMU boot).
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace tmlc {

struct HarnessBuild {
  std::string workDir;                  // Makefile, objects, executable
  std::string target = "host";
  std::vector<std::string> modelNames;  // NAME of each NAME_model()
  std::vector<std::string> sources;     // generated .cpp files (or files #including several)
  std::vector<std::string> includeDirs; // where the generated headers are
  int64_t ioBytes = 65536;              // largest sum of one model's input+output bytes
  int jobs = 2;
  std::string optFlags = "-O2";
  // Cortex-M targets: "gcc" (arm-none-eabi-g++) or "clang" (clang++-14 with
  // the target's clang_target, linked against the same newlib).
  std::string compiler = "gcc";
  // The program's main(); default $TMLC_HOME/targets/common/harness.cpp.
  std::string harnessSource;
  // Build every source it can and link the ones that compiled, instead of
  // stopping at the first error (the conformance runner's many models).
  bool keepGoing = false;
};

struct HarnessBinary {
  std::string exe;                         // executable (host) or ELF image (Cortex-M)
  std::vector<std::string> failedSources;  // keepGoing: sources that did not compile (then exe is empty)
  std::string log;                         // compiler output of failed sources
};

// Where the tmlc source tree (runtime/, targets/) is: $TMLC_HOME or the build's source dir.
std::string tmlcHome();

// Writes a Makefile in workDir and runs make.
Expected<HarnessBinary> buildHarness(const HarnessBuild& b);

struct HarnessRun {
  std::string output;  // everything the harness printed
  int exitCode = 0;
};
// Runs the executable with the manifest; in QEMU for Cortex-M targets.
Expected<HarnessRun> runHarness(const std::string& target, const std::string& exe, const std::string& manifest,
                                int timeoutSeconds = 600);

// Sizes of a built image and of one object in it, from `size` (Berkeley format:
// text includes read-only data). flash = text + data, ram = data + bss (on
// Cortex-M the bss includes the reserved heap and stack).
struct ImageSize {
  int64_t text = 0, data = 0, bss = 0;
  int64_t flash() const { return text + data; }
  int64_t ram() const { return data + bss; }
};
Expected<ImageSize> measureSize(const std::string& target, const std::string& file);

// One "case MODEL DIR instructions=N stack=S" line of the harness's output.
struct HarnessCase {
  std::string model, dir;
  unsigned long long instructions = 0;
  unsigned long stack = 0;
};
std::vector<HarnessCase> parseHarnessOutput(const std::string& output);

// Quotes a string for /bin/sh.
std::string shellQuote(const std::string& s);

// Runs a shell command, capturing stdout and stderr together.
int runCommand(const std::string& cmd, std::string& output);

}  // namespace tmlc
