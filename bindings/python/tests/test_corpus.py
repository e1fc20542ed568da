"""Vocabulary and Cooccurrence against the shared corpus vectors and the
independent brute-force reference (Tests/reference/cooccur.py)."""
import importlib.util
import os
import random
import struct

import numpy as np
import pytest

import glove

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "Tests", "vectors", "corpus")
REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "Tests", "reference", "cooccur.py")
spec = importlib.util.spec_from_file_location("reference_cooccur", REFERENCE)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
tok = ref.load_tokenizer()
CASES = sorted(os.listdir(VECTORS))


def case(name):
    folder = os.path.join(VECTORS, name)
    options = dict(line.strip().split("=", 1) for line in open(os.path.join(folder, "case.txt")))
    expected = ref.read_triples(os.path.join(folder, "triples.tsv"))
    return folder, options, expected


def as_dict(cooc):
    i, j, x = cooc.to_numpy()
    return {(int(a), int(b)): float(v) for a, b, v in zip(i, j, x)}


def assert_same(got, expected):
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-8)


@pytest.mark.parametrize("name", CASES)
def test_vectors(name):
    folder, o, expected = case(name)
    corpus = os.path.join(folder, "corpus.txt")
    with glove.Vocabulary.build(corpus, min_count=int(o["min_count"]), max_size=int(o["max_size"]), mode=o["mode"]) as v:
        reference_vocab = ref.load_vocab(os.path.join(folder, "vocab.txt"))
        assert v.words == [w for w, _ in reference_vocab]
        assert v.counts.tolist() == [c for _, c in reference_vocab]
        for threads in (1, 2):
            with glove.Cooccurrence.from_files(corpus, v, window=int(o["window"]), weighting=o["weighting"],
                                               oov=o["oov"], mode=o["mode"], threads=threads,
                                               subsample=float(o["subsample"])) as c:
                assert_same(as_dict(c), expected)


@pytest.mark.parametrize("name", CASES)
def test_one_read_builds_the_vocabulary_and_the_matrix(name):
    folder, o, expected = case(name)
    corpus = os.path.join(folder, "corpus.txt")
    reference_vocab = ref.load_vocab(os.path.join(folder, "vocab.txt"))
    for threads in (1, 2):
        with glove.Cooccurrence.from_files(corpus, window=int(o["window"]), weighting=o["weighting"], oov=o["oov"],
                                           mode=o["mode"], threads=threads, min_count=int(o["min_count"]),
                                           max_size=int(o["max_size"]), subsample=float(o["subsample"])) as c:
            assert c.vocab.words == [w for w, _ in reference_vocab]
            assert c.vocab.counts.tolist() == [n for _, n in reference_vocab]
            assert_same(as_dict(c), expected)


def test_one_read_refuses_a_vocabulary_and_its_options_together():
    folder, _, _ = case("basic")
    with glove.Vocabulary.build(os.path.join(folder, "corpus.txt")) as v:
        with pytest.raises(TypeError, match="not both"):
            glove.Cooccurrence.from_files(os.path.join(folder, "corpus.txt"), v, min_count=2)
    with pytest.raises(glove.GloveIOError):
        glove.Cooccurrence.from_files(os.path.join(folder, "missing.txt"), min_count=2)


def test_a_memory_limit_beyond_the_machine_is_refused():
    with pytest.raises(glove.InvalidArgumentError, match="memory this process may use"):
        glove.Cooccurrence.from_token_ids([0], dimension=1, memory_limit=2**62)


def test_random_corpora_match_the_reference(tmp_path):
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "Émile", "日本", "x"] + [f"w{k}" for k in range(30)]
    for trial in range(5):
        lines = [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 30))) for _ in range(rng.randrange(1, 60))]
        corpus = tmp_path / f"c{trial}.txt"
        corpus.write_text("\n".join(lines), encoding="utf-8")
        docs = tok.tokenize_bytes(corpus.read_bytes())
        window, oov = rng.randrange(1, 12), rng.choice(["drop", "bucket"])
        reference_vocab = ref.build_vocab(docs, min_count=2)
        with glove.Vocabulary.build(corpus, min_count=2) as v:
            assert v.words == [w for w, _ in reference_vocab]
            with glove.Cooccurrence.from_files(corpus, v, window=window, oov=oov, memory_limit=1 << 20) as c:
                assert_same(as_dict(c), ref.cooccur(docs, reference_vocab, window=window, oov=oov))
        with glove.Cooccurrence.from_files(corpus, window=window, oov=oov, memory_limit=1 << 20, min_count=2) as c:
            assert c.vocab.words == [w for w, _ in reference_vocab]
            assert_same(as_dict(c), ref.cooccur(docs, reference_vocab, window=window, oov=oov))


