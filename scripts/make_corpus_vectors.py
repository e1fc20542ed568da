#!/usr/bin/env python3
"""Writes the corpus test vectors under Tests/vectors/corpus/: small seeded
corpora and the vocabulary and co-occurrence triples that the independent
brute-force reference (Tests/reference/cooccur.py) computes for them.

Each case is a folder with corpus.txt (basic/ also has .gz and .bz2 copies), case.txt (the options, key=value),
vocab.txt and triples.tsv ("i j x", 0-based ids, x as repr()). The Swift, C,
Python and CLI tests all read these folders.

Usage: python3 scripts/make_corpus_vectors.py
"""
import bz2
import gzip
import importlib.util
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "vectors", "corpus")
spec = importlib.util.spec_from_file_location("reference_cooccur", os.path.join(HERE, "..", "Tests", "reference", "cooccur.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
tok = ref.load_tokenizer()


def random_corpus(rng: random.Random, lines: int) -> bytes:
    """Zipf-like words, capitals, punctuation, digits, accents, CJK, invalid
    UTF-8, \\r\\n line ends, empty lines and one long line."""
    words = ["the", "of", "and", "to", "a", "in", "is", "that", "democracy", "zebra", "hashes", "café",
             "naïve", "日本", "Über", "x1", "42", "l'été", "ab-cd", "TEST", "Straße", "ﬁsh", "éclair"]
    words += ["w%d" % i for i in range(150)]
    weights = [1.0 / (k + 1) for k in range(len(words))]
    out = []
    for n in range(lines):
        kind = rng.random()
        if kind < 0.05:
            out.append(b"")
            continue
        length = 200 if n == lines // 2 else rng.randrange(1, 25)
        parts = []
        for _ in range(length):
            w = rng.choices(words, weights)[0]
            if rng.random() < 0.1:
                w = w.upper()
            sep = rng.choice([" ", " ", " ", ", ", ". ", " — ", "\t", "(", ")"])
            parts.append(w + sep)
        line = "".join(parts).encode("utf-8")
        if rng.random() < 0.05:
            line += b" bad\xffbytes \xe2\x82 end"
        if rng.random() < 0.1:
            line += b"\r"
        out.append(line)
    return b"\n".join(out) + b"\n"


CASES = {
    # name: (corpus maker, options)
    "basic": (lambda r: random_corpus(r, 300), dict(min_count=2, window=10)),
    "buckets": (lambda r: random_corpus(r, 200), dict(min_count=3, window=5, oov="bucket")),
    "window1_uniform": (lambda r: random_corpus(r, 150), dict(min_count=1, window=1, weighting="uniform")),
    "max_size": (lambda r: random_corpus(r, 150), dict(min_count=1, window=4, max_size=20)),
    "pretokenized": (lambda r: random_corpus(r, 150), dict(min_count=2, window=6, mode="pretokenized")),
    "one_token": (lambda r: b"hello\n", dict(min_count=1, window=10)),
    "repeated_word": (lambda r: b"la la la la\nla\n\nla la\n", dict(min_count=1, window=3)),
    "no_final_newline": (lambda r: b"a b c\nb c a b", dict(min_count=1, window=2)),
    "empty": (lambda r: b"", dict(min_count=1, window=10)),
    # t = 2^-6 is exact in float32; "the" (16% of the tokens) keeps about 40% of its occurrences.
    "subsample": (lambda r: random_corpus(r, 300), dict(min_count=2, window=5, oov="bucket", subsample=0.015625)),
}


def main() -> None:
    rng = random.Random(20261129)
    for name, (make, options) in CASES.items():
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        corpus = make(rng)
        with open(os.path.join(folder, "corpus.txt"), "wb") as f:
            f.write(corpus)
        if name == "basic":  # the same text compressed, for the .gz and .bz2 readers
            with open(os.path.join(folder, "corpus.txt.gz"), "wb") as f:
                f.write(gzip.compress(corpus, mtime=0))
            with open(os.path.join(folder, "corpus.txt.bz2"), "wb") as f:
                f.write(bz2.compress(corpus))
        mode = options.get("mode", "default")
        docs = tok.tokenize_bytes(corpus, mode)
        vocab = ref.build_vocab(docs, min_count=options.get("min_count", 1), max_size=options.get("max_size"))
        x = ref.cooccur(docs, vocab, window=options.get("window", 10),
                        weighting=options.get("weighting", "harmonic"), oov=options.get("oov", "drop"),
                        subsample=options.get("subsample", 0.0))
        ref.save_vocab(os.path.join(folder, "vocab.txt"), vocab)
        ref.write_triples(os.path.join(folder, "triples.tsv"), x)
        with open(os.path.join(folder, "case.txt"), "w") as f:
            defaults = dict(min_count=1, max_size=0, window=10, weighting="harmonic", oov="drop", mode="text", subsample=0)
            defaults.update({k: v for k, v in options.items() if v is not None})
            if defaults["mode"] == "default":
                defaults["mode"] = "text"
            for k, v in defaults.items():
                f.write(f"{k}={v}\n")
        print(f"{name}: {len(vocab)} words, {len(x)} nonzero entries")


if __name__ == "__main__":
    main()
