#!/usr/bin/python3
"""run_bench.py: the benchmark table of the models in tests/ and samples/ on every target.

    bench/run_bench.py [--tmlc build/tmlc] [--out docs/benchmarks.md] [--targets a,b] [--models a,b]

For each model and each Cortex-M target it runs `tmlc validate --json` (compile,
build with the test harness, run in QEMU, compare with the reference outputs)
and writes one Markdown table: instructions per inference (QEMU -icount shift=0
with SysTick, to 4 instructions), flash and RAM of the model (its object file:
code + weights, arena + static data), flash and RAM of the whole test image
(harness, newlib, heap and stack included), the arena, and the stack one
inference used (painted stack). A model that does not fit a target's memory
budget is listed as such, with compile's reason. This is a benchmark, not a test:
numbers change with the compiler; check the new table in when they do.

The models (MODELS below): the three MLPerf-Tiny-style samples (samples/kws
DS-CNN, samples/resnet8 ResNet-8, samples/mobilenet MobileNetV1-0.25), each in
float32 and int8 (post-training quantized, calibrated on its data sets, with
int8 input and output as MLPerf Tiny's TFLM models have); the
models of tests/: the digits CNN of tests/quant (float, with references from
ONNX Runtime on the first test images, and its QDQ int8 form) and the PyTorch
models of tests/e2e/models.py (mlp, cnn, lstm, gru: exported with their seeded
weights, three seeded random inputs, references from ONNX Runtime). After the
table, the int8 samples on cortex-m4 beside TensorFlow Lite Micro with CMSIS-NN
(TFLM below: numbers measured with the same QEMU method on MLPerf Tiny's
official int8 models, quoted from issue 5).

A full run (14 models x 6 targets) takes about 2 minutes on 2 cores with a warm ccache (2.1 measured),
longer on a cold one;
--models and --targets select a subset (the table then holds only that subset).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools", "ort"))

TARGETS = ["cortex-m0", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]


def digits_data(work):
    """The digits CNN's first three test images, with ONNX Runtime's outputs."""
    import ort_data  # tools/ort/ort_data.py

    d = os.path.join(work, "digits-data")
    x = np.load(os.path.join(ROOT, "tests", "quant", "digits", "test_x.npy"))[:3]
    ort_data.write_reference(os.path.join(ROOT, "tests", "quant", "digits", "digits.onnx"), d,
                             [[x[i:i + 1]] for i in range(len(x))])
    return d


def e2e_model(name):
    """A model of tests/e2e/models.py: (model path, data dir) made in the work dir."""
    def make(work):
        import warnings
        import torch
        import ort_data  # tools/ort/ort_data.py
        sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
        import models  # tests/e2e/models.py
        build, shapes = models.MODELS[name]
        torch.set_num_threads(1)
        path = os.path.join(work, f"e2e-{name}.onnx")
        warnings.filterwarnings("ignore")  # the exporter's notes on RNN batch sizes
        names = [f"input_{k}" for k in range(len(shapes))]
        torch.onnx.export(build(), tuple(torch.zeros(*s) for s in shapes), path, opset_version=13,
                          input_names=names, output_names=["output"])
        rng = np.random.default_rng(7)
        sets = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(3)]
        d = os.path.join(work, f"e2e-{name}-data")
        ort_data.write_reference(path, d, sets, input_names=names)
        return path, d
    return make


def sample(name, what):
    """The float32 and int8 rows of a model in samples/NAME (NAME.onnx, data/)."""
    model, data = f"samples/{name}/{name}.onnx", f"samples/{name}/data"
    return [(f"{name}-f32", model, data, [], what + ", float32"),
            (f"{name}-int8", model, data,
             ["--quantize", "int8", "--calibration", data, "--quantize-io", "int8", "--atol", "0.05"],
             "the same, int8 post-training quantization (calibrated on its data sets), int8 input and output "
             "(`--quantize-io int8`, as TFLM's models)")]


# name, model (a path, or a function of the work dir giving the model and its data),
# data (a path, or a function of the work dir), extra options, what it is (a path, or a function of the work dir), extra options, what it is
MODELS = sample("kws", "DS-CNN keyword spotter, 1x1x49x10 MFCC in, 12 scores out, 2.66 M MACs") + \
    sample("resnet8", "ResNet-8 image classifier, 1x3x32x32 in, 10 classes, 12.5 M MACs") + \
    sample("mobilenet", "MobileNetV1-0.25 visual wake words, 1x3x96x96 in, 2 classes, 7.49 M MACs") + [
    ("digits-f32", "tests/quant/digits/digits.onnx", digits_data, [],
     "digits CNN (tests/quant), 1x1x8x8 in, 10 scores out, float32"),
    ("digits-qdq", "tests/quant/digits/digits_qdq.onnx", "tests/quant/digits/qdq_data", ["--atol", "0.3"],
     "the same as a QDQ int8 model (compared with ONNX Runtime within 1 output LSB)"),
    ("e2e-mlp", e2e_model("mlp"), None, [], "tests/e2e/models.py TinyMLP: Gemm, ReLU, Tanh, Softmax, 1x20 in, float32"),
    ("e2e-cnn", e2e_model("cnn"), None, [],
     "tests/e2e/models.py SmallCNN: Conv, BN, MaxPool, Concat, Sigmoid gating, 1x3x16x16 in, float32"),
    ("e2e-lstm", e2e_model("lstm"), None, [],
     "tests/e2e/models.py SpeechLSTM: 2-layer bidirectional LSTM, 49x10 in, float32"),
    ("e2e-gru", e2e_model("gru"), None, [], "tests/e2e/models.py SpeechGRU: GRU, 49x10 in, float32"),
]

# TensorFlow Lite Micro with CMSIS-NN on cortex-m4, MLPerf Tiny's official int8
# models, measured with the same QEMU method (issue 5): instructions, arena bytes.
TFLM = {"kws-int8": (7_700_000, 22_820), "resnet8-int8": (29_860_000, 54_996),
        "mobilenet-int8": (24_100_000, 100_708)}


def run(tmlc, model, data, target, extra, work):
    cmd = [tmlc, "validate", os.path.join(ROOT, model), "--data", data, "--target", target, "--json",
           "--work", work] + [os.path.join(ROOT, a) if a.startswith("samples/") else a for a in extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    try:
        return json.loads(p.stdout)
    except json.JSONDecodeError:
        return {"pass": False, "error": (p.stderr or p.stdout).strip().splitlines()[0] if (p.stderr or p.stdout) else "?"}


def kb(n):
    return "—" if n is None else f"{n / 1024:.1f} K"


def io_bytes(path):
    """Bytes of the model's inputs and outputs as int8 (TFLM's arena holds them)."""
    import onnx
    g = onnx.load(os.path.join(ROOT, path)).graph
    inits = {i.name for i in g.initializer}
    n = 0
    for v in list(g.input) + list(g.output):
        if v.name not in inits:
            n += int(np.prod([d.dim_value for d in v.type.tensor_type.shape.dim]))
    return n


def tflm_comparison(rows):
    """The int8 samples on cortex-m4 beside TFLM with CMSIS-NN (issue 5)."""
    found = {n: r for n, t, s, r in rows if t == "cortex-m4" and s == "pass" and n in TFLM}
    if not found:
        return []
    lines = [
        "",
        "## int8 on cortex-m4 beside TensorFlow Lite Micro",
        "",
        "TFLM: TensorFlow Lite Micro with CMSIS-NN kernels on MLPerf Tiny's official int8 models,",
        "measured with the same QEMU method (numbers from issue 5). tmlc: the samples above",
        "(same architectures and MACs, seeded random weights, int8 post-training quantization).",
        "TFLM's arena also holds the model's int8 input and output tensors and its persistent",
        "buffers; tmlc's arena holds activations only (input and output are the caller's buffers),",
        "so **arena + I/O** adds the int8 input and output bytes for a like-for-like figure.",
        "",
        "The last columns give tmlc's int8 accuracy against the float model run on the host over",
        "the sample's data sets (`tmlc validate`'s accuracy report, see",
        "[quantization.md](quantization.md#accuracy-report)): SNR of the output and top-1 agreement.",
        "",
        "| model | TFLM instructions | tmlc instructions | tmlc / TFLM | TFLM arena | tmlc arena | tmlc arena + I/O | tmlc model flash | SNR vs float | top-1 vs float |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (ti, ta) in TFLM.items():
        r = found.get(name)
        if r is None:
            continue
        model = next(m for n, m, *_ in MODELS if n == name)
        io = io_bytes(model)
        acc = next((x for x in r.get("accuracy", []) if x["versus"] == "float model"), None)
        snr = "—" if acc is None or acc["snr_db"] is None else f"{acc['snr_db']:.1f} dB"
        top1 = "—" if acc is None or acc["top1_rows"] is None else f"{acc['top1_agree']}/{acc['top1_rows']}"
        lines.append(f"| {name} | {ti / 1e6:.2f} M | {r['instructions'] / 1e6:.2f} M | "
                     f"{r['instructions'] / ti:.2f} | {ta:,} | {r['arena_bytes']:,} | "
                     f"{r['arena_bytes'] + io:,} | {kb(r.get('model_flash_bytes'))} | {snr} | {top1} |")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmlc", default=os.path.join(ROOT, "build", "tmlc"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    ap.add_argument("--work", default="/tmp/tmlc-bench")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--models", default=",".join(m[0] for m in MODELS))
    a = ap.parse_args()
    targets = a.targets.split(",")
    wanted = a.models.split(",")
    os.makedirs(a.work, exist_ok=True)
    version = subprocess.run([a.tmlc, "--version"], capture_output=True, text=True).stdout.strip()

    start = time.time()
    rows = []
    for name, model, data, extra, what in MODELS:
        if name not in wanted:
            continue
        if callable(model):
            model, d = model(a.work)
        else:
            d = data(a.work) if callable(data) else os.path.join(ROOT, data)
        for t in targets:
            r = run(a.tmlc, model, d, t, extra, os.path.join(a.work, f"{name}-{t}"))
            status = "pass" if r.get("pass") else ("does not fit" if "does not fit" in r.get("error", "") else "FAIL")
            print(f"{name:11} {t:11} {status:13} instructions={r.get('instructions')} "
                  f"flash={r.get('model_flash_bytes')} ram={r.get('model_ram_bytes')}", flush=True)
            rows.append((name, t, status, r))

    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run_bench.py` (" + version + "); do not edit by hand. Every number comes from",
        "`tmlc validate --json` on the target in QEMU, after checking the outputs against the",
        "reference data, so a number is only shown for a model that computed the right answer.",
        "",
        "- **instructions**: per inference, counted in QEMU with `-icount shift=0` and SysTick, to",
        "  within 4 instructions (see [targets.md](targets.md#instruction-counts)); the largest over",
        "  the model's data sets.",
        "- **model flash / RAM**: the model's object file: code and weights / arena and other static",
        "  data (`arm-none-eabi-size`). **image flash / RAM**: the whole test program with the",
        "  harness, newlib (stdio over semihosting) and the target's reserved heap and stack.",
        "- **arena**: the activation buffer of the memory plan. **stack**: bytes of stack one",
        "  inference used (painted stack).",
        "",
        "| model | what it is |",
        "|---|---|",
    ]
    for name, model, data, extra, what in MODELS:
        if name in wanted:
            lines.append(f"| {name} | {what} (`{model}`) |" if isinstance(model, str) else f"| {name} | {what} |")
    lines += [
        "",
        "| model | target | instructions | model flash | model RAM | image flash | image RAM | arena | stack |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t, status, r in rows:
        if status != "pass":
            why = "does not fit" if status == "does not fit" else "FAILED: " + r.get("error", "")[:80]
            lines.append(f"| {name} | {t} | {why} | | | | | | |")
            continue
        lines.append(f"| {name} | {t} | {r['instructions']:,} | {kb(r.get('model_flash_bytes'))} | "
                     f"{kb(r.get('model_ram_bytes'))} | {kb(r.get('flash_bytes'))} | {kb(r.get('ram_bytes'))} | "
                     f"{r.get('arena_bytes'):,} | {r.get('stack_bytes'):,} |")
    nofit = [(n, t, r) for n, t, s, r in rows if s == "does not fit"]
    if nofit:
        lines += ["", "Why a model does not fit (`tmlc compile --target T`):", ""]
        for n, t, r in nofit:
            msg = r.get("error", "").replace(ROOT + "/", "").replace(a.work + "/", "")
            short = msg[:msg.find(". Largest")] if ". Largest" in msg else msg
            lines.append(f"- {n} on {t}: {short}")
    lines += tflm_comparison(rows)
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {a.out} ({(time.time() - start) / 60:.1f} minutes)")
    return 0 if all(s != "FAIL" for _, _, s, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