def test_subsampled_token_ids_match_the_reference():
    # With the out-of-vocabulary words dropped, each id's count in the ids is
    # its vocabulary count, so the reference's frequencies are the same.
    folder, _, _ = case("basic")
    docs = tok.tokenize_bytes(open(os.path.join(folder, "corpus.txt"), "rb").read())
    vocab = ref.load_vocab(os.path.join(folder, "vocab.txt"))
    index = ref.vocab_index(vocab)
    ids = [ref.document_ids(doc, index) for doc in docs]
    expected = ref.cooccur(docs, vocab, window=5, subsample=2**-6)
    assert expected != ref.cooccur(docs, vocab, window=5)
    with glove.Cooccurrence.from_token_ids(ids, dimension=len(vocab), window=5, subsample=2**-6) as c:
        assert_same(as_dict(c), expected)
    with glove.Cooccurrence.from_token_ids(ids, dimension=len(vocab), window=5, subsample=0.0) as c:
        assert_same(as_dict(c), ref.cooccur(docs, vocab, window=5))
    for bad in (1.0, -0.1, float("nan")):
        with pytest.raises(glove.InvalidArgumentError, match="subsample"):
            glove.Cooccurrence.from_token_ids(ids, dimension=len(vocab), subsample=bad)


def test_token_ids_nested_and_flat_agree():
    docs = [[0, 1, 2, 1], [], [2, 2]]
    flat = np.array([0, 1, 2, 1, -1, -1, 2, 2, -1], dtype=np.int64)
    with glove.Cooccurrence.from_token_ids(docs, dimension=3, window=2) as a, \
            glove.Cooccurrence.from_token_ids(flat, dimension=3, window=2) as b:
        assert as_dict(a) == as_dict(b)
        assert as_dict(a)[(2, 2)] == pytest.approx(2.0)  # one pair at distance 1, counted both ways
        merged = a + b
        assert as_dict(merged)[(0, 1)] == pytest.approx(2.0)
        assert merged.dimension == 3


@pytest.mark.parametrize("name", CASES)
def test_from_triples_rebuilds_the_reference_matrix(name):
    _, _, expected = case(name)
    keys = sorted(expected)
    i, j = np.array([k[0] for k in keys]), np.array([k[1] for k in keys])
    x = np.array([expected[k] for k in keys])
    order = np.random.default_rng(5).permutation(len(x))
    with glove.Cooccurrence.from_triples(i[order], j[order], x[order]) as full:
        assert_same(as_dict(full), expected)
    # Each pair once, half of them reversed and every third split in two.
    upper = i <= j
    ui, uj, ux = i[upper], j[upper], x[upper]
    flip = np.arange(len(ux)) % 2 == 1
    ui, uj = np.where(flip, uj, ui), np.where(flip, ui, uj)
    split = np.arange(len(ux)) % 3 == 0
    ri, rj, rx = np.concatenate((ui, uj[split])), np.concatenate((uj, ui[split])), np.concatenate((ux, ux[split]))
    rx[np.flatnonzero(split)] /= 2
    rx[len(ux):] /= 2
    dimension = int(max(i.max(), j.max())) + 3 if len(i) else 3
    with glove.Cooccurrence.from_triples(ri, rj, rx, dimension=dimension, symmetric=True) as symmetric:
        assert symmetric.dimension == dimension
        assert_same(as_dict(symmetric), expected)
        with symmetric.merge(symmetric) as twice:  # a symmetric matrix merges like a counted one
            assert_same(as_dict(twice), {k: 2 * v for k, v in expected.items()})


def test_from_triples_refuses_ids_beyond_the_dimension():
    with pytest.raises(ValueError, match="out of range"):
        glove.Cooccurrence.from_triples([0, 4], [1, 0], [1.0, 2.0], dimension=3, symmetric=True)


