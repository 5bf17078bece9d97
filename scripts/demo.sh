#!/usr/bin/env bash
# demo.sh: set up, build tmlc, compile the sample keyword spotter
# (samples/kws/kws.onnx, a DS-CNN for 1x1x49x10 MFCC input) for Cortex-M4, and
# run it on an emulated Cortex-M4 (QEMU mps2-an386) against ONNX Runtime's
# reference outputs, printing the result and the metrics.
#   BUILD_DIR  build directory (default: build/)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$here/build}"
export BUILD_DIR="$build"
model="$here/samples/kws/kws.onnx"
data="$here/samples/kws/data"
out="$build/demo/kws"

echo "== 1/4 set-up"
"$here/scripts/setup.sh"

echo "== 2/4 build tmlc"
"$here/scripts/build.sh" tmlc
tmlc="$build/tmlc"
"$tmlc" --version

echo "== 3/4 tmlc compile $model --target cortex-m4"
"$tmlc" compile "$model" -o "$out" --name kws --target cortex-m4 --report "$out/report.json"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
r = json.load(open(out + "/report.json"))
print(f"wrote {out}/kws.h and {out}/kws.cpp")
print(f"{'node':28} {'op':20} {'output':16} {'MACs':>9} {'arena+':>7}")
for n in r["nodes"]:
    shape = "x".join(str(d) for d in n.get("output_shape", []))
    off = n.get("arena_offset")
    off = "-" if off is None else off  # a graph output or a view
    print(f"{n.get('name', '')[:28]:28} {n.get('op', '')[:20]:20} {shape:16} {n.get('macs', 0):>9} {str(off):>7}")
print(f"total: {r['macs']} MACs, arena {r['arena_bytes']} bytes, weights {r['weight_bytes']} bytes")
PY

echo "== 4/4 tmlc validate --target cortex-m4 (QEMU mps2-an386)"
rm -rf "$build/demo/validate"
"$tmlc" validate "$model" --data "$data" --name kws --target cortex-m4 --work "$build/demo/validate"

# The scores the Cortex-M4 computed (the harness's raw output files), next to ONNX Runtime's.
/usr/bin/python3 - "$build/demo/validate/cases" "$data" <<'PY'
import os, sys
import numpy as np
from onnx import TensorProto, numpy_helper
cases, data = sys.argv[1], sys.argv[2]
print("result (the weights are random, so the classes mean nothing; they only have to agree):")
for n in sorted(int(c) for c in os.listdir(cases) if c.isdigit()):
    got = np.fromfile(os.path.join(cases, str(n), "out_0.bin"), dtype=np.float32)
    t = TensorProto()
    t.ParseFromString(open(os.path.join(data, f"test_data_set_{n}", "output_0.pb"), "rb").read())
    ref = numpy_helper.to_array(t).reshape(-1)
    same = "same as" if int(np.argmax(got)) == int(np.argmax(ref)) else "DIFFERENT from"
    print(f"  test_data_set_{n}: class {int(np.argmax(got))} (score {got.max():.4f}), "
          f"{same} ONNX Runtime's class {int(np.argmax(ref))}")
    print("    scores: " + " ".join(f"{v:.3f}" for v in got))
PY
