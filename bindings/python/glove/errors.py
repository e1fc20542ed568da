"""Exceptions raised for libglove's non-OK statuses."""
from . import _lib


class GloveError(Exception):
    """A libglove call failed; ``status`` is the C status, the text its message."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(GloveError, ValueError):
    """GLOVE_E_INVALID_ARGUMENT: a value is out of range or inconsistent."""


class OutOfMemoryError(GloveError, MemoryError):
    """GLOVE_E_NOMEM: a size would exceed what can be allocated."""


class GloveIOError(GloveError, OSError):
    """GLOVE_E_IO: a file could not be read or written."""


class FormatError(GloveError, ValueError):
    """GLOVE_E_FORMAT: a file or buffer is malformed or corrupt."""


class CancelledError(GloveError):
    """GLOVE_E_CANCELLED: a callback asked to stop."""


class NumericError(GloveError, ArithmeticError, ValueError):
    """GLOVE_E_NUMERIC: NaN or infinity appeared, in an input (hence also a
    ValueError, as numpy and scikit-learn raise for NaN inputs) or in the
    results (a diverging loss: try a lower learning rate)."""


class BufferTooSmallError(GloveError, ValueError):
    """GLOVE_E_BUFFER_TOO_SMALL: an output buffer has too little capacity."""


_BY_STATUS = {
    _lib.GLOVE_E_INVALID_ARGUMENT: InvalidArgumentError,
    _lib.GLOVE_E_NOMEM: OutOfMemoryError,
    _lib.GLOVE_E_IO: GloveIOError,
    _lib.GLOVE_E_FORMAT: FormatError,
    _lib.GLOVE_E_CANCELLED: CancelledError,
    _lib.GLOVE_E_NUMERIC: NumericError,
    _lib.GLOVE_E_BUFFER_TOO_SMALL: BufferTooSmallError,
}


def check(status: int) -> None:
    """Raises the exception matching a non-OK status, with the C message."""
    if status != _lib.GLOVE_OK:
        message = _lib.glove_last_error_message().decode("utf-8", "replace")
        raise _BY_STATUS.get(status, GloveError)(message, status)
