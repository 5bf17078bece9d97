#!/usr/bin/python3
"""make_variants.py: operator variants the ONNX backend suite does not cover,
with ONNX Runtime as the oracle.

    make_variants.py OUTDIR

writes OUTDIR/variants/test_NAME/{model.onnx, test_data_set_0/{input,output}_K.pb}
in the backend-test layout: seeded random inputs, reference outputs computed by
ONNX Runtime (tools/ort/run_ort.js). tests/CMakeLists.txt then runs the
conformance runner on OUTDIR (--data OUTDIR --suite variants), so each case is
compiled by tmlc, built and compared exactly like an ONNX backend test.

Covered: LSTM/GRU/RNN in every direction and layout, with all optional inputs
and outputs, clip, input_forget, linear_before_reset and non-default
activations with alpha/beta; DFT/STFT variants (one-sided, inverse, complex,
dft_length padding and truncation, power-of-two and other lengths); window
functions in double; QuantizeLinear/DequantizeLinear and the QLinear/Integer
operators with int8, per-axis and per-channel parameters, saturation and
halfway rounding; Einsum equations; If/Loop/Scan with outer-scope references,
nesting, reverse scans and scan axes.
"""
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "ort"))
import ort_data  # noqa: E402

RNG = np.random.default_rng(20261123)
CASES = []


def make_model(name, nodes, inputs, outputs, initializers, opset):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def case(name, nodes, inputs, outputs, feeds, initializers=(), opset=17, reference_nodes=None, exact=None,
         ort_agrees=True):
    """inputs/outputs: (name, elem_type, shape); feeds: arrays for the inputs.
    reference_nodes: an equivalent graph ONNX Runtime runs instead (for what
    it does not implement itself, e.g. batch-first recurrent layers).
    exact: a float64 numpy formula giving the outputs from the feeds, used as
    the reference where ONNX Runtime's float rounding would dominate the
    comparison (components that are exactly zero); ONNX Runtime must then
    agree with it to 1e-4 (ort_agrees=False: ONNX Runtime is wrong here)."""
    model = make_model(name, nodes, inputs, outputs, initializers, opset)
    ref = make_model(name, reference_nodes, inputs, outputs, initializers, opset) if reference_nodes else model
    CASES.append((name, model, ref, feeds, exact, ort_agrees))


def rand(*shape, lo=-1.0, hi=1.0, dtype=np.float32):
    return RNG.uniform(lo, hi, size=shape).astype(dtype)


F = TensorProto.FLOAT

# ---------------------------------------------------------------- recurrent


def recurrent(op, name, seq=4, batch=3, inp=5, hidden=4, direction="forward", layout=0, bias=True,
              seq_lens=None, init_h=False, init_c=False, peep=False, outs=("Y", "Y_h", "Y_c"), **attrs):
    gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[op]
    dirs = 2 if direction == "bidirectional" else 1
    x_shape = [batch, seq, inp] if layout else [seq, batch, inp]
    state = [batch, dirs, hidden] if layout else [dirs, batch, hidden]
    names = ["X", "W", "R"]
    inputs = [("X", F, x_shape)]
    feeds = [rand(*x_shape)]
    inits = [("W", rand(dirs, gates * hidden, inp)), ("R", rand(dirs, gates * hidden, hidden))]
    optional = [("B", bias, lambda: rand(dirs, 2 * gates * hidden)),
                ("sequence_lens", seq_lens is not None, lambda: np.array(seq_lens, dtype=np.int32)),
                ("initial_h", init_h, lambda: rand(*state))]
    if op == "LSTM":
        optional += [("initial_c", init_c, lambda: rand(*state)), ("P", peep, lambda: rand(dirs, 3 * hidden))]
    last = max([i for i, o in enumerate(optional) if o[1]], default=-1)
    for i, (n, present, make) in enumerate(optional[:last + 1]):
        if not present:
            names.append("")
            continue
        names.append(n)
        a = make()
        if n in ("initial_h", "initial_c", "sequence_lens"):  # run-time inputs
            inputs.append((n, TensorProto.INT32 if n == "sequence_lens" else F, list(a.shape)))
            feeds.append(a)
        else:
            inits.append((n, a))
    y_shape = [batch, seq, dirs, hidden] if layout else [seq, dirs, batch, hidden]
    all_outs = {"Y": y_shape, "Y_h": state, "Y_c": state}
    out_names = [o if o in outs else "" for o in (["Y", "Y_h", "Y_c"] if op == "LSTM" else ["Y", "Y_h"])]
    while out_names and not out_names[-1]:
        out_names.pop()
    node = helper.make_node(op, names, out_names, hidden_size=hidden, direction=direction, layout=layout, **attrs)
    ref = None
    if layout:  # ONNX Runtime has no batch-first layers: transpose around a sequence-first one
        t_in = {"X": [1, 0, 2], "initial_h": [1, 0, 2], "initial_c": [1, 0, 2]}
        t_out = {"Y": [2, 0, 1, 3], "Y_h": [1, 0, 2], "Y_c": [1, 0, 2]}
        ref = [helper.make_node("Transpose", [n], [n + "_t"], perm=t_in[n]) for n in names if n in t_in]
        ref.append(helper.make_node(op, [n + "_t" if n in t_in else n for n in names],
                                    [o + "_t" if o else "" for o in out_names], hidden_size=hidden,
                                    direction=direction, layout=0, **attrs))
        ref += [helper.make_node("Transpose", [o + "_t"], [o], perm=t_out[o]) for o in out_names if o]
    case(name, [node], inputs, [(o, F, all_outs[o]) for o in out_names if o], feeds, inits, opset=14,
         reference_nodes=ref)


