"""ort_data.py: writes test data in the ONNX backend layout, with the reference
outputs computed by ONNX Runtime (run_ort.js beside this file).

    DIR/test_data_set_N/input_K.pb    written from numpy arrays
    DIR/test_data_set_N/output_K.pb   written by ONNX Runtime

Used by samples/kws/make_dscnn.py and the end-to-end tests (tests/e2e/).
Needs node and tools/ort/node_modules (scripts/setup.sh installs both).
"""
import os
import shutil
import subprocess

import numpy as np
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_ORT = os.path.join(HERE, "run_ort.js")


def write_inputs(data_dir, input_sets, input_names=None):
    """input_sets: one list of numpy arrays per data set. Replaces data_dir."""
    if os.path.isdir(data_dir):
        shutil.rmtree(data_dir)
    for n, arrays in enumerate(input_sets):
        d = os.path.join(data_dir, f"test_data_set_{n}")
        os.makedirs(d)
        for k, a in enumerate(arrays):
            name = input_names[k] if input_names else ""
            t = numpy_helper.from_array(np.ascontiguousarray(a), name)
            with open(os.path.join(d, f"input_{k}.pb"), "wb") as f:
                f.write(t.SerializeToString())


def read_outputs(set_dir):
    """The output_K.pb files of one data set, as numpy arrays in K order."""
    outs = []
    k = 0
    while os.path.exists(os.path.join(set_dir, f"output_{k}.pb")):
        from onnx import TensorProto
        t = TensorProto()
        with open(os.path.join(set_dir, f"output_{k}.pb"), "rb") as f:
            t.ParseFromString(f.read())
        outs.append(numpy_helper.to_array(t))
        k += 1
    return outs


def run_ort(model_path, data_dir):
    """Runs ONNX Runtime on every data set of data_dir, writing output_K.pb."""
    subprocess.run(["node", RUN_ORT, model_path, "--data", data_dir], check=True,
                   stdout=subprocess.DEVNULL)


def write_reference(model_path, data_dir, input_sets, input_names=None):
    """Writes inputs, runs ONNX Runtime; returns its outputs per data set."""
    write_inputs(data_dir, input_sets, input_names)
    run_ort(model_path, data_dir)
    return [read_outputs(os.path.join(data_dir, f"test_data_set_{n}")) for n in range(len(input_sets))]


def compare_with_committed(new_dir, committed_dir, onnx_name, sets):
    """Problems (a list of strings, empty when none) between a fresh
    regeneration in new_dir and the committed model and data in committed_dir:
    the same graph and weights, the same inputs byte for byte, outputs within
    float rounding of ONNX Runtime's. Used by the samples' --check."""
    import onnx
    a = onnx.load(os.path.join(new_dir, onnx_name))
    b = onnx.load(os.path.join(committed_dir, onnx_name))
    problems = []
    if [n.op_type for n in a.graph.node] != [n.op_type for n in b.graph.node]:
        problems.append("the graphs differ")
    wa = {i.name: numpy_helper.to_array(i) for i in a.graph.initializer}
    wb = {i.name: numpy_helper.to_array(i) for i in b.graph.initializer}
    if wa.keys() != wb.keys() or any(not np.array_equal(wa[k], wb[k]) for k in wa):
        problems.append("the weights differ")
    for n in range(sets):
        da = os.path.join(new_dir, "data", f"test_data_set_{n}")
        db = os.path.join(committed_dir, "data", f"test_data_set_{n}")
        if not os.path.isdir(db):
            problems.append(f"data set {n} is missing")
            continue
        with open(os.path.join(da, "input_0.pb"), "rb") as fa, open(os.path.join(db, "input_0.pb"), "rb") as fb:
            if fa.read() != fb.read():
                problems.append(f"data set {n}: input differs")
        oa, ob = read_outputs(da), read_outputs(db)
        if len(oa) != len(ob) or any(x.shape != y.shape or not np.allclose(x, y, rtol=1e-5, atol=1e-6)
                                     for x, y in zip(oa, ob)):
            problems.append(f"data set {n}: output differs")
    return problems
