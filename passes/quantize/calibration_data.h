// calibration_data.h: reads the calibration samples of `--calibration DIR`.
//
// DIR holds either
//   * ONNX test-data folders: DIR/test_data_set_N/input_K.pb (one sample per
//     folder, K the input's position; DIR itself may be such a folder), or
//   * NumPy .npy files, one per model input: DIR/NAME.npy (NAME the input's
//     ONNX name) or DIR/input_K.npy; a model with one input also takes a single
//     .npy of any name. Each holds S samples stacked on a new leading axis,
//     shape [S, *input_shape] (or any shape whose size is S times the input's),
//     C order, dtype float32/float64/int8/uint8/int16/int32/int64/bool.
// Samples come back converted to each input's dtype, in a stable order.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tmlc {

// samples[s][k] is input k of sample s, with the input's dtype and shape.
Expected<std::vector<std::vector<Tensor>>> loadCalibrationData(const Graph& g, const std::string& dir,
                                                               int maxSamples);

// A .npy file as a Tensor of its own dtype and shape.
Expected<Tensor> readNpy(const std::string& path);

}  // namespace tmlc
