# A Loop with neither a trip count nor a condition runs forever: unrolling must
# stop with an error, and quickly (the fuzzer found it took 24 s of CPU when the
# importer re-inferred the whole graph for every iteration's If condition).
# Writes the model to argv[1].
import sys

import onnx
from onnx import TensorProto, helper

then_g = helper.make_graph([helper.make_node("Add", ["h", "w"], ["t"])], "then", [],
                           [helper.make_tensor_value_info("t", TensorProto.FLOAT, [2])])
else_g = helper.make_graph([helper.make_node("Mul", ["h", "w"], ["e"])], "else", [],
                           [helper.make_tensor_value_info("e", TensorProto.FLOAT, [2])])
body = helper.make_graph(
    [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
     helper.make_node("Less", ["i", "two"], ["small"]),
     helper.make_node("If", ["small"], ["h2"], then_branch=then_g, else_branch=else_g),
     helper.make_node("Tanh", ["h2"], ["h_out"])],
    "body",
    [helper.make_tensor_value_info("i", TensorProto.INT64, []),
     helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
     helper.make_tensor_value_info("h", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
     helper.make_tensor_value_info("h_out", TensorProto.FLOAT, [2])])
graph = helper.make_graph(
    [helper.make_node("Loop", ["", "", "h0"], ["h_final"], name="endless", body=body)],
    "g", [helper.make_tensor_value_info("h0", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info("h_final", TensorProto.FLOAT, [2])],
    [helper.make_tensor("w", TensorProto.FLOAT, [2], [1, 2]), helper.make_tensor("two", TensorProto.INT64, [], [2])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
