"""The binding never crashes and never guesses: wrong dtypes, shapes, ids and
sizes raise TypeError or ValueError (instead of being wrapped, truncated or
read out of bounds), closed objects raise ValueError, every handle is freed
exactly once, and callbacks that raise, stop or are interrupted by Ctrl-C end
the C call cleanly and propagate.

Tables list one row per public entry point; each row asserts an exception type
and message fragment, or a value computed another way.
"""
import collections
import copy
import ctypes
import gc
import os
import pickle
import signal
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import numpy as np
import pytest

import glove
from glove import _lib

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "..", "..", "Tests", "vectors")
CORPUS = os.path.join(VECTORS, "corpus", "basic", "corpus.txt")
BILINEAR = os.path.join(VECTORS, "bilinear")


def _table(name):
    return np.loadtxt(os.path.join(BILINEAR, name), ndmin=2)


def _dense(name, rows, columns=4):
    out = np.zeros((rows, columns), dtype=np.float32)
    for r, c, v in _table(name):
        out[int(r), int(c)] = v
    return out


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """About 9 MB: three 4 MiB blocks, so counting callbacks run before the end."""
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text("the quick brown fox jumps over the lazy dog\n" * 200_000)
    return str(path)


@pytest.fixture(scope="module")
def ctx(big_corpus):
    """Shared, never closed: a GloVe model (8 dims, 177 words) and a bilinear
    model (24 users, 30 items, 4 features, rank 4) with their inputs."""
    vocab = glove.Vocabulary.build(CORPUS, min_count=2, threads=1)
    cooc = glove.Cooccurrence.from_files(CORPUS, vocab, window=10, threads=1)
    model = glove.GloVe(dim=8, threads=1, seed=3, batch_size=256).fit(cooc, epochs=3, progress=False)
    users, items = _dense("users.tsv", 24), _dense("items.tsv", 30)
    train = _table("train.tsv")
    pairs = (train[:, 0], train[:, 1])
    bilinear = glove.Bilinear(rank=4, epochs=3, threads=1, seed=3).fit(pairs, users, items)
    big_vocab = glove.Vocabulary.build(big_corpus, min_count=1, threads=1)
    return SimpleNamespace(vocab=vocab, cooc=cooc, model=model, users=users, items=items, pairs=pairs,
                           bilinear=bilinear, big=big_corpus, big_vocab=big_vocab)


def assert_same(got, expected):
    """Equal values, recursively through tuples, lists and dicts; arrays equal in shape and value."""
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            assert_same(a, b)
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys()
        for key in expected:
            assert_same(got[key], expected[key])
    elif isinstance(expected, np.ndarray):
        assert np.shape(got) == expected.shape
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected


def ids(rows):
    return [row[0] for row in rows]


# Wrong dtypes --------------------------------------------------------------------

# (API, shape the argument needs, call with the array in that argument and valid others)
ARRAY_ARGUMENTS = [
    ("Features.from_dense", (2, 4), lambda c, a: glove.Features.from_dense(a)),
    ("Features.from_csr indptr", (2,), lambda c, a: glove.Features.from_csr(a, [0], [1.0], (1, 4))),
    ("Features.from_csr indices", (1,), lambda c, a: glove.Features.from_csr([0, 1], a, [1.0], (1, 4))),
    ("Features.from_csr values", (1,), lambda c, a: glove.Features.from_csr([0, 1], [0], a, (1, 4))),
    ("Bilinear.fit users", (3,), lambda c, a: glove.Bilinear(rank=2, epochs=1).fit((a, [0, 1, 2]), c.users, c.items)),
    ("Bilinear.fit items", (3,), lambda c, a: glove.Bilinear(rank=2, epochs=1).fit(([0, 1, 2], a), c.users, c.items)),
    ("Bilinear.fit values", (3,),
     lambda c, a: glove.Bilinear(rank=2, epochs=1).fit(([0, 1, 2], [0, 1, 2], a), c.users, c.items)),
    ("Bilinear.fit user features", (24, 4), lambda c, a: glove.Bilinear(rank=2, epochs=1).fit(c.pairs, a, c.items)),
    ("Bilinear.score users", (2,), lambda c, a: c.bilinear.score(c.users, a, [0, 1])),
    ("Bilinear.score items", (2,), lambda c, a: c.bilinear.score(c.users, [0, 1], a)),
    ("Bilinear.recommend features", (2, 4), lambda c, a: c.bilinear.recommend(a, k=2)),
    ("Bilinear.recommend exclude", (2,), lambda c, a: c.bilinear.recommend(c.users, k=2, exclude=([0, 1], a))),
    ("Bilinear.evaluate test", (2,), lambda c, a: c.bilinear.evaluate(c.users, ([0], [0]), (a, [1, 2]))),
    ("Bilinear.add_items", (1, 4), lambda c, a: c.bilinear.add_items(a)),
    ("Bilinear.user_vectors", (2, 4), lambda c, a: c.bilinear.user_vectors(a)),
    ("ranking_metrics scores", (2, 3), lambda c, a: glove.ranking_metrics(a, ([0], [0]), ([1], [1]), k=2)),
    ("ranking_metrics train", (1,), lambda c, a: glove.ranking_metrics(np.zeros((2, 3)), (a, [0]), ([1], [1]), k=2)),
    ("GloVe.neighbors_batch", (2, 8), lambda c, a: c.model.neighbors_batch(a, k=2)),
    ("GloVe.neighbors vector", (8,), lambda c, a: c.model.neighbors(a, k=2)),
    ("Vocabulary.from_words counts", (2,), lambda c, a: glove.Vocabulary.from_words(["a", "b"], a)),
    ("Cooccurrence.from_token_ids", (3,), lambda c, a: glove.Cooccurrence.from_token_ids(a, dimension=3)),
    ("Cooccurrence.from_triples rows", (2,), lambda c, a: glove.Cooccurrence.from_triples(a, [1, 0], [1.0, 1.0])),
    ("Cooccurrence.from_triples values", (2,), lambda c, a: glove.Cooccurrence.from_triples([0, 1], [1, 0], a)),
]

BAD_DTYPES = {
    "complex": lambda shape: np.ones(shape, dtype=complex),  # numpy would drop the imaginary part
    "bool": lambda shape: np.ones(shape, dtype=bool),        # numpy would make 0 and 1
    "str": lambda shape: np.full(shape, "1"),                # numpy would parse the text
    "object": lambda shape: np.full(shape, 1, dtype=object),
}


@pytest.mark.parametrize("dtype", list(BAD_DTYPES))
@pytest.mark.parametrize("name, shape, call", ARRAY_ARGUMENTS, ids=ids(ARRAY_ARGUMENTS))
def test_meaningless_dtypes_raise_type_error(ctx, name, shape, call, dtype):
    with pytest.raises(TypeError, match="dtype"):
        call(ctx, BAD_DTYPES[dtype](shape))


# (API, call, array in the dtype the C side takes, the same values in another dtype)
CONVERSIONS = [
    ("GloVe.neighbors_batch float64", lambda c, a: c.model.neighbors_batch(a, k=3),
     lambda c: c.model.embeddings[:4], lambda c: c.model.embeddings[:4].astype(np.float64)),
    ("Features.from_dense float64", lambda c, a: c.bilinear.user_vectors(glove.Features.from_dense(a)),
     lambda c: c.users, lambda c: c.users.astype(np.float64)),
    ("Features.from_dense int", lambda c, a: c.bilinear.user_vectors(glove.Features.from_dense(a)),
     lambda c: np.eye(4, dtype=np.float32), lambda c: np.eye(4, dtype=np.int8)),
    ("Bilinear.score whole float ids", lambda c, a: c.bilinear.score(c.users, a, a),
     lambda c: np.arange(5, dtype=np.uint32), lambda c: np.arange(5, dtype=np.float64)),
    ("Bilinear.score int8 ids", lambda c, a: c.bilinear.score(c.users, a, a),
     lambda c: np.arange(5, dtype=np.uint32), lambda c: np.arange(5, dtype=np.int8)),
    ("Bilinear.fit int interactions",
     lambda c, a: glove.Bilinear(rank=2, epochs=2, threads=1).fit(a, c.users, c.items).loss_history,
     lambda c: np.column_stack(c.pairs), lambda c: np.column_stack(c.pairs).astype(np.int64)),
    ("ranking_metrics float64 scores", lambda c, a: glove.ranking_metrics(a, ([0], [0]), ([1], [2]), k=2),
     lambda c: np.arange(6, dtype=np.float32).reshape(2, 3), lambda c: np.arange(6.0).reshape(2, 3)),
    ("Cooccurrence.from_token_ids int8", lambda c, a: glove.Cooccurrence.from_token_ids(a, dimension=3).to_numpy(),
     lambda c: np.array([0, 1, 2, -1, 2, 1], dtype=np.int32), lambda c: np.array([0, 1, 2, -1, 2, 1], dtype=np.int8)),
    ("Cooccurrence.from_triples int16 ids",
     lambda c, a: glove.Cooccurrence.from_triples(a, a[::-1], [1.0, 2.0]).to_numpy(),
     lambda c: np.array([0, 1], dtype=np.int64), lambda c: np.array([0, 1], dtype=np.int16)),
    ("Vocabulary.from_words int64 counts", lambda c, a: glove.Vocabulary.from_words(["a", "b"], a).counts,
     lambda c: np.array([3, 1], dtype=np.uint64), lambda c: np.array([3, 1], dtype=np.int64)),
    ("Features.from_csr int32 indptr", lambda c, a: glove.Features.from_csr(a, [1, 3], [1.0, 2.0], (2, 4)).nnz,
     lambda c: np.array([0, 1, 2], dtype=np.uint64), lambda c: np.array([0, 1, 2], dtype=np.int32)),
]


