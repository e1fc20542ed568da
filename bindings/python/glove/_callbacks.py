"""Progress callbacks that survive exceptions.

ctypes swallows an exception raised inside a callback (it prints "Exception
ignored" and C sees a normal return). :class:`Progress` catches it, tells C
to stop, and :meth:`Progress.reraise` raises it again once the C call has
returned; Ctrl-C (KeyboardInterrupt) is handled the same way.
"""
from . import _lib


class Progress:
    """Wraps a Python callable as a ``glove_count_progress`` C callback."""

    def __init__(self, callback):
        self.error = None
        self._callback = callback

        def trampoline(bytes_read, _user_data):
            try:
                return 0 if callback(int(bytes_read)) in (None, True) else 1
            except BaseException as e:  # noqa: B902 — re-raised after the C call
                self.error = e
                return 1

        # Keep the CFUNCTYPE object referenced for as long as C may call it.
        self.c_function = _lib.glove_count_progress(trampoline) if callback else _lib.glove_count_progress()

    def reraise(self) -> None:
        """Raises the exception the callback raised, if any."""
        if self.error is not None:
            error, self.error = self.error, None
            raise error
