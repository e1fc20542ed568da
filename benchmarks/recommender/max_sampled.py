#!/usr/bin/env python3
"""WARP's max_sampled (negatives tried per positive), libglove and LightFM
side by side on one protocol: the same splits, features, learning rate,
epochs and seeds as libglove_bench.py and lightfm_peer.py, one thread.

For each max_sampled value, both libraries are fitted with each seed in turn
(alternating, so both see the same machine load); prints the mean, min and
max of P@10 and the mean AUC over the seeds (benchmarks/recommender/metrics.py
scores both), and the mean training CPU seconds.

Usage:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python3 benchmarks/recommender/max_sampled.py \
        [--protocol cold] [--rate 0.05] [--epochs 50] [--max-sampled 10 30 100] [--seeds 42 0 1 2 3 4]
"""
import argparse
import os
import sys
import time

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import libglove_bench as bench  # noqa: E402  (its protocols and feature files)
import metrics as reference  # noqa: E402
from lightfm import LightFM  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protocol", default="cold", choices=["warm-identity", "warm-side", "cold"])
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--max-sampled", type=int, nargs="+", default=[10, 30, 100])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 0, 1, 2, 3, 4])
    args = parser.parse_args()

    users, items, split = bench.protocols()[args.protocol]
    train = bench.pairs(os.path.join(bench.BENCH, split, "train.tsv"))
    test = bench.pairs(os.path.join(bench.BENCH, split, "test.tsv"))
    known, held = (train[:, 0], train[:, 1]), (test[:, 0], test[:, 1])
    peer_users = bench._scipy_features(args.protocol, "user")
    peer_items = bench._scipy_features(args.protocol, "item")
    matrix = sp.coo_matrix((np.ones(len(train), np.float32), (train[:, 0], train[:, 1])), shape=(943, 1682))
    print(f"{args.protocol}: lr {args.rate}, {args.epochs} epochs, seeds {args.seeds}; "
          f"load {os.getloadavg()[0]:.2f}", flush=True)

    for sampled in args.max_sampled:
        rows = {"libglove": [], "LightFM": []}
        for seed in args.seeds:
            model = bench.glove.Bilinear(rank=32, loss="warp", learning_rate=args.rate, epochs=args.epochs,
                                         threads=1, seed=seed, max_sampled=sampled)
            started = time.process_time()
            model.fit(known, users, items)
            seconds = time.process_time() - started
            z, ub = model.user_vectors(users)
            y, ib = model.item_vectors()
            rows["libglove"].append((reference.evaluate(z @ y.T + ib + ub[:, None], known, held, k=10), seconds))

            peer = LightFM(no_components=32, loss="warp", learning_rate=args.rate, learning_schedule="adagrad",
                           max_sampled=sampled, random_state=seed)
            started = time.process_time()
            peer.fit(matrix, user_features=peer_users, item_features=peer_items, epochs=args.epochs, num_threads=1)
            seconds = time.process_time() - started
            scores = (peer_users @ peer.user_embeddings) @ (peer_items @ peer.item_embeddings).T \
                + (peer_items @ peer.item_biases)[None, :] + (peer_users @ peer.user_biases)[:, None]
            rows["LightFM"].append((reference.evaluate(np.asarray(scores), known, held, k=10), seconds))
        for name, runs in rows.items():
            p = [r["precision"] for r, _ in runs]
            print(f"max_sampled {sampled:4d} {name:8s}: P@10 mean {np.mean(p):.4f} [{min(p):.4f}, {max(p):.4f}], "
                  f"AUC mean {np.mean([r['auc'] for r, _ in runs]):.4f}, "
                  f"train {np.mean([s for _, s in runs]):.2f} CPU-s", flush=True)


if __name__ == "__main__":
    main()
