// tmlc.h: common definitions for the header-only tmlc runtime.
//
// The runtime is plain C++17: no heap, no exceptions, no RTTI, no iostream, no
// static constructors. Every kernel is a noexcept function template over the
// element type, parameterized by a constexpr struct the code generator writes.
// It builds for the host and for every Cortex-M core (with or without an FPU).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <cmath>
#include <cstring>

#include "tmlc/float16.h"

#if defined(__GNUC__) || defined(__clang__)
#define TMLC_RESTRICT __restrict__
#define TMLC_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define TMLC_RESTRICT
#define TMLC_ALWAYS_INLINE inline
#endif

namespace tmlc {

// Largest tensor rank a kernel parameter struct holds.
constexpr int kMaxRank = 8;

// A typed view of the arena at a byte offset; offsets come from the planner
// and are aligned for T.
template <typename T>
TMLC_ALWAYS_INLINE T* arena(uint8_t* base, size_t offset) noexcept {
  return reinterpret_cast<T*>(base + offset);
}

// An element-wise activation fused into the producing kernel.
enum class Act : uint8_t { None, Relu, Clip, LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh };
struct Activation {
  Act kind;
  float alpha;  // LeakyRelu alpha, Clip min, HardSigmoid alpha
  float beta;   // Clip max, HardSigmoid beta
};
constexpr Activation kNoActivation = {Act::None, 0.0f, 0.0f};

template <typename T>
TMLC_ALWAYS_INLINE T activate(const Activation& a, T x) noexcept {
  switch (a.kind) {
    case Act::None: return x;
    case Act::Relu: return x < T(0) ? T(0) : x;
    case Act::Clip: return x < T(a.alpha) ? T(a.alpha) : (x > T(a.beta) ? T(a.beta) : x);
    case Act::LeakyRelu: return x < T(0) ? T(float(x) * a.alpha) : x;
    case Act::Sigmoid: return T(1) / (T(1) + std::exp(-x));
    case Act::HardSigmoid: {
      T v = T(a.alpha) * x + T(a.beta);
      return v < T(0) ? T(0) : (v > T(1) ? T(1) : v);
    }
    case Act::HardSwish: {
      T v = x / T(6) + T(0.5);
      return x * (v < T(0) ? T(0) : (v > T(1) ? T(1) : v));
    }
    case Act::Tanh: return std::tanh(x);
  }
  return x;
}

}  // namespace tmlc
