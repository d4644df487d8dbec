"""Stores: where the graph lives. ``memory`` is the embedded default; ``neo4j`` is for teams.

This module stays light (no driver, no validation models): it only names the store kinds and
opens one. :class:`~nldtib.store.base.Store` is the protocol both implement.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ConfigError

__all__ = ["open_store", "STORE_KINDS", "store_kind"]

STORE_KINDS = ("memory", "neo4j")


def store_kind(kind: str | None = None) -> str:
    """``kind`` if given, else ``NLDTIB_STORE``, else ``memory``; an unknown value is a ConfigError."""
    if kind is None:
        value = os.environ.get("NLDTIB_STORE", "").strip()
        kind, where = value or "memory", f"NLDTIB_STORE={value!r}"
    else:
        where = f"store {kind!r}"
    if kind not in STORE_KINDS:
        raise ConfigError(f"{where}: expected one of {', '.join(STORE_KINDS)}")
    return kind


def open_store(kind: str = "memory", data: str | Path | None = None, allow_partial: bool = False) -> Any:
    """Open a store. ``memory`` reads the dataset folder ``data`` (default: the shipped seed).
    ``allow_partial``: the neo4j store reads a database with an unfinished load (else it refuses)."""
    kind = store_kind(kind)
    if kind == "neo4j":
        from .neo4j.store import Neo4jStore  # only this package imports the neo4j driver

        return Neo4jStore.from_env(allow_partial=allow_partial)
    from ..paths import seed_dir
    from .memory import MemoryStore

    return MemoryStore.from_folder(data if data is not None else seed_dir())
