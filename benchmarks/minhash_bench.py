#!/usr/bin/env python3
"""Min-hash speed: libglove (C batch call, glove.minhash on Python strings)
against the fastest pure-Python versions, side by side in one run.

Words: the distinct lowercased tokens of data/gcide.txt (scripts/fetch_data.sh gcide).

Usage: python3 benchmarks/minhash_bench.py [--library build/lib/libglove.so] [--corpus data/gcide.txt]
"""
import argparse
import binascii
import ctypes
import os
import re
import sys
import time
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def vocabulary(path):
    words = set()
    token = re.compile(r"[^\W_]+")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            words.update(token.findall(line.lower()))
    return sorted(words)


def python_loop(words):
    """Per-word loop with binascii.crc32 (the reference pipeline's formula)."""
    out = []
    for w in words:
        b = w.encode()
        n = len(w)
        if n <= 4:
            out.append(binascii.crc32(b) & 0xFFFF)
        else:
            out.append(min(binascii.crc32(b[i:i + 4]) & 0xFFFF for i in range(min(10, n) - 4)))
    return np.array(out, dtype=np.uint32)


def python_numpy_batched(words):
    """All windows' crc32 in one comprehension, minima by np.minimum.reduceat."""
    encoded = [w.encode() for w in words]
    counts = [len(w) for w in words]
    windows = []
    starts = np.empty(len(words), dtype=np.int64)
    crc = zlib.crc32
    for k, (b, n) in enumerate(zip(encoded, counts)):
        starts[k] = len(windows)
        if n <= 4:
            windows.append(crc(b))
        else:
            windows.extend([crc(b[i:i + 4]) for i in range(min(10, n) - 4)])
    values = np.array(windows, dtype=np.uint32) & 0xFFFF
    return np.minimum.reduceat(values, starts)


def best_of(fn, repeat):
    """Best (wall, cpu) seconds of `repeat` runs, and the last result."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", default=os.path.join(HERE, "..", "build", "lib", "libglove.so"))
    parser.add_argument("--corpus", default=os.path.join(HERE, "..", "data", "gcide.txt"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["GLOVE_LIBRARY"] = os.path.abspath(args.library)
    sys.path.insert(0, os.path.join(HERE, "..", "bindings", "python"))
    import glove
    from glove import _lib

    words = vocabulary(args.corpus)
    n = len(words)
    print(f"{n:,} distinct words from {args.corpus}; best of {args.repeat} runs, one thread\n")

    # C batch: one call over the '\n'-joined vocabulary, repeated to fill ~0.2 s.
    data = "\n".join(words).encode()
    out = np.empty(n, dtype=np.uint32)
    written = ctypes.c_size_t()
    rounds = 20
    rows = []
    for scheme, kwargs in (("compat", {}), ("full", {"scheme": "full", "buckets": 2_000_000})):
        mh = glove.MinHash(**kwargs)

        def c_batch():
            for _ in range(rounds):
                _lib.glove_minhash_buckets_delimited(mh._handle, data, len(data), b"\n",
                                                     out.ctypes.data_as(ctypes.POINTER(ctypes.c_uint32)),
                                                     n, ctypes.byref(written))
            return out.copy()

        wall, cpu, _ = best_of(c_batch, args.repeat)
        rows.append((f"C batch call, {scheme}", n * rounds, wall, cpu))
        wall, cpu, _ = best_of(lambda: mh.buckets(words), args.repeat)
        rows.append((f"glove.minhash(list of str), {scheme}", n, wall, cpu))

    reference = python_loop(words)
    assert np.array_equal(glove.minhash(words), reference), "libglove disagrees with the Python reference"
    assert np.array_equal(python_numpy_batched(words), reference)
    for name, fn in (("pure Python loop (binascii.crc32)", python_loop),
                     ("pure Python, numpy-batched crc32", python_numpy_batched)):
        wall, cpu, _ = best_of(lambda: fn(words), max(1, args.repeat // 2))
        rows.append((name, n, wall, cpu))

    fastest_python = min(r[3] / r[1] for r in rows if r[0].startswith("pure"))
    print(f"{'method':42} {'words/CPU-s':>14} {'ns/word':>9} {'wall s':>8} {'CPU s':>8} {'vs fastest Python':>18}")
    for name, count, wall, cpu in rows:
        per_word = cpu / count
        print(f"{name:42} {count / cpu:14,.0f} {per_word * 1e9:9.1f} {wall:8.3f} {cpu:8.3f} "
              f"{fastest_python / per_word:17.1f}x")


if __name__ == "__main__":
    main()
