"""GloVe training, trained models and their queries."""
import ctypes
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _lib
from ._callbacks import Progress
from ._handle import Owned
from ._validate import (UINT64_MAX, c_string, callback as _checked_callback, instance, integer, path as _path,
                        real_array, threads as _threads)
from .corpus import _FORMATS, Cooccurrence, PathLike, Vocabulary, _choice
from .errors import check
from .minhash import _encode

_OBJECTIVES = {"seed": _lib.GLOVE_OBJECTIVE_SEED, "paper": _lib.GLOVE_OBJECTIVE_PAPER}
_OPTIMIZERS = {None: _lib.GLOVE_OPTIMIZER_DEFAULT, "adagrad": _lib.GLOVE_OPTIMIZER_ADAGRAD,
               "adam": _lib.GLOVE_OPTIMIZER_ADAM, "sgd": _lib.GLOVE_OPTIMIZER_SGD}
_SCHEDULES = {"constant": _lib.GLOVE_SCHEDULE_CONSTANT, "linear": _lib.GLOVE_SCHEDULE_LINEAR}
_EXPORTS = {"glove-text": _lib.GLOVE_VECTORS_GLOVE_TEXT, "word2vec-text": _lib.GLOVE_VECTORS_WORD2VEC_TEXT,
            "word2vec-bin": _lib.GLOVE_VECTORS_WORD2VEC_BINARY}
_SIMILARITIES = {"dot": _lib.GLOVE_SIMILARITY_DOT, "cosine": _lib.GLOVE_SIMILARITY_COSINE}
_ANALOGIES = {"add": _lib.GLOVE_ANALOGY_ADD, "mul": _lib.GLOVE_ANALOGY_MUL}
_f32p = ctypes.POINTER(ctypes.c_float)
_i64p = ctypes.POINTER(ctypes.c_int64)