@pytest.mark.parametrize("name, call, native, other", CONVERSIONS, ids=ids(CONVERSIONS))
def test_other_real_dtypes_are_converted_exactly(ctx, name, call, native, other):
    assert_same(call(ctx, other(ctx)), call(ctx, native(ctx)))


# Wrong shapes and sizes --------------------------------------------------------

# (API, call, exception, message fragment)
BAD_SHAPES = [
    ("Features.from_dense 1-D", lambda c: glove.Features.from_dense(np.zeros(4)), ValueError, "2-D"),
    ("Features.from_dense 3-D", lambda c: glove.Features.from_dense(np.zeros((2, 2, 2))), ValueError, "2-D"),
    ("Features.from_dense no columns", lambda c: glove.Features.from_dense(np.zeros((3, 0))),
     glove.InvalidArgumentError, "3 × 0"),
    # C reads indptr[-1] entries of indices and values: a larger end would read past them.
    ("Features.from_csr indptr past the values", lambda c: glove.Features.from_csr([0, 100], [0], [1.0], (1, 3)),
     ValueError, "end at the number of values 1"),
    ("Features.from_csr values left over", lambda c: glove.Features.from_csr([0, 1], [0, 1], [1.0, 2.0], (1, 3)),
     ValueError, "end at the number of values 2"),
    ("Features.from_csr indptr not from 0", lambda c: glove.Features.from_csr([1, 1], [0], [1.0], (1, 3)),
     ValueError, "start at 0"),
    ("Features.from_csr indptr length", lambda c: glove.Features.from_csr([0, 1], [0], [1.0], (2, 3)),
     ValueError, "3 entries"),
    ("Features.from_csr indptr decreasing", lambda c: glove.Features.from_csr([0, 2, 1, 2], [0, 1], [1.0, 2.0], (3, 3)),
     glove.InvalidArgumentError, "decrease"),
    ("Features.from_csr indices and values", lambda c: glove.Features.from_csr([0, 1], [0], [1.0, 2.0], (1, 3)),
     ValueError, "as many as values"),
    ("Features.from_csr shape", lambda c: glove.Features.from_csr([0, 1], [0], [1.0], (1, 3, 1)),
     ValueError, "shape"),
    ("Bilinear.fit (2, n) interactions", lambda c: glove.Bilinear(epochs=1).fit(np.zeros((2, 5)), c.users, c.items),
     ValueError, r"\(n, 2\) or \(n, 3\)"),
    ("Bilinear.fit 4-tuple", lambda c: glove.Bilinear(epochs=1).fit(([0], [0], [1.0], [2]), c.users, c.items),
     ValueError, "users, items"),
    ("Bilinear.fit lengths", lambda c: glove.Bilinear(epochs=1).fit(([0, 1], [0]), c.users, c.items),
     ValueError, "different lengths"),
    ("Bilinear.fit values length", lambda c: glove.Bilinear(epochs=1).fit(([0, 1], [0, 1], [1.0]), c.users, c.items),
     ValueError, "one entry per interaction"),
    ("Bilinear.fit 2-D ids", lambda c: glove.Bilinear(epochs=1).fit(([[0, 1]], [[0, 1]]), c.users, c.items),
     ValueError, "1-D"),
    ("Bilinear.score lengths", lambda c: c.bilinear.score(c.users, [0, 1], [0]), ValueError, "same length"),
    ("Bilinear.score 2-D ids", lambda c: c.bilinear.score(c.users, [[0, 1]], [[0, 1]]), ValueError, "1-D"),
    ("Bilinear.score feature width", lambda c: c.bilinear.score(np.zeros((2, 5)), [0], [0]),
     glove.InvalidArgumentError, "5 columns"),
    ("Bilinear.recommend 1-D features", lambda c: c.bilinear.recommend(c.users[0], k=2), ValueError, "2-D"),
    ("Bilinear.recommend feature width", lambda c: c.bilinear.recommend(np.zeros((2, 5)), k=2),
     glove.InvalidArgumentError, "5 columns"),
    ("Bilinear.add_items feature width", lambda c: c.bilinear.add_items(np.zeros((1, 5))),
     glove.InvalidArgumentError, "5 features"),
    ("Bilinear.user_vectors feature width", lambda c: c.bilinear.user_vectors(np.zeros((1, 3))),
     glove.InvalidArgumentError, "3 columns"),
    ("ranking_metrics 1-D scores", lambda c: glove.ranking_metrics(np.zeros(3), ([0], [0]), ([0], [1])),
     ValueError, "2-D"),
    ("GloVe.neighbors_batch width", lambda c: c.model.neighbors_batch(np.zeros((2, 9))), ValueError, r"\(n, 8\)"),
    ("GloVe.neighbors_batch 3-D", lambda c: c.model.neighbors_batch(np.zeros((2, 8, 1))), ValueError, "2-D"),
    ("GloVe.neighbors 2-D vector", lambda c: c.model.neighbors(np.zeros((1, 8))), ValueError, "1-D"),
    ("GloVe.neighbors scalar", lambda c: c.model.neighbors(5), ValueError, "1-D"),
    ("GloVe.neighbors vector length", lambda c: c.model.neighbors(np.ones(7)), ValueError, r"\(n, 8\)"),
    ("GloVe.fit another vocabulary", lambda c: glove.GloVe(dim=4).fit(c.cooc, glove.Vocabulary.from_words(["a"]),
                                                                      epochs=1, progress=False),
     glove.InvalidArgumentError, "dimension 177"),
    ("Vocabulary.from_words counts length", lambda c: glove.Vocabulary.from_words(["a", "b"], [1]),
     ValueError, "2 entries"),
    ("Vocabulary.from_words one str", lambda c: glove.Vocabulary.from_words("ab"), TypeError, "sequence"),
    ("MinHash.buckets one str", lambda c: glove.MinHash().buckets("zebra"), TypeError, "bucket for one word"),
    ("Cooccurrence.from_token_ids 2-D", lambda c: glove.Cooccurrence.from_token_ids(np.zeros((2, 2), int), 3),
     TypeError, "1-D"),
    ("Cooccurrence.from_triples lengths", lambda c: glove.Cooccurrence.from_triples([0, 1], [1], [1.0, 1.0]),
     ValueError, "one length"),
]


@pytest.mark.parametrize("name, call, error, message", BAD_SHAPES, ids=ids(BAD_SHAPES))
def test_wrong_shapes_raise(ctx, name, call, error, message):
    with pytest.raises(error, match=message):
        call(ctx)


def _strided(array):
    """The same values in a view that skips every other element of the last axis."""
    array = np.asarray(array)
    wide = np.zeros(array.shape[:-1] + (2 * array.shape[-1],), dtype=array.dtype)
    wide[..., ::2] = array
    view = wide[..., ::2]
    assert not view.flags.c_contiguous
    return view


def _fortran(array):
    view = np.asfortranarray(array)
    assert not view.flags.c_contiguous
    return view


BOTH = ("strided", "fortran")  # Fortran order differs from C order for 2-D arguments only

