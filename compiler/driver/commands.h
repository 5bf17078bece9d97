// commands.h: the CLI's commands. Each returns the process exit status.
#pragma once

#include <string>
#include <vector>

#include "driver/compile_model.h"

namespace tmlc {

int runCompileCommand(const std::vector<std::string>& args);
int runValidateCommand(const std::vector<std::string>& args);

// Options shared by compile and validate. Returns false (and prints a
// message) on a bad option; `extra` receives options it does not know.
struct CommonOptions {
  CompileOptions compile;
  std::string outDir;
  std::string reportPath;
  bool help = false;
};
bool parseCommonOptions(const std::vector<std::string>& args, CommonOptions& o,
                        std::vector<std::string>& extra, const char* command);
extern const char* const kCommonOptionsHelp;

// A message as one printable line: names from a model may hold newlines or
// control characters, which would split "error: ..." across lines.
std::string oneLine(const std::string& message);

// Writes `text` to `path`, creating the directory if needed.
bool writeFile(const std::string& path, const std::string& text);
// The bytes of the file at `path`; empty when it cannot be read.
std::string readFile(const std::string& path);
// True when `path` names an existing file or directory.
bool pathExists(const std::string& path);

}  // namespace tmlc
