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

from collections import deque
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from dataclasses import FrozenInstanceError, dataclass, field
from itertools import repeat
from types import MappingProxyType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import Schema
from .tables import Column, NodeTable, RelTable, from_records, pylist

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


_CHUNK = 4096  # nodes built per step (and kept) when nodes are read as objects
_REL_CHUNK = 16384  # relationships built per step when they are read as objects
_del_item = dict.__delitem__
_new = object.__new__
_node_fields = tuple(Node.__dict__[k].__set__ for k in ("label", "id", "props"))
_rel_fields = tuple(Rel.__dict__[k].__set__ for k in ("type", "src", "dst", "props"))


def _build(cls: type, fields: tuple, count: int, first: Any, *others: Iterable[Any]) -> list[Any]:
    """``count`` frozen records of ``cls`` without running ``__init__``: ``first`` (the label or
    type, the same for all) and the values of the other fields, set field by field (a C loop each)."""
    out = list(map(_new, repeat(cls, count)))
    deque(map(fields[0], out, repeat(first)), maxlen=0)
    for set_field, values in zip(fields[1:], others):
        deque(map(set_field, out, values), maxlen=0)
    return out


def _fill_props(names: list[str], values: list[list[Any]], count: int) -> list[Props]:
    """One :class:`Props` per row from the columns' values (None = unset, left out), keys in
    column order."""
    if not names:
        return [Props() for _ in range(count)]
    props = list(map(Props, map(zip, repeat(names), zip(*values))))
    for name, column in zip(names, values):
        if None in column:
            for p, v in zip(props, column):
                if v is None:
                    _del_item(p, name)
    return props


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
    def nodes(self) -> NodeMap:
        """Every node by id, in load order (a read-only mapping; nodes are built on first use)."""
        return NodeMap(self)

    @property
    def rels(self) -> RelSeq:
        """Every relationship, in load order (a read-only sequence, built as it is read)."""
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
        table = self.node_tables.get(label)
        return [] if table is None else [self._node(int(i)) for i in table.index]

    def rels_of(self, rel_type: str) -> list[Rel]:
        table = self.rel_tables.get(rel_type)
        return [] if table is None else self._rels(table, slice(0, len(table)), len(table))

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

    def _node(self, i: int) -> Node:
        code, row = int(self.label_codes[i]), int(self._node_row[i])
        key = (code, row // _CHUNK)
        chunk = self._memo.get(key)
        if chunk is None:
            chunk = self._memo[key] = self._build_nodes(self.labels[code], key[1] * _CHUNK)
        return chunk[row % _CHUNK]

    def _build_nodes(self, label: str, start: int) -> list[Node]:
        table = self.node_tables[label]
        stop = min(start + _CHUNK, len(table))
        ids = self._id_list()
        rows = slice(start, stop)
        names = list(table.columns)
        props = _fill_props(names, [self._values(table.columns[k], rows) for k in names], stop - start)
        return _build(Node, _node_fields, stop - start, label, map(ids.__getitem__, table.index[rows].tolist()), props)

    def _decoded(self, dictionary: pa.Array) -> list[Any]:
        """A dictionary's values as Python objects, decoded once (a reference column's dictionary
        is :attr:`ids`: its strings are those of every other reference)."""
        if len(dictionary) == len(self.ids) and dictionary.buffers()[1].address == self.ids.buffers()[1].address:
            return self._id_list()
        key = (
            "dictionary",
            dictionary.buffers()[1].address,
            len(dictionary),
        )  # the column lives as long as the dataset
        return self._memoised(key, dictionary.to_pylist)

    def _values(self, column: Column, rows: slice | np.ndarray) -> list[Any]:
        """The Python values of ``column`` at ``rows`` (a dictionary's strings are shared)."""
        if not isinstance(column, tuple) and pa.types.is_dictionary(column.type):
            part = column[rows] if isinstance(rows, slice) else column.take(pa.array(rows))
            lookup = self._decoded(column.dictionary)
            indices = part.indices.to_pylist()
            if part.null_count:
                return [None if i is None else lookup[i] for i in indices]
            return list(map(lookup.__getitem__, indices))
        return pylist(column, rows)

    def _rels(self, table: RelTable, rows: slice | np.ndarray, count: int) -> list[Rel]:
        ids = self._id_list()
        names = list(table.columns)
        props = _fill_props(names, [self._values(table.columns[k], rows) for k in names], count)
        out = []
        set_type, set_src, set_dst, set_props = _rel_fields
        t = table.type
        for s, d, p in zip(
            map(ids.__getitem__, table.src[rows].tolist()), map(ids.__getitem__, table.dst[rows].tolist()), props
        ):
            r = _new(Rel)
            set_type(r, t)
            set_src(r, s)
            set_dst(r, d)
            set_props(r, p)
            out.append(r)
        return out

    def _rel_chunk(self, start: int, stop: int) -> list[Rel]:
        codes = self._rel_type[start:stop]
        rows = self._rel_row[start:stop]
        first = int(codes[0])
        if (codes == first).all() and int(rows[-1]) - int(rows[0]) == stop - start - 1:
            table = self.rel_tables[self._types[first]]
            return self._rels(table, slice(int(rows[0]), int(rows[-1]) + 1), stop - start)
        out: list[Any] = [None] * (stop - start)
        for code in np.unique(codes).tolist():
            where = np.flatnonzero(codes == code)
            built = self._rels(self.rel_tables[self._types[code]], rows[where], len(where))
            for k, r in zip(where.tolist(), built):
                out[k] = r
        return out


class NodeMap(Mapping[str, Node]):
    """The nodes of a dataset by id, in load order: a read-only mapping whose :class:`Node`
    objects are built from the columns on first use (a few thousand at a time) and kept."""

    __slots__ = ("_ds",)

    def __init__(self, ds: Dataset):
        self._ds = ds

    def __getitem__(self, key: str) -> Node:
        i = self._ds._index().get(key)
        if i is None:
            raise KeyError(key)
        return self._ds._node(i)

    def __contains__(self, key: object) -> bool:
        return key in self._ds._index()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ds._id_list()[: self._ds._n])

    def __len__(self) -> int:
        return self._ds._n

    def values(self) -> _NodeValues:  # type: ignore[override]
        return _NodeValues(self)

    def items(self) -> _NodeItems:  # type: ignore[override]
        return _NodeItems(self)

    def __repr__(self) -> str:
        return f"<nodes of {self._ds!r}>"


