"""Write a dataset in nldtib's folder format, in canonical order.

Canonical means: one file per label and type present, columns in schema order (only those with a
value somewhere, plus required ones), node rows sorted by id, relationship rows sorted by
endpoints and key. Reading the written folder gives back an equal dataset.

The work is done on the dataset's columns: each column is formatted as a whole (the cells of
:func:`format_value`), quoted as Python's ``csv`` module quotes (a cell with a comma, a quote or
a line break), sorted with one ``lexsort`` and written a block of rows at a time.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import Property
from .cells import FORMULA_START
from .records import Dataset
from .tables import Column

__all__ = ["write_dataset", "format_value"]

_ROWS = 1 << 20  # rows formatted and written at a time


def format_value(prop: Property, value: Any) -> str:
    """Render a validated value as a CSV cell (the inverse of validation)."""
    if value is None:
        return ""
    if prop.type == "list":
        return ";".join(value)
    if prop.type == "boolean":
        return "true" if value else "false"
    if prop.type == "number":
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e18 else repr(float(value))
    return str(value)


def _numbers(values: pa.Array) -> pa.Array:
    """``format_value`` of a float64 column: whole numbers as integers, others as ``repr``."""
    x = values.to_numpy(zero_copy_only=False)
    whole = np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < 1e18)
    cells = pc.cast(pa.array(np.where(whole, x, 0).astype(np.int64)), pa.string())
    other = np.flatnonzero(~whole & ~np.isnan(x))
    if len(other):  # fractions: Python's shortest repr, as the csv module would write it
        mask = np.zeros(len(x), dtype=bool)
        mask[other] = True
        cells = pc.replace_with_mask(cells, pa.array(mask), pa.array([repr(v) for v in x[other].tolist()]))
    return pc.if_else(values.is_valid(), cells, "")


def cells(prop: Property, column: Column | None, n: int) -> pa.Array:
    """The CSV cells of one column (``""`` where unset), before quoting."""
    if column is None:
        return pa.array([""] * n, pa.string()) if n else pa.array([], pa.string())
    if isinstance(column, tuple):
        return pa.array([format_value(prop, v) for v in column], pa.string())
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if prop.type == "number" and pa.types.is_floating(column.type):
        return _numbers(column)
    if prop.type == "boolean" and pa.types.is_boolean(column.type):
        text = pc.if_else(column, "true", "false")
    elif prop.type == "list" and pa.types.is_list(column.type):
        text = pc.binary_join(column, ";")
    else:
        text = pc.cast(column, pa.string())
    return pc.fill_null(text, "")


def _quoted(values: pa.Array) -> pa.Array:
    """Cells quoted as the csv module quotes them (and a cell with a lone carriage return, which
    it would leave bare and so break the row)."""
    needs = pc.match_substring_regex(values, '[,"\r\n]')
    if not pc.any(needs).as_py():
        return values
    doubled = pc.replace_substring(values, '"', '""')
    return pc.if_else(needs, pc.binary_join_element_wise('"', doubled, '"', ""), values)


def _write_csv(path: Path, header: list[str], columns: list[pa.Array], bom: bool = False) -> None:
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(header)
    with path.open("wb") as fh:
        fh.write(line.getvalue().encode("utf-8-sig" if bom else "utf-8"))
        n = len(columns[0]) if columns else 0
        for start in range(0, n, _ROWS):
            part = [_quoted(c.slice(start, _ROWS)) for c in columns]
            rows = pc.binary_join_element_wise(pc.binary_join_element_wise(*part, ","), "\n", "")
            offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32, count=len(rows) + 1, offset=4 * rows.offset)
            fh.write(memoryview(rows.buffers()[2])[int(offsets[0]) : int(offsets[-1])])


def _ranks(values: pa.Array) -> np.ndarray:
    """Dense ranks of ``values`` in Python string order (which is UTF-8 byte order)."""
    return pc.rank(values, sort_keys="ascending", tiebreaker="dense").to_numpy(zero_copy_only=False)


_NEUTRALISED = frozenset({"string", "text", "url", "list"})  # free text; numbers and checked values are not
_FORMULA = "^'*[" + re.escape(FORMULA_START) + "]"


def _neutralised(prop: Property, values: pa.Array) -> pa.Array:
    """Text cells that a spreadsheet would run as a formula, with one apostrophe in front
    (:func:`nldtib.dataset.cells.neutralise`, column-wise); other types are left as they are."""
    if prop.type not in _NEUTRALISED or not len(values):
        return values
    risky = pc.match_substring_regex(values, _FORMULA)
    if not pc.any(risky).as_py():
        return values
    return pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)


def write_dataset(dataset: Dataset, folder: str | Path, bom: bool = False) -> Path:
    """Write ``dataset`` to ``folder`` (created; its nodes/ and relationships/ are replaced whole).

    The files are written to a temporary folder first and moved into place at the end, so an
    error never leaves a half-written dataset. ``bom`` starts each file with a UTF-8 byte order
    mark, which Excel needs to read accents right (the reader accepts both).
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".nldtib-write-", dir=target))
    try:
        (tmp / "nodes").mkdir()
        (tmp / "relationships").mkdir()
        _write_tables(dataset, tmp, bom)
        for sub in ("nodes", "relationships"):
            final = target / sub
            if final.exists():
                old = target / f".{sub}.old"
                if old.exists():
                    shutil.rmtree(old)
                os.replace(final, old)
                os.replace(tmp / sub, final)
                shutil.rmtree(old)
            else:
                os.replace(tmp / sub, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_tables(dataset: Dataset, tmp: Path, bom: bool) -> None:
    schema = dataset.schema
    ids = dataset.ids
    for label, ntype in schema.nodes.items():
        table = dataset.node_tables.get(label)
        if table is None or not len(table):
            continue
        n = len(table)
        node_ids = ids.take(pa.array(table.index))
        order = pc.sort_indices(node_ids)
        cols = [p for p in ntype.properties if p.name != "id" and (p.required or p.name in table.columns)]
        columns = [node_ids.take(order)] + [
            _neutralised(p, cells(p, table.columns.get(p.name), n)).take(order) for p in cols
        ]
        _write_csv(tmp / "nodes" / f"{label}.csv", ["id"] + [p.name for p in cols], columns, bom)
    id_rank = None
    for rel_type, rtype in schema.relationships.items():
        table = dataset.rel_tables.get(rel_type)
        if table is None or not len(table):
            continue
        if id_rank is None:
            id_rank = _ranks(ids)
        n = len(table)
        cols = [p for p in rtype.properties if p.required or p.name in table.columns]
        formatted = {p.name: cells(p, table.columns.get(p.name), n) for p in cols}
        keys = [_ranks(formatted[k] if k in formatted else cells(rtype.prop(k), None, n)) for k in reversed(rtype.key)]
        order = pa.array(np.lexsort([*keys, id_rank[table.dst], id_rank[table.src]]))
        ends = [ids.take(pa.array(table.src)).take(order), ids.take(pa.array(table.dst)).take(order)]
        columns = ends + [_neutralised(p, formatted[p.name]).take(order) for p in cols]
        _write_csv(tmp / "relationships" / f"{rel_type}.csv", ["from", "to"] + [p.name for p in cols], columns, bom)
