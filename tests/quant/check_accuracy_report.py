#!/usr/bin/python3
"""check_accuracy_report.py: `tmlc validate`'s accuracy report of a quantized
model, recomputed independently in numpy (issue 5).

    check_accuracy_report.py --tmlc TMLC --work DIR digits|kws|qdq

Runs `tmlc validate --json --work DIR/validate` on a quantized model, then
reads the outputs the model computed (DIR/validate/cases/N/out_K.bin), the
float model's host run (DIR/validate/float/cases/N/out_K.bin) and the data
sets' reference outputs (output_K.pb, from ONNX Runtime), and recomputes each
number of the report: max error in output LSBs (the scale read from the IR that
`tmlc compile --print-ir-after quantize` prints), cosine similarity, SNR in dB
and top-1 agreement. Every reported number must match within float rounding.
Also checks that the float model's host run agrees with ONNX Runtime, and that
the text report prints the same numbers.

  digits  the digits CNN (tests/quant/digits/digits.onnx) quantized with
          --quantize int8 --calibration digits/calib, on its first 120 test
          images with ONNX Runtime's float outputs as reference data; also
          prints float and int8 accuracy against the true labels
  kws     the DS-CNN of samples/kws quantized on its own 3 data sets
  kws-io8 the same with --quantize-io int8: validate quantizes the float inputs
          and dequantizes the int8 outputs (here with the output's scale and
          zero point from the IR) to compare them with float references
  qdq     the QDQ digits model (a pre-quantized model): only the comparison
          with the reference data (ONNX Runtime on the QDQ model), no float model
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "ort"))
import ort_data  # noqa: E402

DIGITS = os.path.join(HERE, "digits")
failures = []


def check(cond, msg):
    print(("ok    " if cond else "FAIL  ") + msg)
    if not cond:
        failures.append(msg)


def close(a, b, rel=1e-5, abs_=1e-6):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= abs_ + rel * abs(b)


def output_scales(tmlc, model, quant_args, work):
    """(scale, zero point, dtype) of each graph output's integer value, from the
    IR after `quantize`; dtype None when the graph output itself is float."""
    out = subprocess.run([tmlc, "compile", model, "-o", os.path.join(work, "ir"), "--print-ir-after", "quantize"]
                         + quant_args, capture_output=True, text=True, check=True).stdout
    scales = {}
    lines = out.splitlines()
    values = {}
    for ln in lines:
        m = re.match(r"\s*%(\S+) = (\w+)\(%([^,)]+).*?: (\w+)\[[^\]]*\]( q\(([-0-9.e]+):(-?\d+)\))?", ln)
        if m:
            values[m.group(1)] = (m.group(2), m.group(3), float(m.group(6)) if m.group(6) else None,
                                  int(m.group(7)) if m.group(7) else 0, m.group(4))
    for ln in lines:
        m = re.match(r"\s*output %(\S+)", ln)
        if m:
            v = m.group(1)
            direct = values.get(v, (None,) * 5)[2] is not None
            while v in values and values[v][2] is None and values[v][0] in ("Dequantize", "Identity", "Reshape",
                                                                            "Flatten", "Squeeze", "Unsqueeze"):
                v = values[v][1]
            x = values.get(v, (None,) * 5)
            scales[len(scales)] = (x[2], x[3], {"i8": np.int8, "u8": np.uint8, "i16": np.int16}[x[4]] if direct else None)
    return scales


def metrics(got, ref, scale, classes):
    """The report's numbers from concatenated outputs [sets, n]."""
    e = got.astype(np.float64) - ref.astype(np.float64)
    g, r = got.astype(np.float64).ravel(), ref.astype(np.float64).ravel()
    max_abs = float(np.max(np.abs(e)))
    snr = 10 * np.log10(np.sum(r * r) / np.sum(e * e)) if np.sum(e * e) > 0 else None
    cos = float(np.dot(g, r) / (np.linalg.norm(g) * np.linalg.norm(r)))
    m = {"max_abs_error": max_abs, "max_error_lsb": max_abs / scale if scale else None, "cosine": cos,
         "snr_db": float(snr) if snr is not None else None, "top1_agree": None, "top1_rows": None}
    if classes:
        a = np.argmax(got.reshape(-1, classes), axis=1) == np.argmax(ref.reshape(-1, classes), axis=1)
        m["top1_agree"], m["top1_rows"] = int(a.sum()), int(a.size)
    return m


