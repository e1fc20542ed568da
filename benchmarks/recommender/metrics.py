#!/usr/bin/env python3
"""Reference ranking metrics for the recommender benchmarks (issue #6), numpy only.

All functions take a dense score matrix S (n_users x n_items, any float dtype)
and the train / test interactions as scipy.sparse matrices or as (users, items)
index arrays. Train interactions are excluded: their scores are set to -inf
before ranking and they are neither positives nor negatives for AUC.
Averages are over the users with at least one test positive.

* precision@k = |top-k ∩ test| / k
* recall@k    = |top-k ∩ test| / |test|
* NDCG@k      = DCG@k / IDCG@k, binary relevance, discount 1/log2(rank + 1)
  (rank 1-based); IDCG@k = sum_{r=1}^{min(k, |test|)} 1/log2(r + 1).
* AUC (per user) = P(score of a test positive > score of a negative), where the
  negatives are the items in neither train nor test for that user; ties count
  1/2 (ties="half", the Mann-Whitney convention) or 0 (ties="pessimistic",
  what lightfm.evaluation.auc_score does: its rank counts items whose score is
  >= the positive's).

Top-k order: items by descending score, ties broken by the lower item id
(a stable sort), so the figures are deterministic. LightFM's precision_at_k
counts a positive as a hit when fewer than k other non-train items score >= it,
which differs from this only when scores tie at the k-th place.

Usage as a module:
    from metrics import evaluate, load_pairs
    m = evaluate(S, train, test, k=10)   # {'precision': .., 'recall': .., 'ndcg': .., 'auc': ..}

Command line:
    python3 benchmarks/recommender/metrics.py --selftest
    python3 benchmarks/recommender/metrics.py --train data/ml-100k-bench/warm/train.tsv \\
        --test data/ml-100k-bench/warm/test.tsv --scores S.npy [--k 10]
    python3 benchmarks/recommender/metrics.py --train ... --test ... --topk recs.tsv
      (recs.tsv: lines user<TAB>item[<TAB>...] in rank order per user, e.g. the
       output of a recommender CLI; gives precision/recall/NDCG, no AUC.)
"""

import argparse
import json
import sys

import numpy as np


def load_pairs(path):
    """Read 'user<TAB>item' lines into two int64 arrays."""
    a = np.loadtxt(path, dtype=np.int64, delimiter="\t", usecols=(0, 1), ndmin=2)
    return a[:, 0], a[:, 1]


def _pairs(x):
    """(users, items) arrays from a scipy.sparse matrix or a (users, items) tuple."""
    if hasattr(x, "tocoo"):
        c = x.tocoo()
        keep = c.data != 0
        return c.row[keep].astype(np.int64), c.col[keep].astype(np.int64)
    u, i = x
    return np.asarray(u, dtype=np.int64), np.asarray(i, dtype=np.int64)


def _mask(pairs, shape):
    m = np.zeros(shape, dtype=bool)
    u, i = pairs
    m[u, i] = True
    return m


def top_k(scores, k, train=None):
    """Top-k item ids per user (rows), train items excluded, ties by lower item id."""
    s = np.array(scores, dtype=np.float64, copy=True)
    if train is not None:
        u, i = _pairs(train)
        s[u, i] = -np.inf
    return np.argsort(-s, axis=1, kind="stable")[:, :k]


def ranking_metrics(top, test, n_items, k=10):
    """precision/recall/NDCG@k from a top list (n_users x >=k item ids, -1 = none)."""
    top = np.asarray(top)[:, :k]
    n_users = top.shape[0]
    test_mask = _mask(_pairs(test), (n_users, n_items))
    n_pos = test_mask.sum(axis=1)
    users = np.flatnonzero(n_pos > 0)
    valid = top >= 0
    hits = np.where(valid, test_mask[np.arange(n_users)[:, None], np.where(valid, top, 0)], False)
    hits = hits[users]
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (hits * disc).sum(axis=1)
    idcg = np.cumsum(disc)[np.minimum(n_pos[users], k) - 1]
    n_hits = hits.sum(axis=1)
    return {
        "precision": float(np.mean(n_hits / k)),
        "recall": float(np.mean(n_hits / n_pos[users])),
        "ndcg": float(np.mean(dcg / idcg)),
        "users": int(len(users)),
    }


