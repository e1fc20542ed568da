#!/usr/bin/env bash
# The main job, end to end. Today: the min-hash stage of the pipeline on a
# few words, through the CLI, C and Python. Later stages (co-occurrence,
# training, queries, recommendations) extend this script as they land.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
glove=build/bin/glove
words=(democracy democratic democracies zebra hashes king kings queen café 日本語)

echo "== min-hash buckets (compat scheme, the reference pipeline's) =="
$glove minhash "${words[@]}"

echo
echo "== the same words through the C example (dlopen) =="
make -s -C bindings/c BUILD="$top/build" "$top/build/examples/example" >/dev/null
build/examples/example build/lib/libglove.so "${words[@]:0:4}"

echo
echo "== and through Python =="
GLOVE_LIBRARY="$top/build/lib/libglove.so" PYTHONPATH="$top/bindings/python" python3 - <<'PY'
import glove
words = ["democracy", "democratic", "democracies", "zebra"]
print(dict(zip(words, glove.minhash(words).tolist())))
with glove.MinHash(scheme="full", hashes=256) as mh:
    for a, b in [("democracy", "democratic"), ("democracy", "zebra")]:
        print(f"Jaccard estimate {a} / {b}: {mh.jaccard(a, b):.2f}")
PY
