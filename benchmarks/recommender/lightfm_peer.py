#!/usr/bin/env python3
"""LightFM 1.17 peer for the recommender benchmark (issue #6).

Trains LightFM (WARP loss, 32 components, one thread, fixed seed) on the splits
and feature files written by movielens.py, plus a popularity baseline, and
reports P@10, R@10, NDCG@10 and AUC with metrics.py (numpy) and, for LightFM,
also with lightfm.evaluation (precision_at_k, auc_score, train interactions
passed), together with the training CPU seconds (user+sys of this process,
time.process_time around fit/fit_partial only) and `uptime` when measured.

Grid (every combination, seed 42):
  feature setups   warm  identity       users: user_identity       items: item_identity
                   warm  identity+side  users: user_identity_side  items: item_identity_side
                   cold  COLD_SETUPS below (user side only, or identity+side)
  feature values   the top-level files (rows normalised to sum 1, LightFM
                   Dataset's default) and unnormalized/ (all 1), for the
                   setups that have side features
  learning rate    0.025, 0.05 (LightFM's default), 0.1; AdaGrad; max_sampled 10
  epochs           10, 20, 30, 50, 100: one model per (setup, values, rate)
                   trained with fit(epochs=10) then fit_partial up to each
                   count (bit-identical to fit(epochs=n) with one thread; the
                   CPU seconds reported for n epochs are the cumulative
                   training time up to n).
  popularity       (both protocols): score = number of train positives of the item.

Cold start: the 189 held-out users have no positive in train. When the user
feature file contains identity features, the held-out users' identity entries
are removed from the matrix (their embeddings would be untrained random
initial values), so they are scored from their side features only; the other
values of their rows are kept as in the file.

Selection: "best" = highest P@10 on the test split (then AUC), per protocol and
per setup; also the highest AUC. Chosen on the test set, so optimistic for
LightFM, which is what we want for a target to match or beat. --seeds re-trains
the best configuration of each setup with other seeds to show the spread.

Results go to data/ml-100k-bench/peers.json; tables are printed.

Usage:
    pip install wheel && pip install --no-build-isolation --no-use-pep517 lightfm==1.17
    python3 benchmarks/recommender/movielens.py
    OMP_NUM_THREADS=1 python3 benchmarks/recommender/lightfm_peer.py \\
        [--epochs 10,20,30,50,100] [--rates 0.025,0.05,0.1] [--seeds 0,1,2,3,4]
    OMP_NUM_THREADS=1 python3 benchmarks/recommender/lightfm_peer.py --timing-only 5
        (re-times the TIMING configurations, adds "timing" to peers.json)
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics import evaluate, load_pairs  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
K = 10
COMPONENTS = 32
SCHEDULE = "adagrad"     # LightFM's default
MAX_SAMPLED = 10         # LightFM's default (WARP negatives tried per positive)
NORM, RAW = "rows sum 1", "all 1 (unnormalized/)"

# (protocol, name, user feature file stem, item feature file stem)
SETUPS = [
    ("warm", "identity", "user_identity", "item_identity"),
    ("warm", "identity+side", "user_identity_side", "item_identity_side"),
    ("cold", "users side / items identity+side", "user_side", "item_identity_side"),
    ("cold", "users side / items identity", "user_side", "item_identity"),
    ("cold", "users side / items side", "user_side", "item_side"),
    ("cold", "users identity+side / items identity+side", "user_identity_side", "item_identity_side"),
]


# Training-time reference configurations, re-timed by --timing-only (fit() from
# scratch, repeated): the LightFM-default ones that reproduce the figures,
# and the best ones found by the grid (seed 42).
# (protocol, setup, values, learning rate, epochs, why)
TIMING = [
    ("warm", "identity", NORM, 0.05, 10, "defaults; issue's 0.205-0.209 / 0.935"),
    ("warm", "identity+side", NORM, 0.05, 30, "defaults; issue's 0.171-0.174 / 0.909"),
    ("cold", "users side / items identity+side", NORM, 0.05, 10, "defaults; issue's cold"),
    ("warm", "identity", NORM, 0.025, 50, "best warm AUC"),
    ("warm", "identity+side", NORM, 0.1, 100, "best warm P@10"),
    ("warm", "identity+side", RAW, 0.05, 20, "best warm id+side at lr 0.05"),
    ("cold", "users identity+side / items identity+side", NORM, 0.05, 50, "best cold P@10"),
    ("cold", "users identity+side / items identity+side", NORM, 0.1, 10, "best cold AUC"),
]


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: %.2f, %.2f, %.2f" % os.getloadavg()


def load_features(path, n_rows):
    a = np.loadtxt(path, delimiter="\t", ndmin=2)
    r, c, v = a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2]
    with open(path[:-4] + "_names.txt") as f:
        n_feat = sum(1 for _ in f)
    return sp.csr_matrix((v.astype(np.float32), (r, c)), shape=(n_rows, n_feat))


def drop_identity(m, rows, n_identity):
    """Remove the identity entries (feature < n_identity) of the given rows."""
    c = m.tocoo()
    keep = ~(np.isin(c.row, rows) & (c.col < n_identity))
    return sp.csr_matrix((c.data[keep], (c.row[keep], c.col[keep])), shape=m.shape)


def interactions(pairs, shape):
    u, i = pairs
    return sp.coo_matrix((np.ones(len(u), dtype=np.float32), (u, i)), shape=shape)


def lightfm_scores(model, n_users, n_items, uf, itf):
    uu = np.repeat(np.arange(n_users, dtype=np.int32), n_items)
    ii = np.tile(np.arange(n_items, dtype=np.int32), n_users)
    s = model.predict(uu, ii, user_features=uf, item_features=itf, num_threads=1)
    return s.reshape(n_users, n_items)


def setup_features(data, protocol, ufn, ifn, values):
    uf = data["feat"][(ufn, values)]
    itf = data["feat"][(ifn, values)]
    if protocol == "cold" and ufn.startswith("user_identity"):
        uf = drop_identity(uf, data["held_out"], data["n_users"])
    return uf, itf


def run_lightfm(protocol, setup, ufn, ifn, values, lr, seed, epochs, data):
    """Train once up to max(epochs), evaluating at each count; returns rows."""
    from lightfm import LightFM
    from lightfm.evaluation import auc_score, precision_at_k

    n_users, n_items = data["n_users"], data["n_items"]
    uf, itf = setup_features(data, protocol, ufn, ifn, values)
    train, test = data[protocol]
    tr = interactions(train, (n_users, n_items)).tocsr()
    te = interactions(test, (n_users, n_items)).tocsr()
    model = LightFM(no_components=COMPONENTS, loss="warp", learning_rate=lr,
                    learning_schedule=SCHEDULE, max_sampled=MAX_SAMPLED, random_state=seed)
    rows, done, cpu = [], 0, 0.0
    for ep in sorted(epochs):
        load = uptime()
        t0 = time.process_time()
        if done == 0:
            model.fit(tr.tocoo(), user_features=uf, item_features=itf, epochs=ep, num_threads=1)
        else:
            model.fit_partial(tr.tocoo(), user_features=uf, item_features=itf,
                              epochs=ep - done, num_threads=1)
        cpu += time.process_time() - t0
        done = ep
        S = lightfm_scores(model, n_users, n_items, uf, itf)
        ours = evaluate(S, train, test, K)
        ours_p = evaluate(S, train, test, K, ties="pessimistic")["auc"]
        lf_p = float(precision_at_k(model, te, train_interactions=tr, k=K, user_features=uf,
                                    item_features=itf, num_threads=1).mean())
        lf_auc = float(auc_score(model, te, train_interactions=tr, user_features=uf,
                                 item_features=itf, num_threads=1).mean())
        rows.append({
            "protocol": protocol, "model": "lightfm-warp", "setup": setup,
            "user_features": ufn, "item_features": ifn, "feature_values": values,
            "n_user_features": uf.shape[1], "n_item_features": itf.shape[1],
            "epochs": ep, "seed": seed, "components": COMPONENTS, "loss": "warp",
            "learning_rate": lr, "learning_schedule": SCHEDULE, "max_sampled": MAX_SAMPLED,
            "user_alpha": 0.0, "item_alpha": 0.0, "num_threads": 1,
            "train_cpu_s": cpu, "uptime": load,
            "p@10": ours["precision"], "r@10": ours["recall"], "ndcg@10": ours["ndcg"],
            "auc": ours["auc"], "auc_pessimistic_ties": ours_p,
            "lightfm_p@10": lf_p, "lightfm_auc": lf_auc, "eval_users": ours["users"],
            "test_positive_ties": positive_ties(S, train, test),
        })
    return rows


def positive_ties(S, train, test):
    """How many test positives have exactly the score of another non-train item."""
    n_users, n_items = S.shape
    excl = np.zeros(S.shape, dtype=bool)
    excl[train] = True
    n = 0
    tu, ti = test
    for u in np.unique(tu):
        cand = np.sort(S[u][~excl[u]])
        pos = S[u, ti[tu == u]]
        n += int((np.searchsorted(cand, pos, "right") - np.searchsorted(cand, pos, "left") > 1).sum())
    return n


def run_popularity(protocol, data):
    n_users, n_items = data["n_users"], data["n_items"]
    train, test = data[protocol]
    load = uptime()
    t0 = time.process_time()
    counts = np.bincount(train[1], minlength=n_items).astype(np.float64)
    cpu = time.process_time() - t0
    S = np.broadcast_to(counts, (n_users, n_items))
    ours = evaluate(S, train, test, K)
    return {
        "protocol": protocol, "model": "popularity", "setup": "train positives per item",
        "train_cpu_s": cpu, "uptime": load,
        "p@10": ours["precision"], "r@10": ours["recall"], "ndcg@10": ours["ndcg"],
        "auc": ours["auc"],
        "auc_pessimistic_ties": evaluate(S, train, test, K, ties="pessimistic")["auc"],
        "eval_users": ours["users"],
    }


def timing(data, repeats, seed):
    """Re-time the TIMING configurations: min / median CPU-s of fit() over repeats."""
    from lightfm import LightFM
    out = []
    setups = {(p, name): (ufn, ifn) for p, name, ufn, ifn in SETUPS}
    for proto, setup, values, lr, ep, why in TIMING:
        ufn, ifn = setups[(proto, setup)]
        uf, itf = setup_features(data, proto, ufn, ifn, values)
        tr = interactions(data[proto][0], (data["n_users"], data["n_items"]))
        cpus, loads = [], []
        for _ in range(repeats):
            model = LightFM(no_components=COMPONENTS, loss="warp", learning_rate=lr,
                            learning_schedule=SCHEDULE, max_sampled=MAX_SAMPLED,
                            random_state=seed)
            loads.append(uptime())
            t0 = time.process_time()
            model.fit(tr, user_features=uf, item_features=itf, epochs=ep, num_threads=1)
            cpus.append(time.process_time() - t0)
        r = {"protocol": proto, "setup": setup, "feature_values": values,
             "learning_rate": lr, "epochs": ep, "why": why, "repeats": repeats,
             "cpu_s_min": min(cpus), "cpu_s_median": float(np.median(cpus)),
             "cpu_s_all": cpus, "uptime": loads}
        out.append(r)
        print(f"{proto:<5} {setup[:42]:<42} [{values[:10]}] lr {lr:<5} ep {ep:>3}: "
              f"CPU-s min {r['cpu_s_min']:.2f} median {r['cpu_s_median']:.2f}  ({why})  "
              f"{loads[-1].split('load average: ')[-1]}", flush=True)
    return out


def fmt_row(r):
    def f(key, spec="%.4f"):
        return spec % r[key] if key in r else "-"
    if r["model"] == "popularity":
        name = "popularity"
    else:
        name = r["setup"] + (" [raw]" if r["feature_values"] == RAW else "")
    return (f"{r['protocol']:<5} {name[:47]:<47} {f('learning_rate', '%.3f'):>5} "
            f"{f('epochs', '%3d'):>3} {f('seed', '%2d'):>2} "
            f"{f('p@10')} {f('r@10')} {f('ndcg@10')} {f('auc')} {f('lightfm_p@10'):>6} "
            f"{f('lightfm_auc'):>6} {f('train_cpu_s', '%6.2f')}")


HEADER = (f"{'proto':<5} {'model / features ([raw] = unnormalized/)':<47} {'lr':>5} {'ep':>3} "
          f"{'sd':>2} P@10   R@10   NDCG10 AUC    lfP@10 lfAUC   cpu_s")


def better(a, b):
    return (a["p@10"], a["auc"]) > (b["p@10"], b["auc"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default=os.path.join(ROOT, "data", "ml-100k-bench"))
    ap.add_argument("--epochs", default="10,20,30,50,100")
    ap.add_argument("--rates", default="0.025,0.05,0.1")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--seeds", default="0,1,2,3,4",
                    help="extra seeds for the best configuration of each setup ('' = none)")
    ap.add_argument("--no-raw", action="store_true", help="skip the unnormalized/ features")
    ap.add_argument("--out", default=None, help="default: <bench>/peers.json")
    ap.add_argument("--timing-only", type=int, metavar="REPEATS", default=0,
                    help="only re-time the TIMING configurations REPEATS times each and "
                         "store them under 'timing' in the existing peers.json")
    args = ap.parse_args()

    import lightfm
    with open(os.path.join(args.bench, "meta.json")) as f:
        meta = json.load(f)
    data = {"n_users": meta["n_users"], "n_items": meta["n_items"], "feat": {},
            "held_out": np.loadtxt(os.path.join(args.bench, "cold", "test_users.txt"),
                                   dtype=np.int64, ndmin=1)}
    for proto in ("warm", "cold"):
        data[proto] = (load_pairs(os.path.join(args.bench, proto, "train.tsv")),
                       load_pairs(os.path.join(args.bench, proto, "test.tsv")))
    for stem in ("user_identity", "user_side", "user_identity_side",
                 "item_identity", "item_side", "item_identity_side"):
        n = meta["n_users"] if stem.startswith("user") else meta["n_items"]
        for values, sub in ((NORM, ""), (RAW, "unnormalized")):
            data["feat"][(stem, values)] = load_features(
                os.path.join(args.bench, sub, stem + ".tsv"), n)

    path = args.out or os.path.join(args.bench, "peers.json")
    if args.timing_only:
        print("uptime at start:", uptime(), flush=True)
        t = timing(data, args.timing_only, args.seed)
        with open(path) as f:
            out = json.load(f)
        out["timing"] = {"repeats": args.timing_only, "uptime_end": uptime(), "runs": t}
        with open(path, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        print("uptime at end:", out["timing"]["uptime_end"])
        print("updated", os.path.relpath(path, ROOT))
        return

    epochs = [int(e) for e in args.epochs.split(",") if e]
    rates = [float(x) for x in args.rates.split(",") if x]
    runs = []
    print("uptime at start:", uptime())
    print(HEADER, flush=True)

    def record(rows):
        for r in rows:
            runs.append(r)
            print(fmt_row(r), flush=True)

    for proto in ("warm", "cold"):
        record([run_popularity(proto, data)])
    for values in ([NORM] if args.no_raw else [NORM, RAW]):
        for proto, setup, ufn, ifn in SETUPS:
            if values == RAW and ufn.endswith("identity") and ifn.endswith("identity"):
                continue  # one-hot rows: unnormalised == normalised
            for lr in rates:
                record(run_lightfm(proto, setup, ufn, ifn, values, lr, args.seed, epochs, data))

    grid = [r for r in runs if r["model"] != "popularity"]
    best = {}
    for r in grid:
        k = (r["protocol"], r["setup"], r["feature_values"])
        if k not in best or better(r, best[k]):
            best[k] = r

    seeds = [int(x) for x in args.seeds.split(",") if x and int(x) != args.seed]
    spread = []
    if seeds:
        print("\nseed spread of the best (values, rate, epochs) per setup:", flush=True)
        print(HEADER, flush=True)
        for b in list(best.values()):
            group = [b]
            for sd in seeds:
                rows = run_lightfm(b["protocol"], b["setup"], b["user_features"],
                                   b["item_features"], b["feature_values"], b["learning_rate"],
                                   sd, [b["epochs"]], data)
                record(rows)
                group += rows
            spread.append({
                "protocol": b["protocol"], "setup": b["setup"],
                "feature_values": b["feature_values"], "learning_rate": b["learning_rate"],
                "epochs": b["epochs"], "seeds": [g["seed"] for g in group],
                **{m: {"min": min(g[m] for g in group),
                       "mean": float(np.mean([g[m] for g in group])),
                       "max": max(g[m] for g in group)}
                   for m in ("p@10", "r@10", "ndcg@10", "auc", "lightfm_p@10", "lightfm_auc",
                             "train_cpu_s")},
            })

    lf = [r for r in runs if r["model"] != "popularity"]
    untied = [r for r in lf if r["test_positive_ties"] == 0]
    agreement = {
        "runs": len(lf), "runs_without_test_positive_ties": len(untied),
        "max_abs_diff_p@10_all": max(abs(r["p@10"] - r["lightfm_p@10"]) for r in lf),
        "max_abs_diff_auc_all_half_ties": max(abs(r["auc"] - r["lightfm_auc"]) for r in lf),
        "max_abs_diff_auc_all_pessimistic_ties": max(
            abs(r["auc_pessimistic_ties"] - r["lightfm_auc"]) for r in lf),
        "max_abs_diff_p@10_untied": max((abs(r["p@10"] - r["lightfm_p@10"]) for r in untied),
                                        default=None),
        "max_abs_diff_auc_untied": max((abs(r["auc"] - r["lightfm_auc"]) for r in untied),
                                       default=None),
        "max_abs_diff_p@10_items_with_identity": max(
            abs(r["p@10"] - r["lightfm_p@10"]) for r in lf if "identity" in r["item_features"]),
        "max_abs_diff_auc_items_with_identity": max(
            abs(r["auc"] - r["lightfm_auc"]) for r in lf if "identity" in r["item_features"]),
    }
    headline = {}
    for proto in ("warm", "cold"):
        cands = [r for r in grid if r["protocol"] == proto]
        h = {"popularity": next(r for r in runs
                                if r["model"] == "popularity" and r["protocol"] == proto)}
        for (p, setup, values), r in best.items():
            if p == proto:
                h[f"best {setup} [{values}]"] = r
        default = [r for r in cands if r["learning_rate"] == 0.05 and r["feature_values"] == NORM]
        h["best P@10 at LightFM defaults (lr 0.05, normalised rows)"] = max(
            default, key=lambda r: (r["p@10"], r["auc"]))
        h["best P@10 overall"] = max(cands, key=lambda r: (r["p@10"], r["auc"]))
        h["best AUC overall"] = max(cands, key=lambda r: (r["auc"], r["p@10"]))
        headline[proto] = h
    out = {
        "k": K, "bench": os.path.relpath(args.bench, ROOT), "data_meta": meta,
        "lightfm_version": lightfm.__version__, "numpy_version": np.__version__,
        "python": platform.python_version(), "machine": platform.machine(),
        "cpu_count": os.cpu_count(), "uptime_end": uptime(),
        "cpu_time": "time.process_time() around fit/fit_partial (user+sys of this process, "
                    "1 thread), cumulative up to the epoch count",
        "metric_agreement": agreement, "headline": headline,
        "best_per_setup": list(best.values()), "seed_spread": spread, "runs": runs,
    }
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")

    print("\nheadline (seed %d; best = highest P@10, then AUC, over values/rate/epochs):"
          % args.seed)
    for proto in ("warm", "cold"):
        print(HEADER)
        for name, r in headline[proto].items():
            print(fmt_row(r), " <-", name)
    if spread:
        print("\nseed spread (seeds %s):" % ",".join(map(str, [args.seed] + seeds)))
        for g in spread:
            print(f"{g['protocol']:<5} {g['setup']:<42} [{g['feature_values']}] lr {g['learning_rate']}"
                  f" ep {g['epochs']}: P@10 {g['p@10']['min']:.4f}-{g['p@10']['max']:.4f}"
                  f" (mean {g['p@10']['mean']:.4f}), AUC {g['auc']['min']:.4f}-{g['auc']['max']:.4f}"
                  f", cpu {g['train_cpu_s']['min']:.2f}-{g['train_cpu_s']['max']:.2f} s")
    print("\nmetrics.py vs lightfm.evaluation:", json.dumps(agreement))
    print("uptime at end:", out["uptime_end"])
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
