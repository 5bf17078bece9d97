#!/bin/bash
# check_error.sh: runs tmlc on one bad input and checks how it fails.
#
#   check_error.sh --work DIR [--make SPEC] [--exit N|usage] [--timeout S] [--expect TEXT]...
#                  [--warning TEXT]... [--header TEXT]... -- TMLC_ARGS...
#
# --make SPEC creates DIR/model.onnx first:
#   text:FILE.onnxtxt       converted with onnx_text_to_model
#   empty                   an empty file
#   truncate:FILE.onnxtxt:F the converted model cut to F percent of its bytes
#   garbage:SEED:BYTES      pseudo-random bytes
#   copy:FILE               FILE as it is
#   py:FILE.py              written by FILE.py (Debian's python3 with onnx)
# In TMLC_ARGS and --expect, @MODEL@ is DIR/model.onnx and @OUT@ is DIR/out.
#
# Checks: tmlc ends within 60 s (or --timeout S), not by a signal, with exit status N (default 1;
# "usage" accepts 1 or 2, the status of command-line mistakes). For N != 0,
# stderr is exactly one line, starting "error: ", and holds every --expect TEXT.
# For N = 0, stderr holds only "warning: " lines, one holding each --warning
# TEXT (none if no --warning), and DIR/out/*.h holds each --header TEXT.
# Needs TMLC and ONNX_TEXT_TO_MODEL in the environment.
set -u
work="" make="" want_exit=1 limit=60
expects=() warnings=() headers=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift 2 ;;
    --make) make=$2; shift 2 ;;
    --exit) want_exit=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    --warning) warnings+=("$2"); shift 2 ;;
    --header) headers+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "check_error.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
fail() { echo "FAIL: $*"; exit 1; }

rm -rf "$work"
mkdir -p "$work"
model=$work/model.onnx
case $make in
  "") ;;
  text:*) "$ONNX_TEXT_TO_MODEL" "${make#text:}" "$model" || fail "cannot convert ${make#text:}" ;;
  empty) : > "$model" ;;
  truncate:*)
    spec=${make#truncate:}
    "$ONNX_TEXT_TO_MODEL" "${spec%:*}" "$work/full.onnx" || fail "cannot convert ${spec%:*}"
    size=$(stat -c %s "$work/full.onnx")
    head -c $((size * ${spec##*:} / 100)) "$work/full.onnx" > "$model" ;;
  garbage:*)
    spec=${make#garbage:}
    perl -e 'srand($ARGV[0]); print map { chr(int(rand(256))) } 1 .. $ARGV[1]' "${spec%%:*}" "${spec#*:}" \
      > "$model" ;;
  copy:*) cp "${make#copy:}" "$model" ;;
  py:*) /usr/bin/python3 "${make#py:}" "$model" || fail "cannot run ${make#py:}" ;;
  *) fail "unknown --make $make" ;;
esac

args=()
for a in "$@"; do
  a=${a//@MODEL@/$model}
  a=${a//@OUT@/$work/out}
  args+=("$a")
done
echo "tmlc ${args[*]}"
timeout -s KILL "$limit" "$TMLC" "${args[@]}" > "$work/stdout" 2> "$work/stderr"
rc=$?
echo "exit status $rc; stderr:"
cat "$work/stderr"
[ $rc -eq 137 ] && fail "tmlc hung (killed after $limit s)"
[ $rc -gt 128 ] && fail "tmlc died of signal $((rc - 128))"
if [ "$want_exit" = usage ]; then
  [ $rc -eq 1 ] || [ $rc -eq 2 ] || fail "exit status $rc, expected 1 or 2"
else
  [ $rc -eq "$want_exit" ] || fail "exit status $rc, expected $want_exit"
fi

if [ $rc -ne 0 ]; then
  [ "$(wc -l < "$work/stderr")" -eq 1 ] || fail "stderr is not exactly one line"
  head -c 7 "$work/stderr" | grep -qx 'error: ' || fail "stderr does not start with 'error: '"
  for e in "${expects[@]}"; do
    e=${e//@MODEL@/$model}
    e=${e//@OUT@/$work/out}
    grep -qF -- "$e" "$work/stderr" || fail "stderr does not mention: $e"
  done
else
  if grep -vq '^warning: ' "$work/stderr"; then fail "stderr has lines other than warnings"; fi
  [ ${#warnings[@]} -eq 0 ] && [ -s "$work/stderr" ] && fail "unexpected warnings"
  for w in "${warnings[@]}"; do
    grep -qF -- "$w" "$work/stderr" || fail "no warning mentions: $w"
  done
  for h in "${headers[@]}"; do
    cat "$work"/out/*.h | grep -qF -- "$h" || fail "the header does not hold: $h"
  done
fi
echo "PASS"
