// verify: checks the IR's invariants after each pass: topological order, every
// input defined, every value typed with a static shape, users consistent.
// A failure is an internal compiler error naming the pass that broke it.
#pragma once
#include "passes/pass.h"
namespace tmlc {
Status verifyGraph(const Graph& g, const std::string& afterPass);
}
