// literals.h: constant tensors as C++ initializer text, exact and byte-stable.
#pragma once

#include <string>

#include "ir/graph.h"

namespace tmlc {

// The brace-enclosed initializer for t's elements, wrapped at a readable width,
// each continuation line prefixed with `indent`. Floats round-trip exactly
// (%.9g / %.17g); float16 and bfloat16 are written as their bit patterns.
std::string tensorInitializer(const Tensor& t, const std::string& indent);

// One element of t as a C++ literal of its storage type.
std::string elementLiteral(const Tensor& t, int64_t i);

}  // namespace tmlc
