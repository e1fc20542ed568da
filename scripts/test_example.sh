#!/usr/bin/env bash
# Runs the Swift example package's executable on the test vectors and checks
# that each step of the main job printed its result.
set -euo pipefail
binary=$1
top=$(cd "$(dirname "$0")/.." && pwd)
out=$("$binary" "$top/Tests/vectors/corpus/basic/corpus.txt" "$top/Tests/vectors/bilinear")
echo "$out"
passed=0
check() {
  if grep -qE "$1" <<<"$out"; then passed=$((passed + 1)); else echo "example: no line matching '$1'"; exit 1; fi
}
check '^vocabulary: [0-9]+ words; co-occurrences: [0-9]+ entries$'
check '^epoch 5: loss [0-9.e-]+$'
check '^neighbours of the: [^ ]+, [^ ]+, [^ ]+$'
check "^new user's top items: [0-9]+, [0-9]+, [0-9]+$"
echo "example: $passed passed, 0 failed"
