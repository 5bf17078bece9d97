// target.h: the targets the compiler knows, read from their descriptions.
//
// A target is one folder, targets/<name>/, holding target.txt (the description,
// documented in docs/targets.md) and the files it names (linker script,
// startup code). The compiler reads the folder when a target is first asked
// for, by name (looked up under $TMLC_HOME/targets) or by path (a folder of
// the user's own, `--target path/to/board`). Nothing about a board is compiled
// into tmlc, so adding a board is writing a folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/status.h"

namespace tmlc {

struct Target {
  std::string name;
  std::string dir;          // absolute folder of target.txt
  std::string description;
  std::string toolchain;    // "host" (the build machine's g++) or "arm-none-eabi"
  std::string cpu;          // -mcpu
  std::string cflags;       // CPU/FPU/ABI flags for arm-none-eabi-gcc and clang
  std::string clangTarget;  // --target= for clang (thumbv7em-none-eabihf ...)
  // What the code generator may use.
  bool hasFpu = false;      // single-precision FPU
  bool hasFpuDouble = false;// double-precision FPU
  bool hasDsp = false;      // ARMv7E-M DSP extension (SMLAD...)
  bool hasMve = false;      // Helium (M-profile vector extension)
  bool hasDiv = false;      // hardware integer divide (not on ARMv6-M)
  int64_t flashBytes = 0;   // budget; 0 = unlimited (host)
  int64_t ramBytes = 0;
  int64_t stackBytes = 0;   // stack reserved by the linker script (part of the RAM budget)
  int64_t heapBytes = 0;    // heap for newlib's stdio in test programs (idem)
  std::string linkerScript; // absolute path
  std::string startup;      // absolute path of the startup source
  std::string qemuMachine;  // empty for host
  std::string qemuArgs;     // extra QEMU arguments
  int64_t cpuHz = 0;        // SysTick's processor clock in QEMU (instruction counting)

  bool isHost() const { return toolchain == "host"; }
};

// Loads a target by name (targets/<name>/target.txt under tmlcHome()) or by
// the path of a folder holding a target.txt. Descriptions are read once and
// cached; the pointer stays valid for the life of the process.
Expected<const Target*> loadTarget(const std::string& nameOrPath);

// Parses target.txt's text; `dir` resolves the relative paths in it.
Expected<Target> parseTarget(const std::string& text, const std::string& dir, const std::string& defaultName);

// Names of the targets under tmlcHome()/targets, sorted: "cortex-m0, ..., host".
std::string targetNames();
std::vector<std::string> listTargets();

// "256K", "4M", "65536" -> bytes; -1 when malformed.
int64_t parseByteSize(const std::string& s);

// Kept for callers that only need a lookup: nullptr when the target is unknown
// or its description is malformed (loadTarget says why).
const Target* findTarget(const std::string& nameOrPath);

}  // namespace tmlc
