"""Vocabularies and co-occurrence matrices."""
import ctypes
import os
from typing import Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _lib
from ._callbacks import Progress
from ._handle import Owned
from ._validate import (SIZE_MAX, UINT64_MAX, c_string, callback as _checked_callback, index_array, instance,
                        integer, path as _path, real_array, threads as _threads)
from .errors import InvalidArgumentError, check
from .minhash import MinHash, _encode

PathLike = Union[str, os.PathLike]
_MODES = {"text": _lib.GLOVE_MODE_TEXT, "pretokenized": _lib.GLOVE_MODE_PRETOKENIZED}
_OOV = {"bucket": _lib.GLOVE_OOV_BUCKET, "drop": _lib.GLOVE_OOV_DROP}
_WEIGHTINGS = {"harmonic": _lib.GLOVE_WEIGHTING_HARMONIC, "uniform": _lib.GLOVE_WEIGHTING_UNIFORM}
_FORMATS = {"stanford": _lib.GLOVE_FORMAT_STANFORD, "native": _lib.GLOVE_FORMAT_NATIVE}


def _choice(name: str, value: str, table: dict) -> int:
    if value not in table:
        raise ValueError(f"{name} must be one of {sorted(table)} (got {value!r})")
    return table[value]


def _paths(paths) -> "ctypes.Array":
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    encoded = [_path(p) for p in paths]
    if not encoded:
        raise ValueError("give at least one file")
    return (ctypes.c_char_p * len(encoded))(*encoded)


def _minhash_handle(minhash: Optional[MinHash]):
    return instance("minhash", minhash, MinHash)._live() if minhash is not None else None


def _count_progress(callback) -> Progress:
    """A glove_count_progress callback: ``callback(bytes_read)`` returning anything but None or True stops."""
    if _checked_callback(callback) is None:
        return Progress(_lib.glove_count_progress)  # still watches for Ctrl-C
    return Progress(_lib.glove_count_progress, lambda bytes_read: callback(int(bytes_read)) in (None, True))


