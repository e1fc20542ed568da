#!/usr/bin/env bash
# Fuzz libglove's input parsers with libFuzzer for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (make fuzz FUZZ_SECONDS=60)
#
# Builds .build-fuzz/glove-fuzz from Sources/GloVe and Tests/fuzz/Targets.swift
# in one swiftc invocation with -sanitize=fuzzer,address (rebuilt only when a
# source, the flags or the compiler changed), then for each target (default:
# all of them):
#   1. replays every file in Tests/fuzz/regressions/<target>/ (each must pass);
#   2. fuzzes for SECONDS seconds (default 30) from a temporary COPY of
#      Tests/fuzz/corpus/<target>/, so the checked-in corpus never grows.
# SECONDS = 0 builds and replays the regressions only.
#
# A crash, sanitizer report, timeout (-timeout, seconds per input) or
# allocation over -rss_limit_mb fails the target; its input is kept in
# .build-fuzz/artifacts/<target>/ and the end of libFuzzer's log is printed.
# Reproduce with:  GLOVE_FUZZ_TARGET=<target> .build-fuzz/glove-fuzz <input>
# Exit status: non-zero if any target failed.
#
# Environment: SWIFTC (default: swiftc on PATH), FUZZ_BUILD (default .build-fuzz),
# FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10), FUZZ_ARGS (extra libFuzzer flags, e.g.
# "-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1" to keep going
# after a crash in long local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
# The Swift runtime's own crash handler reads other threads' stacks, which ASan
# reports as a second error that hides the first; let libFuzzer and ASan print
# the stack instead (it names "Swift runtime failure: ..." for traps).
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}

ALL_TARGETS=(model vectors_text cooc_stanford cooc_native vocab tokenizer minhash
             bilinear features interactions checkpoint gzip bzip2)

