#!/usr/bin/env bash
# Peer benchmark: the reference Stanford GloVe C tools (vocab_count, cooccur,
# shuffle, glove) run the way their demo.sh runs them, with each step's wall
# time, CPU time (user+sys) and peak RSS measured by GNU time.
#
# The Stanford code is not part of this repository and is never copied into
# it: build it elsewhere and point STANFORD_GLOVE_DIR (or --bin-dir) at the
# directory holding the four binaries.
#
# Usage: benchmarks/peers/stanford_glove.sh [options]
#   --corpus FILE        text corpus, one document per line   (default: data/gcide.txt)
#   --out DIR            work and output directory            (default: /tmp/stanford-run)
#   --bin-dir DIR        Stanford binaries (default: $STANFORD_GLOVE_DIR or
#                        /work/peers/stanford-glove/build-O3)
#   --x-max "A B ..."    one glove run per value               (default: "10 100")
#   --iter N             training iterations                   (default: 15)
#   --threads N          glove threads                         (default: 1)
#   --steps LIST         comma list of vocab,cooccur,shuffle,glove (default: all);
#                        later steps reuse the files earlier runs left in --out
#   --min-count N        vocab_count -min-count                (default: 5)
#   --window N           cooccur -window-size (symmetric)      (default: 10)
#   --memory GB          cooccur/shuffle -memory               (default: 4.0)
#   --vector-size N      glove -vector-size                    (default: 50)
#   --seed N             pass -seed N to shuffle and glove     (default: none, as demo.sh)
#   --vectors-prefix P   vectors are written to OUT/P_xmaxX.{txt,bin} (default: vectors)
#   --tag NAME           names this run's logs and summary (default: the
#                        binaries' directory name, e.g. build-O3)
#
# Outputs in --out: vocab.txt, cooccurrence.bin, cooccurrence.shuf.bin,
# <prefix>_xmax<X>.txt/.bin, and per run TAG.<step>.log (the tool's stderr),
# TAG.<step>.time (GNU time -v) and TAG.summary.tsv (the table printed at the end).
#
# Example, glove only with an -Ofast build, reusing the files of a full run:
#   STANFORD_GLOVE_DIR=/work/peers/stanford-glove/build-Ofast \
#     benchmarks/peers/stanford_glove.sh --steps glove --vectors-prefix vectors_ofast
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
corpus="$top/data/gcide.txt"
out=/tmp/stanford-run
bindir=${STANFORD_GLOVE_DIR:-/work/peers/stanford-glove/build-O3}
xmaxes="10 100"
iter=15
threads=1
steps=vocab,cooccur,shuffle,glove
min_count=5
window=10
memory=4.0
vector_size=50
seed=
prefix=vectors
tag=

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --bin-dir) bindir=$2; shift 2 ;;
    --x-max) xmaxes=$2; shift 2 ;;
    --iter) iter=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --min-count) min_count=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --vector-size) vector_size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --vectors-prefix) prefix=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "stanford_glove: unknown option $1" >&2; usage 2 >&2 ;;
  esac
done

