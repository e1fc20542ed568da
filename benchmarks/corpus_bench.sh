#!/usr/bin/env bash
# Vocabulary + co-occurrence counting on gcide, side by side in one run:
# libglove (1 and 2 threads), Stanford GloVe's vocab_count + cooccur (when
# STANFORD_GLOVE_DIR points at its build; it splits on whitespace only, so it
# reads a copy tokenised the way libglove tokenises), and the numpy baseline.
# Same semantics everywhere: min count 5, window 10, harmonic, symmetric.
# "one read" is `glove cooccur` without --vocab: both files from one tokenization.
#
# Usage: benchmarks/corpus_bench.sh [CORPUS]   (default data/gcide.txt)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$top/data/gcide.txt}
glove=$top/build/bin/glove
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

measure() {  # measure LABEL COMMAND...: one row of wall, CPU (user+sys) and peak RSS
  local label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" > /dev/null 2> "$out/err" || { cat "$out/err"; exit 1; }
  read -r wall user sys rss < "$out/time"
  printf '%-44s %8s %8.2f %8d\n' "$label" "$wall" "$(echo "$user + $sys" | awk '{print $1 + $3}')" "$((rss / 1024))"
}

echo "corpus: $corpus ($(du -h "$corpus" | cut -f1)); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %8s %8s %8s\n' "step" "wall s" "CPU s" "RSS MiB"
for t in 1 2; do
  measure "libglove vocab, $t thread(s)" "$glove" vocab --quiet --threads "$t" --min-count 5 -o "$out/vocab.txt" "$corpus"
  measure "libglove cooccur (stanford format), $t thread(s)" "$glove" cooccur --quiet --threads "$t" --vocab "$out/vocab.txt" \
    --window 10 -o "$out/cooc.bin" "$corpus"
  measure "libglove cooccur (native format), $t thread(s)" "$glove" cooccur --quiet --threads "$t" --vocab "$out/vocab.txt" \
    --window 10 --format native -o "$out/cooc.glc" "$corpus"
  measure "libglove one read: vocab + cooccur (stanford), $t" "$glove" cooccur --quiet --threads "$t" --min-count 5 \
    --vocab-output "$out/vocab1.txt" --window 10 -o "$out/cooc1.bin" "$corpus"
  cmp -s "$out/vocab1.txt" "$out/vocab.txt" && cmp -s "$out/cooc1.bin" "$out/cooc.bin" || { echo "one read differs"; exit 1; }
done
echo "libglove: $(wc -l < "$out/vocab.txt") words, $(( $(stat -c %s "$out/cooc.bin") / 16 )) nonzero entries"
if [ -n "${STANFORD_GLOVE_DIR:-}" ] && [ -x "$STANFORD_GLOVE_DIR/cooccur" ]; then
  # Stanford splits on whitespace: give it the tokens libglove sees, one document per line.
  python3 -c '
import re, sys
tok = re.compile(r"[^\W_]+")
with open(sys.argv[1], encoding="utf-8", errors="replace") as f, open(sys.argv[2], "w") as out:
    for line in f:
        out.write(" ".join(tok.findall(line.lower())) + "\n")' "$corpus" "$out/tokens.txt"
  measure "Stanford vocab_count" sh -c "'$STANFORD_GLOVE_DIR/vocab_count' -min-count 5 -verbose 0 < '$out/tokens.txt' > '$out/svocab.txt'"
  measure "Stanford cooccur" sh -c "'$STANFORD_GLOVE_DIR/cooccur' -memory 4.0 -vocab-file '$out/svocab.txt' -verbose 0 -window-size 10 < '$out/tokens.txt' > '$out/scooc.bin'"
  echo "Stanford: $(wc -l < "$out/svocab.txt") words, $(( $(stat -c %s "$out/scooc.bin") / 16 )) nonzero entries"
fi
measure "numpy vectorised counter (benchmarks/numpy_cooccur.py)" python3 "$top/benchmarks/numpy_cooccur.py" --min-count 5 --window 10 "$corpus"
