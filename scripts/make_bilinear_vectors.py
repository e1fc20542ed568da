#!/usr/bin/env python3
"""Writes the bilinear test vectors under Tests/vectors/bilinear/: a small
seeded rating problem and what an independent numpy reference computes for
it, so that the Swift, C, Python and CLI tests check one set of answers.

Files (TSV, ids from 0):
- users.tsv, items.tsv: features as row, feature, value (4 features each, one
  shared space, so both the diagonal and the full form apply);
- train.tsv, test.tsv: user, item, rating;
- <form>_scores.tsv (form = diagonal, full): user, item, score of the
  closed-form ridge fit (l2 = 0.01) for every pair;
- <form>_top.tsv: user, rank, item: the top 5 of each user, train items excluded;
- <form>_metrics.tsv: precision, recall, ndcg, auc at k = 5 on test (ratings >= 4
  are the positives of both train and test).

The reference solves, with numpy in float64, the normal equations that the
library documents: (Phi^T Phi / N + (l2 + 1e-6) I) theta = Phi^T r / N with the
global bias penalised by 1e-6 only, Phi = [interaction terms, u, x, 1].

Usage: python3 scripts/make_bilinear_vectors.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "vectors", "bilinear")
USERS, ITEMS, FEATURES, L2, K = 24, 30, 4, 0.01, 5


def design(form, u, x):
    terms = u * x if form == "diagonal" else np.outer(u, x).ravel()
    return np.concatenate([terms, u, x, [1.0]])


def fit(form, U, X, pairs, ratings):
    Phi = np.array([design(form, U[a], X[b]) for a, b in pairs])
    n, m = Phi.shape
    G = Phi.T @ Phi / n + np.diag([L2 + 1e-6] * (m - 1) + [1e-6])
    return np.linalg.solve(G, Phi.T @ ratings / n)


def score(form, theta, u, x):
    return float(design(form, u, x) @ theta)


def metrics(S, train_pos, test_pos, k):
    precision = recall = ndcg = auc = 0.0
    users = 0
    for a in range(S.shape[0]):
        relevant = test_pos.get(a, set())
        if not relevant:
            continue
        seen = train_pos.get(a, set())
        candidates = [b for b in range(S.shape[1]) if b not in seen]
        ranked = sorted(candidates, key=lambda b: (-S[a, b], b))[:k]
        hits = [r for r, b in enumerate(ranked) if b in relevant]
        dcg = sum(1 / np.log2(r + 2) for r in hits)
        ideal = sum(1 / np.log2(r + 2) for r in range(min(k, len(relevant))))
        negatives = [S[a, b] for b in candidates if b not in relevant]
        positives = [S[a, b] for b in relevant if b not in seen]
        wins = sum((p > q) + 0.5 * (p == q) for p in positives for q in negatives)
        users += 1
        precision += len(hits) / k
        recall += len(hits) / len(relevant)
        ndcg += dcg / ideal
        auc += wins / (len(positives) * len(negatives))
    return precision / users, recall / users, ndcg / users, auc / users


def write(name, rows):
    with open(os.path.join(OUT, name), "w") as f:
        for row in rows:
            f.write("\t".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261129)
    U = np.round(rng.random((USERS, FEATURES)) * (rng.random((USERS, FEATURES)) < 0.7), 3)
    X = np.round(rng.random((ITEMS, FEATURES)) * (rng.random((ITEMS, FEATURES)) < 0.7), 3)
    a, wu, wx = rng.normal(2, 1, FEATURES), rng.normal(0, 0.5, FEATURES), rng.normal(0, 0.5, FEATURES)
    pairs = [(u, i) for u in range(USERS) for i in range(ITEMS) if rng.random() < 0.45]
    ratings = np.array([np.clip(np.round(3 + (U[u] * X[i]) @ a + U[u] @ wu + X[i] @ wx + rng.normal(0, 0.3)), 1, 5)
                        for u, i in pairs])
    order = rng.permutation(len(pairs))
    cut = int(0.75 * len(pairs))
    train = [(pairs[j], ratings[j]) for j in sorted(order[:cut])]
    test = [(pairs[j], ratings[j]) for j in sorted(order[cut:])]
    write("users.tsv", [(r, c, float(U[r, c])) for r in range(USERS) for c in range(FEATURES) if U[r, c] != 0])
    write("items.tsv", [(r, c, float(X[r, c])) for r in range(ITEMS) for c in range(FEATURES) if X[r, c] != 0])
    write("train.tsv", [(u, i, float(v)) for (u, i), v in train])
    write("test.tsv", [(u, i, float(v)) for (u, i), v in test])
    train_pos, test_pos = {}, {}
    for (u, i), v in train:
        if v >= 4:
            train_pos.setdefault(u, set()).add(i)
    for (u, i), v in test:
        if v >= 4:
            test_pos.setdefault(u, set()).add(i)
    seen = {}
    for (u, i), _ in train:
        seen.setdefault(u, set()).add(i)
    for form in ("diagonal", "full"):
        theta = fit(form, U, X, [p for p, _ in train], np.array([v for _, v in train]))
        S = np.array([[score(form, theta, U[u], X[i]) for i in range(ITEMS)] for u in range(USERS)])
        write(f"{form}_scores.tsv", [(u, i, float(S[u, i])) for u in range(USERS) for i in range(ITEMS)])
        top = []
        for u in range(USERS):
            ranked = sorted((i for i in range(ITEMS) if i not in seen.get(u, set())), key=lambda i: (-S[u, i], i))[:K]
            top += [(u, r + 1, i) for r, i in enumerate(ranked)]
        write(f"{form}_top.tsv", top)
        write(f"{form}_metrics.tsv", [tuple(float(v) for v in metrics(S, train_pos, test_pos, K))])


if __name__ == "__main__":
    main()
