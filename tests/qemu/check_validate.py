#!/usr/bin/python3
"""check_validate.py: runs `tmlc validate --json` and checks its verdict and report.

  check_validate.py --tmlc TMLC --model M.onnx --data DIR --target T [--expect pass|fail]
                    [--corrupt WORK] [-- extra tmlc options]

--expect pass: exit status 0, "pass": true, every required key present with the
  right type; on a Cortex-M target "instructions" and "stack_bytes" are positive
  integers and flash/RAM are positive, on the host "instructions" is null.
--corrupt WORK: copies DIR to WORK, adds 1.0 to the first element of every
  output_0.pb (read and written with onnx.numpy_helper), and validates against
  the copy; used with --expect fail: the exit status must be exactly 1 (not a
  usage error or a crash), "pass" false and "max_abs_error" at least 0.99.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys


def corrupt(src, dst):
    import onnx
    from onnx import numpy_helper

    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    n = 0
    for root, _dirs, files in os.walk(dst):
        if "output_0.pb" not in files:
            continue
        path = os.path.join(root, "output_0.pb")
        t = onnx.TensorProto()
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        a = numpy_helper.to_array(t).copy()
        a.flat[0] += 1.0
        out = numpy_helper.from_array(a, t.name)
        with open(path, "wb") as f:
            f.write(out.SerializeToString())
        n += 1
    if n == 0:
        sys.exit(f"check_validate: no output_0.pb under {src}")
    return dst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmlc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--target", default="host")
    ap.add_argument("--expect", choices=["pass", "fail"], default="pass")
    ap.add_argument("--corrupt", metavar="WORK")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()

    data = corrupt(a.data, a.corrupt) if a.corrupt else a.data
    cmd = [a.tmlc, "validate", a.model, "--data", data, "--target", a.target, "--json"] + a.extra
    print(" ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    sys.stderr.write(p.stderr)
    print(p.stdout)
    try:
        r = json.loads(p.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"FAIL: stdout is not one JSON object ({e})")

    errors = []
    for key, types in [("pass", bool), ("max_abs_error", (int, float)), ("arena_bytes", int),
                       ("flash_bytes", int), ("ram_bytes", int)]:
        if key not in r or not isinstance(r[key], types):
            errors.append(f"key {key!r} missing or of the wrong type: {r.get(key)!r}")
    if "instructions" not in r:
        errors.append("key 'instructions' missing")
    on_device = a.target != "host"
    if a.expect == "pass":
        if p.returncode != 0 or r.get("pass") is not True:
            errors.append(f"expected a pass, got exit {p.returncode}, pass={r.get('pass')}")
        if on_device:
            for key in ["instructions", "stack_bytes", "flash_bytes", "ram_bytes"]:
                if not isinstance(r.get(key), int) or r[key] <= 0:
                    errors.append(f"{key} should be a positive integer on {a.target}: {r.get(key)!r}")
        elif r.get("instructions") is not None:
            errors.append("instructions should be null on the host")
    else:
        if p.returncode != 1:
            errors.append(f"expected exit status 1, got {p.returncode}")
        if r.get("pass") is not False:
            errors.append("expected \"pass\": false")
        if a.corrupt and not (isinstance(r.get("max_abs_error"), (int, float)) and r["max_abs_error"] >= 0.99):
            errors.append(f"max_abs_error should reflect the +1.0 change: {r.get('max_abs_error')!r}")
    for e in errors:
        print("FAIL:", e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
