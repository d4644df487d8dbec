"""Read a dataset folder (``nodes/<Label>.csv``, ``relationships/<TYPE>.csv``) and validate it.

Every problem is collected as an :class:`Issue` with its ``path:line: field: message``. When any
problem exists, :func:`read_dataset` raises one :class:`DatasetError` holding all of them and
returns nothing, so a bad dataset is never half loaded.

The work is done on whole columns (:mod:`~nldtib.dataset.csvtable` parses each file into raw
columns, :mod:`~nldtib.dataset.columns` checks each property): ids are dictionary-encoded once,
relationship ends and references become node indices, and duplicates are found by sorting. Line
numbers are looked up only for the rows a message names. The messages, their order and their
locations are those of a row-by-row reader: for each file in schema order, the file's own
problems, then bad values in line order, then each row's problems with ids, ends and identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DatasetError, Issue
from ..schema import Limits, Property, RelType, Schema, load_schema
from .columns import check_column
from .consistency import consistency_issues
from .csvtable import RawTable, read_table, shown
from .records import Dataset
from .tables import NodeTable, RelTable, frozen, ordered_columns

__all__ = ["read_dataset", "validate_dataset"]


def _a(label: str) -> str:
    """``an Item``, ``a Country``."""
    return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"


def _value(value: Any) -> str:
    """A value as messages quote it: its repr, a long string cut after 57 characters."""
    return repr(value[:57] + "..." if isinstance(value, str) and len(value) > 60 else value)


def _check_columns(
    table: RawTable, allowed: tuple[str, ...], required: list[str], what: str, issues: list[Issue]
) -> bool:
    ok = True
    for col in table.header:
        if col not in allowed:
            issues.append(Issue(table.path, 1, shown(col), f"unknown column for {what}; allowed: {', '.join(allowed)}"))
            ok = False
    for col in required:
        if col not in table.header:
            issues.append(Issue(table.path, 1, col, f"required column is missing for {what}"))
            ok = False
    return ok


def _convert(
    table: RawTable, props: Sequence[Property], indexed: Sequence[str], limits: Limits, issues: list[Issue]
) -> dict[str, pa.Array | None]:
    """Check every property column; report bad values in line order; return the typed columns."""
    n = len(table)
    found: list[tuple[int, int, str, str]] = []
    columns = {}
    for k, prop in enumerate(props):
        values, bad = check_column(prop, table.column(prop.name), n, limits, prop.name in indexed, table.multiline)
        columns[prop.name] = values
        found.extend((row, k, prop.name, msg) for row, msg in bad.items())
    if found:
        lines = table.lines
        issues.extend(Issue(table.path, int(lines[row]), name, msg) for row, _, name, msg in sorted(found))
    return columns


def _first_of(codes: np.ndarray) -> np.ndarray:
    """For each position, the first position holding the same code."""
    if not len(codes):
        return codes.astype(np.int64)
    order = np.argsort(codes, kind="stable")
    starts = np.ones(len(codes), dtype=bool)
    starts[1:] = codes[order][1:] != codes[order][:-1]
    first = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
    out = np.empty(len(codes), dtype=np.int64)
    out[order] = first
    return out


def _codes(values: pa.Array) -> np.ndarray:
    """Equal values get equal integer codes (null is a value of its own)."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


# ---------------------------------------------------------------------- node files
@dataclass
class _Defined:
    """The node ids defined so far (in file order), and where each was defined."""

    ids: list[pa.Array]
    files: list[int]  # per chunk of ids: which file
    lines: list[np.ndarray]  # per chunk: the line of each id
    paths: list[str]


