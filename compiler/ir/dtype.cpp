#include "ir/dtype.h"

namespace tmlc {

size_t dtypeSize(DType t) {
  switch (t) {
#define TMLC_X(e, code, ct, bytes, s) \
  case DType::e:                      \
    return bytes;
    TMLC_DTYPES(TMLC_X)
#undef TMLC_X
    default:
      return 0;
  }
}

const char* dtypeCType(DType t) {
  switch (t) {
#define TMLC_X(e, code, ct, bytes, s) \
  case DType::e:                      \
    return ct;
    TMLC_DTYPES(TMLC_X)
#undef TMLC_X
    default:
      return "void";
  }
}

const char* dtypeName(DType t) {
  switch (t) {
#define TMLC_X(e, code, ct, bytes, s) \
  case DType::e:                      \
    return s;
    TMLC_DTYPES(TMLC_X)
#undef TMLC_X
    default:
      return "undef";
  }
}

std::optional<DType> dtypeFromOnnx(int code) {
  switch (code) {
#define TMLC_X(e, c, ct, bytes, s) \
  case c:                          \
    return DType::e;
    TMLC_DTYPES(TMLC_X)
#undef TMLC_X
    default:
      return std::nullopt;
  }
}

bool isFloat(DType t) {
  return t == DType::Float32 || t == DType::Float64 || t == DType::Float16 || t == DType::BFloat16;
}
bool isSignedInt(DType t) {
  return t == DType::Int8 || t == DType::Int16 || t == DType::Int32 || t == DType::Int64;
}
bool isUnsignedInt(DType t) {
  return t == DType::UInt8 || t == DType::UInt16 || t == DType::UInt32 || t == DType::UInt64;
}

}  // namespace tmlc
