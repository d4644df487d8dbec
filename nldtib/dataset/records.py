"""The records of a dataset: nodes, relationships and the dataset that holds them.

All three are immutable: a :class:`Dataset` holds a read-only mapping of nodes and a tuple of
relationships, and every record's ``props`` is a :class:`Props`, a ``dict`` that refuses
changes. Derived structures (the analysis projection, search indexes) can therefore be built
once per dataset and never go stale. To change data, build a new dataset.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..schema import Schema

__all__ = ["Node", "Rel", "Dataset", "Props"]


class Props(dict):
    """A read-only ``dict`` of record properties (JSON-serialisable, picklable, hashable by id).

    >>> p = Props({"name": "Acme"})
    >>> p["name"], dict(p) == {"name": "Acme"}
    ('Acme', True)
    >>> p["name"] = "Other"
    Traceback (most recent call last):
    TypeError: record properties are read-only; build a new record instead
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("record properties are read-only; build a new record instead")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    update = pop = popitem = clear = setdefault = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (Props, (dict(self),))

    def __copy__(self) -> Props:
        return self

    def __deepcopy__(self, memo: dict) -> Props:
        return self


def _props(props: Mapping[str, Any] | None) -> Props:
    return props if type(props) is Props else Props(props or {})


@dataclass(frozen=True, slots=True)
class Node:
    """A node. ``props`` holds every set property except ``id`` (unset ones are absent)."""

    id: str
    label: str
    props: Props = field(default_factory=Props, hash=False, compare=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props", _props(self.props))

    @property
    def name(self) -> str:
        return self.props.get("name", self.id)

    @property
    def sensitivity(self) -> str:
        return self.props.get("sensitivity", "public")

    def summary(self) -> dict[str, str]:
        """``{"id", "label", "name"}``: how every result names a node."""
        return {"id": self.id, "label": self.label, "name": self.name}


@dataclass(frozen=True, slots=True)
class Rel:
    """A relationship ``src -[type]-> dst`` with its properties (unset ones are absent)."""

    type: str
    src: str
    dst: str
    props: Props = field(default_factory=Props, hash=False, compare=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "props", _props(self.props))

    @property
    def sensitivity(self) -> str:
        return self.props.get("sensitivity", "public")

    def identity(self, schema: Schema) -> tuple:
        """What identifies the relationship: type, endpoints and the type's key properties."""
        keys = schema.rel(self.type).key
        return (self.type, self.src, self.dst) + tuple(self.props.get(k) for k in keys)


@dataclass(frozen=True)
class Dataset:
    """A validated graph: nodes by id (in load order) and relationships (in load order).

    Immutable: ``nodes`` is a read-only mapping and ``rels`` a tuple. Build datasets with
    :func:`nldtib.read_dataset` or ``Dataset(schema, nodes, rels)`` (any mapping and iterable).
    """

    schema: Schema
    nodes: Mapping[str, Node]
    rels: tuple[Rel, ...]
    origin: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.nodes, MappingProxyType):
            object.__setattr__(self, "nodes", MappingProxyType(dict(self.nodes)))
        if not isinstance(self.rels, tuple):
            object.__setattr__(self, "rels", tuple(self.rels))

    def __repr__(self) -> str:
        return f"Dataset({self.origin or 'in memory'}: {len(self.nodes)} nodes, {len(self.rels)} relationships)"

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    def nodes_with(self, label: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.label == label]

    def rels_of(self, rel_type: str) -> list[Rel]:
        return [r for r in self.rels if r.type == rel_type]

    def sensitivity(self) -> str:
        """The highest sensitivity of any record in the dataset (its classification)."""
        from .classification import highest_sensitivity

        return highest_sensitivity(rec.sensitivity for rec in self.records())

    def records(self) -> Iterable[Node | Rel]:
        """Every node, then every relationship."""
        yield from self.nodes.values()
        yield from self.rels
