#!/usr/bin/env bash
# Embedding quality on one corpus, side by side: WordSim353 Spearman and
# analogy accuracy (questions-words.txt, 3CosAdd, questions whose four words
# are in the vocabulary) of
#   - libglove `paper` (x_max 10, AdaGrad 0.05) and `seed` (Adam 0.01, batch
#     65,536), 1 thread, for each seed in SEEDS;
#   - Stanford GloVe's glove on libglove's matrix (after its shuffle), x_max 10,
#     for each seed in SEEDS;
#   - Stanford GloVe's whole pipeline (vocab_count, cooccur, shuffle, glove:
#     its own whitespace tokenisation) on the same text, x_max 10;
#   - the JAX reference of `seed` (benchmarks/peers/jax_seed.py, 23 epochs as
#     the seed's pipeline ran it) on libglove's matrix, when jax is installed.
# min count 5, window 10, dim 50; EPOCHS (default 15) for all but JAX.
# Every model is scored by `glove evaluate`.
#
# Usage: STANFORD_GLOVE_DIR=DIR benchmarks/quality_bench.sh [CORPUS (data/gcide-entries.txt)] [EPOCHS]
#   SEEDS="1 2 3" (default), JAX_SEEDS="1" (default; "" skips JAX),
#   TRAIN_ARGS="--stream" (extra `glove train` arguments for libglove's runs)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$top/data/gcide-entries.txt}
epochs=${2:-15}
seeds=${SEEDS:-1 2 3}
jax_seeds=${JAX_SEEDS-1}
glove=$top/build/bin/glove
stanford=${STANFORD_GLOVE_DIR:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

score() {  # score LABEL VECTORS: one line, ρ and analogy accuracy with their coverage
  "$glove" evaluate --similarity "$top/data/wordsim353.tsv" --analogies "$top/data/questions-words.txt" "$2" |
    awk -v l="$1" '/Spearman/ { rho = $3; pairs = $5 } /accuracy/ { acc = $3; questions = $5 }
      END { printf "%-58s %6s (%s pairs) %6s (%s questions)\n", l, rho, pairs, acc, questions }'
}

"$glove" cooccur --quiet --min-count 5 --window 10 --vocab-output "$out/vocab.txt" --format native -o "$out/cooc.glc" "$corpus"
"$glove" cooccur --quiet --vocab "$out/vocab.txt" --window 10 -o "$out/cooc.bin" "$corpus"
echo "corpus: $corpus ($(wc -l < "$corpus") lines, $(wc -l < "$out/vocab.txt") words of count >= 5); epochs: $epochs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-58s %s\n' "trainer" "WordSim353 rho, analogy accuracy"

read -r -a extra <<< "${TRAIN_ARGS:-}"
train=("$glove" train --quiet --vocab "$out/vocab.txt" --cooc "$out/cooc.glc" --dim 50 --epochs "$epochs" --threads 1 "${extra[@]}")
for seed in $seeds; do
  "${train[@]}" --objective paper --x-max 10 --seed "$seed" -o "$out/paper.glove"
  score "libglove paper, x_max 10, seed $seed" "$out/paper.glove"
done
for seed in $seeds; do
  "${train[@]}" --objective seed --seed "$seed" -o "$out/seed.glove"
  score "libglove seed, seed $seed" "$out/seed.glove"
done

if [ -n "$stanford" ] && [ -x "$stanford/glove" ]; then
  for seed in $seeds; do
    "$stanford/shuffle" -memory 4.0 -verbose 0 -seed "$seed" < "$out/cooc.bin" > "$out/shuf.bin" 2> /dev/null
    "$stanford/glove" -save-file "$out/stanford" -threads 1 -input-file "$out/shuf.bin" -x-max 10 -iter "$epochs" \
      -vector-size 50 -binary 0 -vocab-file "$out/vocab.txt" -verbose 0 -seed "$seed" 2> /dev/null
    score "Stanford glove on libglove's matrix, x_max 10, seed $seed" "$out/stanford.txt"
  done
  "$top/benchmarks/peers/stanford_glove.sh" --corpus "$corpus" --out "$out/stanford-run" --bin-dir "$stanford" \
    --x-max 10 --iter "$epochs" > "$out/stanford-run.log" 2>&1
  score "Stanford pipeline, own tokenisation ($(wc -l < "$out/stanford-run/vocab.txt") words), x_max 10" \
    "$out/stanford-run/vectors_xmax10.txt"
fi

if [ -n "$jax_seeds" ] && python3 -c "import jax, flax, optax" 2> /dev/null; then
  for seed in $jax_seeds; do
    python3 "$top/benchmarks/peers/jax_seed.py" --cooc "$out/cooc.bin" --vocab "$out/vocab.txt" --dim 50 --epochs 23 \
      --seed "$seed" --output "$out/jax.txt" > /dev/null
    score "JAX seed reference, 23 epochs, seed $seed" "$out/jax.txt"
  done
fi
