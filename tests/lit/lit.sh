#!/bin/bash
# lit.sh: a tiny lit-like driver. Runs each `RUN:` line of a test file through
# bash (with pipefail), after these substitutions:
#   %s          the test file            %t     a fresh scratch directory
#   %tmlc       the compiler             %FileCheck, %not   LLVM's tools
#   %onnx       onnx_text_to_model (ONNX text -> .onnx)
#   %python     Debian's python3 (with the onnx package)
#   %check-build DIR NAME   builds DIR/NAME.{h,cpp} with every compiler (check_build.sh)
# A RUN line ending in '\' continues on the next RUN line. The test passes when
# every RUN line exits 0. Tools come from the environment (tests/lit/CMakeLists.txt).
#
#   usage: lit.sh TEST_FILE WORK_DIR
set -u
test_file=$(realpath "$1")
work=$(realpath -m "$2")
name=$(basename "$test_file")
name=${name%.*}
tmp=$work/$name
rm -rf "$tmp"
mkdir -p "$tmp"
here=$(cd "$(dirname "$0")" && pwd)

subst() {
  local c=$1
  c=${c//%FileCheck/$FILECHECK}
  c=${c//%not/$LIT_NOT}
  c=${c//%tmlc/$TMLC}
  c=${c//%onnx/$ONNX_TEXT_TO_MODEL}
  c=${c//%python//usr/bin/python3}
  c=${c//%check-build/bash $here/check_build.sh}
  c=${c//%s/$test_file}
  c=${c//%t/$tmp}
  printf '%s' "$c"
}

cmd=""
n=0
while IFS= read -r line; do
  run=${line#*RUN: }
  if [[ $run == *\\ ]]; then
    cmd+="${run%\\} "
    continue
  fi
  cmd+=$run
  n=$((n + 1))
  full=$(subst "$cmd")
  cmd=""
  echo "RUN $n: $full"
  if ! (cd "$tmp" && bash -o pipefail -c "$full"); then
    echo "FAIL: $name: RUN line $n failed"
    exit 1
  fi
done < <(grep -E '^[[:space:]]*(#|//)[[:space:]]*RUN: ' "$test_file")
if [ "$n" -eq 0 ]; then
  echo "FAIL: $name has no RUN lines"
  exit 1
fi
echo "PASS: $name ($n RUN lines)"
