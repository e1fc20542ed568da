"""Vocabulary and co-occurrence counting on Apache Spark, with libglove doing
each partition's work inside the executors.

Needs pyspark (``pip install pyspark``); ``import glove`` never imports this
module. Typical use::

    from glove import GloVe, spark as gs
    lines = gs.read_lines(spark, "hdfs:///corpus/*.txt")   # one document per line
    vocab = gs.build_vocabulary(lines, min_count=5)
    cooc = gs.count_cooccurrences(lines, vocab, window=10, output="hdfs:///corpus/cooc.parquet")
    model = GloVe(dim=100, objective="paper").fit(cooc)   # on the driver

Every element of the input (an RDD of ``str`` or ``bytes``, or a one-column
DataFrame) is one line, i.e. one document: windows never cross lines, so a
corpus split into any number of partitions gives the same counts as
``Vocabulary.build`` and ``Cooccurrence.from_files`` on one machine.

* Map side: each partition is written to a local temporary file and counted by
  libglove with one thread (``Vocabulary.build`` with ``min_count=1``, or
  ``Cooccurrence.from_files`` with the broadcast vocabulary), within
  ``memory_limit``, spilling sorted runs to ``temp_dir``. A partition emits its
  words with their counts, or its upper-triangle entries packed into numpy
  arrays, one block per merge partition (keys hashed on (i, j)).
* Merge, ``merge="executors"``: Spark shuffles by key; words are summed with
  ``reduceByKey``, matrix blocks are summed per merge partition with numpy, in
  map-partition order. ``merge="driver"``: each partition's words or entries
  go straight to the driver, which sums them in partition order (libglove
  sums the entries): one Spark stage instead of two, for inputs whose partial
  results fit the driver. ``merge="auto"`` (the default) takes the driver
  when the input has at most 8 partitions and the result is collected, the
  executors otherwise.
* Vocabulary: ``min_count`` and ``max_size`` are applied after the global
  sum; ids are by count descending, ties by the words' UTF-8 bytes, exactly as
  ``Vocabulary.build``; min-hash buckets come from the same ``MinHash``.

Tolerance: libglove sums a partition's weights in fixed point (2**-32 units)
and returns doubles; Spark adds the partitions' doubles. Every value below
2**21 is therefore exact (each partial sum is a multiple of 2**-32 that a
double holds exactly); above that the result differs from one machine only by
the rounding of float summation order, at most (P - 1) * 2**-53 relative for
P partitions. The documented tolerance, and what the tests check, is relative
1e-9.

Line semantics: libglove ends a line at ``\\n`` only, while ``sc.textFile``
also ends lines at ``\\r``; :func:`read_lines` reads files with ``\\n`` as the
only delimiter, so it matches ``glove cooccur`` byte for byte on valid UTF-8.
Spark decodes invalid UTF-8 to U+FFFD, which the text tokenizer treats as a
separator like libglove does (in ``mode="pretokenized"`` such a token may
differ). Two more differences, in ``mode="pretokenized"`` only: Hadoop drops
a UTF-8 byte-order mark at the start of a file, which libglove keeps as part
of the first token; and tokens holding a NUL byte, which libglove counts, are
refused on Spark (a vocabulary's words travel as C strings).

Getting libglove to the executors: an environment with the glove wheel
installed needs nothing; otherwise :func:`ship_library` sends libglove.so (and
the pure-Python package) with ``SparkContext.addFile``/``addPyFile``.
"""
import atexit
import functools
import operator
import os
import shutil
import tempfile
import uuid
import zipfile
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

import numpy as np

try:
    from pyspark import RDD, SparkContext, StorageLevel
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("glove.spark needs pyspark: pip install pyspark") from e

from . import _lib
from ._validate import integer
from .corpus import _MODES, Cooccurrence, Vocabulary, _choice
from .minhash import MinHash

__all__ = ["build_vocabulary", "count_cooccurrences", "read_lines", "read_parquet", "ship_library"]