SECONDS_PER_TARGET=${1:-30}
[[ $# -gt 0 ]] && shift
if [[ $# -gt 0 ]]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
if ! [[ $SECONDS_PER_TARGET =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
fi

SWIFTC=${SWIFTC:-swiftc}
OUT=${FUZZ_BUILD:-.build-fuzz}
BIN=$OUT/glove-fuzz
RSS_MB=${FUZZ_RSS_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}
# Same language mode as Package.swift (tools 6.0); -O keeps bounds and overflow
# checks, so traps are found as the release library would hit them.
FLAGS=(-swift-version 6 -parse-as-library -module-name GloVeFuzz -O -wmo -g -sanitize=fuzzer,address)

# --- build (only when something changed) ---
mapfile -t SOURCES < <(find Sources/GloVe -name '*.swift' | LC_ALL=C sort)
SOURCES+=(Tests/fuzz/Targets.swift Tests/fuzz/CheckpointTrainers.swift)
stamp=$({ "$SWIFTC" --version 2>&1; printf '%s\n' "${FLAGS[@]}"
          for f in "${SOURCES[@]}"; do echo "== $f"; cat "$f"; done; } | sha256sum | cut -d' ' -f1)
if [[ ! -x $BIN || "$(cat "$BIN.stamp" 2>/dev/null)" != "$stamp" ]]; then
    echo "fuzz: building $BIN (${#SOURCES[@]} files)"
    mkdir -p "$OUT"
    # Compile in a private folder (the driver may leave module files in the
    # current directory), then move the binary into place atomically.
    build=$(mktemp -d "$(cd "$OUT" && pwd)/build.XXXXXX")
    root=$PWD
    if ! (cd "$build" && TMPDIR=$build "$SWIFTC" "${FLAGS[@]}" "${SOURCES[@]/#/$root/}" -o "$build/glove-fuzz") \
            >"$OUT/build.log" 2>&1; then
        cat "$OUT/build.log" >&2
        rm -rf "$build"
        echo "fuzz: build failed (libFuzzer comes with the Swift toolchain as" \
             "lib/clang/*/lib/linux/libclang_rt.fuzzer-$(uname -m).a; is it there?)" >&2
        exit 1
    fi
    # gold warns about ASan's local symbols; everything else is worth seeing.
    grep -v "Cannot export local symbol" "$OUT/build.log" >&2 || true
    mv "$build/glove-fuzz" "$BIN"
    rm -rf "$build"
    echo "$stamp" >"$BIN.stamp"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/glove-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
report_failure() {  # target, log, artifacts dir
    local t=$1 log=$2 artifacts=$3 first
    echo "fuzz: $t FAILED; the report:"
    # From the first error line (libFuzzer/ASan "ERROR:", Swift "Fatal error"), else the end.
    first=$(grep -n -m 1 -E 'ERROR:|Fatal error|runtime failure' "$log" | cut -d: -f1 || true)
    if [[ -n $first ]]; then
        tail -n +"$first" "$log" | grep -v -E '^#[0-9]|^ *0x[0-9a-f]+: |Shadow|^  [A-Z][a-z]' | head -n 60 | sed 's/^/    /'
    else
        grep -v '^#[0-9]' "$log" | tail -n 40 | sed 's/^/    /'
    fi
    if compgen -G "$artifacts/*" >/dev/null; then
        mkdir -p "$OUT/artifacts/$t"
        cp "$artifacts"/* "$OUT/artifacts/$t/"
        echo "fuzz: $t: input(s) kept in $OUT/artifacts/$t/: $(cd "$artifacts" && ls | tr '\n' ' ')"
    fi
}

for t in "${TARGETS[@]}"; do
    if [[ ! " ${ALL_TARGETS[*]} " == *" $t "* ]]; then
        echo "fuzz: unknown target $t (known: ${ALL_TARGETS[*]})" >&2
        exit 2
    fi
    dir=$work/$t
    mkdir -p "$dir/corpus" "$dir/artifacts"
    common=(-rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" -artifact_prefix="$dir/artifacts/")
    ok=1

    # 1. Regressions: every saved crash input must now pass (fuzzing goes on either way).
    mapfile -t regressions < <(find "Tests/fuzz/regressions/$t" -type f 2>/dev/null | LC_ALL=C sort)
    if [[ ${#regressions[@]} -gt 0 ]]; then
        for input in "${regressions[@]}"; do
            if ! TMPDIR=$dir GLOVE_FUZZ_TARGET=$t "$BIN" "${common[@]}" "$input" >"$dir/replay.log" 2>&1; then
                echo "fuzz: $t: regression input $input still crashes"
                report_failure "$t" "$dir/replay.log" "$dir/artifacts"
                ok=0
            fi
        done
    fi
    if [[ $SECONDS_PER_TARGET -eq 0 ]]; then
        echo "fuzz: $t: ${#regressions[@]} regression input(s) replayed"
    else
        # 2. Fuzz from a copy of the seed corpus.
        if [[ -d Tests/fuzz/corpus/$t ]]; then cp Tests/fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true; fi
        seeds=$(find "$dir/corpus" -type f | wc -l)
        started=$SECONDS
        # shellcheck disable=SC2086
        if ! TMPDIR=$dir GLOVE_FUZZ_TARGET=$t "$BIN" "${common[@]}" -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 \
                -use_value_profile=1 -print_final_stats=1 ${FUZZ_ARGS:-} "$dir/corpus" >"$dir/fuzz.log" 2>&1; then
            fuzz_ok=0
        else
            fuzz_ok=1
        fi
        # Fork mode (FUZZ_ARGS=-fork=...) with -ignore_* exits 0 but still leaves its findings.
        compgen -G "$dir/artifacts/*" >/dev/null && fuzz_ok=0
        elapsed=$((SECONDS - started))
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
        [[ -z $execs ]] && execs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$dir/fuzz.log" | tail -n 1)
        [[ -z $execs ]] && execs=$(grep -o '^#[0-9]*' "$dir/fuzz.log" | tail -n 1 | tr -d '#')
        corpus=$(find "$dir/corpus" -type f | wc -l)
        echo "fuzz: $t: ${execs:-?} executions in $elapsed s, corpus $seeds -> $corpus inputs," \
             "${#regressions[@]} regression input(s) replayed"
        if [[ $fuzz_ok -eq 0 ]]; then
            report_failure "$t" "$dir/fuzz.log" "$dir/artifacts"
            ok=0
        fi
    fi
    if [[ $ok -eq 1 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