class Vocabulary(Owned):
    """Words with their counts, ids by count (descending, ties by bytes), and
    min-hash buckets for every other word (ids ``len(vocab) + bucket``).

    Immutable and thread-safe. ``vocab[i]`` is a word, ``len(vocab)`` the
    number of words, iteration yields words in id order.
    """

    _free = staticmethod(_lib.glove_vocab_free)

    def __init__(self, handle):
        self._handle = handle

    @classmethod
    def build(cls, paths, min_count: int = 5, max_size: int = 0, mode: str = "text", threads: int = 0,
              minhash: Optional[MinHash] = None, callback=None) -> "Vocabulary":
        """Counts the words of text files (one document per line).

        ``callback(bytes_read)`` is called after each block; returning anything
        but None or True stops with CancelledError, an exception it raises stops and propagates,
        and so does Ctrl-C (KeyboardInterrupt).
        """
        params = _lib.glove_vocab_default_params()
        params.min_count = integer("min_count", min_count, 0, UINT64_MAX)
        params.max_size = integer("max_size", max_size, 0, UINT64_MAX)
        params.threads = _threads(threads)
        params.mode = _choice("mode", mode, _MODES)
        files = _paths(paths)
        handle = ctypes.POINTER(_lib.glove_vocab)()
        progress = _count_progress(callback)
        with progress:
            status = _lib.glove_vocab_build(files, len(files), ctypes.byref(params), _minhash_handle(minhash),
                                            progress.c_function, None, ctypes.byref(handle))
        vocab = cls(handle) if status == _lib.GLOVE_OK else None  # owned before anything can raise
        progress.reraise()
        check(status)
        return vocab

    @classmethod
    def from_words(cls, words: Sequence[str], counts: Optional[Sequence[int]] = None,
                   minhash: Optional[MinHash] = None) -> "Vocabulary":
        """A vocabulary of the given words (str, or bytes taken as they are) in id order (counts default to 0)."""
        if isinstance(words, (str, bytes)):
            raise TypeError("words must be a sequence of words, not a single str or bytes")
        encoded = [c_string("a word", w) for w in words]
        array = (ctypes.c_char_p * len(encoded))(*encoded)
        counts = index_array("counts", counts if counts is not None else np.zeros(len(encoded), dtype=np.uint64),
                             dtype=np.uint64)
        if counts.shape != (len(encoded),):
            raise ValueError(f"counts must have {len(encoded)} entries (got shape {counts.shape})")
        handle = ctypes.POINTER(_lib.glove_vocab)()
        check(_lib.glove_vocab_create(array, counts.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64)), len(encoded),
                                      _minhash_handle(minhash), ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def load(cls, path: PathLike, minhash: Optional[MinHash] = None) -> "Vocabulary":
        """Reads a Stanford vocab.txt file."""
        handle = ctypes.POINTER(_lib.glove_vocab)()
        check(_lib.glove_vocab_load(_path(path), _minhash_handle(minhash), ctypes.byref(handle)))
        return cls(handle)

    def save(self, path: PathLike) -> None:
        """Writes a Stanford vocab.txt file atomically."""
        check(_lib.glove_vocab_save(self._live(), _path(path)))

    def _sizes(self) -> Tuple[int, int]:
        size, space = ctypes.c_size_t(), ctypes.c_size_t()
        check(_lib.glove_vocab_size(self._live(), ctypes.byref(size), ctypes.byref(space)))
        return size.value, space.value

    def __len__(self) -> int:
        return self._sizes()[0]

    @property
    def id_space(self) -> int:
        """Number of ids: words plus min-hash buckets."""
        return self._sizes()[1]

    def _entry(self, i: int) -> Tuple[str, int]:
        if not isinstance(i, (int, np.integer)) or not 0 <= i <= SIZE_MAX:  # ctypes would wrap larger ones
            raise IndexError(f"vocabulary index must be a non-negative integer (got {i!r})")
        word, length, count = ctypes.c_void_p(), ctypes.c_size_t(), ctypes.c_uint64()
        status = _lib.glove_vocab_word(self._live(), int(i), ctypes.byref(word), ctypes.byref(length), ctypes.byref(count))
        if status == _lib.GLOVE_E_INVALID_ARGUMENT:
            raise IndexError(f"vocabulary index {i} is out of range ({len(self)} words)")
        check(status)
        return ctypes.string_at(word, length.value).decode("utf-8", "replace"), count.value

    def __getitem__(self, i: int) -> str:
        return self._entry(i)[0]

    def count(self, i: int) -> int:
        """The corpus count of word ``i``."""
        return self._entry(i)[1]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def words(self) -> List[str]:
        """All words in id order."""
        return list(self)

    @property
    def counts(self) -> np.ndarray:
        """All counts in id order (uint64)."""
        return np.array([self.count(i) for i in range(len(self))], dtype=np.uint64)

    def lookup(self, word, oov: str = "bucket") -> Tuple[int, bool]:
        """``(id, in_vocabulary)`` of any word; id is -1 when dropped (``oov="drop"``)."""
        data = _encode(word)
        out, known = ctypes.c_int64(), ctypes.c_int32()
        check(_lib.glove_vocab_lookup(self._live(), data, len(data), _choice("oov", oov, _OOV), ctypes.byref(out),
                                      ctypes.byref(known)))
        return out.value, bool(known.value)

    def __contains__(self, word) -> bool:
        return self.lookup(word, oov="drop")[1]

    def __repr__(self) -> str:
        return "Vocabulary(closed)" if self.closed else f"Vocabulary({len(self)} words)"