_DEFAULT_MEMORY_LIMIT = 160 << 20
_DRIVER_MERGE_PARTITIONS = 8
_U32 = np.uint64(0xFFFF_FFFF)
_SHIFT = np.uint64(32)
_GOLDEN = np.uint64(0x9E37_79B9_7F4A_7C15)


# Input -------------------------------------------------------------------


def _context(spark) -> SparkContext:
    """The SparkContext of a SparkSession, a SparkContext, or the active one."""
    if spark is None:
        sc = SparkContext._active_spark_context
        if sc is None:
            raise ValueError("no active SparkContext: create a SparkSession first or pass one")
        return sc
    return getattr(spark, "sparkContext", spark)


def _lines(data, column: Optional[str]) -> RDD:
    """An RDD of lines (str, bytes or None) from an RDD or a DataFrame."""
    if isinstance(data, RDD):
        if column is not None:
            raise ValueError("column applies to a DataFrame, not an RDD")
        return data
    columns = getattr(data, "columns", None)
    if columns is not None and hasattr(data, "select"):
        if column is None:
            if len(columns) != 1:
                raise ValueError(f"the DataFrame has columns {columns}: say which holds the text (column=...)")
            column = columns[0]
        selected = data.select(column)
        try:
            rdd = selected.rdd
        except Exception as e:  # Spark Connect DataFrames have no .rdd
            raise TypeError("glove.spark needs a classic (non-Connect) DataFrame or an RDD") from e
        return rdd.map(operator.itemgetter(0))
    raise TypeError(f"expected an RDD or a DataFrame of lines (got {type(data).__name__})")


