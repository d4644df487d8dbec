"""The records of a dataset: nodes, relationships and the dataset that holds them.

All three are immutable: a :class:`Dataset` holds a read-only mapping of nodes and a read-only
sequence of relationships, and every record's ``props`` is a :class:`Props`, a ``dict`` that
refuses changes. Derived structures (the analysis projection, search indexes) can therefore be
built once per dataset and never go stale. To change data, build a new dataset.

A dataset keeps its records as columns (:mod:`nldtib.dataset.tables`): ``ds.nodes`` and
``ds.rels`` build :class:`Node` and :class:`Rel` objects only when they are asked for, so
reading and validating a large base never makes one Python object per record. Vectorised
consumers use the columns directly: ``ds.ids``, ``ds.label_codes``, ``ds.node_tables``,
``ds.rel_tables`` and ``ds.index_of`` (see docs/architecture.md, "Records").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import FrozenInstanceError, dataclass, field
from itertools import repeat
from types import MappingProxyType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import Schema
from .tables import (
    NodeTable,
    RelTable,
    from_records,
    frozen,
    ref_columns,
    retargeted,
    set_columns,
    taken,
)

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


class Dataset:
    """A validated graph: nodes by id (in load order) and relationships (in load order).

    Immutable: ``nodes`` is a read-only mapping and ``rels`` a read-only sequence. Build datasets
    with :func:`nldtib.read_dataset` or ``Dataset(schema, nodes, rels)`` (any mapping of nodes
    by id and any iterable of relationships).

    >>> from nldtib.schema import load_schema
    >>> ds = Dataset(load_schema(), {"NL": Node("NL", "Country", {"name": "Netherlands"})}, [])
    >>> ds.nodes["NL"].name, len(ds.rels), ds.ids.to_pylist()
    ('Netherlands', 0, ['NL'])
    """

    __slots__ = (
        "_memo",
        "_n",
        "_node_row",
        "_rel_row",
        "_rel_type",
        "_types",
        "ids",
        "label_codes",
        "labels",
        "node_tables",
        "origin",
        "rel_tables",
        "schema",
    )

    def __init__(self, schema: Schema, nodes: Mapping[str, Node], rels: Iterable[Rel] = (), origin: str = ""):
        source = getattr(nodes, "_ds", None)
        if source is not None and getattr(rels, "_ds", None) is source:
            parts = source._parts()  # the same records: share the columns
        else:
            parts = from_records(schema, nodes, rels)
        self._init(schema, origin, **parts)

    @classmethod
    def _from_columns(cls, schema: Schema, origin: str = "", **parts: Any) -> Dataset:
        """A dataset from its columns (see :func:`nldtib.dataset.tables.from_records` for the parts)."""
        ds = cls.__new__(cls)
        ds._init(schema, origin, **parts)
        return ds

    def _init(
        self,
        schema: Schema,
        origin: str,
        *,
        ids: pa.Array,
        n_nodes: int,
        labels: tuple[str, ...],
        node_label: np.ndarray,
        node_row: np.ndarray,
        node_tables: Mapping[str, NodeTable],
        types: tuple[str, ...],
        rel_type: np.ndarray,
        rel_row: np.ndarray,
        rel_tables: Mapping[str, RelTable],
    ) -> None:
        for a in (node_label, node_row, rel_type, rel_row):
            a.flags.writeable = False
        values = {
            "schema": schema,
            "origin": origin,
            "ids": ids,
            "labels": labels,
            "label_codes": node_label,
            "node_tables": MappingProxyType(dict(node_tables)),
            "rel_tables": MappingProxyType(dict(rel_tables)),
            "_n": n_nodes,
            "_node_row": node_row,
            "_types": types,
            "_rel_type": rel_type,
            "_rel_row": rel_row,
            "_memo": {},
        }
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def _parts(self) -> dict[str, Any]:
        return {
            "ids": self.ids,
            "n_nodes": self._n,
            "labels": self.labels,
            "node_label": self.label_codes,
            "node_row": self._node_row,
            "node_tables": self.node_tables,
            "types": self._types,
            "rel_type": self._rel_type,
            "rel_row": self._rel_row,
            "rel_tables": self.rel_tables,
        }

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}: a dataset is immutable")

    __delattr__ = __setattr__  # type: ignore[assignment]

    # ------------------------------------------------------------------ records
    @property
    def nodes(self) -> Mapping[str, Node]:
        """Every node by id, in load order (a read-only mapping; nodes are built on first use)."""
        from .views import NodeMap

        return NodeMap(self)

    @property
    def rels(self) -> Sequence[Rel]:
        """Every relationship, in load order (a read-only sequence, built as it is read)."""
        from .views import RelSeq

        return RelSeq(self)

    def __repr__(self) -> str:
        return f"Dataset({self.origin or 'in memory'}: {self._n} nodes, {len(self._rel_type)} relationships)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (
            self.schema == other.schema
            and self.origin == other.origin
            and self.nodes == other.nodes
            and self.rels == other.rels
        )

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    def nodes_with(self, label: str) -> list[Node]:
        from .views import node

        table = self.node_tables.get(label)
        return [] if table is None else list(map(node, repeat(self), table.index.tolist()))

    def rels_of(self, rel_type: str) -> list[Rel]:
        from .views import rels

        table = self.rel_tables.get(rel_type)
        return [] if table is None else rels(self, table, slice(0, len(table)), len(table))

    def sensitivity(self) -> str:
        """The highest sensitivity of any record in the dataset (its classification)."""
        from .classification import highest_sensitivity

        levels: set[Any] = set()
        for table in (*self.node_tables.values(), *self.rel_tables.values()):
            col = table.columns.get("sensitivity")
            if col is None:
                levels.add(None)
            elif isinstance(col, tuple):
                levels.update(col)
            else:
                levels.update(col.unique().to_pylist())
        return highest_sensitivity(levels)

    def rels_with(self, node_id: str) -> list[Rel]:
        """The relationships with ``node_id`` at either end, in load order (only these are built
        as objects: a lookup in the columns, not a loop over every relationship)."""
        from .views import rels

        i = self._index().get(node_id)
        if i is None:
            return []
        found: list[tuple[int, Rel]] = []
        for code, rel_type in enumerate(self._types):
            table = self.rel_tables[rel_type]
            rows = np.flatnonzero((table.src == i) | (table.dst == i))
            if len(rows):
                positions = np.flatnonzero(self._rel_type == code)[rows]
                found += zip(positions.tolist(), rels(self, table, rows, len(rows)))
        return [r for _, r in sorted(found, key=lambda pr: pr[0])]

    def records(self) -> Iterable[Node | Rel]:
        """Every node, then every relationship."""
        yield from self.nodes.values()
        yield from self.rels

    # ------------------------------------------------------------------ columns
    def index_of(self, ids: Iterable[str] | pa.Array) -> np.ndarray:
        """The node index of each of ``ids`` (int32; -1 where no node has that id)."""
        values = ids if isinstance(ids, (pa.Array, pa.ChunkedArray)) else pa.array(list(ids), type=pa.string())
        found = pc.index_in(values, value_set=self.ids.slice(0, self._n))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)

    def subset(self, nodes: np.ndarray, rels: Mapping[str, np.ndarray], origin: str | None = None) -> Dataset:
        """A dataset of some of these records, by whole columns: the nodes where ``nodes`` (a
        bool per node index) is true and, per relationship type, the relationships where
        ``rels[type]`` (a bool per row of its table) is true; types missing from ``rels`` keep
        every row. Order is kept. An end or reference of a kept relationship that names a node
        left out stays an id without a node (``select`` leaves such relationships out first).
        """
        keep = np.asarray(nodes, dtype=bool)
        masks = {
            t: np.asarray(rels.get(t, np.ones(len(tb), dtype=bool)), dtype=bool) for t, tb in self.rel_tables.items()
        }
        kept = np.flatnonzero(keep)
        named = [kept]  # every index a kept record still names: kept nodes first
        for t, table in self.rel_tables.items():
            m = masks[t]
            named += [table.src[m], table.dst[m]]
            for column in ref_columns(table, self.ids):
                named.append(column.filter(pa.array(m)).indices.drop_null().to_numpy(zero_copy_only=False))
        extra = np.setdiff1d(np.concatenate(named), kept)  # ids without a node now
        new_of = np.full(len(self.ids), -1, dtype=np.int64)
        new_of[kept] = np.arange(len(kept))
        new_of[extra] = np.arange(len(kept), len(kept) + len(extra))
        ids = self.ids.take(pa.array(np.concatenate([kept, extra]).astype(np.int64)))
        node_label = self.label_codes[keep]
        node_row = np.zeros(len(kept), dtype=np.int32)
        node_tables = {}
        for label, table in self.node_tables.items():
            rows = keep[table.index]
            node_row[node_label == self.labels.index(label)] = np.arange(int(rows.sum()), dtype=np.int32)
            if rows.any():
                columns = {k: taken(v, rows) for k, v in table.columns.items()}
                node_tables[label] = NodeTable(
                    label, frozen(new_of[table.index[rows]].astype(np.int32)), set_columns(columns)
                )
        rel_tables = {}
        for t, table in self.rel_tables.items():
            m = masks[t]
            if m.any():
                columns = {k: retargeted(taken(v, m), self.ids, ids, new_of) for k, v in table.columns.items()}
                src, dst = new_of[table.src[m]].astype(np.int32), new_of[table.dst[m]].astype(np.int32)
                rel_tables[t] = RelTable(t, frozen(src), frozen(dst), set_columns(columns))
        kept_rel = np.zeros(len(self._rel_type), dtype=bool)
        for code, t in enumerate(self._types):
            where = self._rel_type == code
            kept_rel[where] = masks[t][self._rel_row[where]]
        rel_type = self._rel_type[kept_rel]
        rel_row = np.zeros(len(rel_type), dtype=np.int32)
        for code in range(len(self._types)):
            where = rel_type == code
            rel_row[where] = np.arange(int(where.sum()), dtype=np.int32)
        return Dataset._from_columns(
            self.schema,
            self.origin if origin is None else origin,
            ids=ids,
            n_nodes=len(kept),
            labels=self.labels,
            node_label=node_label,
            node_row=node_row,
            node_tables=node_tables,
            types=self._types,
            rel_type=rel_type,
            rel_row=rel_row,
            rel_tables=rel_tables,
        )

    # ------------------------------------------------------------------ building records
    def _memoised(self, key: Any, build: Any) -> Any:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = build()
        return found

    def _id_list(self) -> list[str]:
        return self._memoised("ids", self.ids.to_pylist)

    def _index(self) -> dict[str, int]:
        return self._memoised("index", lambda: {k: i for i, k in enumerate(self._id_list()[: self._n])})
