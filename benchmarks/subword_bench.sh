#!/usr/bin/env bash
# Spelling-aware vectors against plain GloVe and gensim's word2vec skip-gram,
# side by side in one run: WordSim353 Spearman and analogy accuracy
# (questions-words.txt, 3CosAdd, questions whose four words are in the
# vocabulary) with the CPU seconds (user + sys) of each training command.
#   - libglove `paper` (x_max 10, dim 50, 1 thread) without subwords (15
#     epochs, the quality benchmark's setting) and with K subword hashes
#     (--subword-buckets 32768) at the settings listed in CONFIGS;
#   - gensim Word2Vec skip-gram (dim 50, window 10, min count 5, 5 epochs, 1 worker),
#     when gensim is installed (benchmarks/peers/word2vec_skipgram.py).
#
# Usage: benchmarks/subword_bench.sh [CORPUS (data/gcide-entries.txt)]
#   CONFIGS="K:LR:EPOCHS[:MATRIX[:decay]] ..." (default "0:0.05:15 2:0.05:5 4:0.025:5 4:0.025:10");
#   MATRIX is WEIGHTING or WEIGHTING/SUBSAMPLE: the window weighting of the
#   matrix, harmonic (1/d, the default) or uniform, and its `glove cooccur
#   --subsample` threshold (e.g. uniform/1e-4); "decay" adds --linear-decay.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$top/data/gcide-entries.txt}
configs=${CONFIGS:-0:0.05:15 2:0.05:5 4:0.025:5 4:0.025:10}
glove=$top/build/bin/glove
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

score() {  # score VECTORS: ρ and analogy accuracy with their coverage
  "$glove" evaluate --similarity "$top/data/wordsim353.tsv" --analogies "$top/data/questions-words.txt" "$1" |
    awk '/Spearman/ { rho = $3; pairs = $5 } /accuracy/ { acc = $3; questions = $5 }
      END { printf "%6s (%s pairs) %6s (%s questions)", rho, pairs, acc, questions }'
}

# Counting CPU seconds (one thread, as the training) are printed at the end.
"$glove" vocab --quiet --min-count 5 -o "$out/vocab.txt" "$corpus"
matrix() {  # matrix WEIGHTING[/SUBSAMPLE]: the path of that matrix, counted on first use
  local name=${1//\//_}
  [ -f "$out/$name.glc" ] || /usr/bin/time -f "%U %S" -o "$out/$name.time" "$glove" cooccur --quiet --threads 1 \
    --vocab "$out/vocab.txt" --window 10 --weighting "${1%%/*}" --subsample "$([ "${1#*/}" = "$1" ] && echo 0 || echo "${1#*/}")" \
    --format native -o "$out/$name.glc" "$corpus" || exit 1
  echo "$out/$name.glc"
}
echo "corpus: $corpus ($(wc -l < "$out/vocab.txt") words of count >= 5); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-52s %8s  %s\n' "trainer" "CPU s" "WordSim353 rho, analogy accuracy"
for config in $configs; do
  IFS=: read -r k lr epochs weighting decay <<< "$config"
  weighting=${weighting:-harmonic}
  cooc=$(matrix "$weighting") || exit 1
  /usr/bin/time -f "%U %S" -o "$out/time" "$glove" train --quiet --vocab "$out/vocab.txt" --cooc "$cooc" \
    --objective paper --x-max 10 --dim 50 --threads 1 --epochs "$epochs" --lr "$lr" \
    --subword-hashes "$k" --subword-buckets 32768 $([ "$decay" = decay ] && echo --linear-decay) -o "$out/m.glove"
  printf '%-52s %8.1f  %s\n' "libglove paper, $weighting, K $k, lr $lr$([ "$decay" = decay ] && echo " decaying"), $epochs epochs" \
    "$(awk '{ print $1 + $2 }' "$out/time")" "$(score "$out/m.glove")"
done
for t in "$out"/*.time; do
  printf '%-52s %8.1f\n' "counting the $(basename "$t" .time | tr _ /) matrix" "$(awk '{ print $1 + $2 }' "$t")"
done
if python3 -c "import gensim" 2> /dev/null; then
  result=$(python3 "$top/benchmarks/peers/word2vec_skipgram.py" --corpus "$corpus" --out "$out/w2v.txt")
  printf '%-52s %8.1f  %s\n' "gensim word2vec skip-gram, 5 epochs ($(echo "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["words"])') words)" \
    "$(echo "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cpu_seconds"])')" "$(score "$out/w2v.txt")"
fi
