"""Min-hash buckets, signatures and Jaccard estimates of words."""
import ctypes
import threading
from typing import Dict, Iterable, Tuple, Union

import numpy as np

from . import _lib
from ._handle import Owned
from .errors import check

Word = Union[str, bytes]
_SCHEMES = {"compat": _lib.GLOVE_MINHASH_COMPAT, "full": _lib.GLOVE_MINHASH_FULL}
_u32p = ctypes.POINTER(ctypes.c_uint32)


def _encode(word: Word) -> bytes:
    if isinstance(word, str):
        return word.encode("utf-8")
    if isinstance(word, (bytes, bytearray, memoryview)):
        return bytes(word)
    raise TypeError(f"a word must be str or bytes, not {type(word).__name__}")


class MinHash(Owned):
    """A min-hasher: maps words to buckets so words spelt alike tend to share one.

    ``scheme="compat"`` (default) is the reference pipeline's crc32 scheme with
    65,536 buckets; ``scheme="full"`` hashes every 4-byte window with
    MurmurHash3_x86_32 and ``seed`` into ``buckets`` buckets. ``hashes`` is the
    signature length used by :meth:`signature` and :meth:`jaccard`. The
    configuration is readable as ``scheme``, ``num_buckets``, ``seed`` and
    ``num_hashes``.

    Thread-safe: one instance may be used from many threads at once.
    """

    def __init__(self, scheme: str = "compat", buckets: int = 65536, seed: int = 0, hashes: int = 64):
        if scheme not in _SCHEMES:
            raise ValueError(f"scheme must be 'compat' or 'full' (got {scheme!r})")
        params = _lib.glove_minhash_default_params()
        params.scheme = _SCHEMES[scheme]
        for name, value, field in (("buckets", buckets, "num_buckets"), ("seed", seed, "seed"),
                                   ("hashes", hashes, "num_hashes")):
            if not isinstance(value, (int, np.integer)) or not 0 <= value < 2**32:
                raise ValueError(f"{name} must be an integer in 0 .. 2**32-1 (got {value!r})")
            setattr(params, field, int(value))
        handle = ctypes.POINTER(_lib.glove_minhash)()
        check(_lib.glove_minhash_create(ctypes.byref(params), ctypes.byref(handle)))
        self._handle = handle
        self.scheme, self.num_buckets, self.seed, self.num_hashes = scheme, int(buckets), int(seed), int(hashes)

    _free = staticmethod(_lib.glove_minhash_free)

    def __repr__(self) -> str:
        return (f"MinHash(scheme={self.scheme!r}, buckets={self.num_buckets}, seed={self.seed}, "
                f"hashes={self.num_hashes})")

    # Queries ---------------------------------------------------------------

    def bucket(self, word: Word) -> int:
        """Bucket of one word (str is hashed as UTF-8; bytes as given)."""
        data = _encode(word)
        out = ctypes.c_uint32()
        check(_lib.glove_minhash_bucket(self._live(), data, len(data), ctypes.byref(out)))
        return out.value

    def buckets(self, words: Iterable[Word]) -> np.ndarray:
        """Buckets of many words as a uint32 array, in order."""
        handle = self._live()
        if isinstance(words, (str, bytes, bytearray)):
            raise TypeError("buckets takes a sequence of words; use bucket for one word")
        words = words if isinstance(words, (list, tuple)) else list(words)
        out = np.empty(len(words), dtype=np.uint32)
        if not words:
            return out
        try:
            # Fast path: one join, one encode, one C call. join raises
            # TypeError unless every word is a str; the delimiter count
            # verifies that no word contains the delimiter.
            data = "\n".join(words).encode("utf-8")
        except TypeError:
            data = None
        if data is not None and data.count(b"\n") == len(words) - 1:
            written = ctypes.c_size_t()
            check(_lib.glove_minhash_buckets_delimited(
                handle, data, len(data), b"\n", out.ctypes.data_as(_u32p), len(out), ctypes.byref(written)))
            return out
        encoded = [_encode(w) for w in words]
        pointers = (ctypes.c_char_p * len(encoded))(*encoded)
        lengths = np.fromiter((len(e) for e in encoded), dtype=np.uintp, count=len(encoded))
        check(_lib.glove_minhash_buckets(handle, pointers, lengths.ctypes.data_as(ctypes.POINTER(ctypes.c_size_t)),
                                         len(encoded), out.ctypes.data_as(_u32p)))
        return out

    def signature(self, word: Word) -> np.ndarray:
        """The word's ``hashes`` Murmur3 minima (seeds seed, seed+1, …) as uint32."""
        data = _encode(word)
        out = np.empty(self.num_hashes, dtype=np.uint32)
        check(_lib.glove_minhash_signature(self._live(), data, len(data), out.ctypes.data_as(_u32p), len(out)))
        return out

    def jaccard(self, a: Word, b: Word) -> float:
        """Estimated Jaccard similarity of two words' 4-byte window sets, in [0, 1]."""
        x, y = _encode(a), _encode(b)
        out = ctypes.c_double()
        check(_lib.glove_minhash_jaccard(self._live(), x, len(x), y, len(y), ctypes.byref(out)))
        return out.value


_cache: Dict[Tuple[str, int, int], MinHash] = {}
_cache_lock = threading.Lock()


def minhash(words, scheme: str = "compat", buckets: int = None, seed: int = 0):
    """Min-hash bucket of a word, or uint32 array of buckets of a sequence of words.

    >>> minhash("democracy"), minhash("democratic")
    (1930, 1930)
    >>> minhash(["zebra", "hashes"]).tolist()
    [36634, 25272]

    ``buckets`` defaults to 65,536 (the only value ``compat`` accepts).
    """
    key = (scheme, 65536 if buckets is None else buckets, seed)
    with _cache_lock:
        hasher = _cache.get(key)
        if hasher is None:
            hasher = _cache[key] = MinHash(scheme=scheme, buckets=key[1], seed=seed)
    if isinstance(words, (str, bytes, bytearray)):
        return hasher.bucket(words)
    return hasher.buckets(words)
