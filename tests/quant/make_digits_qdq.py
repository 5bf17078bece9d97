#!/usr/bin/python3
"""make_digits_qdq.py: a QDQ version of digits/digits.onnx and ONNX Runtime
references for it (the QDQ import check of issue 5).

Writes digits/digits_qdq.onnx the way ONNX Runtime's static quantizer lays out
a QDQ model: activations uint8 asymmetric (QuantizeLinear -> DequantizeLinear
after the graph input and after every Relu, Add, Flatten and Gemm output; none
between a Conv and its Relu), weights int8 symmetric per output channel and
biases int32 at scale_x * scale_w, each behind a DequantizeLinear. Activation
ranges are the min/max of a numpy forward pass over digits/calib/image.npy.
Then digits/qdq_data/test_data_set_N/ holds 40 test images with the outputs of
ONNX Runtime (tools/ort/run_ort.js) on the QDQ model.

    /usr/bin/python3 tests/quant/make_digits_qdq.py
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "ort"))
import ort_data  # noqa: E402


def conv2d(x, w, b, strides, pads, group):
    n, c, h, wd = x.shape
    oc, icg, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (x.shape[2] - kh) // strides[0] + 1
    ow = (x.shape[3] - kw) // strides[1] + 1
    y = np.zeros((n, oc, oh, ow), np.float64)
    ocg = oc // group
    for o in range(oc):
        g = o // ocg
        for i in range(icg):
            for a in range(kh):
                for bb in range(kw):
                    y[:, o] += w[o, i, a, bb] * x[:, g * icg + i, a:a + strides[0] * oh:strides[0],
                                                  bb:bb + strides[1] * ow:strides[1]]
        if b is not None:
            y[:, o] += b[o]
    return y


def forward(model, x):
    """Every tensor of the float digits model for inputs x (numpy)."""
    init = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    env = dict(init)
    env[model.graph.input[0].name] = x.astype(np.float64)
    for n in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
        ins = [env[i] if i else None for i in n.input]
        if n.op_type == "Conv":
            y = conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("strides", [1, 1]),
                       a.get("pads", [0, 0, 0, 0]), a.get("group", 1))
        elif n.op_type == "Relu":
            y = np.maximum(ins[0], 0)
        elif n.op_type == "Add":
            y = ins[0] + ins[1]
        elif n.op_type == "Flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)
        elif n.op_type == "Gemm":
            y = ins[0] @ (ins[1].T if a.get("transB", 0) else ins[1]) + ins[2]
        else:
            raise SystemExit("unexpected op " + n.op_type)
        env[n.output[0]] = y
    return env


def main():
    model = onnx.load(os.path.join(HERE, "digits.onnx"))
    calib = np.load(os.path.join(HERE, "calib", "image.npy"))
    env = forward(model, calib)
    init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    producers = {o: n for n in model.graph.node for o in n.output}

    nodes, inits = [], []
    qparams = {}  # tensor -> (scale, zero point) uint8

    def uint8_params(name):
        if name not in qparams:
            lo, hi = min(float(env[name].min()), 0.0), max(float(env[name].max()), 0.0)
            s = (hi - lo) / 255.0 or 1.0
            qparams[name] = (np.float32(s), np.uint8(int(np.clip(round(-lo / s), 0, 255))))
        return qparams[name]

    def qdq(name, params=None):
        """name -> QuantizeLinear -> DequantizeLinear -> name + '_dq'."""
        s, z = params or uint8_params(name)
        qparams[name] = (s, z)
        inits.append(numpy_helper.from_array(np.array(s, np.float32), name + "_scale"))
        inits.append(numpy_helper.from_array(np.array(z, np.uint8), name + "_zp"))
        nodes.append(helper.make_node("QuantizeLinear", [name, name + "_scale", name + "_zp"], [name + "_q"],
                                      name=name + "_QuantizeLinear"))
        nodes.append(helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"],
                                      [name + "_dq"], name=name + "_DequantizeLinear"))
        return name + "_dq"

    rename = {}  # float tensor -> the dequantized tensor the next op reads
    inp = model.graph.input[0].name
    rename[inp] = qdq(inp)
    consumers = {}
    for n in model.graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for n in model.graph.node:
        ins = list(n.input)
        if n.op_type in ("Conv", "Gemm"):
            x, w = ins[0], ins[1]
            sx = qparams[x][0]
            wv = init[w].astype(np.float32)
            oc = wv.shape[0]
            amax = np.abs(wv.reshape(oc, -1)).max(axis=1)
            sw = (np.where(amax > 0, amax, 1.0) / 127.0).astype(np.float32)
            shape = (oc,) + (1,) * (wv.ndim - 1)
            wq = np.clip(np.round(wv / sw.reshape(shape)), -127, 127).astype(np.int8)
            inits += [numpy_helper.from_array(wq, w + "_quantized"), numpy_helper.from_array(sw, w + "_scale"),
                      numpy_helper.from_array(np.zeros(oc, np.int8), w + "_zp")]
            nodes.append(helper.make_node("DequantizeLinear", [w + "_quantized", w + "_scale", w + "_zp"], [w + "_dq"],
                                          axis=0, name=w + "_DequantizeLinear"))
            ins[1] = w + "_dq"
            if len(ins) > 2 and ins[2]:
                b = ins[2]
                sb = (sx * sw).astype(np.float32)
                bq = np.round(init[b].astype(np.float64) / sb).astype(np.int32)
                inits += [numpy_helper.from_array(bq, b + "_quantized"), numpy_helper.from_array(sb, b + "_scale"),
                          numpy_helper.from_array(np.zeros(oc, np.int32), b + "_zp")]
                nodes.append(helper.make_node("DequantizeLinear", [b + "_quantized", b + "_scale", b + "_zp"],
                                              [b + "_dq"], axis=0, name=b + "_DequantizeLinear"))
                ins[2] = b + "_dq"
        ins = [rename.get(i, i) for i in ins]
        out = n.output[0]
        nodes.append(helper.make_node(n.op_type, ins, [out], name=n.name,
                                      **{a.name: helper.get_attribute_value(a) for a in n.attribute}))
        followed_by_relu = all(c.op_type == "Relu" for c in consumers.get(out, [])) and consumers.get(out)
        if n.op_type == "Conv" and followed_by_relu:
            continue  # Conv -> Relu -> QDQ, as ONNX Runtime's quantizer
        if n.op_type == "Add" and followed_by_relu:
            rename[out] = qdq(out)  # the Add output is quantized, then Relu on it
            continue
        rename[out] = qdq(out, qparams[ins[0][:-3]] if n.op_type == "Flatten" else None)
    out = model.graph.output[0].name
    # The graph output is the dequantized last tensor.
    nodes.append(helper.make_node("Identity", [rename[out]], [out + "_final"], name="output"))
    graph = helper.make_graph(nodes, "digits_qdq", [model.graph.input[0]],
                              [helper.make_tensor_value_info(out + "_final", TensorProto.FLOAT, [1, 10])], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_digits_qdq.py")
    onnx.checker.check_model(m)
    path = os.path.join(HERE, "digits_qdq.onnx")
    onnx.save(m, path)
    x = np.load(os.path.join(HERE, "test_x.npy"))[:40]
    data = os.path.join(HERE, "qdq_data")
    ort_data.write_inputs(data, [[x[i:i + 1]] for i in range(len(x))], [inp])
    ort_data.run_ort(path, data)
    print("wrote", path, "and", data)


if __name__ == "__main__":
    main()
