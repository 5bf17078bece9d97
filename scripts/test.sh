#!/usr/bin/env bash
# test.sh: set up, build, and run the whole test suite through ctest (CI runs this).
#   BUILD_DIR  build directory (default: build/)
#   extra arguments go to ctest, e.g. ./scripts/test.sh -L e2e   or   -LE qemu
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$here/build}"
export BUILD_DIR="$build"

"$here/scripts/setup.sh"
"$here/scripts/build.sh"
cd "$build"
ctest --output-on-failure -j2 "$@"