# (API, call, contiguous argument, layouts): strided and Fortran-ordered copies give the same answer
NON_CONTIGUOUS = [
    ("GloVe.neighbors_batch", lambda c, a: c.model.neighbors_batch(a, k=4), lambda c: c.model.embeddings[:5], BOTH),
    ("GloVe.neighbors vector", lambda c, a: c.model.neighbors(a, k=4), lambda c: c.model.embeddings[7], ("strided",)),
    ("Features.from_dense", lambda c, a: c.bilinear.score(a, [0, 1, 2], [3, 4, 5]), lambda c: c.users, BOTH),
    ("Bilinear.score ids", lambda c, a: c.bilinear.score(c.users, a, a[::-1]), lambda c: np.arange(6, dtype=np.uint32),
     ("strided",)),
    ("Bilinear.fit interactions", lambda c, a: glove.Bilinear(rank=2, epochs=2, threads=1).fit(
        a, c.users, c.items).loss_history, lambda c: np.column_stack(c.pairs), BOTH),
    ("Bilinear.recommend exclude", lambda c, a: c.bilinear.recommend(c.users, k=3, exclude=(a, a + 1)),
     lambda c: np.arange(5), ("strided",)),
    ("ranking_metrics scores", lambda c, a: glove.ranking_metrics(a, ([0], [0]), ([1], [2]), k=2),
     lambda c: np.array([[0.5, 0.1, 0.9], [0.3, 0.2, 0.8]]), BOTH),
    ("Cooccurrence.from_token_ids", lambda c, a: glove.Cooccurrence.from_token_ids(a, dimension=4).to_numpy(),
     lambda c: np.array([0, 1, 2, 3, -1, 3, 1]), ("strided",)),
    ("Cooccurrence.from_triples", lambda c, a: glove.Cooccurrence.from_triples(a, a[::-1], a + 1.0).to_numpy(),
     lambda c: np.array([0, 2, 1]), ("strided",)),
]
LAYOUTS = [(name, call, array, layout) for name, call, array, layouts in NON_CONTIGUOUS for layout in layouts]


@pytest.mark.parametrize("name, call, array, layout", LAYOUTS, ids=[f"{row[0]} {row[3]}" for row in LAYOUTS])
def test_non_contiguous_arrays_give_the_contiguous_answer(ctx, name, call, array, layout):
    contiguous = np.ascontiguousarray(array(ctx))
    other = _strided(contiguous) if layout == "strided" else _fortran(contiguous)
    assert_same(call(ctx, other), call(ctx, contiguous))


# Empty inputs -----------------------------------------------------------------------

# (API, call, expected result)
EMPTY = [
    ("GloVe.neighbors_batch no queries", lambda c: c.model.neighbors_batch(np.zeros((0, 8)), k=3),
     (np.zeros((0, 3), np.int64), np.zeros((0, 3), np.float32))),
    ("Bilinear.score no pairs", lambda c: c.bilinear.score(c.users, [], []), np.zeros(0, np.float32)),
    ("Bilinear.recommend no users", lambda c: c.bilinear.recommend(np.zeros((0, 4)), k=3),
     (np.zeros((0, 3), np.int64), np.zeros((0, 3), np.float32))),
    ("Bilinear.recommend empty exclude", lambda c: c.bilinear.recommend(c.users[:2], k=3, exclude=([], []))[0],
     lambda c: c.bilinear.recommend(c.users[:2], k=3)[0]),
    ("Bilinear.user_vectors no users", lambda c: c.bilinear.user_vectors(np.zeros((0, 4))),
     (np.zeros((0, 4), np.float32), np.zeros(0, np.float32))),
    ("Bilinear.evaluate no interactions", lambda c: c.bilinear.evaluate(c.users, ([], []), ([], []))["users"], 0),
    ("ranking_metrics no users", lambda c: glove.ranking_metrics(np.zeros((0, 3)), ([], []), ([], []))["users"], 0),
    ("Features.from_dense no rows", lambda c: glove.Features.from_dense(np.zeros((0, 4))).shape, (0, 4)),
    ("Features.from_csr no rows", lambda c: glove.Features.from_csr([0], [], [], (0, 4)).shape, (0, 4)),
    ("Cooccurrence.from_token_ids no ids", lambda c: glove.Cooccurrence.from_token_ids([], dimension=3).nnz, 0),
    ("Cooccurrence.from_token_ids empty documents", lambda c: glove.Cooccurrence.from_token_ids(
        [[], [0, 1], []], dimension=2).to_numpy(), lambda c: glove.Cooccurrence.from_token_ids([0, 1], 2).to_numpy()),
    ("Cooccurrence.from_triples no entries", lambda c: glove.Cooccurrence.from_triples([], [], [], dimension=2).nnz, 0),
    ("Vocabulary.from_words no words", lambda c: len(glove.Vocabulary.from_words([])), 0),
    ("MinHash.buckets no words", lambda c: glove.MinHash().buckets([]), np.zeros(0, np.uint32)),
    ("minhash no words", lambda c: glove.minhash(iter([])), np.zeros(0, np.uint32)),
]


@pytest.mark.parametrize("name, call, expected", EMPTY, ids=ids(EMPTY))
def test_empty_inputs_give_empty_results(ctx, name, call, expected):
    assert_same(call(ctx), expected(ctx) if callable(expected) else expected)


def test_empty_training_sets_are_refused(ctx):
    with pytest.raises(glove.InvalidArgumentError, match="no interactions"):
        glove.Bilinear(epochs=1).fit(([], []), ctx.users, ctx.items)
    with pytest.raises(ValueError, match="at least one file"):
        glove.Vocabulary.build([])


def test_adding_no_items_keeps_the_catalogue(ctx):
    model = glove.Bilinear(rank=2, epochs=1, threads=1).fit(ctx.pairs, ctx.users, ctx.items)
    assert model.add_items(np.zeros((0, 4))).n_items == 30


# NaN and infinity -------------------------------------------------------------------

# (API, call, message fragment): refused by C as GLOVE_E_NUMERIC or _INVALID_ARGUMENT, or by the binding
NOT_FINITE = [
    ("Features.from_dense NaN", lambda c: glove.Features.from_dense([[np.nan, 1.0]]), "NaN or infinite"),
    ("Features.from_dense inf", lambda c: glove.Features.from_dense([[1.0, -np.inf]]), "NaN or infinite"),
    ("Features.from_csr NaN", lambda c: glove.Features.from_csr([0, 1], [0], [np.nan], (1, 2)), "NaN or infinite"),
    ("Bilinear.fit NaN values", lambda c: glove.Bilinear(epochs=1).fit(
        (c.pairs[0], c.pairs[1], np.full(len(c.pairs[0]), np.nan)), c.users, c.items), "non-finite"),
    ("Bilinear.fit NaN features", lambda c: glove.Bilinear(epochs=1).fit(
        c.pairs, np.where(c.users == 0, np.nan, c.users), c.items), "NaN or infinite"),
    ("Bilinear.recommend inf features", lambda c: c.bilinear.recommend(np.full((1, 4), np.inf)), "NaN or infinite"),
    ("Bilinear(l2=NaN)", lambda c: glove.Bilinear(l2=np.nan, epochs=1).fit(c.pairs, c.users, c.items), "l2"),
    ("Bilinear(validation_fraction=NaN)", lambda c: glove.Bilinear(validation_fraction=np.nan, epochs=1).fit(
        c.pairs, c.users, c.items), "validationFraction"),
    ("ranking_metrics NaN scores", lambda c: glove.ranking_metrics(np.full((2, 3), np.nan), ([0], [0]), ([1], [1])),
     "NaN"),
    ("GloVe.neighbors_batch NaN", lambda c: c.model.neighbors_batch(np.full((1, 8), np.nan)), "NaN or infinity"),
    ("GloVe.neighbors inf vector", lambda c: c.model.neighbors(np.full(8, np.inf)), "NaN or infinity"),
    ("GloVe(learning_rate=NaN)", lambda c: glove.GloVe(dim=4, learning_rate=np.nan).fit(c.cooc, epochs=1,
                                                                                         progress=False),
     "learning_rate"),
    ("GloVe(x_max=inf)", lambda c: glove.GloVe(dim=4, x_max=np.inf).fit(c.cooc, epochs=1, progress=False), "x_max"),
    ("Cooccurrence.from_triples NaN", lambda c: glove.Cooccurrence.from_triples([0, 1], [1, 0], [1.0, np.nan]),
     "finite"),
    ("Cooccurrence.from_triples negative", lambda c: glove.Cooccurrence.from_triples([0, 1], [1, 0], [1.0, -2.0]),
     "positive"),
]


@pytest.mark.parametrize("name, call, message", NOT_FINITE, ids=ids(NOT_FINITE))
def test_nan_and_infinity_raise_value_errors(ctx, name, call, message):
    with pytest.raises(ValueError, match=message):
        call(ctx)


def test_numeric_errors_are_value_and_arithmetic_errors(ctx):
    with pytest.raises(glove.NumericError) as info:
        glove.Features.from_dense([[np.nan]])
    assert isinstance(info.value, ValueError) and isinstance(info.value, ArithmeticError)
    assert info.value.status == _lib.GLOVE_E_NUMERIC


# Ids, k, sizes and other integers ------------------------------------------------------

