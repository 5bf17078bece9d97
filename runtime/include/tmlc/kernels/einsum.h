// einsum.h: Einstein summation over one to three operands.
//
// The compiler resolves the equation into two index spaces: the output's
// (out_dims, row-major over y) and the summed one (sum_dims). For each
// operand and each index it gives the element stride (strides of axes that
// share a label add up, which takes diagonals; 0 where the operand lacks the
// label or broadcasts it). y[o] = sum over s of prod_k x_k[off_k(o) + off_k(s)].
#pragma once

#include "tmlc/kernels/accum.h"
#include "tmlc/kernels/broadcast.h"

namespace tmlc {

struct EinsumParams {
  int32_t operands;  // 1 to kMaxOperands
  int32_t out_rank, sum_rank;
  int32_t out_dims[kMaxRank], sum_dims[kMaxRank];
  int32_t out_strides[kMaxOperands][kMaxRank];
  int32_t sum_strides[kMaxOperands][kMaxRank];
};

namespace einsum_detail {

// Advances an index odometer; adds each operand's stride changes to off.
TMLC_ALWAYS_INLINE bool next(int32_t rank, const int32_t* dims, const int32_t (*strides)[kMaxRank], int32_t operands,
                             int32_t* idx, int32_t* off) noexcept {
  for (int32_t d = rank - 1; d >= 0; --d) {
    ++idx[d];
    for (int32_t k = 0; k < operands; ++k) off[k] += strides[k][d];
    if (idx[d] < dims[d]) return true;
    for (int32_t k = 0; k < operands; ++k) off[k] -= strides[k][d] * dims[d];
    idx[d] = 0;
  }
  return false;
}

}  // namespace einsum_detail

template <typename T>
inline void einsum(const EinsumParams& p, const T* TMLC_RESTRICT a, const T* TMLC_RESTRICT b,
                   const T* TMLC_RESTRICT c, T* TMLC_RESTRICT y) noexcept {
  using A = accum_t<T>;
  const T* x[kMaxOperands] = {a, b, c};
  int32_t out_count = 1, sum_count = 1;
  for (int32_t d = 0; d < p.out_rank; ++d) out_count *= p.out_dims[d];
  for (int32_t d = 0; d < p.sum_rank; ++d) sum_count *= p.sum_dims[d];
  int32_t oidx[kMaxRank] = {0}, ooff[kMaxOperands] = {0, 0, 0};
  for (int32_t o = 0; o < out_count; ++o) {
    int32_t sidx[kMaxRank] = {0}, soff[kMaxOperands] = {0, 0, 0};
    A acc = A(0);
    for (int32_t s = 0; s < sum_count; ++s) {
      A prod = A(x[0][ooff[0] + soff[0]]);
      for (int32_t k = 1; k < p.operands; ++k) prod = A(prod * A(x[k][ooff[k] + soff[k]]));
      acc = A(acc + prod);
      einsum_detail::next(p.sum_rank, p.sum_dims, p.sum_strides, p.operands, sidx, soff);
    }
    y[o] = T(acc);
    einsum_detail::next(p.out_rank, p.out_dims, p.out_strides, p.operands, oidx, ooff);
  }
}

}  // namespace tmlc
