// validate_command.cpp: `tmlc validate` (to be completed).
#include <cstdio>

#include "driver/commands.h"

namespace tmlc {

int runValidateCommand(const std::vector<std::string>&) {
  std::fprintf(stderr, "error: tmlc validate is not implemented yet\n");
  return 1;
}

}  // namespace tmlc
