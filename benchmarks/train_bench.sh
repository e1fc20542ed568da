#!/usr/bin/env bash
# Training throughput on the gcide co-occurrence matrix (dim 50), side by
# side in one run: libglove paper+AdaGrad (Stanford's algorithm) at 1 and 2
# threads, libglove seed+Adam at batch 65,536 and 1,024, Stanford GloVe's
# glove at 1 thread (builds in STANFORD_GLOVE_DIRS, e.g. "-O3 build" "-Ofast build"),
# and, when jax, flax and optax are installed, the JAX reference of the seed
# objective (benchmarks/peers/jax_seed.py) at batch 65,536 and 1,024 on 1 and 2 cores.
# The `--stream` rows train from the file without holding the entries in
# memory; their peak RSS is compared with the parameters and optimizer state,
# both through the CLI and through a C program that links libglove alone
# (benchmarks/train_memory.c, built with cc when one is installed).
# Entries per CPU-second = entries per epoch x epochs / (user + sys) of the
# whole command for libglove and Stanford (loading and saving included); of
# the training loop alone for JAX (loading and compilation excluded).
#
# Usage: benchmarks/train_bench.sh [CORPUS] [EPOCHS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$top/data/gcide.txt}
epochs=${2:-2}
glove=$top/build/bin/glove
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$glove" vocab --quiet --min-count 5 -o "$out/vocab.txt" "$corpus"
"$glove" cooccur --quiet --vocab "$out/vocab.txt" --format native -o "$out/cooc.glc" "$corpus"
"$glove" cooccur --quiet --vocab "$out/vocab.txt" -o "$out/cooc.bin" "$corpus"
full=$(( $(stat -c %s "$out/cooc.bin") / 16 ))
diagonal=$(python3 -c "
import struct, sys
print(sum(1 for i, j, x in struct.iter_unpack('<iid', open(sys.argv[1], 'rb').read()) if i == j))" "$out/cooc.bin")
unordered=$(( (full + diagonal) / 2 ))
echo "corpus: $corpus; entries: $full directed, $unordered unordered; epochs: $epochs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 -c "
import sys
rows, stride = sum(1 for _ in open(sys.argv[1])), 56  # dim 50 padded to whole SIMD8 chunks
table, column = rows * stride * 4, rows * 4
paper = 2 * (2 * table + 2 * column)  # W, W~ and their AdaGrad sums, with biases
seed = 3 * table + 4 * column  # x, Adam m and v; bias, its m and v; step counts
print(f'parameters and optimizer state: paper+AdaGrad {paper / 2**20:.1f} MiB, seed+Adam {seed / 2**20:.1f} MiB ({rows} rows)')
" "$out/vocab.txt"
printf '%-48s %8s %8s %14s %8s\n' "trainer" "wall s" "CPU s" "entries/CPU-s" "RSS MiB"

measure() {  # measure LABEL ENTRIES_PER_EPOCH COMMAND...
  local label=$1 entries=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" > /dev/null 2> "$out/err" || { cat "$out/err"; exit 1; }
  read -r wall user sys rss < "$out/time"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$entries" -v e="$epochs" \
    'BEGIN { printf "%-48s %8.2f %8.2f %14.0f %8d\n", l, w, u + s, n * e / (u + s), r / 1024 }'
}

base=("$glove" train --quiet --vocab "$out/vocab.txt" --cooc "$out/cooc.glc" --dim 50 -o "$out/m.glove")
train=("${base[@]}" --epochs "$epochs")
# 0 epochs: loading, preparing the entries and saving; subtract for the training loop alone.
measure "libglove paper, 0 epochs (load, save)" 0 "${base[@]}" --epochs 0 --objective paper --x-max 10 --threads 1
measure "libglove seed, 0 epochs (load, save)" 0 "${base[@]}" --epochs 0 --objective seed --threads 1
measure "libglove paper+AdaGrad, 1 thread" "$full" "${train[@]}" --objective paper --x-max 10 --threads 1
measure "libglove paper+AdaGrad, 2 threads" "$full" "${train[@]}" --objective paper --x-max 10 --threads 2
measure "libglove seed+Adam batch 65536, 1 thread" "$unordered" "${train[@]}" --objective seed --threads 1
measure "libglove seed+Adam batch 1024, 1 thread" "$unordered" "${train[@]}" --objective seed --batch-size 1024 --threads 1
measure "libglove seed+Adam batch 65536, 2 threads" "$unordered" "${train[@]}" --objective seed --threads 2
stream=("${train[@]}" --stream --temp-dir "$out")
measure "libglove paper --stream, 0 epochs (shuffle, save)" 0 "${base[@]}" --epochs 0 --objective paper --x-max 10 --threads 1 --stream --temp-dir "$out"
measure "libglove paper+AdaGrad --stream, 1 thread" "$full" "${stream[@]}" --objective paper --x-max 10 --threads 1
measure "libglove paper+AdaGrad --stream, 2 threads" "$full" "${stream[@]}" --objective paper --x-max 10 --threads 2
measure "libglove seed+Adam 65536 --stream, 1 thread" "$unordered" "${stream[@]}" --objective seed --threads 1
measure "libglove seed+Adam 65536 --stream, 2 threads" "$unordered" "${stream[@]}" --objective seed --threads 2
# The same streamed training from a C program linked against libglove alone
# (benchmarks/train_memory.c): the library's memory without the CLI's.
if cc -O2 -I"$top/include" "$top/benchmarks/train_memory.c" -L"$top/build/lib" -lglove -Wl,-rpath,"$top/build/lib" \
    -o "$out/train_memory" 2> "$out/err"; then
  for threads in 1 2; do
    for objective in paper seed; do
      measure "C program, $objective --stream, $threads thread(s)" \
        "$([ $objective = paper ] && echo "$full" || echo "$unordered")" \
        "$out/train_memory" "$out/vocab.txt" "$out/cooc.glc" $objective $threads "$epochs" 16 "$out"
    done
  done
else
  echo "benchmarks/train_memory.c did not build (no C compiler, or no build/lib/libglove.so): its rows are skipped"
  cat "$out/err"
fi
for dir in ${STANFORD_GLOVE_DIRS:-}; do
  [ -x "$dir/glove" ] || continue
  "$dir/shuffle" -memory 4.0 -verbose 0 < "$out/cooc.bin" > "$out/shuf.bin" 2>/dev/null
  measure "Stanford glove ($(basename "$dir")), 1 thread" "$full" "$dir/glove" -save-file "$out/s" -threads 1 \
    -input-file "$out/shuf.bin" -x-max 10 -iter "$epochs" -vector-size 50 -binary 0 -vocab-file "$out/vocab.txt" -verbose 0
done

if python3 -c "import jax, flax, optax" 2> /dev/null; then
  jax() {  # jax LABEL ARGS...: the training loop's wall, CPU and pairs per CPU-second, and the process's peak RSS
    local label=$1
    shift
    /usr/bin/time -f "%M" -o "$out/time" python3 "$top/benchmarks/peers/jax_seed.py" --cooc "$out/cooc.bin" \
      --vocab "$out/vocab.txt" --dim 50 "$@" > "$out/jax.log" 2> "$out/err" || { cat "$out/err"; exit 1; }
    tail -n 1 "$out/jax.log" | python3 -c "
import json, sys
r = json.load(sys.stdin)
print('%-48s %8.2f %8.2f %14.0f %8d' % (sys.argv[1], r['train_wall_seconds'], r['train_cpu_seconds'],
      r['pairs_per_cpu_second'], int(open(sys.argv[2]).read().split()[-1]) / 1024))" "$label" "$out/time"
  }
  jax "JAX seed+Adam batch 65536, 1 core" --threads 1 --batch-size 65536 --epochs "$epochs"
  jax "JAX seed+Adam batch 65536, 2 cores" --threads 2 --batch-size 65536 --epochs "$epochs"
  # One whole epoch: every epoch starts with a shuffle of all the pairs, which
  # a run cut short after a few hundred steps would charge to those steps alone.
  jax "JAX seed+Adam batch 1024, 1 core" --threads 1 --batch-size 1024 --epochs 1
  jax "JAX seed+Adam batch 1024, 2 cores" --threads 2 --batch-size 1024 --epochs 1
fi