# (API, call, exception, message fragment)
OUT_OF_RANGE = [
    ("Vocabulary[len]", lambda c: c.vocab[len(c.vocab)], IndexError, "out of range"),
    ("Vocabulary[-1]", lambda c: c.vocab[-1], IndexError, "non-negative"),
    ("Vocabulary[2**64] (ctypes would wrap it to 0)", lambda c: c.vocab[2**64], IndexError, "non-negative"),
    ("Vocabulary.count(2**64 + 1)", lambda c: c.vocab.count(2**64 + 1), IndexError, "non-negative"),
    ("Vocabulary[1.0]", lambda c: c.vocab[1.0], IndexError, "integer"),
    ("GloVe.vector unknown word", lambda c: c.model.vector("zzzqqq"), KeyError, "zzzqqq"),
    ("GloVe.neighbors unknown word", lambda c: c.model.neighbors("zzzqqq"), KeyError, "zzzqqq"),
    ("GloVe.analogy unknown word", lambda c: c.model.analogy("the", "of", "zzzqqq"), glove.InvalidArgumentError,
     "no vector"),
    ("Bilinear.score user row", lambda c: c.bilinear.score(c.users, [24], [0]), glove.InvalidArgumentError, "outside"),
    ("Bilinear.score item", lambda c: c.bilinear.score(c.users, [0], [30]), glove.InvalidArgumentError, "outside"),
    ("Bilinear.score negative id", lambda c: c.bilinear.score(c.users, [-1], [0]), ValueError, r"0 \.\. 4294967295"),
    ("Bilinear.score id 2**32 (numpy would wrap it to 0)", lambda c: c.bilinear.score(c.users, np.array([2**32]), [0]),
     ValueError, r"0 \.\. 4294967295"),
    ("Bilinear.score fractional id", lambda c: c.bilinear.score(c.users, [0.5], [0]), ValueError, "whole numbers"),
    ("Bilinear.score NaN id", lambda c: c.bilinear.score(c.users, [np.nan], [0]), ValueError, "whole numbers"),
    ("Bilinear.fit user without features", lambda c: glove.Bilinear(epochs=1).fit(([24], [0]), c.users, c.items),
     glove.InvalidArgumentError, "user 24"),
    ("Bilinear.fit item 2**32 + 1", lambda c: glove.Bilinear(epochs=1).fit(([0], [2**32 + 1]), c.users, c.items),
     ValueError, r"0 \.\. 4294967295"),
    ("Bilinear.recommend exclude user", lambda c: c.bilinear.recommend(c.users[:2], exclude=([2], [0])),
     ValueError, "exclude names user 2"),
    ("Bilinear.evaluate test item", lambda c: c.bilinear.evaluate(c.users, ([0], [0]), ([0], [500])),
     glove.InvalidArgumentError, "item 500"),
    ("ranking_metrics train user", lambda c: glove.ranking_metrics(np.zeros((2, 3)), ([5], [0]), ([1], [1])),
     glove.InvalidArgumentError, "user 5"),
    ("Features.from_csr column", lambda c: glove.Features.from_csr([0, 1], [7], [1.0], (1, 3)),
     glove.InvalidArgumentError, "feature 7"),
    ("Features.from_csr negative column", lambda c: glove.Features.from_csr([0, 1], [-1], [1.0], (1, 3)),
     ValueError, r"0 \.\. 4294967295"),
    ("Cooccurrence.from_token_ids id >= dimension", lambda c: glove.Cooccurrence.from_token_ids([5], dimension=3),
     glove.InvalidArgumentError, "dimension"),
    ("Cooccurrence.from_token_ids id 2**31", lambda c: glove.Cooccurrence.from_token_ids([2**31], dimension=3),
     ValueError, "int32"),
    ("Cooccurrence.from_triples negative id", lambda c: glove.Cooccurrence.from_triples([-1], [0], [1.0]),
     ValueError, r"0 \.\. 4294967295"),
    ("Cooccurrence.from_triples id >= dimension", lambda c: glove.Cooccurrence.from_triples([5], [0], [1.0], 2),
     glove.InvalidArgumentError, "out of range for dimension 2"),
    ("Vocabulary.from_words negative count", lambda c: glove.Vocabulary.from_words(["a"], np.array([-1])),
     ValueError, "counts must be in"),
    ("Vocabulary.from_words fractional count", lambda c: glove.Vocabulary.from_words(["a"], [1.5]),
     ValueError, "whole numbers"),
]


@pytest.mark.parametrize("name, call, error, message", OUT_OF_RANGE, ids=ids(OUT_OF_RANGE))
def test_out_of_range_ids_raise(ctx, name, call, error, message):
    with pytest.raises(error, match=message):
        call(ctx)


# Every k: (API, call with k)
K_CALLS = [
    ("GloVe.neighbors word", lambda c, k: c.model.neighbors("the", k=k)),
    ("GloVe.neighbors vector", lambda c, k: c.model.neighbors(c.model["the"], k=k)),
    ("GloVe.neighbors_batch", lambda c, k: c.model.neighbors_batch(c.model.embeddings[:2], k=k)),
    ("GloVe.analogy", lambda c, k: c.model.analogy("the", "of", "and", k=k)),
    ("Bilinear.recommend", lambda c, k: c.bilinear.recommend(c.users[:2], k=k)),
    ("Bilinear.evaluate", lambda c, k: c.bilinear.evaluate(c.users, ([0], [0]), ([0], [1]), k=k)),
    ("ranking_metrics", lambda c, k: glove.ranking_metrics(np.zeros((2, 3)), ([0], [0]), ([1], [1]), k=k)),
]


@pytest.mark.parametrize("k, error, message", [(-1, ValueError, "k must be in 0"),
                                               (2**32, ValueError, "k must be in 0"),  # ctypes would make it 0
                                               (2**32 + 3, ValueError, "k must be in 0"),  # ... or 3
                                               (2.0, TypeError, "k must be an integer"),
                                               (None, TypeError, "k must be an integer")])
@pytest.mark.parametrize("name, call", K_CALLS, ids=ids(K_CALLS))
def test_bad_k_raises(ctx, name, call, k, error, message):
    with pytest.raises(error, match=message):
        call(ctx, k)


def test_k_beyond_the_rows_gives_every_row_without_huge_buffers(ctx):
    words = len(ctx.model.words)
    assert len(ctx.model.neighbors("the", k=2**32 - 1)) == words - 1  # the word itself excluded
    assert len(ctx.model.neighbors(ctx.model["the"], k=2**32 - 1)) == words
    answers = ctx.model.analogy("the", "of", "and", k=2**32 - 1)
    assert len(answers) == words - 3 and not {"the", "of", "and"} & {w for w, _ in answers}
    ids_, scores = ctx.model.neighbors_batch(ctx.model.embeddings[:2], k=words + 5)  # k clamped to the words
    assert ids_.shape == (2, words) and (ids_ >= 0).all()
    items, scores = ctx.bilinear.recommend(ctx.users[:2], k=40)  # ... and to the items
    assert items.shape == (2, 30) and (items >= 0).all() and np.isfinite(scores).all()
    excluded = (np.zeros(25, dtype=np.int64), np.arange(25))  # user 0 has seen 25 of the 30 items
    items, scores = ctx.bilinear.recommend(ctx.users[:2], k=40, exclude=excluded)
    assert (items[0, 5:] == -1).all() and np.isneginf(scores[0, 5:]).all() and (items[0, :5] >= 25).all()
    assert sorted(items[1]) == list(range(30))  # user 1 has seen nothing


def test_k_zero(ctx):
    assert ctx.model.neighbors("the", k=0) == []
    assert ctx.model.analogy("the", "of", "and", k=0) == []
    assert ctx.model.neighbors_batch(ctx.model.embeddings[:2], k=0)[0].shape == (2, 0)
    assert ctx.bilinear.recommend(ctx.users[:2], k=0)[0].shape == (2, 0)
    with pytest.raises(glove.InvalidArgumentError, match="k must be at least 1"):
        ctx.bilinear.evaluate(ctx.users, ([0], [0]), ([0], [1]), k=0)


