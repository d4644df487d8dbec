"""The columns of a dataset: one table per node label and one per relationship type.

A :class:`~nldtib.dataset.records.Dataset` keeps its records as columns (pyarrow arrays), not as
one Python object per record. Every node has an integer index (its position in load order) and
every id is stored once, in ``Dataset.ids``; relationship ends and ``ref`` properties hold these
indices (dictionary encoding), so the projection and other vectorised consumers use them as they
are.

A column is a pyarrow array of the property's type: ``string`` (also for text, url, date and
enum; dictionary-encoded where values repeat, and always for ``ref`` properties, whose dictionary
is ``Dataset.ids``), ``int64``, ``float64``, ``bool`` or ``list<string>``; null means unset.
Only a dataset built from hand-made records whose values lack the schema's Python type (an
``int`` where the schema says number, say) keeps such a column as a tuple of the values as given,
so that reading a record back always gives exactly what was put in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import Any

import numpy as np
import pyarrow as pa

from ..perf import tune_arrow
from ..schema import Property, Schema

tune_arrow()

__all__ = [
    "Column",
    "NodeTable",
    "RelTable",
    "arrow_type",
    "make_column",
    "per_value",
    "pylist",
    "frozen",
    "from_records",
]

Column = pa.Array | tuple

_ARROW = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "list": pa.list_(pa.string()),
}
_PYTHON = {"integer": int, "number": float, "boolean": bool, "list": list}
_INT64 = (-(2**63), 2**63 - 1)


def arrow_type(prop: Property) -> pa.DataType:
    """The pyarrow type of a column of ``prop`` (string for every text-like type)."""
    return _ARROW.get(prop.type, pa.string())


def frozen(array: np.ndarray) -> np.ndarray:
    """``array``, made read-only."""
    array.flags.writeable = False
    return array


def _fits(prop_type: str | None, values: Sequence[Any]) -> bool:
    """Whether ``values`` (None = unset) all have the Python type the column type gives back."""
    py = _PYTHON.get(prop_type or "", str)
    if not set(map(type, values)) <= {py, type(None)}:
        return False
    if prop_type == "integer":
        return all(v is None or _INT64[0] <= v <= _INT64[1] for v in values)
    if prop_type == "list":
        return all(v is None or all(type(x) is str for x in v) for v in values)
    return True


def per_value(column: Column | None, fn: Any, n: int, dtype: Any = np.int64) -> np.ndarray:
    """``fn(value)`` for every value of a column (None where unset; an absent column is all
    unset), computed once per distinct value: whole-column mappings such as ranks and dates."""
    if column is None:
        return np.full(n, fn(None), dtype=dtype)
    if isinstance(column, tuple):
        return np.fromiter(map(fn, column), dtype=dtype, count=len(column))
    encoded = column if pa.types.is_dictionary(column.type) else column.dictionary_encode()
    mapped = np.array([fn(v) for v in encoded.dictionary.to_pylist()] + [fn(None)], dtype=dtype)
    return mapped[encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False)]


def make_column(prop_type: str | None, values: Sequence[Any]) -> Column | None:
    """A column of Python ``values`` (None = unset) of schema type ``prop_type`` (None: a
    property the schema does not declare). None when every value is unset."""
    if all(v is None for v in values):
        return None
    if _fits(prop_type, values):
        return pa.array(values, type=_ARROW.get(prop_type or "", pa.string()))
    return tuple(values)


def compact(column: pa.Array) -> pa.Array:
    """A string column dictionary-encoded when its values repeat (a source or a level), else as is."""
    if not pa.types.is_string(column.type) or len(column) < 64:
        return column
    encoded = column.dictionary_encode()
    return encoded if len(encoded.dictionary) * 4 <= len(column) else column


def pylist(column: Column, rows: slice | np.ndarray) -> list[Any]:
    """The Python values of ``column`` at ``rows`` (a slice or an index array)."""
    if isinstance(column, tuple):
        if isinstance(rows, slice):
            return list(column[rows])
        return [column[i] for i in rows.tolist()]
    part = column[rows] if isinstance(rows, slice) else column.take(pa.array(rows))
    return part.to_pylist()


def as_array(column: Column | None, n: int, prop_type: str | None = None) -> pa.Array:
    """``column`` as a pyarrow array of length ``n`` (all null when unset everywhere)."""
    if column is None:
        return pa.nulls(n, _ARROW.get(prop_type or "", pa.string()))
    if isinstance(column, tuple):
        try:
            return pa.array(list(column))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return pa.array([None if v is None else str(v) for v in column])
    return column


@dataclass(frozen=True, eq=False)
class NodeTable:
    """The nodes of one label: their global indices (ascending) and one column per property set
    on any of them (in schema order; ``id`` is ``Dataset.ids[index]``)."""

    label: str
    index: np.ndarray  # int32, the node index of each row
    columns: Mapping[str, Column]

    def __len__(self) -> int:
        return len(self.index)

    def column(self, name: str, prop_type: str | None = None) -> pa.Array:
        """The column ``name`` as a pyarrow array (all null when no row sets it)."""
        return as_array(self.columns.get(name), len(self.index), prop_type)


@dataclass(frozen=True, eq=False)
class RelTable:
    """The relationships of one type: ``src`` and ``dst`` (int32 indices into ``Dataset.ids``)
    and one column per property set on any of them."""

    type: str
    src: np.ndarray
    dst: np.ndarray
    columns: Mapping[str, Column]

    def __len__(self) -> int:
        return len(self.src)

    def column(self, name: str, prop_type: str | None = None) -> pa.Array:
        """The column ``name`` as a pyarrow array (all null when no row sets it)."""
        return as_array(self.columns.get(name), len(self.src), prop_type)


def ordered_columns(declared: Iterable[Property], found: Mapping[str, Column | None]) -> Mapping[str, Column]:
    """The set columns of ``found``: declared properties in schema order, then any others."""
    names = [p.name for p in declared if found.get(p.name) is not None]
    names += [k for k, v in found.items() if v is not None and k not in names]
    return MappingProxyType({k: found[k] for k in names})


def _types(schema: Schema, what: str, name: str) -> dict[str, Property]:
    entry = schema.nodes.get(name) if what == "node" else schema.relationships.get(name)
    return {p.name: p for p in entry.properties} if entry is not None else {}


def from_records(schema: Schema, nodes: Mapping[str, Any], rels: Iterable[Any]) -> dict[str, Any]:
    """The columns of hand-made records (``Node`` mapping by id, ``Rel`` iterable), in the form
    :meth:`Dataset._from_columns` takes. Ends and references that name no node get an index
    past the nodes (``Dataset.ids`` lists them after the node ids)."""
    ids = list(nodes)
    index = {node_id: i for i, node_id in enumerate(ids)}
    n = len(ids)

    def codes(values: list[Any]) -> list[int | None]:
        """The index of each id (None stays None); an id no node has gets the next free index."""
        found = list(map(index.get, values))
        for k in (k for k, (f, v) in enumerate(zip(found, values)) if f is None and v is not None):
            value = values[k]
            if value not in index:
                index[value] = len(ids)
                ids.append(value)
            found[k] = index[value]
        return found

    records = list(nodes.values())
    node_label, node_row, label_groups = _grouped(list(map(_label, records)))
    node_tables = {}
    for label, rows in label_groups.items():
        props = list(map(_props, _pick(records, rows)))
        node_tables[label] = (rows.astype(np.int32), _prop_columns(_types(schema, "node", label), props))

    rels = list(rels)
    rel_type, rel_row, type_groups = _grouped(list(map(_type, rels)))
    rel_tables = {}
    refs: dict[str, dict[str, list[Any]]] = {}
    for t, rows in type_groups.items():
        group = _pick(rels, rows)
        src = np.asarray(codes(list(map(_src, group))), dtype=np.int32)
        dst = np.asarray(codes(list(map(_dst, group))), dtype=np.int32)
        declared = _types(schema, "rel", t)
        columns = _prop_columns(declared, list(map(_props, group)))
        refs[t] = {
            name: codes(col.to_pylist())
            for name, col in columns.items()
            if name in declared and declared[name].type == "ref" and isinstance(col, pa.Array)
        }
        rel_tables[t] = (src, dst, columns)
    id_array = pa.array(ids, type=pa.string())
    for t, values in refs.items():
        src, dst, columns = rel_tables[t]
        columns = dict(columns)
        for name, found in values.items():
            columns[name] = pa.DictionaryArray.from_arrays(pa.array(found, type=pa.int32()), id_array)
        rel_tables[t] = (src, dst, MappingProxyType(columns))
    return {
        "ids": id_array,
        "n_nodes": n,
        "labels": tuple(label_groups),
        "node_label": node_label,
        "node_row": node_row,
        "node_tables": {k: NodeTable(k, frozen(idx), cols) for k, (idx, cols) in node_tables.items()},
        "types": tuple(type_groups),
        "rel_type": rel_type,
        "rel_row": rel_row,
        "rel_tables": {k: RelTable(k, frozen(s), frozen(d), cols) for k, (s, d, cols) in rel_tables.items()},
    }


_label, _type, _src, _dst, _props = (attrgetter(k) for k in ("label", "type", "src", "dst", "props"))


def _pick(items: list[Any], rows: np.ndarray) -> list[Any]:
    if len(rows) == len(items):
        return items
    return list(itemgetter(*rows.tolist())(items)) if len(rows) > 1 else [items[int(rows[0])]]


def _grouped(keys: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Group positions by key (in order of first appearance): each position's group code and row
    within its group, and each group's positions."""
    code_of = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    code = np.fromiter(map(code_of.__getitem__, keys), dtype=np.int16, count=len(keys))
    order = np.argsort(code, kind="stable")
    starts = np.searchsorted(code[order], np.arange(len(code_of) + 1))
    row = np.empty(len(keys), dtype=np.int32)
    row[order] = np.arange(len(keys)) - starts[code[order]]
    groups = {k: order[starts[i] : starts[i + 1]] for k, i in code_of.items()}
    return code, row, groups


