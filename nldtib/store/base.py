"""The store protocol: where the graph lives. Every store passes one contract test suite."""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..dataset.records import Dataset, Node, Rel

__all__ = ["Store", "Neighbour"]

Neighbour = tuple[Rel, Node]   # a relationship of a node, and the node at its other end


@runtime_checkable
class Store(Protocol):
    """A graph store. ``memory`` (networkx, embedded) and ``neo4j`` implement it."""

    name: str

    def describe(self) -> str:
        """Where the data comes from, for headers and messages (never a secret)."""

    def dataset(self) -> Dataset:
        """The whole graph as validated records (for projections, reports and exports)."""

    def node(self, node_id: str) -> Node | None:
        """One node by id, or None."""

    def neighbours(self, node_id: str) -> list[Neighbour]:
        """Every relationship that starts or ends at ``node_id``, with the node at its other end."""

    def search(self, text: str, limit: int = 20) -> list[Node]:
        """Nodes whose id, name or alias matches ``text`` (case- and accent-insensitive), best first."""

    def close(self) -> None:
        """Release connections."""
