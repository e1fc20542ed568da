#!/usr/bin/env python3
"""The seed GloVe model in JAX/Flax/Optax, written the way the reference
pipeline trained it (/work/shared/seed/glove-flashcards.md): a peer for
libglove's ``seed`` objective in the training benchmarks.

The model and loss are libglove's ``seed`` objective:

- one table and one bias per id: a Flax ``Glove`` module with
  ``nn.Embed(V, dim)`` (Flax's default initialisation, variance 1/dim) and
  ``nn.Embed(V, 1)`` initialised to zero; predicted = x_i·x_j + b_i + b_j,
  the dot products taken with ``jax.vmap`` over the batch;
- target log10(1 + X_ij), weight min(1, X_ij/100)^0.75 (the flashcards'
  ``glove_loss`` applies the 0.75 power too), both computed in float32
  inside the loss, as the reference did;
- loss the batch mean of weight · (predicted - target)²;
- each unordered pair once: the Stanford binary file (little-endian int32
  word1, int32 word2, float64 X; ids from 1) holds both directions and the
  diagonal once, and only the records with word1 <= word2 are kept (a file
  holding only the upper triangle gives the same pairs);
- ``optax.adam(0.01)`` (β1 0.9, β2 0.999, ε 1e-8) with a Flax ``TrainState``:
  a dense update of every row at every step, the reference's behaviour
  (libglove updates only the rows a batch touches).

Every epoch shuffles the pairs with a numpy Generator seeded by --seed and
runs them in batches of --batch-size. The last batch is padded with X = 0
entries, whose weight is 0, and every loss is the weighted sum divided by
the batch's real entry count: each pair is trained once an epoch, partial
batches keep libglove's mean, and the jitted step keeps one shape.
The flashcards jit ``apply_model`` (loss and gradients) and apply the
gradients after it; here the whole step, gradients and Adam update, is one
@jax.jit function with the state donated, so that XLA may update it in
place: the peer at its best. --check compares the jitted loss of the first
batch with an independent float64 numpy computation.

Timing covers the training loop only (shuffling, batching, steps), from
after one warm-up step on a throwaway copy of the state, which pays for the
compilation. CPU seconds are the process's user + sys time
(getrusage(RUSAGE_SELF)), which includes XLA's threads. One line per epoch,
then a summary as one JSON line, go to standard output.

Threads: the script sets nothing special; XLA_FLAGS and the other variables
of the environment are respected. XLA sizes its CPU thread pools from the
CPUs the process may run on, so ``--threads N`` (or ``taskset -c``) limits
it to N cores: the script restricts its CPU affinity to the first N allowed
CPUs before XLA starts. ``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false``
does not make jax 0.10 run on one thread, and intra_op_parallelism_threads
is not an XLA flag.

Usage:
    python3 benchmarks/peers/jax_seed.py --cooc cooc.bin --vocab vocab.txt \\
        --dim 50 --epochs 15 --batch-size 65536 [--max-steps S] [--seed 1] \\
        [--threads N] [--output vectors.txt] [--check]
"""
import argparse
import functools
import json
import os
import resource
import sys
import tempfile
import time

import flax
import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import linen as nn
from flax.training import train_state

RECORD = np.dtype([("word1", "<i4"), ("word2", "<i4"), ("value", "<f8")])


class Glove(nn.Module):
    """One embedding and one bias per id; predicts x_i·x_j + b_i + b_j for [batch, 2] id pairs."""
    num_embeddings: int
    features: int

    def setup(self):
        self.token_embedding = nn.Embed(self.num_embeddings, self.features)
        self.bias = nn.Embed(self.num_embeddings, 1, embedding_init=nn.initializers.zeros)

    def __call__(self, inputs):
        embed = self.token_embedding(inputs)
        bias = self.bias(inputs)
        dot = jax.vmap(jnp.dot, in_axes=(0, 0), out_axes=0)(embed[:, 0, :], embed[:, 1, :])
        return dot + bias[:, 0, 0] + bias[:, 1, 0]


def glove_loss(predicted, counts, n):
    """Sum of min(1, X/100)^0.75 · (predicted - log10(1 + X))² over the batch, divided by n real entries."""
    weight = jnp.power(jnp.minimum(1.0, counts / 100.0), 0.75)
    target = jnp.log10(1.0 + counts)
    return jnp.sum(weight * jnp.square(predicted - target)) / n


@functools.partial(jax.jit, donate_argnums=0)
def train_step(state, pairs, counts, n):
    """One dense Adam step on a batch; returns the new state and the batch loss before the step."""
    def loss_fn(params):
        return glove_loss(state.apply_fn({"params": params}, pairs), counts, n)
    loss, grads = jax.value_and_grad(loss_fn)(state.params)
    return state.apply_gradients(grads=grads), loss


