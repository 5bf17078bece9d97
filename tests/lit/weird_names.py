# ONNX names are arbitrary strings. Where generated code quotes them (comments,
# the metadata's string literals) they must not end a comment, a line or a
# string, and identifiers made from them must be valid. ONNX's text syntax
# cannot spell such names, so this test builds its model with onnx.helper.
#
# RUN: %python %s %t/m.onnx
# RUN: %tmlc compile %t/m.onnx -o %t/out --name weird
# RUN: cat %t/out/weird.h %t/out/weird.cpp | %FileCheck %s
#
# CHECK:      * input  0 'in* / "put\ ' f32[4], 16 bytes
# CHECK-NEXT: * output 0 'out"/ *x? ?' f32[4], 16 bytes
# CHECK:      int weird_run(const float* [[IN:in0_[A-Za-z0-9_]+]], float* [[OUT:out0_[A-Za-z0-9_]+]]);
# CHECK:      // 'w* /\n"' f32[4]
# CHECK:      // node 'node * / "one"\nx' (Add) + Relu: input 0 f32[4] -> output 0 f32[4]
# CHECK:      {"in*/ \"put\\", 1, 1, kInputShape0, 16u},
# CHECK:      {"out\"/*x?\077", 1, 1, kOutputShape0, 16u},
import sys

import onnx
from onnx import TensorProto, helper

names = {"in": 'in*/ "put\\', "mid": "mid\nline", "out": 'out"/*x??', "w": 'w*/\n"'}
w = helper.make_tensor(names["w"], TensorProto.FLOAT, [4], [1, 2, 3, 4])
add = helper.make_node("Add", [names["in"], names["w"]], [names["mid"]], name='node */ "one"\nx')
relu = helper.make_node("Relu", [names["mid"]], [names["out"]], name="relu\\")
graph = helper.make_graph(
    [add, relu], "g",
    [helper.make_tensor_value_info(names["in"], TensorProto.FLOAT, [4])],
    [helper.make_tensor_value_info(names["out"], TensorProto.FLOAT, [4])], [w])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
