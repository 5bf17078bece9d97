# If, Loop and Scan are inlined by the frontend (frontend/control_flow.cpp):
# a Loop with a trip count folded from initializers is unrolled, its body's
# nested If (on the constant iteration number) keeps one branch per
# iteration, outer-scope values are read directly, and scan outputs are
# stacked with Unsqueeze + Concat. No control-flow node reaches the IR. An If
# whose condition is a graph input is an error naming that input, so that
# --const-input can fix it. ONNX's text syntax has no subgraphs in 1.12,
# hence onnx.helper. Writes the Loop model to argv[1] and the If model and its
# condition beside it.
#
# RUN: %python %s %t/loop.onnx
# RUN: %tmlc compile %t/loop.onnx -o %t/out --name cf --print-ir-after all | %FileCheck %s --check-prefix=IR
# RUN: %not %tmlc compile %t/runtime_if.onnx -o %t/out2 2>&1 | %FileCheck %s --check-prefix=ERR
# RUN: %tmlc compile %t/runtime_if.onnx -o %t/out3 --const-input c=%t/c_true.pb --print-ir-after all \
# RUN:   | %FileCheck %s --check-prefix=CONST
#
# IR-LABEL: // IR after import
# IR-NOT:   Loop(
# IR-NOT:   If(
# IR:       %Loop_1/it0/If_2/then/t = Add(%h0, %w)
# IR:       %Loop_1/it1/If_2/then/t = Add(%Loop_1/it0/h_out, %w)
# IR:       %Loop_1/it2/If_2/else/e = Mul(%Loop_1/it1/h_out, %w)
# IR-NOT:   it3
# IR:       %Loop_1/scan0_unsqueeze0 = Unsqueeze(%Loop_1/it0/s, %Loop_1/scan0_axes) : f32[1,2]
# IR:       = Concat(%Loop_1/scan0_unsqueeze0, %Loop_1/scan0_unsqueeze1, %Loop_1/scan0_unsqueeze2) {axis=0} : f32[3,2]
# IR:       %h_final = Identity(%Loop_1/it2/h_out) : f32[2]
# IR-LABEL: // IR after plan-memory
# IR-NOT:   Loop(
# IR-NOT:   If(
#
# ERR: runtime_if.onnx: node 'If_0' (If): input 'c' ('c') must be a compile-time constant (an initializer, or --const-input): the condition depends on it
#
# CONST-LABEL: // IR after import
# CONST:       %r = Identity(%If_0/then/t)
# CONST-NOT:   else
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F, B, I64 = TensorProto.FLOAT, TensorProto.BOOL, TensorProto.INT64
loop_path = sys.argv[1]
out = os.path.dirname(os.path.abspath(loop_path))
os.makedirs(out, exist_ok=True)


def vi(n, t=F, s=None):
    return helper.make_tensor_value_info(n, t, s)


then_g = helper.make_graph([helper.make_node("Add", ["h", "w"], ["t"])], "then", [], [vi("t", F, [2])])
else_g = helper.make_graph([helper.make_node("Mul", ["h", "w"], ["e"])], "else", [], [vi("e", F, [2])])
body = helper.make_graph(
    [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
     helper.make_node("Less", ["i", "two"], ["small"]),
     helper.make_node("If", ["small"], ["h2"], then_branch=then_g, else_branch=else_g),
     helper.make_node("Tanh", ["h2"], ["h_out"]),
     helper.make_node("Identity", ["h_out"], ["s"])],
    "body", [vi("i", I64, []), vi("cond_in", B, []), vi("h", F, [2])],
    [vi("cond_out", B, []), vi("h_out", F, [2]), vi("s", F, [2])])
graph = helper.make_graph(
    [helper.make_node("Add", ["m0", "m1"], ["trips"]),
     helper.make_node("Loop", ["trips", "", "h0"], ["h_final", "scan"], body=body)],
    "loop", [vi("h0", F, [2])], [vi("h_final", F, [2]), vi("scan", F, [3, 2])],
    initializer=[numpy_helper.from_array(np.array([0.5, -1.0], np.float32), "w"),
                 numpy_helper.from_array(np.array(2, np.int64), "two"),
                 numpy_helper.from_array(np.array(1, np.int64), "m0"),
                 numpy_helper.from_array(np.array(2, np.int64), "m1")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), loop_path)

then_g = helper.make_graph([helper.make_node("Neg", ["x"], ["t"])], "then", [], [vi("t", F, [2])])
else_g = helper.make_graph([helper.make_node("Abs", ["x"], ["e"])], "else", [], [vi("e", F, [2])])
graph = helper.make_graph([helper.make_node("If", ["c"], ["r"], then_branch=then_g, else_branch=else_g)],
                          "runtime_if", [vi("c", B, []), vi("x", F, [2])], [vi("r", F, [2])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(out, "runtime_if.onnx"))
with open(os.path.join(out, "c_true.pb"), "wb") as f:
    f.write(numpy_helper.from_array(np.array(True), "c").SerializeToString())
