#include "ops/op_util.h"

#include <algorithm>

namespace tmlc {

Status checkArity(const Node& n, size_t minIn, size_t maxIn) {
  size_t present = n.inputs.size();
  if (present < minIn || present > maxIn) {
    std::string want = minIn == maxIn ? std::to_string(minIn)
                                      : std::to_string(minIn) + " to " + std::to_string(maxIn);
    return Status::error("expected " + want + " inputs, got " + std::to_string(present));
  }
  for (size_t i = 0; i < minIn; ++i)
    if (!n.inputs[i]) return Status::error("required input " + std::to_string(i) + " is missing");
  return Status::ok();
}

Status requireInput(const Node& n, size_t i) {
  if (!n.input(i)) return Status::error("required input " + std::to_string(i) + " is missing");
  return Status::ok();
}

Expected<Shape> broadcastShapes(const std::vector<Shape>& shapes) {
  size_t rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.size());
  Shape out(rank, 1);
  for (const Shape& s : shapes) {
    size_t off = rank - s.size();
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[off + i];
      if (s[i] == o || s[i] == 1) continue;
      if (o == 1) {
        o = s[i];
        continue;
      }
      std::string a, b;
      for (const Shape& x : shapes) a += (a.empty() ? "" : " and ") + shapeToString(x);
      return Status::error("shapes " + a + " do not broadcast");
    }
  }
  return out;
}

Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= std::max<int64_t>(rank, 1))
    return Status::error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return a;
}

Expected<std::vector<int64_t>> constInts(const Node& n, size_t i, const char* what) {
  const Value* v = n.input(i);
  if (!v) return Status::error(std::string("input '") + what + "' is missing");
  if (!v->isConstant())
    return Status::error(std::string("input '") + what + "' ('" + v->name +
                         "') must be a compile-time constant (an initializer, or --const-input)");
  return v->constant->toInts();
}

BroadcastPlan planBroadcast(const Shape& out, const std::vector<Shape>& ins) {
  const size_t rank = out.size();
  const size_t nIn = ins.size();
  // Element strides of each input in output coordinates (0 where broadcast).
  std::vector<std::vector<int64_t>> st(nIn, std::vector<int64_t>(rank, 0));
  for (size_t k = 0; k < nIn; ++k) {
    const Shape& s = ins[k];
    int64_t stride = 1;
    for (size_t j = 0; j < s.size() && j < rank; ++j) {
      size_t d = s.size() - 1 - j;
      size_t od = rank - 1 - j;
      st[k][od] = s[d] == 1 ? 0 : stride;
      stride *= s[d];
    }
  }
  // Merge dimension d into the previous one when every operand is contiguous across them.
  std::vector<int64_t> mdims;
  std::vector<std::vector<int64_t>> mst(nIn);
  for (size_t d = 0; d < rank; ++d) {
    if (out[d] == 1) continue;  // size-1 dims contribute nothing
    if (!mdims.empty()) {
      bool mergeable = true;
      for (size_t k = 0; k < nIn; ++k)
        if (mst[k].back() != st[k][d] * out[d]) mergeable = false;
      if (mergeable) {
        mdims.back() *= out[d];
        for (size_t k = 0; k < nIn; ++k) mst[k].back() = st[k][d];
        continue;
      }
    }
    mdims.push_back(out[d]);
    for (size_t k = 0; k < nIn; ++k) mst[k].push_back(st[k][d]);
  }
  if (mdims.empty()) {
    mdims.push_back(1);
    for (size_t k = 0; k < nIn; ++k) mst[k].push_back(0);
  }
  BroadcastPlan p;
  p.count = static_cast<int32_t>(numElements(out));
  for (int64_t d : mdims) p.dims.push_back(static_cast<int32_t>(d));
  p.strides.resize(nIn);
  for (size_t k = 0; k < nIn; ++k)
    for (int64_t v : mst[k]) p.strides[k].push_back(static_cast<int32_t>(v));
  return p;
}

tmlc::BroadcastParams makeBroadcast(const Shape& out, const std::vector<Shape>& ins) {
  return toBroadcastN<tmlc::kMaxOperands>(planBroadcast(out, ins));
}

std::string printBroadcast(const BroadcastPlan& p, size_t rows) {
  auto arr = [](const std::vector<int32_t>& a) {
    std::string r = "{";
    for (size_t d = 0; d < a.size(); ++d) r += (d ? ", " : "") + std::to_string(a[d]);
    return r + "}";
  };
  std::string r = "{" + std::to_string(p.count) + ", " + std::to_string(p.dims.size()) + ", " + arr(p.dims) + ", {";
  for (size_t k = 0; k < rows; ++k)
    r += (k ? ", " : "") + arr(k < p.strides.size() ? p.strides[k] : std::vector<int32_t>(p.dims.size(), 0));
  return r + "}}";
}

std::string printBroadcast(const tmlc::BroadcastParams& p) {
  auto arr = [&](const int32_t* a) {
    std::string r = "{";
    for (int32_t d = 0; d < p.rank; ++d) r += (d ? ", " : "") + std::to_string(a[d]);
    return r + "}";
  };
  std::string r = "{" + std::to_string(p.count) + ", " + std::to_string(p.rank) + ", " + arr(p.dims) + ", {";
  for (int k = 0; k < tmlc::kMaxOperands; ++k) r += (k ? ", " : "") + arr(p.strides[k]);
  return r + "}}";
}

}  // namespace tmlc
