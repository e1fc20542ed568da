"""glove.spark in local[2] mode: the vocabulary and the matrix counted on Spark
equal the single-machine ones (Vocabulary.build, Cooccurrence.from_files) and
the shared corpus vectors, for 1, 2 and 8 partitions and both oov policies."""
import os

import numpy as np
import pytest

import glove
import glove.spark as gs

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "Tests", "vectors", "corpus")
BASIC = os.path.join(VECTORS, "basic", "corpus.txt")
# basic is tested at 1, 2 and 8 partitions; empty has a test of its own.
OTHER_CASES = sorted(set(os.listdir(VECTORS)) - {"basic", "empty"})


def options(name):
    with open(os.path.join(VECTORS, name, "case.txt")) as f:
        o = dict(line.strip().split("=", 1) for line in f if line.strip())
    return dict(min_count=int(o["min_count"]), max_size=int(o["max_size"]), mode=o["mode"]), \
        dict(window=int(o["window"]), weighting=o["weighting"], oov=o["oov"], mode=o["mode"],
             subsample=float(o["subsample"]))


def file_lines(path, as_bytes=False):
    """The file's lines as libglove sees them: ended at b"\\n" only."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if data.endswith(b"\n") or not data:
        lines.pop()
    return lines if as_bytes else [line.decode("utf-8", "replace") for line in lines]


def read_vectors(name):
    """Expected vocabulary [(word, count)] and triples {(i, j): x} of a case."""
    folder = os.path.join(VECTORS, name)
    with open(os.path.join(folder, "vocab.txt"), "rb") as f:
        vocab = [(w.decode("utf-8"), int(c)) for w, c in (line.rsplit(b" ", 1) for line in f.read().split(b"\n") if line)]
    triples = {}
    with open(os.path.join(folder, "triples.tsv")) as f:
        for line in f:
            i, j, x = line.split()
            triples[(int(i), int(j))] = float(x)
    return vocab, triples


def as_dict(cooc):
    i, j, x = cooc.to_numpy()
    return {(int(a), int(b)): float(v) for a, b, v in zip(i, j, x)}


def assert_same_matrix(got, expected, rel=1e-9):
    """Same entries; values equal up to float summation order (module doc: relative 1e-9)."""
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=rel), key


def assert_same_vocab(got, expected):
    assert got.words == expected.words
    assert got.counts.tolist() == expected.counts.tolist()
    assert got.id_space == expected.id_space


def test_executors_load_the_shipped_library(spark):
    def where(_):
        import glove as g
        from pyspark import SparkFiles
        yield g.library_path, SparkFiles.getRootDirectory(), g.__file__
    for library, root, module in spark.sparkContext.parallelize(range(2), 2).mapPartitions(where).collect():
        assert library == os.path.join(root, "libglove.so")
        assert module.startswith(os.path.join(root, "glove.zip"))


@pytest.mark.parametrize("merge", ["driver", "executors"])
@pytest.mark.parametrize("partitions", [1, 2, 8])
def test_basic_corpus_matches_one_machine(spark, partitions, merge):
    vocab_options, _ = options("basic")
    lines = spark.sparkContext.parallelize(file_lines(BASIC), partitions)
    vocab = gs.build_vocabulary(lines, merge=merge, **vocab_options)
    single_vocab = glove.Vocabulary.build(BASIC, threads=1, **vocab_options)
    assert_same_vocab(vocab, single_vocab)
    expected_vocab, expected_triples = read_vectors("basic")
    assert list(zip(vocab.words, vocab.counts.tolist())) == expected_vocab
    for oov in ("drop", "bucket"):
        stats = {}
        cooc = gs.count_cooccurrences(lines, vocab, window=10, oov=oov, stats=stats, merge=merge)
        single = glove.Cooccurrence.from_files(BASIC, single_vocab, window=10, oov=oov, threads=1)
        assert cooc.dimension == single.dimension
        assert cooc.nnz == single.nnz
        assert_same_matrix(as_dict(cooc), as_dict(single))
        if oov == "drop":
            assert_same_matrix(as_dict(cooc), expected_triples, rel=1e-8)
        assert stats["partitions"] == (0 if merge == "driver" else partitions)
        assert stats["entries"] == (single.nnz + sum(i == j for i, j in as_dict(single))) // 2
        assert stats["map_entries"] >= stats["entries"]
        if partitions == 1:
            assert stats["map_entries"] == stats["entries"]


@pytest.mark.parametrize("name", OTHER_CASES)
def test_corpus_vectors_at_8_partitions(spark, name):
    corpus = os.path.join(VECTORS, name, "corpus.txt")
    vocab_options, cooc_options = options(name)
    expected_vocab, expected_triples = read_vectors(name)
    lines = spark.sparkContext.parallelize(file_lines(corpus, as_bytes=True), 8)  # bytes lines, passed as they are
    vocab = gs.build_vocabulary(lines, **vocab_options)
    assert list(zip(vocab.words, vocab.counts.tolist())) == expected_vocab
    cooc = gs.count_cooccurrences(lines, vocab, **cooc_options)
    assert_same_matrix(as_dict(cooc), expected_triples, rel=1e-8)
    single = glove.Cooccurrence.from_files(corpus, vocab, threads=1, **cooc_options)
    assert cooc.dimension == single.dimension
    assert_same_matrix(as_dict(cooc), as_dict(single))


def test_empty_corpus_gives_empty_results(spark):
    lines = spark.sparkContext.parallelize([], 2)
    vocab = gs.build_vocabulary(lines, min_count=1)
    assert len(vocab) == 0
    corpus = os.path.join(VECTORS, "empty", "corpus.txt")
    single = glove.Vocabulary.build(corpus, min_count=1)
    assert_same_vocab(vocab, single)
    cooc = gs.count_cooccurrences(lines, vocab)
    assert (cooc.dimension, cooc.nnz) == (0, 0)
    single_cooc = glove.Cooccurrence.from_files(corpus, single)
    assert (single_cooc.dimension, single_cooc.nnz) == (0, 0)


def test_custom_minhash_buckets_match_one_machine(spark):
    hasher = glove.MinHash(scheme="full", buckets=1000, seed=5)
    lines = spark.sparkContext.parallelize(file_lines(BASIC), 2)
    vocab = gs.build_vocabulary(lines, min_count=3, minhash=hasher)
    single_vocab = glove.Vocabulary.build(BASIC, min_count=3, minhash=hasher)
    assert_same_vocab(vocab, single_vocab)
    assert vocab.id_space == len(vocab) + 1000
    cooc = gs.count_cooccurrences(lines, vocab, window=5, oov="bucket")  # the minhash recorded by build_vocabulary
    single = glove.Cooccurrence.from_files(BASIC, single_vocab, window=5, oov="bucket")
    assert max(i for i, _ in as_dict(single)) >= len(vocab)  # bucket ids occur
    assert cooc.dimension == single.dimension
    assert_same_matrix(as_dict(cooc), as_dict(single))


def test_read_lines_ends_lines_at_newline_only(spark):
    # basic/corpus.txt holds carriage returns and invalid UTF-8; sc.textFile would end lines at "\r".
    with open(BASIC, "rb") as f:
        assert b"\r" in f.read()
    lines = gs.read_lines(spark, BASIC, min_partitions=8)
    assert lines.getNumPartitions() >= 8
    assert lines.collect() == file_lines(BASIC)
    vocab = gs.build_vocabulary(lines, min_count=2)
    single_vocab = glove.Vocabulary.build(BASIC, min_count=2)
    assert_same_vocab(vocab, single_vocab)
    cooc = gs.count_cooccurrences(lines, vocab, window=10)
    assert_same_matrix(as_dict(cooc), as_dict(glove.Cooccurrence.from_files(BASIC, single_vocab, window=10)))


def test_dataframe_column_input(spark):
    rows = [(k, line) for k, line in enumerate(file_lines(BASIC))]
    frame = spark.createDataFrame(rows, "id long, text string").repartition(3)
    with pytest.raises(ValueError, match="column"):
        gs.build_vocabulary(frame)
    vocab = gs.build_vocabulary(frame, min_count=2, column="text")
    single_vocab = glove.Vocabulary.build(BASIC, min_count=2)
    assert_same_vocab(vocab, single_vocab)
    cooc = gs.count_cooccurrences(frame, vocab, window=10, column="text")
    assert_same_matrix(as_dict(cooc), as_dict(glove.Cooccurrence.from_files(BASIC, single_vocab, window=10)))


def test_parquet_output_is_readable_and_the_matrix_trains(spark, tmp_path):
    lines = spark.sparkContext.parallelize(file_lines(BASIC), 4)
    vocab = gs.build_vocabulary(lines, min_count=2)
    both, upper = str(tmp_path / "both.parquet"), str(tmp_path / "upper.parquet")
    cooc = gs.count_cooccurrences(lines, vocab, window=10, output=both)
    assert gs.count_cooccurrences(lines, vocab, window=10, output=upper, triangles="upper", collect=False) is None
    expected = as_dict(cooc)

    frame = spark.read.parquet(both)
    assert frame.dtypes == [("i", "int"), ("j", "int"), ("x", "double")]
    assert frame.count() == cooc.nnz
    parquet_triples = {(r.i, r.j): r.x for r in frame.collect()}
    assert_same_matrix(parquet_triples, expected)
    upper_frame = spark.read.parquet(upper)
    assert upper_frame.where("i > j").count() == 0
    assert upper_frame.count() == sum(i <= j for i, j in expected)
    assert_same_matrix(as_dict(gs.read_parquet(spark, both, vocab=vocab)), expected)
    reread = gs.read_parquet(spark, upper, vocab=vocab, triangles="upper")
    assert reread.dimension == len(vocab)
    assert_same_matrix(as_dict(reread), expected)

    model = glove.GloVe(dim=8, objective="paper", threads=1, seed=1).fit(cooc, epochs=1, progress=False)
    assert model.words == vocab.words
    assert model.embeddings.shape == (len(vocab), 8)
    assert np.all(np.isfinite(model.embeddings))
    assert len(model.loss_history) == 1


def test_bad_arguments_fail_before_any_job(spark):
    lines = spark.sparkContext.parallelize(["a b"], 1)
    vocab = glove.Vocabulary.from_words(["a", "b"], [1, 1])
    with pytest.raises(ValueError, match="nothing to do"):
        gs.count_cooccurrences(lines, vocab, collect=False)
    with pytest.raises(ValueError, match="oov"):
        gs.count_cooccurrences(lines, vocab, oov="keep")
    with pytest.raises(ValueError, match="triangles"):
        gs.count_cooccurrences(lines, vocab, triangles="lower")
    with pytest.raises(ValueError, match="mode"):
        gs.build_vocabulary(lines, mode="words")
    with pytest.raises(TypeError, match="RDD or a DataFrame"):
        gs.build_vocabulary(["a b"])
    with pytest.raises(ValueError, match="merge must be"):
        gs.build_vocabulary(lines, merge="anywhere")
    with pytest.raises(ValueError, match="cannot write output"):
        gs.count_cooccurrences(lines, vocab, output="/tmp/never.parquet", merge="driver")


def test_values_out_of_range_fail_before_any_job(spark, tmp_path):
    # Found by a review: these used to run a job first, or to give empty results.
    sc = spark.sparkContext
    lines = sc.parallelize(["a b", "b a"], 3)
    vocab = glove.Vocabulary.from_words(["a", "b"], [2, 2])
    full = glove.Vocabulary.from_words(["a", "b"], [2, 2], minhash=glove.MinHash("full", buckets=1000))
    (tmp_path / "c.txt").write_text("a b\n")
    jobs = len(sc.statusTracker().getJobIdsForGroup())
    cases = [
        (ValueError, "partitions", lambda: gs.build_vocabulary(lines, partitions=-1, merge="executors")),
        (ValueError, "partitions", lambda: gs.count_cooccurrences(lines, vocab, partitions=0, merge="executors")),
        (ValueError, "min_partitions", lambda: gs.read_lines(sc, str(tmp_path / "c.txt"), min_partitions=-1)),
        (TypeError, "min_partitions", lambda: gs.read_lines(sc, str(tmp_path / "c.txt"), min_partitions=2.5)),
        (ValueError, "window", lambda: gs.count_cooccurrences(lines, vocab, window=0)),
        (ValueError, "memory_limit", lambda: gs.count_cooccurrences(lines, vocab, memory_limit=0)),
        (TypeError, "min_count", lambda: gs.build_vocabulary(lines, min_count=1.5)),
        (TypeError, "minhash", lambda: gs.build_vocabulary(lines, minhash="full")),
        (TypeError, "stats", lambda: gs.count_cooccurrences(lines, vocab, stats=[])),
        (ValueError, "1000 min-hash buckets", lambda: gs.count_cooccurrences(lines, full, oov="bucket")),
    ]
    for error, message, call in cases:
        with pytest.raises(error, match=message):
            call()
    assert len(sc.statusTracker().getJobIdsForGroup()) == jobs, "a refused call ran a Spark job"
