// test_data.cpp: reading ONNX backend-test style data (see test_data.h).
#include "driver/test_data.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "driver/commands.h"
#include "driver/harness.h"
#include "frontend/tensor_proto.h"
#include "tmlc/kernels/int8/requantize.h"
#include "onnx/onnx_pb.h"

namespace tmlc {

namespace {

bool isDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::vector<std::string> listDataSets(const std::string& dir) {
  if (pathExists(dir + "/input_0.pb") || pathExists(dir + "/output_0.pb")) return {dir};
  std::vector<std::string> r;
  DIR* d = opendir(dir.c_str());
  if (!d) return r;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.rfind("test_data_set_", 0) == 0 && isDir(dir + "/" + n)) r.push_back(dir + "/" + n);
  }
  closedir(d);
  auto num = [](const std::string& p) { return std::atoi(p.c_str() + p.find_last_of('_') + 1); };
  std::sort(r.begin(), r.end(), [&](const std::string& a, const std::string& b) { return num(a) < num(b); });
  return r;
}

std::vector<std::string> onnxInputNames(const std::string& modelPath) {
  std::vector<std::string> r;
  onnx::ModelProto m;
  if (!m.ParseFromString(readFile(modelPath))) return r;
  std::set<std::string> inits;
  for (const auto& i : m.graph().initializer()) inits.insert(i.name());
  for (const auto& i : m.graph().input())
    if (!inits.count(i.name())) r.push_back(i.name());
  return r;
}

namespace {

// The graph input named `name`, or else the first one the value `name` is
// computed from (through Cast, Mul... in the *_expanded tests); renames
// `name` to it. -1 when there is none.
int sourceInput(const onnx::ModelProto& mp, std::string& name) {
  std::set<std::string> inits;
  for (const auto& i : mp.graph().initializer()) inits.insert(i.name());
  std::map<std::string, const onnx::NodeProto*> producer;
  for (const auto& nd : mp.graph().node())
    for (const auto& o : nd.output()) producer[o] = &nd;
  std::vector<std::string> todo{name};
  std::set<std::string> seen;
  while (!todo.empty()) {
    std::string v = todo.back();
    todo.pop_back();
    if (!seen.insert(v).second) continue;
    int k = 0;
    for (const auto& i : mp.graph().input()) {
      if (inits.count(i.name())) continue;
      if (i.name() == v) {
        name = v;
        return k;
      }
      ++k;
    }
    auto p = producer.find(v);
    if (p != producer.end())
      for (const auto& in : p->second->input())
        if (!in.empty()) todo.push_back(in);
  }
  return -1;
}

}  // namespace

Expected<CompileResult> compileWithTestData(CompileOptions& co, const std::string& dataSet,
                                            std::vector<int>* frozen) {
  auto r = compileModel(co);
  if (r || dataSet.empty()) return r;
  onnx::ModelProto mp;
  if (!mp.ParseFromString(readFile(co.modelPath))) return r;
  // MelWeightMatrix has five such inputs, each reported by its own error.
  for (int retry = 0; retry < 8 && !r; ++retry) {
    const std::string& m = r.status().message();
    size_t a = m.find("' ('"), e = m.find("') must be a compile-time constant");
    size_t d = m.find("input '"), dd = m.find("' has dynamic dimension");
    std::string name;
    const bool freeze = a != std::string::npos && e != std::string::npos && e > a;
    if (freeze) name = m.substr(a + 4, e - a - 4);
    else if (d != std::string::npos && dd != std::string::npos && dd > d) name = m.substr(d + 7, dd - d - 7);
    else break;
    const int k = sourceInput(mp, name);
    if (k < 0) break;
    auto v = readTensorFile(dataSet + "/input_" + std::to_string(k) + ".pb");
    if (!v) break;
    if (freeze) {
      co.constInputs[name] = *v;
      if (frozen) frozen->push_back(k);
    } else {
      co.shapes[name] = v->shape;
    }
    r = compileModel(co);
  }
  return r;
}

namespace {

template <typename T>
void quantizeTo(const Tensor& f, float scale, int32_t zp, Tensor& t) {
  for (int64_t i = 0; i < f.numel(); ++i) t.data<T>()[i] = q::quantize_value<T>(f.data<float>()[i], scale, zp);
}

// ONNX QuantizeLinear of a float tensor to the (int8, uint8 or int16) type.
Tensor quantizeInput(const Tensor& f, const TensorType& type) {
  Tensor t = Tensor::zeros(type.dtype, type.shape);
  const float scale = type.quant->scale[0];
  const int32_t zp = type.quant->zero_point.empty() ? 0 : type.quant->zero_point[0];
  if (type.dtype == DType::Int8) quantizeTo<int8_t>(f, scale, zp, t);
  else if (type.dtype == DType::UInt8) quantizeTo<uint8_t>(f, scale, zp, t);
  else if (type.dtype == DType::Int16) quantizeTo<int16_t>(f, scale, zp, t);
  else return f;
  return t;
}

}  // namespace

Status stageInputs(const Graph& g, const std::string& modelPath, const std::string& dataSet,
                   const std::string& caseDir) {
  const std::vector<std::string> names = onnxInputNames(modelPath);
  std::string ignored;
  runCommand("mkdir -p '" + caseDir + "'", ignored);
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    const Value* x = g.inputs[k];
    auto pos = std::find(names.begin(), names.end(), x->name);
    size_t file = pos == names.end() ? k : static_cast<size_t>(pos - names.begin());
    const std::string path = dataSet + "/input_" + std::to_string(file) + ".pb";
    auto in = readTensorFile(path);
    if (!in) return in.status();
    // A float input for an integer input with per-tensor quantization (a model
    // compiled with --quantize-io int8): quantized as the entry point would.
    if (in->dtype == DType::Float32 && x->type.quant && x->type.quant->scale.size() == 1 &&
        in->numel() == numElements(x->type.shape))
      *in = quantizeInput(*in, x->type);
    // Sizes, not dtypes: a bfloat16 tensor may be stored as uint16.
    if (in->bytes.size() != x->type.bytes())
      return Status::error(path + ": " + std::string(dtypeName(in->dtype)) + "[" + shapeToString(in->shape) +
                           "] does not match input '" + x->name + "' " + dtypeName(x->type.dtype) + "[" +
                           shapeToString(x->type.shape) + "]");
    if (!writeFile(caseDir + "/in_" + std::to_string(k) + ".bin", std::string(in->bytes.begin(), in->bytes.end())))
      return Status::error("cannot write to " + caseDir);
  }
  return Status::ok();
}

}  // namespace tmlc
