"""The embedded store: a dataset in memory, with a networkx MultiDiGraph view on demand."""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from pathlib import Path

import networkx as nx

from ..dataset.reader import read_dataset
from ..dataset.records import Dataset, Node
from ..dataset.search import match_rank
from .base import Neighbour

__all__ = ["MemoryStore", "to_networkx"]


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a networkx MultiDiGraph.

    Node attributes are ``label`` plus the node's properties; edge attributes are ``type`` plus
    the relationship's properties; the edge key is the relationship's type and key properties.
    """
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((n.id, {"label": n.label, **n.props}) for n in dataset.nodes.values())
    schema = dataset.schema
    for r in dataset.rels:
        key = "|".join(str(v) for v in (r.type,) + r.identity(schema)[3:])
        graph.add_edge(r.src, r.dst, key=key, type=r.type, **r.props)
    return graph


class MemoryStore:
    """The default store. It needs no server: the graph is read from a dataset folder."""

    name = "memory"

    def __init__(self, dataset: Dataset):
        self._dataset = dataset

    @classmethod
    def from_folder(cls, folder: str | Path) -> "MemoryStore":
        return cls(read_dataset(folder))

    def describe(self) -> str:
        return f"memory store ({self._dataset.origin or 'in-memory dataset'})"

    def dataset(self) -> Dataset:
        return self._dataset

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """A networkx view of the graph, built on first use (for notebooks and reference checks)."""
        return to_networkx(self._dataset)

    @cached_property
    def _incident(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(self._dataset.rels):
            index[r.src].append(i)
            if r.dst != r.src:
                index[r.dst].append(i)
        return index

    def node(self, node_id: str) -> Node | None:
        return self._dataset.nodes.get(node_id)

    def neighbours(self, node_id: str) -> list[Neighbour]:
        rels = self._dataset.rels
        nodes = self._dataset.nodes
        out = []
        for i in self._incident.get(node_id, ()):
            r = rels[i]
            out.append((r, nodes[r.dst if r.src == node_id else r.src]))
        return out

    def search(self, text: str, limit: int = 20) -> list[Node]:
        hits = []
        for n in self._dataset.nodes.values():
            rank = match_rank(text, [n.id, n.name, *n.props.get("aliases", ())])
            if rank is not None:
                hits.append((rank, n.name.casefold(), n.id, n))
        hits.sort(key=lambda h: h[:3])
        return [h[3] for h in hits[:limit]]

    def close(self) -> None:
        pass
