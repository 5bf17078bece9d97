// dtype.h: element types of tensors in the IR.
//
// The enum values are ONNX's TensorProto.DataType codes, so the frontend maps
// them one to one and generated metadata (tmlc_tensor_info.dtype) uses the same
// numbers a tool reading the .onnx file would see.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace tmlc {

// X(enumerator, onnx code, C++ storage type, bytes, short name for IR dumps)
#define TMLC_DTYPES(X)                           \
  X(Float32, 1, "float", 4, "f32")               \
  X(UInt8, 2, "uint8_t", 1, "u8")                \
  X(Int8, 3, "int8_t", 1, "i8")                  \
  X(UInt16, 4, "uint16_t", 2, "u16")             \
  X(Int16, 5, "int16_t", 2, "i16")               \
  X(Int32, 6, "int32_t", 4, "i32")               \
  X(Int64, 7, "int64_t", 8, "i64")               \
  X(Bool, 9, "bool", 1, "bool")                  \
  X(Float16, 10, "tmlc::float16", 2, "f16")      \
  X(Float64, 11, "double", 8, "f64")             \
  X(UInt32, 12, "uint32_t", 4, "u32")            \
  X(UInt64, 13, "uint64_t", 8, "u64")            \
  X(BFloat16, 16, "tmlc::bfloat16", 2, "bf16")

enum class DType : int {
  Undefined = 0,
#define TMLC_X(e, code, ct, bytes, s) e = code,
  TMLC_DTYPES(TMLC_X)
#undef TMLC_X
};

size_t dtypeSize(DType t);
const char* dtypeCType(DType t);   // storage type in generated C++
const char* dtypeName(DType t);    // short name, "f32"
std::optional<DType> dtypeFromOnnx(int code);
bool isFloat(DType t);             // f16, bf16, f32, f64
bool isSignedInt(DType t);
bool isUnsignedInt(DType t);
inline bool isInteger(DType t) { return isSignedInt(t) || isUnsignedInt(t); }

}  // namespace tmlc
