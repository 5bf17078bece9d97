// rnn.h: recurrent layers as ONNX defines them: lstm, gru and rnn (Elman).
//
//   x        [seq, batch, input]   ([batch, seq, input] when layout == 1)
//   w        [dirs, G*hidden, input]    gate order: LSTM i,o,f,c; GRU z,r,h; RNN i
//   r        [dirs, G*hidden, hidden]
//   b        [dirs, 2*G*hidden] (input biases, then recurrent ones) or nullptr
//   seq_lens [batch] valid steps per batch entry, or nullptr (all `seq`)
//   h0, c0   [dirs, batch, hidden]  ([batch, dirs, hidden] when layout == 1) or nullptr (zeros)
//   peep     [dirs, 3*hidden] LSTM peepholes i,o,f, or nullptr
//   y        [seq, dirs, batch, hidden] ([batch, seq, dirs, hidden]) or nullptr
//   y_h, y_c [dirs, batch, hidden]  ([batch, dirs, hidden]) or nullptr
//   scratch  rnn_scratch_elems(p) elements of the compute type (float, or
//            double for double tensors), from the arena.
// Steps past a batch entry's sequence length leave its state unchanged and
// write zeros to y; the reverse direction walks each entry's valid steps
// backwards. Gate pre-activations are clipped to [-clip, clip] when clip > 0.
#pragma once

#include <type_traits>

#include "tmlc/tmlc.h"

