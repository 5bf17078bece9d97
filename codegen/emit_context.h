// emit_context.h: what an operator's emit function may use to write its call.
//
// An op's emit() asks the context for C++ expressions naming its inputs and
// outputs (ref), declares its constexpr parameter struct (params), names the
// runtime header it needs (include) and writes the call statement (call). The
// context decides where tensors live (arena offset, user buffer, flash constant),
// so an op never deals with memory or with the layout of the generated file.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace tmlc {

class EmitContext {
 public:
  EmitContext(const Graph& g, std::string prefix);

  // A typed pointer expression for v's data, e.g. `input`, `kW_conv1_weight`,
  // `tmlc::arena<float>(g_arena, 256)`. Constants referenced here become
  // const arrays in flash.
  std::string ref(const Value* v);
  // `nullptr` for an omitted optional input.
  std::string refOrNull(const Value* v) { return v ? ref(v) : "nullptr"; }
  // The storage type of v's elements in generated code ("float").
  static std::string ctype(const Value* v);
  // Declares `constexpr TYPE kP_<node>[SUFFIX] = INIT;` before the run
  // function and returns its name.
  std::string params(const Node& n, const std::string& type, const std::string& init,
                     const std::string& suffix = "");
  // A pointer to this node's scratch space in the arena, typed as T.
  std::string scratch(const Node& n, const std::string& ctype) const;
  void include(const std::string& header) { includes_.insert(header); }
  void call(const std::string& statement) { body_.push_back("  " + statement); }

  // Formatting helpers for parameter initializers.
  static std::string ints(const std::vector<int64_t>& v);
  static std::string floats(const std::vector<float>& v);
  static std::string activation(const Activation& a);  // tmlc::Activation{...}
  static std::string floatLiteral(float f);
  // Text from the model (names) made safe inside // and /* */ comments: no
  // line breaks, "*/", "/*" or trigraphs.
  static std::string commentText(const std::string& s);
  // The body of a C string literal holding s (quotes, backslashes and
  // control characters escaped).
  static std::string cString(const std::string& s);

  // Read by the emitter.
  const std::set<std::string>& includes() const { return includes_; }
  const std::vector<const Value*>& weights() const { return weights_; }
  const std::vector<std::string>& paramDecls() const { return paramDecls_; }
  std::vector<std::string>& body() { return body_; }
  std::string weightName(const Value* v) const;
  std::string ioName(const Value* v) const;  // parameter name in the run function
  bool used(const Value* v) const { return usedIO_.count(v) != 0; }

 private:
  const Graph& g_;
  std::string prefix_;
  std::set<std::string> includes_;
  std::vector<const Value*> weights_;
  std::set<const Value*> weightSet_;
  std::set<const Value*> usedIO_;
  std::vector<std::string> paramDecls_;
  std::set<std::string> paramNames_;
  std::vector<std::string> body_;
};

// C identifier from an ONNX name: non-alphanumerics become '_'.
std::string sanitizeIdent(const std::string& s);

}  // namespace tmlc
