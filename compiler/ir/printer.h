// printer.h: a stable text form of the IR, for --print-ir and FileCheck tests.
//
//   graph 'kws' (opset 13)
//     input  %input : f32[1,1,49,10]
//     const  %conv1.weight : f32[64,1,10,4]
//     %x1 = Conv(%input, %conv1.weight, %conv1.bias) {group=1, pads=[..]} +Relu : f32[1,64,25,5]  // 'Conv_0'
//     output %out
#pragma once

#include <string>

#include "ir/graph.h"

namespace tmlc {

std::string printType(const TensorType& t);
std::string printGraph(const Graph& g);

}  // namespace tmlc
