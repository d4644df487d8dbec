"""The store protocol: where the graph lives. Every store passes one contract test suite."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..dataset.records import Dataset

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    """A graph store. ``memory`` (embedded) and ``neo4j`` implement it.

    A store only delivers the whole graph, validated; which records a question may use and how
    it is answered is the session's business (:class:`nldtib.Session`), so every question has one
    implementation, whatever the store.
    """

    name: str

    def describe(self) -> str:
        """Where the data comes from, for headers and messages (never a secret, never a local path)."""

    def dataset(self) -> Dataset:
        """The whole graph as validated records."""

    def close(self) -> None:
        """Release connections."""
