#!/usr/bin/env bash
# Installs the wheel in a fresh virtual environment and uses it with the
# Swift toolchain's libraries off the library path, from a directory outside
# the source tree, so only the installed package can be imported.
#
# Usage: scripts/test_wheel.sh WHEEL_DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
wheel=$(ls "${1:-build/wheels}"/glove-*.whl)
expected=$("$top/scripts/platform_tag.sh" "$top/build/lib/libglove.so.1")
case "$wheel" in
  *-py3-none-"$expected".whl) ;;
  *) echo "wheel: $wheel is not tagged py3-none-$expected"; exit 1 ;;
esac
listing=$(python3 -m zipfile -l "$wheel")
grep -q 'glove/libglove.so' <<<"$listing" || { echo "wheel: no glove/libglove.so"; exit 1; }
if [ "$(uname -m)" = x86_64 ]; then
  grep -q 'glove/glibc-hwcaps/x86-64-v3/libglove.so' <<<"$listing" || { echo "wheel: no x86-64-v3 build"; exit 1; }
fi
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "$wheel"
cd "$venv"
env -u GLOVE_LIBRARY -u PYTHONPATH LD_LIBRARY_PATH= PATH=/usr/bin:/bin "$venv/bin/python" - "$top/Tests/vectors/minhash.tsv" <<'PY'
import os, subprocess, sys
import glove
assert glove.library_path.startswith(sys.prefix), glove.library_path
ldd = subprocess.run(["ldd", glove.library_path], capture_output=True, text=True).stdout
assert "swift" not in ldd, ldd
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if not l.startswith("#")]
words = [bytes.fromhex(r[0]) for r in rows]
assert glove.minhash(words).tolist() == [int(r[1]) for r in rows]
assert glove.minhash(words, scheme="full", buckets=1000003, seed=42).tolist() == [int(r[3]) for r in rows]
print(f"wheel: 1 passed, 0 failed ({len(rows)} vectors through {os.path.relpath(glove.library_path, os.path.dirname(glove.__file__))} in a fresh venv)")
PY