for op in ("LSTM", "GRU", "RNN"):
    lo = op.lower()
    outs = ("Y", "Y_h", "Y_c") if op == "LSTM" else ("Y", "Y_h")
    for d in ("forward", "reverse", "bidirectional"):
        recurrent(op, f"{lo}_{d}", direction=d, outs=outs)
        recurrent(op, f"{lo}_{d}_seqlens_init", direction=d, seq_lens=[4, 2, 3], init_h=True, init_c=True,
                  outs=outs)
    recurrent(op, f"{lo}_bidirectional_layout1_seqlens", direction="bidirectional", layout=1, seq_lens=[1, 4, 3],
              init_h=True, init_c=True, outs=outs)
    recurrent(op, f"{lo}_clip", direction="bidirectional", clip=0.3, outs=outs)
    recurrent(op, f"{lo}_nobias_only_yh", bias=False, outs=("Y_h",))

recurrent("LSTM", "lstm_peepholes_bidirectional", direction="bidirectional", init_h=True, init_c=True, peep=True)
recurrent("LSTM", "lstm_input_forget", direction="reverse", input_forget=1, peep=True)
recurrent("LSTM", "lstm_only_yc", outs=("Y_c",))
recurrent("LSTM", "lstm_activations", direction="bidirectional",
          activations=["HardSigmoid", "Tanh", "Softsign", "Sigmoid", "ScaledTanh", "Tanh"],
          activation_alpha=[0.3, 1.5], activation_beta=[0.4, 0.7])
recurrent("GRU", "gru_linear_before_reset", direction="bidirectional", linear_before_reset=1, init_h=True)
recurrent("GRU", "gru_activations", activations=["HardSigmoid", "LeakyRelu"], activation_alpha=[0.25, 0.1],
          activation_beta=[0.45], outs=("Y", "Y_h"))
for act, alpha, beta in (("Relu", None, None), ("Affine", [0.8], [0.1]), ("Elu", [0.7], None),
                         ("Softplus", None, None), ("ThresholdedRelu", [0.2], None), ("Sigmoid", None, None)):
    kw = {"activations": [act]}
    if alpha:
        kw["activation_alpha"] = alpha
    if beta:
        kw["activation_beta"] = beta
    recurrent("RNN", f"rnn_activation_{act.lower()}", outs=("Y", "Y_h"), init_h=True, **kw)

# ---------------------------------------------------------------- signal


