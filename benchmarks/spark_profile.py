#!/usr/bin/env python3
"""Where glove.spark's CPU goes: each phase (vocabulary, co-occurrences) run
twice in one local[2] session, with the CPU seconds of every process of the
tree (driver, JVM, Python workers) read from /proc before and after.

Usage: PYTHONPATH=bindings/python python3 benchmarks/spark_profile.py CORPUS [PARTITIONS]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spark_bench as sb  # noqa: E402  (session settings and the CPU meter of the benchmark)


def processes(jvm):
    """{pid: (command, own CPU ticks, reaped children's CPU ticks)} of this
    process, the JVM and the JVM's descendants."""
    procs = sb.process_table()
    out = {}
    for pid in [os.getpid()] + sb.tree(procs, jvm):
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                command = f.read()[:60].replace("\0", " ")
        except OSError:
            command = "?"
        out[pid] = (command,) + procs[pid][1:]
    return out


def main():
    import glove.spark as gs
    corpus = sys.argv[1]
    partitions = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    spark, _ = sb.start_session(partitions)
    jvm = spark.sparkContext._gateway.proc.pid
    meter = sb.Meter(jvm)
    lines = sb.input_lines(spark.sparkContext, corpus, partitions)
    vocab = None
    for phase in ("vocabulary", "co-occurrences", "co-occurrences", "vocabulary"):
        before = processes(jvm)
        if phase == "vocabulary":
            vocab, total = meter.measure(lambda: gs.build_vocabulary(lines, min_count=5))
        else:
            _, total = meter.measure(lambda: gs.count_cooccurrences(lines, vocab, window=10))
        print(f"{phase}: {total['cpu']:.2f} CPU-s, {total['wall']:.2f} s wall")
        for pid, (command, own, children) in processes(jvm).items():
            _, own0, children0 = before.get(pid, (command, 0, 0))
            if own - own0 + children - children0 > 0:
                print(f"    {pid:>7} {command[:50]:50} {(own - own0) / sb.CLOCK_TICKS:6.2f} CPU-s"
                      f" (+{(children - children0) / sb.CLOCK_TICKS:.2f} reaped children)")
    sb.stop_session(spark)


if __name__ == "__main__":
    main()
