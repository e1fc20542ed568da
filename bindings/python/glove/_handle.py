"""Ownership of C handles: one base class for every wrapper."""


class Owned:
    """Owns one C handle freed by ``_free`` exactly once: by :meth:`close`,
    the context manager, or garbage collection (tolerating interpreter
    shutdown). Using a closed object raises ``ValueError``. Copying and
    pickling raise TypeError: a copy would free the handle a second time."""

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

    def __copy__(self):
        # A copy would share the handle and free it a second time.
        raise TypeError(f"a {type(self).__name__} owns a C object and cannot be copied")

    def __deepcopy__(self, memo):
        raise TypeError(f"a {type(self).__name__} owns a C object and cannot be copied")

    def __reduce__(self):
        raise TypeError(f"a {type(self).__name__} owns a C object and cannot be pickled; "
                        "save it to a file instead")

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
