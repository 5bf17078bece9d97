#include "frontend/tensor_proto.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace tmlc {

namespace {
// Elements stored in the typed field that carries dt's values.
int fieldCount(const onnx::TensorProto& p, DType dt) {
  switch (dt) {
    case DType::Float32: return p.float_data_size();
    case DType::Float64: return p.double_data_size();
    case DType::Int64: return p.int64_data_size();
    case DType::UInt32:
    case DType::UInt64: return p.uint64_data_size();
    default: return p.int32_data_size();
  }
}

// A non-negative decimal integer, or -1.
int64_t parseOffset(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(s);
}

template <typename Src, typename Dst>
void copyField(Tensor& t, const Src& field) {
  for (int i = 0; i < field.size(); ++i) {
    Dst v = static_cast<Dst>(field.Get(i));
    std::memcpy(t.bytes.data() + static_cast<size_t>(i) * sizeof(Dst), &v, sizeof(Dst));
  }
}
}  // namespace

int64_t tensorBytes(DType dt, const Shape& shape) {
  int64_t n = static_cast<int64_t>(dtypeSize(dt));
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d > 0 && n > kMaxTensorBytes / d) return -1;
    n *= d;
  }
  return n <= kMaxTensorBytes ? n : -1;
}

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
  // Check the size, and that the data is all there, before allocating.
  if (tensorBytes(*dt, shape) < 0)
    return Status::error("tensor '" + name + "' of shape " + shapeToString(shape) + " is too large");
  const size_t nbytes = static_cast<size_t>(tensorBytes(*dt, shape));
  const size_t n = static_cast<size_t>(numElements(shape));
  if (p.data_location() != onnx::TensorProto::EXTERNAL) {
    if (p.has_raw_data() ? p.raw_data().size() != nbytes : static_cast<size_t>(fieldCount(p, *dt)) != n)
      return Status::error("tensor '" + name + "' holds " +
                           (p.has_raw_data() ? std::to_string(p.raw_data().size()) + " bytes"
                                             : std::to_string(fieldCount(p, *dt)) + " elements") +
                           ", its shape " + shapeToString(shape) + " needs " +
                           (p.has_raw_data() ? std::to_string(nbytes) + " bytes" : std::to_string(n) + " elements"));
  }
  Tensor t;  // its bytes are allocated once the data is known to be there
  t.dtype = *dt;
  t.shape = shape;

  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const auto& kv : p.external_data()) {
      if (kv.key() == "location") location = kv.value();
      if (kv.key() == "offset" && (offset = parseOffset(kv.value())) < 0)
        return Status::error("tensor '" + name + "' has an invalid external data offset '" + kv.value() + "'");
      if (kv.key() == "length" && (length = parseOffset(kv.value())) < 0)
        return Status::error("tensor '" + name + "' has an invalid external data length '" + kv.value() + "'");
    }
    if (location.empty() || location.find("..") != std::string::npos || location[0] == '/')
      return Status::error("tensor '" + name + "' has an invalid external data location '" + location + "'");
    std::string path = baseDir.empty() ? location : baseDir + "/" + location;
    std::ifstream f(path, std::ios::binary);
    if (!f) return Status::error("tensor '" + name + "': cannot open external data file '" + path + "'");
    if (length >= 0 && static_cast<size_t>(length) != nbytes)
      return Status::error("tensor '" + name + "': external data length " + std::to_string(length) +
                           " does not match its shape (" + std::to_string(nbytes) + " bytes)");
    f.seekg(0, std::ios::end);
    const std::streamoff fileSize = f.tellg();
    if (fileSize < 0 || offset > fileSize || static_cast<size_t>(fileSize - offset) < nbytes)
      return Status::error("tensor '" + name + "': external data file '" + path + "' is too short");
    f.seekg(offset);
    t.bytes.resize(nbytes);
    f.read(reinterpret_cast<char*>(t.bytes.data()), static_cast<std::streamsize>(nbytes));
    if (static_cast<size_t>(f.gcount()) != nbytes)
      return Status::error("tensor '" + name + "': external data file '" + path + "' is too short");
    return t;
  }
  if (p.has_raw_data()) {
    if (p.raw_data().size() != nbytes)
      return Status::error("tensor '" + name + "' has " + std::to_string(p.raw_data().size()) +
                           " bytes of raw data, its shape needs " + std::to_string(nbytes));
    t.bytes.assign(p.raw_data().begin(), p.raw_data().end());
    return t;
  }
  auto sizeError = [&](int have) {
    return Status::error("tensor '" + name + "' has " + std::to_string(have) +
                         " elements, its shape needs " + std::to_string(n));
  };
  t.bytes.assign(nbytes, 0);
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
