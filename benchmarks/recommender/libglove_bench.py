#!/usr/bin/env python3
"""libglove's bilinear recommender on the same MovieLens splits and feature
files as lightfm_peer.py, and its scoring kernel against numpy, side by side.

1. Quality and training time: glove.Bilinear (factorized, rank 32, WARP,
   AdaGrad, max_sampled 10, one thread, seeded), the same learning-rate x
   epochs grid as lightfm_peer.py, on the three protocols:
     warm-identity:  user_identity / item_identity
     warm-side:      user_identity_side / item_identity_side
     cold:           user_identity_side with the held-out users' identity
                     feature removed (scored from side features only) /
                     item_identity_side  (LightFM's best cold setup)
   Metrics from glove's own evaluate and, as a cross-check, from
   benchmarks/recommender/metrics.py on the model's score matrix. Training
   CPU seconds are process CPU time around fit (one thread).
   LightFM's figures are read from data/ml-100k-bench/peers.json
   (lightfm_peer.py) and printed alongside.
2. Top-10 over all 1,682 items for all 943 users (train items excluded),
   one thread and all threads: CPU and wall milliseconds (median of repeats).
3. Synthetic 100,000 items x 64 dims, 1,000 users, top-10: items scored and
   ranked per CPU-second, libglove (one thread) and numpy (matmul into a
   reused buffer + argpartition, 100-user blocks; BLAS limited to one thread
   by this script's environment, which must be set before numpy loads).

Usage:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python3 benchmarks/recommender/libglove_bench.py [--quick]
Writes data/ml-100k-bench/libglove.json.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BENCH = os.path.join(ROOT, "data", "ml-100k-bench")
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
sys.path.insert(0, HERE)
import glove  # noqa: E402
import metrics as reference  # noqa: E402  (benchmarks/recommender/metrics.py)


def pairs(path):
    return np.loadtxt(path, dtype=np.int64, ndmin=2)


def coo(path):
    return np.loadtxt(path, dtype=np.float64, ndmin=2)


def features(rows, table, drop=None):
    """A glove.Features from COO rows (row, feature, value); `drop(row, feature)` removes entries."""
    if drop is not None:
        table = table[[not drop(int(r), int(f)) for r, f, _ in table]]
    import scipy.sparse as sp
    matrix = sp.coo_matrix((table[:, 2], (table[:, 0].astype(int), table[:, 1].astype(int))),
                           shape=(rows, int(table[:, 1].max()) + 1))
    return glove.Features.from_sparse(matrix)


def protocols():
    users, items = 943, 1682
    held_out = set(np.loadtxt(os.path.join(BENCH, "cold", "test_users.txt"), dtype=int).ravel().tolist())
    identity = features(users, coo(os.path.join(BENCH, "user_identity.tsv")))
    side_u = coo(os.path.join(BENCH, "user_identity_side.tsv"))
    side_i = features(items, coo(os.path.join(BENCH, "item_identity_side.tsv")))
    return {
        "warm-identity": (identity, features(items, coo(os.path.join(BENCH, "item_identity.tsv"))), "warm"),
        "warm-side": (features(users, side_u), side_i, "warm"),
        "cold": (features(users, side_u, drop=lambda r, f: r in held_out and f < users), side_i, "cold"),
    }


def cpu():
    return time.process_time()


def run_grid(args):
    results = []
    for name, (users, items, split) in protocols().items():
        train = pairs(os.path.join(BENCH, split, "train.tsv"))
        test = pairs(os.path.join(BENCH, split, "test.tsv"))
        for rate in args.rates:
            for epochs in args.epochs:
                model = glove.Bilinear(rank=32, loss="warp", learning_rate=rate, epochs=epochs, threads=1, seed=42)
                started = cpu()
                model.fit((train[:, 0], train[:, 1]), users, items)
                seconds = cpu() - started
                m = model.evaluate(users, (train[:, 0], train[:, 1]), (test[:, 0], test[:, 1]), k=10)
                z, ub = model.user_vectors(users)
                y, ib = model.item_vectors()
                check = reference.evaluate(z @ y.T + ib + ub[:, None], (train[:, 0], train[:, 1]), (test[:, 0], test[:, 1]), k=10)
                results.append({"protocol": name, "rate": rate, "epochs": epochs, "train_cpu_s": seconds, **m,
                                "reference_precision": float(check["precision"]), "reference_auc": float(check["auc"])})
                print(f"{name:14s} lr {rate:<5} epochs {epochs:3d}: P@10 {m['precision']:.4f} R@10 {m['recall']:.4f} "
                      f"NDCG@10 {m['ndcg']:.4f} AUC {m['auc']:.4f} (metrics.py {check['precision']:.4f} / "
                      f"{check['auc']:.4f})  train {seconds:.2f} CPU-s", flush=True)
    return results


def seed_spread(best, seeds):
    """The best setting of each protocol again with LightFM's seeds: min, mean, max."""
    spread = {}
    for name, (users, items, split) in protocols().items():
        row = best[name]
        train = pairs(os.path.join(BENCH, split, "train.tsv"))
        test = pairs(os.path.join(BENCH, split, "test.tsv"))
        runs = []
        for seed in seeds:
            model = glove.Bilinear(rank=32, learning_rate=row["rate"], epochs=row["epochs"], threads=1, seed=seed)
            started = cpu()
            model.fit((train[:, 0], train[:, 1]), users, items)
            seconds = cpu() - started
            runs.append({**model.evaluate(users, (train[:, 0], train[:, 1]), (test[:, 0], test[:, 1]), k=10),
                         "train_cpu_s": seconds})
        spread[name] = {key: {"min": min(r[key] for r in runs), "mean": float(np.mean([r[key] for r in runs])),
                              "max": max(r[key] for r in runs)} for key in ("precision", "auc", "train_cpu_s")}
        s = spread[name]
        print(f"seeds {seeds} {name} (lr {row['rate']}, {row['epochs']} epochs): P@10 mean {s['precision']['mean']:.4f} "
              f"[{s['precision']['min']:.4f}, {s['precision']['max']:.4f}], AUC mean {s['auc']['mean']:.4f} "
              f"[{s['auc']['min']:.4f}, {s['auc']['max']:.4f}], train {s['train_cpu_s']['mean']:.2f} CPU-s", flush=True)
    return spread


