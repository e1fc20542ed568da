"""glove.minhash and glove.MinHash against the shared test vectors and an
independent reference (binascii.crc32, mmh3)."""
import binascii
import random

import mmh3
import numpy as np
import pytest

import glove


def reference_compat(word: bytes) -> int:
    n = len(word.decode("utf-8", "replace"))
    if n <= 4:
        return binascii.crc32(word) & 0xFFFF
    return min(binascii.crc32(word[i:i + 4]) & 0xFFFF for i in range(min(10, n) - 4))


def test_vector_file_is_large_and_varied(vectors):
    assert len(vectors) >= 1000
    assert any(w == b"" for w, *_ in vectors)
    assert any(b"\0" in w for w, *_ in vectors)


def test_compat_scalar_matches_vectors(vectors):
    assert [glove.minhash(w) for w, *_ in vectors] == [c for _, c, *_ in vectors]


def test_compat_batch_of_str_matches_vectors(vectors):
    rows = [(w.decode("utf-8"), c) for w, c, *_ in vectors if _is_utf8(w)]
    got = glove.minhash([w for w, _ in rows])
    assert got.dtype == np.uint32 and got.shape == (len(rows),)
    assert got.tolist() == [c for _, c in rows]


def test_batch_with_newlines_and_bytes_takes_the_general_path(vectors):
    words = [w for w, *_ in vectors]  # bytes, some invalid UTF-8, some with '\n'
    assert glove.minhash(words).tolist() == [c for _, c, *_ in vectors]
    with_newline = ["a\nb", "zebra"]
    assert glove.minhash(with_newline).tolist() == [glove.minhash("a\nb"), glove.minhash("zebra")]


def test_full_scheme_matches_vectors(vectors):
    words = [w for w, *_ in vectors]
    assert glove.minhash(words, scheme="full").tolist() == [row[2] for row in vectors]
    assert glove.minhash(words, scheme="full", buckets=1000003, seed=42).tolist() == [row[3] for row in vectors]


def test_signatures_match_vectors(vectors):
    with glove.MinHash(scheme="full", seed=7, hashes=4) as mh:
        for word, *_, signature in vectors:
            assert mh.signature(word).tolist() == signature


def test_random_words_match_independent_reference():
    rng = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyzéü日本😀"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16))) for _ in range(3000)]
    encoded = [w.encode() for w in words]
    assert glove.minhash(words).tolist() == [reference_compat(w) for w in encoded]
    full = [min((mmh3.hash(w[i:i + 4], 3, signed=False) for i in range(len(w) - 3)),
                default=mmh3.hash(w, 3, signed=False)) % 1000 for w in encoded]
    assert glove.minhash(words, scheme="full", buckets=1000, seed=3).tolist() == full


def test_scalar_for_str_and_array_for_sequences():
    assert isinstance(glove.minhash("zebra"), int)
    assert glove.minhash(()).shape == (0,)
    assert glove.minhash(iter(["zebra"])).tolist() == [glove.minhash("zebra")]


def test_plurals_often_share_a_bucket():
    # The reason min-hash exists: spelling variants share rows.
    assert glove.minhash("democracy") == glove.minhash("democratic")


def test_jaccard_estimates():
    with glove.MinHash(scheme="full", hashes=512) as mh:
        assert mh.jaccard("democracy", "democracy") == 1.0
        assert mh.jaccard("aaaaaaa", "zzzzzzz") == 0.0
        # Window sets {demo, emoc, mocr, ocra, crac, racy} and {…, raci, acie, cies}: 5/9.
        assert abs(mh.jaccard("democracy", "democracies") - 5 / 9) < 0.1


def test_min_hash_is_thread_safe():
    from concurrent.futures import ThreadPoolExecutor
    words = [f"word{i}" for i in range(20000)]
    expected = glove.minhash(words)
    with ThreadPoolExecutor(8) as pool:
        for got in pool.map(lambda _: glove.minhash(words), range(16)):
            assert np.array_equal(got, expected)


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