def digits_data(work, count):
    d = os.path.join(work, "digits-data")
    x = np.load(os.path.join(DIGITS, "test_x.npy"))[:count]
    ort_data.write_reference(os.path.join(DIGITS, "digits.onnx"), d, [[x[i:i + 1]] for i in range(count)])
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmlc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("case", choices=["digits", "kws", "kws-io8", "qdq"])
    a = ap.parse_args()
    if os.path.isdir(a.work):
        shutil.rmtree(a.work)
    os.makedirs(a.work)

    if a.case == "digits":
        model, data = os.path.join(DIGITS, "digits.onnx"), digits_data(a.work, 120)
        quant = ["--quantize", "int8", "--calibration", os.path.join(DIGITS, "calib")]
    elif a.case in ("kws", "kws-io8"):
        model, data = os.path.join(ROOT, "samples", "kws", "kws.onnx"), os.path.join(ROOT, "samples", "kws", "data")
        quant = ["--quantize", "int8", "--calibration", data] + (["--quantize-io", "int8"] if a.case == "kws-io8" else [])
    else:
        model, data = os.path.join(DIGITS, "digits_qdq.onnx"), os.path.join(DIGITS, "qdq_data")
        quant = []
    vwork = os.path.join(a.work, "validate")
    cmd = [a.tmlc, "validate", model, "--data", data, "--work", vwork, "--atol", "10"] + quant
    p = subprocess.run(cmd + ["--json"], capture_output=True, text=True)
    rep = json.loads(p.stdout)
    check(p.returncode == 0 and rep["pass"], f"tmlc validate passes ({rep.get('error', '')})")
    acc = rep.get("accuracy")
    check(isinstance(acc, list) and len(acc) > 0, "the JSON has an accuracy report")
    if not acc:
        return 1

    sets = sorted((d for d in os.listdir(data) if d.startswith("test_data_set_")), key=lambda s: int(s.split("_")[-1]))
    refs = [ort_data.read_outputs(os.path.join(data, s)) for s in sets]
    scales = output_scales(a.tmlc, model, quant, a.work)
    versus = {x["versus"] for x in acc}
    check(versus == ({"float model", "reference data"} if quant else {"reference data"}),
          f"compared with {sorted(versus)}")
    for k in range(len(refs[0])):
        shape = refs[0][k].shape
        classes = shape[-1] if len(shape) >= 2 and shape[-1] >= 2 and all(d == 1 for d in shape[1:-1]) else 0
        scale, zp, qtype = scales.get(k, (None, 0, None))
        got = np.stack([np.fromfile(os.path.join(vwork, "cases", str(n), f"out_{k}.bin"), qtype or np.float32)
                        for n in range(len(sets))])
        check((qtype is not None) == (a.case == "kws-io8"), f"output {k}: {'int' if qtype else 'float'} output")
        if qtype is not None:
            got = ((got.astype(np.float64) - zp) * scale).astype(np.float32)
        ref = np.stack([r[k].ravel() for r in refs]).astype(np.float32)
        wanted = {"reference data": ref}
        if quant:
            flt = np.stack([np.fromfile(os.path.join(vwork, "float", "cases", str(n), f"out_{k}.bin"), np.float32)
                            for n in range(len(sets))])
            check(np.allclose(flt, ref, rtol=1e-4, atol=1e-5), f"output {k}: the float model's host run equals ONNX Runtime")
            wanted["float model"] = flt
        for name, r in wanted.items():
            row = next((x for x in acc if x["versus"] == name and x["index"] == k), None)
            check(row is not None, f"output {k}: a row versus {name}")
            if row is None:
                continue
            m = metrics(got, r, scale, classes)
            check(close(row["output_scale"], scale, rel=1e-5), f"output {k} vs {name}: scale {row['output_scale']} "
                  f"(IR: {scale})")
            check(row["elements"] == got.size, f"output {k} vs {name}: {row['elements']} elements")
            for key, rel in [("max_abs_error", 1e-6), ("max_error_lsb", 1e-4), ("cosine", 1e-7), ("snr_db", 1e-6)]:
                # (dequantizing here with the IR's 6-digit scale costs some precision)
                check(close(row[key], m[key], rel=rel if qtype is None else 1e-4), f"output {k} vs {name}: {key} {row[key]} (numpy: {m[key]})")
            check(row["top1_agree"] == m["top1_agree"] and row["top1_rows"] == m["top1_rows"],
                  f"output {k} vs {name}: top-1 {row['top1_agree']}/{row['top1_rows']} "
                  f"(numpy: {m['top1_agree']}/{m['top1_rows']})")

    if a.case == "digits":
        labels = np.load(os.path.join(DIGITS, "test_y.npy"))[:len(sets)]
        f_acc = float(np.mean(np.argmax(flt, 1) == labels))
        q_acc = float(np.mean(np.argmax(got, 1) == labels))
        print(f"accuracy on the first {len(sets)} test images: float {100 * f_acc:.1f}%, int8 {100 * q_acc:.1f}%")
        check(abs(f_acc - q_acc) <= 0.02, "int8 accuracy within 2 points of float on these images")

    # The text report shows the same numbers.
    t = subprocess.run(cmd, capture_output=True, text=True).stdout
    for row in acc:
        line = next((ln for ln in t.splitlines() if f"output {row['index']} '{row['name']}' vs {row['versus']}:" in ln), "")
        ok = bool(line) and f"cosine {row['cosine']:.6f}" in line
        if row["snr_db"] is not None:
            ok = ok and f"SNR {row['snr_db']:.1f} dB" in line
        if row["top1_rows"]:
            ok = ok and f"top-1 agreement {row['top1_agree']}/{row['top1_rows']}" in line
        if row["max_error_lsb"] is not None:
            ok = ok and f"max error {row['max_error_lsb']:.2f} LSB" in line
        check(ok, f"text report: {line.strip()}")
    print("PASS" if not failures else f"FAIL ({len(failures)} checks)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