def _read_nodes(
    label: str, table: RawTable, schema: Schema, defined: _Defined, issues: list[Issue]
) -> tuple[np.ndarray, dict[str, pa.Array | None]]:
    """Check one node file. Returns which rows define a node (valid id, first of its id) and the
    typed columns."""
    ntype = schema.node(label)
    columns = _convert(table, ntype.properties, ntype.indexed, schema.limits, issues)
    ids = columns["id"]
    n = len(table)
    has_id = np.zeros(n, dtype=bool) if ids is None else ids.is_valid().to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(has_id)
    lines = table.lines
    problems: list[tuple[int, int, Issue]] = []
    defines = has_id.copy()
    if len(rows):
        mine = ids.filter(pa.array(has_id)).cast(pa.string())
        before = sum(len(a) for a in defined.ids)
        everything = pa.concat_arrays([*(a.cast(pa.string()) for a in defined.ids), mine])
        first = _first_of(_codes(everything))[before:]
        for k in np.flatnonzero(first != np.arange(before, before + len(rows))).tolist():
            row, at = int(rows[k]), int(first[k])
            if at >= before:
                where = f"{table.path}:{int(lines[rows[at - before]])}"
            else:
                chunk = int(np.searchsorted(np.cumsum([len(a) for a in defined.ids]), at, side="right"))
                offset = at - sum(len(a) for a in defined.ids[:chunk])
                where = f"{defined.paths[defined.files[chunk]]}:{int(defined.lines[chunk][offset])}"
            message = f"duplicate id {_value(mine[k].as_py())} (first defined at {where})"
            problems.append((row, -1, Issue(table.path, int(lines[row]), "id", message)))
            defines[row] = False
        defined.ids.append(ids.filter(pa.array(defines)).cast(pa.string()))
        defined.files.append(len(defined.paths) - 1)
        defined.lines.append(lines[defines])
    for k, prop in enumerate(p for p in ntype.properties if p.unique):
        values = columns[prop.name]
        if values is None:
            continue
        candidates = np.flatnonzero(defines & values.is_valid().to_numpy(zero_copy_only=False))
        if not len(candidates):
            continue
        taken = values.take(pa.array(candidates))
        first = _first_of(_codes(taken))
        for j in np.flatnonzero(first != np.arange(len(candidates))).tolist():
            row, at = int(candidates[j]), int(candidates[first[j]])
            message = f"duplicate value {_value(taken[j].as_py())} (also on line {int(lines[at])})"
            problems.append((row, k, Issue(table.path, int(lines[row]), prop.name, message)))
    issues.extend(issue for *_, issue in sorted(problems, key=lambda p: p[:2]))
    return defines, columns


# ---------------------------------------------------------------------- relationship files
@dataclass
class _Nodes:
    """The nodes every relationship may refer to."""

    ids: pa.Array  # every defined id, in order: a node's index is its position
    label_codes: np.ndarray
    labels: tuple[str, ...]

    def index(self, values: pa.Array) -> np.ndarray:
        """The node index of each value (-1 when no node has that id, or the value is null).

        Hashes the values once and looks every node id up among their distinct values, which is
        cheaper than hashing every id again for each file."""
        encoded = pc.dictionary_encode(values)
        position = pc.index_in(self.ids, value_set=encoded.dictionary)
        known = position.is_valid().to_numpy(zero_copy_only=False)
        node_of = np.full(len(encoded.dictionary) + 1, -1, dtype=np.int64)  # the last: null values
        node_of[position.to_numpy(zero_copy_only=False)[known].astype(np.int64)] = np.flatnonzero(known)
        codes = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy(zero_copy_only=False)
        return node_of[codes]

    def allowed(self, labels: Sequence[str]) -> np.ndarray:
        """A lookup: label code -> whether it is one of ``labels``."""
        return np.isin(np.arange(len(self.labels) + 1), [self.labels.index(x) for x in labels if x in self.labels])


def _end_problems(
    rtype: RelType,
    nodes: _Nodes,
    ends: dict[str, tuple[pa.Array, np.ndarray]],
    refs: dict,
    row: int,
    line: int,
    path: str,
) -> list[Issue]:
    """The issues of one relationship row whose ends or references are missing, unknown or of the wrong label."""
    out = []
    for field, allowed in (("from", rtype.sources), ("to", rtype.targets)):
        text, index = ends[field]
        ref = text[row].as_py()
        i = int(index[row])
        if not ref:
            out.append(Issue(path, line, field, "required value is missing"))
        elif i < 0:
            out.append(Issue(path, line, field, f"unknown node id {_value(ref)}"))
        elif nodes.labels[nodes.label_codes[i]] not in allowed:
            label = nodes.labels[nodes.label_codes[i]]
            message = f"{_value(ref)} is {_a(label)}; {rtype.type} {field} must be {' or '.join(allowed)}"
            out.append(Issue(path, line, field, message))
    for prop, (values, index) in refs.items():
        ref = values[row].as_py()
        i = int(index[row])
        if ref is None:
            continue
        if i < 0:
            out.append(Issue(path, line, prop.name, f"unknown node id {_value(ref)}"))
        elif nodes.labels[nodes.label_codes[i]] not in prop.ref:
            label = nodes.labels[nodes.label_codes[i]]
            out.append(Issue(path, line, prop.name, f"{_value(ref)} is {_a(label)}; expected {' or '.join(prop.ref)}"))
    return out


