"""Bilinear recommenders: users and items described by features, scored in one latent space.

score(u, x) = uᵀ A x + w_u·u + w_x·x + c, with A diagonal, full, or factorized
as P diag(a) Qᵀ (matrix factorisation with one-hot ids, a LightFM-style hybrid
with feature indicators). A new user needs only a feature row (cold start).
"""
import ctypes
import math
import os
from typing import Optional, Tuple, Union

import numpy as np

from . import _lib
from ._callbacks import Progress
from ._handle import Owned
from ._validate import (SIZE_MAX, UINT64_MAX, callback as _checked_callback, index_array, integer, path as _path,
                        real_array, threads as _threads)
from .errors import check

PathLike = Union[str, bytes, os.PathLike]

_FORMS = {"diagonal": _lib.GLOVE_FORM_DIAGONAL, "full": _lib.GLOVE_FORM_FULL,
          "factorized": _lib.GLOVE_FORM_FACTORIZED}
_LOSSES = {"squared": _lib.GLOVE_LOSS_SQUARED, "bpr": _lib.GLOVE_LOSS_BPR, "warp": _lib.GLOVE_LOSS_WARP}
_OPTIMIZERS = {"adagrad": _lib.GLOVE_OPTIMIZER_ADAGRAD, "adam": _lib.GLOVE_OPTIMIZER_ADAM,
               "sgd": _lib.GLOVE_OPTIMIZER_SGD}


def _choice(name, value, table):
    if value not in table:
        raise ValueError(f"{name} must be one of {sorted(table)} (got {value!r})")
    return table[value]


def _pointer(array, ctype):
    return array.ctypes.data_as(ctypes.POINTER(ctype))


