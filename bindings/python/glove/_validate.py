"""Argument checks shared by the wrappers.

They refuse what ctypes and numpy would otherwise convert silently: ctypes
wraps integers into range (``-1`` becomes 4294967295, ``2**32 + 5`` becomes 5)
and stops strings at a NUL byte; numpy truncates floats to integers, drops
imaginary parts, turns booleans into 0 and 1 and parses strings. Wrong types
raise TypeError, wrong values and shapes ValueError.
"""
import ctypes
import numbers
import os

import numpy as np

UINT32_MAX = 2**32 - 1
UINT64_MAX = 2**64 - 1
SIZE_MAX = 2**(8 * ctypes.sizeof(ctypes.c_size_t)) - 1
MAX_THREADS = 1024  # the limit libglove's trainers enforce


def integer(name: str, value, low: int = 0, high: int = UINT32_MAX) -> int:
    """``value`` as an int in ``low .. high``; TypeError for anything but an
    integer (bool included), ValueError outside the range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer (got {type(value).__name__})")
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be in {low} .. {high} (got {value})")
    return value


def threads(value) -> int:
    """A thread count: 0 (one per processor) to 1024."""
    return integer("threads", value, 0, MAX_THREADS)


def path(value) -> bytes:
    """A file path as bytes for C; ValueError for an embedded NUL byte, which
    C would take as the end of the path (and open another file)."""
    encoded = os.fsencode(value)
    if b"\0" in encoded:
        raise ValueError(f"a path must not contain NUL bytes (got {value!r})")
    return encoded


def c_string(name: str, value) -> bytes:
    """A str (as UTF-8) or bytes value for a NUL-terminated C string parameter."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
    else:
        raise TypeError(f"{name} must be str or bytes, not {type(value).__name__}")
    if b"\0" in value:
        raise ValueError(f"{name} must not contain NUL bytes (got {value!r})")
    return value


def instance(name: str, value, cls):
    """``value`` when it is a ``cls``, else TypeError."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a {cls.__name__} (got {type(value).__name__})")
    return value


def callback(value):
    """``value`` when it is None or callable, else TypeError (checked before any work starts)."""
    if value is not None and not callable(value):
        raise TypeError(f"callback must be callable or None (got {type(value).__name__})")
    return value


def _numbers(name: str, value) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers (got dtype {array.dtype})")
    return array


def real_array(name: str, value, ndim: int, dtype=np.float32) -> np.ndarray:
    """``value`` as a C-contiguous ``dtype`` array with ``ndim`` dimensions
    (copied only when needed). Integers and floats of any width are accepted;
    booleans, complex numbers, strings and objects raise TypeError."""
    array = _numbers(name, value)
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array (got shape {array.shape})")
    return np.ascontiguousarray(array, dtype=dtype)


def index_array(name: str, value, dtype=np.uint32) -> np.ndarray:
    """``value`` as a 1-D C-contiguous array of non-negative integers of
    ``dtype`` (uint32 ids by default). Whole floats such as np.loadtxt gives are
    accepted; fractions, NaN, negative values and values beyond the dtype raise
    ValueError instead of being truncated or wrapped."""
    array = _numbers(name, value)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array (got shape {array.shape})")
    if array.size:
        if array.dtype.kind == "f" and not np.all(np.isfinite(array) & (array == np.floor(array))):
            raise ValueError(f"{name} must hold whole numbers")
        low, high = array.min().item(), array.max().item()  # Python numbers compare exactly
        if low < 0 or high > np.iinfo(dtype).max:
            raise ValueError(f"{name} must be in 0 .. {np.iinfo(dtype).max} (got values from {low} to {high})")
    return np.ascontiguousarray(array, dtype=dtype)
