#!/usr/bin/python3
"""make_qoperator_models.py: QOperator models with the com.microsoft QLinear
operators of ONNX Runtime's quantizer, and ONNX Runtime's outputs for them (the
QOperator import check of issue 5; onnxruntime.quantization is not installed,
so the models are written by hand the way it writes them).

Writes into tests/quant/qoperator/:
  ops_u8.onnx, ops_i8.onnx, pool_u8.onnx, pool_i8.onnx   every operator in
      several configurations, one branch per output, uint8 resp. int8
      throughout. ops: QLinearAdd and QLinearMul (same shapes, broadcasting),
      QLinearSigmoid, QLinearLeakyRelu (over all 256 input values in data set
      0; omitted zero points), QLinearConcat (copied and rescaled inputs, axis
      1 and -1). pool: QLinearAveragePool (2-D with pads with and without
      count_include_pad, ceil_mode with and without it, channels_last, 1-D,
      3-D with auto_pad), QLinearGlobalAveragePool (NCHW, channels_last).
      Inputs and outputs are the quantized tensors.
  net.onnx   a small CNN (input 1x3x12x12, small enough for cortex-m0) as the quantizer lays it out (U8S8: uint8 activations,
      int8 per-channel weights, int32 biases): QuantizeLinear -> QLinearConv ->
      QLinearLeakyRelu -> QLinearConv -> QLinearAdd (residual) ->
      QLinearAveragePool -> QLinearConv 1x1 | depthwise QLinearConv ->
      QLinearConcat -> QLinearSigmoid, QLinearMul (x * sigmoid(x)) ->
      QLinearGlobalAveragePool -> Flatten -> QLinearMatMul -> DequantizeLinear.
      Activation ranges: min/max of the float network (ONNX Runtime, every
      tensor as an output) over 8 calibration inputs, widened to include 0.
  mixed.onnx   QDQ pairs mixed with QOperator operators, on a coarse input grid
      (scale 0.1) so that a lost rounding shows: QuantizeLinear ->
      DequantizeLinear -> Conv (weights and bias behind DequantizeLinear) ->
      QuantizeLinear -> com.microsoft QLinearSigmoid (output conv_sig, uint8);
      the same DequantizeLinear -> Softplus (no integer kernel) -> Q -> DQ
      (output soft); -> MaxPool on the input's grid -> Q -> DQ (output pool)
      -> Conv 1x1 -> Q -> DQ (output pconv); -> AveragePool -> Q -> DQ on
      another grid than the input's (output avg).
  <model>_data/test_data_set_N/   inputs and ONNX Runtime's outputs.

    /usr/bin/python3 tests/quant/make_qoperator_models.py [MODEL...]
(the named models only, e.g. mixed; default: all)
"""
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qoperator")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "ort"))
import ort_data  # noqa: E402

MS = "com.microsoft"
OPSETS = [helper.make_opsetid("", 13), helper.make_opsetid(MS, 1)]


class Builder:
    """Nodes, initializers and graph inputs/outputs of one model."""

    def __init__(self):
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.count = 0

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def quant(self, prefix, scale, zp, dtype):
        """Scale and zero point initializers; zp None: the input is omitted."""
        s = self.const(prefix + "_scale", np.array(scale, np.float32))
        z = self.const(prefix + "_zp", np.array(zp, dtype)) if zp is not None else ""
        return s, z

    def node(self, op, ins, out, domain=MS, **attrs):
        self.count += 1
        self.nodes.append(helper.make_node(op, ins, [out], name=f"{op}_{self.count}", domain=domain, **attrs))
        return out

    def model(self, name):
        g = helper.make_graph(self.nodes, name, self.inputs, self.outputs, self.inits)
        m = helper.make_model(g, opset_imports=OPSETS, producer_name="make_qoperator_models.py")
        m.ir_version = 8
        onnx.checker.check_model(m)
        return m


