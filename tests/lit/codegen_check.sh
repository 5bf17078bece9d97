#!/bin/bash
# codegen_check.sh MODE WORK MODEL...: properties of generated code over many
# models (.onnx; .onnxtxt converted with onnx_text_to_model; .py run to write one).
#   determinism  compiles each model three times, from two different paths and
#                working directories and with the heap perturbed
#                (MALLOC_PERTURB_), for host and cortex-m4, and requires
#                byte-identical NAME.h, NAME.cpp and report JSON.
#   build        builds each model's code with every compiler, -Werror
#                (check_build.sh), for host and cortex-m4.
# Needs TMLC and ONNX_TEXT_TO_MODEL in the environment.
set -eu -o pipefail
mode=$1
work=$(realpath -m "$2")
shift 2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
count=0
for model in "$@"; do
  base=$(basename "$model")
  name=${base%.*}
  dir=$work/$name
  mkdir -p "$dir/a" "$dir/b"
  if [[ $model == *.onnxtxt ]]; then
    "$ONNX_TEXT_TO_MODEL" "$model" "$dir/a/$name.onnx"
  elif [[ $model == *.py ]]; then
    /usr/bin/python3 "$model" "$dir/a/$name.onnx"
  else
    cp "$model" "$dir/a/$name.onnx"
  fi
  cp "$dir/a/$name.onnx" "$dir/b/$name.onnx"
  # A model its lit test expects to be rejected has no code to check.
  if ! "$TMLC" compile "$dir/a/$name.onnx" -o "$dir/probe" > /dev/null 2>&1; then
    if grep -q '%not %tmlc compile' "$model" 2>/dev/null; then
      echo "skip: $model (rejected on purpose)"
      continue
    fi
    echo "error: $model does not compile"
    "$TMLC" compile "$dir/a/$name.onnx" -o "$dir/probe"
    exit 1
  fi
  for target in host cortex-m4; do
    case $mode in
      determinism)
        (cd "$dir/a" && "$TMLC" compile "$name.onnx" -o out1-$target --target $target --report r1-$target.json)
        (cd "$dir" && "$TMLC" compile "b/$name.onnx" -o "$dir/a/out2-$target" --target $target \
           --report "$dir/a/r2-$target.json")
        (cd / && MALLOC_PERTURB_=165 "$TMLC" compile "$dir/a/$name.onnx" -o "$dir/a/out3-$target" \
           --target $target --report "$dir/a/r3-$target.json")
        for run in 2 3; do
          for f in "$name.h" "$name.cpp"; do
            if ! cmp "$dir/a/out1-$target/$f" "$dir/a/out$run-$target/$f"; then
              echo "error: $model: $f differs between runs ($target)"
              diff "$dir/a/out1-$target/$f" "$dir/a/out$run-$target/$f" | head -20
              exit 1
            fi
          done
          if ! cmp "$dir/a/r1-$target.json" "$dir/a/r$run-$target.json"; then
            echo "error: $model: the report differs between runs ($target)"
            exit 1
          fi
        done
        ;;
      build)
        "$TMLC" compile "$dir/a/$name.onnx" -o "$dir/$target" --target $target
        bash "$here/check_build.sh" "$dir/$target" "$name"
        ;;
      *)
        echo "usage: codegen_check.sh determinism|build WORK MODEL..." >&2
        exit 2
        ;;
    esac
  done
  count=$((count + 1))
done
echo "PASS: $mode: $count models, host and cortex-m4"