class Features(Owned):
    """An immutable sparse matrix of feature rows (one per user or item) held by libglove."""

    _free = _lib.glove_features_free

    def __init__(self, handle):
        self._handle = handle

    @classmethod
    def from_dense(cls, array) -> "Features":
        """From a 2-D array of real numbers (zeros are not stored)."""
        values = real_array("features", array, ndim=2)
        handle = ctypes.POINTER(_lib.glove_features)()
        check(_lib.glove_features_create_dense(_pointer(values, ctypes.c_float), values.shape[0], values.shape[1],
                                               ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def from_csr(cls, indptr, indices, values, shape) -> "Features":
        """From compressed rows (as scipy.sparse.csr_matrix holds them); columns must increase within a row."""
        starts = index_array("indptr", indptr, dtype=np.uint64)
        columns = index_array("indices", indices)
        data = real_array("values", values, ndim=1)
        if len(shape) != 2:
            raise ValueError(f"shape must be (rows, columns) (got {shape!r})")
        rows, width = integer("rows", shape[0], 0, SIZE_MAX), integer("columns", shape[1], 0, SIZE_MAX)
        if starts.shape != (rows + 1,) or columns.shape != data.shape:
            raise ValueError(f"indptr must have {rows + 1} entries and indices as many as values")
        # C reads indptr[rows] entries of indices and values: more than they hold would be read out of bounds.
        if starts[0] != 0 or starts[-1] != columns.size:
            raise ValueError(f"indptr must start at 0 and end at the number of values {columns.size} "
                             f"(got {starts[0]} .. {starts[-1]})")
        handle = ctypes.POINTER(_lib.glove_features)()
        check(_lib.glove_features_create_csr(rows, width, _pointer(starts, ctypes.c_uint64),
                                             _pointer(columns, ctypes.c_uint32), _pointer(data, ctypes.c_float),
                                             columns.size, ctypes.byref(handle)))
        return cls(handle)

    @classmethod
    def from_sparse(cls, matrix) -> "Features":
        """From any scipy.sparse matrix (boolean values count as 0 and 1); ``matrix`` is left as it is."""
        csr = matrix.tocsr(copy=True)
        if csr.dtype == np.bool_:
            csr = csr.astype(np.float32)
        csr.sum_duplicates()
        csr.sort_indices()
        nnz = csr.indptr[-1]  # scipy may keep spare room after the entries
        return cls.from_csr(csr.indptr, csr.indices[:nnz], csr.data[:nnz], csr.shape)

    @classmethod
    def identity(cls, count: int) -> "Features":
        """One-hot ids: row r has feature r."""
        count = integer("count", count, 0, 2**31 - 1)
        return cls.from_csr(np.arange(count + 1), np.arange(count), np.ones(count), (count, count))

    @classmethod
    def load(cls, path: PathLike, columns: int = 0) -> "Features":
        """Reads ``row<TAB>feature<TAB>value`` lines (columns 0: the largest feature + 1)."""
        handle = ctypes.POINTER(_lib.glove_features)()
        check(_lib.glove_features_load(_path(path), integer("columns", columns, 0, SIZE_MAX), ctypes.byref(handle)))
        return cls(handle)

    @property
    def shape(self) -> Tuple[int, int]:
        """(rows, columns)."""
        rows, columns = ctypes.c_size_t(), ctypes.c_size_t()
        check(_lib.glove_features_size(self._live(), ctypes.byref(rows), ctypes.byref(columns), None))
        return rows.value, columns.value

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        nnz = ctypes.c_size_t()
        check(_lib.glove_features_size(self._live(), None, None, ctypes.byref(nnz)))
        return nnz.value

    def __repr__(self) -> str:
        if self.closed:
            return "<glove.Features closed>"
        return f"<glove.Features {self.shape[0]} × {self.shape[1]}, {self.nnz} entries>"


def as_features(data) -> Features:
    """``data`` as :class:`Features`: Features as is, a scipy.sparse matrix, or a 2-D array."""
    if isinstance(data, Features):
        return data
    if hasattr(data, "tocsr"):
        return Features.from_sparse(data)
    return Features.from_dense(data)


def _interactions(data, name: str, with_values: bool = True):
    """(users, items, values) uint32/uint32/float32 arrays from a scipy.sparse
    matrix (rows users, columns items), a (users, items[, values]) tuple, or an (n, 2|3) array."""
    if hasattr(data, "tocoo"):
        coo = data.tocoo()
        users, items, values = coo.row, coo.col, coo.data
    elif isinstance(data, tuple):
        if len(data) not in (2, 3):
            raise ValueError(f"{name} must be (users, items) or (users, items, values)")
        users, items = data[0], data[1]
        values = data[2] if len(data) == 3 else None
    else:
        array = np.asarray(data)
        if array.ndim != 2 or array.shape[1] not in (2, 3):
            raise ValueError(f"{name} must be an (n, 2) or (n, 3) array, a (users, items[, values]) tuple "
                             f"or a scipy.sparse matrix (got shape {array.shape})")
        users, items = array[:, 0], array[:, 1]
        values = array[:, 2] if array.shape[1] == 3 else None
    users = index_array(f"{name}: users", users)
    items = index_array(f"{name}: items", items)
    if users.shape != items.shape:
        raise ValueError(f"{name}: users and items have different lengths ({users.size}, {items.size})")
    if values is not None and with_values:
        values = real_array(f"{name}: values", values, ndim=1)
        if values.shape != users.shape:
            raise ValueError(f"{name}: values must have one entry per interaction")
    else:
        values = None
    return users, items, values


def _metrics_dict(m) -> dict:
    return {"precision": m.precision, "recall": m.recall, "ndcg": m.ndcg, "auc": m.auc, "users": int(m.users)}


def ranking_metrics(scores, train, test, k: int = 10) -> dict:
    """precision@k, recall@k, NDCG@k and AUC of any recommender's ``scores``
    (users × items), each user's ``train`` items removed from its ranking;
    averaged over users with a test item. Same definitions as :meth:`Bilinear.evaluate`."""
    matrix = real_array("scores (a users × items matrix)", scores, ndim=2)
    k = integer("k", k)
    tu, ti, _ = _interactions(train, "train", with_values=False)
    su, si, _ = _interactions(test, "test", with_values=False)
    out = _lib.glove_ranking_metrics()
    check(_lib.glove_ranking_metrics_from_scores(_pointer(matrix, ctypes.c_float), matrix.shape[0], matrix.shape[1],
                                                 _pointer(tu, ctypes.c_uint32), _pointer(ti, ctypes.c_uint32), tu.size,
                                                 _pointer(su, ctypes.c_uint32), _pointer(si, ctypes.c_uint32), su.size,
                                                 k, ctypes.byref(out)))
    return _metrics_dict(out)


class Bilinear(Owned):
    """A bilinear recommender.

    >>> model = Bilinear(form="factorized", rank=32, loss="warp", epochs=10)
    >>> model.fit(train, user_features, item_features)        # doctest: +SKIP
    >>> items, scores = model.recommend(new_user_features, k=10)  # doctest: +SKIP

    ``train`` is a scipy.sparse users × items matrix, a ``(users, items[, values])``
    tuple or an ``(n, 2|3)`` array; features are :class:`Features`, scipy.sparse
    matrices or 2-D arrays, one row per user or item. With ``threads=1`` a seed
    gives identical models across runs.
    """

    _free = _lib.glove_bilinear_free

    def __init__(self, form: str = "factorized", rank: int = 32, loss: str = "warp", optimizer: str = "adagrad",
                 learning_rate: Optional[float] = None, l2: float = 0.0, epochs: int = 20, threads: int = 0,
                 max_sampled: int = 10, init_scale: float = 0.1, validation_fraction: float = 0.0, patience: int = 3,
                 seed: int = 1):
        params = _lib.glove_bilinear_default_params()
        params.form = _choice("form", form, _FORMS)
        params.rank = integer("rank", rank)
        params.loss = _choice("loss", loss, _LOSSES)
        params.optimizer = _choice("optimizer", optimizer, _OPTIMIZERS)
        params.learning_rate = 0.0 if learning_rate is None else learning_rate
        params.l2 = l2
        params.epochs = integer("epochs", epochs)
        params.threads = _threads(threads)
        params.max_sampled = integer("max_sampled", max_sampled)
        params.init_scale = init_scale
        params.validation_fraction = validation_fraction
        params.patience = integer("patience", patience)
        params.seed = integer("seed", seed, 0, UINT64_MAX)
        self._params = params

    @classmethod
    def _wrap(cls, handle) -> "Bilinear":
        model = cls.__new__(cls)
        model._params = _lib.glove_bilinear_default_params()
        model._handle = handle
        return model

    def fit(self, interactions, user_features, item_features, callback=None) -> "Bilinear":
        """Trains on ``interactions``; the item features become the catalogue.
        ``callback(epoch, loss, validation)`` runs after each epoch (validation is
        None without a validation split); returning anything but None or True stops
        training and keeps the epochs done; so does an exception raised by the callback (or Ctrl-C), which
        then propagates. On failure the previous model, if any, is kept."""
        _checked_callback(callback)
        users = as_features(user_features)
        items = as_features(item_features)
        u, i, v = _interactions(interactions, "interactions")

        def call(epoch, loss, validation):
            if callback is None:
                return True
            answer = callback(int(epoch), float(loss), None if math.isnan(validation) else float(validation))
            return answer in (None, True)

        progress = Progress(_lib.glove_bilinear_progress, call)
        handle = ctypes.POINTER(_lib.glove_bilinear)()
        values = _pointer(v, ctypes.c_float) if v is not None else None
        with progress:
            status = _lib.glove_bilinear_fit(users._live(), items._live(), _pointer(u, ctypes.c_uint32),
                                             _pointer(i, ctypes.c_uint32), values, u.size, ctypes.byref(self._params),
                                             progress.c_function, None, ctypes.byref(handle))
        if status == _lib.GLOVE_OK:
            self.close()
            self._handle = handle
        progress.reraise()
        check(status)
        return self

    # Files -----------------------------------------------------------------

    @classmethod
    def load(cls, path: PathLike) -> "Bilinear":
        """Reads a model file written by :meth:`save` (validated completely)."""
        handle = ctypes.POINTER(_lib.glove_bilinear)()
        check(_lib.glove_bilinear_load(_path(path), ctypes.byref(handle)))
        return cls._wrap(handle)

    def save(self, path: PathLike) -> None:
        """Writes the model and its catalogue atomically."""
        check(_lib.glove_bilinear_save(self._live(), _path(path)))

    # Shape -----------------------------------------------------------------

    def _info(self):
        form, p, q, rank, items = ctypes.c_int32(), ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_size_t()
        check(_lib.glove_bilinear_info(self._live(), ctypes.byref(form), ctypes.byref(p), ctypes.byref(q),
                                       ctypes.byref(rank), ctypes.byref(items)))
        return form.value, p.value, q.value, rank.value, items.value

    @property
    def form(self) -> str:
        """"diagonal", "full" or "factorized"."""
        value = self._info()[0]
        return next(name for name, v in _FORMS.items() if v == value)

    @property
    def rank(self) -> int:
        """The latent dimension."""
        return self._info()[3]

    @property
    def n_user_features(self) -> int:
        """Number of user features the model expects."""
        return self._info()[1]

    @property
    def n_item_features(self) -> int:
        """Number of item features the model expects."""
        return self._info()[2]

    @property
    def n_items(self) -> int:
        """Number of items in the catalogue."""
        return self._info()[4]

    @property
    def loss_history(self) -> np.ndarray:
        """Mean loss of each training epoch."""
        count = ctypes.c_size_t()
        check(_lib.glove_bilinear_loss_history(self._live(), None, 0, ctypes.byref(count)))
        out = np.zeros(count.value, dtype=np.float64)
        check(_lib.glove_bilinear_loss_history(self._live(), _pointer(out, ctypes.c_double), out.size,
                                               ctypes.byref(count)))
        return out

    # Queries ---------------------------------------------------------------

    def score(self, user_features, users, items) -> np.ndarray:
        """Scores of the pairs (row ``users[n]`` of ``user_features``, item ``items[n]``)."""
        features = as_features(user_features)
        rows = index_array("users", np.atleast_1d(users))
        ids = index_array("items", np.atleast_1d(items))
        if rows.shape != ids.shape:
            raise ValueError("users and items must have the same length")
        out = np.zeros(rows.size, dtype=np.float32)
        check(_lib.glove_bilinear_score(self._live(), features._live(), _pointer(rows, ctypes.c_uint32),
                                        _pointer(ids, ctypes.c_uint32), rows.size, _pointer(out, ctypes.c_float)))
        return out

    def recommend(self, user_features, k: int = 10, exclude=None, threads: int = 0) -> Tuple[np.ndarray, np.ndarray]:
        """The ``k`` best items for every row of ``user_features``, best first.

        ``exclude``: interactions (user row, item) whose items are left out, e.g. the
        training set. Returns (items, scores), each rows × k (k clamped to the number of
        items); where fewer than k items remain, items are -1 and scores -inf."""
        k, threads = min(integer("k", k), self.n_items), _threads(threads)
        features = as_features(user_features)
        rows = features.shape[0]
        starts_pointer = items_pointer = None
        if exclude is not None:
            u, i, _ = _interactions(exclude, "exclude", with_values=False)
            if u.size and int(u.max()) >= rows:
                raise ValueError(f"exclude names user {int(u.max())} but there are {rows} user rows")
            order = np.argsort(u, kind="stable")
            excluded = np.ascontiguousarray(i[order], dtype=np.uint32)
            starts = np.zeros(rows + 1, dtype=np.uint64)
            np.cumsum(np.bincount(u, minlength=rows), out=starts[1:])
            starts_pointer = _pointer(starts, ctypes.c_uint64)
            items_pointer = _pointer(excluded, ctypes.c_uint32)
        out_items = np.zeros((rows, k), dtype=np.uint32)
        out_scores = np.zeros((rows, k), dtype=np.float32)
        check(_lib.glove_bilinear_recommend(self._live(), features._live(), starts_pointer, items_pointer, k, threads,
                                            _pointer(out_items, ctypes.c_uint32), _pointer(out_scores, ctypes.c_float)))
        result = out_items.astype(np.int64)
        result[out_items == np.iinfo(np.uint32).max] = -1
        return result, out_scores

    def add_items(self, item_features) -> "Bilinear":
        """Appends items to the catalogue (ids from :attr:`n_items` on), scored through their features without retraining."""
        features = as_features(item_features)  # kept alive across the C call
        check(_lib.glove_bilinear_add_items(self._live(), features._live()))
        return self

    def evaluate(self, user_features, train, test, k: int = 10) -> dict:
        """precision@k, recall@k, NDCG@k and AUC on ``test``, each user's ``train`` items removed from its ranking."""
        k = integer("k", k)
        features = as_features(user_features)
        tu, ti, _ = _interactions(train, "train", with_values=False)
        su, si, _ = _interactions(test, "test", with_values=False)
        out = _lib.glove_ranking_metrics()
        check(_lib.glove_bilinear_evaluate(self._live(), features._live(), _pointer(tu, ctypes.c_uint32),
                                           _pointer(ti, ctypes.c_uint32), tu.size, _pointer(su, ctypes.c_uint32),
                                           _pointer(si, ctypes.c_uint32), su.size, k, ctypes.byref(out)))
        return _metrics_dict(out)

    def item_vectors(self) -> Tuple[np.ndarray, np.ndarray]:
        """The catalogue's latent vectors as scored (items × rank) and item biases."""
        rank, items = self.rank, self.n_items
        vectors = np.zeros((items, rank), dtype=np.float32)
        biases = np.zeros(items, dtype=np.float32)
        check(_lib.glove_bilinear_item_vectors(self._live(), _pointer(vectors, ctypes.c_float), vectors.size,
                                               _pointer(biases, ctypes.c_float)))
        return vectors, biases

    def user_vectors(self, user_features) -> Tuple[np.ndarray, np.ndarray]:
        """Latent user vectors (rows × rank) and user biases:
        score = user vector · item vector + item bias + user bias."""
        features = as_features(user_features)
        rows, rank = features.shape[0], self.rank
        vectors = np.zeros((rows, rank), dtype=np.float32)
        biases = np.zeros(rows, dtype=np.float32)
        check(_lib.glove_bilinear_user_vectors(self._live(), features._live(), _pointer(vectors, ctypes.c_float),
                                               vectors.size, _pointer(biases, ctypes.c_float)))
        return vectors, biases

    def plot_loss(self, ax=None):
        """Draws the loss per epoch with matplotlib (if installed); returns the Axes."""
        from .plots import plot_loss
        return plot_loss(self.loss_history, ax=ax)

    def plot_precision(self, user_features, train, test, max_k: int = 20, ax=None):
        """Draws precision@k for k = 1 ... max_k with matplotlib; returns the Axes."""
        from .plots import plot_precision
        return plot_precision(self, user_features, train, test, max_k=max_k, ax=ax)

    def __repr__(self) -> str:
        if self.closed:
            return "<glove.Bilinear (not trained or closed)>"
        return f"<glove.Bilinear {self.form}, rank {self.rank}, {self.n_items} items>"
