// loss.h: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
//
//   tmlc::nll_loss<T, L>(params, x, labels, weight, loss)
//   tmlc::softmax_cross_entropy<T, L>(params, x, labels, weight, loss, log_prob)
//
//   x        [n, c, d]   scores (log-probabilities for nll_loss), d = the
//                        product of the dimensions after the class axis
//   labels   [n, d]      class indices, L = int32_t or int64_t
//   weight   [c]         per-class weights, or nullptr (all 1)
//   loss     [n, d]      reduction None; one value for Sum and Mean
//   log_prob [n, c, d]   log-softmax of x along c, or nullptr when not wanted
//
// Each sample contributes -weight[label] * logp[label], where logp is x for
// nll_loss and log_softmax(x) for softmax_cross_entropy. A sample whose label
// equals ignore_index (when has_ignore) contributes 0 and its weight is not
// applied. Sum adds the contributions; Mean divides that sum by the sum of the
// applied weights (the number of samples not ignored when there are no
// weights), as the ONNX reference does. A label outside [0, c) that is not
// ignored is undefined in ONNX; the kernel clamps it, so it never reads
// outside x or weight. Maths in float (double for double); no scratch: the
// log-softmax of each column is recomputed from its maximum and sum.
#pragma once

#include "tmlc/kernels/accum.h"

namespace tmlc {

enum class LossReduction : uint8_t { None = 0, Sum = 1, Mean = 2 };

struct LossParams {
  int32_t n, c, d;
  int64_t ignore_index;
  bool has_ignore;
  LossReduction reduction;
};

namespace detail {

// Walks the samples; logp(n, class, d) returns the log-probability of a class.
template <typename T, typename L, typename F>
TMLC_ALWAYS_INLINE void loss_reduce(const LossParams& p, const L* TMLC_RESTRICT labels,
                                    const T* TMLC_RESTRICT weight, T* TMLC_RESTRICT loss, F&& logp) noexcept {
  using M = math_t<T>;
  M sum = M(0), applied = M(0);
  for (int32_t i = 0; i < p.n; ++i)
    for (int32_t k = 0; k < p.d; ++k) {
      const int32_t at = i * p.d + k;
      const int64_t label = static_cast<int64_t>(labels[at]);
      M v = M(0), w = M(0);
      if (!(p.has_ignore && label == p.ignore_index)) {
        const int32_t cls = label < 0 ? 0 : (label >= p.c ? p.c - 1 : static_cast<int32_t>(label));
        w = weight ? M(weight[cls]) : M(1);
        v = -w * logp(i, cls, k);
      }
      if (p.reduction == LossReduction::None) {
        loss[at] = T(v);
      } else {
        sum += v;
        applied += w;
      }
    }
  if (p.reduction == LossReduction::Sum) loss[0] = T(sum);
  else if (p.reduction == LossReduction::Mean) loss[0] = T(sum / applied);
}

}  // namespace detail

template <typename T, typename L>
inline void nll_loss(const LossParams& p, const T* TMLC_RESTRICT x, const L* TMLC_RESTRICT labels,
                     const T* TMLC_RESTRICT weight, T* TMLC_RESTRICT loss) noexcept {
  using M = math_t<T>;
  detail::loss_reduce(p, labels, weight, loss, [&](int32_t i, int32_t cls, int32_t k) {
    return M(x[(i * p.c + cls) * p.d + k]);
  });
}

template <typename T, typename L>
inline void softmax_cross_entropy(const LossParams& p, const T* TMLC_RESTRICT x, const L* TMLC_RESTRICT labels,
                                  const T* TMLC_RESTRICT weight, T* TMLC_RESTRICT loss,
                                  T* TMLC_RESTRICT log_prob) noexcept {
  using M = math_t<T>;
  // log(sum(exp(x))) of column (i, k), the maximum subtracted first.
  auto lse = [&](int32_t i, int32_t k) {
    const T* col = x + i * p.c * p.d + k;
    M mx = M(col[0]);
    for (int32_t j = 1; j < p.c; ++j) mx = M(col[j * p.d]) > mx ? M(col[j * p.d]) : mx;
    M s = M(0);
    for (int32_t j = 0; j < p.c; ++j) s += std::exp(M(col[j * p.d]) - mx);
    return mx + std::log(s);
  };
  if (log_prob)
    for (int32_t i = 0; i < p.n; ++i)
      for (int32_t k = 0; k < p.d; ++k) {
        const M l = lse(i, k);
        for (int32_t j = 0; j < p.c; ++j) {
          const int32_t at = (i * p.c + j) * p.d + k;
          log_prob[at] = T(M(x[at]) - l);
        }
      }
  detail::loss_reduce(p, labels, weight, loss, [&](int32_t i, int32_t cls, int32_t k) {
    const int32_t at = (i * p.c + cls) * p.d + k;
    return log_prob ? M(log_prob[at]) : M(x[at]) - lse(i, k);
  });
}

}  // namespace tmlc