def elem(dtype):
    return TensorProto.UINT8 if dtype == np.uint8 else TensorProto.INT8


def dtype_name(dtype):
    return "u8" if dtype == np.uint8 else "i8"


def branches_model(dtype, part):
    """part "ops": QLinearAdd, QLinearMul and the table operators; "pool": the
    pooling operators. Independent branches, one output each (the test
    harness takes up to 16 outputs)."""
    b = Builder()
    t = elem(dtype)
    lo = 0 if dtype == np.uint8 else -128
    zp = lambda v: v + lo  # noqa: E731  zero points written for uint8, shifted for int8
    shapes = ({"a": [1, 4, 6, 7], "b": [1, 4, 6, 7], "c": [4, 1, 7], "s": [4, 8, 8]} if part == "ops" else
              {"x": [1, 3, 9, 8], "xl": [1, 9, 8, 3], "x1": [1, 2, 10], "x3": [1, 2, 4, 5, 6]})
    for n, s in shapes.items():
        b.inputs.append(helper.make_tensor_value_info(n, t, s))

    def out(name, shape):
        b.outputs.append(helper.make_tensor_value_info(name, t, shape))

    if part == "pool":
        qx = b.quant("x", 0.0188, zp(120), dtype)
        # Average pooling.
        y = b.quant("pool0_y", 0.0203, zp(118), dtype)
        b.node("QLinearAveragePool", ["x", *qx, *y], "pool0", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
        out("pool0", [1, 3, 5, 4])
        y = b.quant("pool1_y", 0.0188, zp(120), dtype)  # same quantization as x
        b.node("QLinearAveragePool", ["x", *qx, *y], "pool1", kernel_shape=[2, 3], strides=[2, 2], pads=[0, 1, 1, 1],
               count_include_pad=1)
        out("pool1", [1, 3, 5, 4])
        y = b.quant("pool2_y", 0.0166, zp(122), dtype)
        b.node("QLinearAveragePool", ["x", *qx, *y], "pool2", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
        out("pool2", [1, 3, 4, 4])
        y = b.quant("pool3_y", 0.0211, zp(119), dtype)
        b.node("QLinearAveragePool", ["xl", *qx, *y], "pool3", kernel_shape=[3, 3], pads=[1, 1, 1, 1], channels_last=1)
        out("pool3", [1, 9, 8, 3])
        y = b.quant("pool4_y", 0.0199, zp(121), dtype)
        b.node("QLinearAveragePool", ["x1", *qx, *y], "pool4", kernel_shape=[4], strides=[3], pads=[2, 1])
        out("pool4", [1, 2, 4])
        y = b.quant("pool5_y", 0.0157, zp(126), dtype)  # windows beyond the pads still count the whole kernel
        b.node("QLinearAveragePool", ["x", *qx, *y], "pool5", kernel_shape=[3, 2], strides=[2, 3], pads=[1, 0, 0, 0],
               ceil_mode=1, count_include_pad=1)
        out("pool5", [1, 3, 5, 3])
        y = b.quant("pool6_y", 0.0183, zp(119), dtype)
        b.node("QLinearAveragePool", ["x3", *qx, *y], "pool6", kernel_shape=[2, 3, 2], strides=[2, 2, 2],
               auto_pad="SAME_UPPER")
        out("pool6", [1, 2, 2, 3, 3])
        y = b.quant("gap0_y", 0.0075, zp(117), dtype)
        b.node("QLinearGlobalAveragePool", ["x", *qx, *y], "gap0")
        out("gap0", [1, 3, 1, 1])
        y = b.quant("gap1_y", 0.0061, zp(119), dtype)
        b.node("QLinearGlobalAveragePool", ["xl", *qx, *y], "gap1", channels_last=1)
        out("gap1", [1, 1, 1, 3])
    else:
        qa = b.quant("a", 0.0473, zp(131), dtype)
        qb = b.quant("b", 0.0291, zp(97), dtype)
        qc = b.quant("c", 0.0612, zp(128), dtype)
        qs = b.quant("s", 0.0547, zp(140), dtype)
        # Binary operators.
        y = b.quant("add0_y", 0.0634, zp(125), dtype)
        b.node("QLinearAdd", ["a", *qa, "b", *qb, *y], "add0")
        out("add0", [1, 4, 6, 7])
        y = b.quant("add1_y", 0.0917, zp(90), dtype)
        b.node("QLinearAdd", ["a", *qa, "c", *qc, *y], "add1")
        out("add1", [1, 4, 6, 7])
        y = b.quant("mul0_y", 0.101, zp(128), dtype)
        b.node("QLinearMul", ["a", *qa, "b", *qb, *y], "mul0")
        out("mul0", [1, 4, 6, 7])
        y = b.quant("mul1_y", 0.243, zp(130), dtype)
        b.node("QLinearMul", ["c", *qc, "a", *qa, *y], "mul1")
        out("mul1", [1, 4, 6, 7])
        # Table operators.
        y = b.quant("sig_y", 1.0 / 255.0, zp(0), dtype)
        b.node("QLinearSigmoid", ["s", *qs, *y], "sig")
        out("sig", [4, 8, 8])
        y = b.quant("lrelu_y", 0.0391, zp(40), dtype)
        b.node("QLinearLeakyRelu", ["s", *qs, *y], "lrelu", alpha=0.1)
        out("lrelu", [4, 8, 8])
        # Zero points omitted (0; ONNX Runtime accepts that for these two only), default alpha 0.01.
        y = b.quant("lrelu2_y", 0.0547, None, dtype)
        b.node("QLinearLeakyRelu", ["s", qs[0], "", *y], "lrelu2")
        out("lrelu2", [4, 8, 8])
        # Concatenation: a copied (the output's quantization), b and a rescaled.
        qa2 = b.quant("a2", 0.0473, zp(100), dtype)
        b.node("QLinearConcat", [qa[0], qa[1], "a", *qa, "b", *qb, "a", *qa2], "cat0", axis=1)
        out("cat0", [1, 12, 6, 7])
        y = b.quant("cat1_y", 0.0612, zp(127), dtype)
        b.node("QLinearConcat", [*y, "s", *qs, "s", *b.quant("s2", 0.0311, zp(128), dtype)], "cat1", axis=-1)
        out("cat1", [4, 8, 16])
    return b.model(f"qoperator_{part}_{dtype_name(dtype)}"), shapes


def ops_inputs(shapes, dtype, sets):
    rng = np.random.default_rng(20261124)
    info = np.iinfo(dtype)
    result = []
    for k in range(sets):
        arrays = []
        for name, s in shapes.items():
            if name == "s" and k == 0:  # every byte once
                a = rng.permutation(np.arange(info.min, info.max + 1)).astype(dtype).reshape(s)
            else:
                a = rng.integers(info.min, info.max + 1, size=s).astype(dtype)
            arrays.append(a)
        result.append(arrays)
    return result


# ---- the small CNN

def float_net(rng):
    """The float network: (nodes, weights) with every tensor named."""
    w = {
        "w1": rng.normal(0, 0.35, (8, 3, 3, 3)), "b1": rng.normal(0, 0.1, 8),
        "w2": rng.normal(0, 0.15, (8, 8, 3, 3)), "b2": rng.normal(0, 0.1, 8),
        "w3": rng.normal(0, 0.3, (8, 8, 1, 1)), "b3": rng.normal(0, 0.1, 8),
        "w4": rng.normal(0, 0.35, (8, 1, 3, 3)), "b4": rng.normal(0, 0.1, 8),
        "wf": rng.normal(0, 0.4, (16, 10)),
    }
    w = {k: v.astype(np.float32) for k, v in w.items()}
    nodes = [
        ("Conv", ["x", "w1", "b1"], "c1", dict(pads=[1, 1, 1, 1])),
        ("LeakyRelu", ["c1"], "r1", dict(alpha=0.1)),
        ("Conv", ["r1", "w2", "b2"], "c2", dict(pads=[1, 1, 1, 1])),
        ("Add", ["c2", "r1"], "a1", {}),
        ("AveragePool", ["a1"], "p1", dict(kernel_shape=[2, 2], strides=[2, 2])),
        ("Conv", ["p1", "w3", "b3"], "c3", {}),
        ("Conv", ["p1", "w4", "b4"], "c4", dict(pads=[1, 1, 1, 1], group=8)),
        ("Concat", ["c3", "c4"], "cat", dict(axis=1)),
        ("Sigmoid", ["cat"], "s1", {}),
        ("Mul", ["cat", "s1"], "m1", {}),
        ("GlobalAveragePool", ["m1"], "g1", {}),
        ("Flatten", ["g1"], "f1", {}),
        ("MatMul", ["f1", "wf"], "y", {}),
    ]
    return nodes, w


def activation_ranges(nodes, w, calib, work):
    """min/max of every tensor of the float network over the calibration inputs."""
    g = helper.make_graph(
        [helper.make_node(op, ins, [o], **a) for op, ins, o, a in nodes], "float_net",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for _, _, o, _ in nodes],
        [numpy_helper.from_array(v, k) for k, v in w.items()])
    path = os.path.join(work, "float_net.onnx")
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)
    outs = ort_data.write_reference(path, os.path.join(work, "calib"), [[x] for x in calib])
    ranges = {"x": (min(0.0, float(np.min(calib))), max(0.0, float(np.max(calib))))}
    for k, (_, _, o, _) in enumerate(nodes):
        vals = np.concatenate([s[k].ravel() for s in outs])
        ranges[o] = (min(0.0, float(vals.min())), max(0.0, float(vals.max())))
    return ranges


