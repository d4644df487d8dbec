"""Small performance helpers shared by the bulk readers and writers, and the command line's
process settings."""

from __future__ import annotations

import contextlib
import gc
import importlib.abc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["gc_paused", "command_process", "tune_arrow"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    Building millions of records (the generator, datasets made from records) creates dicts and
    records that are never garbage; with the collector on, its repeated full passes over them
    cost about 40% of the time. The previous state is restored on exit. Reference counting still
    frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("not needed by nldtib commands")


_settings = {"command": False, "arrow": False}


def command_process() -> None:
    """Mark this process as one ``nldtib`` command (called by the CLI's ``main``, never by a
    library user): pyarrow, once nldtib imports it, gets the settings of :func:`tune_arrow`."""
    _settings["command"] = True
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")


def tune_arrow() -> None:
    """pyarrow settings for a command process (nothing in a library user's process):

    - pyarrow allocates from jemalloc and hands freed memory back at once (decay 0): reading a
      large base then peaks about a quarter lower than with the default allocator, which keeps
      what it freed. ``ARROW_DEFAULT_MEMORY_POOL`` still chooses another allocator.
    - pyarrow imports pandas, when installed, at its first conversion only to ask whether a value
      is a pandas object (0.3 s and 60 MiB); its first look finds pandas missing here, so it does
      not. Where pyarrow really needs pandas (``to_pandas``) it still imports it.
    """
    if not _settings["command"] or _settings["arrow"]:
        return
    _settings["arrow"] = True
    import pyarrow as pa

    if "pandas" not in sys.modules:
        finder = _NoPandas()
        sys.meta_path.insert(0, finder)
        try:
            pa.array([0])  # pyarrow's one look for pandas
        finally:
            sys.meta_path.remove(finder)
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL") == "jemalloc":
        with contextlib.suppress(NotImplementedError, pa.ArrowException):  # a build without jemalloc
            pa.jemalloc_set_decay_ms(0)
