// graph.h: the IR. A Graph owns Nodes and Values; every Value has a static,
// typed shape once the frontend is done.
//
//   Value  one tensor: name, TensorType (dtype, shape, optional quantization),
//          its producer (or none for inputs and constants), its users, constant
//          data if known at compile time, and where it lives once memory is planned.
//   Node   one operation: OpKind (never a string after import), its ONNX name,
//          ordered inputs (nullptr for an omitted optional input), outputs,
//          attributes as imported from ONNX, and an activation fused into it.
//   Graph  nodes in topological order, graph inputs and outputs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "ops/op_kind.h"
#include "tmlc/tmlc.h"

namespace tmlc {

using Shape = std::vector<int64_t>;
int64_t numElements(const Shape& s);
std::string shapeToString(const Shape& s);  // "1x3x224x224"; "scalar" for rank 0

struct QuantParams {
  std::vector<float> scale;
  std::vector<int32_t> zero_point;
  int axis = -1;  // -1: per tensor
};

struct TensorType {
  DType dtype = DType::Undefined;
  Shape shape;
  std::optional<QuantParams> quant;
  size_t bytes() const { return dtypeSize(dtype) * static_cast<size_t>(numElements(shape)); }
};

// Constant data, little-endian, dense, in the tensor's storage type.
struct Tensor {
  DType dtype = DType::Undefined;
  Shape shape;
  std::vector<uint8_t> bytes;

  int64_t numel() const { return numElements(shape); }
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(bytes.data()); }
  template <typename T>
  T* data() { return reinterpret_cast<T*>(bytes.data()); }
  // Element i converted, for shape arithmetic and folding.
  double getDouble(int64_t i) const;
  int64_t getInt(int64_t i) const;
  std::vector<int64_t> toInts() const;
  static Tensor fromInts(DType dtype, const Shape& shape, const std::vector<int64_t>& v);
  static Tensor zeros(DType dtype, const Shape& shape);
};

class Graph;

struct Attribute {
  enum class Kind { Int, Float, String, Ints, Floats, Strings, Tensor, Graph };
  Kind kind = Kind::Int;
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  std::shared_ptr<Tensor> tensor;
  std::shared_ptr<Graph> graph;
};

// An element-wise activation folded into the op that produces its input is
// the runtime's own tmlc::Activation (tmlc/tmlc.h): one definition for both.
const char* actKindName(Act k);

struct Node;

// Where a value's bytes live in the generated code.
struct Placement {
  enum class Kind { Unplanned, Input, Output, Arena, Weight, Alias };
  Kind kind = Kind::Unplanned;
  int index = -1;          // Input/Output: position in the entry point
  int64_t offset = 0;      // Arena: byte offset; Alias: byte offset into base
  struct Value* base = nullptr;  // Alias: the value whose storage this one reuses
};

struct Value {
  int id = 0;
  std::string name;
  TensorType type;
  Node* producer = nullptr;
  std::vector<Node*> users;
  std::shared_ptr<Tensor> constant;  // known at compile time
  int graphInput = -1;               // index in Graph::inputs, or -1
  int graphOutput = -1;              // index in Graph::outputs, or -1
  Placement place;

  bool isConstant() const { return constant != nullptr; }
};

struct Node {
  OpKind kind = OpKind::Unknown;
  std::string name;    // the ONNX node name (or a generated one, "Conv_3")
  std::string domain;  // "" for ai.onnx
  int opset = 0;       // opset version of the node's domain
  std::vector<Value*> inputs;   // nullptr where an optional input is omitted
  std::vector<Value*> outputs;  // nullptr where an optional output is omitted
  std::map<std::string, Attribute> attrs;
  Activation fused = kNoActivation;  // applied to the output by the kernel
  int64_t scratchOffset = -1;  // arena offset of the kernel's scratch, if any
  bool dead = false;

  Value* input(size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }
  Value* output(size_t i) const { return i < outputs.size() ? outputs[i] : nullptr; }
  bool hasAttr(const std::string& n) const { return attrs.count(n) != 0; }
  int64_t attrInt(const std::string& n, int64_t dflt) const;
  float attrFloat(const std::string& n, float dflt) const;
  std::string attrString(const std::string& n, const std::string& dflt) const;
  std::vector<int64_t> attrInts(const std::string& n, std::vector<int64_t> dflt = {}) const;
  std::vector<float> attrFloats(const std::string& n, std::vector<float> dflt = {}) const;
  const Attribute* attr(const std::string& n) const;
  // "node 'Conv_3' (Conv)": the place an error message names.
  std::string where() const;
};

class Graph {
 public:
  std::string name;        // model name used for symbols
  std::string sourceFile;  // path of the .onnx file, for messages
  int opset = 0;           // ai.onnx opset of the model
  std::vector<std::unique_ptr<Node>> nodes;  // topological order
  std::vector<std::unique_ptr<Value>> values;
  std::vector<Value*> inputs;
  std::vector<Value*> outputs;

  Value* addValue(const std::string& name, TensorType type);
  Value* addConstant(const std::string& name, Tensor t);
  Node* addNode(OpKind kind, const std::string& name, std::vector<Value*> ins,
                std::vector<Value*> outs, Node* before = nullptr);
  // Rewires every use of `from` to `to` (graph outputs included).
  void replaceAllUses(Value* from, Value* to);
  // Drops nodes marked dead and values nobody references; recomputes users.
  void compact();
  void rebuildUsers();
  Value* findValue(const std::string& name) const;
  std::string uniqueValueName(const std::string& base) const;

 private:
  int nextValueId_ = 0;
};

}  // namespace tmlc