class Cooccurrence(Owned):
    """A sparse symmetric co-occurrence matrix, immutable and thread-safe."""

    _free = staticmethod(_lib.glove_cooc_free)

    def __init__(self, handle):
        self._handle = handle
        self.vocab: Optional[Vocabulary] = None

    @staticmethod
    def _params(window=10, weighting="harmonic", oov="drop", mode="text", threads=0, memory_limit=160 << 20,
                cross_lines=False, temp_dir=None, subsample=0.0):
        p = _lib.glove_cooc_default_params()
        p.subsample = subsample
        if not (0 <= p.subsample < 1 and (p.subsample > 0) == (subsample > 0)):  # checked here too for Spark's driver
            raise InvalidArgumentError(f"subsample must be in [0, 1) as a 32-bit float, and not round to 0 when positive "
                                       f"(got {subsample!r})", _lib.GLOVE_E_INVALID_ARGUMENT)
        p.window = integer("window", window)
        p.threads = _threads(threads)
        p.memory_limit = integer("memory_limit", memory_limit, 0, UINT64_MAX)
        p.cross_lines = int(bool(cross_lines))
        p.weighting = _choice("weighting", weighting, _WEIGHTINGS)
        p.oov = _choice("oov", oov, _OOV)
        p.mode = _choice("mode", mode, _MODES)
        p.temp_dir = _path(temp_dir) if temp_dir is not None else None
        return p

    @classmethod
    def from_files(cls, paths, vocab: Optional[Vocabulary] = None, window: int = 10, weighting: str = "harmonic",
                   oov: str = "drop", mode: str = "text", threads: int = 0, memory_limit: int = 160 << 20,
                   cross_lines: bool = False, temp_dir=None, callback=None, *, min_count: Optional[int] = None,
                   max_size: Optional[int] = None, minhash: Optional[MinHash] = None,
                   subsample: float = 0.0) -> "Cooccurrence":
        """Counts the co-occurrences of text files (see the README for the exact semantics);
        ``callback(bytes_read)`` works as for :meth:`Vocabulary.build`.

        ``subsample``: frequent-word subsampling threshold t (word2vec's
        ``sample``, e.g. 1e-4; 0 keeps every token): each occurrence of a word
        of frequency f (its vocabulary count over the total) is kept with
        probability min(1, (sqrt(f/t) + 1) t/f) before windowing. The draw
        hashes the document's ids so far, so results do not depend on threads.

        Without ``vocab``, the vocabulary is built in the same read of the text
        (``min_count`` default 5, ``max_size`` default 0 = no limit,
        ``minhash`` default compat), as :meth:`Vocabulary.build` would build
        it, and the result's ``vocab`` holds it.
        """
        building = min_count is not None or max_size is not None or minhash is not None
        if vocab is not None and building:
            raise TypeError("min_count, max_size and minhash build a vocabulary: give them or vocab, not both")
        params = cls._params(window, weighting, oov, mode, threads, memory_limit, cross_lines, temp_dir, subsample)
        files = _paths(paths)
        handle = ctypes.POINTER(_lib.glove_cooc)()
        progress = _count_progress(callback)
        if vocab is not None:
            instance("vocab", vocab, Vocabulary)
            with progress:
                status = _lib.glove_cooc_count_files(vocab._live(), files, len(files), ctypes.byref(params),
                                                     progress.c_function, None, ctypes.byref(handle))
        else:
            vocab_params = _lib.glove_vocab_default_params()
            vocab_params.min_count = integer("min_count", 5 if min_count is None else min_count, 0, UINT64_MAX)
            vocab_params.max_size = integer("max_size", 0 if max_size is None else max_size, 0, UINT64_MAX)
            vocab_params.mode = params.mode
            vocab_handle = ctypes.POINTER(_lib.glove_vocab)()
            with progress:
                status = _lib.glove_cooc_count_corpus(files, len(files), ctypes.byref(vocab_params),
                                                      _minhash_handle(minhash), ctypes.byref(params),
                                                      progress.c_function, None, ctypes.byref(vocab_handle),
                                                      ctypes.byref(handle))
            if status == _lib.GLOVE_OK:
                vocab = Vocabulary(vocab_handle)  # owned before anything can raise
        cooc = cls(handle) if status == _lib.GLOVE_OK else None  # owned before anything can raise
        progress.reraise()
        check(status)
        cooc.vocab = vocab  # remembered for GloVe.fit
        return cooc

    @classmethod
    def from_token_ids(cls, ids, dimension: int, window: int = 10, weighting: str = "harmonic",
                       memory_limit: int = 160 << 20, subsample: float = 0.0) -> "Cooccurrence":
        """Counts documents given as ids: a 1-D integer array where a negative id
        (-1, say) ends a document, or a sequence of per-document id sequences. ``subsample``
        is as for :meth:`from_files`, with each id's frequency counted in ``ids``."""
        if not isinstance(ids, (np.ndarray, str, bytes)) and len(ids) and not np.isscalar(ids[0]):
            docs = [np.asarray(doc) if len(doc) else np.empty(0, dtype=np.int64) for doc in ids]
            ids = np.concatenate([np.append(doc, -1) for doc in docs])
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
            raise TypeError(f"ids must be a 1-D integer array (got dtype {array.dtype}, shape {array.shape})")
        if array.size and (array.max() >= 2**31 or array.min() < -(2**31)):
            raise ValueError("ids must fit in int32")
        array = np.ascontiguousarray(array, dtype=np.int32)
        params = cls._params(window, weighting, memory_limit=memory_limit, subsample=subsample)
        handle = ctypes.POINTER(_lib.glove_cooc)()
        check(_lib.glove_cooc_count_ids(array.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), array.size,
                                        integer("dimension", dimension, 0, SIZE_MAX), ctypes.byref(params),
                                        ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def from_triples(cls, rows, columns, values, dimension: int = 0, symmetric: bool = False) -> "Cooccurrence":
        """A matrix from ``(i, j, x)`` arrays in any order; entries at one
        position are summed in the order given. ``dimension`` 0 means the
        largest id + 1.

        ``symmetric=False``: every nonzero entry (both triangles), like a
        Stanford file. ``symmetric=True``: each triple stands for both (i, j)
        and (j, i), so give every pair once (either order), like the upper
        triangle of a counted matrix; the result is laid out like a counted
        matrix and can be merged with one.
        """
        i = index_array("rows", rows)
        j = index_array("columns", columns)
        x = real_array("values", values, ndim=1, dtype=np.float64)
        integer("dimension", dimension, 0, SIZE_MAX)
        if not len(i) == len(j) == len(x):
            raise ValueError(f"rows, columns and values must be 1-D of one length (got shapes {i.shape}, {j.shape}, "
                             f"{x.shape})")
        if not np.all(np.isfinite(x) & (x > 0)):
            raise ValueError("values must be positive and finite (got zero, a negative value, NaN or infinity)")
        u32 = ctypes.POINTER(ctypes.c_uint32)
        handle = ctypes.POINTER(_lib.glove_cooc)()
        check(_lib.glove_cooc_from_triples(i.ctypes.data_as(u32), j.ctypes.data_as(u32),
                                           x.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), len(x), dimension,
                                           _lib.GLOVE_LAYOUT_SYMMETRIC if symmetric else _lib.GLOVE_LAYOUT_FULL,
                                           ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def load(cls, path: PathLike, format: str = "native", dimension: int = 0) -> "Cooccurrence":
        """Reads a matrix (``format`` "native" or "stanford")."""
        handle = ctypes.POINTER(_lib.glove_cooc)()
        check(_lib.glove_cooc_load(_path(path), _choice("format", format, _FORMATS),
                                   integer("dimension", dimension, 0, SIZE_MAX), ctypes.byref(handle)))
        return cls(handle)

    def save(self, path: PathLike, format: str = "native") -> None:
        """Writes the matrix atomically (``format`` "native" or "stanford")."""
        check(_lib.glove_cooc_save(self._live(), _path(path), _choice("format", format, _FORMATS)))

    def merge(self, other: "Cooccurrence") -> "Cooccurrence":
        """The sum of two matrices (a new object); ValueError when a sum is past the largest double."""
        handle = ctypes.POINTER(_lib.glove_cooc)()
        check(_lib.glove_cooc_merge(self._live(), instance("other", other, Cooccurrence)._live(),
                                    ctypes.byref(handle)))
        return Cooccurrence(handle)

    def __add__(self, other: "Cooccurrence") -> "Cooccurrence":
        if not isinstance(other, Cooccurrence):
            return NotImplemented
        return self.merge(other)

    def _sizes(self) -> Tuple[int, int]:
        dim, nnz = ctypes.c_uint64(), ctypes.c_uint64()
        check(_lib.glove_cooc_size(self._live(), ctypes.byref(dim), ctypes.byref(nnz)))
        return dim.value, nnz.value

    @property
    def dimension(self) -> int:
        """Ids are below this."""
        return self._sizes()[0]

    @property
    def nnz(self) -> int:
        """Nonzero entries of the whole matrix."""
        return self._sizes()[1]

    def to_numpy(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every nonzero entry as (i uint32, j uint32, x float64) arrays."""
        n = self.nnz
        i, j = np.empty(n, dtype=np.uint32), np.empty(n, dtype=np.uint32)
        x = np.empty(n, dtype=np.float64)
        written = ctypes.c_size_t()
        u32 = ctypes.POINTER(ctypes.c_uint32)
        check(_lib.glove_cooc_triples(self._live(), i.ctypes.data_as(u32), j.ctypes.data_as(u32),
                                      x.ctypes.data_as(ctypes.POINTER(ctypes.c_double)), n, ctypes.byref(written)))
        return i, j, x

    def __repr__(self) -> str:
        if self.closed:
            return "Cooccurrence(closed)"
        dim, nnz = self._sizes()
        return f"Cooccurrence(dimension={dim}, nnz={nnz})"


def shuffle_file(input: PathLike, output: PathLike, seed: int = 0, memory_limit: int = 192 << 20,
                 temp_dir=None) -> None:
    """Shuffles a Stanford co-occurrence file (for Stanford's glove tool)."""
    check(_lib.glove_cooc_shuffle_file(_path(input), _path(output), integer("seed", seed, 0, UINT64_MAX),
                                       integer("memory_limit", memory_limit, 0, UINT64_MAX),
                                       _path(temp_dir) if temp_dir is not None else None))
