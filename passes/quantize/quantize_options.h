// quantize_options.h: what the user asked of post-training quantization
// (`tmlc compile --quantize int8 --calibration DIR ...`). Part of PassOptions;
// the quantization passes do nothing while `mode` is empty.
#pragma once

#include <string>

namespace tmlc {

struct QuantizeOptions {
  std::string mode;               // "" (float model as given), "int8" or "int16x8"
  std::string calibrationDir;     // samples: docs/quantization.md
  std::string method = "minmax";  // minmax, percentile or mse
  double percentile = 99.99;      // for method percentile
  std::string io = "float";       // model inputs/outputs: "float", "int8" (int8) or "int16" (int16x8)
  std::string workDir;            // scratch for the calibration build; default a temp dir
  int maxSamples = 0;             // 0: every sample in the directory
  bool progress = true;           // a progress bar on stderr when it is a terminal
};

}  // namespace tmlc
