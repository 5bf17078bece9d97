#!/bin/bash
# check_build.sh DIR NAME: builds the generated DIR/NAME.cpp and DIR/NAME.h the
# way firmware and host tools will, and fails on any warning:
#   g++ and clang++-14 -std=c++17 -Wall -Wextra -Werror (host);
#   gcc -std=c99 -Wall -Wextra -Werror -pedantic on a C file that includes
#   NAME.h, linked with the C++ object and run (the extern "C" API works from C);
#   arm-none-eabi-g++ -mcpu=cortex-m4 -mthumb (no FPU assumptions), and checks
#   the object has no static constructors and calls no heap or exception code.
set -eu -o pipefail
dir=$1
name=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
inc="-I$root/runtime/include -I$dir"
warn="-Wall -Wextra -Werror"
out=$dir/check_build
mkdir -p "$out"

g++ -std=c++17 $warn $inc -O1 -c "$dir/$name.cpp" -o "$out/$name.gcc.o"
clang++-14 -std=c++17 $warn $inc -O1 -c "$dir/$name.cpp" -o "$out/$name.clang.o"

upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
cat > "$out/main.c" <<EOC
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "$name.h"
int main(void) {
  const tmlc_model_info* m = ${name}_model();
  void* in[16];
  void* out[16];
  int i;
  if (m == NULL || strcmp(m->name, "$name") != 0) return 1;
  if (m->arena_bytes != ${upper}_ARENA_BYTES) return 2;
  if (m->num_inputs != ${upper}_NUM_INPUTS || m->num_outputs != ${upper}_NUM_OUTPUTS) return 3;
  if (m->num_inputs > 16 || m->num_outputs > 16) return 4;
  /* One inference through the generic entry point, on zeros. */
  for (i = 0; i < m->num_inputs; ++i) in[i] = calloc(1, m->inputs[i].bytes + 1);
  for (i = 0; i < m->num_outputs; ++i) out[i] = calloc(1, m->outputs[i].bytes + 1);
  if (m->run((const void* const*)in, out) != 0) return 5;
  printf("%s: arena %u bytes, ran once\n", m->name, (unsigned)m->arena_bytes);
  return 0;
}
EOC
gcc -std=c99 -pedantic $warn $inc -c "$out/main.c" -o "$out/main.o"
g++ "$out/main.o" "$out/$name.gcc.o" -o "$out/main"
"$out/main"

arm-none-eabi-g++ -mcpu=cortex-m4 -mthumb -std=c++17 -Os -fno-exceptions -fno-rtti $warn $inc \
  -c "$dir/$name.cpp" -o "$out/$name.m4.o"
if arm-none-eabi-objdump -h "$out/$name.m4.o" | grep -qE '\.init_array|\.ctors'; then
  echo "error: $name.cpp has static constructors" >&2
  exit 1
fi
bad=$(arm-none-eabi-nm -u "$out/$name.m4.o" | grep -E 'malloc|free|_Znw|_Zna|_Zdl|_Zda|__cxa_|__gxx_personality' || true)
if [ -n "$bad" ]; then
  echo "error: $name.cpp uses heap or exception support: $bad" >&2
  exit 1
fi
echo "$name: builds cleanly with g++, clang++-14, gcc -std=c99 (header) and arm-none-eabi-g++"
