"""Ownership of C handles: one base class for every wrapper."""


class Owned:
    """Owns one C handle freed by ``_free`` exactly once: by :meth:`close`,
    the context manager, or garbage collection (tolerating interpreter
    shutdown). Using a closed object raises ``ValueError``."""

    _free = None  # the C free function, set by subclasses
    _handle = None

    def close(self) -> None:
        """Frees the C object; calling it again does nothing."""
        handle, self._handle = self._handle, None
        free = type(self)._free
        if handle and free is not None:
            free(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may be gone already
            pass

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run."""
        return not self._handle

    def _live(self):
        if not self._handle:
            raise ValueError(f"this {type(self).__name__} is closed")
        return self._handle
