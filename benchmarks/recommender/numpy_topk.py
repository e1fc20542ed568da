#!/usr/bin/env python3
"""numpy scoring + top-k peer for the recommender benchmark (issue #6).

1. Synthetic catalogue: C = 100,000 items x 64 dims float32 and batches of
   U = 1,000 users x 64 (numpy.random.default_rng(seed), standard normal).
   Per batch: S = U @ C.T (float32 BLAS sgemm, 1,000 x 100,000), a top-10 by
   np.argpartition per row, then a sort of those 10 by score. Two variants:
     naive: S = U @ C.T (a fresh 400 MB array per batch), argpartition(-S, 10)
     tuned: np.matmul(U, C.T, out=buffer) (reused), argpartition(S, n - 10)
   and the tuned one again in blocks of --user-block users (default 100).
   The figure is users x items / CPU second ("items scored and ranked per
   CPU-second"), CPU seconds = user+sys of the whole process
   (resource.getrusage, summed over all BLAS threads), so it is a per-core
   rate whatever the thread count.
2. MovieLens size: top-10 over all 1,682 items for all 943 users, with
   32-dim float32 factors + an item bias (LightFM's size, no_components=32),
   seen (warm train) items excluded by setting their scores to -inf, from
   data/ml-100k-bench/warm/train.tsv. Median CPU and wall ms over repeats,
   with and without the exclusion.

The BLAS thread count must be fixed before numpy is imported, so the driver
(no --threads given) re-runs this script in child processes with
OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS set to 1 and to the
number of CPUs, and collects their JSON. `uptime` is recorded with each figure.

Usage:
    python3 benchmarks/recommender/numpy_topk.py                 # both thread settings
    python3 benchmarks/recommender/numpy_topk.py --batches 5 --repeats 50
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python3 benchmarks/recommender/numpy_topk.py --threads 1
Writes data/ml-100k-bench/numpy_topk.json (driver mode).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np  # BLAS threads: fixed by the env the driver gives each child

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: %.2f, %.2f, %.2f" % os.getloadavg()


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def topk_rows(S, k, naive=False):
    """Top-k column ids per row, sorted by descending score.

    naive: np.argpartition(-S, k) (negates a copy of S first). Otherwise
    np.argpartition(S, n - k), which is ~2.5x faster here on 1,000 x 100,000.
    """
    if naive:
        part = np.argpartition(-S, k, axis=1)[:, :k]
    else:
        part = np.argpartition(S, S.shape[1] - k, axis=1)[:, -k:]
    vals = np.take_along_axis(S, part, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def synthetic(args, variant="tuned", block=0):
    """variant "naive": S = U @ C.T (a fresh array each batch) + argpartition(-S, k);
    "tuned": np.matmul into a reused buffer + argpartition(S, n - k)."""
    rng = np.random.default_rng(args.seed)
    C = rng.standard_normal((args.items, args.dims), dtype=np.float32)
    batches = [rng.standard_normal((args.users, args.dims), dtype=np.float32)
               for _ in range(args.batches + 1)]
    block = block or args.users
    CT = C.T
    buf = np.empty((block, args.items), dtype=np.float32)

    def one(U):
        out = []
        for b in range(0, len(U), block):
            Ub = U[b:b + block]
            if variant == "naive":
                S = Ub @ CT
            else:
                S = np.matmul(Ub, CT, out=buf[:len(Ub)])
            out.append(topk_rows(S, args.k, naive=(variant == "naive")))
        return np.concatenate(out)

    top = one(batches[0])  # warm-up (page faults, BLAS thread start)
    # Check against a full argsort on a few users.
    S0 = batches[0][:4] @ CT
    assert np.array_equal(top[:4], np.argsort(-S0, axis=1, kind="stable")[:, :args.k])
    load = uptime()
    c0, w0 = cpu_seconds(), time.perf_counter()
    for U in batches[1:]:
        one(U)
    cpu, wall = cpu_seconds() - c0, time.perf_counter() - w0
    pairs = args.batches * args.users * args.items
    return {
        "variant": variant, "items": args.items, "dims": args.dims,
        "users_per_batch": args.users, "user_block": block, "batches": args.batches,
        "k": args.k, "cpu_s": cpu, "wall_s": wall, "uptime": load,
        "items_per_cpu_second": pairs / cpu, "items_per_wall_second": pairs / wall,
    }


def movielens(args):
    from metrics import load_pairs
    n_users, n_items, dims = 943, 1682, 32
    rng = np.random.default_rng(args.seed)
    U = rng.standard_normal((n_users, dims), dtype=np.float32)
    V = rng.standard_normal((n_items, dims), dtype=np.float32)
    b = rng.standard_normal(n_items, dtype=np.float32)
    tu, ti = load_pairs(os.path.join(args.bench, "warm", "train.tsv"))

    buf = np.empty((n_users, n_items), dtype=np.float32)

    def run(exclude):
        S = np.matmul(U, V.T, out=buf)
        S += b
        if exclude:
            S[tu, ti] = -np.inf
        return topk_rows(S, args.k)

    out = {"users": n_users, "items": n_items, "dims": dims, "k": args.k,
           "repeats": args.repeats, "excluded_train_pairs": int(len(tu))}
    for exclude in (False, True):
        run(exclude)
        cpus, walls = [], []
        load = uptime()
        for _ in range(args.repeats):
            c0, w0 = cpu_seconds(), time.perf_counter()
            run(exclude)
            cpus.append(cpu_seconds() - c0)
            walls.append(time.perf_counter() - w0)
        key = "exclude_train" if exclude else "no_exclusion"
        out[key] = {"median_cpu_ms": 1e3 * float(np.median(cpus)),
                    "median_wall_ms": 1e3 * float(np.median(walls)),
                    "min_wall_ms": 1e3 * float(np.min(walls)),
                    "total_cpu_ms": 1e3 * float(np.sum(cpus)), "uptime": load}
    return out


def child(args):
    res = {"threads": args.threads,
           "env": {v: os.environ.get(v) for v in THREAD_VARS},
           "numpy": np.__version__,
           "synthetic": [synthetic(args, "naive"), synthetic(args, "tuned")]}
    if args.user_block:
        res["synthetic"].append(synthetic(args, "tuned", args.user_block))
    res["movielens"] = movielens(args)
    print(json.dumps(res))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", help="(child mode) the thread setting already in the env")
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--dims", type=int, default=64)
    ap.add_argument("--users", type=int, default=1_000)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--user-block", type=int, default=100,
                    help="also measure the tuned variant in blocks of this many users (0 = skip)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--bench", default=os.path.join(ROOT, "data", "ml-100k-bench"))
    ap.add_argument("--out", default=None, help="default: <bench>/numpy_topk.json")
    args = ap.parse_args()
    if args.threads is not None:
        child(args)
        return

    results = []
    for threads in ("1", str(os.cpu_count() or 1)):
        env = dict(os.environ, **{v: threads for v in THREAD_VARS})
        cmd = [sys.executable, os.path.abspath(__file__), "--threads", threads] + sys.argv[1:]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(r.stderr)
        res = json.loads(r.stdout.strip().splitlines()[-1])
        results.append(res)
        m = res["movielens"]
        print(f"threads={threads}:")
        for s in res["synthetic"]:
            print(f"  synthetic {s['items']:,} x {s['dims']} float32, {s['batches']} batches x "
                  f"{s['users_per_batch']} users, {s['variant']}, blocks of {s['user_block']}: "
                  f"{s['items_per_cpu_second'] / 1e6:.1f} M items/CPU-s "
                  f"({s['items_per_wall_second'] / 1e6:.1f} M/wall-s; cpu {s['cpu_s']:.2f} s)")
        for key in ("no_exclusion", "exclude_train"):
            x = m[key]
            print(f"  MovieLens 943 x 1682 top-10 ({key}): median "
                  f"{x['median_cpu_ms']:.2f} CPU-ms, {x['median_wall_ms']:.2f} wall-ms "
                  f"(min {x['min_wall_ms']:.2f})")
        print(f"  {m['exclude_train']['uptime']}")
    out = args.out or os.path.join(args.bench, "numpy_topk.json")
    with open(out, "w") as f:
        json.dump({"runs": results, "uptime_end": uptime()}, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(out, ROOT))


if __name__ == "__main__":
    main()
