#!/usr/bin/env bash
# build.sh: configure and build tmlc (and its tests) in $BUILD_DIR (default: build/).
# Used by demo.sh and test.sh; extra arguments go to the build tool (e.g. a target).
# Ninja when present, else make; 2 parallel jobs unless JOBS says otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$here/build}"
jobs="${JOBS:-2}"
gen=()
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
  gen=(-G Ninja)
fi
cmake -S "$here" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ $# -gt 0 ]; then
  cmake --build "$build" -j "$jobs" --target "$@"
else
  cmake --build "$build" -j "$jobs"
fi
