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
    out, parents = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            with open(f"/proc/{name}/cmdline") as f:
                command = f.read()[:60].replace("\0", " ")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(name)] = int(fields[1])
        out[int(name)] = (command, int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]))

    def in_tree(pid):
        while pid > 1:
            if pid == jvm:
                return True
            pid = parents.get(pid, 0)
        return False
    return {pid: v for pid, v in out.items() if pid == os.getpid() or in_tree(pid)}


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
