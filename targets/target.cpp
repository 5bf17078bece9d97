// target.cpp: reads target descriptions (targets/<name>/target.txt).
//
// The format is one "key value" per line; '#' starts a comment; the value is
// the rest of the line. Keys are documented in docs/targets.md. Unknown keys
// are an error, so a typo does not silently drop a setting.
#include "targets/target.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "driver/harness.h"

namespace tmlc {

namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

bool isDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string absolute(const std::string& p) {
  char* r = realpath(p.c_str(), nullptr);
  if (!r) return p;
  std::string s = r;
  std::free(r);
  return s;
}

// A relative path is taken from the description's folder, or else from
// $TMLC_HOME/targets (so a board folder outside the tree can name the shared
// "cortex-m/startup.c").
std::string resolve(const std::string& dir, const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  if (!std::ifstream(dir + "/" + p) && std::ifstream(tmlcHome() + "/targets/" + p))
    return absolute(tmlcHome() + "/targets/" + p);
  return absolute(dir + "/" + p);
}

}  // namespace

int64_t parseByteSize(const std::string& s) {
  if (s.empty()) return -1;
  size_t digits = s.find_first_not_of("0123456789");
  // At most 12 digits: no overflow, even in MiB (std::stoll would throw).
  if (digits == 0 || (digits == std::string::npos ? s.size() : digits) > 12) return -1;
  int64_t n = std::stoll(s.substr(0, digits));
  std::string unit = s.substr(digits == std::string::npos ? s.size() : digits);
  if (unit.empty() || unit == "B") return n;
  if (unit == "K" || unit == "k" || unit == "KB" || unit == "KiB") return n * 1024;
  if (unit == "M" || unit == "MB" || unit == "MiB") return n * 1024 * 1024;
  return -1;
}

Expected<Target> parseTarget(const std::string& text, const std::string& dir, const std::string& defaultName) {
  Target t;
  t.name = defaultName;
  t.dir = dir;
  std::istringstream in(text);
  std::string line;
  int lineNo = 0;
  const std::string where = dir + "/target.txt:";
  for (; std::getline(in, line); ++lineNo) {
    size_t hash = line.find('#');
    if (hash != std::string::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    size_t sp = line.find_first_of(" \t");
    std::string key = line.substr(0, sp);
    std::string value = sp == std::string::npos ? "" : trim(line.substr(sp));
    auto bad = [&](const std::string& why) {
      return Status::error(where + std::to_string(lineNo + 1) + ": " + why);
    };
    if (key == "name") {
      t.name = value;
    } else if (key == "description") {
      t.description = value;
    } else if (key == "toolchain") {
      if (value != "host" && value != "arm-none-eabi") return bad("toolchain must be host or arm-none-eabi");
      t.toolchain = value;
    } else if (key == "cpu") {
      t.cpu = value;
    } else if (key == "cflags") {
      t.cflags = value;
    } else if (key == "clang_target") {
      t.clangTarget = value;
    } else if (key == "features") {
      std::istringstream f(value);
      std::string feat;
      while (f >> feat) {
        if (feat == "fpu") t.hasFpu = true;
        else if (feat == "fpu-double") t.hasFpuDouble = t.hasFpu = true;
        else if (feat == "dsp") t.hasDsp = true;
        else if (feat == "mve") t.hasMve = true;
        else if (feat == "div") t.hasDiv = true;
        else return bad("unknown feature '" + feat + "' (known: fpu fpu-double dsp mve div)");
      }
    } else if (key == "flash" || key == "ram" || key == "stack" || key == "heap") {
      int64_t n = parseByteSize(value);
      if (n < 0) return bad("bad size '" + value + "' for " + key + " (expected e.g. 256K, 4M)");
      (key == "flash" ? t.flashBytes : key == "ram" ? t.ramBytes : key == "stack" ? t.stackBytes : t.heapBytes) = n;
    } else if (key == "linker_script") {
      t.linkerScript = resolve(dir, value);
    } else if (key == "startup") {
      t.startup = resolve(dir, value);
    } else if (key == "qemu_machine") {
      t.qemuMachine = value;
    } else if (key == "qemu_args") {
      t.qemuArgs = value;
    } else if (key == "cpu_hz") {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        return bad("cpu_hz must be a number of Hz");
      t.cpuHz = std::stoll(value);
    } else {
      return bad("unknown key '" + key + "'");
    }
  }
  if (t.toolchain.empty()) return Status::error(where + " missing 'toolchain' (host or arm-none-eabi)");
  if (t.toolchain == "arm-none-eabi") {
    for (auto& [key, v] : std::map<std::string, const std::string*>{{"cflags", &t.cflags},
                                                                     {"linker_script", &t.linkerScript},
                                                                     {"startup", &t.startup},
                                                                     {"qemu_machine", &t.qemuMachine}})
      if (v->empty()) return Status::error(where + " missing '" + key + "'");
    if (t.cpuHz <= 0) return Status::error(where + " missing 'cpu_hz'");
    if (t.stackBytes <= 0) return Status::error(where + " missing 'stack' (bytes of stack to reserve)");
    for (const std::string* f : {&t.linkerScript, &t.startup}) {
      std::ifstream probe(*f);
      if (!probe) return Status::error(where + " file '" + *f + "' does not exist");
    }
  }
  return t;
}

Expected<const Target*> loadTarget(const std::string& nameOrPath) {
  static std::map<std::string, std::unique_ptr<Target>> cache;
  auto it = cache.find(nameOrPath);
  if (it != cache.end()) return static_cast<const Target*>(it->second.get());

  const bool isPath = nameOrPath.find('/') != std::string::npos || nameOrPath == "." || nameOrPath == "..";
  std::string dir = isPath ? nameOrPath : tmlcHome() + "/targets/" + nameOrPath;
  if (nameOrPath.empty() || !isDir(dir) || !std::ifstream(dir + "/target.txt")) {
    if (isPath) return Status::error("target folder '" + nameOrPath + "' has no target.txt");
    return Status::error("unknown target '" + nameOrPath + "' (known: " + targetNames() +
                         "; or give the path of a folder with a target.txt)");
  }
  dir = absolute(dir);
  std::ifstream f(dir + "/target.txt");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string base = dir.substr(dir.find_last_of('/') + 1);
  auto t = parseTarget(ss.str(), dir, base);
  if (!t) return t.status();
  auto& slot = cache[nameOrPath];
  slot = std::make_unique<Target>(std::move(*t));
  return static_cast<const Target*>(slot.get());
}

const Target* findTarget(const std::string& nameOrPath) {
  auto t = loadTarget(nameOrPath);
  return t ? *t : nullptr;
}

std::vector<std::string> listTargets() {
  std::vector<std::string> r;
  const std::string root = tmlcHome() + "/targets";
  DIR* d = opendir(root.c_str());
  if (!d) return r;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n[0] != '.' && std::ifstream(root + "/" + n + "/target.txt")) r.push_back(n);
  }
  closedir(d);
  std::sort(r.begin(), r.end());
  return r;
}

std::string targetNames() {
  std::string r;
  for (const std::string& n : listTargets()) r += (r.empty() ? "" : ", ") + n;
  return r;
}

}  // namespace tmlc
