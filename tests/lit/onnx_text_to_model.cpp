// onnx_text_to_model: turns a model written in ONNX's textual syntax
// (onnx/defs/parser.h, e.g. tests/lit/*.onnxtxt) into a binary .onnx file.
//
//   onnx_text_to_model IN.onnxtxt OUT.onnx
//
// ONNX 1.12's syntax cannot name nodes, so every unnamed node is named
// "<OpType>_<first output>" (e.g. "Conv_c"); golden tests check for those
// names in comments of the generated code. Lines starting with '#' are
// comments to the parser, which is where the tests keep RUN and CHECK lines.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "onnx/defs/parser.h"
#include "onnx/onnx_pb.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: onnx_text_to_model IN.onnxtxt OUT.onnx\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "error: %s: cannot open\n", argv[1]);
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  onnx::ModelProto model;
  auto st = onnx::OnnxParser::Parse(model, text.c_str());
  if (!st.IsOK()) {
    std::fprintf(stderr, "error: %s: %s\n", argv[1], st.ErrorMessage().c_str());
    return 1;
  }
  for (auto& node : *model.mutable_graph()->mutable_node())
    if (node.name().empty() && node.output_size() > 0) node.set_name(node.op_type() + "_" + node.output(0));
  std::ofstream out(argv[2], std::ios::binary);
  if (!out || !model.SerializeToOstream(&out)) {
    std::fprintf(stderr, "error: %s: cannot write\n", argv[2]);
    return 1;
  }
  return 0;
}
