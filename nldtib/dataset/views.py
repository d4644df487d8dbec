"""A dataset's records as objects: ``ds.nodes`` and ``ds.rels``, built from its columns.

:class:`NodeMap` (the nodes by id) builds :class:`~nldtib.dataset.records.Node` objects a few
thousand at a time, on first use, and the dataset keeps them (nodes are few). :class:`RelSeq`
builds :class:`~nldtib.dataset.records.Rel` objects as they are read and keeps none, so a loop
over the relationships of a large base never holds them all. Objects are made without running
``__init__``: each field is set for a whole block at once, in a C loop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from .records import Node, Props, Rel
from .tables import Column, RelTable, pylist

if TYPE_CHECKING:
    from .records import Dataset

__all__ = ["NodeMap", "RelSeq"]

_NODES = 4096  # nodes built per step (and kept)
_RELS = 16384  # relationships built per step
_new = object.__new__
_del_item = dict.__delitem__
_node_fields = tuple(Node.__dict__[k].__set__ for k in ("label", "id", "props"))
_rel_fields = tuple(Rel.__dict__[k].__set__ for k in ("type", "src", "dst", "props"))


def _build(cls: type, fields: tuple, count: int, first: Any, *others: Iterable[Any]) -> list[Any]:
    """``count`` frozen records of ``cls`` without running ``__init__``: ``first`` (the label or
    type, the same for all) and the values of the other fields, set field by field."""
    out = list(map(_new, repeat(cls, count)))
    deque(map(fields[0], out, repeat(first)), maxlen=0)
    for set_field, values in zip(fields[1:], others):
        deque(map(set_field, out, values), maxlen=0)
    return out


def _props(names: list[str], values: list[list[Any]], count: int) -> list[Props]:
    """One :class:`Props` per row from the columns' values (None: unset, left out), keys in
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


def _decoded(ds: Dataset, dictionary: pa.Array) -> list[Any]:
    """A dictionary's values as Python objects, decoded once per dataset (a reference column's
    dictionary is ``ds.ids``: its strings are those of every other reference)."""
    if len(dictionary) == len(ds.ids) and dictionary.buffers()[1].address == ds.ids.buffers()[1].address:
        return ds._id_list()
    key = ("dictionary", dictionary.buffers()[1].address, len(dictionary))  # lives as long as the dataset
    return ds._memoised(key, dictionary.to_pylist)


def _values(ds: Dataset, column: Column, rows: slice | np.ndarray) -> list[Any]:
    """The Python values of ``column`` at ``rows`` (a dictionary's strings are shared)."""
    if not isinstance(column, tuple) and pa.types.is_dictionary(column.type):
        part = column[rows] if isinstance(rows, slice) else column.take(pa.array(rows))
        lookup = _decoded(ds, column.dictionary)
        indices = part.indices.to_pylist()
        if part.null_count:
            return [None if i is None else lookup[i] for i in indices]
        return list(map(lookup.__getitem__, indices))
    return pylist(column, rows)


def node(ds: Dataset, i: int) -> Node:
    """The node of index ``i`` (built with its block on first use, then kept)."""
    code, row = int(ds.label_codes[i]), int(ds._node_row[i])
    key = (code, row // _NODES)
    block = ds._memo.get(key)
    if block is None:
        label = ds.labels[code]
        table = ds.node_tables[label]
        rows = slice(key[1] * _NODES, min((key[1] + 1) * _NODES, len(table)))
        count = rows.stop - rows.start
        names = list(table.columns)
        props = _props(names, [_values(ds, table.columns[k], rows) for k in names], count)
        node_ids = map(ds._id_list().__getitem__, table.index[rows].tolist())
        block = ds._memo[key] = _build(Node, _node_fields, count, label, node_ids, props)
    return block[row % _NODES]


def rels(ds: Dataset, table: RelTable, rows: slice | np.ndarray, count: int) -> list[Rel]:
    """The relationships of ``table`` at ``rows`` (a slice or an index array)."""
    ids = ds._id_list()
    names = list(table.columns)
    props = _props(names, [_values(ds, table.columns[k], rows) for k in names], count)
    src = map(ids.__getitem__, table.src[rows].tolist())
    dst = map(ids.__getitem__, table.dst[rows].tolist())
    return _build(Rel, _rel_fields, count, table.type, src, dst, props)


def _rel_block(ds: Dataset, start: int, stop: int) -> list[Rel]:
    """The relationships of load positions ``start..stop`` (mostly of one type, in one run)."""
    codes = ds._rel_type[start:stop]
    rows = ds._rel_row[start:stop]
    first = int(codes[0])
    if (codes == first).all() and int(rows[-1]) - int(rows[0]) == stop - start - 1:
        table = ds.rel_tables[ds._types[first]]
        return rels(ds, table, slice(int(rows[0]), int(rows[-1]) + 1), stop - start)
    out: list[Any] = [None] * (stop - start)
    for code in np.unique(codes).tolist():
        where = np.flatnonzero(codes == code)
        for k, r in zip(where.tolist(), rels(ds, ds.rel_tables[ds._types[code]], rows[where], len(where))):
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
        return node(self._ds, i)

    def __contains__(self, key: object) -> bool:
        return key in self._ds._index()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ds._id_list()[: len(self)])

    def __len__(self) -> int:
        return len(self._ds.label_codes)

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
        return map(node, repeat(ds), range(len(self._mapping)))


class _NodeItems(ItemsView):
    __slots__ = ()

    def __iter__(self) -> Iterator[tuple[str, Node]]:
        return zip(self._mapping, self._mapping.values())


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
        row = int(ds._rel_row[i])
        return rels(ds, ds.rel_tables[ds._types[int(ds._rel_type[i])]], slice(row, row + 1), 1)[0]

    def __iter__(self) -> Iterator[Rel]:
        n = len(self)
        for start in range(0, n, _RELS):
            yield from _rel_block(self._ds, start, min(n, start + _RELS))

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