def uint8_params(r):
    lo, hi = r
    scale = np.float32((hi - lo) / 255.0)
    return scale, np.uint8(np.clip(np.round(-lo / scale), 0, 255))


def net_model(work):
    rng = np.random.default_rng(5)
    nodes, w = float_net(rng)
    calib = [rng.normal(0, 1, (1, 3, 12, 12)).astype(np.float32) for _ in range(8)]
    ranges = activation_ranges(nodes, w, calib, work)
    q = {k: uint8_params(v) for k, v in ranges.items() if k != "f1"}  # Flatten keeps g1's
    b = Builder()
    b.inputs.append(helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12]))
    b.outputs.append(helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10]))

    for name, (scale, zp) in q.items():  # one scale and zero point per activation
        b.quant(name + "_q", scale, zp, np.uint8)

    def qp(name):  # the scale and zero point of an output
        return [name + "_q_scale", name + "_q_zp"]

    def io(name):  # a quantized input with its scale and zero point
        return [name + "_q", *qp(name)]

    b.node("QuantizeLinear", ["x", *qp("x")], "x_q", domain="")

    def conv(x, wn, bn, y, **attrs):
        wf = w[wn]
        ws = np.maximum(np.abs(wf).reshape(wf.shape[0], -1).max(axis=1), 1e-8) / 127.0
        wq = np.clip(np.round(wf / ws.reshape(-1, 1, 1, 1)), -127, 127).astype(np.int8)
        bq = np.round(w[bn] / (q[x][0] * ws)).astype(np.int32)
        b.const(wn + "_q", wq)
        b.const(wn + "_scale", ws.astype(np.float32))
        b.const(wn + "_zp", np.zeros(wf.shape[0], np.int8))
        b.const(bn + "_q", bq)
        b.node("QLinearConv", [*io(x), wn + "_q", wn + "_scale", wn + "_zp", *qp(y), bn + "_q"], y + "_q", domain="",
               **attrs)

    conv("x", "x_dq", "w1", "b1", "c1", pads=[1, 1, 1, 1])
    b.node("QLinearLeakyRelu", [*io("c1"), *qp("r1")], "r1_q", alpha=0.1)
    conv("r1", "w2", "b2", "c2", pads=[1, 1, 1, 1])
    b.node("QLinearAdd", [*io("c2"), *io("r1"), *qp("a1")], "a1_q")
    b.node("QLinearAveragePool", [*io("a1"), *qp("p1")], "p1_q", kernel_shape=[2, 2], strides=[2, 2])
    conv("p1", "w3", "b3", "c3")
    conv("p1", "w4", "b4", "c4", pads=[1, 1, 1, 1], group=8)
    b.node("QLinearConcat", [*qp("cat"), *io("c3"), *io("c4")], "cat_q", axis=1)
    b.node("QLinearSigmoid", [*io("cat"), *qp("s1")], "s1_q")
    b.node("QLinearMul", [*io("cat"), *io("s1"), *qp("m1")], "m1_q")
    b.node("QLinearGlobalAveragePool", [*io("m1"), *qp("g1")], "g1_q")
    b.node("Flatten", ["g1_q"], "f1_q", domain="")
    ws = np.float32(np.abs(w["wf"]).max() / 127.0)
    b.const("wf_q", np.clip(np.round(w["wf"] / ws), -127, 127).astype(np.int8))
    b.const("wf_scale", ws)
    b.const("wf_zp", np.int8(0))
    b.node("QLinearMatMul", ["f1_q", *qp("g1"), "wf_q", "wf_scale", "wf_zp", *qp("y")], "y_q",
           domain="")
    b.node("DequantizeLinear", ["y_q", "y_q_scale", "y_q_zp"], "y", domain="")
    tests = [[rng.normal(0, 1, (1, 3, 12, 12)).astype(np.float32)] for _ in range(10)]
    return b.model("qoperator_net"), tests


