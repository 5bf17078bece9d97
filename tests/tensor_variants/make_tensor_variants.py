#!/usr/bin/python3
"""make_tensor_variants.py: variants of the tensor and reduction operators that
the ONNX backend suite does not cover, with ONNX Runtime as the oracle.

    make_tensor_variants.py OUTDIR

writes OUTDIR/tensor_variants/test_NAME/{model.onnx, test_data_set_0/...} in
the backend-test layout: seeded random inputs, reference outputs computed by
ONNX Runtime (tools/ort/run_ort.js) and checked against a numpy formula where
one is given. tests/tensor_variants/CMakeLists.txt runs the conformance runner
on OUTDIR, so each case is compiled by tmlc, built and compared like a
backend test.

Covered: attribute forms of old opsets (Slice-9, Pad-2, Split-11, Reduce*-11,
TopK-1, Scatter-9); negative steps on several axes; Pad edge on int32 and
negative pads (cropping); every reduction over non-adjacent axes, integer
reductions, noop_with_empty_axes; Gather with 2-D int32 indices and at a
constant scalar index; GatherElements/GatherND/ScatterND with batch dims,
negative indices and reductions; Transpose of rank 5; Tile and Expand that
add dimensions; CumSum, ArgMax/ArgMin with ties, TopK with ties, EyeLike,
OneHot with float indices, Trilu on int64 batches; NegativeLogLikelihoodLoss and
SoftmaxCrossEntropyLoss on double with int32 labels (negative ignore_index,
log_prob), on float16, and with an ignored label outside [0, C); Det on float16
and of a batch holding a singular matrix; ReverseSequence of int32 with inner
dimensions.
"""
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP, helper as h, numpy_helper as nh

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "ort"))
import ort_data  # noqa: E402

RNG = np.random.default_rng(20261124)
CASES = []
NP2TP = {np.dtype(np.float32): TP.FLOAT, np.dtype(np.float64): TP.DOUBLE, np.dtype(np.float16): TP.FLOAT16, np.dtype(np.int32): TP.INT32,
         np.dtype(np.int64): TP.INT64, np.dtype(np.int8): TP.INT8, np.dtype(np.uint8): TP.UINT8,
         np.dtype(np.bool_): TP.BOOL}