def cpu_seconds():
    """User + sys CPU time of this process, all threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def limit_cpus(threads):
    """Restricts the process to its first `threads` allowed CPUs (0: no change); returns the CPU count."""
    allowed = sorted(os.sched_getaffinity(0))
    if threads:
        os.sched_setaffinity(0, allowed[:threads])
    return len(os.sched_getaffinity(0))


def read_vocabulary(path):
    """The words of a Stanford vocab.txt ("word count" per line), as bytes, in id order."""
    with open(path, "rb") as f:
        return [line.rstrip(b"\r\n").rsplit(b" ", 1)[0] for line in f]


def read_pairs(path):
    """(pairs [N, 2] int32 0-based ids, counts [N] float32) of the records with word1 <= word2 and X > 0."""
    records = np.fromfile(path, dtype=RECORD)
    kept = records[(records["word1"] <= records["word2"]) & (records["value"] > 0)]
    pairs = np.stack([kept["word1"] - 1, kept["word2"] - 1], axis=1).astype(np.int32)
    return pairs, kept["value"].astype(np.float32)


def padded(pairs, counts, batch_size):
    """Copies of pairs and counts padded with (0, 0, X = 0) entries to a multiple of batch_size."""
    size = -(-len(counts) // batch_size) * batch_size
    out_pairs = np.zeros((size, 2), np.int32)
    out_counts = np.zeros(size, np.float32)
    out_pairs[:len(counts)] = pairs
    out_counts[:len(counts)] = counts
    return out_pairs, out_counts


def create_state(rows, dim, seed):
    """A TrainState of a Glove model with `rows` ids and optax.adam(0.01)."""
    model = Glove(num_embeddings=rows, features=dim)
    params = model.init(jax.random.PRNGKey(seed), jnp.zeros((1, 2), jnp.int32))["params"]
    tx = optax.adam(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-8)
    return train_state.TrainState.create(apply_fn=model.apply, params=params, tx=tx)


def numpy_loss(params, pairs, counts, n):
    """The seed loss of a batch computed independently in float64 numpy."""
    vectors = np.asarray(params["token_embedding"]["embedding"], np.float64)
    biases = np.asarray(params["bias"]["embedding"], np.float64)[:, 0]
    i, j = pairs[:, 0], pairs[:, 1]
    x = counts.astype(np.float64)
    predicted = np.einsum("bd,bd->b", vectors[i], vectors[j]) + biases[i] + biases[j]
    weight = np.minimum(1.0, x / 100.0) ** 0.75
    return float(np.sum(weight * (predicted - np.log10(1.0 + x)) ** 2) / n)


def warm_up(state, pairs, counts, batch_size, check):
    """Compiles and runs one step on the first batch with a copy of the state; returns (seconds, check result)."""
    batch_pairs, batch_counts = padded(pairs[:batch_size], counts[:batch_size], batch_size)
    n = np.float32(min(batch_size, len(counts)))
    expected = numpy_loss(state.params, batch_pairs, batch_counts, n) if check else None
    start = time.perf_counter()
    _, loss = train_step(jax.tree.map(jnp.copy, state), batch_pairs, batch_counts, n)
    loss = float(loss)
    seconds = time.perf_counter() - start
    if not check:
        return seconds, None
    difference = abs(loss - expected) / max(abs(expected), 1e-30)
    return seconds, {"jax_loss": loss, "numpy_loss": expected, "relative_difference": difference}


def run_epoch(state, pairs, counts, batch_size, rng, max_steps):
    """One shuffled pass (at most max_steps steps); returns (state, steps, pairs trained, summed weighted loss)."""
    order = rng.permutation(len(counts))
    epoch_pairs, epoch_counts = padded(pairs[order], counts[order], batch_size)
    steps = min(len(epoch_counts) // batch_size, max_steps)
    losses, sizes = [], []
    for step in range(steps):
        start = step * batch_size
        n = min(batch_size, len(counts) - start)
        end = start + batch_size
        state, loss = train_step(state, epoch_pairs[start:end], epoch_counts[start:end], np.float32(n))
        losses.append(loss)
        sizes.append(n)
    loss_sum = float(np.dot(np.asarray(jax.device_get(losses), np.float64), np.asarray(sizes, np.float64)))
    return state, steps, sum(sizes), loss_sum


def write_vectors(path, words, vectors):
    """Writes "word v1 ... vd" lines (%.6g) for the vocabulary rows, atomically."""
    row_format = " ".join(["%.6g"] * vectors.shape[1]) + "\n"
    fd, temp = tempfile.mkstemp(prefix=".jax-seed-", suffix=".txt", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as f:
            for word, row in zip(words, vectors[:len(words)].tolist()):
                f.write(word + b" " + (row_format % tuple(row)).encode("ascii"))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp creates the file 0600
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cooc", required=True,
                        help="Stanford binary co-occurrence file (int32, int32, float64; ids from 1)")
    parser.add_argument("--vocab", required=True, help="Stanford vocab.txt: line k is id k")
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=65536)
    parser.add_argument("--max-steps", type=int, default=None,
                        help="stop after this many steps in total (the warm-up step not counted)")
    parser.add_argument("--seed", type=int, default=1, help="seeds the initialisation and the shuffles")
    parser.add_argument("--threads", type=int, default=0, help="limit XLA to this many CPUs (0: all allowed)")
    parser.add_argument("--output", help="write the trained vectors here in GloVe text format")
    parser.add_argument("--check", action="store_true",
                        help="compare the first batch's jitted loss with a numpy computation (exit 1 if it differs)")
    args = parser.parse_args()
    for name in ("dim", "epochs", "batch_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.max_steps is not None and args.max_steps < 1:
        parser.error("--max-steps must be at least 1")
    if args.threads < 0:
        parser.error("--threads must be 0 or more")
    return args


def main():
    args = parse_arguments()
    cpus = limit_cpus(args.threads)  # before XLA starts: it sizes its thread pools from the affinity
    start = time.perf_counter()
    words = read_vocabulary(args.vocab)
    pairs, counts = read_pairs(args.cooc)
    load_seconds = time.perf_counter() - start
    if not len(counts):
        sys.exit(f"{args.cooc}: no co-occurrence records with word1 <= word2")
    if pairs.min() < 0:
        sys.exit(f"{args.cooc}: ids start at 1, found {int(pairs.min()) + 1}")
    rows = max(len(words), int(pairs.max()) + 1)

    start = time.perf_counter()
    state = create_state(rows, args.dim, args.seed)
    jax.block_until_ready(state)
    init_seconds = time.perf_counter() - start
    warmup_seconds, check = warm_up(state, pairs, counts, args.batch_size, args.check)
    if check:
        print(f"check: jitted loss {check['jax_loss']:.9g}, numpy loss {check['numpy_loss']:.9g}, "
              f"relative difference {check['relative_difference']:.2e}", flush=True)

    rng = np.random.default_rng(args.seed)
    remaining = args.max_steps or sys.maxsize
    epoch_losses, total_steps, total_pairs, wall, cpu = [], 0, 0, 0.0, 0.0
    for epoch in range(1, args.epochs + 1):
        if remaining <= 0:
            break
        w, c = time.perf_counter(), cpu_seconds()
        state, steps, trained, loss_sum = run_epoch(state, pairs, counts, args.batch_size, rng, remaining)
        jax.block_until_ready(state)
        w, c = time.perf_counter() - w, cpu_seconds() - c
        remaining -= steps
        total_steps += steps
        total_pairs += trained
        wall += w
        cpu += c
        epoch_losses.append(loss_sum / trained)
        partial = "" if trained == len(counts) else f" (stopped after {steps} steps)"
        print(f"epoch {epoch}: loss {epoch_losses[-1]:.6f}, {trained:,} pairs in {steps} steps, "
              f"{w:.2f} s wall, {c:.2f} s CPU, {trained / max(c, 1e-6):,.0f} pairs/CPU-s{partial}", flush=True)

    write_seconds = None
    if args.output:
        start = time.perf_counter()
        write_vectors(args.output, words, np.asarray(state.params["token_embedding"]["embedding"]))
        write_seconds = time.perf_counter() - start
    print(json.dumps({
        "peer": "jax-seed", "jax": jax.__version__, "flax": flax.__version__, "optax": optax.__version__,
        "xla_flags": os.environ.get("XLA_FLAGS"), "threads": args.threads, "cpus": cpus,
        "vocabulary": len(words), "rows": rows, "pairs": len(counts), "dim": args.dim,
        "batch_size": args.batch_size, "seed": args.seed, "epochs": len(epoch_losses), "steps": total_steps,
        "pairs_trained": total_pairs, "load_seconds": load_seconds, "init_seconds": init_seconds,
        "warmup_seconds": warmup_seconds, "train_wall_seconds": wall, "train_cpu_seconds": cpu,
        "pairs_per_wall_second": total_pairs / wall if wall else None,
        "pairs_per_cpu_second": total_pairs / cpu if cpu else None,
        "epoch_losses": epoch_losses, "write_seconds": write_seconds, "check": check,
    }), flush=True)
    if check and not check["relative_difference"] < 1e-4:
        sys.exit(1)


if __name__ == "__main__":
    main()
