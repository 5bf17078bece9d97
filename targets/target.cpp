#include "targets/target.h"

namespace tmlc {

namespace {
const Target kTargets[] = {
    {"host", "", true, false, false, 0, 0, ""},
    {"cortex-m4", "cortex-m4", true, true, false, 4 * 1024 * 1024, 4 * 1024 * 1024, "mps2-an386"},
};
}  // namespace

const Target* findTarget(const std::string& name) {
  for (const Target& t : kTargets)
    if (t.name == name) return &t;
  return nullptr;
}

std::string targetNames() {
  std::string r;
  for (const Target& t : kTargets) r += (r.empty() ? "" : ", ") + t.name;
  return r;
}

}  // namespace tmlc
