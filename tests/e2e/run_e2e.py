#!/usr/bin/python3
"""run_e2e.py: end-to-end checks of tmlc against ONNX Runtime and PyTorch.

    run_e2e.py --tmlc TMLC --work DIR onnx MODEL.onnx [--sets N] [--validate T,...]
        Fresh random inputs (seed printed; TMLC_E2E_SEED=S repeats a run),
        reference outputs from ONNX Runtime (tools/ort/run_ort.js), then
        `tmlc compile --report`, the generated code built for the host with
        every host compiler present (g++, clang++-14) under -Wall -Wextra
        -Werror together with targets/common/harness.cpp, run, and compared.
        Also checks that compiling twice gives byte-identical files, that the
        report's MACs of Conv/Gemm/MatMul match a count from the ONNX shapes,
        and, with --validate, runs `tmlc validate` on the same data for each
        target (host, cortex-m4: QEMU).

    run_e2e.py --tmlc TMLC --work DIR pytorch NAME [--sets N] [--validate T,...]
        The same for a model of tests/e2e/models.py, exported by
        torch.onnx.export; its outputs are compared with both PyTorch's own
        and ONNX Runtime's (and PyTorch with ONNX Runtime).

    run_e2e.py --tmlc TMLC --work DIR validate MODEL.onnx --data DIR --target T
        `tmlc validate --json` on committed reference data: checks that it
        passes and that the JSON has the keys the CLI promises.

A float output passes when |tmlc - ref| <= ATOL + RTOL * |ref| everywhere.
Exit status 0 only when every check passed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "ort"))
import ort_data  # noqa: E402

ATOL = 1e-4
RTOL = 1e-3


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    except (OSError, subprocess.TimeoutExpired) as e:
        log(f"FAIL: {' '.join(cmd)}: {e}")
        sys.exit(1)
    if r.returncode != 0:
        log(f"FAIL: {' '.join(cmd)} exited with {r.returncode}:\n{r.stdout}")
        sys.exit(1)
    return r.stdout


def fresh_seed():
    s = os.environ.get("TMLC_E2E_SEED")
    seed = int(s) if s else int.from_bytes(os.urandom(4), "little")
    log(f"seed {seed} (TMLC_E2E_SEED={seed} repeats this run)")
    return seed


def model_inputs(model_path):
    """(name, shape, numpy dtype) of each graph input that is not an initializer."""
    import onnx
    from onnx import mapping
    m = onnx.load(model_path)
    inits = {i.name for i in m.graph.initializer}
    r = []
    for i in m.graph.input:
        if i.name in inits:
            continue
        t = i.type.tensor_type
        shape = tuple(d.dim_value if d.dim_value > 0 else 1 for d in t.shape.dim)
        r.append((i.name, shape, mapping.TENSOR_TYPE_TO_NP_TYPE[t.elem_type]))
    return r


def compile_model(tmlc, model, out_dir, name):
    report = os.path.join(out_dir, "report.json")
    t0 = time.monotonic()
    run([tmlc, "compile", model, "-o", out_dir, "--name", name, "--report", report])
    seconds = time.monotonic() - t0
    with open(report) as f:
        rep = json.load(f)
    log(f"tmlc compile: {seconds:.2f} s, arena {rep['arena_bytes']} bytes, "
        f"weights {rep['weight_bytes']} bytes, {rep['macs']} MACs, {len(rep['nodes'])} nodes")
    return rep


def expected_macs(model_path):
    """Multiply-accumulates of each Conv, Gemm and MatMul node, counted from the
    ONNX graph's own shapes (onnx shape inference), independently of tmlc."""
    import onnx
    from onnx import numpy_helper, shape_inference
    m = shape_inference.infer_shapes(onnx.load(model_path))
    shapes = {}
    for vi in list(m.graph.value_info) + list(m.graph.input) + list(m.graph.output):
        shapes[vi.name] = [d.dim_value for d in vi.type.tensor_type.shape.dim]
    for i in m.graph.initializer:
        shapes[i.name] = list(numpy_helper.to_array(i).shape)
    r = {}
    for n in m.graph.node:
        out = shapes.get(n.output[0])
        if n.op_type in ("Conv", "Gemm", "MatMul") and (not out or 0 in out):
            # PyTorch computes F.pad's pads in the graph: onnx's shape inference
            # leaves what follows unknown.
            log(f"report: MACs of {n.name} not checked: its output shape is unknown to onnx shape inference")
            continue
        if n.op_type == "Conv":
            w = shapes[n.input[1]]  # [M, C/group, k...]
            r[n.name] = int(np.prod(out)) * int(np.prod(w[1:]))
        elif n.op_type == "Gemm":
            a = shapes[n.input[0]]
            trans_a = any(at.name == "transA" and at.i for at in n.attribute)
            r[n.name] = int(np.prod(out)) * (a[0] if trans_a else a[1])
        elif n.op_type == "MatMul":
            r[n.name] = int(np.prod(out)) * shapes[n.input[0]][-1]
    return r


