/* model.h: the generic description every generated model exports (C and C++).
 *
 * A tool that drives any model (a test harness, a validation runner) reads
 * NAME_model() and calls its run function with one buffer per input and output.
 * dtype codes are ONNX's TensorProto.DataType numbers (1 = float32, 3 = int8,
 * 7 = int64, 9 = bool, ...). */
#ifndef TMLC_MODEL_H
#define TMLC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tmlc_tensor_info {
  const char* name;      /* the ONNX value name */
  int32_t dtype;         /* ONNX TensorProto.DataType code */
  int32_t rank;
  const int32_t* shape;  /* rank entries */
  uint32_t bytes;        /* size of the buffer */
} tmlc_tensor_info;

typedef struct tmlc_model_info {
  const char* name;
  int32_t num_inputs;
  const tmlc_tensor_info* inputs;
  int32_t num_outputs;
  const tmlc_tensor_info* outputs;
  uint32_t arena_bytes;
  /* Runs one inference: inputs[i] and outputs[i] point at buffers of
   * inputs[i].bytes / outputs[i].bytes bytes. Returns 0. */
  int (*run)(const void* const* inputs, void* const* outputs);
} tmlc_model_info;

#ifdef __cplusplus
}
#endif

#endif /* TMLC_MODEL_H */