# (API, call, parameter): integers ctypes would wrap silently (-1 -> 4294967295, 2**32 + 5 -> 5)
WRAPPING_INTEGERS = [
    ("GloVe(dim=2**32 + 8)", lambda c: glove.GloVe(dim=2**32 + 8), "dim"),
    ("GloVe(threads=-1)", lambda c: glove.GloVe(threads=-1), "threads"),
    ("GloVe(seed=-1)", lambda c: glove.GloVe(seed=-1), "seed"),
    ("GloVe(batch_size=-1)", lambda c: glove.GloVe(batch_size=-1), "batch_size"),
    ("GloVe.fit(epochs=-1)", lambda c: glove.GloVe(dim=4).fit(c.cooc, epochs=-1, progress=False), "epochs"),
    ("GloVe.fit(epochs=2**32 + 1)", lambda c: glove.GloVe(dim=4).fit(c.cooc, epochs=2**32 + 1, progress=False),
     "epochs"),
    ("Bilinear(rank=2**32 + 4)", lambda c: glove.Bilinear(rank=2**32 + 4), "rank"),
    ("Bilinear(epochs=-1)", lambda c: glove.Bilinear(epochs=-1), "epochs"),
    ("Bilinear(patience=-1)", lambda c: glove.Bilinear(patience=-1), "patience"),
    ("Bilinear(max_sampled=-1)", lambda c: glove.Bilinear(max_sampled=-1), "max_sampled"),
    ("Bilinear(seed=2**64)", lambda c: glove.Bilinear(seed=2**64), "seed"),
    ("Bilinear.recommend(threads=-1)", lambda c: c.bilinear.recommend(c.users, threads=-1), "threads"),
    ("Vocabulary.build(min_count=-1)", lambda c: glove.Vocabulary.build(CORPUS, min_count=-1), "min_count"),
    ("Vocabulary.build(max_size=2**64)", lambda c: glove.Vocabulary.build(CORPUS, max_size=2**64), "max_size"),
    ("Cooccurrence.from_files(window=2**32 + 3)", lambda c: glove.Cooccurrence.from_files(CORPUS, c.vocab,
                                                                                           window=2**32 + 3), "window"),
    ("Cooccurrence.from_token_ids(dimension=-1)", lambda c: glove.Cooccurrence.from_token_ids([0], dimension=-1),
     "dimension"),
    ("Cooccurrence.from_token_ids(memory_limit=-1)", lambda c: glove.Cooccurrence.from_token_ids(
        [0], dimension=1, memory_limit=-1), "memory_limit"),
    ("Cooccurrence.load(dimension=2**64 + 3)", lambda c: glove.Cooccurrence.load(CORPUS, format="stanford",
                                                                                  dimension=2**64 + 3), "dimension"),
    ("Features.from_csr(shape=(1, 2**64 + 3))", lambda c: glove.Features.from_csr([0, 1], [0], [1.0], (1, 2**64 + 3)),
     "columns"),
    ("Features.identity(-1)", lambda c: glove.Features.identity(-1), "count"),
    ("Features.load(columns=-1)", lambda c: glove.Features.load(CORPUS, columns=-1), "columns"),
    ("shuffle_file(seed=-1)", lambda c: glove.shuffle_file(CORPUS, CORPUS + ".never", seed=-1), "seed"),
]


@pytest.mark.parametrize("name, call, parameter", WRAPPING_INTEGERS, ids=ids(WRAPPING_INTEGERS))
def test_integers_out_of_their_c_range_raise(ctx, name, call, parameter):
    with pytest.raises(ValueError, match=f"{parameter} must be in"):
        call(ctx)