def case(name, opset, nodes, feeds, outputs, inits=(), expect=None):
    """feeds: [(name, array)] graph inputs; outputs: [(name, dtype, shape)];
    inits: [(name, array)] initializers; expect: numpy formula giving the
    outputs from the feed arrays, which ONNX Runtime must match."""
    g = h.make_graph(nodes, name,
                     [h.make_tensor_value_info(n, NP2TP[a.dtype], a.shape) for n, a in feeds],
                     [h.make_tensor_value_info(n, NP2TP[np.dtype(t)], s) for n, t, s in outputs],
                     [nh.from_array(a, n) for n, a in inits])
    m = h.make_model(g, opset_imports=[h.make_opsetid("", opset)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    CASES.append((name, m, [a for _, a in feeds], expect))


def rand(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def ints(lo, hi, *shape, dtype=np.int32):
    return RNG.integers(lo, hi, shape).astype(dtype)


N = h.make_node

# --------------------------------------------------------------- movement
x = rand(4, 5, 6)
case("slice_v9_attrs", 9, [N("Slice", ["x"], ["y"], starts=[1, -3], ends=[3, 100], axes=[0, 2])],
     [("x", x)], [("y", np.float32, [2, 5, 3])], expect=lambda x: [x[1:3, :, -3:]])
case("slice_negative_steps", 13, [N("Slice", ["x", "s", "e", "a", "st"], ["y"])], [("x", x)],
     [("y", np.float32, [4, 2, 6])],
     [("s", np.array([-1, 4], np.int64)), ("e", np.array([-100, 0], np.int64)),
      ("a", np.array([0, 1], np.int64)), ("st", np.array([-1, -2], np.int64))],
     expect=lambda x: [x[::-1, 4:0:-2, :]])
xi8 = ints(-100, 100, 3, 7, dtype=np.int8)
case("slice_int8_step3", 13, [N("Slice", ["x", "s", "e", "a", "st"], ["y"])], [("x", xi8)],
     [("y", np.int8, [3, 3])],
     [("s", np.array([0], np.int64)), ("e", np.array([7], np.int64)), ("a", np.array([1], np.int64)),
      ("st", np.array([3], np.int64))], expect=lambda x: [x[:, 0:7:3]])
x = rand(2, 3, 4)
case("pad_v2_reflect", 2, [N("Pad", ["x"], ["y"], pads=[0, 1, 2, 0, 2, 1], mode="reflect")], [("x", x)],
     [("y", np.float32, [2, 6, 7])], expect=lambda x: [np.pad(x, [(0, 0), (1, 2), (2, 1)], mode="reflect")])
case("pad_v2_value", 2, [N("Pad", ["x"], ["y"], pads=[1, 0, 0, 0, 2, 3], value=1.5)], [("x", x)],
     [("y", np.float32, [3, 5, 7])], expect=lambda x: [np.pad(x, [(1, 0), (0, 2), (0, 3)], constant_values=1.5)])
xi = ints(-50, 50, 2, 3, 4)
case("pad_edge_int32", 13, [N("Pad", ["x", "p"], ["y"], mode="edge")], [("x", xi)], [("y", np.int32, [3, 5, 10])],
     [("p", np.array([1, 0, 3, 0, 2, 3], np.int64))],
     expect=lambda x: [np.pad(x, [(1, 0), (0, 2), (3, 3)], mode="edge")])
case("pad_negative_crop", 13, [N("Pad", ["x", "p", "v"], ["y"])], [("x", x)], [("y", np.float32, [2, 1, 5])],
     [("p", np.array([0, -1, 2, 0, -1, -1], np.int64)), ("v", np.array(-2, np.float32))],
     expect=lambda x: [np.pad(x, [(0, 0), (0, 0), (2, 0)], constant_values=-2)[:, 1:-1, :-1]])
x = rand(3, 5)
case("split_v11_attr", 11, [N("Split", ["x"], ["a", "b"], axis=1, split=[2, 3])], [("x", x)],
     [("a", np.float32, [3, 2]), ("b", np.float32, [3, 3])], expect=lambda x: [x[:, :2], x[:, 2:]])
case("split_v13_input_int64", 13, [N("Split", ["x", "s"], ["a", "b", "c"], axis=0)],
     [("x", ints(0, 9, 6, 2, dtype=np.int64))],
     [("a", np.int64, [1, 2]), ("b", np.int64, [0, 2]), ("c", np.int64, [5, 2])],
     [("s", np.array([1, 0, 5], np.int64))], expect=lambda x: [x[:1], x[1:1], x[1:]])
x = rand(2, 3, 4, 5, 6)
case("transpose_rank5", 13, [N("Transpose", ["x"], ["y"], perm=[4, 2, 0, 3, 1])], [("x", x)],
     [("y", np.float32, [6, 4, 2, 5, 3])], expect=lambda x: [x.transpose(4, 2, 0, 3, 1)])
x = rand(2, 1, 3)
case("tile_rank3", 13, [N("Tile", ["x", "r"], ["y"])], [("x", x)], [("y", np.float32, [4, 3, 6])],
     [("r", np.array([2, 3, 2], np.int64))], expect=lambda x: [np.tile(x, (2, 3, 2))])
case("expand_adds_dims", 13, [N("Expand", ["x", "s"], ["y"])], [("x", x)], [("y", np.float32, [4, 2, 5, 3])],
     [("s", np.array([4, 1, 5, 1], np.int64))], expect=lambda x: [np.broadcast_to(x, (4, 2, 5, 3))])
x = ints(0, 9, 2, 3, dtype=np.int64)
case("concat_three_int64", 13, [N("Concat", ["a", "b", "c"], ["y"], axis=-1)], [("a", x), ("b", x[:, :1].copy())],
     [("y", np.int64, [2, 6])], [("c", x[:, :2].copy())], expect=lambda a, b: [np.concatenate([a, b, a[:, :2]], 1)])

# --------------------------------------------------------------- indexing
x = rand(3, 4, 5)
gi = np.array([[0, 3], [-1, 1]], np.int32)
case("gather_axis1_int32_2d", 13, [N("Gather", ["x", "i"], ["y"], axis=1)], [("x", x), ("i", gi)],
     [("y", np.float32, [3, 2, 2, 5])], expect=lambda x, i: [np.take(x, i, axis=1)])
case("gather_constant_scalar", 13, [N("Gather", ["x", "i"], ["y"], axis=2)], [("x", x)],
     [("y", np.float32, [3, 4])], [("i", np.array(-2, np.int64))], expect=lambda x: [x[:, :, -2]])
ge = ints(-4, 4, 2, 4, 5, dtype=np.int64)
case("gather_elements_axis1_negative", 13, [N("GatherElements", ["x", "i"], ["y"], axis=1)],
     [("x", x), ("i", ge)], [("y", np.float32, [2, 4, 5])],
     expect=lambda x, i: [np.take_along_axis(x[:2], np.where(i < 0, i + 4, i), 1)])
x = rand(2, 3, 4)
gn = ints(-3, 3, 2, 2, 1, dtype=np.int64)
case("gathernd_batch1_slices", 13, [N("GatherND", ["x", "i"], ["y"], batch_dims=1)], [("x", x), ("i", gn)],
     [("y", np.float32, [2, 2, 4])], expect=lambda x, i: [np.stack([x[b][i[b, :, 0]] for b in range(2)])])
d = np.zeros((3, 3), np.float32)
si = np.array([[1, 0, 2], [0, 2, 1]], np.int64)
su = np.array([[1, 1.1, 1.2], [2, 2.1, 2.2]], np.float32)
case("scatter_v9", 9, [N("Scatter", ["d", "i", "u"], ["y"])], [("d", d), ("i", si), ("u", su)],
     [("y", np.float32, [3, 3])])
d = rand(3, 4)
case("scatter_elements_mul_axis1", 16, [N("ScatterElements", ["d", "i", "u"], ["y"], axis=1, reduction="mul")],
     [("d", d), ("i", np.array([[1, 1], [-1, 0], [2, 2]], np.int64)), ("u", rand(3, 2))],
     [("y", np.float32, [3, 4])])
case("scatternd_mul_slices", 16, [N("ScatterND", ["d", "i", "u"], ["y"], reduction="mul")],
     [("d", rand(4, 3)), ("i", np.array([[1], [1], [-1]], np.int64)), ("u", rand(3, 3))],
     [("y", np.float32, [4, 3])])
oi = np.array([[0.0, 2.0], [1.0, -1.0]], np.float32)
case("onehot_float_indices_axis0", 11, [N("OneHot", ["i", "d", "v"], ["y"], axis=0)],
     [("i", oi), ("v", np.array([0, 5], np.int64))], [("y", np.int64, [3, 2, 2])],
     [("d", np.array([3], np.int64))])

# ------------------------------------------------------------- reductions
x = rand(2, 3, 4, 5)
xp = np.abs(x) + 0.1
for op, fn in [("ReduceSum", lambda a: a.sum(axis=(0, 2))), ("ReduceMean", lambda a: a.mean(axis=(0, 2))),
               ("ReduceMax", lambda a: a.max(axis=(0, 2))), ("ReduceMin", lambda a: a.min(axis=(0, 2))),
               ("ReduceProd", lambda a: a.prod(axis=(0, 2))), ("ReduceL1", lambda a: np.abs(a).sum(axis=(0, 2))),
               ("ReduceL2", lambda a: np.sqrt((a * a).sum(axis=(0, 2)))),
               ("ReduceLogSum", lambda a: np.log(a.sum(axis=(0, 2)))),
               ("ReduceLogSumExp", lambda a: np.log(np.exp(a).sum(axis=(0, 2)))),
               ("ReduceSumSquare", lambda a: (a * a).sum(axis=(0, 2)))]:
    feed = xp if op == "ReduceLogSum" else x
    case(f"{op.lower()}_v11_axes_0_2", 11, [N(op, ["x"], ["y"], axes=[0, -2], keepdims=0)], [("x", feed)],
         [("y", np.float32, [3, 5])], expect=lambda a, fn=fn: [fn(a.astype(np.float64)).astype(np.float32)])
xi = ints(-9, 9, 3, 4, 2)
case("reducesum_int32_keepdims", 13, [N("ReduceSum", ["x", "a"], ["y"])], [("x", xi)], [("y", np.int32, [3, 1, 2])],
     [("a", np.array([1], np.int64))], expect=lambda a: [a.sum(axis=1, keepdims=True).astype(np.int32)])
case("reducemax_int32_all", 13, [N("ReduceMax", ["x"], ["y"], keepdims=0)], [("x", xi)], [("y", np.int32, [])],
     expect=lambda a: [np.array(a.max(), np.int32)])
case("reduceprod_int64", 13, [N("ReduceProd", ["x"], ["y"], axes=[2])], [("x", xi.astype(np.int64))],
     [("y", np.int64, [3, 4, 1])], expect=lambda a: [a.prod(axis=2, keepdims=True)])
case("reducemean_double", 13, [N("ReduceMean", ["x"], ["y"], axes=[0, 1])], [("x", rand(3, 4, 2, dtype=np.float64))],
     [("y", np.float64, [1, 1, 2])], expect=lambda a: [a.mean(axis=(0, 1), keepdims=True)])
case("reducesum_noop_empty_axes", 13, [N("ReduceSum", ["x", "a"], ["y"], noop_with_empty_axes=1)], [("x", x)],
     [("y", np.float32, [2, 3, 4, 5])], [("a", np.array([], np.int64))], expect=lambda a: [a])
xe = np.zeros((0, 3), np.float32)
case("reducesum_empty_set", 13, [N("ReduceSum", ["x", "a"], ["y"])], [("x", xe)], [("y", np.float32, [1, 3])],
     [("a", np.array([0], np.int64))], expect=lambda a: [np.zeros((1, 3), np.float32)])
case("reduceprod_empty_set", 13, [N("ReduceProd", ["x"], ["y"], axes=[0], keepdims=0)], [("x", xe)],
     [("y", np.float32, [3])], expect=lambda a: [np.ones(3, np.float32)])

# ------------------------------------------------------ along one axis etc.
xt = ints(-3, 3, 3, 4)
case("argmax_int32_ties_last", 13, [N("ArgMax", ["x"], ["y"], axis=0, keepdims=0, select_last_index=1)],
     [("x", xt)], [("y", np.int64, [4])], expect=lambda a: [(2 - a[::-1].argmax(axis=0)).astype(np.int64)])
case("argmin_int32_ties_first", 13, [N("ArgMin", ["x"], ["y"], axis=1)], [("x", xt)], [("y", np.int64, [3, 1])],
     expect=lambda a: [a.argmin(axis=1)[:, None].astype(np.int64)])
case("topk_v1_attr", 1, [N("TopK", ["x"], ["v", "i"], k=2)], [("x", rand(3, 4))],
     [("v", np.float32, [3, 2]), ("i", np.int64, [3, 2])])
case("topk_smallest_axis0_ties", 11, [N("TopK", ["x", "k"], ["v", "i"], axis=0, largest=0)], [("x", xt)],
     [("v", np.int32, [2, 4]), ("i", np.int64, [2, 4])], [("k", np.array([2], np.int64))])
case("cumsum_int32_reverse_exclusive", 14, [N("CumSum", ["x", "a"], ["y"], reverse=1, exclusive=1)], [("x", xt)],
     [("y", np.int32, [3, 4])], [("a", np.array(0, np.int32))],
     expect=lambda a: [(np.cumsum(a[::-1], axis=0)[::-1] - a).astype(np.int32)])
case("cumsum_double_axis1", 14, [N("CumSum", ["x", "a"], ["y"])], [("x", rand(2, 5, dtype=np.float64))],
     [("y", np.float64, [2, 5])], [("a", np.array([-1], np.int64))], expect=lambda a: [np.cumsum(a, axis=1)])
case("eyelike_k_neg_int32", 9, [N("EyeLike", ["x"], ["y"], k=-1, dtype=TP.INT32)], [("x", rand(3, 4))],
     [("y", np.int32, [3, 4])], expect=lambda a: [np.eye(3, 4, k=-1, dtype=np.int32)])
xl = ints(-9, 9, 2, 3, 5, dtype=np.int64)
case("triu_int64_k2_batch", 14, [N("Trilu", ["x", "k"], ["y"])], [("x", xl)], [("y", np.int64, [2, 3, 5])],
     [("k", np.array(2, np.int64))], expect=lambda a: [np.triu(a, 2)])
case("tril_int64_kneg", 14, [N("Trilu", ["x", "k"], ["y"], upper=0)], [("x", xl)], [("y", np.int64, [2, 3, 5])],
     [("k", np.array(-1, np.int64))], expect=lambda a: [np.tril(a, -1)])


# ------------------------------------------------ losses, Det, ReverseSequence
def nll(logp, t, w=None, reduction="mean", ii=None):
    """ONNX's NegativeLogLikelihoodLoss: logp [N, C, ...], t [N, ...]."""
    c = logp.shape[1]
    keep = np.ones(t.shape, bool) if ii is None else t != ii
    tc = np.clip(t, 0, c - 1)
    picked = np.take_along_axis(logp, tc[:, None], axis=1)[:, 0]
    wt = (np.ones(c, logp.dtype) if w is None else w)[tc] * keep
    loss = -picked * wt
    if reduction == "none":
        return loss.astype(logp.dtype)
    if reduction == "sum":
        return np.array(loss.sum(), logp.dtype)
    return np.array(loss.sum() / wt.sum(), logp.dtype)


def log_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


xd = rand(2, 4, 3, 2, dtype=np.float64)
td = ints(0, 4, 2, 3, 2, dtype=np.int32)
td[0, 1, 0] = -2
wd = np.abs(rand(4, dtype=np.float64)) + 0.1
case("nllloss_double_int32_labels_weight_ii_mean", 13,
     [N("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["y"], reduction="mean", ignore_index=-2)],
     [("x", xd), ("t", td), ("w", wd)], [("y", np.float64, [])],
     expect=lambda x, t, w: [nll(x, t, w, "mean", -2)])
case("sce_double_int32_labels_none_log_prob", 13,
     [N("SoftmaxCrossEntropyLoss", ["x", "t"], ["y", "lp"], reduction="none")],
     [("x", xd), ("t", np.clip(td, 0, 3))], [("y", np.float64, [2, 3, 2]), ("lp", np.float64, [2, 4, 3, 2])],
     expect=lambda x, t: [nll(log_softmax(x), t, None, "none"), log_softmax(x)])
tl = ints(0, 5, 4, 3, dtype=np.int64)
tl[1, 2] = 7
case("sce_sum_weight_ignore_out_of_range", 13,
     [N("SoftmaxCrossEntropyLoss", ["x", "t", "w"], ["y"], reduction="sum", ignore_index=7)],
     [("x", rand(4, 5, 3)), ("t", tl), ("w", np.abs(rand(5)) + 0.1)], [("y", np.float32, [])],
     expect=lambda x, t, w: [nll(log_softmax(x), t, w, "sum", 7)])
xh = rand(3, 4, 5, dtype=np.float16)
th = ints(0, 4, 3, 5, dtype=np.int64)
th[2, 1] = 1
case("sce_float16_mean_ignore_log_prob", 13,
     [N("SoftmaxCrossEntropyLoss", ["x", "t"], ["y", "lp"], ignore_index=1)],
     [("x", xh), ("t", th)], [("y", np.float16, []), ("lp", np.float16, [3, 4, 5])])
case("nllloss_float16_sum_weight", 13, [N("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["y"], reduction="sum")],
     [("x", xh), ("t", th), ("w", (np.abs(rand(4)) + 0.1).astype(np.float16))], [("y", np.float16, [])])
case("det_float16_batch", 13, [N("Det", ["x"], ["y"])], [("x", rand(4, 3, 3, dtype=np.float16))],
     [("y", np.float16, [4])])
xm = rand(2, 3, 5, 5)
xm[1, 2, 4] = xm[1, 2, 0]  # a singular matrix
case("det_batch_5x5_singular", 13, [N("Det", ["x"], ["y"])], [("x", xm)], [("y", np.float32, [2, 3])],
     expect=lambda x: [np.linalg.det(x).astype(np.float32)])
xr = ints(-50, 50, 3, 5, 2, 2)
case("reversesequence_int32_batch0_inner4", 10,
     [N("ReverseSequence", ["x", "l"], ["y"], batch_axis=0, time_axis=1)],
     [("x", xr), ("l", np.array([5, 0, 3], np.int64))], [("y", np.int32, [3, 5, 2, 2])],
     expect=lambda x, l: [np.stack([np.concatenate([x[b, :l[b]][::-1], x[b, l[b]:]]) for b in range(3)])])


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = os.path.join(sys.argv[1], "tensor_variants")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for name, model, feeds, expect in CASES:
        d = os.path.join(out, "test_" + name)
        os.makedirs(d)
        path = os.path.join(d, "model.onnx")
        onnx.save(model, path)
        outs = ort_data.write_reference(path, os.path.join(d, "data"), [feeds])[0]
        if expect is not None:
            for k, (w, o) in enumerate(zip(expect(*feeds), outs)):
                w = np.asarray(w)
                if w.shape != o.shape or not np.allclose(w, o, rtol=1e-5, atol=1e-6):
                    raise SystemExit(f"{name}: ONNX Runtime and the numpy formula differ (output {k})")
        os.rename(os.path.join(d, "data", "test_data_set_0"), os.path.join(d, "test_data_set_0"))
        os.rmdir(os.path.join(d, "data"))
    print(f"make_tensor_variants: {len(CASES)} cases in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