class GloVe(Owned):
    """GloVe embeddings: configure, :meth:`fit` on a :class:`Cooccurrence`, then query.

    ``objective="seed"`` is the reference pipeline's model (one table,
    log10(1 + X) targets, Adam 0.01, batches of 65,536); ``"paper"`` is
    Pennington et al. / Stanford GloVe (word and context tables, ln X targets,
    AdaGrad 0.05, per-entry updates). ``threads=1`` with a ``seed`` is
    bit-identical across runs; so are several threads (the same count, not 0)
    with batches of 8,192 entries or more and no ``subword_hashes``, which
    they train together.
    Queries on a fitted model are thread-safe; ``fit`` replaces the model in
    place and must not run while other threads use it.

    ``subword_hashes=k`` (1 to 16) trains spelling-aware vectors: each word's
    vector sums its own row and the rows of its k min-hash buckets (full
    scheme, ``subword_buckets`` of them), so that words spelt alike share
    rows, and an out-of-vocabulary word gets the sum of its buckets' rows.
    The matrix must be counted with out-of-vocabulary tokens dropped.
    """

    _free = staticmethod(_lib.glove_model_free)

    def __init__(self, dim: int = 50, objective: str = "seed", optimizer: Optional[str] = None,
                 learning_rate: Optional[float] = None, batch_size: Optional[int] = None, schedule: str = "constant",
                 x_max: float = 100.0, alpha: float = 0.75, threads: int = 0, seed: int = 1,
                 sum_word_context: bool = True, subword_hashes: int = 0, subword_buckets: int = 1 << 17):
        p = _lib.glove_train_default_params()
        p.dim, p.x_max, p.alpha = integer("dim", dim), x_max, alpha
        p.threads, p.seed = _threads(threads), integer("seed", seed, 0, UINT64_MAX)
        p.objective = _choice("objective", objective, _OBJECTIVES)
        p.optimizer = _choice("optimizer", optimizer, _OPTIMIZERS)
        p.schedule = _choice("schedule", schedule, _SCHEDULES)
        p.learning_rate = learning_rate or 0
        p.batch_size = integer("batch_size", batch_size or 0)
        p.sum_word_context = int(bool(sum_word_context))
        p.subword_hashes = integer("subword_hashes", subword_hashes, 0, 2**32 - 1)
        p.subword_buckets = integer("subword_buckets", subword_buckets, 0, 2**32 - 1)
        self._params = p
        self._vocab = None

    @classmethod
    def _wrap(cls, handle) -> "GloVe":
        model = cls.__new__(cls)
        model._params = _lib.glove_train_default_params()
        model._handle = handle
        model._vocab = None
        return model

    def fit(self, cooc: Cooccurrence, vocab: Optional[Vocabulary] = None, epochs: int = 15, callback=None,
            progress: bool = True, checkpoint: Optional[PathLike] = None, checkpoint_every: int = 1) -> "GloVe":
        """Trains on ``cooc`` (counted with ``vocab``, by default the one
        ``Cooccurrence.from_files`` used). ``callback(epoch, loss)`` runs after
        each epoch; returning anything but None or True (False, say) stops
        training (the model keeps the epochs done). A tqdm bar is shown when tqdm is installed and ``progress`` is
        true. An exception raised by ``callback``, and Ctrl-C, stop training
        after the current epoch, keep the model, then propagate.

        With ``checkpoint``, the parameters and optimizer state are saved to
        that file every ``checkpoint_every`` epochs, when training stops and at
        the end; when the file already holds a checkpoint of the same matrix
        and options, training resumes from it and runs the rest of ``epochs``
        (bit-identical to an uninterrupted run with ``threads=1``)."""
        instance("cooc", cooc, Cooccurrence)
        vocab = vocab if vocab is not None else getattr(cooc, "vocab", None)
        if vocab is None:
            raise ValueError("give the vocabulary the matrix was counted with (vocab=...)")
        instance("vocab", vocab, Vocabulary)

        def start(params, c_callback, handle):
            if checkpoint is None:
                return _lib.glove_model_train(cooc._live(), vocab._live(), params, c_callback, None, handle)
            return _lib.glove_model_train_resumable(cooc._live(), vocab._live(), params, _path(checkpoint),
                                                    checkpoint_every, c_callback, None, handle)

        return self._train(start, epochs, callback, progress, checkpoint_every)

    def fit_file(self, path: PathLike, vocab: Vocabulary, format: str = "native", epochs: int = 15, callback=None,
                 progress: bool = True, checkpoint: Optional[PathLike] = None, checkpoint_every: int = 1,
                 memory_limit: int = 16 << 20, temp_dir: Optional[PathLike] = None) -> "GloVe":
        """Trains like :meth:`fit` on the co-occurrence file at ``path``
        (``format`` "native" or "stanford"), without holding its matrix or its
        entries in memory: they are shuffled once into a temporary file in
        ``temp_dir`` (default $TMPDIR or /tmp), ``memory_limit`` bytes at a
        time, and read back in blocks each epoch, so memory is about the
        parameters and optimizer state. A Stanford file's records are trained
        as they are (not summed), and its ids must be within ``vocab``."""
        file_path = _path(path)
        instance("vocab", vocab, Vocabulary)
        file_format = _choice("format", format, _FORMATS)
        limit = integer("memory_limit", memory_limit, 0, UINT64_MAX)
        folder = _path(temp_dir) if temp_dir is not None else None

        def start(params, c_callback, handle):
            return _lib.glove_model_train_file(file_path, file_format, vocab._live(), params, limit, folder,
                                               _path(checkpoint) if checkpoint is not None else None,
                                               checkpoint_every, c_callback, None, handle)

        return self._train(start, epochs, callback, progress, checkpoint_every)

    def _train(self, start, epochs, callback, progress, checkpoint_every) -> "GloVe":
        """Runs ``start(params, c_callback, handle)`` (a C train function) with
        the progress bar and ``callback``; keeps the model it makes."""
        _checked_callback(callback)
        checkpoint_every = integer("checkpoint_every", checkpoint_every, 1)
        self._params.epochs = integer("epochs", epochs)
        bar = _progress_bar(epochs) if progress else None

        def call(epoch, step, loss, rate):
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{loss:.5f}", entries_per_s=f"{rate:,.0f}")
            return callback is None or callback(int(epoch), float(loss)) in (None, True)

        c_progress = Progress(_lib.glove_train_progress, call)  # ``progress`` is the tqdm switch
        handle = ctypes.POINTER(_lib.glove_model)()
        try:
            with c_progress:
                status = start(ctypes.byref(self._params), c_progress.c_function, ctypes.byref(handle))
        finally:
            if bar is not None:
                bar.close()
        if status == _lib.GLOVE_OK:  # the new model replaces the old one without a closed moment
            old, self._handle, self._vocab = self._handle, handle, None
            if old:
                type(self)._free(old)
        c_progress.reraise()
        check(status)
        return self

    # Files -----------------------------------------------------------------

    @classmethod
    def load(cls, path: PathLike) -> "GloVe":
        """Reads a native model file (validated completely)."""
        handle = ctypes.POINTER(_lib.glove_model)()
        check(_lib.glove_model_load(_path(path), ctypes.byref(handle)))
        return cls._wrap(handle)

    @classmethod
    def import_text(cls, path: PathLike) -> "GloVe":
        """Reads GloVe or word2vec text vectors."""
        handle = ctypes.POINTER(_lib.glove_model)()
        check(_lib.glove_model_import_text(_path(path), ctypes.byref(handle)))
        return cls._wrap(handle)

    def save(self, path: PathLike) -> None:
        """Writes a native model file atomically."""
        check(_lib.glove_model_save(self._live(), _path(path)))

    def export(self, path: PathLike, format: str = "glove-text") -> None:
        """Writes the word vectors as "glove-text", "word2vec-text" or "word2vec-bin"
        (loadable by gensim's KeyedVectors.load_word2vec_format)."""
        check(_lib.glove_model_export(self._live(), _path(path), _choice("format", format, _EXPORTS)))

    # Contents --------------------------------------------------------------

    def _sizes(self) -> Tuple[int, int, int]:
        rows, words, dim = ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_uint32()
        check(_lib.glove_model_size(self._live(), ctypes.byref(rows), ctypes.byref(words), ctypes.byref(dim)))
        return rows.value, words.value, dim.value

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return self._sizes()[2]

    def close(self) -> None:
        """Frees the model; its words are gone with it. Calling it again does nothing."""
        self._vocab = None
        super().close()

    @property
    def vocab(self) -> Vocabulary:
        """The model's words (a Vocabulary)."""
        if self._vocab is None or self._vocab.closed:
            handle = ctypes.POINTER(_lib.glove_vocab)()
            check(_lib.glove_model_vocab(self._live(), ctypes.byref(handle)))
            self._vocab = Vocabulary(handle)
        return self._vocab

    @property
    def words(self) -> List[str]:
        """Words in row order."""
        return self.vocab.words

    @property
    def embeddings(self) -> np.ndarray:
        """All rows (words, then buckets if trained) as a float32 array (a copy)."""
        rows, _, dim = self._sizes()
        out = np.empty((rows, dim), dtype=np.float32)
        check(_lib.glove_model_vectors(self._live(), out.ctypes.data_as(_f32p), out.size, None))
        return out

    @property
    def biases(self) -> np.ndarray:
        """One bias per row (a copy)."""
        rows, _, dim = self._sizes()
        vectors, out = np.empty(rows * dim, dtype=np.float32), np.empty(rows, dtype=np.float32)
        check(_lib.glove_model_vectors(self._live(), vectors.ctypes.data_as(_f32p), vectors.size, out.ctypes.data_as(_f32p)))
        return out

    @property
    def loss_history(self) -> List[float]:
        """Mean weighted squared error of each training epoch."""
        count = ctypes.c_size_t()
        check(_lib.glove_model_loss_history(self._live(), None, 0, ctypes.byref(count)))
        out = (ctypes.c_double * count.value)()
        check(_lib.glove_model_loss_history(self._live(), out, count.value, ctypes.byref(count)))
        return list(out)

    def vector(self, word) -> Tuple[np.ndarray, bool]:
        """``(vector, in_vocabulary)``; an unknown word goes through its bucket
        when buckets were trained, else KeyError."""
        data = _encode(word)
        out = np.empty(self.dim, dtype=np.float32)
        known = ctypes.c_int32()
        status = _lib.glove_model_vector(self._live(), data, len(data), out.ctypes.data_as(_f32p), out.size,
                                         ctypes.byref(known))
        if status == _lib.GLOVE_E_INVALID_ARGUMENT:
            raise KeyError(word)
        check(status)
        return out, bool(known.value)

    def __getitem__(self, word) -> np.ndarray:
        return self.vector(word)[0]

    def __contains__(self, word) -> bool:
        return word in self.vocab

    # Queries ---------------------------------------------------------------

    def neighbors(self, query: Union[str, np.ndarray], k: int = 10, similarity: str = "cosine") -> List[Tuple[str, float]]:
        """Nearest words of a word (itself excluded) or of a 1-D vector, best first;
        a ``k`` beyond the number of rows gives them all."""
        sim = _choice("similarity", similarity, _SIMILARITIES)
        k = integer("k", k)
        if isinstance(query, (str, bytes)):
            data = _encode(query)
            k = min(k, self._sizes()[0])  # no larger buffers than there can be answers
            ids, scores = np.empty(k, dtype=np.int64), np.empty(k, dtype=np.float32)
            count, known = ctypes.c_size_t(), ctypes.c_int32()
            status = _lib.glove_model_word_neighbors(self._live(), data, len(data), k, sim, ids.ctypes.data_as(_i64p),
                                                     scores.ctypes.data_as(_f32p), ctypes.byref(count), ctypes.byref(known))
            if status == _lib.GLOVE_E_INVALID_ARGUMENT and k > 0:
                raise KeyError(query)
            check(status)
            return self._named(ids[:count.value], scores[:count.value])
        vector = real_array("query", query, ndim=1)
        ids, scores = self.neighbors_batch(vector.reshape(1, -1), min(k, self._sizes()[0]), similarity)
        keep = ids[0] >= 0
        return self._named(ids[0][keep], scores[0][keep])

    def neighbors_batch(self, queries: np.ndarray, k: int = 10, similarity: str = "cosine") -> Tuple[np.ndarray, np.ndarray]:
        """Top-k words for each query vector: (ids int64 (n, k), scores float32 (n, k)); -1 pads.

        ``k`` is clamped to the vocabulary's size; bucket rows are never returned."""
        q = real_array("queries", queries, ndim=2)
        k = min(integer("k", k), self._sizes()[0])  # no larger buffers than there can be answers
        if q.shape[1] != self.dim:
            raise ValueError(f"queries must have shape (n, {self.dim}) (got {q.shape})")
        ids, scores = np.full((q.shape[0], k), -1, dtype=np.int64), np.zeros((q.shape[0], k), dtype=np.float32)
        check(_lib.glove_model_neighbors(self._live(), q.ctypes.data_as(_f32p), q.shape[0], k,
                                         _choice("similarity", similarity, _SIMILARITIES), ids.ctypes.data_as(_i64p),
                                         scores.ctypes.data_as(_f32p)))
        return ids, scores

    def analogy(self, a: str, b: str, c: str, k: int = 1, method: str = "add") -> List[Tuple[str, float]]:
        """a : b :: c : ? (3CosAdd, or 3CosMul with ``method="mul"``); a, b, c excluded."""
        words = [c_string(name, word) for name, word in (("a", a), ("b", b), ("c", c))]
        k = min(integer("k", k), self._sizes()[0])  # no larger buffers than there can be answers
        ids, scores = np.empty(k, dtype=np.int64), np.empty(k, dtype=np.float32)
        count = ctypes.c_size_t()
        check(_lib.glove_model_analogy(self._live(), *words, k,
                                       _choice("method", method, _ANALOGIES), ids.ctypes.data_as(_i64p),
                                       scores.ctypes.data_as(_f32p), ctypes.byref(count)))
        return self._named(ids[:count.value], scores[:count.value])

    def _named(self, ids, scores) -> List[Tuple[str, float]]:
        vocab = self.vocab
        return [(vocab[int(i)], float(s)) for i, s in zip(ids, scores)]

    def evaluate_similarity(self, path: PathLike) -> Tuple[float, int, int]:
        """(Spearman, pairs covered, pairs in total) on a word-pair file such as WordSim353."""
        rho, covered, total = ctypes.c_double(), ctypes.c_size_t(), ctypes.c_size_t()
        check(_lib.glove_model_evaluate_similarity(self._live(), _path(path), ctypes.byref(rho),
                                                   ctypes.byref(covered), ctypes.byref(total)))
        return rho.value, covered.value, total.value

    def evaluate_analogies(self, path: PathLike) -> Tuple[float, int, int]:
        """(accuracy, questions covered, questions in total) on questions-words.txt (3CosAdd)."""
        acc, covered, total = ctypes.c_double(), ctypes.c_size_t(), ctypes.c_size_t()
        check(_lib.glove_model_evaluate_analogies(self._live(), _path(path), ctypes.byref(acc),
                                                  ctypes.byref(covered), ctypes.byref(total)))
        return acc.value, covered.value, total.value

    def plot_loss(self, ax=None):
        """Draws the loss per epoch with matplotlib (if installed); returns the Axes."""
        from .plots import plot_loss
        return plot_loss(self.loss_history, ax=ax)

    def plot_words(self, words, neighbors: int = 5, ax=None):
        """Draws a 2-D PCA map of ``words`` and their neighbours with matplotlib; returns the Axes."""
        from .plots import plot_words
        return plot_words(self, words, neighbors=neighbors, ax=ax)

    def __repr__(self) -> str:
        if self.closed:
            return "GloVe(unfitted or closed)"
        rows, words, dim = self._sizes()
        return f"GloVe({words} words, {rows} rows, dim {dim})"


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="epoch", desc="glove")
