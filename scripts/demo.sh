#!/usr/bin/env bash
# The main job, end to end: fetch a corpus (GCIDE from Debian's dict-gcide,
# or gensim's Wikipedia sample when apt is unavailable), count its
# vocabulary and co-occurrences, train GloVe, show neighbours and analogies,
# evaluate on WordSim353 and the analogy set, min-hash a few words, train a
# bilinear recommender on MovieLens 100k and recommend films to a new user
# described only by features, and draw pictures (SVG) of all of it.
#
# Idempotent: downloads and finished stages (under data/ and build/demo/)
# are reused when newer than their inputs, so a second run is faster.
# EPOCHS, DIM, THREADS and OBJECTIVE can be set in the environment.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
glove=build/bin/glove
out=build/demo
mkdir -p "$out"
EPOCHS=${EPOCHS:-15}
DIM=${DIM:-50}
THREADS=${THREADS:-0}
OBJECTIVE=${OBJECTIVE:-paper}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds() { printf '%d.%d' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }
started=$(now_ms)
last=$started
timings=()
stage() {  # stage NAME: remember the time since the previous stage
  local now
  now=$(now_ms)
  timings+=("$(printf '%-28s %8s s' "$1" "$(seconds $(( now - last )))")")
  last=$now
}
fresh() {  # fresh TARGET INPUT...: TARGET exists and is newer than every input
  [ -e "$1" ] || return 1
  local target=$1
  shift
  for input in "$@"; do [ "$target" -nt "$input" ] || return 1; done
}

echo "== 1. corpus =="
scripts/fetch_data.sh gcide eval
corpus=data/gcide-entries.txt  # one dictionary entry per line: better vectors than one paragraph per line (benchmarks/RESULTS.md)
[ -s "$corpus" ] || corpus=data/wiki.txt
echo "corpus: $corpus ($(wc -l < "$corpus") lines, $(du -h "$corpus" | cut -f1))"
stage "fetch data"

echo
echo "== 2. vocabulary and co-occurrences (window 10, uniform weights, min count 5, subsample 1e-4) =="
# One read of the corpus builds the vocabulary and counts the co-occurrences.
# Uniform window weights and word2vec's subsampling of frequent words score
# higher on this corpus than Stanford's 1/d weights (benchmarks/RESULTS.md).
{ fresh "$out/vocab.txt" "$corpus" "$glove" && fresh "$out/cooc.glc" "$corpus" "$glove"; } ||
  $glove cooccur --min-count 5 --vocab-output "$out/vocab.txt" --window 10 --weighting uniform --subsample 1e-4 \
    --format native --output "$out/cooc.glc" "$corpus"
echo "vocabulary: $(wc -l < "$out/vocab.txt") words; most frequent: $(head -5 "$out/vocab.txt" | cut -d' ' -f1 | tr '\n' ' ')"
stage "vocab + cooccur"

echo
echo "== 3. training ($OBJECTIVE objective, dim $DIM, $EPOCHS epochs, x_max 10, rate decaying to 0) =="
model="$out/model-$OBJECTIVE-$DIM-$EPOCHS.glove"
fresh "$model" "$out/cooc.glc" || $glove train --vocab "$out/vocab.txt" --cooc "$out/cooc.glc" --objective "$OBJECTIVE" \
  --x-max 10 --dim "$DIM" --epochs "$EPOCHS" --linear-decay --threads "$THREADS" --output "$model"
stage "train"

echo
echo "== 4. nearest neighbours and analogies =="
$glove neighbors "$model" -k 8 democracy king zebra music science
printf 'man king woman\nfrance paris italy\ngood better bad\n' | $glove neighbors "$model" -k 3
stage "queries"

echo
echo "== 5. evaluation =="
$glove evaluate --similarity data/wordsim353.tsv --analogies data/questions-words.txt "$model" | head -2
stage "evaluate"

echo
echo "== 6. min-hash buckets: spelling variants share embedding rows =="
$glove minhash democracy democratic democracies zebra zebras
stage "min-hash"

echo
echo "== 7. recommender: MovieLens 100k, users and films described by features =="
scripts/fetch_data.sh movielens
ml=data/ml-100k-bench
fresh "$ml/meta.json" benchmarks/recommender/movielens.py || python3 benchmarks/recommender/movielens.py >/dev/null
recommender="$out/movielens.glbl"
fresh "$recommender" "$ml/warm/train.tsv" "$glove" || $glove recommend fit --train "$ml/warm/train.tsv" \
  --user-features "$ml/user_identity_side.tsv" --item-features "$ml/item_identity_side.tsv" \
  --lr 0.2 --epochs 15 --threads 1 --output "$recommender"
$glove recommend evaluate --model "$recommender" --user-features "$ml/user_identity_side.tsv" \
  --train "$ml/warm/train.tsv" --test "$ml/warm/test.tsv" -k 10 | tr '\n' ' '
echo
# A new user with no history: a 25-34-year-old female programmer (side features only, rows sum to 1).
feature() { echo $(( $(grep -nx "$1" "$ml/user_identity_side_names.txt" | cut -d: -f1) - 1 )); }
printf '0\t%s\t0.3333\n0\t%s\t0.3333\n0\t%s\t0.3333\n' "$(feature age:25-34)" "$(feature gender:F)" \
  "$(feature occupation:programmer)" > "$out/new_user.tsv"
echo "top 5 films for a new 25-34-year-old female programmer (no history):"
$glove recommend top --model "$recommender" --user-features "$out/new_user.tsv" -k 5 |
  while IFS=$'\t' read -r _ rank item score; do
    printf '  %d. %s (score %.2f)\n' "$rank" "$(awk -F'\t' -v id="$item" '$1 == id {print $3}' "$ml/items.txt")" "$score"
  done
stage "recommender"

echo
echo "== 8. pictures =="
$glove plot loss "$model" -o "$out/loss.svg"
$glove plot words "$model" democracy king music science --neighbors 5 -o "$out/words.svg"
$glove plot precision --model "$recommender" --user-features "$ml/user_identity_side.tsv" \
  --train "$ml/warm/train.tsv" --test "$ml/warm/test.tsv" --max-k 20 -o "$out/precision.svg"
echo "wrote $out/loss.svg, $out/words.svg, $out/precision.svg"
stage "pictures"

echo
echo "== summary =="
printf '%s\n' "${timings[@]}"
printf '%-28s %8s s\n' "total" "$(seconds $(( $(now_ms) - started )))"
echo "model: $model (glove export --format word2vec-bin -o vectors.bin $model for gensim)"
