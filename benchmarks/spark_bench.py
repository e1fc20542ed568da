#!/usr/bin/env python3
"""Vocabulary + co-occurrence counting on Spark (local[2]): glove.spark
(libglove inside the executors) against a pure-PySpark counter written the way
the reference pipeline did it (benchmarks/peers/pyspark_counter.py) and
against libglove on one machine (glove.Vocabulary.build +
glove.Cooccurrence.from_files). Min count 5, window 10, harmonic, oov drop.

Usage:
    GLOVE_LIBRARY=build/lib/libglove.so PYTHONPATH=bindings/python \\
        python3 benchmarks/spark_bench.py [--corpus data/gcide.txt --corpus data/wiki.txt] [--partitions 2 8]

Each contender runs in a fresh child process (its own SparkSession). What is
measured, per phase (vocabulary, co-occurrences; the matrix ends on the driver:
a glove.Cooccurrence for glove.spark, numpy arrays for the pure counter):

* wall: seconds of the phase; the session start and a warm-up job (which
  starts the Python worker daemon) are excluded.
* CPU: user + sys seconds of the whole process tree during the phase: the
  driver (getrusage RUSAGE_SELF) plus the JVM and every Python worker,
  sampled from /proc/<pid>/stat (utime + stime + cutime + cstime of the JVM
  and all its live descendants, so workers that exit are counted through
  their parent) before and after the phase.
* ``rusage_children_cpu`` (JSON only): getrusage(RUSAGE_CHILDREN) of the
  child process after it exits. Not printed: it misses most of the Python
  workers' CPU (their daemon is not waited for when the JVM shuts down).

The glove.spark child also checks its result against one machine (same
vocabulary; same entries, largest relative difference of values) and reports
the shuffle: upper-triangle entries emitted by the map side against the
merged ones.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def self_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def process_table():
    """{pid: (parent pid, own CPU ticks, reaped children's CPU ticks)} of every process, from /proc."""
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        procs[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]))
    return procs


def tree(procs, root):
    """``root`` and its live descendants in a process table."""
    children = defaultdict(list)
    for pid, (ppid, _, _) in procs.items():
        children[ppid].append(pid)
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in procs:
            found.append(pid)
            stack.extend(children[pid])
    return found


def tree_cpu(root):
    """CPU seconds of process ``root`` and its live descendants, reaped children included."""
    procs = process_table()
    return sum(procs[pid][1] + procs[pid][2] for pid in tree(procs, root)) / CLOCK_TICKS


class Meter:
    """Wall and process-tree CPU of a phase."""

    def __init__(self, jvm_pid=None):
        self.jvm_pid = jvm_pid

    def sample(self):
        return time.perf_counter(), self_cpu() + (tree_cpu(self.jvm_pid) if self.jvm_pid else 0.0)

    def measure(self, fn):
        w0, c0 = self.sample()
        result = fn()
        w1, c1 = self.sample()
        return result, {"wall": w1 - w0, "cpu": c1 - c0}