def auc_per_user(scores, train, test, ties="half"):
    """Per-user AUC for the users with >= 1 test positive (and >= 1 negative)."""
    s = np.asarray(scores)
    n_users, n_items = s.shape
    train_mask = _mask(_pairs(train), s.shape) if train is not None else np.zeros(s.shape, bool)
    test_mask = _mask(_pairs(test), s.shape)
    if (train_mask & test_mask).any():
        raise ValueError("train and test interactions intersect")
    out = []
    for u in np.flatnonzero(test_mask.any(axis=1)):
        row = s[u]
        pos = row[test_mask[u]]
        neg = np.sort(row[~(test_mask[u] | train_mask[u])])
        if len(neg) == 0:
            continue
        less = np.searchsorted(neg, pos, side="left")
        if ties == "half":
            leq = np.searchsorted(neg, pos, side="right")
            wins = less + 0.5 * (leq - less)
        elif ties == "pessimistic":
            wins = less
        else:
            raise ValueError(ties)
        out.append(wins.mean() / len(neg))
    return np.array(out)


def evaluate(scores, train, test, k=10, ties="half"):
    """All four metrics; returns a dict of floats."""
    s = np.asarray(scores)
    m = ranking_metrics(top_k(s, k, train), test, s.shape[1], k)
    m["auc"] = float(np.mean(auc_per_user(s, train, test, ties)))
    m["k"] = k
    return m


def _brute_force(scores, train, test, k):
    """Slow, obviously-correct loops, for the self-test."""
    n_users, n_items = scores.shape
    tr, te = _mask(train, scores.shape), _mask(test, scores.shape)
    P, R, N, A = [], [], [], []
    for u in range(n_users):
        if not te[u].any():
            continue
        cand = sorted((i for i in range(n_items) if not tr[u, i]), key=lambda i: (-scores[u, i], i))
        top = cand[:k]
        h = [1.0 if te[u, i] else 0.0 for i in top]
        P.append(sum(h) / k)
        R.append(sum(h) / te[u].sum())
        dcg = sum(x / np.log2(r + 2) for r, x in enumerate(h))
        idcg = sum(1 / np.log2(r + 2) for r in range(min(k, int(te[u].sum()))))
        N.append(dcg / idcg)
        pos = [i for i in range(n_items) if te[u, i]]
        neg = [i for i in range(n_items) if not te[u, i] and not tr[u, i]]
        w = sum((scores[u, p] > scores[u, n]) + 0.5 * (scores[u, p] == scores[u, n])
                for p in pos for n in neg)
        A.append(w / (len(pos) * len(neg)))
    return {"precision": np.mean(P), "recall": np.mean(R), "ndcg": np.mean(N), "auc": np.mean(A)}


def selftest():
    rng = np.random.default_rng(0)
    for trial in range(20):
        nu, ni, k = int(rng.integers(3, 15)), int(rng.integers(12, 40)), int(rng.integers(1, 8))
        # Coarse scores so that ties happen.
        s = rng.integers(0, 6, size=(nu, ni)).astype(np.float64) if trial % 2 else rng.normal(size=(nu, ni))
        cells = rng.permutation(nu * ni)[: nu * ni // 3]
        half = len(cells) // 2
        train = (cells[:half] // ni, cells[:half] % ni)
        test = (cells[half:] // ni, cells[half:] % ni)
        got, want = evaluate(s, train, test, k), _brute_force(s, train, test, k)
        for key in want:
            if not np.isclose(got[key], want[key], rtol=0, atol=1e-12):
                sys.exit(f"selftest FAILED trial {trial} {key}: {got[key]} != {want[key]}")
    print("metrics selftest: 20 random cases agree with brute-force loops (ties included)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--train")
    ap.add_argument("--test")
    ap.add_argument("--scores", help=".npy score matrix (n_users x n_items)")
    ap.add_argument("--topk", help="TSV user<TAB>item in rank order")
    ap.add_argument("--n-users", type=int, default=943)
    ap.add_argument("--n-items", type=int, default=1682)
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()
    if args.selftest:
        selftest()
        return
    if not (args.train and args.test and (args.scores or args.topk)):
        ap.error("need --selftest, or --train, --test and --scores or --topk")
    train, test = load_pairs(args.train), load_pairs(args.test)
    if args.scores:
        m = evaluate(np.load(args.scores), train, test, args.k)
    else:
        u, i = load_pairs(args.topk)
        top = np.full((args.n_users, args.k), -1, dtype=np.int64)
        fill = np.zeros(args.n_users, dtype=np.int64)
        for uu, ii in zip(u.tolist(), i.tolist()):
            if fill[uu] < args.k:
                top[uu, fill[uu]] = ii
                fill[uu] += 1
        m = ranking_metrics(top, test, args.n_items, args.k)
    print(json.dumps(m))


if __name__ == "__main__":
    main()
