#include "frontend/tensor_proto.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace tmlc {

namespace {
template <typename Src, typename Dst>
void copyField(Tensor& t, const Src& field) {
  for (int i = 0; i < field.size(); ++i) {
    Dst v = static_cast<Dst>(field.Get(i));
    std::memcpy(t.bytes.data() + static_cast<size_t>(i) * sizeof(Dst), &v, sizeof(Dst));
  }
}
}  // namespace

Expected<Tensor> tensorFromProto(const onnx::TensorProto& p, const std::string& baseDir) {
  auto dt = dtypeFromOnnx(p.data_type());
  const std::string name = p.name().empty() ? "<unnamed>" : p.name();
  if (!dt) {
    return Status::error("tensor '" + name + "' has unsupported data type " +
                         std::to_string(p.data_type()) + " (strings and complex are not supported)");
  }
  Shape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0) return Status::error("tensor '" + name + "' has a negative dimension");
  Tensor t = Tensor::zeros(*dt, shape);
  const size_t nbytes = t.bytes.size();
  const size_t n = static_cast<size_t>(t.numel());

  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto& kv : p.external_data()) {
      if (kv.key() == "location") location = kv.value();
      if (kv.key() == "offset") offset = std::stoll(kv.value());
      if (kv.key() == "length") length = std::stoll(kv.value());
    }
    if (location.empty() || location.find("..") != std::string::npos || location[0] == '/')
      return Status::error("tensor '" + name + "' has an invalid external data location '" + location + "'");
    std::string path = baseDir.empty() ? location : baseDir + "/" + location;
    std::ifstream f(path, std::ios::binary);
    if (!f) return Status::error("tensor '" + name + "': cannot open external data file '" + path + "'");
    f.seekg(offset);
    if (length >= 0 && static_cast<size_t>(length) != nbytes)
      return Status::error("tensor '" + name + "': external data length " + std::to_string(length) +
                           " does not match its shape (" + std::to_string(nbytes) + " bytes)");
    f.read(reinterpret_cast<char*>(t.bytes.data()), static_cast<std::streamsize>(nbytes));
    if (static_cast<size_t>(f.gcount()) != nbytes)
      return Status::error("tensor '" + name + "': external data file '" + path + "' is too short");
    return t;
  }
  if (p.has_raw_data()) {
    if (p.raw_data().size() != nbytes)
      return Status::error("tensor '" + name + "' has " + std::to_string(p.raw_data().size()) +
                           " bytes of raw data, its shape needs " + std::to_string(nbytes));
    std::memcpy(t.bytes.data(), p.raw_data().data(), nbytes);
    return t;
  }
  auto sizeError = [&](int have) {
    return Status::error("tensor '" + name + "' has " + std::to_string(have) +
                         " elements, its shape needs " + std::to_string(n));
  };
  switch (*dt) {
    case DType::Float32:
      if (static_cast<size_t>(p.float_data_size()) != n) return sizeError(p.float_data_size());
      copyField<decltype(p.float_data()), float>(t, p.float_data());
      break;
    case DType::Float64:
      if (static_cast<size_t>(p.double_data_size()) != n) return sizeError(p.double_data_size());
      copyField<decltype(p.double_data()), double>(t, p.double_data());
      break;
    case DType::Int64:
      if (static_cast<size_t>(p.int64_data_size()) != n) return sizeError(p.int64_data_size());
      copyField<decltype(p.int64_data()), int64_t>(t, p.int64_data());
      break;
    case DType::UInt32:
    case DType::UInt64:
      if (static_cast<size_t>(p.uint64_data_size()) != n) return sizeError(p.uint64_data_size());
      if (*dt == DType::UInt32) copyField<decltype(p.uint64_data()), uint32_t>(t, p.uint64_data());
      else copyField<decltype(p.uint64_data()), uint64_t>(t, p.uint64_data());
      break;
    default:  // int32_data carries int32, int16, int8, uint16, uint8, bool, float16 bits
      if (static_cast<size_t>(p.int32_data_size()) != n) return sizeError(p.int32_data_size());
      switch (dtypeSize(*dt)) {
        case 1: copyField<decltype(p.int32_data()), uint8_t>(t, p.int32_data()); break;
        case 2: copyField<decltype(p.int32_data()), uint16_t>(t, p.int32_data()); break;
        default: copyField<decltype(p.int32_data()), int32_t>(t, p.int32_data()); break;
      }
  }
  return t;
}

Expected<Tensor> readTensorFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::error(path + ": cannot open");
  std::stringstream ss;
  ss << f.rdbuf();
  onnx::TensorProto p;
  if (!p.ParseFromString(ss.str())) return Status::error(path + ": not a TensorProto");
  std::string dir = path.substr(0, path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/'));
  auto t = tensorFromProto(p, dir);
  if (!t) return Status::error(path + ": " + t.status().message());
  return t;
}

}  // namespace tmlc
