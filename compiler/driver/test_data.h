// test_data.h: models with reference data in the layout of the ONNX backend
// tests (DIR/test_data_set_N/input_K.pb, output_K.pb), as `tmlc validate` and
// the test runners read them.
#pragma once

#include <string>
#include <vector>

#include "driver/compile_model.h"
#include "support/status.h"

namespace tmlc {

// The data sets under `dir`, sorted by N; {dir} itself when it holds
// input_0.pb or output_0.pb.
std::vector<std::string> listDataSets(const std::string& dir);

// The model's inputs that are not initializers, in order: input_K.pb is the
// K-th of these.
std::vector<std::string> onnxInputNames(const std::string& modelPath);

// compileModel, and where it fails because an input must be a compile-time
// constant (a Reshape's shape, an axes tensor) or has a dynamic dimension,
// again with that input frozen to (or shaped like) its value in `dataSet`,
// as a user would with --const-input or --shape. `frozen` receives the file
// indices of the frozen inputs.
Expected<CompileResult> compileWithTestData(CompileOptions& co, const std::string& dataSet,
                                            std::vector<int>* frozen);

// Writes graph input k of `g` as raw bytes to caseDir/in_k.bin, from the
// input_K.pb of `dataSet` that holds it (skipping frozen inputs).
Status stageInputs(const Graph& g, const std::string& modelPath, const std::string& dataSet,
                   const std::string& caseDir);

}  // namespace tmlc
