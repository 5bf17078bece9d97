#!/usr/bin/env bash
# setup.sh: install everything tmlc needs on a Debian machine. Idempotent.
#   - system packages with apt-get (compilers, protobuf, libonnx, Catch2, FileCheck,
#     the Arm cross toolchain, QEMU, the ONNX conformance data, python3 model tools)
#   - ONNX Runtime (npm package onnxruntime-node) into tools/ort/node_modules
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

PKGS=(
  g++ cmake make ninja-build pkg-config
  libprotobuf-dev protobuf-compiler libonnx-dev
  catch2 llvm-14-tools clang-14
  qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  binutils-arm-none-eabi
  libonnx-testdata
  python3 python3-onnx python3-numpy python3-torch python3-sklearn
  nodejs
)
# npm may come from nodejs' own installer rather than Debian; only ask apt when absent.
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present"
fi

# ONNX Runtime for Node.js: the reference every result is checked against.
# --ignore-scripts: its install script downloads from a host we cannot reach; the
# CPU library is already inside the package.
if [ ! -d "$here/tools/ort/node_modules/onnxruntime-node" ]; then
  echo "setup: installing onnxruntime-node"
  (cd "$here/tools/ort" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
else
  echo "setup: onnxruntime-node present"
fi
