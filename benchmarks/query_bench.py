#!/usr/bin/env python3
"""Exact top-10 search, side by side in one run: libglove's blocked kernel
(glove_model_neighbors through Python; all processors) against numpy (BLAS
matmul + argpartition) and, when installed, faiss-cpu IndexFlatIP.

Models: a GloVe model file (default build/demo/model-paper-50-15.glove, from
`make demo`) and a synthetic random matrix. Queries are rows of the matrix.
Run with OPENBLAS_NUM_THREADS=1 (and OMP_NUM_THREADS=1) for single-thread peers.

Usage: python3 benchmarks/query_bench.py [--model PATH] [--queries 10000] [--synthetic-rows 1000000 (0: none)]
"""
import argparse
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bindings", "python"))
os.environ.setdefault("GLOVE_LIBRARY", os.path.join(HERE, "..", "build", "lib", "libglove.so"))
import glove  # noqa: E402


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - w, time.process_time() - c, result


def numpy_topk(matrix, queries, k):
    scores = queries @ matrix.T
    part = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.take_along_axis(scores, part, axis=1).argsort(axis=1)[:, ::-1]
    return np.take_along_axis(part, order, axis=1)


def bench(name, model, queries, k, rows, similarity="dot"):
    matrix = model.embeddings[:rows]
    raw = queries
    if similarity == "cosine":  # the peers search the normalised rows with normalised queries
        matrix = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
        queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    print(f"\n{name}: {matrix.shape[0]:,} rows x {matrix.shape[1]}, {len(queries):,} queries, top-{k}, {similarity}")
    print(f"{'method':36} {'wall s':>8} {'CPU s':>8} {'queries/CPU-s':>14}")
    results = {}
    w, c, (ids, _) = timed(lambda: model.neighbors_batch(raw, k=k, similarity=similarity))
    results["libglove"] = ids
    print(f"{'libglove (all processors)':36} {w:8.2f} {c:8.2f} {len(queries) / c:14,.0f}")
    w, c, ids = timed(lambda: numpy_topk(matrix, queries, k))
    results["numpy"] = ids
    print(f"{'numpy matmul + argpartition':36} {w:8.2f} {c:8.2f} {len(queries) / c:14,.0f}")
    try:
        import faiss
        index = faiss.IndexFlatIP(matrix.shape[1])
        index.add(matrix)
        for threads in (1, os.cpu_count()):
            faiss.omp_set_num_threads(threads)
            w, c, (_, ids) = timed(lambda: index.search(queries, k))
            results["faiss"] = ids
            print(f"{f'faiss-cpu IndexFlatIP ({threads} thread(s))':36} {w:8.2f} {c:8.2f} {len(queries) / c:14,.0f}")
        faiss.omp_set_num_threads(1)
    except ImportError:
        print("faiss-cpu is not installed: skipped")
    agree = np.mean(results["libglove"][:, 0] == results["numpy"][:, 0])
    print(f"top-1 agreement libglove vs numpy: {agree:.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=os.path.join(HERE, "..", "build", "demo", "model-paper-50-15.glove"))
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--synthetic-rows", type=int, default=1000000)
    parser.add_argument("--synthetic-queries", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    model = glove.GloVe.load(args.model)
    e = model.embeddings
    queries = np.ascontiguousarray(e[rng.integers(0, len(model.words), args.queries)])
    bench("gcide model", model, queries, 10, len(model.words))
    bench("gcide model", model, queries, 10, len(model.words), similarity="cosine")
    if not args.synthetic_rows:
        return
    # Synthetic: a random float32 matrix written as text vectors and imported.
    rows = args.synthetic_rows
    matrix = rng.standard_normal((rows, 100), dtype=np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "synthetic.txt")
        with open(path, "w") as f:
            for start in range(0, rows, 10000):
                block = matrix[start:start + 10000]
                text = np.char.mod("%.6f", block).tolist()
                f.write("".join(f"w{start + r} {' '.join(values)}\n" for r, values in enumerate(text)))
        synthetic = glove.GloVe.import_text(path)
    queries = np.ascontiguousarray(synthetic.embeddings[rng.integers(0, rows, args.synthetic_queries)])
    bench("synthetic", synthetic, queries, 10, rows)


if __name__ == "__main__":
    main()