def test_sums_past_the_largest_double_are_refused(tmp_path):
    # In one matrix, across a merge, and in a Stanford file whose records repeat a position.
    with pytest.raises(ValueError, match="sum past the largest double"):
        glove.Cooccurrence.from_triples([1, 1], [2, 2], [1.2e308, 1.2e308])
    with glove.Cooccurrence.from_triples([1], [2], [1.2e308]) as one:
        with pytest.raises(ValueError, match="sum past the largest double"):
            one.merge(one)
    path = tmp_path / "huge.bin"
    path.write_bytes(struct.pack("<iid", 3, 3, 1.2e308) * 2)
    with pytest.raises(glove.FormatError, match="sum past the largest double"):
        glove.Cooccurrence.load(str(path), format="stanford")


def test_save_and_load_in_both_formats(tmp_path):
    folder, o, expected = case("basic")
    with glove.Vocabulary.load(os.path.join(folder, "vocab.txt")) as v:
        c = glove.Cooccurrence.from_files(os.path.join(folder, "corpus.txt"), v, window=10)
    for fmt in ("native", "stanford"):
        c.save(tmp_path / f"m.{fmt}", format=fmt)
        with glove.Cooccurrence.load(tmp_path / f"m.{fmt}", format=fmt) as back:
            assert_same(as_dict(back), expected)
    stanford = ref.read_stanford_binary(tmp_path / "m.stanford")
    assert {(i, j): x for i, j, x in stanford} == pytest.approx(expected, rel=1e-8)  # read as 0-based
    glove.shuffle_file(tmp_path / "m.stanford", tmp_path / "s.bin", seed=1)
    assert sorted(ref.read_stanford_binary(tmp_path / "s.bin")) == sorted(stanford)


def test_vocabulary_lookup_and_sequence_protocol():
    v = glove.Vocabulary.from_words(["democracy", "zebra"], [3, 1])
    assert len(v) == 2 and list(v) == ["democracy", "zebra"] and v[1] == "zebra" and v.count(0) == 3
    assert v.lookup("zebra") == (1, True)
    assert v.lookup("democratic") == (2 + glove.minhash("democratic"), False)
    assert v.lookup("democratic", oov="drop") == (-1, False)
    assert "zebra" in v and "zebras" not in v
    assert v.id_space == 2 + 65536
    with pytest.raises(IndexError):
        v[2]


def test_callbacks_can_stop_and_their_exceptions_propagate(tmp_path):
    corpus = tmp_path / "big.txt"
    corpus.write_text(("the quick brown fox jumps over the lazy dog\n" * 2000) * 300)
    with pytest.raises(glove.CancelledError):
        glove.Vocabulary.build(corpus, callback=lambda done: False)

    class Boom(Exception):
        pass

    def explode(done):
        raise Boom("from the callback")

    with pytest.raises(Boom):
        glove.Vocabulary.build(corpus, callback=explode)
    seen = []
    with glove.Vocabulary.build(corpus, min_count=1, callback=seen.append) as v:
        assert len(v) == 8 and seen and seen[-1] == corpus.stat().st_size


def test_errors_are_exceptions(tmp_path):
    with pytest.raises(glove.GloveIOError, match="nonexistent"):
        glove.Vocabulary.build("/nonexistent/file.txt")
    with pytest.raises(ValueError):
        glove.Vocabulary.build([], min_count=1)
    v = glove.Vocabulary.from_words(["a"])
    with pytest.raises(glove.InvalidArgumentError, match="window"):
        glove.Cooccurrence.from_token_ids([0], dimension=1, window=0)
    with pytest.raises(glove.InvalidArgumentError, match="dimension"):
        glove.Cooccurrence.from_token_ids([5], dimension=1)
    with pytest.raises(TypeError):
        glove.Cooccurrence.from_token_ids(np.array([0.5]), dimension=1)
    bad = tmp_path / "bad.glc"
    bad.write_bytes(b"GLOVECOO" + b"\0" * 40)
    with pytest.raises(glove.FormatError):
        glove.Cooccurrence.load(bad)
    (tmp_path / "vocab.txt").write_text("good 3\nbroken\n")
    with pytest.raises(glove.FormatError, match=":2:"):
        glove.Vocabulary.load(tmp_path / "vocab.txt")
    v.close()
    with pytest.raises(ValueError, match="closed"):
        len(v)
