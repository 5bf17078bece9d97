// tensor_proto.h: ONNX TensorProto <-> Tensor, including external data.
#pragma once

#include <string>

#include "ir/graph.h"
#include "onnx/onnx_pb.h"
#include "support/status.h"

namespace tmlc {

// Converts a TensorProto. `baseDir` resolves external data locations.
Expected<Tensor> tensorFromProto(const onnx::TensorProto& p, const std::string& baseDir);
// Reads a serialized TensorProto file (test_data_set_N/input_K.pb).
Expected<Tensor> readTensorFile(const std::string& path);

}  // namespace tmlc
