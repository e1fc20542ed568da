#!/usr/bin/env python3
"""MovieLens 100k benchmark splits and feature files (issue #6).

Reads recbole's atomic files (``scripts/fetch_data.sh movielens`` puts them in
data/ml-100k/) and writes plain TSV files that a command-line tool (``glove
recommend``) and the Python peers (lightfm_peer.py) read identically:

    data/ml-100k-bench/
      users.txt            id<TAB>original user_id                 (943 lines)
      items.txt            id<TAB>original item_id<TAB>title       (1682 lines)
      warm/train.tsv       user<TAB>item   (80% of the positives, random)
      warm/test.tsv        user<TAB>item   (the other 20%)
      cold/train.tsv       user<TAB>item   (all positives of the other 80% of users)
      cold/test.tsv        user<TAB>item   (all positives of 20% of users, held out)
      cold/test_users.txt  the held-out user ids, one a line, ascending
      user_identity.tsv, user_side.tsv, user_identity_side.tsv   row<TAB>feature<TAB>value
      item_identity.tsv, item_side.tsv, item_identity_side.tsv
      <same stem>_names.txt                    feature names, line number = feature index
      unnormalized/<same six .tsv files>      the same features with all values 1
      meta.json            counts, seed, normalisation, sha256 of every file

Conventions
-----------
* Positives are ratings >= 4 (55,375 of the 100,000 ratings).
* Ids are 0-based and dense, and the SAME in both protocols: users are numbered
  in ascending order of recbole's user_id token read as an integer (1..943 ->
  0..942, which is also the order of ml-100k.user), items likewise by item_id
  (1..1682 -> 0..1681). They cover ALL users and items of the dataset, also
  the items that have no positive rating (so a model must score 1,682 items).
* Both splits use numpy.random.default_rng(seed) (seed 42), one generator per
  protocol, on the positives sorted by (user, item), so they do not depend on
  the order of the rating file.
  - warm: a random permutation of the positives; the first round(20%) go to
    test, the rest to train.
  - cold: a random permutation of all 943 users; the first round(20%) = 189 are
    held out (all their positives in test, none in train); every positive of
    the other users is in train.
* Files are sorted (interactions by user then item; features by row then
  feature), so they are byte-for-byte reproducible.

Features
--------
user side (30): age bucket one-hot (<18, 18-24, 25-34, 35-44, 45-49, 50-55,
    56+; the MovieLens-1M buckets), gender one-hot (F, M), occupation one-hot
    (21 occupations, sorted by name).
item side (27): genres multi-hot from recbole's ``class`` column (19 genres
    including "unknown", sorted by name), release decade one-hot from
    ``release_year`` (1920s..1990s; item 1412 has the token "V" there, so its
    year 1995 is taken from its title; item 267 has no year and therefore no
    decade feature).
identity: one-hot id (feature index = row id). identity_side: identity
    features first, then the side features offset by the number of users
    (resp. items).

Normalisation: every row of the top-level feature files is scaled to sum 1,
exactly as LightFM's ``Dataset.build_*_features`` does by default
(normalize=True); for the identity+side files the whole row is normalised
(identity weight 1/(1 + number of side features)), again as LightFM's Dataset
does. The same six files with every value 1.0 (LightFM's Dataset with
normalize=False) are written to unnormalized/ with the same names; identity
rows are one-hot, so they are the same in both. The values are in the files,
so every library reads identical inputs and must not normalise again.
Which one is better depends on the protocol for LightFM (see PEERS_DRAFT.md):
unnormalised identity+side is much better warm at the default learning rate,
normalised is better cold.

Usage:
    python3 benchmarks/recommender/movielens.py                  # defaults below
    python3 benchmarks/recommender/movielens.py --data data/ml-100k \\
        --out data/ml-100k-bench --seed 42
"""

import argparse
import hashlib
import json
import os
import re
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AGE_BUCKETS = [(0, 17, "<18"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 44, "35-44"),
               (45, 49, "45-49"), (50, 55, "50-55"), (56, 200, "56+")]
POSITIVE_THRESHOLD = 4.0
TEST_FRACTION = 0.2


