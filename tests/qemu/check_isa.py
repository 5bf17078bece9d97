#!/usr/bin/python3
"""check_isa.py: the code built for a target uses only what the target has.

    check_isa.py --tmlc TMLC --model M.onnx --work DIR [--quantize CALIB_DIR]

For each Cortex-M target it compiles the model with `tmlc compile --target T`,
builds the generated code with the target's cflags (targets/T/target.txt) and
disassembles the object (arm-none-eabi-objdump):
  - no floating-point instruction (v*.f32, vldr, vmov to an s/d register...) on
    a target without an FPU (cortex-m0, cortex-m3), and no double-precision
    arithmetic (.f64) on one with a single-precision FPU (cortex-m4, cortex-m33);
  - no DSP instruction (smlad, smuad, sxtb16, qadd...) on a target without DSP;
  - with --quantize (int8 code): the Helium (MVE) kernels are used where the
    target has MVE (at least one vmladava/vaddva/vctp... in the object, which is
    disassembled as armv8.1-m.main there), else the DSP kernels where it has DSP
    (at least one smlad/smlabb/sxtb16...);
  - no MVE instruction on a target without MVE.
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["cortex-m0", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]
FP = re.compile(r"\tv(add|sub|mul|div|fma|fms|nmul|sqrt|abs|neg|cmp|cvt|ldr|str|mov|push|pop|ldm|stm|sel|maxnm|minnm|rint)\S*\s")
FP64 = re.compile(r"\tv(add|sub|mul|div|fma|sqrt|cmp)\S*\.f64\s")
# Vector instructions of MVE only (FP's vldr/vstr have no size suffix; vmlav,
# vaddv, vctp, vpst, vidup do not exist outside MVE).
MVE = re.compile(r"\t(vmlava?|vmladava?x?|vaddva?|vctp|vpst|vpt|vidup|vddup|vldr[bhw]|vstr[bhw]|vqrdmulh|vrshl|vqshl|vmlas?)(\.[su]?\d+|t|e)?(\.[su]?\d+)?\s")
DSP = re.compile(r"\t(smlad|smladx|smlsd|smuad|smusd|smlabb|smlabt|smlatb|smlatt|smulbb|smultb|smulbt|smultt|sxtb16|sxtab16|uxtb16|qadd|qsub|qadd16|qsub16|qadd8|ssat16|usat16|pkhbt|pkhtb|sadd16|ssub16)\s")


def target_info(t):
    info = {}
    with open(os.path.join(ROOT, "targets", t, "target.txt")) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line:
                k, _, v = line.partition(" ")
                info[k] = v.strip()
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmlc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--quantize", metavar="CALIB_DIR")
    a = ap.parse_args()
    errors = []
    for t in TARGETS:
        info = target_info(t)
        feats = info.get("features", "").split()
        out = os.path.join(a.work, t)
        cmd = [a.tmlc, "compile", a.model, "-o", out, "--name", "m", "--target", t, "--ram", "0", "--flash", "0"]
        if a.quantize:
            cmd += ["--quantize", "int8", "--calibration", a.quantize]
        subprocess.run(cmd, check=True)
        obj = os.path.join(out, "m.o")
        subprocess.run(["arm-none-eabi-g++", "-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-fno-exceptions",
                        "-fno-rtti"] + info["cflags"].split() +
                       ["-I", out, "-I", os.path.join(ROOT, "runtime", "include"), "-c", os.path.join(out, "m.cpp"),
                        "-o", obj], check=True)
        # Without -m, objdump shows MVE encodings as coprocessor instructions.
        arch = ["-m", "armv8.1-m.main"] if "mve" in feats else []
        asm = subprocess.run(["arm-none-eabi-objdump", "-d"] + arch + [obj], capture_output=True, text=True,
                             check=True).stdout
        fp, fp64, dsp, mve = FP.findall(asm), FP64.findall(asm), DSP.findall(asm), MVE.findall(asm)
        has_fpu = "fpu" in feats or "fpu-double" in feats
        print(f"{t:11} features [{' '.join(feats)}]: {len(fp)} FPU, {len(fp64)} double-precision, "
              f"{len(dsp)} DSP, {len(mve)} MVE instructions")
        if fp and not has_fpu:
            errors.append(f"{t} has no FPU but its code has {len(fp)} FPU instructions")
        if fp64 and "fpu-double" not in feats:
            errors.append(f"{t} has no double-precision FPU but its code has {len(fp64)} .f64 instructions")
        if dsp and "dsp" not in feats:
            errors.append(f"{t} has no DSP extension but its code has DSP instructions ({dsp[0]} ...)")
        if mve and "mve" not in feats:
            errors.append(f"{t} has no MVE but its code has MVE instructions ({mve[0][0]} ...)")
        if a.quantize and "mve" in feats:
            if not any(m[0] in ("vmlava", "vmladava") for m in mve):
                errors.append(f"{t} has MVE but the int8 code has no vector dot product (vmlava)")
        elif a.quantize and "dsp" in feats and not dsp:
            errors.append(f"{t} has the DSP extension but the int8 code uses no DSP instruction")
    for e in errors:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
