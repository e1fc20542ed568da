#!/usr/bin/env python3
"""Brute-force reference for vocabulary and co-occurrence counting (stdlib only).

Clarity over speed: this is the definition the Swift implementation is
tested against, so every rule is spelled out in one place.

Vocabulary
    Count every token. Keep words with count >= min_count. Order them by
    count descending, ties broken by the word's UTF-8 bytes ascending; if
    max_size is given keep the first max_size. A word's id is its 0-based
    position in that order. Saved as Stanford GloVe ``vocab.txt``
    (``word count`` per line, in id order).

Ids of tokens
    In-vocabulary word -> its id. Out-of-vocabulary word -> dropped
    (``oov="drop"``, the default) or ``V + compat_bucket(word)``
    (``oov="bucket"``, V = vocabulary size, 65536 buckets). Dropping happens
    BEFORE windowing: positions are re-indexed after the OOV tokens are
    removed, so two words separated only by OOV tokens are neighbours.

Co-occurrence
    Each line is a document; windows never cross lines. For every pair of
    positions p < q in the same document with q - p <= window, the weight
    w = 1/(q - p) (``weighting="harmonic"``, default) or w = 1
    (``weighting="uniform"``) is added to BOTH X[id(p), id(q)] and
    X[id(q), id(p)]. So when id(p) == id(q) = i, the diagonal entry X[i, i]
    receives w TWICE (2w per such pair). Sums are float64.

Subsampling (``subsample=t`` > 0, word2vec's ``sample``)
    Before windowing (after OOV tokens are dropped), each occurrence of an
    in-vocabulary id i is kept with probability
    p = min(1, (sqrt(f/t) + 1) * t / f), f = count(i) / (sum of the
    vocabulary's counts); bucket ids are always kept. t is first rounded to
    a 32-bit float (the C struct's type). The draw: a state s starts at
    0x9E3779B97F4A7C15 for each document; for each id in order,
    s = mix64(s XOR (id * 0xD6E8FEB86659FD93 mod 2^64)) (SplitMix64's
    finaliser), and the occurrence is kept when s >> 32 < floor(p * 2^32)
    (always when p >= 1). Dropped occurrences leave no gap.

CLI::

    python3 Tests/reference/cooccur.py --vocab-out vocab.txt --min-count 5 \\
        --window 10 [--weighting uniform] [--oov bucket] [--max-size N] \\
        [--mode pretokenized] --out triples.tsv FILE...

writes the vocabulary, and the sorted triples as ``i j x`` lines (0-based
ids, x printed with repr(), i.e. round-trippable float64).

The tokenizer lives in ``tokenize.py`` beside this file. Because that name
shadows the stdlib module, load it with :func:`load_tokenizer` (by path),
never with ``import tokenize``.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
# Keep this folder off sys.path so ``import tokenize`` elsewhere finds the stdlib.
if __name__ == "__main__" and sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]

import argparse  # noqa: E402
import binascii  # noqa: E402
import importlib.util  # noqa: E402
import math  # noqa: E402
import struct  # noqa: E402
from collections import Counter  # noqa: E402
from typing import Dict, Iterable, List, Optional, Tuple  # noqa: E402

COMPAT_BUCKETS = 65536
WEIGHTINGS = ("harmonic", "uniform")
OOV_POLICIES = ("drop", "bucket")

Vocab = List[Tuple[str, int]]  # [(word, count)] in id order


def load_tokenizer():
    """Load Tests/reference/tokenize.py by path as module ``glove_reference_tokenize``."""
    name = "glove_reference_tokenize"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, os.path.join(_HERE, "tokenize.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------
# Vocabulary


def vocab_sort_key(item: Tuple[str, int]):
    """Count descending, then UTF-8 bytes ascending."""
    word, count = item
    return (-count, word.encode("utf-8"))


def build_vocab(documents: Iterable[List[str]], min_count: int = 1,
                max_size: Optional[int] = None) -> Vocab:
    """Count tokens and return [(word, count)] in id order (see module doc)."""
    counts = Counter()
    for doc in documents:
        counts.update(doc)
    kept = [(w, c) for w, c in counts.items() if c >= min_count]
    kept.sort(key=vocab_sort_key)
    if max_size is not None:
        kept = kept[:max_size]
    return kept


def vocab_index(vocab: Vocab) -> Dict[str, int]:
    """word -> 0-based id."""
    return {word: i for i, (word, _count) in enumerate(vocab)}


def save_vocab(path, vocab: Vocab) -> None:
    """Write Stanford GloVe vocab.txt: ``word count`` per line, in id order."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for word, count in vocab:
            f.write(f"{word} {count}\n")


def load_vocab(path) -> Vocab:
    """Read a vocab.txt written by save_vocab (or by Stanford's vocab_count)."""
    vocab = []
    with open(path, "rb") as f:
        for line in f.read().split(b"\n"):
            if not line:
                continue
            word, count = line.decode("utf-8", errors="replace").rsplit(" ", 1)
            vocab.append((word, int(count)))
    return vocab


# --------------------------------------------------------------------------
# Min-hash compat bucket (copied exactly from the definition)


def compat_bucket(word: str) -> int:
    """CRC32-based min-hash bucket in [0, 65536) of the reference pipeline."""
    n = len(word.encode("utf-8").decode("utf-8", "replace"))
    b = word.encode("utf-8")
    if n <= 4:
        return binascii.crc32(b) & 0xFFFF
    m = min(10, n)
    return min(binascii.crc32(b[i:i + 4]) & 0xFFFF for i in range(m - 4))


# --------------------------------------------------------------------------
# Co-occurrence


