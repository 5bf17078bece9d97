// reverse_sequence.h: ReverseSequence, the first seq_lens[b] time steps of
// each batch entry reversed, the rest copied.
//
//   tmlc::reverse_sequence<T, L>(params, x, seq_lens, y)
//
//   x, y [d0, d1, inner] where {d0, d1} = {time, batch} in either order: one
//   time step of one batch entry is a row of `inner` elements at
//   t * time_stride + b * batch_stride (strides in elements).
//   seq_lens [batch], L = int32_t or int64_t.
// A length outside [0, time] is undefined in ONNX; the kernel clamps it, so it
// never reads outside x. Rows move as bytes (reverse_sequence_bytes<N>).
#pragma once

#include "tmlc/tmlc.h"

namespace tmlc {

struct ReverseSequenceParams {
  int32_t batch, time, inner;
  int32_t batch_stride, time_stride;
};

template <size_t N, typename L>
inline void reverse_sequence_bytes(const ReverseSequenceParams& p, const uint8_t* TMLC_RESTRICT x,
                                   const L* TMLC_RESTRICT seq_lens, uint8_t* TMLC_RESTRICT y) noexcept {
  const size_t row = size_t(p.inner) * N;
  for (int32_t b = 0; b < p.batch; ++b) {
    const int64_t raw = static_cast<int64_t>(seq_lens[b]);
    const int32_t len = raw < 0 ? 0 : (raw > p.time ? p.time : static_cast<int32_t>(raw));
    for (int32_t t = 0; t < p.time; ++t) {
      const int32_t from = t < len ? len - 1 - t : t;
      memcpy(y + size_t(t * p.time_stride + b * p.batch_stride) * N,
             x + size_t(from * p.time_stride + b * p.batch_stride) * N, row);
    }
  }
}

template <typename T, typename L>
TMLC_ALWAYS_INLINE void reverse_sequence(const ReverseSequenceParams& p, const T* x, const L* seq_lens,
                                         T* y) noexcept {
  reverse_sequence_bytes<sizeof(T)>(p, reinterpret_cast<const uint8_t*>(x), seq_lens,
                                    reinterpret_cast<uint8_t*>(y));
}

}  // namespace tmlc
