#include "ir/graph.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "ops/op_def.h"

namespace tmlc {

int64_t numElements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string shapeToString(const Shape& s) {
  if (s.empty()) return "scalar";
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "x" : "") + std::to_string(s[i]);
  return r;
}

const char* actKindName(Act k) {
  switch (k) {
    case Act::None: return "none";
    case Act::Relu: return "Relu";
    case Act::Clip: return "Clip";
    case Act::LeakyRelu: return "LeakyRelu";
    case Act::Sigmoid: return "Sigmoid";
    case Act::HardSigmoid: return "HardSigmoid";
    case Act::HardSwish: return "HardSwish";
    case Act::Tanh: return "Tanh";
  }
  return "?";
}

namespace {
template <typename T>
T readAs(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal
      int e = -1;
      do { mant <<= 1; ++e; } while (!(mant & 0x400));
      bits = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  }
  return readAs<float>(reinterpret_cast<const uint8_t*>(&bits));
}
}  // namespace

double Tensor::getDouble(int64_t i) const {
  const uint8_t* p = bytes.data() + i * static_cast<int64_t>(dtypeSize(dtype));
  switch (dtype) {
    case DType::Float32: return readAs<float>(p);
    case DType::Float64: return readAs<double>(p);
    case DType::Float16: return halfToFloat(readAs<uint16_t>(p));
    case DType::BFloat16: {
      uint32_t b = uint32_t(readAs<uint16_t>(p)) << 16;
      return readAs<float>(reinterpret_cast<const uint8_t*>(&b));
    }
    case DType::Int8: return readAs<int8_t>(p);
    case DType::Int16: return readAs<int16_t>(p);
    case DType::Int32: return readAs<int32_t>(p);
    case DType::Int64: return static_cast<double>(readAs<int64_t>(p));
    case DType::UInt8: return readAs<uint8_t>(p);
    case DType::UInt16: return readAs<uint16_t>(p);
    case DType::UInt32: return readAs<uint32_t>(p);
    case DType::UInt64: return static_cast<double>(readAs<uint64_t>(p));
    case DType::Bool: return readAs<uint8_t>(p) ? 1 : 0;
    default: return 0;
  }
}

int64_t Tensor::getInt(int64_t i) const {
  const uint8_t* p = bytes.data() + i * static_cast<int64_t>(dtypeSize(dtype));
  switch (dtype) {
    case DType::Int64: return readAs<int64_t>(p);
    case DType::UInt64: return static_cast<int64_t>(readAs<uint64_t>(p));
    case DType::Int32: return readAs<int32_t>(p);
    case DType::UInt32: return readAs<uint32_t>(p);
    default: return static_cast<int64_t>(getDouble(i));
  }
}

std::vector<int64_t> Tensor::toInts() const {
  std::vector<int64_t> v(static_cast<size_t>(numel()));
  for (int64_t i = 0; i < numel(); ++i) v[static_cast<size_t>(i)] = getInt(i);
  return v;
}

Tensor Tensor::zeros(DType dtype, const Shape& shape) {
  Tensor t;
  t.dtype = dtype;
  t.shape = shape;
  t.bytes.assign(dtypeSize(dtype) * static_cast<size_t>(numElements(shape)), 0);
  return t;
}

Tensor Tensor::fromInts(DType dtype, const Shape& shape, const std::vector<int64_t>& v) {
  Tensor t = zeros(dtype, shape);
  for (size_t i = 0; i < v.size(); ++i) {
    uint8_t* p = t.bytes.data() + i * dtypeSize(dtype);
    switch (dtype) {
      case DType::Int64: { int64_t x = v[i]; std::memcpy(p, &x, 8); break; }
      case DType::Int32: { int32_t x = static_cast<int32_t>(v[i]); std::memcpy(p, &x, 4); break; }
      case DType::Float32: { float x = static_cast<float>(v[i]); std::memcpy(p, &x, 4); break; }
      default: break;
    }
  }
  return t;
}