def start_session(partitions):
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession
    t0 = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("glove-spark-bench")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", str(partitions))
             .config("spark.driver.memory", "4g").config("spark.driver.maxResultSize", "2g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    sc.parallelize(range(1000), partitions).map(lambda v: (v % 7, 1)).reduceByKey(lambda a, b: a + b).count()
    return spark, time.perf_counter() - t0


def stop_session(spark):
    from pyspark import SparkContext
    gateway = SparkContext._gateway
    spark.stop()
    proc = getattr(gateway, "proc", None)
    gateway.shutdown()
    if proc is not None:  # the JVM exits when its stdin closes; wait so RUSAGE_CHILDREN counts it
        proc.stdin.close()
        proc.wait(timeout=120)


def input_lines(sc, corpus, partitions):
    lines = sc.textFile(corpus, partitions)
    return lines.coalesce(partitions) if lines.getNumPartitions() > partitions else lines


def run_single(args):
    import glove
    meter = Meter()
    out = {"contender": f"one machine, {args.threads} thread(s)"}
    vocab, out["vocab"] = meter.measure(lambda: glove.Vocabulary.build(args.corpus, min_count=args.min_count,
                                                                       threads=args.threads))
    cooc, out["cooc"] = meter.measure(lambda: glove.Cooccurrence.from_files(args.corpus, vocab, window=args.window,
                                                                            threads=args.threads))
    out.update(words=len(vocab), nnz=cooc.nnz)
    return out


def run_glove_spark(args):
    import numpy as np

    import glove
    import glove.spark as gs
    spark, start = start_session(args.partitions)
    sc = spark.sparkContext
    meter = Meter(sc._gateway.proc.pid)
    out = {"contender": f"glove.spark (libglove in executors, merge={args.merge})", "session_start": start}
    lines = input_lines(sc, args.corpus, args.partitions)
    out["input_partitions"] = lines.getNumPartitions()
    vocab, out["vocab"] = meter.measure(lambda: gs.build_vocabulary(lines, min_count=args.min_count, merge=args.merge))
    stats = {}
    cooc, out["cooc"] = meter.measure(lambda: gs.count_cooccurrences(lines, vocab, window=args.window, stats=stats,
                                                                     merge=args.merge))
    out.update(words=len(vocab), nnz=cooc.nnz, map_entries=stats["map_entries"], entries=stats["entries"])
    if args.parquet:
        path = os.path.join(args.scratch, f"cooc-{args.partitions}.parquet")
        _, out["parquet"] = meter.measure(lambda: gs.count_cooccurrences(
            lines, vocab, window=args.window, output=path, collect=False, parquet_mode="overwrite"))
        out["parquet_bytes"] = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    stop_session(spark)
    # Check against one machine (not timed).
    single_vocab = glove.Vocabulary.build(args.corpus, min_count=args.min_count, threads=2)
    out["same_vocab"] = single_vocab.words == vocab.words and single_vocab.counts.tolist() == vocab.counts.tolist()
    single = glove.Cooccurrence.from_files(args.corpus, single_vocab, window=args.window, threads=2)
    a, b = cooc.to_numpy(), single.to_numpy()
    oa, ob = np.lexsort((a[1], a[0])), np.lexsort((b[1], b[0]))
    same_keys = len(oa) == len(ob) and np.array_equal(a[0][oa], b[0][ob]) and np.array_equal(a[1][oa], b[1][ob])
    out["same_entries"] = bool(same_keys)
    out["max_rel_diff"] = float(np.max(np.abs(a[2][oa] - b[2][ob]) / np.abs(b[2][ob]))) if same_keys else None
    return out


def run_pyspark(args):
    import numpy as np
    spark, start = start_session(args.partitions)
    sc = spark.sparkContext
    sc.addPyFile(os.path.join(HERE, "peers", "pyspark_counter.py"))
    import pyspark_counter as pc
    meter = Meter(sc._gateway.proc.pid)
    out = {"contender": "pure PySpark (dicts in mapPartitions, reduceByKey)", "session_start": start}
    lines = input_lines(sc, args.corpus, args.partitions)
    out["input_partitions"] = lines.getNumPartitions()
    vocab, out["vocab"] = meter.measure(lambda: pc.build_vocabulary(lines, min_count=args.min_count))

    def cooccurrences():
        pairs = pc.count_cooccurrences(lines, vocab, window=args.window).collect()
        i = np.fromiter((k[0] for k, _ in pairs), dtype=np.uint32, count=len(pairs))
        j = np.fromiter((k[1] for k, _ in pairs), dtype=np.uint32, count=len(pairs))
        x = np.fromiter((v for _, v in pairs), dtype=np.float64, count=len(pairs))
        return i, j, x
    (i, j, x), out["cooc"] = meter.measure(cooccurrences)
    out.update(words=len(vocab), nnz=int(2 * len(i) - np.count_nonzero(i == j)))
    stop_session(spark)
    return out


def child(args):
    if args.scratch:
        os.makedirs(args.scratch, exist_ok=True)
    run = {"single": run_single, "glove-spark": run_glove_spark, "pyspark": run_pyspark}[args.run]
    out = run(args)
    out.update(corpus=args.corpus, partitions=args.partitions if args.run != "single" else None)
    print("RESULT " + json.dumps(out), flush=True)


def spawn(argv):
    """Runs a child; returns its result (plus its RUSAGE_CHILDREN CPU delta)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, os.path.abspath(__file__)] + argv, stdout=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"child {argv} failed with status {proc.returncode}")
    line = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")][-1]
    out = json.loads(line[len("RESULT "):])
    out["rusage_children_cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return out


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def table(results):
    rows = ["| corpus | contender | partitions | vocab wall s | vocab CPU s | cooc wall s | cooc CPU s | "
            "total wall s | total CPU s |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        wall = r["vocab"]["wall"] + r["cooc"]["wall"]
        cpu = r["vocab"]["cpu"] + r["cooc"]["cpu"]
        rows.append(f"| {os.path.basename(r['corpus'])} | {r['contender']} | {r['partitions'] or '-'} | "
                    f"{r['vocab']['wall']:.2f} | {r['vocab']['cpu']:.2f} | {r['cooc']['wall']:.2f} | "
                    f"{r['cooc']['cpu']:.2f} | {wall:.2f} | {cpu:.2f} |")
    return "\n".join(rows)


def ratios(results):
    lines = []
    by = {(r["corpus"], r["contender"][:5], r["partitions"]): r for r in results}
    for r in results:
        if not r["contender"].startswith("glove.spark"):
            continue
        peer = by.get((r["corpus"], "pure ", r["partitions"]))
        single = next((s for s in results if s["corpus"] == r["corpus"] and s["partitions"] is None), None)
        cpu = r["vocab"]["cpu"] + r["cooc"]["cpu"]
        wall = r["vocab"]["wall"] + r["cooc"]["wall"]
        text = f"- {os.path.basename(r['corpus'])}, {r['partitions']} partitions: "
        if peer:
            pcpu = peer["vocab"]["cpu"] + peer["cooc"]["cpu"]
            pwall = peer["vocab"]["wall"] + peer["cooc"]["wall"]
            text += (f"pure PySpark / glove.spark = {pcpu / cpu:.1f}x CPU, {pwall / wall:.1f}x wall "
                     f"(co-occurrences alone {peer['cooc']['cpu'] / r['cooc']['cpu']:.1f}x CPU); ")
        if single:
            scpu = single["vocab"]["cpu"] + single["cooc"]["cpu"]
            text += f"glove.spark / one machine = {cpu / scpu:.1f}x CPU; "
        text += (f"shuffle {r['map_entries']:,} map-side entries for {r['entries']:,} merged "
                 f"({r['map_entries'] / r['entries']:.2f}x); same vocabulary {r['same_vocab']}, same entries "
                 f"{r['same_entries']}, max relative difference {r['max_rel_diff']}")
        if "parquet" in r:
            text += (f"; Parquet output (both triangles, {r['nnz']:,} rows, {r['parquet_bytes'] / 2**20:.0f} MiB) "
                     f"{r['parquet']['wall']:.1f} s wall, {r['parquet']['cpu']:.1f} CPU-s")
        lines.append(text)
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", action="append", help="text file (repeatable); default data/gcide.txt and data/wiki.txt")
    p.add_argument("--partitions", type=int, nargs="+", default=[2, 8])
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--window", type=int, default=10)
    p.add_argument("--threads", type=int, default=1, help="threads of the one-machine counter")
    p.add_argument("--skip-pyspark", action="store_true", help="leave out the pure-PySpark counter")
    p.add_argument("--merge", choices=["auto", "driver", "executors"], default="auto",
                   help="where glove.spark sums the partitions (its merge= argument)")
    p.add_argument("--parquet", action="store_true", help="also time glove.spark writing Parquet")
    p.add_argument("--json", help="write every result to this file")
    p.add_argument("--run", choices=["single", "glove-spark", "pyspark"], help=argparse.SUPPRESS)
    p.add_argument("--scratch", default="/tmp/glove-spark-bench", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.run:
        args.corpus = args.corpus[0]
        args.partitions = args.partitions[0]
        return child(args)
    corpora = args.corpus or [os.path.join(TOP, "data", "gcide.txt"), os.path.join(TOP, "data", "wiki.txt")]
    for corpus in corpora:
        if not os.path.exists(corpus):
            raise SystemExit(f"{corpus} is missing: scripts/fetch_data.sh gcide (or wiki)")
    print(f"load before: {loadavg()}", flush=True)
    results = []
    common = ["--min-count", str(args.min_count), "--window", str(args.window), "--scratch", args.scratch]
    for corpus in corpora:
        results.append(spawn(["--run", "single", "--corpus", corpus, "--partitions", "1",
                              "--threads", str(args.threads)] + common))
        for n in args.partitions:
            extra = ["--merge", args.merge] + (["--parquet"] if args.parquet else [])
            results.append(spawn(["--run", "glove-spark", "--corpus", corpus, "--partitions", str(n)] + common + extra))
            if not args.skip_pyspark:
                results.append(spawn(["--run", "pyspark", "--corpus", corpus, "--partitions", str(n)] + common))
            print(f"  done {os.path.basename(corpus)} at {n} partitions (load {loadavg()})", flush=True)
    print(f"load after: {loadavg()}")
    print(table(results))
    print(ratios(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
