#!/usr/bin/env bash
# setup.sh: install everything tmlc needs on a Debian machine (bookworm). Idempotent:
# a second run installs nothing and prints two "present" lines.
#   - system packages with apt-get: host compilers and build tools, protobuf and
#     libonnx (the frontend), Catch2 and FileCheck (tests), the Arm cross toolchain
#     with newlib and QEMU (Cortex-M targets), the ONNX conformance data, Python with
#     torch/onnx/numpy/sklearn (sample and test models), Node.js and npm
#   - ONNX Runtime (npm package onnxruntime-node, pinned in tools/ort/package.json)
#     into tools/ort/node_modules, the reference the end-to-end tests compare against
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

PKGS=(
  # host build
  g++ cmake make ninja-build pkg-config
  # frontend: onnx.pb, checker, shape inference, version converter
  libprotobuf-dev protobuf-compiler libonnx-dev
  # tests: Catch2, FileCheck, clang++ (generated code must build with it too)
  catch2 llvm-14-tools clang-14
  # Cortex-M: cross compiler, C/C++ libraries, size/objdump, emulator
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  binutils-arm-none-eabi qemu-system-arm
  # the ONNX backend test suite (data/node, pytorch-converted, pytorch-operator, simple)
  libonnx-testdata
  # models and reference data: /usr/bin/python3 with torch, onnx, numpy, sklearn
  python3 python3-onnx python3-numpy python3-torch python3-sklearn
  # npm needs them to reach its registry over https
  ca-certificates
)
# Node.js may come from another source than Debian (NodeSource ships npm inside
# its nodejs package); ask apt only for what is absent.
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: error: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present"
fi

# ONNX Runtime for Node.js. --ignore-scripts: its install script downloads from a
# host we cannot reach; the CPU library is already inside the package.
ort="$here/tools/ort"
ort_ok() {
  (cd "$ort" && node -e '
    const want = require("./package.json").dependencies["onnxruntime-node"];
    const have = require("./node_modules/onnxruntime-node/package.json").version;
    if (have !== want) process.exit(1);
    require("onnxruntime-node");' >/dev/null 2>&1)
}
if ! ort_ok; then
  echo "setup: installing onnxruntime-node"
  (cd "$ort" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
  ort_ok || { echo "setup: error: onnxruntime-node does not load (node $(node --version))" >&2; exit 1; }
else
  echo "setup: onnxruntime-node present"
fi
