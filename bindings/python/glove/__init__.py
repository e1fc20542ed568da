"""libglove for Python: min-hash buckets, GloVe embeddings and bilinear
recommenders, through ctypes (no compiler needed)."""
from . import _lib
from .errors import (BufferTooSmallError, CancelledError, FormatError, GloveError, GloveIOError,
                     InvalidArgumentError, NumericError, OutOfMemoryError)
from .corpus import Cooccurrence, Vocabulary, shuffle_file
from .minhash import MinHash, minhash
from .model import GloVe
from .bilinear import Bilinear, Features, ranking_metrics

__version__ = _lib.glove_version_string().decode()
library_path = _lib.path

__all__ = ["GloVe", "Bilinear", "Features", "ranking_metrics", "MinHash", "minhash", "Vocabulary", "Cooccurrence", "shuffle_file", "GloveError", "InvalidArgumentError", "OutOfMemoryError", "GloveIOError",
           "FormatError", "CancelledError", "NumericError", "BufferTooSmallError", "library_path"]
