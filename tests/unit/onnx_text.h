// onnx_text.h: models for tests written in ONNX's textual syntax
// (onnx/defs/parser.h), turned into protobuf bytes and imported exactly as a
// .onnx file would be (importOnnxBytes), so tests exercise the real frontend.
//
//   auto g = importText(R"(
//     <ir_version: 8, opset_import: ["" : 13]>
//     g (float[1,4] X) => (float[1,4] Y) { Y = Relu(X) }
//   )");
//
// ONNX 1.12's syntax cannot name nodes; nodes left unnamed get the name
// "<OpType>_<first output>" (e.g. "Relu_Y"), which tests can then look for.
#pragma once

#include <memory>
#include <string>

#include "frontend/onnx_import.h"
#include "ir/graph.h"

namespace tmlc_test {

// Serialized ModelProto; throws std::runtime_error on a syntax error.
std::string modelBytesFromText(const std::string& text);

// Imports the text as "<name>.onnx"; the frontend's error on failure.
tmlc::Expected<std::unique_ptr<tmlc::Graph>> tryImportText(const std::string& text,
                                                         const tmlc::ImportOptions& opts = {});

// Same, but throws std::runtime_error with the frontend's message on failure.
std::unique_ptr<tmlc::Graph> importText(const std::string& text,
                                        const tmlc::ImportOptions& opts = {});

// The node with this ONNX name, or nullptr.
tmlc::Node* findNode(const tmlc::Graph& g, const std::string& name);
// Number of live nodes of the given kind.
int countKind(const tmlc::Graph& g, tmlc::OpKind kind);

}  // namespace tmlc_test