namespace tmlc {

// The activation functions ONNX allows in recurrent layers.
enum class RnnAct : uint8_t {
  Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus
};
struct RnnActivation {
  RnnAct kind;
  float alpha, beta;
};

struct RnnParams {
  int32_t seq, batch, input, hidden;
  int32_t dirs;     // 1 or 2 (bidirectional: forward then reverse)
  int32_t reverse;  // dirs == 1: 1 when the only direction is reverse
  int32_t layout;   // 0: sequence first; 1: batch first
  float clip;       // <= 0: no clipping
  int32_t input_forget;         // LSTM: couple the input and forget gates
  int32_t linear_before_reset;  // GRU: apply R_h before the reset gate
  RnnActivation act[2][3];      // per direction: f, g, h (as many as the layer uses)
};

template <typename T>
using rnn_math_t = typename std::conditional<std::is_same<T, double>::value, double, float>::type;

template <typename A>
TMLC_ALWAYS_INLINE A rnn_activate(const RnnActivation& f, A x) noexcept {
  const A a = A(f.alpha), b = A(f.beta);
  switch (f.kind) {
    case RnnAct::Relu: return x > A(0) ? x : A(0);
    case RnnAct::Tanh: return std::tanh(x);
    case RnnAct::Sigmoid: return A(1) / (A(1) + std::exp(-x));
    case RnnAct::Affine: return a * x + b;
    case RnnAct::LeakyRelu: return x < A(0) ? a * x : x;
    case RnnAct::ThresholdedRelu: return x > a ? x : A(0);
    case RnnAct::ScaledTanh: return a * std::tanh(b * x);
    case RnnAct::HardSigmoid: {
      A v = a * x + b;
      return v < A(0) ? A(0) : (v > A(1) ? A(1) : v);
    }
    case RnnAct::Elu: return x < A(0) ? a * (std::exp(x) - A(1)) : x;
    case RnnAct::Softsign: return x / (A(1) + std::fabs(x));
    case RnnAct::Softplus: return std::log(A(1) + std::exp(x));
  }
  return x;
}

// Scratch elements: gate pre-activations of one batch entry, hidden and cell
// state of every batch entry, and one hidden-sized temporary.
constexpr int32_t rnn_scratch_elems(const RnnParams& p, int32_t gates) noexcept {
  return gates * p.hidden + 2 * p.batch * p.hidden + p.hidden;
}

namespace rnn_detail {

// Element offsets of the [seq|batch, dirs, hidden] tensors in either layout.
struct Layout {
  const RnnParams& p;
  int32_t x(int32_t t, int32_t b) const noexcept {
    return (p.layout ? b * p.seq + t : t * p.batch + b) * p.input;
  }
  int32_t y(int32_t t, int32_t d, int32_t b) const noexcept {
    return (p.layout ? (b * p.seq + t) * p.dirs + d : (t * p.dirs + d) * p.batch + b) * p.hidden;
  }
  int32_t state(int32_t d, int32_t b) const noexcept {
    return (p.layout ? b * p.dirs + d : d * p.batch + b) * p.hidden;
  }
};

template <typename A>
TMLC_ALWAYS_INLINE A clip(const RnnParams& p, A v) noexcept {
  if (p.clip > 0.0f) {
    const A c = A(p.clip);
    v = v < -c ? -c : (v > c ? c : v);
  }
  return v;
}

template <typename T, typename A>
inline A dot(const T* w, const A* h, int32_t n) noexcept {
  A acc = A(0);
  for (int32_t k = 0; k < n; ++k) acc += A(w[k]) * h[k];
  return acc;
}

// Runs `step(d, t, b, h, c, g, tmp)` for every valid step of every direction
// and batch entry, with the state loaded from h0/c0 and stored to y, y_h, y_c.
// step updates h and c (the entry's state) in place.
template <typename T, typename A, typename Step>
inline void run(const RnnParams& p, int32_t gates, const int32_t* seq_lens, const T* h0, const T* c0, T* y,
                T* y_h, T* y_c, A* scratch, Step&& step) noexcept {
  const Layout L{p};
  const int32_t H = p.hidden;
  A* g = scratch;
  A* hs = g + gates * H;
  A* cs = hs + p.batch * H;
  A* tmp = cs + p.batch * H;
  for (int32_t d = 0; d < p.dirs; ++d) {
    const bool rev = p.dirs == 2 ? d == 1 : p.reverse != 0;
    for (int32_t b = 0; b < p.batch; ++b)
      for (int32_t j = 0; j < H; ++j) {
        hs[b * H + j] = h0 ? A(h0[L.state(d, b) + j]) : A(0);
        cs[b * H + j] = c0 ? A(c0[L.state(d, b) + j]) : A(0);
      }
    for (int32_t s = 0; s < p.seq; ++s) {
      for (int32_t b = 0; b < p.batch; ++b) {
        int32_t len = seq_lens ? seq_lens[b] : p.seq;
        if (len > p.seq) len = p.seq;
        if (s >= len) {  // padding: zeros in y, state kept
          if (y)
            for (int32_t j = 0; j < H; ++j) y[L.y(s, d, b) + j] = T(0);
          continue;
        }
        const int32_t t = rev ? len - 1 - s : s;
        A* h = hs + b * H;
        step(d, t, b, h, cs + b * H, g, tmp);
        if (y)
          for (int32_t j = 0; j < H; ++j) y[L.y(t, d, b) + j] = T(h[j]);
      }
    }
    for (int32_t b = 0; b < p.batch; ++b)
      for (int32_t j = 0; j < H; ++j) {
        if (y_h) y_h[L.state(d, b) + j] = T(hs[b * H + j]);
        if (y_c) y_c[L.state(d, b) + j] = T(cs[b * H + j]);
      }
  }
}

}  // namespace rnn_detail

// LSTM: i = f(Wi x + Ri h + Pi c + bi), f = f(Wf x + Rf h + Pf c + bf) (1 - i with
// input_forget), c' = f*c + i*g(Wc x + Rc h + bc), o = f(Wo x + Ro h + Po c' + bo),
// h' = o*h(c').
template <typename T>
inline void lstm(const RnnParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                 const T* TMLC_RESTRICT r, const T* TMLC_RESTRICT b, const int32_t* TMLC_RESTRICT seq_lens,
                 const T* TMLC_RESTRICT h0, const T* TMLC_RESTRICT c0, const T* TMLC_RESTRICT peep,
                 T* TMLC_RESTRICT y, T* TMLC_RESTRICT y_h, T* TMLC_RESTRICT y_c,
                 rnn_math_t<T>* TMLC_RESTRICT scratch) noexcept {
  using A = rnn_math_t<T>;
  const int32_t H = p.hidden, I = p.input;
  const rnn_detail::Layout L{p};
  rnn_detail::run<T, A>(p, 4, seq_lens, h0, c0, y, y_h, y_c, scratch,
                        [&](int32_t d, int32_t t, int32_t bi, A* h, A* c, A* g, A*) {
    const T* xt = x + L.x(t, bi);
    const T* wd = w + d * 4 * H * I;
    const T* rd = r + d * 4 * H * H;
    const T* bd = b ? b + d * 8 * H : nullptr;
    const T* pd = peep ? peep + d * 3 * H : nullptr;
    for (int32_t j = 0; j < 4 * H; ++j) {
      A acc = bd ? A(bd[j]) + A(bd[4 * H + j]) : A(0);
      const T* wr = wd + j * I;
      for (int32_t k = 0; k < I; ++k) acc += A(wr[k]) * A(xt[k]);
      g[j] = acc + rnn_detail::dot(rd + j * H, h, H);
    }
    const RnnActivation &ff = p.act[d][0], &gf = p.act[d][1], &hf = p.act[d][2];
    for (int32_t j = 0; j < H; ++j) {
      const A gi = g[j] + (pd ? A(pd[j]) * c[j] : A(0));
      const A i = rnn_activate(ff, rnn_detail::clip(p, gi));
      A f;
      if (p.input_forget) {
        f = A(1) - i;
      } else {
        const A gff = g[2 * H + j] + (pd ? A(pd[2 * H + j]) * c[j] : A(0));
        f = rnn_activate(ff, rnn_detail::clip(p, gff));
      }
      const A cand = rnn_activate(gf, rnn_detail::clip(p, g[3 * H + j]));
      const A cn = f * c[j] + i * cand;
      const A go = g[H + j] + (pd ? A(pd[H + j]) * cn : A(0));
      const A o = rnn_activate(ff, rnn_detail::clip(p, go));
      c[j] = cn;
      h[j] = o * rnn_activate(hf, cn);
    }
  });
}

// GRU: z = f(Wz x + Rz h + bz), r = f(Wr x + Rr h + br),
// n = g(Wh x + Rh (r*h) + bh)  (g(Wh x + r*(Rh h + Rbh) + Wbh) with linear_before_reset),
// h' = (1 - z)*n + z*h.
template <typename T>
inline void gru(const RnnParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                const T* TMLC_RESTRICT r, const T* TMLC_RESTRICT b, const int32_t* TMLC_RESTRICT seq_lens,
                const T* TMLC_RESTRICT h0, T* TMLC_RESTRICT y, T* TMLC_RESTRICT y_h,
                rnn_math_t<T>* TMLC_RESTRICT scratch) noexcept {
  using A = rnn_math_t<T>;
  const int32_t H = p.hidden, I = p.input;
  const rnn_detail::Layout L{p};
  rnn_detail::run<T, A>(p, 3, seq_lens, h0, static_cast<const T*>(nullptr), y, y_h, static_cast<T*>(nullptr),
                        scratch, [&](int32_t d, int32_t t, int32_t bi, A* h, A*, A* g, A* tmp) {
    const T* xt = x + L.x(t, bi);
    const T* wd = w + d * 3 * H * I;
    const T* rd = r + d * 3 * H * H;
    const T* bd = b ? b + d * 6 * H : nullptr;
    const RnnActivation &ff = p.act[d][0], &gf = p.act[d][1];
    for (int32_t j = 0; j < 3 * H; ++j) {
      A acc = bd ? A(bd[j]) : A(0);
      const T* wr = wd + j * I;
      for (int32_t k = 0; k < I; ++k) acc += A(wr[k]) * A(xt[k]);
      if (j < 2 * H) acc += (bd ? A(bd[3 * H + j]) : A(0)) + rnn_detail::dot(rd + j * H, h, H);
      g[j] = acc;
    }
    for (int32_t j = 0; j < 2 * H; ++j) g[j] = rnn_activate(ff, rnn_detail::clip(p, g[j]));  // z, r
    const A* z = g;
    const A* rg = g + H;
    if (!p.linear_before_reset)
      for (int32_t k = 0; k < H; ++k) tmp[k] = rg[k] * h[k];
    for (int32_t j = 0; j < H; ++j) {
      const T* rh = rd + (2 * H + j) * H;
      const A rb = bd ? A(bd[5 * H + j]) : A(0);
      const A pre = p.linear_before_reset ? g[2 * H + j] + rg[j] * (rnn_detail::dot(rh, h, H) + rb)
                                          : g[2 * H + j] + rnn_detail::dot(rh, tmp, H) + rb;
      g[2 * H + j] = rnn_activate(gf, rnn_detail::clip(p, pre));
    }
    for (int32_t j = 0; j < H; ++j) h[j] = (A(1) - z[j]) * g[2 * H + j] + z[j] * h[j];
  });
}

// RNN: h' = f(Wi x + Ri h + bi).
template <typename T>
inline void rnn(const RnnParams& p, const T* TMLC_RESTRICT x, const T* TMLC_RESTRICT w,
                const T* TMLC_RESTRICT r, const T* TMLC_RESTRICT b, const int32_t* TMLC_RESTRICT seq_lens,
                const T* TMLC_RESTRICT h0, T* TMLC_RESTRICT y, T* TMLC_RESTRICT y_h,
                rnn_math_t<T>* TMLC_RESTRICT scratch) noexcept {
  using A = rnn_math_t<T>;
  const int32_t H = p.hidden, I = p.input;
  const rnn_detail::Layout L{p};
  rnn_detail::run<T, A>(p, 1, seq_lens, h0, static_cast<const T*>(nullptr), y, y_h, static_cast<T*>(nullptr),
                        scratch, [&](int32_t d, int32_t t, int32_t bi, A* h, A*, A* g, A*) {
    const T* xt = x + L.x(t, bi);
    const T* wd = w + d * H * I;
    const T* rd = r + d * H * H;
    const T* bd = b ? b + d * 2 * H : nullptr;
    for (int32_t j = 0; j < H; ++j) {
      A acc = bd ? A(bd[j]) + A(bd[H + j]) : A(0);
      const T* wr = wd + j * I;
      for (int32_t k = 0; k < I; ++k) acc += A(wr[k]) * A(xt[k]);
      g[j] = acc + rnn_detail::dot(rd + j * H, h, H);
    }
    for (int32_t j = 0; j < H; ++j) h[j] = rnn_activate(p.act[d][0], rnn_detail::clip(p, g[j]));
  });
}

}  // namespace tmlc
