#!/usr/bin/env python3
"""Item vectors only libglove can add to its recommender: GloVe trained on
users' time-ordered training histories (two items co-occur when one user
liked both, close in time), appended to the item features of the warm-side
and cold protocols of libglove_bench.py. Same splits, feature files and
settings (WARP, rank 32, AdaGrad, max_sampled 10, one thread); each setting
with seeds 42, 0, 1, 2, 3, 4, without and with the vectors.

The histories use training positives only (ml-100k.inter timestamps, ties by
item id), so nothing of the test split leaks into the vectors. Items without
a training positive get no vector.

Usage:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python3 benchmarks/recommender/glove_item_vectors.py \\
        [--dim 32] [--window 10] [--glove-epochs 30] [--weights 0.25 0.5] [--setting cold 0.025 50 ...]
Writes data/ml-100k-bench/glove_item_vectors.json.
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import libglove_bench as bench  # noqa: E402  (splits, feature files, the glove import)

glove = bench.glove
USERS, ITEMS = 943, 1682
SEEDS = [42, 0, 1, 2, 3, 4]
# The best setting of each protocol in libglove_bench.py's grid (benchmarks/RESULTS.md).
SETTINGS = {"warm-side": (0.2, 30), "cold": (0.05, 50)}


def histories(train):
    """Each user's training items in time order (ties by item id)."""
    dense = {}
    for path, side in (("users.txt", "u"), ("items.txt", "i")):
        for line in open(os.path.join(bench.BENCH, path), encoding="utf-8"):
            fields = line.rstrip("\n").split("\t")
            dense[(side, fields[1])] = int(fields[0])
    when = {}
    inter = os.path.join(bench.ROOT, "data", "ml-100k", "ml-100k.inter")
    with open(inter, encoding="utf-8") as f:
        next(f)
        for line in f:
            user, item, _, stamp = line.split("\t")
            when[(dense[("u", user)], dense[("i", item)])] = float(stamp)
    by_user = [[] for _ in range(USERS)]
    for user, item in train:
        by_user[user].append((when[(int(user), int(item))], int(item)))
    return [[item for _, item in sorted(items)] for items in by_user if len(items) > 1]


def item_vectors(train, dim, window, epochs):
    """GloVe vectors of the items (unit length; zero for items never in a training history)."""
    sequences = histories(train)
    counts = np.bincount(train[:, 1], minlength=ITEMS)
    vocab = glove.Vocabulary.from_words([f"item{k}" for k in range(ITEMS)], np.maximum(counts, 1))
    cooc = glove.Cooccurrence.from_token_ids(sequences, dimension=ITEMS, window=window)
    model = glove.GloVe(dim=dim, objective="paper", x_max=10, threads=1, seed=1).fit(cooc, vocab=vocab, epochs=epochs,
                                                                                   progress=False)
    vectors = np.array(model.embeddings, dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    vectors[counts == 0] = 0.0
    return vectors


def item_features(vectors, weight):
    """item_identity_side (rows summing to 1) with `weight` x the unit GloVe vector appended."""
    table = bench.coo(os.path.join(bench.BENCH, "item_identity_side.tsv"))
    side = sp.csr_matrix((table[:, 2], (table[:, 0].astype(int), table[:, 1].astype(int))),
                         shape=(ITEMS, int(table[:, 1].max()) + 1))
    if weight == 0:
        return glove.Features.from_sparse(side)
    return glove.Features.from_sparse(sp.hstack([side, sp.csr_matrix(weight * vectors)]).tocsr())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dim", type=int, default=32)
    p.add_argument("--window", type=int, default=10)
    p.add_argument("--glove-epochs", type=int, default=30)
    p.add_argument("--weights", type=float, nargs="+", default=[0.25, 0.5])
    p.add_argument("--setting", nargs=3, action="append", metavar=("PROTOCOL", "RATE", "EPOCHS"),
                   help="run PROTOCOL (warm-side or cold) at this learning rate and epochs instead of the defaults")
    args = p.parse_args()
    settings = [(name, rate, epochs) for name, (rate, epochs) in SETTINGS.items()]
    if args.setting:
        settings = [(name, float(rate), int(epochs)) for name, rate, epochs in args.setting]
    protocols = bench.protocols()
    results = []
    for name, rate, epochs in settings:
        users, _, split = protocols[name]
        train = bench.pairs(os.path.join(bench.BENCH, split, "train.tsv"))
        test = bench.pairs(os.path.join(bench.BENCH, split, "test.tsv"))
        started = bench.cpu()
        vectors = item_vectors(train, args.dim, args.window, args.glove_epochs)
        glove_cpu = bench.cpu() - started
        for weight in [0.0] + args.weights:
            items = item_features(vectors, weight)
            runs = []
            for seed in SEEDS:
                model = glove.Bilinear(rank=32, loss="warp", learning_rate=rate, epochs=epochs, threads=1, seed=seed)
                started = bench.cpu()
                model.fit((train[:, 0], train[:, 1]), users, items)
                seconds = bench.cpu() - started
                m = model.evaluate(users, (train[:, 0], train[:, 1]), (test[:, 0], test[:, 1]), k=10)
                runs.append({"seed": seed, "precision": m["precision"], "auc": m["auc"], "train_cpu_s": seconds})
            row = {"protocol": name, "rate": rate, "epochs": epochs, "weight": weight, "dim": args.dim,
                   "window": args.window, "glove_epochs": args.glove_epochs, "glove_cpu_s": glove_cpu, "runs": runs}
            results.append(row)
            p10 = [r["precision"] for r in runs]
            auc = [r["auc"] for r in runs]
            print(f"{name:10s} weight {weight:<5}: P@10 seed 42 {p10[0]:.4f}, mean {np.mean(p10):.4f} "
                  f"[{min(p10):.4f}, {max(p10):.4f}]; AUC seed 42 {auc[0]:.4f}, mean {np.mean(auc):.4f} "
                  f"[{min(auc):.4f}, {max(auc):.4f}]; fit {np.mean([r['train_cpu_s'] for r in runs]):.2f} CPU-s "
                  f"(GloVe vectors {glove_cpu:.2f} CPU-s)", flush=True)
    with open(os.path.join(bench.BENCH, "glove_item_vectors.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
