#include "onnx_text.h"

#include <stdexcept>

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

namespace tmlc_test {

std::string modelBytesFromText(const std::string& text) {
  onnx::ModelProto model;
  onnx::Common::Status st = onnx::OnnxParser::Parse(model, text.c_str());
  if (!st.IsOK()) throw std::runtime_error("ONNX text does not parse: " + st.ErrorMessage());
  for (auto& node : *model.mutable_graph()->mutable_node())
    if (node.name().empty() && node.output_size() > 0)
      node.set_name(node.op_type() + "_" + node.output(0));
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw std::runtime_error("cannot serialize the model");
  return bytes;
}

tmlc::Expected<std::unique_ptr<tmlc::Graph>> tryImportText(const std::string& text,
                                                         const tmlc::ImportOptions& opts) {
  return tmlc::importOnnxBytes(modelBytesFromText(text), "test.onnx", opts);
}

std::unique_ptr<tmlc::Graph> importText(const std::string& text, const tmlc::ImportOptions& opts) {
  auto g = tryImportText(text, opts);
  if (!g) throw std::runtime_error(g.status().message());
  return std::move(*g);
}

tmlc::Node* findNode(const tmlc::Graph& g, const std::string& name) {
  for (const auto& n : g.nodes)
    if (n->name == name) return n.get();
  return nullptr;
}

int countKind(const tmlc::Graph& g, tmlc::OpKind kind) {
  int c = 0;
  for (const auto& n : g.nodes)
    if (n->kind == kind && !n->dead) ++c;
  return c;
}

}  // namespace tmlc_test