const Attribute* Node::attr(const std::string& n) const {
  auto it = attrs.find(n);
  return it == attrs.end() ? nullptr : &it->second;
}
int64_t Node::attrInt(const std::string& n, int64_t dflt) const {
  const Attribute* a = attr(n);
  return a ? a->i : dflt;
}
float Node::attrFloat(const std::string& n, float dflt) const {
  const Attribute* a = attr(n);
  return a ? a->f : dflt;
}
std::string Node::attrString(const std::string& n, const std::string& dflt) const {
  const Attribute* a = attr(n);
  return a ? a->s : dflt;
}
std::vector<int64_t> Node::attrInts(const std::string& n, std::vector<int64_t> dflt) const {
  const Attribute* a = attr(n);
  return a ? a->ints : dflt;
}
std::vector<float> Node::attrFloats(const std::string& n, std::vector<float> dflt) const {
  const Attribute* a = attr(n);
  return a ? a->floats : dflt;
}
std::string Node::where() const {
  return "node '" + name + "' (" + opName(kind) + ")";
}

Value* Graph::addValue(const std::string& name, TensorType type) {
  auto v = std::make_unique<Value>();
  v->id = nextValueId_++;
  v->name = name;
  v->type = std::move(type);
  values.push_back(std::move(v));
  return values.back().get();
}

Value* Graph::addConstant(const std::string& name, Tensor t) {
  Value* v = addValue(name, TensorType{t.dtype, t.shape, std::nullopt});
  v->constant = std::make_shared<Tensor>(std::move(t));
  return v;
}

Node* Graph::addNode(OpKind kind, const std::string& name, std::vector<Value*> ins,
                     std::vector<Value*> outs, Node* before) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->name = name;
  n->inputs = std::move(ins);
  n->outputs = std::move(outs);
  n->opset = opset;
  Node* raw = n.get();
  for (Value* o : raw->outputs)
    if (o) o->producer = raw;
  for (Value* i : raw->inputs)
    if (i) i->users.push_back(raw);
  if (before) {
    auto it = std::find_if(nodes.begin(), nodes.end(),
                           [&](const std::unique_ptr<Node>& p) { return p.get() == before; });
    nodes.insert(it, std::move(n));
  } else {
    nodes.push_back(std::move(n));
  }
  return raw;
}

void Graph::replaceAllUses(Value* from, Value* to) {
  for (auto& n : nodes)
    for (Value*& i : n->inputs)
      if (i == from) i = to;
  for (size_t k = 0; k < outputs.size(); ++k) {
    if (outputs[k] == from) {
      outputs[k] = to;
      to->graphOutput = static_cast<int>(k);
      from->graphOutput = -1;
    }
  }
  rebuildUsers();
}

void Graph::rebuildUsers() {
  for (auto& v : values) {
    v->users.clear();
    v->producer = nullptr;
  }
  for (auto& n : nodes) {
    for (Value* o : n->outputs)
      if (o) o->producer = n.get();
    for (Value* i : n->inputs)
      if (i && (i->users.empty() || i->users.back() != n.get())) i->users.push_back(n.get());
  }
}

void Graph::compact() {
  nodes.erase(std::remove_if(nodes.begin(), nodes.end(),
                             [](const std::unique_ptr<Node>& n) { return n->dead; }),
              nodes.end());
  std::set<const Value*> live(inputs.begin(), inputs.end());
  live.insert(outputs.begin(), outputs.end());
  for (auto& n : nodes) {
    live.insert(n->inputs.begin(), n->inputs.end());
    live.insert(n->outputs.begin(), n->outputs.end());
  }
  values.erase(std::remove_if(values.begin(), values.end(),
                              [&](const std::unique_ptr<Value>& v) { return !live.count(v.get()); }),
               values.end());
  rebuildUsers();
}

Value* Graph::findValue(const std::string& n) const {
  for (auto& v : values)
    if (v->name == n) return v.get();
  return nullptr;
}

std::string Graph::uniqueValueName(const std::string& base) const {
  if (!findValue(base)) return base;
  for (int i = 1;; ++i) {
    std::string c = base + "_" + std::to_string(i);
    if (!findValue(c)) return c;
  }
}

}  // namespace tmlc