class _NodeValues(ValuesView):
    __slots__ = ()

    def __iter__(self) -> Iterator[Node]:
        ds = self._mapping._ds
        return map(ds._node, range(ds._n))


class _NodeItems(ItemsView):
    __slots__ = ()

    def __iter__(self) -> Iterator[tuple[str, Node]]:
        ds = self._mapping._ds
        return zip(ds._id_list()[: ds._n], map(ds._node, range(ds._n)))


class RelSeq(Sequence[Rel]):
    """The relationships of a dataset, in load order: a read-only sequence whose :class:`Rel`
    objects are built from the columns as they are read (never kept)."""

    __slots__ = ("_ds",)

    def __init__(self, ds: Dataset):
        self._ds = ds

    def __len__(self) -> int:
        return len(self._ds._rel_type)

    def __getitem__(self, key: Any) -> Any:
        ds = self._ds
        if isinstance(key, slice):
            return tuple(self[i] for i in range(*key.indices(len(self))))
        i = range(len(self))[key]  # IndexError and negative indices as for a tuple
        table = ds.rel_tables[ds._types[int(ds._rel_type[i])]]
        row = int(ds._rel_row[i])
        return ds._rels(table, slice(row, row + 1), 1)[0]

    def __iter__(self) -> Iterator[Rel]:
        ds = self._ds
        n = len(self)
        for start in range(0, n, _REL_CHUNK):
            yield from ds._rel_chunk(start, min(n, start + _REL_CHUNK))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Iterable[Rel]) -> tuple[Rel, ...]:
        return tuple(self) + tuple(other)

    def __radd__(self, other: Iterable[Rel]) -> tuple[Rel, ...]:
        return tuple(other) + tuple(self)

    def __repr__(self) -> str:
        return f"<relationships of {self._ds!r}>"