def read_lines(spark, paths, min_partitions: Optional[int] = None) -> RDD:
    """Lines of text files (comma-separated paths or a list; globs and
    compressed files as Hadoop reads them), ended at ``\\n`` only as libglove
    ends them (``sc.textFile`` also ends lines at ``\\r``).

    ``spark`` is a SparkSession or SparkContext. Returns an RDD of str.
    """
    if min_partitions is not None:
        min_partitions = integer("min_partitions", min_partitions, 1, 2**31 - 1)
    sc = _context(spark)
    if not isinstance(paths, str):
        paths = ",".join(os.fspath(p) for p in paths)
    conf = {"textinputformat.record.delimiter": "\n"}
    if min_partitions:
        # FileInputFormat splits by size: aim for at least min_partitions splits.
        conf["mapreduce.input.fileinputformat.split.maxsize"] = str(max(1, _total_size(sc, paths) // min_partitions))
    pairs = sc.newAPIHadoopFile(paths, "org.apache.hadoop.mapreduce.lib.input.TextInputFormat",
                                "org.apache.hadoop.io.LongWritable", "org.apache.hadoop.io.Text", conf=conf)
    return pairs.values()


def _total_size(sc: SparkContext, paths: str) -> int:
    """Bytes in the files a Hadoop path list names (globs expanded)."""
    jvm = sc._jvm
    hadoop_conf = sc._jsc.hadoopConfiguration()
    total = 0
    for p in paths.split(","):
        path = jvm.org.apache.hadoop.fs.Path(p)
        fs = path.getFileSystem(hadoop_conf)
        for status in fs.globStatus(path) or []:
            total += fs.getContentSummary(status.getPath()).getLength()
    return total


def _local_dir(temp_dir: Optional[str]) -> Optional[str]:
    """Where an executor writes its temporary files: temp_dir, else Spark's local dir."""
    if temp_dir is not None:
        return temp_dir
    local = os.environ.get("SPARK_LOCAL_DIRS")
    return local.split(",")[0] if local else None


def _encode_line(line) -> bytes:
    if isinstance(line, str):
        try:
            return line.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: restore escaped bytes, else replace
            try:
                return line.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                return line.encode("utf-8", "replace")
    if isinstance(line, (bytes, bytearray, memoryview)):
        return bytes(line)
    raise TypeError(f"a line must be str or bytes, not {type(line).__name__}")


def _write_partition(lines: Iterable, directory: Optional[str]) -> Tuple[str, int, int]:
    """Writes a partition's lines to a temporary file, one per line; returns (path, lines, bytes)."""
    fd, path = tempfile.mkstemp(prefix="glove-spark-", suffix=".txt", dir=directory)
    count = 0
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as f:
            write = f.write
            for line in lines:
                if line is None:
                    continue
                write(_encode_line(line))
                write(b"\n")
                count += 1
            size = f.tell()
    except BaseException:
        os.unlink(path)
        raise
    return path, count, size


def _merges_on_driver(merge: str, lines: RDD, collect: bool = True, output: Optional[str] = None) -> bool:
    """Whether partial results are summed on the driver (see the module notes)."""
    if merge not in ("auto", "driver", "executors"):
        raise ValueError(f"merge must be 'auto', 'driver' or 'executors' (got {merge!r})")
    if merge == "driver" and (output is not None or not collect):
        raise ValueError("merge='driver' collects the result: it cannot write output or skip the collect")
    if merge == "auto":
        return output is None and collect and lines.getNumPartitions() <= _DRIVER_MERGE_PARTITIONS
    return merge == "driver"


# Vocabulary --------------------------------------------------------------


def _read_vocab_file(path: str) -> Tuple[List[bytes], List[int]]:
    """Words (bytes) and counts of a Stanford vocab.txt written by libglove."""
    words, counts = [], []
    with open(path, "rb") as f:
        data = f.read()
    for line in data.split(b"\n"):
        if line:
            word, count = line.rsplit(b" ", 1)
            words.append(word)
            counts.append(int(count))
    return words, counts


def _vocab_items(vocab: Vocabulary, directory: Optional[str]) -> Tuple[List[bytes], List[int]]:
    """A vocabulary's words as bytes (exact, unlike ``vocab.words``) and counts, in id order."""
    fd, path = tempfile.mkstemp(prefix="glove-vocab-", suffix=".txt", dir=directory)
    os.close(fd)
    try:
        vocab.save(path)
        return _read_vocab_file(path)
    finally:
        os.unlink(path)


def _partition_words(lines, mode: str, temp_dir: Optional[str]) -> Tuple[List[bytes], List[int]]:
    """A partition's words and their counts, counted by libglove."""
    directory = _local_dir(temp_dir)
    path, n, _ = _write_partition(lines, directory)
    try:
        if n == 0:
            return [], []
        with Vocabulary.build(path, min_count=1, max_size=0, mode=mode, threads=1) as vocab:
            return _vocab_items(vocab, directory)
    finally:
        os.unlink(path)


def _count_words(lines, mode: str, temp_dir: Optional[str]) -> Iterator[Tuple[bytes, int]]:
    """mapPartitions: this partition's (word, count) pairs."""
    yield from zip(*_partition_words(lines, mode, temp_dir))


def _words_block(lines, mode: str, temp_dir: Optional[str]) -> Iterator[Tuple[List[bytes], List[int]]]:
    """mapPartitions: this partition's words and counts as one item."""
    yield _partition_words(lines, mode, temp_dir)


def _at_least(min_count: int, item: Tuple[bytes, int]) -> bool:
    return item[1] >= min_count


def _partitions(partitions: Optional[int]) -> Optional[int]:
    """A partition count: None (the input's) or a positive integer."""
    return None if partitions is None else integer("partitions", partitions, 1, 2**31 - 1)


def build_vocabulary(data, min_count: int = 5, max_size: int = 0, mode: str = "text", column: Optional[str] = None,
                     minhash: Optional[MinHash] = None, partitions: Optional[int] = None,
                     temp_dir: Optional[str] = None, merge: str = "auto") -> Vocabulary:
    """Counts the words of ``data`` (an RDD of lines, or a DataFrame with the
    lines in ``column``) on Spark; the same vocabulary as ``Vocabulary.build``
    on the concatenated lines.

    ``min_count`` and ``max_size`` (0: no limit) apply to the global counts.
    ``minhash`` gives the buckets of the other words (default: the compat
    scheme); it is remembered as ``vocab.minhash`` for
    :func:`count_cooccurrences`. ``partitions``: reduce partitions of the word
    shuffle (default: the input's). ``temp_dir``: executors' scratch folder
    (default: Spark's local dir). ``merge``: where the partitions' counts are
    summed, "auto", "driver" or "executors" (see the module notes).
    """
    _choice("mode", mode, _MODES)
    min_count, max_size = integer("min_count", min_count, 0, 2**64 - 1), integer("max_size", max_size, 0, 2**63 - 1)
    partitions = _partitions(partitions)
    if minhash is not None and not isinstance(minhash, MinHash):
        raise TypeError(f"minhash must be a MinHash (got {type(minhash).__name__})")
    lines = _lines(data, column)
    if _merges_on_driver(merge, lines):
        totals: Dict[bytes, int] = {}
        for words, counts in lines.mapPartitions(functools.partial(_words_block, mode=mode, temp_dir=temp_dir)).collect():
            get = totals.get
            for word, count in zip(words, counts):
                totals[word] = get(word, 0) + count
        kept = [item for item in totals.items() if item[1] >= max(min_count, 1)]
    else:
        counted = lines.mapPartitions(functools.partial(_count_words, mode=mode, temp_dir=temp_dir))
        summed = counted.reduceByKey(operator.add, numPartitions=partitions or max(1, lines.getNumPartitions()))
        kept = summed.filter(functools.partial(_at_least, max(min_count, 1))).collect()
    kept.sort(key=lambda item: (-item[1], item[0]))  # bytes compare as unsigned bytes: UTF-8 order
    if max_size:
        kept = kept[:max_size]
    vocab = Vocabulary.from_words([w for w, _ in kept], [c for _, c in kept], minhash=minhash)
    vocab.minhash = minhash
    return vocab


# Co-occurrences ----------------------------------------------------------

_executor_vocabs: Dict[str, Vocabulary] = {}


def _minhash_params(minhash: Optional[MinHash]):
    if minhash is None:
        return None
    return (minhash.scheme, minhash.num_buckets, minhash.seed, minhash.num_hashes)


def _executor_vocab(broadcast) -> Vocabulary:
    """The broadcast vocabulary, rebuilt once per worker process (Python
    workers are reused between tasks; the value is unpickled once per process)."""
    token, words, counts, minhash = broadcast.value
    vocab = _executor_vocabs.get(token)
    if vocab is None or vocab.closed:
        hasher = MinHash(*minhash) if minhash is not None else None
        vocab = Vocabulary.from_words(words, counts, minhash=hasher)
        vocab._minhash_owner = hasher
        if len(_executor_vocabs) >= 2:
            _executor_vocabs.clear()
        _executor_vocabs[token] = vocab
    return vocab


def _task_memory_limit(memory_limit: int, size: int) -> int:
    """The counting memory of one task: libglove sets up tables for its whole
    memory limit (about 0.1 CPU-s for the default 160 MiB), which a small
    partition does not need; the counts do not depend on it."""
    return min(memory_limit, max(16 << 20, 8 * size))


def _merge_partition_of(keys: np.ndarray, partitions: int) -> np.ndarray:
    """The merge partition of each key (i << 32 | j): Fibonacci hashing."""
    target = ((keys * _GOLDEN) >> _SHIFT) % np.uint64(partitions)
    return target.astype(np.uint16 if partitions <= 1 << 16 else np.intp)  # 16 bits: numpy's radix sort


PackedKeys = Tuple[bytes, bytes, bytes]


def _pack(i: np.ndarray, j: np.ndarray) -> PackedKeys:
    """Pairs sorted by (i, j), packed: the distinct rows (u32) with their run
    lengths (u32), then the columns as u16 when all fit, else u32: 2 or 4
    bytes per pair plus 8 per distinct row, against 8 per pair as keys."""
    starts = np.flatnonzero(np.concatenate(([True], i[1:] != i[:-1]))) if len(i) else np.empty(0, np.intp)
    lengths = np.diff(np.append(starts, len(i))).astype(np.uint32)
    columns = j.astype(np.uint16 if len(j) and j.max() < 1 << 16 else np.uint32)
    return i[starts].astype(np.uint32).tobytes(), lengths.tobytes(), columns.tobytes()


def _unpack(packed: PackedKeys) -> Tuple[np.ndarray, np.ndarray]:
    """The (i, j) uint32 arrays of packed keys."""
    rows, lengths, columns = packed
    lengths = np.frombuffer(lengths, dtype=np.uint32)
    n = int(lengths.sum())
    i = np.repeat(np.frombuffer(rows, dtype=np.uint32), lengths)
    j = np.frombuffer(columns, dtype=np.uint16 if len(columns) == 2 * n else np.uint32).astype(np.uint32)
    return i, j


def _keys(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The keys i << 32 | j of pairs."""
    return (i.astype(np.uint64) << _SHIFT) | j.astype(np.uint64)


def _count_pairs(index: int, lines, broadcast, partitions: int, params: dict, temp_dir: Optional[str],
                 pairs_counter=None) -> Iterator[Tuple[int, Tuple[int, PackedKeys, bytes]]]:
    """mapPartitionsWithIndex: this partition's upper-triangle entries, counted
    by libglove, as one (merge partition, (index, packed keys, values)) block per merge partition."""
    vocab = _executor_vocab(broadcast)
    directory = _local_dir(temp_dir)
    path, n, size = _write_partition(lines, directory)
    try:
        if n == 0:
            return
        params = dict(params, memory_limit=_task_memory_limit(params["memory_limit"], size))
        with Cooccurrence.from_files(path, vocab, threads=1, temp_dir=directory, **params) as cooc:
            i, j, x = cooc.to_numpy()
    finally:
        os.unlink(path)
    upper = i <= j  # sorted by (i, j)
    i, j, values = i[upper], j[upper], x[upper]
    del x, upper
    if pairs_counter is not None:
        pairs_counter.add(len(values))
    if partitions == 1:
        yield 0, (index, _pack(i, j), values.tobytes())
        return
    target = _merge_partition_of(_keys(i, j), partitions)
    order = np.argsort(target, kind="stable")  # pairs stay sorted within each block
    bounds = np.concatenate(([0], np.cumsum(np.bincount(target, minlength=partitions))))
    i, j, values = i[order], j[order], values[order]
    for p in range(partitions):
        a, b = bounds[p], bounds[p + 1]
        if b > a:
            yield p, (index, _pack(i[a:b], j[a:b]), values[a:b].tobytes())


def _merge_blocks(blocks) -> Iterator[Tuple[PackedKeys, bytes]]:
    """mapPartitions after the shuffle: sums the blocks of one merge partition,
    adding values in map-partition order (reproducible for a given partitioning)."""
    parts = sorted((block for _, block in blocks), key=operator.itemgetter(0))
    if not parts:
        return
    keys = np.concatenate([_keys(*_unpack(k)) for _, k, _ in parts])
    values = np.concatenate([np.frombuffer(v, dtype=np.float64) for _, _, v in parts])
    del parts
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    keys = keys[starts]
    yield _pack((keys >> _SHIFT).astype(np.uint32), (keys & _U32).astype(np.uint32)), \
        np.add.reduceat(values, starts).tobytes()


def _identity(key: int) -> int:
    return key


def _collect_on_driver(blocks: RDD, vocab: Vocabulary, oov: str, stats: Optional[dict], pairs_counter) -> Cooccurrence:
    """Every partition's entries, summed on the driver by libglove in partition order."""
    parts = sorted((block for _, block in blocks.collect()), key=operator.itemgetter(0))
    result, entries = _matrix([(k, v) for _, k, v in parts], vocab, oov)
    if stats is not None:
        stats.update(map_entries=pairs_counter.value, entries=entries, partitions=0)
    return result


def _matrix(blocks: List[Tuple[PackedKeys, bytes]], vocab: Vocabulary, oov: str) -> Tuple[Cooccurrence, int]:
    """The counted matrix of upper-triangle blocks (entries at one position
    summed in block order), and its number of upper-triangle entries."""
    i, j, x = _triples(blocks)
    result = Cooccurrence.from_triples(i, j, x, dimension=len(vocab) if oov == "drop" else vocab.id_space,
                                       symmetric=True)
    result.vocab = vocab
    diagonal = len(np.unique(i[i == j]))
    return result, (result.nnz + diagonal) // 2


def _triples(blocks: List[Tuple[PackedKeys, bytes]]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Upper-triangle (i, j, x) arrays from blocks, in block order."""
    if not blocks:
        return np.empty(0, np.uint32), np.empty(0, np.uint32), np.empty(0, np.float64)
    pairs = [_unpack(k) for k, _ in blocks]
    i = np.concatenate([i for i, _ in pairs])
    j = np.concatenate([j for _, j in pairs])
    del pairs
    return i, j, np.concatenate([np.frombuffer(v, dtype=np.float64) for _, v in blocks])


def _rows(block: Tuple[PackedKeys, bytes]) -> Iterator[Tuple[int, int, float]]:
    """flatMap: a merged block as (i, j, x) rows for a DataFrame."""
    i, j = _unpack(block[0])
    yield from zip(i.tolist(), j.tolist(), np.frombuffer(block[1], dtype=np.float64).tolist())


def _block_entries(block: Tuple[PackedKeys, bytes]) -> int:
    return len(block[1]) // 8


def _schema():
    from pyspark.sql.types import DoubleType, IntegerType, StructField, StructType
    return StructType([StructField("i", IntegerType(), False), StructField("j", IntegerType(), False),
                       StructField("x", DoubleType(), False)])


def count_cooccurrences(data, vocab: Vocabulary, window: int = 10, weighting: str = "harmonic", oov: str = "drop",
                        mode: str = "text", column: Optional[str] = None, output: Optional[str] = None,
                        collect: bool = True, triangles: str = "both", minhash: Optional[MinHash] = None,
                        partitions: Optional[int] = None, memory_limit: int = _DEFAULT_MEMORY_LIMIT,
                        temp_dir: Optional[str] = None, parquet_mode: str = "errorifexists",
                        stats: Optional[dict] = None, merge: str = "auto",
                        subsample: float = 0.0) -> Optional[Cooccurrence]:
    """Counts the co-occurrences of ``data`` (an RDD of lines, or a DataFrame
    with the lines in ``column``) on Spark with ``vocab`` broadcast to the
    executors; the same matrix as ``Cooccurrence.from_files`` on one machine
    (see the module notes for the tolerance).

    ``window``, ``weighting``, ``oov``, ``mode``, ``subsample`` mean what they mean for
    ``Cooccurrence.from_files`` (subsampling draws hash each document's ids,
    so they are the same on every executor); ``memory_limit`` bounds each task's counting
    tables (a task takes min(memory_limit, max(16 MiB, 8 × its partition's
    bytes)); beyond it libglove spills sorted runs to ``temp_dir``). ``minhash``: the
    MinHash the vocabulary uses for ``oov="bucket"`` (default: the one
    :func:`build_vocabulary` recorded, else the compat scheme).

    ``output``: a Parquet path (any Hadoop file system) written with columns
    i (int), j (int), x (double), ``triangles="both"`` (every nonzero entry,
    like ``to_numpy`` and Stanford files) or ``"upper"`` (i <= j, half the
    rows); ``parquet_mode`` is Spark's save mode. ``collect``: return the
    matrix as a :class:`Cooccurrence` on the driver (``.vocab`` set, so
    ``GloVe().fit(cooc)`` works); otherwise return None. ``merge``: where
    the partitions' entries are summed, "auto", "driver" (collect only) or
    "executors" (see the module notes). ``partitions``: merge partitions on
    the executors (default: the input's). ``stats``, if a dict, receives
    ``map_entries`` (upper-triangle entries the partitions emitted, i.e. the
    shuffle or what the driver receives; a Spark accumulator, so retried
    tasks count again), ``entries`` (after merging, upper triangle) and
    ``partitions`` (merge partitions; 0 when merged on the driver).
    """
    params = dict(window=window, weighting=weighting, oov=oov, mode=mode, memory_limit=memory_limit,
                  subsample=subsample)
    Cooccurrence._params(**params)  # the types and choices, on the driver
    # ... and the ranges, by the library itself: counting nothing checks them.
    # (memory_limit applies to the executors' tasks, whose memory the driver's need not match.)
    Cooccurrence.from_token_ids(np.empty(0, dtype=np.int32), 1, window=window, weighting=weighting,
                                memory_limit=min(memory_limit, 1 << 30), subsample=subsample)
    partitions = _partitions(partitions)
    if stats is not None and not isinstance(stats, dict):
        raise TypeError(f"stats must be a dict (got {type(stats).__name__})")
    if minhash is not None and not isinstance(minhash, MinHash):
        raise TypeError(f"minhash must be a MinHash (got {type(minhash).__name__})")
    if triangles not in ("both", "upper"):
        raise ValueError(f"triangles must be 'both' or 'upper' (got {triangles!r})")
    if output is None and not collect:
        raise ValueError("nothing to do: give an output path, collect=True, or both")
    lines = _lines(data, column)
    sc = lines.context
    on_driver = _merges_on_driver(merge, lines, collect, output)
    partitions = 0 if on_driver else partitions or max(1, lines.getNumPartitions())
    minhash = minhash if minhash is not None else getattr(vocab, "minhash", None)
    buckets, rebuilt = vocab.id_space - len(vocab), (minhash if minhash is not None else MinHash()).num_buckets
    if oov == "bucket" and buckets != rebuilt:
        raise ValueError(f"the vocabulary has {buckets} min-hash buckets but the executors would rebuild it with "
                         f"{rebuilt}: pass the vocabulary's MinHash as minhash=")
    words, counts = _vocab_items(vocab, None)
    broadcast = sc.broadcast((uuid.uuid4().hex, words, np.asarray(counts, dtype=np.uint64), _minhash_params(minhash)))
    pairs_counter = sc.accumulator(0) if stats is not None else None
    try:
        blocks = lines.mapPartitionsWithIndex(functools.partial(
            _count_pairs, broadcast=broadcast, partitions=partitions or 1, params=params, temp_dir=temp_dir,
            pairs_counter=pairs_counter))
        if on_driver:
            return _collect_on_driver(blocks, vocab, oov, stats, pairs_counter)
        merged = blocks.partitionBy(partitions, _identity).mapPartitions(_merge_blocks)
        if output is not None:  # read twice: both triangles, and the collect
            merged = merged.persist(StorageLevel.MEMORY_AND_DISK)
        result = None
        if output is not None:
            from pyspark.sql import SparkSession
            session = SparkSession.builder.getOrCreate()
            frame = session.createDataFrame(merged.flatMap(_rows), _schema(), verifySchema=False)
            if triangles == "both":
                frame = frame.unionByName(frame.where(frame.i != frame.j).select(
                    frame.j.alias("i"), frame.i.alias("j"), frame.x))
            frame.write.mode(parquet_mode).parquet(output)
        if collect:
            result, entries = _matrix(merged.collect(), vocab, oov)
        if stats is not None:
            stats["map_entries"] = pairs_counter.value
            stats["entries"] = entries if collect else merged.map(_block_entries).sum()
            stats["partitions"] = partitions
        if output is not None:
            merged.unpersist()
        return result
    finally:
        broadcast.unpersist()


def read_parquet(spark, path: str, vocab: Optional[Vocabulary] = None, dimension: int = 0,
                 triangles: str = "both") -> Cooccurrence:
    """Loads a matrix written by :func:`count_cooccurrences` (columns i, j, x)
    into a :class:`Cooccurrence` on the driver, laid out like a counted
    matrix. ``triangles`` says what the files hold ("both": the lower
    triangle is skipped; "upper": each entry stands for (i, j) and (j, i)). ``dimension`` 0 means, with
    ``vocab``, ``len(vocab)``, or ``vocab.id_space`` when the files hold bucket
    ids (counting with ``oov="bucket"`` gives ``vocab.id_space`` even when no
    bucket id occurs: pass ``dimension=vocab.id_space`` to match it); without
    ``vocab``, the largest id + 1.
    The result's ``.vocab`` is ``vocab``."""
    if triangles not in ("both", "upper"):
        raise ValueError(f"triangles must be 'both' or 'upper' (got {triangles!r})")
    from pyspark.sql import SparkSession
    session = spark if isinstance(spark, SparkSession) else SparkSession.builder.getOrCreate()
    frame = session.read.parquet(path).select("i", "j", "x")
    blocks = frame.rdd.mapPartitions(_row_blocks).collect()
    i = np.concatenate([np.frombuffer(b[0], dtype=np.int64) for b in blocks]) if blocks else np.empty(0, np.int64)
    j = np.concatenate([np.frombuffer(b[1], dtype=np.int64) for b in blocks]) if blocks else np.empty(0, np.int64)
    x = np.concatenate([np.frombuffer(b[2], dtype=np.float64) for b in blocks]) if blocks else np.empty(0)
    if triangles == "both":
        upper = i <= j
        i, j, x = i[upper], j[upper], x[upper]
    if not dimension and vocab is not None:  # as counted: len(vocab), or the id space when buckets occur
        largest = int(max(i.max(), j.max())) if len(i) else -1
        dimension = len(vocab) if largest < len(vocab) else vocab.id_space
    cooc = Cooccurrence.from_triples(i, j, x, dimension=dimension, symmetric=True)
    cooc.vocab = vocab
    return cooc


def _row_blocks(rows) -> Iterator[Tuple[bytes, bytes, bytes]]:
    i, j, x = [], [], []
    for row in rows:
        i.append(row[0])
        j.append(row[1])
        x.append(row[2])
    if i:
        yield (np.asarray(i, dtype=np.int64).tobytes(), np.asarray(j, dtype=np.int64).tobytes(),
               np.asarray(x, dtype=np.float64).tobytes())


# Shipping the library -------------------------------------------------------

_shipped: Dict[str, str] = {}


def _baseline_build(path: str) -> str:
    """The baseline x86-64 build beside a glibc-hwcaps one (``…/glibc-hwcaps/x86-64-v3/libglove.so``
    → ``…/libglove.so``): the executors' CPUs may lack what the driver's has."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.basename(os.path.dirname(folder)) == "glibc-hwcaps":
        baseline = os.path.join(os.path.dirname(os.path.dirname(folder)), os.path.basename(path))
        if os.path.exists(baseline):
            return baseline
    return path


def ship_library(spark=None, library: Optional[str] = None, python_package: bool = True) -> str:
    """Sends libglove.so to every executor with ``SparkContext.addFile`` (and,
    with ``python_package``, this pure-Python package with ``addPyFile``), for
    clusters where the glove wheel is not installed.

    Executors find the shipped copy through ``SparkFiles`` after the places
    ``glove`` always looks (``GLOVE_LIBRARY``, the package folder), so an
    installed wheel still wins. ``library`` defaults to the library this
    process loaded (its baseline x86-64 build when that is an x86-64-v3 one
    from glibc-hwcaps). Once per SparkContext; returns the shipped file's local path.
    """
    sc = _context(spark)
    key = sc.applicationId
    if key in _shipped:
        return _shipped[key]
    directory = tempfile.mkdtemp(prefix="glove-ship-")
    atexit.register(shutil.rmtree, directory, True)
    shipped = os.path.join(directory, "libglove.so")  # SparkFiles.get looks it up by this name
    shutil.copyfile(os.path.realpath(library or _baseline_build(_lib.path)), shipped)
    sc.addFile(shipped)
    if python_package:
        package = os.path.dirname(os.path.abspath(__file__))
        archive = os.path.join(directory, "glove.zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for name in sorted(os.listdir(package)):
                if name.endswith(".py") or name == "py.typed":
                    z.write(os.path.join(package, name), os.path.join("glove", name))
        sc.addPyFile(archive)
    _shipped[key] = shipped
    return shipped