def _prop_columns(declared: Mapping[str, Property], props: list[Mapping[str, Any]]) -> Mapping[str, Column]:
    names = dict.fromkeys(k for keys in dict.fromkeys(map(tuple, props)) for k in keys)
    found = {}
    for name in names:
        prop = declared.get(name)
        found[name] = make_column(prop.type if prop else None, list(map(dict.get, props, repeat(name))))
    return ordered_columns(declared.values(), found)


def ref_columns(table: RelTable, ids: pa.Array) -> list[pa.Array]:
    """The columns of ``table`` that hold node indices (dictionary-encoded over ``ids``)."""
    return [c for c in table.columns.values() if over(c, ids)]


def over(column: Column, ids: pa.Array) -> bool:
    """Whether ``column`` is dictionary-encoded over ``ids`` (a reference column)."""
    if isinstance(column, tuple) or not pa.types.is_dictionary(column.type):
        return False
    d = column.dictionary
    return len(d) == len(ids) and d.buffers()[1].address == ids.buffers()[1].address


def taken(column: Column, rows: np.ndarray) -> Column:
    if isinstance(column, tuple):
        return tuple(v for v, k in zip(column, rows.tolist()) if k)
    return column.filter(pa.array(rows))


def retargeted(column: Column, old_ids: pa.Array, ids: pa.Array, new_of: np.ndarray) -> Column:
    """A reference column over ``old_ids`` as one over ``ids`` (node indices renumbered)."""
    if not over(column, old_ids):
        return column
    old = column.indices.fill_null(0).to_numpy(zero_copy_only=False)
    valid = column.is_valid().to_numpy(zero_copy_only=False)
    codes = pa.array(np.where(valid, new_of[old], 0).astype(np.int32), mask=~valid)
    return pa.DictionaryArray.from_arrays(codes, ids)


def set_columns(columns: Mapping[str, Column]) -> Mapping[str, Column]:
    """Only the columns with a value left (read-only)."""
    return MappingProxyType(
        {
            k: v
            for k, v in columns.items()
            if (any(x is not None for x in v) if isinstance(v, tuple) else v.null_count < len(v))
        }
    )