def np_dft(x, axis, inverse, onesided, length):
    """ONNX DFT in float64: x [..., 1 or 2] -> [..., 2]."""
    c = x[..., 0].astype(np.float64) + (1j * x[..., 1] if x.shape[-1] == 2 else 0)
    n = length if length is not None else c.shape[axis]
    y = (np.fft.ifft if inverse else np.fft.fft)(c, n=n, axis=axis)
    if onesided:
        y = np.take(y, range(n // 2 + 1), axis=axis)
    return np.stack([y.real, y.imag], -1)


def dft(name, shape, axis=1, inverse=0, onesided=0, length=None):
    ins = ["x"] + (["len"] if length is not None else [])
    inits = [("len", np.array(length, dtype=np.int64))] if length is not None else []
    y = list(shape)
    n = length if length is not None else shape[axis]
    y[axis] = n // 2 + 1 if onesided else n
    y[-1] = 2
    node = helper.make_node("DFT", ins, ["y"], axis=axis, inverse=inverse, onesided=onesided)
    case(name, [node], [("x", F, list(shape))], [("y", F, y)], [rand(*shape)], inits,
         exact=lambda x: [np_dft(x, axis, inverse, onesided, length)])


dft("dft_pow2_real", [2, 16, 1])
dft("dft_pow2_complex_inverse", [2, 8, 3, 2], inverse=1)
dft("dft_onesided_odd", [1, 9, 1], onesided=1)
dft("dft_onesided_pow2_axis2", [2, 3, 32, 1], axis=2, onesided=1)
dft("dft_length_pad", [1, 6, 2], length=8)
dft("dft_length_truncate", [1, 12, 1], length=10)
dft("dft_inverse_real_input", [1, 7, 1], inverse=1)


def np_stft(sig, step, frame, window, onesided):
    x = sig[..., 0].astype(np.float64) + (1j * sig[..., 1] if sig.shape[-1] == 2 else 0)
    frames = (x.shape[1] - frame) // step + 1
    w = np.ones(frame) if window is None else window.astype(np.float64)
    y = np.stack([np.fft.fft(x[:, f * step:f * step + frame] * w, axis=1) for f in range(frames)], 1)
    if onesided:
        y = y[:, :, :frame // 2 + 1]
    return np.stack([y.real, y.imag], -1)


def stft(name, batch, length, comps, step, frame, window=None, onesided=1):
    ins = ["signal", "step", "window" if window is not None else "", "frame"]
    inits = [("step", np.array(step, dtype=np.int64)), ("frame", np.array(frame, dtype=np.int64))]
    feeds = [rand(batch, length, comps)]
    inputs = [("signal", F, [batch, length, comps])]
    if window is not None:
        inputs.append(("window", F, [frame]))
        feeds.append(window)
    frames = (length - frame) // step + 1
    bins = frame // 2 + 1 if onesided else frame
    node = helper.make_node("STFT", ins, ["y"], onesided=onesided)
    # ONNX Runtime 1.30's STFT of a complex signal returns garbage (|error| ~1e16).
    case(name, [node], inputs, [("y", F, [batch, frames, bins, 2])], feeds, inits,
         exact=lambda s, *w: [np_stft(s, step, frame, w[0] if w else None, onesided)], ort_agrees=comps == 1)


stft("stft_hann_pow2", 2, 100, 1, 10, 32, window=np.hanning(32).astype(np.float32))
stft("stft_twosided", 1, 50, 1, 7, 12, onesided=0)
stft("stft_complex", 1, 40, 2, 8, 10, window=rand(10, lo=0.0), onesided=0)

for op in ("HannWindow", "HammingWindow", "BlackmanWindow"):
    for periodic in (0, 1):
        node = helper.make_node(op, ["size"], ["y"], periodic=periodic, output_datatype=TensorProto.DOUBLE)
        # The size is a graph input, frozen at compile time by the runner (--const-input).
        case(f"{op.lower()}_double_p{periodic}", [node], [("size", TensorProto.INT64, [])],
             [("y", TensorProto.DOUBLE, [33])], [np.array(33, dtype=np.int64)])
node = helper.make_node("MelWeightMatrix", ["bins", "len", "rate", "lo", "hi"], ["y"])
nodes = [helper.make_node("Mul", ["x", "x"], ["xx"]), node]  # one run-time input for ONNX Runtime
case("melweightmatrix_kws", nodes, [("x", F, [1])], [("xx", F, [1]), ("y", F, [257, 40])], [rand(1)],
     [("bins", np.array(40, dtype=np.int64)), ("len", np.array(512, dtype=np.int64)),
      ("rate", np.array(16000, dtype=np.int64)), ("lo", np.array(20.0, dtype=np.float32)),
      ("hi", np.array(7600.0, dtype=np.float32))])



def np_mel(bins, length, rate, lo, hi):
    """ONNX's MelWeightMatrix reference (onnx/backend/test/case/node/melweightmatrix.py)."""
    mel = lambda hz: 2595 * np.log10(1 + hz / 700)  # noqa: E731
    points = np.arange(0, bins + 2) * ((mel(hi) - mel(lo)) / (bins + 2)) + mel(lo)
    edges = (((length + 1) * (700 * (np.power(10, points / 2595) - 1))) // rate).astype(int)
    out = np.zeros((length // 2 + 1, bins))
    for i in range(bins):
        left, center, right = edges[i], edges[i + 1], edges[i + 2]
        if center == left:
            out[center, i] = 1
        else:
            for j in range(left, center + 1):
                out[j, i] = (j - left) / (center - left)
        for j in range(center, right):
            out[j, i] = (right - j) / (right - center)
    return out


def np_logmel(signal):
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(512) / 512)
    spec = np_stft(signal, 160, 512, w, 1)
    power = (spec ** 2).sum(-1)
    return [np.log(power @ np_mel(40, 512, 16000, 20.0, 7600.0) + 1e-6)]


# The audio front-end of a keyword spotter, from samples to log-mel features:
# HannWindow -> STFT -> |X|^2 -> MatMul with MelWeightMatrix -> Log. The
# window and the filter bank fold into weights at compile time.
nodes = [helper.make_node("HannWindow", ["n_fft"], ["win"]),
         helper.make_node("STFT", ["signal", "hop", "win"], ["spec"]),
         helper.make_node("Mul", ["spec", "spec"], ["sq"]),
         helper.make_node("ReduceSum", ["sq", "last"], ["power"], keepdims=0),
         helper.make_node("MelWeightMatrix", ["mels", "n_fft", "rate", "lo", "hi"], ["mel"]),
         helper.make_node("MatMul", ["power", "mel"], ["melspec"]),
         helper.make_node("Add", ["melspec", "eps"], ["melspec_eps"]),
         helper.make_node("Log", ["melspec_eps"], ["logmel"])]
case("audio_frontend_logmel", nodes, [("signal", F, [1, 16000, 1])], [("logmel", F, [1, 97, 40])],
     [rand(1, 16000, 1)],
     [("n_fft", np.array(512, np.int64)), ("hop", np.array(160, np.int64)), ("last", np.array([-1], np.int64)),
      ("mels", np.array(40, np.int64)), ("rate", np.array(16000, np.int64)), ("lo", np.array(20.0, np.float32)),
      ("hi", np.array(7600.0, np.float32)), ("eps", np.array(1e-6, np.float32))],
     exact=np_logmel)

# ---------------------------------------------------------------- quantization
U8, I8, I32 = TensorProto.UINT8, TensorProto.INT8, TensorProto.INT32

x = np.concatenate([rand(60, lo=-300, hi=300), np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e9, -1e9], np.float32)])
for zt, zp in ((U8, np.uint8(128)), (I8, np.int8(-3))):
    node = helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"])
    case(f"quantizelinear_saturate_{'u8' if zt == U8 else 'i8'}", [node], [("x", F, [68])], [("y", zt, [68])], [x],
         [("s", np.array(1.0, np.float32)), ("z", np.array(zp))])
node = helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"], axis=2)
case("quantizelinear_axis2_i8", [node], [("x", F, [2, 3, 4])], [("y", I8, [2, 3, 4])], [rand(2, 3, 4, lo=-3, hi=3)],
     [("s", np.array([0.02, 0.03, 0.05, 0.1], np.float32)), ("z", np.array([0, -5, 7, 127], np.int8))])
node = helper.make_node("DequantizeLinear", ["x", "s", "z"], ["y"], axis=0)
case("dequantizelinear_axis0_i8", [node], [("x", I8, [3, 5])], [("y", F, [3, 5])],
     [RNG.integers(-128, 128, (3, 5)).astype(np.int8)],
     [("s", np.array([0.5, 0.25, 2.0], np.float32)), ("z", np.array([1, -2, 3], np.int8))])
node = helper.make_node("DequantizeLinear", ["x", "s"], ["y"])
case("dequantizelinear_int32", [node], [("x", I32, [7])], [("y", F, [7])],
     [RNG.integers(-100000, 100000, 7).astype(np.int32)], [("s", np.array(0.001, np.float32))])
node = helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"])
case("dynamicquantizelinear_positive", [node], [("x", F, [3, 4])],
     [("y", U8, [3, 4]), ("s", F, []), ("z", U8, [])], [rand(3, 4, lo=0.5, hi=4.0)], opset=11)


def qmatmul(name, a_shape, b_shape, at, bt, yt, per_col=False):
    a = RNG.integers(0 if at == np.uint8 else -128, 256 if at == np.uint8 else 128, a_shape).astype(at)
    b = RNG.integers(0 if bt == np.uint8 else -128, 256 if bt == np.uint8 else 128, b_shape).astype(bt)
    n = b_shape[-1]
    inits = [("as", np.array(0.02, np.float32)), ("az", np.array(3, at)),
             ("bs", (rand(n, lo=0.005, hi=0.03) if per_col else np.array(0.01, np.float32))),
             ("bz", np.array(2 if bt == np.uint8 else 0, bt)), ("ys", np.array(0.5, np.float32)),
             ("yz", np.array(10, yt))]
    y = list(np.matmul(np.zeros(a_shape), np.zeros(b_shape)).shape)
    onnx_t = {np.uint8: U8, np.int8: I8}
    node = helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"])
    case(name, [node], [("a", onnx_t[at], list(a_shape)), ("b", onnx_t[bt], list(b_shape))],
         [("y", onnx_t[yt], y)], [a, b], inits, opset=10)


qmatmul("qlinearmatmul_u8_batched_broadcast", (2, 3, 4, 6), (6, 5), np.uint8, np.uint8, np.uint8)
qmatmul("qlinearmatmul_i8", (3, 8), (8, 4), np.int8, np.int8, np.int8)
node = helper.make_node("MatMulInteger", ["a", "b", "az", "bz"], ["y"])
case("matmulinteger_i8_u8_percolumn", [node], [("a", I8, [4, 6]), ("b", U8, [6, 3])], [("y", I32, [4, 3])],
     [RNG.integers(-128, 128, (4, 6)).astype(np.int8), RNG.integers(0, 256, (6, 3)).astype(np.uint8)],
     [("az", np.array(-2, np.int8)), ("bz", np.array([7, 0, 200], np.uint8))], opset=10)


def qconv(name, x_shape, w_shape, xt, wt, per_channel, bias, **attrs):
    onnx_t = {np.uint8: U8, np.int8: I8}
    x = RNG.integers(0 if xt == np.uint8 else -128, 256 if xt == np.uint8 else 128, x_shape).astype(xt)
    w = RNG.integers(0 if wt == np.uint8 else -128, 256 if wt == np.uint8 else 128, w_shape).astype(wt)
    oc = w_shape[0]
    inits = [("w", w), ("xs", np.array(0.05, np.float32)), ("xz", np.array(5, xt)),
             ("ws", rand(oc, lo=0.002, hi=0.01) if per_channel else np.array(0.004, np.float32)),
             ("wz", np.zeros(oc, wt) if per_channel else np.array(0, wt)),
             ("ys", np.array(0.3, np.float32)), ("yz", np.array(100 if xt == np.uint8 else -5, xt))]
    ins = ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"]
    if bias:
        inits.append(("bias", RNG.integers(-2000, 2000, oc).astype(np.int32)))
        ins.append("bias")
    node = helper.make_node("QLinearConv", ins, ["y"], **attrs)
    import onnx.shape_inference
    probe = helper.make_model(helper.make_graph(
        [node], "p", [helper.make_tensor_value_info("x", onnx_t[xt], list(x_shape))],
        [helper.make_tensor_value_info("y", onnx_t[xt], None)],
        initializer=[numpy_helper.from_array(a, n) for n, a in inits]),
        opset_imports=[helper.make_opsetid("", 10)])
    y_shape = [d.dim_value for d in onnx.shape_inference.infer_shapes(probe).graph.output[0].type.tensor_type.shape.dim]
    case(name, [node], [("x", onnx_t[xt], list(x_shape))], [("y", onnx_t[xt], y_shape)], [x], inits, opset=10)


qconv("qlinearconv_u8_perchannel_bias_strided", (1, 3, 9, 9), (4, 3, 3, 3), np.uint8, np.int8, True, True,
      strides=[2, 2], pads=[1, 1, 1, 1])
qconv("qlinearconv_i8_group_dilated", (1, 4, 8, 8), (4, 2, 3, 3), np.int8, np.int8, False, True, group=2,
      dilations=[2, 2], pads=[2, 1, 2, 1])
qconv("qlinearconv_u8_1d", (2, 2, 10), (3, 2, 3), np.uint8, np.uint8, False, False, auto_pad="SAME_UPPER")
node = helper.make_node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], pads=[1, 0, 1, 0], strides=[1, 2])
case("convinteger_u8_wz", [node], [("x", U8, [1, 2, 5, 6])], [("y", I32, [1, 3, 5, 2])],
     [RNG.integers(0, 256, (1, 2, 5, 6)).astype(np.uint8)],
     [("w", RNG.integers(0, 256, (3, 2, 3, 3)).astype(np.uint8)), ("xz", np.array(17, np.uint8)),
      ("wz", np.array(99, np.uint8))], opset=10)

# ---------------------------------------------------------------- Einsum


def einsum(name, eq, shapes, out_shape):
    names = [f"x{i}" for i in range(len(shapes))]
    node = helper.make_node("Einsum", names, ["y"], equation=eq)
    case(name, [node], [(n, F, list(s)) for n, s in zip(names, shapes)], [("y", F, out_shape)],
         [rand(*s) for s in shapes], opset=12)


einsum("einsum_matmul", "ij,jk->ik", [(3, 4), (4, 5)], [3, 5])
einsum("einsum_implicit", "ij,jk", [(3, 4), (4, 5)], [3, 5])
einsum("einsum_outer", "i,j->ij", [(3,), (4,)], [3, 4])
einsum("einsum_trace", "ii->", [(4, 4)], [])
einsum("einsum_ellipsis", "...ij,...jk->...ik", [(2, 3, 4), (2, 4, 2)], [2, 3, 2])
einsum("einsum_three", "ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)], [2, 2])
einsum("einsum_attention_scores", "bhqd,bhkd->bhqk", [(1, 2, 3, 4), (1, 2, 5, 4)], [1, 2, 3, 5])

# ---------------------------------------------------------------- control flow
B = TensorProto.BOOL


def vi(n, t=F, s=None):
    return helper.make_tensor_value_info(n, t, s)


# If: branches read outer-scope values; the condition is computed from an initializer.
then_g = helper.make_graph([helper.make_node("Mul", ["x", "k"], ["t"])], "then", [], [vi("t", F, [3, 4])])
else_g = helper.make_graph([helper.make_node("Sub", ["x", "k"], ["e"])], "else", [], [vi("e", F, [3, 4])])
nodes = [helper.make_node("Greater", ["a", "b"], ["c"]),
         helper.make_node("If", ["c"], ["r"], then_branch=then_g, else_branch=else_g)]
case("if_outer_scope_computed_cond", nodes, [("x", F, [3, 4])], [("r", F, [3, 4])], [rand(3, 4)],
     [("k", rand(3, 4)), ("a", np.array(1.0, np.float32)), ("b", np.array(2.0, np.float32))], opset=13)

# Loop: a carried value, two scan outputs, an outer-scope weight, a nested If on
# the (constant) iteration number, and a trip count computed from initializers.
inner_then = helper.make_graph([helper.make_node("Add", ["h", "w"], ["it"])], "ithen", [], [vi("it", F, [2])])
inner_else = helper.make_graph([helper.make_node("Mul", ["h", "w"], ["ie"])], "ielse", [], [vi("ie", F, [2])])
body = helper.make_graph(
    [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
     helper.make_node("Less", ["i", "two"], ["small"]),
     helper.make_node("If", ["small"], ["h2"], then_branch=inner_then, else_branch=inner_else),
     helper.make_node("Tanh", ["h2"], ["h_out"]),
     helper.make_node("Cast", ["i"], ["fi"], to=F),
     helper.make_node("Mul", ["h_out", "fi"], ["s1"]),
     helper.make_node("Identity", ["h"], ["s2"])],
    "body", [vi("i", TensorProto.INT64, []), vi("cond_in", B, []), vi("h", F, [2])],
    [vi("cond_out", B, []), vi("h_out", F, [2]), vi("s1", F, [2]), vi("s2", F, [2])])
nodes = [helper.make_node("Add", ["m0", "m1"], ["trips"]),
         helper.make_node("Loop", ["trips", "", "h0"], ["h_final", "scan1", "scan2"], body=body)]
case("loop_nested_if_outer_scope", nodes, [("h0", F, [2])],
     [("h_final", F, [2]), ("scan1", F, [5, 2]), ("scan2", F, [5, 2])], [rand(2)],
     [("w", rand(2)), ("two", np.array(2, np.int64)), ("m0", np.array(2, np.int64)), ("m1", np.array(3, np.int64))],
     opset=13)

# Loop whose condition turns false: cond_out = i < 2 stops after 3 iterations
# of a trip count of 10.
body = helper.make_graph(
    [helper.make_node("Less", ["i", "lim"], ["cond_out"]),
     helper.make_node("Add", ["acc", "x"], ["acc_out"])],
    "body", [vi("i", TensorProto.INT64, []), vi("c", B, []), vi("acc", F, [3])],
    [vi("cond_out", B, []), vi("acc_out", F, [3])])
nodes = [helper.make_node("Loop", ["m", "go", "a0"], ["acc_final"], body=body)]
case("loop_condition_stops", nodes, [("x", F, [3]), ("a0", F, [3])], [("acc_final", F, [3])], [rand(3), rand(3)],
     [("m", np.array(10, np.int64)), ("go", np.array(True)), ("lim", np.array(2, np.int64))], opset=13)

# Scan: two scan inputs along axes 1 and 0, one reversed; two scan outputs,
# stacked along axis 1 and (reversed) along axis 0.
body = helper.make_graph(
    [helper.make_node("Add", ["s", "u"], ["s1"]),
     helper.make_node("Mul", ["s1", "v"], ["s_out"]),
     helper.make_node("Sub", ["s_out", "bias"], ["o1"]),
     helper.make_node("Identity", ["u"], ["o2"])],
    "body", [vi("s", F, [3]), vi("u", F, [3]), vi("v", F, [3])],
    [vi("s_out", F, [3]), vi("o1", F, [3]), vi("o2", F, [3])])
node = helper.make_node("Scan", ["s0", "U", "V"], ["s_final", "O1", "O2"], body=body, num_scan_inputs=2,
                        scan_input_axes=[1, 0], scan_input_directions=[0, 1], scan_output_axes=[1, 0],
                        scan_output_directions=[0, 1])
case("scan_axes_directions_outer_scope", [node], [("s0", F, [3]), ("U", F, [3, 4]), ("V", F, [4, 3])],
     [("s_final", F, [3]), ("O1", F, [3, 4]), ("O2", F, [4, 3])], [rand(3), rand(3, 4), rand(4, 3)],
     [("bias", rand(3))], opset=11)

# Scan, opset 8 form: batch axis of 2, no sequence_lens.
body = helper.make_graph([helper.make_node("Add", ["s", "x"], ["s_out"]),
                          helper.make_node("Identity", ["s_out"], ["o"])],
                         "body", [vi("s", F, [2]), vi("x", F, [2])], [vi("s_out", F, [2]), vi("o", F, [2])])
node = helper.make_node("Scan", ["", "s0", "X"], ["s_final", "O"], body=body, num_scan_inputs=1, directions=[1])
case("scan8_batch2_reverse", [node], [("s0", F, [2, 2]), ("X", F, [2, 3, 2])], [("s_final", F, [2, 2]),
     ("O", F, [2, 3, 2])], [rand(2, 2), rand(2, 3, 2)], opset=8)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = os.path.join(sys.argv[1], "variants")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for name, model, ref, feeds, exact, ort_agrees in CASES:
        d = os.path.join(out, "test_" + name)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "model.onnx")
        onnx.save(model, path)
        ref_path = path
        if ref is not model:
            ref_path = os.path.join(d, "reference.onnx")
            onnx.save(ref, ref_path)
        ort_outs = ort_data.write_reference(ref_path, os.path.join(d, "data"), [feeds])[0]
        if exact is not None:
            want = [np.asarray(o, dtype=np.float32) for o in exact(*feeds)]
            for k, (w, o) in enumerate(zip(want, ort_outs)):
                err = float(np.max(np.abs(w - o))) if w.size else 0.0
                if ort_agrees and not err <= 1e-4:
                    raise SystemExit(f"{name}: ONNX Runtime and the numpy reference differ by {err} (output {k})")
                with open(os.path.join(d, "data", "test_data_set_0", f"output_{k}.pb"), "wb") as f:
                    f.write(numpy_helper.from_array(w).SerializeToString())
        # The backend layout keeps data sets beside model.onnx.
        src = os.path.join(d, "data", "test_data_set_0")
        dst = os.path.join(d, "test_data_set_0")
        os.rename(src, dst)
        os.rmdir(os.path.join(d, "data"))
    print(f"make_variants: {len(CASES)} cases in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
