// tensor_proto.h: ONNX TensorProto <-> Tensor, including external data.
#pragma once

#include <string>

#include "ir/graph.h"
#include "onnx/onnx_pb.h"
#include "support/status.h"

namespace tmlc {

// The largest tensor tmlc accepts (2 GiB): far beyond any microcontroller,
// small enough that sizes never overflow.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 31;
// Bytes of a tensor, or -1 when a dimension is negative or it is larger than
// kMaxTensorBytes. Check shapes from a model with this before allocating.
int64_t tensorBytes(DType dt, const Shape& shape);

// Converts a TensorProto. `baseDir` resolves external data locations.
Expected<Tensor> tensorFromProto(const onnx::TensorProto& p, const std::string& baseDir);
// Reads a serialized TensorProto file (test_data_set_N/input_K.pb).
Expected<Tensor> readTensorFile(const std::string& path);

}  // namespace tmlc