def test_thread_counts_that_crash_libglove_are_refused_before_the_call():
    """libglove's vocabulary and co-occurrence counters do not bound threads:
    4294967295 (what ctypes makes of -1) aborts the process allocating
    per-thread state, or spawns threads for minutes. Run apart with a timeout,
    so that a regression fails this test instead of killing or hanging pytest."""
    result = _run_python(f"""
        import glove
        vocab = glove.Vocabulary.from_words(["the"])
        for call in (lambda: glove.Vocabulary.build({CORPUS!r}, threads=-1),
                     lambda: glove.Vocabulary.build({CORPUS!r}, threads=2**32 - 1),
                     lambda: glove.Cooccurrence.from_files({CORPUS!r}, vocab, threads=2**32 - 1),
                     lambda: glove.Cooccurrence.from_files({CORPUS!r}, vocab, threads=1025)):
            try:
                call()
                print("accepted")
            except ValueError as e:
                print("refused" if "threads must be in 0 .. 1024" in str(e) else e)
    """, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["refused"] * 4


@pytest.mark.parametrize("call", [lambda: glove.GloVe(dim="8"), lambda: glove.GloVe(dim=8.0),
                                  lambda: glove.GloVe(threads=True), lambda: glove.Bilinear(rank=None),
                                  lambda: glove.Vocabulary.build(CORPUS, min_count=1.5)],
                         ids=["dim str", "dim float", "threads bool", "rank None", "min_count float"])
def test_integer_parameters_of_other_types_raise_type_error(call):
    with pytest.raises(TypeError, match="must be an integer"):
        call()


# NUL bytes, which C would take as the end of a path or word --------------------------

def test_paths_with_nul_bytes_raise_and_write_nothing(tmp_path, ctx):
    target = tmp_path / "model"
    bad = str(target) + "\0.glove"
    for call in (lambda: ctx.model.save(bad), lambda: ctx.model.export(bad), lambda: ctx.vocab.save(bad),
                 lambda: ctx.cooc.save(bad), lambda: ctx.bilinear.save(bad), lambda: glove.GloVe.load(bad),
                 lambda: glove.Features.load(bad), lambda: glove.Vocabulary.build([CORPUS + "\0.txt"]),
                 lambda: glove.Cooccurrence.load(bad), lambda: ctx.model.evaluate_similarity(bad),
                 lambda: glove.Cooccurrence.from_token_ids([0], 1, memory_limit=1 << 20)
                 .save(bad)):
        with pytest.raises(ValueError, match="NUL"):
            call()
    assert not target.exists()


@pytest.mark.parametrize("call", [lambda c: glove.Vocabulary.from_words(["a\0b", "c"]),
                                  lambda c: c.model.analogy("the\0x", "of", "and")],
                         ids=["Vocabulary.from_words", "GloVe.analogy"])
def test_nul_terminated_words_with_nul_bytes_raise(ctx, call):
    with pytest.raises(ValueError, match="NUL"):
        call(ctx)


# Objects of the wrong type ---------------------------------------------------------

WRONG_OBJECTS = [
    ("GloVe.fit(None)", lambda c: glove.GloVe(dim=4).fit(None, progress=False), "cooc must be a Cooccurrence"),
    ("GloVe.fit(vocab=str)", lambda c: glove.GloVe(dim=4).fit(c.cooc, vocab="the", progress=False),
     "vocab must be a Vocabulary"),
    ("Cooccurrence.from_files(vocab=str)", lambda c: glove.Cooccurrence.from_files(CORPUS, "the"),
     "vocab must be a Vocabulary"),
    ("Cooccurrence.merge(None)", lambda c: c.cooc.merge(None), "other must be a Cooccurrence"),
    ("Cooccurrence + 1", lambda c: c.cooc + 1, "unsupported operand"),
    ("Vocabulary.build(minhash=str)", lambda c: glove.Vocabulary.build(CORPUS, minhash="full"),
     "minhash must be a MinHash"),
    ("Vocabulary.from_words([1, 2])", lambda c: glove.Vocabulary.from_words([1, 2]), "str or bytes"),
    ("GloVe.analogy(1, ...)", lambda c: c.model.analogy(1, "of", "and"), "str or bytes"),
    ("GloVe.vector(5)", lambda c: c.model.vector(5), "str or bytes"),
    ("GloVe.neighbors(None)", lambda c: c.model.neighbors(None), "real numbers"),
    ("Bilinear.fit(user_features=None)", lambda c: glove.Bilinear(epochs=1).fit(c.pairs, None, c.items),
     "real numbers"),
    ("minhash(42)", lambda c: glove.minhash(42), "not iterable"),
]


@pytest.mark.parametrize("name, call, message", WRONG_OBJECTS, ids=ids(WRONG_OBJECTS))
def test_wrong_object_types_raise_type_error(ctx, name, call, message):
    with pytest.raises(TypeError, match=message):
        call(ctx)


# Closed objects ---------------------------------------------------------------------

def _glove(c):
    return glove.GloVe(dim=4, threads=1).fit(c.cooc, epochs=1, progress=False)


def _bilinear(c):
    return glove.Bilinear(rank=2, epochs=1, threads=1).fit(c.pairs, c.users, c.items)


# class -> (factory, {method: call on the closed object})
CLOSED = {
    "MinHash": (lambda c: glove.MinHash(), {
        "bucket": lambda o, c: o.bucket("zebra"),
        "buckets": lambda o, c: o.buckets(["zebra", "hashes"]),
        "signature": lambda o, c: o.signature("zebra"),
        "jaccard": lambda o, c: o.jaccard("zebra", "zebras"),
        "Vocabulary.build(minhash=)": lambda o, c: glove.Vocabulary.build(CORPUS, minhash=o),
        "Vocabulary.from_words(minhash=)": lambda o, c: glove.Vocabulary.from_words(["a"], minhash=o),
    }),
    "Vocabulary": (lambda c: glove.Vocabulary.from_words(["the", "of"], [2, 1]), {
        "len": lambda o, c: len(o),
        "getitem": lambda o, c: o[0],
        "count": lambda o, c: o.count(0),
        "iter": lambda o, c: list(o),
        "words": lambda o, c: o.words,
        "counts": lambda o, c: o.counts,
        "id_space": lambda o, c: o.id_space,
        "lookup": lambda o, c: o.lookup("the"),
        "contains": lambda o, c: "the" in o,
        "save": lambda o, c: o.save(os.devnull),
        "Cooccurrence.from_files(vocab)": lambda o, c: glove.Cooccurrence.from_files(CORPUS, o),
        "GloVe.fit(vocab=)": lambda o, c: glove.GloVe(dim=4).fit(c.cooc, vocab=o, progress=False),
    }),
    "Cooccurrence": (lambda c: glove.Cooccurrence.from_token_ids([0, 1, 2], dimension=3), {
        "dimension": lambda o, c: o.dimension,
        "nnz": lambda o, c: o.nnz,
        "to_numpy": lambda o, c: o.to_numpy(),
        "save": lambda o, c: o.save(os.devnull),
        "merge": lambda o, c: o.merge(c.cooc),
        "merge(other)": lambda o, c: c.cooc.merge(o),
        "add": lambda o, c: o + c.cooc,
        "GloVe.fit": lambda o, c: glove.GloVe(dim=4).fit(o, vocab=c.vocab, progress=False),
    }),
    "GloVe": (_glove, {
        "dim": lambda o, c: o.dim,
        "vocab": lambda o, c: o.vocab,
        "words": lambda o, c: o.words,
        "embeddings": lambda o, c: o.embeddings,
        "biases": lambda o, c: o.biases,
        "loss_history": lambda o, c: o.loss_history,
        "vector": lambda o, c: o.vector("the"),
        "getitem": lambda o, c: o["the"],
        "contains": lambda o, c: "the" in o,
        "neighbors word": lambda o, c: o.neighbors("the"),
        "neighbors vector": lambda o, c: o.neighbors(np.ones(4)),
        "neighbors_batch": lambda o, c: o.neighbors_batch(np.ones((1, 4))),
        "analogy": lambda o, c: o.analogy("the", "of", "and"),
        "save": lambda o, c: o.save(os.devnull),
        "export": lambda o, c: o.export(os.devnull),
        "evaluate_similarity": lambda o, c: o.evaluate_similarity(CORPUS),
        "evaluate_analogies": lambda o, c: o.evaluate_analogies(CORPUS),
        "plot_loss": lambda o, c: o.plot_loss(),
        "plot_words": lambda o, c: o.plot_words(["the"]),
    }),
    "Features": (lambda c: glove.Features.from_dense(c.users), {
        "shape": lambda o, c: o.shape,
        "nnz": lambda o, c: o.nnz,
        "Bilinear.fit(user_features)": lambda o, c: glove.Bilinear(epochs=1).fit(c.pairs, o, c.items),
        "Bilinear.fit(item_features)": lambda o, c: glove.Bilinear(epochs=1).fit(c.pairs, c.users, o),
        "Bilinear.score": lambda o, c: c.bilinear.score(o, [0], [0]),
        "Bilinear.recommend": lambda o, c: c.bilinear.recommend(o),
        "Bilinear.evaluate": lambda o, c: c.bilinear.evaluate(o, ([0], [0]), ([0], [1])),
        "Bilinear.user_vectors": lambda o, c: c.bilinear.user_vectors(o),
        "Bilinear.add_items": lambda o, c: c.bilinear.add_items(o),
    }),
    "Bilinear": (_bilinear, {
        "form": lambda o, c: o.form,
        "rank": lambda o, c: o.rank,
        "n_user_features": lambda o, c: o.n_user_features,
        "n_item_features": lambda o, c: o.n_item_features,
        "n_items": lambda o, c: o.n_items,
        "loss_history": lambda o, c: o.loss_history,
        "score": lambda o, c: o.score(c.users, [0], [0]),
        "recommend": lambda o, c: o.recommend(c.users),
        "add_items": lambda o, c: o.add_items(c.items[:1]),
        "evaluate": lambda o, c: o.evaluate(c.users, ([0], [0]), ([0], [1])),
        "item_vectors": lambda o, c: o.item_vectors(),
        "user_vectors": lambda o, c: o.user_vectors(c.users),
        "save": lambda o, c: o.save(os.devnull),
        "plot_loss": lambda o, c: o.plot_loss(),
        "plot_precision": lambda o, c: o.plot_precision(c.users, ([0], [0]), ([0], [1]), max_k=2),
    }),
}
CLOSED_CALLS = [(cls, method) for cls, (_, methods) in CLOSED.items() for method in methods]


@pytest.mark.parametrize("cls, method", CLOSED_CALLS, ids=[f"{c}.{m}" for c, m in CLOSED_CALLS])
def test_every_method_of_a_closed_object_raises(ctx, cls, method):
    factory, methods = CLOSED[cls]
    obj = factory(ctx)
    obj.close()
    with pytest.raises(ValueError, match=f"this {cls} is closed"):
        methods[method](obj, ctx)
    assert obj.closed


@pytest.mark.parametrize("cls, method", [(c, m) for c, m in CLOSED_CALLS if c in ("GloVe", "Bilinear")],
                         ids=[f"{c}.{m}" for c, m in CLOSED_CALLS if c in ("GloVe", "Bilinear")])
def test_every_method_of_an_unfitted_model_raises(ctx, cls, method):
    obj = getattr(glove, cls)()
    with pytest.raises(ValueError, match="closed"):
        CLOSED[cls][1][method](obj, ctx)


@pytest.mark.parametrize("cls", list(CLOSED))
def test_closed_objects_have_a_repr(ctx, cls):
    obj = CLOSED[cls][0](ctx)
    obj.close()
    assert "closed" in repr(obj) or cls == "MinHash" and repr(obj).startswith("MinHash(")


# Freed exactly once -------------------------------------------------------------------

@pytest.fixture
def frees(monkeypatch):
    """Counts the calls of every class's C free function, by handle address."""
    counts = collections.Counter()
    for cls in (glove.MinHash, glove.Vocabulary, glove.Cooccurrence, glove.GloVe, glove.Features, glove.Bilinear):
        def counting(handle, real=cls._free):
            counts[ctypes.cast(handle, ctypes.c_void_p).value] += 1
            real(handle)
        monkeypatch.setattr(cls, "_free", counting)
    return counts


class _Handle:
    """An object's handle address and how often it had been freed when it was
    taken (addresses of freed objects get reused)."""

    def __init__(self, frees, obj):
        self.frees, self.address = frees, ctypes.cast(obj._handle, ctypes.c_void_p).value
        self.before = frees[self.address]

    @property
    def freed(self) -> int:
        return self.frees[self.address] - self.before


@pytest.mark.parametrize("cls", list(CLOSED))
def test_close_twice_then_garbage_collection_frees_once(ctx, frees, cls):
    obj = CLOSED[cls][0](ctx)
    handle = _Handle(frees, obj)
    obj.close()
    obj.close()
    with obj:  # a with block on a closed object closes nothing more
        pass
    del obj
    gc.collect()
    assert handle.freed == 1


@pytest.mark.parametrize("cls", list(CLOSED))
def test_with_block_closes_and_garbage_collection_frees_unclosed_objects_once(ctx, frees, cls):
    with CLOSED[cls][0](ctx) as obj:
        handle = _Handle(frees, obj)
        assert not obj.closed and handle.freed == 0
    assert obj.closed and handle.freed == 1
    other = CLOSED[cls][0](ctx)
    handle = _Handle(frees, other)
    del other
    gc.collect()
    assert handle.freed == 1


def test_refitting_frees_the_previous_model_once_and_failures_keep_it(ctx, frees):
    model = glove.GloVe(dim=4, threads=1).fit(ctx.cooc, epochs=1, progress=False)
    first = _Handle(frees, model)
    model.fit(ctx.cooc, epochs=2, progress=False)
    second = _Handle(frees, model)
    assert first.freed == 1 and second.freed == 0 and len(model.loss_history) == 2
    with pytest.raises(glove.InvalidArgumentError):
        model.fit(ctx.cooc, vocab=glove.Vocabulary.from_words(["a"]), epochs=1, progress=False)
    assert _Handle(frees, model).address == second.address and second.freed == 0 and len(model.loss_history) == 2
    recommender = _bilinear(ctx)
    first = _Handle(frees, recommender)
    recommender.fit(ctx.pairs, ctx.users, ctx.items)
    second = _Handle(frees, recommender)
    assert first.freed == 1 and second.freed == 0
    recommender.close()
    model.close()
    assert second.freed == 1


@pytest.mark.parametrize("cls", list(CLOSED))
@pytest.mark.parametrize("duplicate", [copy.copy, copy.deepcopy, pickle.dumps],
                         ids=["copy", "deepcopy", "pickle"])
def test_copies_that_would_free_the_handle_twice_are_refused(ctx, frees, cls, duplicate):
    obj = CLOSED[cls][0](ctx)
    handle = _Handle(frees, obj)
    with pytest.raises(TypeError, match="cannot be (copied|pickled)"):
        duplicate(obj)
    assert not obj.closed
    obj.close()
    gc.collect()
    assert handle.freed == 1


# Objects derived from others ----------------------------------------------------------

def test_a_models_vocabulary_outlives_the_model(ctx):
    model = _glove(ctx)
    vocab = model.vocab
    words = model.words
    model.close()
    del model
    gc.collect()
    assert vocab.words == words and vocab.lookup("the") == (0, True)


def test_closing_a_models_vocabulary_leaves_the_model_working(ctx):
    model = _glove(ctx)
    before = model.neighbors("the", k=3)
    model.vocab.close()
    assert model.neighbors("the", k=3) == before and not model.vocab.closed


def test_a_model_outlives_its_training_inputs(ctx):
    vocab = glove.Vocabulary.build(CORPUS, min_count=2, threads=1)
    cooc = glove.Cooccurrence.from_files(CORPUS, vocab, threads=1)
    model = glove.GloVe(dim=4, threads=1, seed=5).fit(cooc, epochs=2, progress=False)
    expected = glove.GloVe(dim=4, threads=1, seed=5).fit(ctx.cooc, epochs=2, progress=False).embeddings
    assert cooc.vocab is vocab
    vocab.close()
    cooc.close()
    gc.collect()
    np.testing.assert_array_equal(model.embeddings, expected)
    assert model.words == ctx.vocab.words
    with pytest.raises(ValueError, match="this Cooccurrence is closed"):
        glove.GloVe(dim=4).fit(cooc, progress=False)


def test_a_recommender_outlives_its_features(ctx):
    users, items = glove.Features.from_dense(ctx.users), glove.Features.from_dense(ctx.items)
    model = glove.Bilinear(rank=2, epochs=2, threads=1, seed=4).fit(ctx.pairs, users, items)
    expected = glove.Bilinear(rank=2, epochs=2, threads=1, seed=4).fit(ctx.pairs, ctx.users, ctx.items)
    assert users.shape == (24, 4) and items.shape == (30, 4)  # the caller's Features are left open
    users.close()
    items.close()
    gc.collect()
    assert model.n_items == 30
    assert_same(model.item_vectors(), expected.item_vectors())
    assert_same(model.recommend(ctx.users, k=3), expected.recommend(ctx.users, k=3))


def test_a_vocabulary_outlives_its_minhash():
    hasher = glove.MinHash(scheme="full", buckets=1000, seed=7)
    vocab = glove.Vocabulary.from_words(["democracy"], minhash=hasher)
    expected = (1 + hasher.bucket("democratic"), False)
    hasher.close()
    gc.collect()
    assert vocab.lookup("democratic") == expected and vocab.id_space == 1001


def test_c_refuses_freed_handles_instead_of_crashing():
    """libglove keeps a registry of live handles; run apart in case that ever breaks."""
    result = _run_python("""
        import ctypes
        import glove
        from glove import _lib
        hasher = glove.MinHash()
        stale = hasher._handle
        hasher.close()
        out = ctypes.c_uint32()
        print(_lib.glove_minhash_bucket(stale, b"zebra", 5, ctypes.byref(out)))
        _lib.glove_minhash_free(stale)  # a second free is ignored
        print(glove.minhash("zebra"))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(_lib.GLOVE_E_INVALID_ARGUMENT), str(glove.minhash("zebra"))]


# Callbacks -----------------------------------------------------------------------------

# API -> call(ctx, callback); counting calls back after each 4 MiB block, training after each epoch
CALLBACK_APIS = {
    "Vocabulary.build": lambda c, cb: glove.Vocabulary.build(c.big, min_count=1, threads=1, callback=cb),
    "Cooccurrence.from_files": lambda c, cb: glove.Cooccurrence.from_files(c.big, c.big_vocab, threads=1,
                                                                           callback=cb),
    "GloVe.fit": lambda c, cb: glove.GloVe(dim=4, threads=1).fit(c.cooc, epochs=5, callback=cb, progress=False),
    "Bilinear.fit": lambda c, cb: glove.Bilinear(rank=2, epochs=5, threads=1).fit(c.pairs, c.users, c.items,
                                                                                  callback=cb),
}
TRAINING = ("GloVe.fit", "Bilinear.fit")


def _len_of(result):
    """What every run of an API gives: the number of words, entries or epochs."""
    if isinstance(result, glove.Vocabulary):
        return len(result)
    if isinstance(result, glove.Cooccurrence):
        return result.nnz
    return len(result.loss_history)


class Boom(Exception):
    pass


@pytest.mark.parametrize("api", list(CALLBACK_APIS))
def test_an_exception_raised_by_a_callback_propagates_unchanged(ctx, api):
    handler = signal.getsignal(signal.SIGINT)
    error = Boom("from the callback")
    calls = []

    def explode(*args):
        calls.append(args)
        raise error

    with pytest.raises(Boom) as info:
        CALLBACK_APIS[api](ctx, explode)
    assert info.value is error and len(calls) == 1  # C stopped at once
    assert signal.getsignal(signal.SIGINT) is handler
    # The inputs are still usable: the same call without a callback gives the full result.
    # 8 words; 8 × 7 pairs of distinct words plus "the" next to itself; 5 epochs.
    assert _len_of(CALLBACK_APIS[api](ctx, None)) == {"Vocabulary.build": 8, "Cooccurrence.from_files": 57,
                                                      "GloVe.fit": 5, "Bilinear.fit": 5}[api]


@pytest.mark.parametrize("api", list(CALLBACK_APIS))
def test_keyboard_interrupt_raised_in_a_callback_propagates(ctx, api):
    def interrupt(*args):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        CALLBACK_APIS[api](ctx, interrupt)


@pytest.mark.parametrize("api", list(CALLBACK_APIS))
def test_a_callback_with_the_wrong_signature_raises_its_type_error(ctx, api):
    with pytest.raises(TypeError, match="positional argument"):
        CALLBACK_APIS[api](ctx, lambda: None)


@pytest.mark.parametrize("api", list(CALLBACK_APIS))
def test_a_callback_that_is_not_callable_raises_before_any_work(ctx, api):
    with pytest.raises(TypeError, match="callback must be callable"):
        CALLBACK_APIS[api](ctx, 5)


@pytest.mark.parametrize("api", list(CALLBACK_APIS))
def test_returning_false_stops(ctx, api):
    calls = []

    def stop(*args):
        calls.append(args)
        return False

    if api in TRAINING:  # training stops after the epoch and keeps it
        assert len(CALLBACK_APIS[api](ctx, stop).loss_history) == 1 and len(calls) == 1
    else:
        with pytest.raises(glove.CancelledError, match="stopped by the progress callback"):
            CALLBACK_APIS[api](ctx, stop)
        assert len(calls) == 1


@pytest.mark.parametrize("api", list(CALLBACK_APIS))
def test_returning_none_or_true_continues(ctx, api):
    calls = []
    result = CALLBACK_APIS[api](ctx, lambda *args: calls.append(args) or (None if len(calls) % 2 else True))
    assert _len_of(result) == _len_of(CALLBACK_APIS[api](ctx, None))
    assert len(calls) == (5 if api in TRAINING else 3)


@pytest.mark.parametrize("model_class", ["GloVe", "Bilinear"])
def test_a_model_whose_callback_raised_keeps_the_epochs_done_and_trains_again(ctx, model_class):
    if model_class == "GloVe":
        model = glove.GloVe(dim=4, threads=1)
        fit = lambda callback: model.fit(ctx.cooc, epochs=6, callback=callback, progress=False)  # noqa: E731
    else:
        model = glove.Bilinear(rank=2, epochs=6, threads=1)
        fit = lambda callback: model.fit(ctx.pairs, ctx.users, ctx.items, callback=callback)  # noqa: E731

    def fail_in_epoch_3(epoch, *rest):
        if epoch == 3:
            raise Boom

    with pytest.raises(Boom):
        fit(fail_in_epoch_3)
    assert len(model.loss_history) == 3 and not model.closed
    fit(None)
    assert len(model.loss_history) == 6


def test_callback_exceptions_propagate_from_worker_threads(ctx):
    """Only the main thread can install a SIGINT handler; elsewhere exceptions still propagate."""
    from concurrent.futures import ThreadPoolExecutor

    def explode(*args):
        raise Boom("in a worker")

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(CALLBACK_APIS["GloVe.fit"], ctx, explode)
        with pytest.raises(Boom, match="in a worker"):
            future.result()
        assert pool.submit(lambda: _len_of(CALLBACK_APIS["Bilinear.fit"](ctx, None))).result() == 5


def test_closing_inputs_inside_a_callback_does_not_disturb_the_call(ctx):
    """C holds its own references during a call: closing the Python objects only ends their use from Python."""
    vocab = glove.Vocabulary.build(CORPUS, min_count=2, threads=1)
    cooc = glove.Cooccurrence.from_files(CORPUS, vocab, threads=1)

    def close_inputs(epoch, loss):
        cooc.close()
        vocab.close()
        gc.collect()

    model = glove.GloVe(dim=4, threads=1, seed=9).fit(cooc, epochs=3, callback=close_inputs, progress=False)
    expected = glove.GloVe(dim=4, threads=1, seed=9).fit(ctx.cooc, epochs=3, progress=False)
    np.testing.assert_array_equal(model.embeddings, expected.embeddings)

    users, items = glove.Features.from_dense(ctx.users), glove.Features.from_dense(ctx.items)
    recommender = glove.Bilinear(rank=2, epochs=3, threads=1, seed=2).fit(
        ctx.pairs, users, items, callback=lambda *args: users.close() or items.close())
    expected = glove.Bilinear(rank=2, epochs=3, threads=1, seed=2).fit(ctx.pairs, ctx.users, ctx.items)
    assert_same(recommender.loss_history, expected.loss_history)

    big_vocab = glove.Vocabulary.build(ctx.big, min_count=1, threads=1)
    counted = glove.Cooccurrence.from_files(ctx.big, big_vocab, threads=1, callback=lambda done: big_vocab.close())
    assert_same(counted.to_numpy(), glove.Cooccurrence.from_files(ctx.big, ctx.big_vocab, threads=1).to_numpy())


# Ctrl-C: a real SIGINT while C runs (in a subprocess, so a failure cannot stop pytest) --------

def _run_python(code: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.path.join(HERE, "..") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, env=env)


# API -> statement using `callback` (sets `started`) and reporting what survived in `done`
SIGINT_CALLS = {
    "Vocabulary.build": "glove.Vocabulary.build(BIG, min_count=1, threads=1, callback=callback)",
    "Cooccurrence.from_files": "glove.Cooccurrence.from_files(BIG, glove.Vocabulary.build(BIG, min_count=1), "
                               "threads=1, callback=callback)",
    "GloVe.fit": "model.fit(cooc, epochs=1_000_000, callback=callback, progress=False)",
    "Bilinear.fit": "recommender.fit((np.arange(30) % 24, np.arange(30)), np.eye(24, 4), np.eye(30, 4), "
                    "callback=callback)",
}


@pytest.mark.parametrize("api", list(SIGINT_CALLS))
def test_ctrl_c_during_a_call_raises_keyboard_interrupt(big_corpus, api):
    """SIGINT arrives while C runs, so Python raises KeyboardInterrupt on the
    first line of the next callback, where no try can catch it: ctypes used to
    print "Exception ignored" and go on with an undefined return value."""
    result = _run_python(f"""
        import os, signal, threading
        import numpy as np
        import glove
        # As in an interactive session, even when the suite itself runs with
        # SIGINT ignored (a background job of a shell without job control).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        BIG = {big_corpus!r}
        vocab = glove.Vocabulary.build({CORPUS!r}, min_count=2, threads=1)
        cooc = glove.Cooccurrence.from_files({CORPUS!r}, vocab, threads=1)
        model = glove.GloVe(dim=4, threads=1)
        recommender = glove.Bilinear(rank=2, epochs=1_000_000, threads=1)
        started = threading.Event()

        def callback(*args):
            started.set()

        def press_ctrl_c():
            started.wait()
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

        threading.Thread(target=press_ctrl_c, daemon=True).start()
        try:
            {SIGINT_CALLS[api]}
            print("finished")
        except KeyboardInterrupt:
            print("KeyboardInterrupt")
        print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        if {api!r} == "GloVe.fit":
            print(0 < len(model.loss_history) < 1_000_000)
        if {api!r} == "Bilinear.fit":
            print(0 < len(recommender.loss_history) < 1_000_000)
    """)
    assert result.returncode == 0, result.stderr
    assert "Exception ignored" not in result.stderr
    lines = result.stdout.split()
    assert lines[0] == "KeyboardInterrupt" and all(line == "True" for line in lines[1:]), result.stdout


# Found by a review of the Python surface.

def test_huge_k_is_clamped_to_what_there_is(ctx):
    words, items = len(ctx.model.words), ctx.bilinear.n_items
    ids, scores = ctx.model.neighbors_batch(ctx.model.embeddings[:2], k=2**31)
    assert ids.shape == scores.shape == (2, words) and (ids >= 0).all()
    top, top_scores = ctx.bilinear.recommend(ctx.users[:2], k=2**31)
    assert top.shape == top_scores.shape == (2, items) and sorted(top[0]) == list(range(items))


def test_sparse_features_are_left_as_they_were_even_when_refused():
    sp = pytest.importorskip("scipy.sparse")
    matrix = sp.csr_matrix((np.array([1.0, 1.0, np.nan]), np.array([2, 0, 2]), np.array([0, 3, 3])), shape=(2, 4))
    before = (matrix.indices.copy(), matrix.data.copy())
    with pytest.raises(ValueError):
        glove.Features.from_sparse(matrix)
    assert np.array_equal(matrix.indices, before[0]) and np.array_equal(matrix.data, before[1], equal_nan=True)
    ok = sp.csr_matrix((np.array([1.0, 2.0]), np.array([2, 0]), np.array([0, 2, 2])), shape=(2, 4))
    glove.Features.from_sparse(ok)
    assert list(ok.indices) == [2, 0]


def test_boolean_sparse_features_count_as_ones(ctx):
    sp = pytest.importorskip("scipy.sparse")
    one_hot = sp.csr_matrix(np.array([[True, False, True, False], [False, True, False, False]]))
    as_bool = glove.Features.from_sparse(one_hot)
    assert as_bool.shape == (2, 4) and as_bool.nnz == 3
    vectors, biases = ctx.bilinear.user_vectors(as_bool)
    expected, expected_biases = ctx.bilinear.user_vectors(one_hot.astype(np.float32).toarray())
    assert np.array_equal(vectors, expected) and np.array_equal(biases, expected_biases)


def test_checkpoint_every_takes_numpy_integers_and_refuses_bools(ctx, tmp_path):
    path = tmp_path / "m.ckpt"
    glove.GloVe(dim=4, threads=1, seed=1).fit(ctx.cooc, epochs=2, progress=False, checkpoint=path,
                                               checkpoint_every=np.int64(1))
    assert path.exists()
    with pytest.raises(TypeError):
        glove.GloVe(dim=4, threads=1).fit(ctx.cooc, epochs=1, progress=False, checkpoint=path, checkpoint_every=True)


@pytest.mark.parametrize("word", ["a\nb", "a\rb"])
def test_words_with_line_breaks_are_refused(word):
    with pytest.raises(glove.InvalidArgumentError, match="line break"):
        glove.Vocabulary.from_words([word, "c"], [2, 1])


def test_words_with_spaces_save_natively_but_not_as_text(tmp_path):
    vocab = glove.Vocabulary.from_words(["new york", "c"], [2, 1])
    vocab.save(tmp_path / "vocab.txt")
    assert list(glove.Vocabulary.load(tmp_path / "vocab.txt")) == ["new york", "c"]
    cooc = glove.Cooccurrence.from_token_ids(np.array([0, 1, 0, 1]), 2)
    model = glove.GloVe(dim=2, threads=1).fit(cooc, vocab=vocab, epochs=1, progress=False)
    model.save(tmp_path / "m.glove")
    assert glove.GloVe.load(tmp_path / "m.glove").words == ["new york", "c"]
    with pytest.raises(glove.InvalidArgumentError, match="whitespace"):
        model.export(tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


def test_saving_over_a_fifo_is_refused_and_keeps_it(ctx, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(glove.GloveIOError, match="not a regular file"):
        ctx.model.save(fifo)
    assert os.path.exists(fifo) and not os.path.isfile(fifo)


def test_a_closed_model_no_longer_answers_from_its_words(ctx):
    model = glove.GloVe(dim=4, threads=1, seed=1).fit(ctx.cooc, epochs=1, progress=False)
    assert "the" in model and model.words[0]
    model.close()
    for use in (lambda: model.words, lambda: model.vocab, lambda: "the" in model):
        with pytest.raises(ValueError, match="closed"):
            use()