def mixed_model(work):
    """QDQ around float operators, feeding a QOperator operator."""
    rng = np.random.default_rng(11)
    w = {"w1": rng.normal(0, 0.3, (6, 3, 3, 3)), "b1": rng.normal(0, 0.1, 6),
         "w2": rng.normal(0, 0.4, (4, 3, 1, 1)), "b2": rng.normal(0, 0.1, 4)}
    w = {k: v.astype(np.float32) for k, v in w.items()}
    nodes = [
        ("Conv", ["x", "w1", "b1"], "c1", dict(pads=[1, 1, 1, 1])),
        ("Softplus", ["x"], "sp", {}),
        ("MaxPool", ["x"], "mp", dict(kernel_shape=[2, 2], strides=[2, 2])),
        ("Conv", ["mp", "w2", "b2"], "c2", {}),
        ("AveragePool", ["x"], "ap", dict(kernel_shape=[2, 2], strides=[2, 2])),
    ]
    calib = [rng.normal(0, 1.5, (1, 3, 12, 12)).astype(np.float32) for _ in range(8)]
    ranges = activation_ranges(nodes, w, calib, work)
    q = {k: uint8_params(v) for k, v in ranges.items()}
    q["x"] = q["mp"] = (np.float32(0.1), np.uint8(128))  # coarse: a rounding lost is several output steps
    b = Builder()
    b.inputs.append(helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12]))
    for name, (scale, zp) in q.items():
        b.quant(name + "_q", scale, zp, np.uint8)

    def qp(name):
        return [name + "_q_scale", name + "_q_zp"]

    def qdq(src, name, out=None):  # QuantizeLinear -> DequantizeLinear with the parameters of `name`
        b.node("QuantizeLinear", [src, *qp(name)], name + "_q", domain="")
        return b.node("DequantizeLinear", [name + "_q", *qp(name)], out or name + "_dq", domain="")

    def conv(x, xin, wn, bn, y, **attrs):  # x's grid, input xin; int8 per-channel weights, int32 bias, behind DQ
        oc = w[wn].shape[0]
        ws = np.abs(w[wn]).reshape(oc, -1).max(axis=1) / 127.0
        b.const(wn + "_q", np.clip(np.round(w[wn] / ws.reshape(-1, 1, 1, 1)), -127, 127).astype(np.int8))
        b.const(wn + "_scale", ws.astype(np.float32))
        b.const(bn + "_q", np.round(w[bn] / (q[x][0] * ws)).astype(np.int32))
        b.const(bn + "_scale", (q[x][0] * ws).astype(np.float32))
        b.node("DequantizeLinear", [wn + "_q", wn + "_scale"], wn + "_dq", domain="", axis=0)
        b.node("DequantizeLinear", [bn + "_q", bn + "_scale"], bn + "_dq", domain="", axis=0)
        return b.node("Conv", [xin, wn + "_dq", bn + "_dq"], y, domain="", **attrs)

    def out(name, elem, shape):
        b.outputs.append(helper.make_tensor_value_info(name, elem, shape))

    qdq("x", "x")
    # The Conv reads the rounded input and stays float: its output goes to QLinearSigmoid.
    b.node("QuantizeLinear", [conv("x", "x_dq", "w1", "b1", "c1", pads=[1, 1, 1, 1]), *qp("c1")], "c1_q", domain="")
    sig = b.quant("conv_sig", 1.0 / 256.0, np.uint8(0), np.uint8)
    b.node("QLinearSigmoid", ["c1_q", *qp("c1"), *sig], "conv_sig")
    out("conv_sig", TensorProto.UINT8, [1, 6, 12, 12])
    # No integer kernel: rounded input, rounded output.
    b.node("Softplus", ["x_dq"], "sp", domain="")
    out(qdq("sp", "sp", "soft"), TensorProto.FLOAT, [1, 3, 12, 12])
    # Integer kernels: MaxPool (on the input's grid) -> Conv; the pairs between them go.
    b.node("MaxPool", ["x_dq"], "mp", domain="", kernel_shape=[2, 2], strides=[2, 2])
    out(qdq("mp", "mp", "pool"), TensorProto.FLOAT, [1, 3, 6, 6])
    conv("mp", "pool", "w2", "b2", "c2")
    out(qdq("c2", "c2", "pconv"), TensorProto.FLOAT, [1, 4, 6, 6])
    # An integer kernel whose output grid (the input's) is not the pair's: requantized.
    b.node("AveragePool", ["x_dq"], "ap", domain="", kernel_shape=[2, 2], strides=[2, 2])
    out(qdq("ap", "ap", "avg"), TensorProto.FLOAT, [1, 3, 6, 6])
    tests = [[rng.normal(0, 1.5, (1, 3, 12, 12)).astype(np.float32)] for _ in range(8)]
    return b.model("qoperator_mixed"), tests


def write(model, name, input_sets):
    path = os.path.join(HERE, name + ".onnx")
    onnx.save(model, path)
    ort_data.write_reference(path, os.path.join(HERE, name + "_data"), input_sets)
    print(f"wrote {path} and {len(input_sets)} data sets")


def main():
    only = set(sys.argv[1:])
    if not only and os.path.isdir(HERE):
        shutil.rmtree(HERE)
    os.makedirs(HERE, exist_ok=True)
    for part in ("ops", "pool"):
        for dtype in (np.uint8, np.int8):
            name = f"{part}_{dtype_name(dtype)}"
            if not only or name in only:
                model, shapes = branches_model(dtype, part)
                write(model, name, ops_inputs(shapes, dtype, 4))
    for name, make in (("net", net_model), ("mixed", mixed_model)):
        if not only or name in only:
            with tempfile.TemporaryDirectory() as work:
                model, tests = make(work)
            write(model, name, tests)


if __name__ == "__main__":
    main()
