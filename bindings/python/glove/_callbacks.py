"""Progress callbacks that survive exceptions and Ctrl-C.

ctypes swallows an exception raised inside a callback: it prints "Exception
ignored" and C receives an undefined return value. :class:`Progress` catches
the exception, tells C to stop, and :meth:`Progress.reraise` raises it again
once the C call has returned.

Ctrl-C needs more: Python raises KeyboardInterrupt at the first instruction of
the next Python code it runs, which during a C call is the callback's first
line, before any ``try`` in it. So while the C call runs (``with progress:``)
on the main thread, SIGINT only records the interrupt; the next callback tells
C to stop and :meth:`Progress.reraise` raises KeyboardInterrupt.
"""
import signal
import threading


class Progress:
    """Wraps ``call`` as a C progress callback of the CFUNCTYPE ``c_type``.

    ``call(*arguments)`` gets the C arguments without ``user_data`` and returns
    true to continue, false to stop; without ``call`` the callback only watches
    for Ctrl-C. Use::

        progress = Progress(_lib.glove_count_progress, call)
        with progress:
            status = _lib.glove_...(..., progress.c_function, None, ...)
        progress.reraise()  # the callback's exception, or KeyboardInterrupt
        check(status)
    """

    def __init__(self, c_type, call=None):
        self.error = None
        self.interrupted = False
        self._previous_handler = None

        def trampoline(*arguments):
            if self.error is not None or self.interrupted:
                return 1
            try:
                go_on = call is None or call(*arguments[:-1])
            except BaseException as e:  # noqa: B902 — re-raised after the C call returns
                self.error = e
                return 1
            return 0 if go_on and not self.interrupted else 1

        # Keep the CFUNCTYPE object referenced for as long as C may call it.
        self.c_function = c_type(trampoline)

    def _on_sigint(self, _signum, _frame):
        self.interrupted = True

    def __enter__(self):
        # Only the main thread receives signals and may install handlers; a
        # handler installed by the application is left alone.
        if threading.current_thread() is threading.main_thread() \
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous_handler = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous_handler is not None:
            signal.signal(signal.SIGINT, self._previous_handler)
            self._previous_handler = None

    def reraise(self) -> None:
        """Raises the exception the callback raised, else KeyboardInterrupt
        when Ctrl-C was pressed during the call, else nothing."""
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        if self.interrupted:
            self.interrupted = False
            raise KeyboardInterrupt
