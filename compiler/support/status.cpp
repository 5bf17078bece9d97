#include "support/status.h"

#include <cstring>

namespace tmlc {

Status internalErrorAt(const char* file, int line, const std::string& msg) {
  const char* base = std::strrchr(file, '/');
  return Status::error("internal compiler error: " + std::string(base ? base + 1 : file) + ":" +
                       std::to_string(line) + ": " + msg);
}

}  // namespace tmlc
