#!/usr/bin/env python3
"""The driver's memory when glove.spark collects a matrix and trains on it:
resident and peak RSS of the driver process after the session starts, after
the vocabulary and co-occurrences are counted and collected, and after one
`paper` epoch (dim 50, 2 threads).

Usage: GLOVE_LIBRARY=build/lib/libglove.so PYTHONPATH=bindings/python \\
    python3 benchmarks/spark_driver_memory.py CORPUS [auto|driver|executors] [PARTITIONS]
"""
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_bench as sb  # noqa: E402  (the benchmark's session settings)


def resident_mib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS"))


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main():
    import glove
    import glove.spark as gs
    corpus = sys.argv[1]
    merge = sys.argv[2] if len(sys.argv) > 2 else "auto"
    partitions = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    spark, _ = sb.start_session(partitions)
    lines = sb.input_lines(spark.sparkContext, corpus, partitions)
    print(f"session started: RSS {resident_mib()} MiB, peak {peak_mib()} MiB")
    vocab = gs.build_vocabulary(lines, min_count=5, merge=merge)
    cooc = gs.count_cooccurrences(lines, vocab, window=10, merge=merge)
    print(f"collected ({cooc.nnz:,} nonzeros, merge={merge}): RSS {resident_mib()} MiB, peak {peak_mib()} MiB")
    sb.stop_session(spark)
    glove.GloVe(dim=50, objective="paper", threads=2, seed=1).fit(cooc, epochs=1, progress=False)
    print(f"after one paper epoch: RSS {resident_mib()} MiB, peak {peak_mib()} MiB")


if __name__ == "__main__":
    main()
