"""Cross-row consistency of a dataset: the checks no single column can make.

The reader validates each row on its own; :func:`consistency_issues` then checks the rows
against each other, once, and reports each problem at the row that shows it:

- a ``valid_to`` that is not after its ``valid_from`` (any row, node or relationship);
- known shares of one slot summing over 100 % (with a 1-point tolerance): ``PRODUCES.share_pct``
  per (material, stage), ``SUPPLIES.share_pct`` per (consumer, item);
- ownership of one organisation summing over 100 % (1-point tolerance), in equity
  (``OWNED_BY.share_pct``) or in votes (``voting_pct`` where given, else ``share_pct``);
- self-loops: an organisation supplying or owning itself.

Sums only add rows that hold at the same time (their ``valid_from``/``valid_to`` overlap): a
sold stake and the stake that replaced it are not counted together. ``where(kind, key)`` gives
the ``(path, line)`` of a record: ``("node", id)`` or ``("rel", index into dataset.rels)``.

The checks run on the dataset's columns: rows with both dates, self-loops and groups whose
shares add up to more than 100 % are found with whole-column operations, and only those rows
are looked at one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Issue
from .classification import date_key
from .records import Dataset

__all__ = ["consistency_issues", "TOLERANCE"]

TOLERANCE = 1.0  # percentage points over 100 that a sum of shares may reach (rounding)
Where = Callable[[str, object], tuple[str, int]]
_CHECKS = (  # type, group (ends or properties), value, field, message
    ("PRODUCES", ("to", "stage"), "share_pct", "share_pct", "production shares of {0} ({1})"),
    ("SUPPLIES", ("to", "item"), "share_pct", "share_pct", "shares of {1} supplied to {0}"),
    ("OWNED_BY", ("from",), "share_pct", "share_pct", "ownership of {0}"),
    ("OWNED_BY", ("from",), "votes", "voting_pct", "voting rights in {0}"),
)


def _peak(rows: list[tuple[int, float, tuple[str, str]]]) -> tuple[float, int]:
    """The highest sum of values holding at one time, and the last row (index) of that sum."""
    best, at = 0.0, rows[0][0]
    for _, _, (start, _) in rows:  # a maximum is reached at some row's start
        active = [(i, v) for i, v, (s, e) in rows if s <= start < e]
        total = sum(v for _, v in active)
        if total > best:
            best, at = total, max(i for i, _ in active)
    return best, at


def _values(table: Any, name: str) -> list[Any]:
    return table.column(name).to_pylist()


def _both_dates(table: Any) -> list[tuple[int, str, str]]:
    """The rows whose ``valid_to`` is not after their ``valid_from``: (row, start, end)."""
    start, end = table.column("valid_from"), table.column("valid_to")
    both = np.flatnonzero(pc.and_(start.is_valid(), end.is_valid()).to_numpy(zero_copy_only=False))
    if not len(both):
        return []
    rows = pa.array(both)
    pairs = zip(both.tolist(), start.take(rows).to_pylist(), end.take(rows).to_pylist())
    return [(row, s, e) for row, s, e in pairs if date_key(e) <= date_key(s)]


class _Positions:
    """Where a row of a relationship table sits in ``dataset.rels`` (load order)."""

    def __init__(self, dataset: Dataset):
        self._ds = dataset

    def __call__(self, rel_type: str, rows: np.ndarray) -> np.ndarray:
        ds = self._ds
        code = ds._types.index(rel_type)
        of_type = np.flatnonzero(ds._rel_type == code)  # in load order, the table's rows in turn
        return of_type[rows]


def _sums(dataset: Dataset, positions: _Positions, check: tuple) -> list[tuple[int, float, tuple]]:
    """(row index in dataset.rels, total, group key) of each group whose shares, holding at the
    same time, add up to more than 100 % + TOLERANCE."""
    rel_type, group, value, _, _ = check
    table = dataset.rel_tables.get(rel_type)
    if table is None:
        return []
    share = table.column("share_pct", "number").cast(pa.float64())
    votes = table.column("voting_pct", "number").cast(pa.float64())
    values = pc.coalesce(votes, share) if value == "votes" else share
    counted = np.flatnonzero(values.is_valid().to_numpy(zero_copy_only=False))
    if not len(counted):
        return []
    amounts = values.to_numpy(zero_copy_only=False)[counted]
    parts = []
    for end in group:  # the group key as codes: node indices of ends, codes of property values
        if end in ("from", "to"):
            parts.append((table.src if end == "from" else table.dst)[counted].astype(np.int64))
        else:
            column = table.column(end)
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            encoded = pc.dictionary_encode(column.take(pa.array(counted)), null_encoding="encode")
            parts.append(encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64))
    key = np.unique(np.stack(parts, axis=1), axis=0, return_inverse=True)[1].reshape(-1)
    totals = np.bincount(key, weights=amounts)
    out = []
    over = np.flatnonzero(totals > 100 + TOLERANCE - 1e-6)  # the few over the limit, then exactly
    starts, ends = (_values(table, "valid_from"), _values(table, "valid_to")) if len(over) else ([], [])
    for g in over.tolist():
        rows = counted[key == g]
        index = positions(rel_type, rows)
        entries = [
            (
                int(i),
                float(v),
                (date_key(starts[r]) if starts[r] else "0000-00-00", date_key(ends[r]) if ends[r] else "9999-99-99"),
            )
            for i, v, r in zip(index.tolist(), values.take(pa.array(rows)).to_pylist(), rows.tolist())
        ]
        if sum(v for _, v, _ in entries) > 100 + TOLERANCE:
            total, at = _peak(entries)
            if total > 100 + TOLERANCE:
                row = int(rows[0])
                names = [
                    dataset.ids[int((table.src if end == "from" else table.dst)[row])].as_py()
                    if end in ("from", "to")
                    else table.column(end)[row].as_py()
                    for end in group
                ]
                out.append((at, total, tuple(names)))
    return sorted(out)


def consistency_issues(dataset: Dataset, where: Where) -> list[Issue]:
    """Every cross-row problem of ``dataset``, each at the row that shows it (see the module doc)."""
    issues: list[Issue] = []

    def add(kind: str, key: object, field: str, message: str) -> None:
        path, line = where(kind, key)
        issues.append(Issue(path, line, field, message))

    for table in dataset.node_tables.values():
        for row, start, end in _both_dates(table):
            node_id = dataset.ids[int(table.index[row])].as_py()
            add("node", node_id, "valid_to", f"{end} is not after valid_from {start}")
    positions = _Positions(dataset)
    for rel_type, table in dataset.rel_tables.items():
        found: list[tuple[int, str, str]] = []
        for row, start, end in _both_dates(table):
            found.append((row, "valid_to", f"{end} is not after valid_from {start}"))
        if rel_type in ("SUPPLIES", "OWNED_BY"):
            what = "supplies itself" if rel_type == "SUPPLIES" else "owns itself"
            for row in np.flatnonzero(table.src == table.dst).tolist():
                found.append((row, "to", f"{dataset.ids[int(table.src[row])].as_py()!r} {what} (a self-loop)"))
        if found:
            index = positions(rel_type, np.array([row for row, _, _ in found], dtype=np.int64))
            for i, (_, field, message) in zip(index.tolist(), found):
                add("rel", i, field, message)
    reported: set[tuple] = set()  # one issue per group (equity over 100 % makes votes over 100 % too)
    for check in _CHECKS:
        rel_type, _, _, field, what = check
        for at, total, key in _sums(dataset, positions, check):
            if (rel_type, key) not in reported:
                reported.add((rel_type, key))
                add("rel", at, field, f"{what.format(*key)}: known shares add up to {total:g} % at the same time")
    return sorted(issues, key=lambda e: (e.path, e.line, e.field))
