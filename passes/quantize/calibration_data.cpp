#include "passes/quantize/calibration_data.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "frontend/tensor_proto.h"

namespace tmlc {

namespace {

bool isDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool isFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> listDir(const std::string& dir) {
  std::vector<std::string> r;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") r.push_back(n);
    }
    closedir(d);
  }
  // Natural order, so test_data_set_10 comes after test_data_set_9.
  std::sort(r.begin(), r.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return r;
}

bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

// Converts element values (any dtype) into `to` (float or integer).
Tensor convert(const Tensor& t, DType to, const Shape& shape, int64_t offset) {
  Tensor r = Tensor::zeros(to, shape);
  const int64_t n = numElements(shape);
  for (int64_t i = 0; i < n; ++i) {
    const double v = t.getDouble(offset + i);
    switch (to) {
      case DType::Float32: r.data<float>()[i] = static_cast<float>(v); break;
      case DType::Float64: r.data<double>()[i] = v; break;
      case DType::Int8: r.data<int8_t>()[i] = static_cast<int8_t>(v); break;
      case DType::UInt8: r.data<uint8_t>()[i] = static_cast<uint8_t>(v); break;
      case DType::Int16: r.data<int16_t>()[i] = static_cast<int16_t>(v); break;
      case DType::Int32: r.data<int32_t>()[i] = static_cast<int32_t>(v); break;
      case DType::Int64: r.data<int64_t>()[i] = static_cast<int64_t>(v); break;
      case DType::Bool: r.data<bool>()[i] = v != 0; break;
      default: break;
    }
  }
  return r;
}

bool convertible(DType t) {
  switch (t) {
    case DType::Float32: case DType::Float64: case DType::Int8: case DType::UInt8: case DType::Int16:
    case DType::Int32: case DType::Int64: case DType::Bool: return true;
    default: return false;
  }
}

Expected<std::vector<Tensor>> readPbSample(const Graph& g, const std::string& dir) {
  std::vector<Tensor> r;
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    const std::string path = dir + "/input_" + std::to_string(k) + ".pb";
    auto t = readTensorFile(path);
    if (!t) return t.status();
    const Value* in = g.inputs[k];
    if (t->numel() != numElements(in->type.shape))
      return Status::error(path + ": " + std::to_string(t->numel()) + " elements, input '" + in->name + "' has " +
                           std::to_string(numElements(in->type.shape)));
    if (!convertible(t->dtype) || !convertible(in->type.dtype))
      return Status::error(path + ": cannot use dtype " + dtypeName(t->dtype) + " for input '" + in->name + "'");
    r.push_back(convert(*t, in->type.dtype, in->type.shape, 0));
  }
  return r;
}

}  // namespace

Expected<Tensor> readNpy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::error("cannot open " + path);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) return Status::error(path + ": not a .npy file");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t hlen = 0, hstart = 0;
  if (major == 1) {
    hlen = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    hstart = 10;
  } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
    for (int i = 0; i < 4; ++i) hlen |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    hstart = 12;
  } else {
    return Status::error(path + ": unsupported .npy version " + std::to_string(major));
  }
  if (hstart + hlen > bytes.size()) return Status::error(path + ": truncated header");
  const std::string h = bytes.substr(hstart, hlen);
  auto field = [&](const std::string& key) -> std::string {
    size_t k = h.find("'" + key + "'");
    if (k == std::string::npos) return "";
    size_t c = h.find(':', k);
    if (c == std::string::npos) return "";
    size_t s = h.find_first_not_of(' ', c + 1);
    if (s == std::string::npos) return "";
    if (h[s] == '\'') return h.substr(s + 1, h.find('\'', s + 1) - s - 1);
    if (h[s] == '(') return h.substr(s + 1, h.find(')', s) - s - 1);
    return h.substr(s, h.find_first_of(",}", s) - s);
  };
  const std::string descr = field("descr"), fortran = field("fortran_order"), shapeStr = field("shape");
  if (fortran != "False") return Status::error(path + ": Fortran-order arrays are not supported");
  struct Kind {
    const char* descr;
    DType dt;
  };
  static const Kind kKinds[] = {{"<f4", DType::Float32}, {"<f8", DType::Float64}, {"|i1", DType::Int8},
                                {"|u1", DType::UInt8},   {"<i2", DType::Int16},   {"<i4", DType::Int32},
                                {"<i8", DType::Int64},   {"|b1", DType::Bool}};
  DType dt = DType::Undefined;
  for (const Kind& k : kKinds)
    if (descr == k.descr) dt = k.dt;
  if (dt == DType::Undefined) return Status::error(path + ": unsupported dtype '" + descr + "'");
  Shape shape;
  size_t pos = 0;
  while (pos < shapeStr.size()) {
    size_t e = shapeStr.find(',', pos);
    std::string d = shapeStr.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
    d.erase(std::remove(d.begin(), d.end(), ' '), d.end());
    if (!d.empty()) {
      if (d.find_first_not_of("0123456789") != std::string::npos) return Status::error(path + ": bad shape");
      shape.push_back(std::stoll(d));
    }
    if (e == std::string::npos) break;
    pos = e + 1;
  }
  Tensor t;
  t.dtype = dt;
  t.shape = shape;
  const size_t need = dtypeSize(dt) * static_cast<size_t>(numElements(shape));
  const size_t data = hstart + hlen;
  if (bytes.size() - data < need) return Status::error(path + ": truncated data");
  t.bytes.assign(bytes.begin() + static_cast<long>(data), bytes.begin() + static_cast<long>(data + need));
  return t;
}

