// target.h: the targets the compiler knows. Each target's files (linker
// script, startup code, QEMU machine, CPU flags) live in targets/<name>/;
// this table holds what the compiler itself needs to decide.
#pragma once

#include <cstdint>
#include <string>

namespace tmlc {

struct Target {
  std::string name;
  std::string cpu;          // -mcpu
  bool hasFpu = false;      // single-precision FPU
  bool hasDsp = false;      // ARMv7E-M DSP extension (SMLAD...)
  bool hasMve = false;      // Helium
  int64_t flashBytes = 0;   // budget; 0 = unlimited (host)
  int64_t ramBytes = 0;
  std::string qemuMachine;  // empty for host
};

const Target* findTarget(const std::string& name);
std::string targetNames();

}  // namespace tmlc