def document_ids(doc: List[str], index: Dict[str, int], oov: str = "drop") -> List[int]:
    """Map one document's tokens to ids; OOV tokens are dropped or bucketed."""
    if oov not in OOV_POLICIES:
        raise ValueError(f"unknown oov policy {oov!r}")
    ids = []
    for word in doc:
        if word in index:
            ids.append(index[word])
        elif oov == "bucket":
            ids.append(len(index) + compat_bucket(word))
        # oov == "drop": skip it, so later positions shift down
    return ids


_MASK64 = (1 << 64) - 1


def mix64(x: int) -> int:
    """SplitMix64's finaliser on a 64-bit integer."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def float32(value: float) -> float:
    """``value`` rounded to the nearest 32-bit float."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def subsample_ids(ids: List[int], vocab: Vocab, t: float) -> List[int]:
    """The occurrences of one document's ids kept by subsampling at threshold t (see module doc)."""
    t = float32(t)
    total = sum(count for _, count in vocab)
    state, kept = 0x9E3779B97F4A7C15, []
    for i in ids:
        state = mix64(state ^ ((i * 0xD6E8FEB86659FD93) & _MASK64))
        limit = 1 << 32
        if i < len(vocab) and vocab[i][1] > 0:
            f = vocab[i][1] / total
            p = (math.sqrt(f / t) + 1) * t / f
            limit = limit if p >= 1 else int(p * 4294967296)
        if state >> 32 < limit:
            kept.append(i)
    return kept


def cooccur(documents: Iterable[List[str]], vocab: Vocab, window: int = 10,
            weighting: str = "harmonic", oov: str = "drop", subsample: float = 0.0) -> Dict[Tuple[int, int], float]:
    """Return {(i, j): x} for the documents (see module doc for the exact rule).

    Every pair p < q with q - p <= window adds w to (id(p), id(q)) and to
    (id(q), id(p)); for a pair of equal ids i, (i, i) therefore gets 2w.
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}")
    index = vocab_index(vocab)
    x: Dict[Tuple[int, int], float] = {}
    for doc in documents:
        ids = document_ids(doc, index, oov)
        if float32(subsample) > 0:
            ids = subsample_ids(ids, vocab, subsample)
        for p in range(len(ids)):
            for q in range(p + 1, min(p + window, len(ids) - 1) + 1):
                w = 1.0 / (q - p) if weighting == "harmonic" else 1.0
                a, b = ids[p], ids[q]
                x[(a, b)] = x.get((a, b), 0.0) + w
                x[(b, a)] = x.get((b, a), 0.0) + w  # same key again when a == b
    return x


def sorted_triples(x: Dict[Tuple[int, int], float]) -> List[Tuple[int, int, float]]:
    """[(i, j, x)] sorted by (i, j)."""
    return [(i, j, v) for (i, j), v in sorted(x.items())]


def write_triples(path, x: Dict[Tuple[int, int], float]) -> None:
    """Write sorted ``i j x`` lines (0-based ids, repr() floats)."""
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for i, j, v in sorted_triples(x):
            f.write(f"{i} {j} {v!r}\n")


def read_triples(path) -> Dict[Tuple[int, int], float]:
    """Read a file written by write_triples."""
    x = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            i, j, v = line.split()
            x[(int(i), int(j))] = float(v)
    return x


# --------------------------------------------------------------------------
# Stanford GloVe cooccurrence.bin

_RECORD = struct.Struct("<iid")  # int32 word1, int32 word2, float64 value; 16 bytes


def write_stanford_binary(path, triples) -> None:
    """Write Stanford's cooccurrence.bin: little-endian (int32, int32, float64) records.

    ``triples`` is a {(i, j): x} dict or an iterable of (i, j, x) with
    0-based ids; the file stores 1-based ids, as Stanford's tools do.
    """
    items = triples.items() if isinstance(triples, dict) else triples
    with open(path, "wb") as f:
        for item in items:
            if isinstance(triples, dict):
                (i, j), v = item
            else:
                i, j, v = item
            f.write(_RECORD.pack(i + 1, j + 1, v))


def read_stanford_binary(path) -> List[Tuple[int, int, float]]:
    """Read Stanford's cooccurrence.bin into [(i, j, x)] with 0-based ids, in file order."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) % _RECORD.size:
        raise ValueError(f"{path}: size {len(data)} is not a multiple of {_RECORD.size}")
    return [(i - 1, j - 1, v) for i, j, v in _RECORD.iter_unpack(data)]


# --------------------------------------------------------------------------
# CLI


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Reference vocabulary + co-occurrence counter.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--vocab-out", required=True, help="where to write vocab.txt")
    parser.add_argument("--out", required=True, help="where to write sorted 'i j x' triples")
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--max-size", type=int, default=None)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--weighting", choices=WEIGHTINGS, default="harmonic")
    parser.add_argument("--oov", choices=OOV_POLICIES, default="drop")
    parser.add_argument("--subsample", type=float, default=0.0)
    parser.add_argument("--mode", choices=("default", "pretokenized"), default="default")
    parser.add_argument("--bin-out", default=None, help="also write Stanford cooccurrence.bin")
    args = parser.parse_args(argv)

    tok = load_tokenizer()
    documents = [doc for path in args.files for doc in tok.iter_documents(path, args.mode)]
    vocab = build_vocab(documents, args.min_count, args.max_size)
    save_vocab(args.vocab_out, vocab)
    x = cooccur(documents, vocab, args.window, args.weighting, args.oov, args.subsample)
    write_triples(args.out, x)
    if args.bin_out:
        write_stanford_binary(args.bin_out, sorted_triples(x))
    tokens = sum(len(d) for d in documents)
    print(f"documents={len(documents)} tokens={tokens} vocab={len(vocab)} nnz={len(x)}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