def check_macs(model_path, rep):
    """The report's MACs of Conv/Gemm/MatMul nodes equal the independent count."""
    want = expected_macs(model_path)
    got = {n["name"]: n["macs"] for n in rep["nodes"] if n["name"] in want}
    bad = [f"{k}: report {got.get(k)}, expected {v}" for k, v in want.items() if got.get(k) != v]
    for b in bad:
        log(f"FAIL: MACs of {b}")
    if not bad:
        log(f"report: MACs of {len(want)} Conv/Gemm/MatMul nodes match the count from the ONNX shapes "
            f"({sum(want.values())})")
    return not bad


def check_deterministic(tmlc, model, work, name):
    """The same model compiled twice gives the same bytes."""
    again = os.path.join(work, "again")
    run([tmlc, "compile", model, "-o", again, "--name", name])
    for ext in (".h", ".cpp"):
        with open(os.path.join(work, "gen", name + ext), "rb") as a, open(os.path.join(again, name + ext), "rb") as b:
            if a.read() != b.read():
                log(f"FAIL: {name}{ext} differs between two compilations of the same model")
                return False
    log("deterministic: two compilations are byte-identical")
    return True


def host_compilers():
    cands = [os.environ.get("TMLC_HOST_CXX", "g++"), "clang++-14", "clang++"]
    found, seen = [], set()
    for c in cands:
        p = shutil.which(c)
        if p and os.path.realpath(p) not in seen:
            seen.add(os.path.realpath(p))
            found.append(c)
        if c.startswith("clang") and any(f.startswith("clang") for f in found):
            break
    return found


def build_and_run(work, name, sets, cxx):
    """Builds gen/NAME.cpp with the common harness and runs every data set."""
    bdir = os.path.join(work, "build-" + os.path.basename(cxx))
    os.makedirs(bdir, exist_ok=True)
    with open(os.path.join(bdir, "harness_models.inc"), "w") as f:
        f.write(f"TMLC_HARNESS_MODEL({name})\n")
    io_bytes = 16 + sum(a.nbytes + 16 for a in sets[0][0]) + sum(a.nbytes + 16 for a in sets[0][1])
    exe = os.path.join(bdir, "harness")
    run([cxx, "-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", f"-DTMLC_HARNESS_IO_BYTES={io_bytes}",
         "-I", bdir, "-I", os.path.join(work, "gen"), "-I", os.path.join(ROOT, "runtime", "include"),
         os.path.join(ROOT, "targets", "common", "harness.cpp"), os.path.join(work, "gen", name + ".cpp"),
         "-o", exe, "-lm"])
    manifest = os.path.join(bdir, "manifest.txt")
    lines = []
    for n, (ins, _) in enumerate(sets):
        case = os.path.join(bdir, f"case_{n}")
        os.makedirs(case, exist_ok=True)
        for k, a in enumerate(ins):
            np.ascontiguousarray(a).tofile(os.path.join(case, f"in_{k}.bin"))
        lines.append(f"{name} {case}\n")
    with open(manifest, "w") as f:
        f.writelines(lines)
    run([exe, manifest], timeout=300)
    results = []
    for n, (_, refs) in enumerate(sets):
        case = os.path.join(bdir, f"case_{n}")
        outs = []
        for k, ref in enumerate(refs):
            got = np.fromfile(os.path.join(case, f"out_{k}.bin"), dtype=ref.dtype)
            if got.size != ref.size:
                log(f"FAIL: {cxx}: output {k} has {got.size} elements, reference {ref.size}")
                sys.exit(1)
            outs.append(got.reshape(ref.shape))
        results.append(outs)
    return results


def compare(label, got_sets, ref_sets):
    """Prints the largest errors; returns (pass, max abs error)."""
    ok, worst = True, 0.0
    for n, (got, ref) in enumerate(zip(got_sets, ref_sets)):
        for k, (g, r) in enumerate(zip(got, ref)):
            if np.issubdtype(r.dtype, np.floating):
                g64, r64 = g.astype(np.float64), r.astype(np.float64)
                err = np.abs(g64 - r64)
                bad = int(np.sum(~(err <= ATOL + RTOL * np.abs(r64))))  # NaN counts as bad
            else:
                err = np.abs(g.astype(np.int64) - r.astype(np.int64)).astype(np.float64)
                bad = int(np.sum(err != 0))
            worst = max(worst, float(np.max(err)) if err.size else 0.0)
            if bad:
                ok = False
                log(f"FAIL: {label}: data set {n} output {k}: {bad} of {r.size} elements out of tolerance, "
                    f"max abs error {float(np.max(err)):.3g}")
    log(f"{label}: {'pass' if ok else 'FAIL'}, max abs error {worst:.3g} over {len(ref_sets)} data set(s)")
    return ok, worst


