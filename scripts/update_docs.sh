#!/usr/bin/env bash
# update_docs.sh: regenerates docs/operators.md from the op table and a fresh
# conformance run on the host. Run after adding or fixing an operator.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$here/build}"
cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" --target run_conformance -j2 >/dev/null
"$build/tests/run_conformance" --work "$build/docs-conformance" --operators-md "$here/docs/operators.md" | tail -5