def read_atomic(path):
    """Read a recbole atomic file: header 'name:type' columns, tab-separated."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = [h.split(":", 1)[0] for h in header]
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for r in rows:
        if len(r) != len(names):
            sys.exit(f"{path}: a row has {len(r)} fields, expected {len(names)}: {r!r}")
    return {n: [r[i] for r in rows] for i, n in enumerate(names)}


def age_bucket(age):
    for lo, hi, name in AGE_BUCKETS:
        if lo <= age <= hi:
            return name
    raise ValueError(age)


def release_decade(year_token, title):
    year = year_token if re.fullmatch(r"\d{4}", year_token) else None
    if year is None:
        m = re.search(r"\((\d{4})\)\s*$", title)
        year = m.group(1) if m else None
    return None if year is None else f"{int(year) // 10 * 10}s"


class Features:
    """A sparse feature matrix as (row, feature, value) triples plus names."""

    def __init__(self, n_rows, names, rows, cols):
        self.n_rows, self.names = n_rows, list(names)
        self.rows = np.asarray(rows, dtype=np.int64)
        self.cols = np.asarray(cols, dtype=np.int64)
        self.vals = np.ones(len(self.rows), dtype=np.float64)

    def hstack(self, other):
        f = Features(self.n_rows, self.names + other.names,
                     np.concatenate([self.rows, other.rows]),
                     np.concatenate([self.cols, other.cols + len(self.names)]))
        f.vals = np.concatenate([self.vals, other.vals])
        return f

    def normalized(self, how):
        f = Features(self.n_rows, self.names, self.rows, self.cols)
        if how == "l1":
            sums = np.bincount(self.rows, weights=self.vals, minlength=self.n_rows)
            f.vals = self.vals / sums[self.rows]
        else:
            f.vals = self.vals.copy()
        return f

    def write(self, out_dir, stem):
        order = np.lexsort((self.cols, self.rows))
        with open(os.path.join(out_dir, stem + ".tsv"), "w") as f:
            f.writelines(f"{r}\t{c}\t{v!r}\n" for r, c, v in
                         zip(self.rows[order].tolist(), self.cols[order].tolist(),
                             self.vals[order].tolist()))
        with open(os.path.join(out_dir, stem + "_names.txt"), "w") as f:
            f.writelines(n + "\n" for n in self.names)


def one_hot(values, prefix, vocab=None):
    vocab = sorted(set(values)) if vocab is None else vocab
    index = {v: i for i, v in enumerate(vocab)}
    return Features(len(values), [f"{prefix}:{v}" for v in vocab],
                    range(len(values)), [index[v] for v in values])


def multi_hot(value_lists, prefix):
    vocab = sorted({v for vs in value_lists for v in vs})
    index = {v: i for i, v in enumerate(vocab)}
    rows, cols = [], []
    for r, vs in enumerate(value_lists):
        for v in sorted(set(vs)):
            rows.append(r)
            cols.append(index[v])
    return Features(len(value_lists), [f"{prefix}:{v}" for v in vocab], rows, cols)


def optional_one_hot(values, prefix):
    """One-hot, but rows whose value is None get no feature."""
    vocab = sorted({v for v in values if v is not None})
    index = {v: i for i, v in enumerate(vocab)}
    pairs = [(r, index[v]) for r, v in enumerate(values) if v is not None]
    return Features(len(values), [f"{prefix}:{v}" for v in vocab],
                    [p[0] for p in pairs], [p[1] for p in pairs])


def write_pairs(path, users, items):
    order = np.lexsort((items, users))
    with open(path, "w") as f:
        f.writelines(f"{u}\t{i}\n" for u, i in zip(users[order].tolist(), items[order].tolist()))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "ml-100k"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "ml-100k-bench"))
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    users = read_atomic(os.path.join(args.data, "ml-100k.user"))
    items = read_atomic(os.path.join(args.data, "ml-100k.item"))
    inter = read_atomic(os.path.join(args.data, "ml-100k.inter"))

    # Dense ids: ascending original id (tokens are integers in ml-100k).
    u_orig = sorted(users["user_id"], key=int)
    i_orig = sorted(items["item_id"], key=int)
    u_id = {u: k for k, u in enumerate(u_orig)}
    i_id = {i: k for k, i in enumerate(i_orig)}
    n_users, n_items = len(u_orig), len(i_orig)
    urow = {u: r for r, u in enumerate(users["user_id"])}
    irow = {i: r for r, i in enumerate(items["item_id"])}
    titles = [items["movie_title"][irow[i]] for i in i_orig]

    # Positives, deduplicated, sorted by (user, item).
    ratings = np.array(inter["rating"], dtype=np.float64)
    pos = {(u_id[u], i_id[i]) for u, i, r in zip(inter["user_id"], inter["item_id"], ratings)
           if r >= POSITIVE_THRESHOLD}
    pos = np.array(sorted(pos), dtype=np.int64)
    pu, pi = pos[:, 0], pos[:, 1]

    # warm: random 80/20 of the positives.
    rng = np.random.default_rng(args.seed)
    perm = rng.permutation(len(pos))
    n_test = int(round(TEST_FRACTION * len(pos)))
    is_test = np.zeros(len(pos), dtype=bool)
    is_test[perm[:n_test]] = True
    splits = {"warm": is_test}

    # cold: 20% of all users held out entirely.
    rng = np.random.default_rng(args.seed)
    held = np.sort(rng.permutation(n_users)[:int(round(TEST_FRACTION * n_users))])
    held_mask = np.zeros(n_users, dtype=bool)
    held_mask[held] = True
    splits["cold"] = held_mask[pu]

    os.makedirs(args.out, exist_ok=True)
    summary = {}
    for name, test_mask in splits.items():
        d = os.path.join(args.out, name)
        os.makedirs(d, exist_ok=True)
        write_pairs(os.path.join(d, "train.tsv"), pu[~test_mask], pi[~test_mask])
        write_pairs(os.path.join(d, "test.tsv"), pu[test_mask], pi[test_mask])
        summary[name] = {"train": int((~test_mask).sum()), "test": int(test_mask.sum()),
                         "test_users": int(len(np.unique(pu[test_mask]))),
                         "train_users": int(len(np.unique(pu[~test_mask])))}
    with open(os.path.join(args.out, "cold", "test_users.txt"), "w") as f:
        f.writelines(f"{u}\n" for u in held.tolist())
    summary["cold"]["held_out_users"] = int(len(held))

    with open(os.path.join(args.out, "users.txt"), "w") as f:
        f.writelines(f"{k}\t{u}\n" for k, u in enumerate(u_orig))
    with open(os.path.join(args.out, "items.txt"), "w") as f:
        f.writelines(f"{k}\t{i}\t{t}\n" for k, (i, t) in enumerate(zip(i_orig, titles)))

    # Features.
    ages = [age_bucket(int(users["age"][urow[u]])) for u in u_orig]
    user_side = (one_hot(ages, "age", [b[2] for b in AGE_BUCKETS])
                 .hstack(one_hot([users["gender"][urow[u]] for u in u_orig], "gender"))
                 .hstack(one_hot([users["occupation"][urow[u]] for u in u_orig], "occupation")))
    item_side = (multi_hot([items["class"][irow[i]].split() for i in i_orig], "genre")
                 .hstack(optional_one_hot([release_decade(items["release_year"][irow[i]], t)
                                           for i, t in zip(i_orig, titles)], "decade")))
    user_ident = one_hot(u_orig, "user", u_orig)
    item_ident = one_hot(i_orig, "item", i_orig)
    feats = {
        "user_identity": user_ident, "user_side": user_side,
        "user_identity_side": user_ident.hstack(user_side),
        "item_identity": item_ident, "item_side": item_side,
        "item_identity_side": item_ident.hstack(item_side),
    }
    os.makedirs(os.path.join(args.out, "unnormalized"), exist_ok=True)
    for stem, f in feats.items():
        f.normalized("l1").write(args.out, stem)
        f.normalized("none").write(os.path.join(args.out, "unnormalized"), stem)

    files = ["users.txt", "items.txt", "cold/test_users.txt"]
    files += [f"{p}/{s}.tsv" for p in splits for s in ("train", "test")]
    files += [f"{d}{stem}{ext}" for d in ("", "unnormalized/") for stem in feats
              for ext in (".tsv", "_names.txt")]
    meta = {
        "source": os.path.relpath(args.data, ROOT), "seed": args.seed,
        "positive_threshold": POSITIVE_THRESHOLD, "test_fraction": TEST_FRACTION,
        "n_users": n_users, "n_items": n_items, "n_ratings": len(ratings),
        "n_positives": int(len(pos)),
        "normalize": "rows sum to 1 (LightFM Dataset default); unnormalized/: all values 1",
        "splits": summary,
        "features": {k: {"n_features": len(v.names), "nnz": int(len(v.rows))}
                     for k, v in feats.items()},
        "sha256": {fn: sha256(os.path.join(args.out, fn)) for fn in files},
    }
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(json.dumps({k: meta[k] for k in ("n_users", "n_items", "n_positives", "normalize",
                                             "splits", "features")}, indent=1))


if __name__ == "__main__":
    main()
