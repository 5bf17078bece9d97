#include "ops/tensor/copy_plan.h"

#include <limits>

namespace tmlc {

std::vector<int64_t> denseStrides(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

Expected<std::optional<tmlc::CopyParams>> makeCopy(const CopyBox& box) {
  std::vector<int64_t> dims, src, dst;
  for (size_t d = 0; d < box.dims.size(); ++d) {
    if (box.dims[d] == 0) return std::optional<tmlc::CopyParams>();
    if (box.dims[d] == 1) continue;
    if (!dims.empty() && src.back() == box.src[d] * box.dims[d] && dst.back() == box.dst[d] * box.dims[d]) {
      dims.back() *= box.dims[d];
      src.back() = box.src[d];
      dst.back() = box.dst[d];
      continue;
    }
    dims.push_back(box.dims[d]);
    src.push_back(box.src[d]);
    dst.push_back(box.dst[d]);
  }
  if (dims.empty()) {
    dims = {1};
    src = {1};
    dst = {1};
  }
  if (dims.size() > static_cast<size_t>(tmlc::kMaxRank))
    return Status::error("a copy of " + std::to_string(dims.size()) + " non-contiguous dimensions is not supported (at most " +
                         std::to_string(tmlc::kMaxRank) + ")");
  tmlc::CopyParams p{};
  p.rank = static_cast<int32_t>(dims.size());
  for (size_t d = 0; d < dims.size(); ++d) {
    p.dims[d] = static_cast<int32_t>(dims[d]);
    p.src_strides[d] = static_cast<int32_t>(src[d]);
    p.dst_strides[d] = static_cast<int32_t>(dst[d]);
  }
  p.src_offset = static_cast<int32_t>(box.srcOffset);
  p.dst_offset = static_cast<int32_t>(box.dstOffset);
  return std::optional<tmlc::CopyParams>(p);
}

std::string printArray(const int32_t* a, int n) {
  std::string r = "{";
  for (int i = 0; i < n; ++i) r += (i ? ", " : "") + std::to_string(a[i]);
  return r + "}";
}

std::string printCopy(const tmlc::CopyParams& p) {
  return "{" + std::to_string(p.rank) + ", " + printArray(p.dims, p.rank) + ", " + printArray(p.src_strides, p.rank) +
         ", " + printArray(p.dst_strides, p.rank) + ", " + std::to_string(p.src_offset) + ", " +
         std::to_string(p.dst_offset) + "}";
}

void emitCopy(EmitContext& ctx, const Node& n, const tmlc::CopyParams& p, const Value* src, const Value* dst,
              const std::string& suffix) {
  ctx.include("tmlc/kernels/copy.h");
  std::string name = ctx.params(n, "tmlc::CopyParams", printCopy(p), suffix);
  ctx.call("tmlc::strided_copy<" + EmitContext::ctype(dst) + ">(" + name + ", " + ctx.ref(src) + ", " + ctx.ref(dst) +
           ");");
}

void runCopy(const tmlc::CopyParams& p, const Tensor& src, Tensor& dst) {
  switch (dtypeSize(dst.dtype)) {
    case 1: tmlc::strided_copy_bytes<1>(p, src.bytes.data(), dst.bytes.data()); break;
    case 2: tmlc::strided_copy_bytes<2>(p, src.bytes.data(), dst.bytes.data()); break;
    case 4: tmlc::strided_copy_bytes<4>(p, src.bytes.data(), dst.bytes.data()); break;
    case 8: tmlc::strided_copy_bytes<8>(p, src.bytes.data(), dst.bytes.data()); break;
    default: break;
  }
}

Status checkIndexable(const Shape& s) {
  if (numElements(s) > std::numeric_limits<int32_t>::max())
    return Status::error("tensor " + shapeToString(s) + " has more than 2^31 elements, which is not supported");
  return Status::ok();
}

}  // namespace tmlc
