"""Stores: where the graph lives. ``memory`` is the embedded default; ``neo4j`` is for teams."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import ConfigError
from ..paths import seed_dir
from .base import Neighbour, Store
from .memory import MemoryStore

__all__ = ["Store", "Neighbour", "MemoryStore", "open_store", "STORE_KINDS", "default_store_kind"]

STORE_KINDS = ("memory", "neo4j")


def default_store_kind() -> str:
    """``NLDTIB_STORE`` if set, else ``memory``."""
    kind = os.environ.get("NLDTIB_STORE", "memory").strip() or "memory"
    if kind not in STORE_KINDS:
        raise ConfigError(f"NLDTIB_STORE={kind!r}: expected one of {', '.join(STORE_KINDS)}")
    return kind


def open_store(kind: str = "memory", data: str | Path | None = None) -> Store:
    """Open a store. ``memory`` reads the dataset folder ``data`` (default: the shipped seed)."""
    if kind == "memory":
        return MemoryStore.from_folder(data if data is not None else seed_dir())
    if kind == "neo4j":
        from .neo4j.store import Neo4jStore  # only this module imports the neo4j driver

        return Neo4jStore.from_env()
    raise ConfigError(f"unknown store {kind!r}; expected one of {', '.join(STORE_KINDS)}")