Expected<std::vector<std::vector<Tensor>>> loadCalibrationData(const Graph& g, const std::string& dir,
                                                               int maxSamples) {
  if (!isDir(dir)) return Status::error("calibration directory '" + dir + "' does not exist");
  std::vector<std::vector<Tensor>> samples;
  auto full = [&] { return maxSamples > 0 && samples.size() >= static_cast<size_t>(maxSamples); };
  const std::vector<std::string> entries = listDir(dir);

  // ONNX test-data folders (or DIR itself is one).
  if (isFile(dir + "/input_0.pb")) {
    auto s = readPbSample(g, dir);
    if (!s) return s.status();
    samples.push_back(std::move(*s));
  }
  for (const std::string& e : entries) {
    if (full()) break;
    if (e.rfind("test_data_set_", 0) != 0 || !isDir(dir + "/" + e)) continue;
    auto s = readPbSample(g, dir + "/" + e);
    if (!s) return s.status();
    samples.push_back(std::move(*s));
  }
  if (!samples.empty()) return samples;

  // .npy files, one per input.
  std::vector<std::string> npys;
  for (const std::string& e : entries)
    if (endsWith(e, ".npy")) npys.push_back(e);
  std::vector<Tensor> arrays;
  for (size_t k = 0; k < g.inputs.size(); ++k) {
    const Value* in = g.inputs[k];
    std::string file;
    for (const std::string& cand : {in->name + ".npy", "input_" + std::to_string(k) + ".npy"})
      if (std::find(npys.begin(), npys.end(), cand) != npys.end()) file = cand;
    if (file.empty() && g.inputs.size() == 1 && npys.size() == 1) file = npys[0];
    if (file.empty())
      return Status::error("calibration directory '" + dir + "' has no test_data_set_N folders and no " + in->name +
                           ".npy or input_" + std::to_string(k) + ".npy (see docs/quantization.md)");
    auto t = readNpy(dir + "/" + file);
    if (!t) return t.status();
    if (!convertible(in->type.dtype)) return Status::error("input '" + in->name + "' has an unsupported dtype");
    arrays.push_back(std::move(*t));
  }
  int64_t count = -1;
  for (size_t k = 0; k < arrays.size(); ++k) {
    const int64_t per = numElements(g.inputs[k]->type.shape);
    if (per == 0 || arrays[k].numel() % per)
      return Status::error("calibration array for input '" + g.inputs[k]->name + "' has " +
                           std::to_string(arrays[k].numel()) + " elements, not a multiple of the input's " +
                           std::to_string(per));
    const int64_t c = arrays[k].numel() / per;
    if (count >= 0 && c != count) return Status::error("calibration arrays hold different numbers of samples");
    count = c;
  }
  for (int64_t s = 0; s < count && !full(); ++s) {
    std::vector<Tensor> sample;
    for (size_t k = 0; k < arrays.size(); ++k) {
      const Value* in = g.inputs[k];
      const int64_t per = numElements(in->type.shape);
      sample.push_back(convert(arrays[k], in->type.dtype, in->type.shape, s * per));
    }
    samples.push_back(std::move(sample));
  }
  if (samples.empty()) return Status::error("calibration directory '" + dir + "' holds no samples");
  return samples;
}

}  // namespace tmlc
