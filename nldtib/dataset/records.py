"""The records of a dataset: nodes, relationships and the dataset that holds them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..schema import SENSITIVITY_LEVELS, Schema

__all__ = ["Node", "Rel", "Dataset", "sensitivity_rank", "highest_sensitivity"]


def sensitivity_rank(level: str | None) -> int:
    """0 for public (also when unset), 1 for restricted, 2 for confidential."""
    return SENSITIVITY_LEVELS.index(level or "public")


def highest_sensitivity(levels: Iterable[str | None]) -> str:
    return SENSITIVITY_LEVELS[max((sensitivity_rank(lv) for lv in levels), default=0)]


@dataclass(frozen=True, slots=True)
class Node:
    """A node. ``props`` holds every set property except ``id`` (unset ones are absent)."""

    id: str
    label: str
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def name(self) -> str:
        return self.props.get("name", self.id)

    @property
    def sensitivity(self) -> str:
        return self.props.get("sensitivity", "public")


@dataclass(frozen=True, slots=True)
class Rel:
    """A relationship ``src -[type]-> dst`` with its properties (unset ones are absent)."""

    type: str
    src: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def sensitivity(self) -> str:
        return self.props.get("sensitivity", "public")

    def identity(self, schema: Schema) -> tuple:
        """What identifies the relationship: type, endpoints and the type's key properties."""
        keys = schema.rel(self.type).key
        return (self.type, self.src, self.dst) + tuple(self.props.get(k) for k in keys)


@dataclass
class Dataset:
    """A validated graph: nodes by id (in load order) and relationships (in load order)."""

    schema: Schema
    nodes: dict[str, Node]
    rels: list[Rel]
    origin: str = ""

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    def nodes_with(self, label: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.label == label]

    def rels_of(self, rel_type: str) -> list[Rel]:
        return [r for r in self.rels if r.type == rel_type]

    def sensitivity(self) -> str:
        """The highest sensitivity of any record in the dataset."""
        return highest_sensitivity([n.sensitivity for n in self.nodes.values()] + [r.sensitivity for r in self.rels])

    def filtered(self, max_sensitivity: str) -> "Dataset":
        """The dataset without records above ``max_sensitivity``.

        A relationship is withheld too when either endpoint, or a node it references through a
        ``ref`` property (such as the item of SUPPLIES), is withheld: nothing that is left may
        point at or name a withheld record.
        """
        limit = sensitivity_rank(max_sensitivity)
        nodes = {i: n for i, n in self.nodes.items() if sensitivity_rank(n.sensitivity) <= limit}
        if len(nodes) == len(self.nodes) and all(sensitivity_rank(r.sensitivity) <= limit for r in self.rels):
            return self
        refs = {t: [p.name for p in rt.properties if p.type == "ref"] for t, rt in self.schema.relationships.items()}
        rels = [
            r for r in self.rels
            if sensitivity_rank(r.sensitivity) <= limit and r.src in nodes and r.dst in nodes
            and all(r.props.get(p) is None or r.props[p] in nodes for p in refs[r.type])
        ]
        return Dataset(self.schema, nodes, rels, self.origin)
