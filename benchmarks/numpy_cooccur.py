#!/usr/bin/env python3
"""Vectorised numpy co-occurrence counter: the performance baseline for libglove.

Same semantics as Tests/reference/cooccur.py with its defaults (default
tokenizer, harmonic weighting 1/d, OOV tokens dropped before windowing,
symmetric counts, windows never cross lines), but built from numpy array
operations instead of Python loops:

1. Read the corpus, decode UTF-8 (errors="replace"), lowercase, and find the
   tokens with one regular expression whose character class is exactly the
   Unicode letters, marks and numbers present in the text (checked with
   unicodedata, so it agrees with the reference tokenizer). Newlines are
   matched too, as document boundaries.
2. Build the vocabulary (count >= min_count; count descending, then UTF-8
   bytes ascending), map the token stream to an int64 id array plus a
   line-number array, and drop OOV tokens.
3. For each offset d = 1..window (and each chunk of positions, to bound
   memory) pair ids[p] with ids[p + d] where both lie on the same line, pack
   each pair into an int64 key i * V + j, sort the keys and count equal runs;
   weight 1/d. These sorted partial results are merged into a running total
   (np.argsort(kind="stable") + np.add.reduceat). Finally X = F + F^T makes
   the counts symmetric.

Usage:
    python3 benchmarks/numpy_cooccur.py --min-count 5 --window 10 data/gcide.txt
    python3 benchmarks/numpy_cooccur.py ... --out triples.tsv --vocab-out vocab.txt

``--out`` writes sorted ``i j x`` lines (x with repr()), the same format as
the reference CLI, so the two can be compared.
"""

import argparse
import re
import resource
import sys
import time
import unicodedata
from collections import Counter
from itertools import repeat

import numpy as np


def read_tokens(paths):
    """Return the tokens of all files in order, with "\\n" marking each line end.

    The regex character class holds exactly the letters, marks and numbers
    (unicodedata categories L*, M*, N*) that occur in the text; a small class
    of literal characters keeps the regex fast.
    """
    tokens = []
    for path in paths:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace").lower()
        token_chars = sorted(c for c in set(text) if unicodedata.category(c)[0] in "LMN")
        if token_chars:
            pattern = re.compile("[" + re.escape("".join(token_chars)) + "]+|\n")
            tokens.extend(pattern.findall(text))
        else:
            tokens.extend("\n" * text.count("\n"))
        if text and not text.endswith("\n"):
            tokens.append("\n")  # the last line ends at the end of the file
    return tokens


def build_vocab(tokens, min_count):
    """Return ([(word, count)] with count >= min_count, count desc then UTF-8
    bytes asc; total number of tokens)."""
    counts = Counter(tokens)
    counts.pop("\n", None)
    kept = [(w, c) for w, c in counts.items() if c >= min_count]
    kept.sort(key=lambda wc: (-wc[1], wc[0].encode("utf-8")))
    return kept, sum(counts.values())


def id_stream(tokens, vocab):
    """Return (ids, docs): int64 ids of in-vocabulary tokens and their line numbers.

    OOV tokens are dropped here, before any windowing, as in the reference.
    """
    index = {w: i for i, (w, _c) in enumerate(vocab)}
    index["\n"] = -2
    raw = np.fromiter(map(index.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
    docs = np.cumsum(raw == -2)  # a token's line number = newlines seen before it
    keep = raw >= 0
    return raw[keep], docs[keep]


def reduce_pairs(keys, values):
    """Sum values of equal keys; return (sorted unique keys, sums)."""
    if keys.size == 0:
        return keys, values
    order = np.argsort(keys, kind="stable")  # fast on concatenated sorted runs
    keys = keys[order]
    values = values[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.add.reduceat(values, starts)


def count_offset(ids, docs, lo, hi, d, vocab_size):
    """Count the pairs (p, p + d), lo <= p < hi, that lie in one document.

    Returns (sorted unique keys ids[p] * V + ids[p + d], float64 counts).
    """
    end = min(hi, ids.size - d)
    if end <= lo:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    same = docs[lo:end] == docs[lo + d:end + d]
    keys = np.sort(ids[lo:end][same] * vocab_size + ids[lo + d:end + d][same])
    if keys.size == 0:
        return keys, np.empty(0, dtype=np.float64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(starts, keys.size))
    return keys[starts], counts.astype(np.float64)


def cooccur(ids, docs, vocab_size, window, chunk=4_000_000):
    """Return (sorted packed keys i * V + j, float64 sums) of the symmetric
    harmonic co-occurrence matrix.

    First the "forward" matrix F[i, j] = sum of 1/d over pairs p < q = p + d
    with ids (i, j) is accumulated, one offset d and one chunk of positions at
    a time; then X = F + F^T (so a pair with i == j adds twice to X[i, i]).
    """
    fwd_keys = np.empty(0, dtype=np.int64)
    fwd_vals = np.empty(0, dtype=np.float64)
    for lo in range(0, ids.size, chunk):
        hi = min(lo + chunk, ids.size)
        for d in range(1, window + 1):
            keys, counts = count_offset(ids, docs, lo, hi, d, vocab_size)
            fwd_keys, fwd_vals = reduce_pairs(np.concatenate((fwd_keys, keys)),
                                              np.concatenate((fwd_vals, counts * (1.0 / d))))
    rows, cols = np.divmod(fwd_keys, vocab_size)
    return reduce_pairs(np.concatenate((fwd_keys, cols * vocab_size + rows)),
                        np.concatenate((fwd_vals, fwd_vals)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="numpy co-occurrence baseline")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--chunk", type=int, default=4_000_000, help="positions per chunk")
    parser.add_argument("--out", help="write sorted 'i j x' triples here")
    parser.add_argument("--vocab-out", help="write vocab.txt here")
    args = parser.parse_args(argv)

    wall0, cpu0 = time.perf_counter(), time.process_time()
    tokens = read_tokens(args.files)
    vocab, n_tokens = build_vocab(tokens, args.min_count)
    ids, docs = id_stream(tokens, vocab)
    del tokens
    wall1, cpu1 = time.perf_counter(), time.process_time()
    keys, vals = cooccur(ids, docs, len(vocab), args.window, args.chunk)
    wall2, cpu2 = time.perf_counter(), time.process_time()

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"tokens        {n_tokens}")
    print(f"kept tokens   {ids.size}")
    print(f"vocab size    {len(vocab)}")
    print(f"nnz           {keys.size}")
    print(f"sum of x      {vals.sum():.6f}")
    print(f"read+vocab    wall {wall1 - wall0:.2f} s, cpu {cpu1 - cpu0:.2f} s")
    print(f"cooccur       wall {wall2 - wall1:.2f} s, cpu {cpu2 - cpu1:.2f} s")
    print(f"total         wall {wall2 - wall0:.2f} s, cpu {cpu2 - cpu0:.2f} s "
          f"(user {usage.ru_utime:.2f} s, sys {usage.ru_stime:.2f} s)")
    print(f"peak RSS      {usage.ru_maxrss / 1024:.1f} MiB")

    if args.vocab_out:
        with open(args.vocab_out, "w", encoding="utf-8", newline="\n") as f:
            for w, c in vocab:
                f.write(f"{w} {c}\n")
    if args.out:
        rows = (keys // len(vocab)).tolist()
        cols = (keys % len(vocab)).tolist()
        with open(args.out, "w", encoding="ascii", newline="\n") as f:
            for i, j, x in zip(rows, cols, vals.tolist()):
                f.write(f"{i} {j} {x!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
