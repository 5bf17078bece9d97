#include "codegen/emit_context.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace tmlc {

std::string sanitizeIdent(const std::string& s) {
  std::string r;
  for (char c : s) r += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (r.empty() || std::isdigit(static_cast<unsigned char>(r[0]))) r = "t_" + r;
  static const char* const kReserved[] = {"int", "float", "double", "char", "const", "void",
                                          "return", "if", "else", "for", "while", "do", "switch",
                                          "case", "default", "auto", "bool", "true", "false",
                                          "new", "delete", "class", "struct", "union", "enum",
                                          "register", "static", "this", "operator", "template"};
  for (const char* k : kReserved)
    if (r == k) return r + "_";
  return r;
}

EmitContext::EmitContext(const Graph& g, std::string prefix) : g_(g), prefix_(std::move(prefix)) {}

std::string EmitContext::ctype(const Value* v) { return dtypeCType(v->type.dtype); }

std::string EmitContext::weightName(const Value* v) const {
  return "kW_" + sanitizeIdent(v->name) + "_" + std::to_string(v->id);
}

std::string EmitContext::ioName(const Value* v) const {
  // Inputs and outputs are named by position and ONNX name, so names never clash.
  if (v->graphInput >= 0) return "in" + std::to_string(v->graphInput) + "_" + sanitizeIdent(v->name);
  return "out" + std::to_string(v->graphOutput) + "_" + sanitizeIdent(v->name);
}

std::string EmitContext::ref(const Value* v) {
  switch (v->place.kind) {
    case Placement::Kind::Input:
    case Placement::Kind::Output:
      usedIO_.insert(v);
      return ioName(v);
    case Placement::Kind::Weight:
      if (!weightSet_.count(v)) {
        weightSet_.insert(v);
        weights_.push_back(v);
      }
      return weightName(v);
    case Placement::Kind::Arena:
      return "tmlc::arena<" + ctype(v) + ">(g_arena, " + std::to_string(v->place.offset) + ")";
    case Placement::Kind::Alias: {
      const Value* b = v->place.base;
      std::string base = ref(b);
      if (v->place.offset == 0 && b->type.dtype == v->type.dtype) return base;
      return "reinterpret_cast<" + std::string(b->place.kind == Placement::Kind::Weight ||
                                                       b->place.kind == Placement::Kind::Input
                                                   ? "const "
                                                   : "") +
             ctype(v) + "*>(reinterpret_cast<" +
             (b->place.kind == Placement::Kind::Weight || b->place.kind == Placement::Kind::Input
                  ? "const "
                  : "") +
             "uint8_t*>(" + base + ") + " + std::to_string(v->place.offset) + ")";
    }
    case Placement::Kind::Unplanned:
      break;
  }
  return "/* unplanned '" + commentText(v->name) + "' */ nullptr";
}

std::string EmitContext::params(const Node& n, const std::string& type, const std::string& init,
                                const std::string& suffix) {
  std::string base = "kP_" + sanitizeIdent(n.name) + suffix;
  std::string name = base;
  for (int i = 1; paramNames_.count(name); ++i) name = base + "_" + std::to_string(i);
  paramNames_.insert(name);
  paramDecls_.push_back("constexpr " + type + " " + name + " = " + init + ";  // " + commentText(n.where()));
  return name;
}

std::string EmitContext::scratch(const Node& n, const std::string& ct) const {
  return "tmlc::arena<" + ct + ">(g_arena, " + std::to_string(n.scratchOffset) + ")";
}

std::string EmitContext::ints(const std::vector<int64_t>& v) {
  std::string r = "{";
  for (size_t i = 0; i < v.size(); ++i) r += (i ? ", " : "") + std::to_string(v[i]);
  return r + "}";
}

std::string EmitContext::floatLiteral(float f) {
  if (std::isnan(f)) return "NAN";
  if (std::isinf(f)) return f > 0 ? "INFINITY" : "-INFINITY";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(f));
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s + "f";
}

std::string EmitContext::commentText(const std::string& s) {
  std::string r;
  for (char c : s) {
    if (c == '\n') r += "\\n";
    else if (c == '\r') r += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) r += '?';
    else if ((c == '/' || c == '?') && !r.empty() && r.back() == (c == '/' ? '*' : '?')) r += std::string(" ") + c;
    else if (c == '*' && !r.empty() && r.back() == '/') r += " *";
    else r += c;
  }
  if (!r.empty() && r.back() == '\\') r += ' ';
  return r;
}

std::string EmitContext::cString(const std::string& s) {
  std::string r;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      r += '\\';
      r += c;
    } else if (u < 0x20 || u >= 0x7f || (c == '?' && !r.empty() && r.back() == '?')) {
      char b[8];
      std::snprintf(b, sizeof b, "\\%03o", u);  // octal: never swallows the next character
      r += b;
    } else {
      r += c;
    }
  }
  return r;
}

std::string EmitContext::floats(const std::vector<float>& v) {
  std::string r = "{";
  for (size_t i = 0; i < v.size(); ++i) r += (i ? ", " : "") + floatLiteral(v[i]);
  return r + "}";
}

std::string EmitContext::activation(const Activation& a) {
  static const char* const kNames[] = {"None",        "Relu",        "Clip",     "LeakyRelu",
                                       "Sigmoid",     "HardSigmoid", "HardSwish", "Tanh"};
  return std::string("{tmlc::Act::") + kNames[static_cast<int>(a.kind)] + ", " +
         floatLiteral(a.alpha) + ", " + floatLiteral(a.beta) + "}";
}

}  // namespace tmlc