def check_host(tmlc, model, work, name, input_sets, extra_refs=None, validate_targets=()):
    """ORT reference for input_sets, then tmlc's host build against it, then
    `tmlc validate` on the same data for each of validate_targets."""
    data = os.path.join(work, "data")
    ort_outs = ort_data.write_reference(model, data, input_sets, [i[0] for i in model_inputs(model)])
    ok = True
    if extra_refs is not None:  # PyTorch's own outputs
        ok &= compare("PyTorch vs ONNX Runtime", extra_refs, ort_outs)[0]
    rep = compile_model(tmlc, model, os.path.join(work, "gen"), name)
    ok &= check_macs(model, rep)
    ok &= check_deterministic(tmlc, model, work, name)
    sets = list(zip(input_sets, ort_outs))
    compilers = host_compilers()
    if not compilers:
        log("FAIL: no host C++ compiler found")
        return False
    for cxx in compilers:
        got = build_and_run(work, name, sets, cxx)
        ok &= compare(f"tmlc host ({cxx}) vs ONNX Runtime", got, ort_outs)[0]
        if extra_refs is not None:
            ok &= compare(f"tmlc host ({cxx}) vs PyTorch", got, extra_refs)[0]
    for t in validate_targets:
        ok &= validate(tmlc, model, data, t)
    return ok


def cmd_onnx(a):
    seed = fresh_seed()
    rng = np.random.default_rng(seed)
    ins = model_inputs(a.model)
    input_sets = [[rng.standard_normal(shape).astype(dt) for _, shape, dt in ins] for _ in range(a.sets)]
    name = os.path.splitext(os.path.basename(a.model))[0].replace("-", "_")
    return check_host(a.tmlc, a.model, a.work, name, input_sets, validate_targets=a.validate)


def cmd_pytorch(a):
    import torch
    sys.path.insert(0, HERE)
    import models
    build, shapes = models.MODELS[a.name]
    model = build()
    seed = fresh_seed()
    gen = torch.Generator().manual_seed(seed)
    onnx_path = os.path.join(a.work, a.name + ".onnx")
    args = tuple(torch.zeros(s) for s in shapes)
    torch.onnx.export(model, args if len(args) > 1 else args[0], onnx_path, opset_version=13,
                      input_names=[f"x{k}" for k in range(len(shapes))], output_names=["y"],
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    input_sets, torch_outs = [], []
    with torch.no_grad():
        for _ in range(a.sets):
            xs = [torch.randn(s, generator=gen) for s in shapes]
            y = model(*xs)
            ys = y if isinstance(y, (tuple, list)) else [y]
            input_sets.append([x.numpy() for x in xs])
            torch_outs.append([t.numpy() for t in ys])
    return check_host(a.tmlc, onnx_path, a.work, a.name, input_sets, extra_refs=torch_outs,
                      validate_targets=a.validate)


def validate(tmlc, model, data, target):
    """`tmlc validate --json`: passes, and the JSON has the promised keys."""
    cmd = [tmlc, "validate", model, "--data", data, "--target", target, "--json"]
    log("$ " + " ".join(cmd))
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as e:
        log(f"FAIL: {e}")
        return False
    sys.stderr.write(r.stderr)
    try:
        j = json.loads(r.stdout)
    except ValueError:
        log(f"FAIL: tmlc validate --json did not print one JSON object (exit {r.returncode}):\n{r.stdout}")
        return False
    ok = True
    for key in ("pass", "max_abs_error", "arena_bytes", "flash_bytes", "ram_bytes", "instructions"):
        if key not in j:
            log(f"FAIL: the JSON has no key '{key}'")
            ok = False
    if r.returncode != 0 or j.get("pass") is not True:
        log(f"FAIL: tmlc validate exited with {r.returncode}, pass={j.get('pass')}:\n{r.stdout}")
        ok = False
    if ok and target != "host" and not j.get("instructions"):
        log("FAIL: no instruction count from the target")
        ok = False
    if ok:
        log(f"tmlc validate --target {target}: pass, max abs error {j['max_abs_error']:.3g}, "
            f"instructions {j['instructions']}, arena {j['arena_bytes']} B, flash {j['flash_bytes']} B, "
            f"ram {j['ram_bytes']} B")
    return ok


def cmd_validate(a):
    return validate(a.tmlc, a.model, a.data, a.target)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tmlc", required=True)
    ap.add_argument("--work", required=True, help="scratch directory (emptied first)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    split = lambda v: [t for t in v.split(",") if t]  # noqa: E731
    p = sub.add_parser("onnx")
    p.add_argument("model")
    p.add_argument("--sets", type=int, default=3)
    p.add_argument("--validate", type=split, default=[], help="also `tmlc validate` for these targets (a,b)")
    p = sub.add_parser("pytorch")
    p.add_argument("name")
    p.add_argument("--sets", type=int, default=3)
    p.add_argument("--validate", type=split, default=[], help="also `tmlc validate` for these targets (a,b)")
    p = sub.add_parser("validate")
    p.add_argument("model")
    p.add_argument("--data", required=True)
    p.add_argument("--target", default="host")
    a = ap.parse_args()
    if os.path.isdir(a.work):
        shutil.rmtree(a.work)
    os.makedirs(a.work)
    ok = {"onnx": cmd_onnx, "pytorch": cmd_pytorch, "validate": cmd_validate}[a.cmd](a)
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