def training_side_by_side(settings, repeats):
    """LightFM and libglove fit() at the same settings, interleaved in this
    process (same machine load): median CPU seconds and the ratio."""
    try:
        from lightfm import LightFM
    except ImportError:
        print("lightfm is not installed: no side-by-side training times")
        return []
    import scipy.sparse as sp
    out = []
    for name, (users, items, split) in protocols().items():
        train = pairs(os.path.join(BENCH, split, "train.tsv"))
        lf_users = _scipy_features(name, "user")
        lf_items = _scipy_features(name, "item")
        matrix = sp.coo_matrix((np.ones(len(train), np.float32), (train[:, 0], train[:, 1])), shape=(943, 1682))
        for rate, epochs in settings[name]:
            ours, theirs = [], []
            for _ in range(repeats):
                model = glove.Bilinear(rank=32, learning_rate=rate, epochs=epochs, threads=1, seed=42)
                started = cpu()
                model.fit((train[:, 0], train[:, 1]), users, items)
                ours.append(cpu() - started)
                peer = LightFM(no_components=32, loss="warp", learning_rate=rate, learning_schedule="adagrad",
                               max_sampled=10, random_state=42)
                started = cpu()
                peer.fit(matrix, user_features=lf_users, item_features=lf_items, epochs=epochs, num_threads=1)
                theirs.append(cpu() - started)
            row = {"protocol": name, "rate": rate, "epochs": epochs, "libglove_cpu_s": float(np.median(ours)),
                   "lightfm_cpu_s": float(np.median(theirs))}
            out.append(row)
            print(f"training {name:14s} lr {rate:<5} epochs {epochs:3d}: libglove {row['libglove_cpu_s']:.2f} CPU-s, "
                  f"LightFM {row['lightfm_cpu_s']:.2f} CPU-s ({row['lightfm_cpu_s'] / row['libglove_cpu_s']:.1f}x)",
                  flush=True)
    return out


def _scipy_features(protocol, side):
    """The same feature matrices as protocols(), as scipy CSR for LightFM."""
    import scipy.sparse as sp
    rows = 943 if side == "user" else 1682
    stem = {"warm-identity": f"{side}_identity"}.get(protocol, f"{side}_identity_side")
    table = coo(os.path.join(BENCH, stem + ".tsv"))
    if protocol == "cold" and side == "user":
        held_out = set(np.loadtxt(os.path.join(BENCH, "cold", "test_users.txt"), dtype=int).ravel().tolist())
        table = table[[not (int(r) in held_out and int(f) < 943) for r, f, _ in table]]
    columns = sum(1 for _ in open(os.path.join(BENCH, stem + "_names.txt")))
    return sp.csr_matrix((table[:, 2].astype(np.float32), (table[:, 0].astype(int), table[:, 1].astype(int))),
                         shape=(rows, columns))


def median_ms(call, repeats):
    cpus, walls = [], []
    for _ in range(repeats):
        c, w = cpu(), time.perf_counter()
        call()
        cpus.append((cpu() - c) * 1e3)
        walls.append((time.perf_counter() - w) * 1e3)
    return float(np.median(cpus)), float(np.median(walls))