die() { echo "stanford_glove: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is missing: apt-get install -y time"
for b in vocab_count cooccur shuffle glove; do
  [ -x "$bindir/$b" ] || die "no executable $bindir/$b (set STANFORD_GLOVE_DIR or --bin-dir)"
done
want() { case ",$steps," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for s in ${steps//,/ }; do
  case "$s" in vocab|cooccur|shuffle|glove) ;; *) die "unknown step '$s' in --steps" ;; esac
done
if want vocab || want cooccur; then [ -r "$corpus" ] || die "cannot read corpus $corpus"; fi
mkdir -p "$out"
corpus=$(cd "$(dirname "$corpus")" && pwd)/$(basename "$corpus")
bindir=$(cd "$bindir" && pwd)
tag=${tag:-$(basename "$bindir")}
seed_args=()
[ -n "$seed" ] && seed_args=(-seed "$seed")

vocab=$out/vocab.txt
cooc=$out/cooccurrence.bin
shuf=$out/cooccurrence.shuf.bin
summary=$out/$tag.summary.tsv
printf 'step\twall_s\tuser_s\tsys_s\tcpu_s\tpeak_rss_mib\n' > "$summary"

# run NAME STDIN STDOUT CMD...: runs CMD in $out under GNU time, stdin and
# stdout redirected, stderr to TAG.NAME.log; appends a row to the summary.
run() {
  local name=$1 in=$2 outfile=$3; shift 3
  local tf="$out/$tag.$name.time" log="$out/$tag.$name.log" t0 t1 rc=0
  echo "== $name: $*" >&2
  t0=$EPOCHREALTIME
  (cd "$out" && /usr/bin/time -v -o "$tf" "$@" < "$in" > "$outfile" 2> "$log") || rc=$?
  t1=$EPOCHREALTIME
  if [ "$rc" -ne 0 ]; then
    tail -n 5 "$log" >&2
    die "$name failed with status $rc (log: $log)"
  fi
  awk -v name="$name" -v t0="$t0" -v t1="$t1" -F': ' '
    /User time \(seconds\)/ { u = $2 }
    /System time \(seconds\)/ { s = $2 }
    /Maximum resident set size \(kbytes\)/ { r = $2 }
    END { printf "%s\t%.3f\t%.2f\t%.2f\t%.2f\t%.1f\n", name, t1 - t0, u, s, u + s, r / 1024 }
  ' "$tf" >> "$summary"
}

if want vocab; then
  run vocab_count "$corpus" "$vocab" \
    "$bindir/vocab_count" -min-count "$min_count" -verbose 2
fi
if want cooccur; then
  run cooccur "$corpus" "$cooc" \
    "$bindir/cooccur" -memory "$memory" -vocab-file "$vocab" -verbose 2 -window-size "$window"
fi
if want shuffle; then
  run shuffle "$cooc" "$shuf" \
    "$bindir/shuffle" -memory "$memory" -verbose 2 "${seed_args[@]}"
fi
if want glove; then
  [ -r "$shuf" ] || die "no $shuf: run the shuffle step first"
  for x in $xmaxes; do
    run "glove_xmax$x" /dev/null /dev/null \
      "$bindir/glove" -save-file "$out/${prefix}_xmax$x" -threads "$threads" \
      -input-file "$shuf" -x-max "$x" -iter "$iter" -vector-size "$vector_size" \
      -binary 2 -vocab-file "$vocab" -verbose 2 "${seed_args[@]}"
  done
fi

# ---- summary ----
words=NA records=NA
[ -r "$vocab" ] && words=$(wc -l < "$vocab")
if [ -r "$cooc" ]; then records=$(( $(stat -c %s "$cooc") / 16 ))
elif [ -r "$shuf" ]; then records=$(( $(stat -c %s "$shuf") / 16 )); fi

echo
echo "Stanford GloVe peer run ($tag)"
echo "  binaries : $bindir"
echo "  corpus   : $corpus ($( [ -r "$corpus" ] && stat -c %s "$corpus" || echo '?') bytes)"
echo "  settings : min-count $min_count, window $window (symmetric), memory $memory GB," \
     "vector-size $vector_size, iter $iter, threads $threads, x-max {$xmaxes}"
echo
awk -F'\t' 'NR == 1 { printf "%-16s %9s %9s %9s %9s %12s\n", "step", "wall s", "user s", "sys s", "CPU s", "peak RSS MiB"; next }
            { printf "%-16s %9.3f %9.2f %9.2f %9.2f %12.1f\n", $1, $2, $3, $4, $5, $6 }' "$summary"
echo
echo "vocabulary words (min-count $min_count): $words"
echo "co-occurrence records (file size / 16): $records"
if want glove && [ "$records" != NA ]; then
  awk -F'\t' -v rec="$records" -v it="$iter" '
    $1 ~ /^glove_xmax/ {
      x = substr($1, 11)
      printf "glove x-max %-5s: %.3f M records x iter / CPU-s   (%.3f M / wall-s)\n", x, rec * it / $5 / 1e6, rec * it / $2 / 1e6
    }' "$summary"
  for x in $xmaxes; do echo "vectors (x-max $x): $out/${prefix}_xmax$x.txt"; done
fi