def _read_rels(
    rel_type: str, table: RawTable, schema: Schema, nodes: _Nodes, issues: list[Issue]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    """Check one relationship file; returns which rows are valid relationships, the end indices
    and the typed columns."""
    rtype = schema.rel(rel_type)
    columns = _convert(table, rtype.properties, (), schema.limits, issues)
    ends_text = [pc.utf8_trim_whitespace(table.column(field)) for field in ("from", "to")]
    both = nodes.index(pa.concat_arrays(ends_text))
    src, dst = both[: len(table)], both[len(table) :]
    ends = {"from": (ends_text[0], src), "to": (ends_text[1], dst)}
    labels = nodes.label_codes  # index -1 (unknown) reads the last code, which no type allows
    bad = ~nodes.allowed(rtype.sources)[labels[src]] | ~nodes.allowed(rtype.targets)[labels[dst]]
    refs: dict[Property, tuple[pa.Array, np.ndarray]] = {}
    for prop in rtype.properties:
        values = columns[prop.name]
        if prop.type != "ref" or values is None:
            continue
        plain = values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values
        index = nodes.index(plain)
        bad |= plain.is_valid().to_numpy(zero_copy_only=False) & ~nodes.allowed(prop.ref)[labels[index]]
        refs[prop] = (plain, index)
    problems: list[tuple[int, Issue]] = []
    for row in np.flatnonzero(bad).tolist():
        line = int(table.lines[row])
        problems.extend((row, i) for i in _end_problems(rtype, nodes, ends, refs, row, line, table.path))
    ok = np.flatnonzero(~bad)
    by_name = {p.name: v for p, v in refs.items()}
    keys = [src[ok], dst[ok]]
    for k in rtype.key:
        if k in by_name:  # a reference: its node index (-1 when unset)
            keys.append(by_name[k][1][ok])
        else:
            values = columns[k]
            keys.append(np.zeros(len(ok), dtype=np.int64) if values is None else _codes(values.take(pa.array(ok))))
    first = _first_of(_group_codes(keys)) if len(ok) else np.zeros(0, dtype=np.int64)
    duplicate = first != np.arange(len(ok))
    for j in np.flatnonzero(duplicate).tolist():
        row = int(ok[j])
        key = "".join(f", {k}={_value(_at(by_name[k][0] if k in by_name else columns[k], row))}" for k in rtype.key)
        text = f"duplicate relationship {_value(_at(ends['from'][0], row))} -> {_value(_at(ends['to'][0], row))}"
        message = f"{text}{key} (also on line {int(table.lines[ok[first[j]]])})"
        problems.append((row, Issue(table.path, int(table.lines[row]), "", message)))
    valid = np.zeros(len(table), dtype=bool)
    valid[ok[~duplicate]] = True
    if rtype.max_per_source is not None:
        kept = ok[~duplicate]
        over = kept[_rank_within(src[kept]) >= rtype.max_per_source]
        valid[over] = False
        for row in over.tolist():
            message = (
                f"{_value(_at(ends['from'][0], row))} has more than {rtype.max_per_source} {rel_type} relationship(s)"
            )
            problems.append((row, Issue(table.path, int(table.lines[row]), "from", message)))
    issues.extend(issue for _, issue in sorted(problems, key=lambda p: p[0]))
    for prop, (_, index) in refs.items():
        unset = index < 0  # unset (or, with an issue reported above, unknown)
        codes = pa.array(np.where(unset, 0, index).astype(np.int32), mask=unset)
        columns[prop.name] = pa.DictionaryArray.from_arrays(codes, nodes.ids)
    return valid, src.astype(np.int32), dst.astype(np.int32), columns


def _at(values: pa.Array | None, row: int) -> Any:
    return None if values is None else values[row].as_py()


def _group_codes(keys: list[np.ndarray]) -> np.ndarray:
    """One code per distinct row of ``keys`` (equal rows, equal codes)."""
    spans = [int(k.max()) - int(k.min()) + 1 for k in keys]
    if float(np.prod(spans, dtype=np.float64)) < 2**62:  # one int64 per row: sort once
        combined = np.zeros(len(keys[0]), dtype=np.int64)
        for k, span in zip(keys, spans):
            combined = combined * span + (k - k.min())
        return combined
    order = np.lexsort(keys[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[0] = True
    for k in keys:
        s = k[order]
        change[1:] |= s[1:] != s[:-1]
    codes = np.empty(len(order), dtype=np.int64)
    codes[order] = np.cumsum(change) - 1
    return codes


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """For each position, how many earlier positions hold the same value."""
    if not len(groups):
        return groups
    order = np.argsort(groups, kind="stable")
    s = groups[order]
    start = np.ones(len(s), dtype=bool)
    start[1:] = s[1:] != s[:-1]
    first = np.flatnonzero(start)[np.cumsum(start) - 1]
    rank = np.empty(len(s), dtype=np.int64)
    rank[order] = np.arange(len(s)) - first
    return rank


# ---------------------------------------------------------------------- the folder
def _files(
    folder: Path, sub: str, known: dict, kind: str, issues: list[Issue], root_shown: str
) -> list[tuple[str, Path, str]]:
    where = folder / sub
    if not where.exists():
        return []
    if not where.is_dir():
        issues.append(Issue(f"{root_shown}/{sub}", 0, "", "expected a folder"))
        return []
    root = folder.resolve()
    found = []
    order = {name: i for i, name in enumerate(known)}
    for path in sorted(where.iterdir(), key=lambda p: (order.get(p.stem, len(order)), p.name)):
        if path.name.startswith("."):
            continue
        shown_path = f"{root_shown}/{sub}/{path.name}"
        if not path.resolve().is_relative_to(root):
            issues.append(
                Issue(shown_path, 0, "", "a link to a file outside the dataset folder; copy the file into the folder")
            )
            continue
        if path.suffix != ".csv" or not path.is_file():
            issues.append(Issue(shown_path, 0, "", f"not a .csv file; expected {sub}/<{kind}>.csv"))
            continue
        if path.stem not in known:
            issues.append(Issue(shown_path, 0, "", f"unknown {kind} {path.stem!r}; known: {', '.join(known)}"))
            continue
        found.append((path.stem, path, shown_path))
    return found  # in schema order, so messages such as "first defined at" are stable


def validate_dataset(folder: str | Path, schema: Schema | None = None) -> tuple[Dataset | None, list[Issue]]:
    """Read and validate a dataset folder, or a dataset workbook (``.xlsx``, see
    :mod:`nldtib.dataset.xlsx`). Returns the dataset (None if any issue) and the issues."""
    if str(folder).lower().endswith(".xlsx") and not Path(folder).is_dir():
        from .xlsx import read_workbook

        return read_workbook(folder, schema)
    return _validate(folder, schema or load_schema())


def _validate(folder: str | Path, schema: Schema) -> tuple[Dataset | None, list[Issue]]:
    folder_path = Path(folder)
    shown_root = str(folder).rstrip("/") or "."
    issues: list[Issue] = []
    if not folder_path.is_dir():
        return None, [Issue(shown_root, 0, "", "not a folder")]
    node_files = _files(folder_path, "nodes", schema.nodes, "label", issues, shown_root)
    rel_files = _files(folder_path, "relationships", schema.relationships, "relationship type", issues, shown_root)
    if not node_files and not issues:
        issues.append(Issue(shown_root, 0, "", "no nodes/<Label>.csv files found; is this a dataset folder?"))
    cell_chars = schema.limits.cell_chars

    defined = _Defined([], [], [], [])
    node_parts: list[tuple[str, np.ndarray, dict[str, pa.Array | None]]] = []
    for label, path, shown_path in node_files:
        ntype = schema.node(label)
        table = read_table(path, shown_path, issues, cell_chars)
        if table is None:
            continue
        required = [p.name for p in ntype.properties if p.required]
        if not _check_columns(table, ntype.columns, required, f"label {label}", issues):
            continue
        defined.paths.append(shown_path)
        defines, columns = _read_nodes(label, table, schema, defined, issues)
        node_parts.append((label, defines, columns))
    labels = tuple(label for label, _, _ in node_parts)
    ids = pa.concat_arrays(defined.ids) if defined.ids else pa.array([], pa.string())
    label_codes = np.concatenate(
        [np.full(int(d.sum()), k, dtype=np.int16) for k, (_, d, _) in enumerate(node_parts)] or [np.zeros(0, np.int16)]
    )
    nodes = _Nodes(ids, np.append(label_codes, len(labels)).astype(np.int64), labels)

    rel_parts: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]] = []
    rel_where: list[tuple[str, np.ndarray]] = []  # per file: its path and the line of each valid row
    for rel_type, path, shown_path in rel_files:
        rtype = schema.rel(rel_type)
        table = read_table(path, shown_path, issues, cell_chars)
        if table is None:
            continue
        required = ["from", "to"] + [p.name for p in rtype.properties if p.required]
        if not _check_columns(table, rtype.columns, required, f"relationship type {rel_type}", issues):
            continue
        valid, src, dst, columns = _read_rels(rel_type, table, schema, nodes, issues)
        rel_parts.append((rel_type, valid, src, dst, columns))
        rel_where.append((shown_path, table.lines[valid]))
    dataset = _dataset(schema, shown_root, nodes, node_parts, rel_parts)  # the valid records
    issues.extend(consistency_issues(dataset, _locator(dataset, defined, rel_where)))
    return (None, issues) if issues else (dataset, [])


def _locator(dataset: Dataset, defined: _Defined, rel_where: list[tuple[str, np.ndarray]]) -> Any:
    """``where(kind, key)`` for the consistency checks: the path and line of a node (by id) or of
    a relationship (by its index in ``dataset.rels``)."""
    node_lines = np.concatenate(defined.lines) if defined.lines else np.zeros(0, np.int64)
    node_files = np.concatenate([np.full(len(c), f) for c, f in zip(defined.lines, defined.files)] or [np.zeros(0)])

    def where(kind: str, key: Any) -> tuple[str, int]:
        if kind == "node":
            i = int(dataset.index_of([key])[0])
            return defined.paths[int(node_files[i])], int(node_lines[i])
        code, row = int(dataset._rel_type[key]), int(dataset._rel_row[key])
        path, lines = rel_where[code]
        return path, int(lines[row])

    return where


def _only(columns: dict[str, Any], rows: np.ndarray) -> dict[str, Any]:
    """The columns at the rows of a mask (all of them when every row is kept)."""
    if rows.all():
        return columns
    mask = pa.array(rows)
    return {k: None if v is None else v.filter(mask) for k, v in columns.items()}


def _dataset(
    schema: Schema,
    origin: str,
    nodes: _Nodes,
    node_parts: list[tuple[str, np.ndarray, dict[str, Any]]],
    rel_parts: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]],
) -> Dataset:
    """The valid records as a dataset: the rows that define a node, and the relationships whose
    ends, references and identity are right (bad values left out). With no issue, every row."""
    node_tables = {}
    start = 0
    rows = []
    for label, defines, columns in node_parts:
        count = int(defines.sum())
        props = {k: v for k, v in _only(columns, defines).items() if k != "id"}
        index = frozen(np.arange(start, start + count, dtype=np.int32))
        node_tables[label] = NodeTable(label, index, ordered_columns(schema.node(label).properties, props))
        rows.append(np.arange(count, dtype=np.int32))
        start += count
    rel_tables = {}
    rel_codes, rel_rows = [], []
    for k, (rel_type, valid, src, dst, columns) in enumerate(rel_parts):
        src, dst = src[valid], dst[valid]
        props = _only(columns, valid)
        rel_tables[rel_type] = RelTable(
            rel_type, frozen(src), frozen(dst), ordered_columns(schema.rel(rel_type).properties, props)
        )
        rel_codes.append(np.full(len(src), k, dtype=np.int16))
        rel_rows.append(np.arange(len(src), dtype=np.int32))
    return Dataset._from_columns(
        schema,
        origin,
        ids=nodes.ids,
        n_nodes=len(nodes.ids),
        labels=nodes.labels,
        node_label=nodes.label_codes[:-1].astype(np.int16),
        node_row=np.concatenate(rows) if rows else np.zeros(0, np.int32),
        node_tables=node_tables,
        types=tuple(t for t, *_ in rel_parts),
        rel_type=np.concatenate(rel_codes) if rel_codes else np.zeros(0, np.int16),
        rel_row=np.concatenate(rel_rows) if rel_rows else np.zeros(0, np.int32),
        rel_tables=rel_tables,
    )


def read_dataset(folder: str | Path, schema: Schema | None = None) -> Dataset:
    """Read and validate a dataset folder; raise :class:`DatasetError` with every issue if any."""
    dataset, issues = validate_dataset(folder, schema)
    if issues:
        raise DatasetError(issues)
    assert dataset is not None
    return dataset