def movielens_topk(repeats):
    users = glove.Features.identity(943)
    items = glove.Features.identity(1682)
    train = pairs(os.path.join(BENCH, "warm", "train.tsv"))
    model = glove.Bilinear(rank=32, epochs=10, threads=1).fit((train[:, 0], train[:, 1]), users, items)
    exclude = (train[:, 0], train[:, 1])
    out = {}
    for threads in (1, 0):
        out[f"threads={threads or 'all'}"] = median_ms(lambda: model.recommend(users, k=10, exclude=exclude, threads=threads),
                                                       repeats)
    return out


def synthetic(batches):
    rng = np.random.default_rng(0)
    catalogue = rng.standard_normal((100_000, 64), dtype=np.float32)
    queries = [rng.standard_normal((1000, 64), dtype=np.float32) for _ in range(batches)]
    items = glove.Features.from_dense(catalogue)
    model = glove.Bilinear(form="diagonal", epochs=0).fit(([0], [0]), glove.Features.from_dense(queries[0][:1]), items)
    user_features = [glove.Features.from_dense(q) for q in queries]
    buffer = np.empty((100, 100_000), dtype=np.float32)

    def numpy_batch(q):
        for start in range(0, len(q), 100):
            np.matmul(q[start:start + 100], catalogue.T, out=buffer)
            part = np.argpartition(buffer, buffer.shape[1] - 10, axis=1)[:, -10:]
            order = np.argsort(-np.take_along_axis(buffer, part, axis=1), axis=1, kind="stable")
            np.take_along_axis(part, order, axis=1)

    rates = {"libglove": [], "numpy": []}
    agree = True
    for q, f in zip(queries, user_features):  # interleaved, so both see the same machine load
        started = cpu()
        ids, _ = model.recommend(f, k=10, threads=1)
        rates["libglove"].append(1000 * 100_000 / (cpu() - started))
        started = cpu()
        numpy_batch(q)
        rates["numpy"].append(1000 * 100_000 / (cpu() - started))
        best = np.argsort(-(q[:3] @ catalogue.T), axis=1, kind="stable")[:, :10]
        agree &= bool((best == ids[:3]).all())
    return {name: float(np.median(v)) for name, v in rates.items()} | {"top10_agrees_with_numpy": agree}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller grid and fewer repeats")
    args = parser.parse_args()
    args.rates = [0.05, 0.1] if args.quick else [0.025, 0.05, 0.1, 0.2]
    args.epochs = [10, 30] if args.quick else [10, 20, 30, 50, 70]
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print("uptime:", load)
    grid = run_grid(args)
    topk = movielens_topk(10 if args.quick else 50)
    for setting, (cpu_ms, wall_ms) in topk.items():
        print(f"MovieLens top-10, 943 users x 1,682 items, {setting}: {cpu_ms:.1f} CPU-ms, {wall_ms:.1f} ms wall (median)")
    scoring = synthetic(2 if args.quick else 5)
    print(f"synthetic 100,000 x 64, 1,000 users, top-10, one thread: libglove {scoring['libglove'] / 1e6:.0f} M, "
          f"numpy {scoring['numpy'] / 1e6:.0f} M items per CPU-second (median); top-10 agree: {scoring['top10_agrees_with_numpy']}")
    peers = os.path.join(BENCH, "peers.json")
    if os.path.exists(peers):
        headline = json.load(open(peers)).get("headline")
        print("LightFM (peers.json headline):", json.dumps(headline, indent=1))
    best = {}
    for row in grid:
        if row["precision"] > best.get(row["protocol"], {}).get("precision", -1):
            best[row["protocol"]] = row
    for name, row in best.items():
        print(f"best {name}: lr {row['rate']} epochs {row['epochs']}: P@10 {row['precision']:.4f} AUC {row['auc']:.4f} "
              f"train {row['train_cpu_s']:.2f} CPU-s")
    spread = {} if args.quick else seed_spread(best, [42, 0, 1, 2, 3, 4])
    settings = {name: sorted({(0.05, 10), (row["rate"], row["epochs"])}) for name, row in best.items()}
    side_by_side = training_side_by_side(settings, 1 if args.quick else 3)
    load_end = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print("uptime:", load_end)
    with open(os.path.join(BENCH, "libglove.json"), "w") as f:
        json.dump({"uptime_start": load, "uptime_end": load_end, "grid": grid, "best": best, "seed_spread": spread, "training_side_by_side": side_by_side, "movielens_topk_ms": topk,
                   "synthetic_items_per_cpu_s": scoring}, f, indent=1)


if __name__ == "__main__":
    main()
