"""The reference reader: the row-by-row dataset reader that nldtib used before the columnar one.

It reads every CSV with the csv module, validates each column with the pydantic types and checks
ids, ends and identities one row at a time, in plain Python. It is slow and obviously right, so
``tests/test_dataset_columnar.py`` compares the columnar reader with it on generated inputs:
same issues, word for word and in the same order, and the same records. (Kept as it was, apart
from the imports; it knows nothing of the store limits and reports an unclosed quote where the
csv module stops. The cross-row checks are those of
``tests/reference_consistency.py``.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nldtib.dataset.cells import restore
from nldtib.dataset.csvtable import SEMICOLON_MESSAGE
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.types import validate_column
from nldtib.errors import Issue
from nldtib.perf import gc_paused
from nldtib.schema import Schema, load_schema

from reference_consistency import consistency_issues

__all__ = ["validate_dataset"]


@dataclass
class _Table:
    path: str
    columns: list[str]
    lines: list[int]  # line number of each data row
    cells: list[list[str]]


def _row_starts(text: str) -> list[int]:
    """The line on which each CSV row starts (rows may span lines inside quoted cells)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    starts = []
    end = 0
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts


def _read_table(path: Path, shown: str, issues: list[Issue]) -> _Table | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        issues.append(Issue(shown, 0, "", f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            Issue(
                shown,
                line,
                "",
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            )
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        issues.append(Issue(shown, line, "", "contains a NUL character; is this a CSV file?"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        parsed = list(reader)
    except csv.Error as exc:
        issues.append(Issue(shown, reader.line_num or 1, "", f"malformed CSV: {exc}"))
        return None
    if reader.line_num == len(parsed):
        starts: Any = range(1, len(parsed) + 1)  # every row is one line (the usual case)
    else:
        starts = _row_starts(text)  # some quoted cell spans lines
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    header_line = 0
    for row, start in zip(parsed, starts):
        if not row or (not row[0].strip() and not "".join(row).strip()):
            continue
        if header is None:
            header, header_line = [c.strip() for c in row], start
            continue
        if any(c[:1] == "'" for c in row):  # a cell written by cells.neutralise
            row = [restore(c) for c in row]
        rows.append(row)
        lines.append(start)
    if header is None:
        issues.append(Issue(shown, 1, "", "empty file: expected a header row"))
        return None
    if len(header) == 1 and ";" in header[0]:
        issues.append(Issue(shown, header_line, "", SEMICOLON_MESSAGE))
        return None
    ok = True
    seen: set[str] = set()
    for col in header:
        if col == "":
            issues.append(Issue(shown, header_line, "", "empty column name in header"))
            ok = False
        elif col in seen:
            issues.append(Issue(shown, header_line, col, "duplicate column"))
            ok = False
        seen.add(col)
    width = len(header)
    cells: list[list[str]] = []
    keep_lines: list[int] = []
    for row, line in zip(rows, lines):
        if len(row) != width:
            issues.append(Issue(shown, line, "", f"row has {len(row)} fields but the header has {width}"))
            continue
        cells.append(row)
        keep_lines.append(line)
    return _Table(shown, header, keep_lines, cells) if ok else None


def _check_columns(
    table: _Table, allowed: tuple[str, ...], required: list[str], what: str, issues: list[Issue]
) -> bool:
    ok = True
    for col in table.columns:
        if col not in allowed:
            issues.append(Issue(table.path, 1, col, f"unknown column for {what}; allowed: {', '.join(allowed)}"))
            ok = False
    for col in required:
        if col not in table.columns:
            issues.append(Issue(table.path, 1, col, f"required column is missing for {what}"))
            ok = False
    return ok


def _convert(table: _Table, props: dict[str, Any], issues: list[Issue]) -> list[dict[str, Any]]:
    """Validate every column; return one dict of set values per row (bad values left out)."""
    records: list[dict[str, Any]] = [{} for _ in table.cells]
    errors: list[Issue] = []
    columns = dict(zip(table.columns, zip(*table.cells))) if table.cells else {}
    for name, prop in props.items():
        column: Sequence[str | None] = columns.get(name) or [None] * len(table.cells)
        values, bad = validate_column(prop, column)
        for i, msg in bad.items():
            errors.append(Issue(table.path, table.lines[i], name, msg))
        for rec, value in zip(records, values):
            if value is not None:
                rec[name] = value
    errors.sort(key=lambda e: (e.line, list(props).index(e.field)))
    issues.extend(errors)
    return records


def _files(
    folder: Path, sub: str, known: dict, kind: str, issues: list[Issue], root_shown: str
) -> list[tuple[str, Path, str]]:
    where = folder / sub
    if not where.exists():
        return []
    if not where.is_dir():
        issues.append(Issue(f"{root_shown}/{sub}", 0, "", "expected a folder"))
        return []
    found = []
    order = {name: i for i, name in enumerate(known)}
    for path in sorted(where.iterdir(), key=lambda p: (order.get(p.stem, len(order)), p.name)):
        if path.name.startswith("."):
            continue
        shown = f"{root_shown}/{sub}/{path.name}"
        if path.suffix != ".csv" or not path.is_file():
            issues.append(Issue(shown, 0, "", f"not a .csv file; expected {sub}/<{kind}>.csv"))
            continue
        if path.stem not in known:
            issues.append(Issue(shown, 0, "", f"unknown {kind} {path.stem!r}; known: {', '.join(known)}"))
            continue
        found.append((path.stem, path, shown))
    return found  # in schema order, so messages such as "first defined at" are stable


def _refs_ok(rec: dict[str, Any], refs: list[Any], nodes: dict[str, Node]) -> bool:
    for prop in refs:
        ref = rec.get(prop.name)
        if ref is not None and (ref not in nodes or nodes[ref].label not in prop.ref):
            return False
    return True


def _a(label: str) -> str:
    """``an Item``, ``a Country``."""
    return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"


def _report_ends(
    rec: dict[str, Any],
    row: list[str],
    line: int,
    rtype: Any,
    fi: int,
    ti: int,
    refs: list[Any],
    nodes: dict[str, Node],
    shown: str,
    issues: list[Issue],
) -> None:
    """The issues of a relationship row whose ends or references are missing, unknown or of the wrong label."""
    rel_type = rtype.type
    for field, idx, allowed in (("from", fi, rtype.sources), ("to", ti, rtype.targets)):
        ref = row[idx].strip()
        if not ref:
            issues.append(Issue(shown, line, field, "required value is missing"))
        elif ref not in nodes:
            issues.append(Issue(shown, line, field, f"unknown node id {ref!r}"))
        elif nodes[ref].label not in allowed:
            issues.append(
                Issue(
                    shown,
                    line,
                    field,
                    f"{ref!r} is {_a(nodes[ref].label)}; {rel_type} {field} must be {' or '.join(allowed)}",
                )
            )
    for prop in refs:
        ref = rec.get(prop.name)
        if ref is None:
            continue
        if ref not in nodes:
            issues.append(Issue(shown, line, prop.name, f"unknown node id {ref!r}"))
        elif nodes[ref].label not in prop.ref:
            issues.append(
                Issue(shown, line, prop.name, f"{ref!r} is {_a(nodes[ref].label)}; expected {' or '.join(prop.ref)}")
            )


def validate_dataset(folder: str | Path, schema: Schema | None = None) -> tuple[Dataset | None, list[Issue]]:
    """Read and validate a dataset folder. Returns the dataset (None if any issue) and the issues."""
    with gc_paused():
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

    nodes: dict[str, Node] = {}
    where_defined: dict[str, tuple[str, int]] = {}
    for label, path, shown in node_files:
        ntype = schema.node(label)
        table = _read_table(path, shown, issues)
        if table is None:
            continue
        required = [p.name for p in ntype.properties if p.required]
        if not _check_columns(table, ntype.columns, required, f"label {label}", issues):
            continue
        props = {p.name: p for p in ntype.properties}
        uniques: dict[str, dict[Any, int]] = {p.name: {} for p in ntype.properties if p.unique}
        for rec, line in zip(_convert(table, props, issues), table.lines):
            node_id = rec.pop("id", None)
            if node_id is None:
                continue
            if node_id in where_defined:
                first_path, first_line = where_defined[node_id]
                issues.append(
                    Issue(shown, line, "id", f"duplicate id {node_id!r} (first defined at {first_path}:{first_line})")
                )
                continue
            for name, seen in uniques.items():
                if name in rec:
                    if rec[name] in seen:
                        issues.append(
                            Issue(shown, line, name, f"duplicate value {rec[name]!r} (also on line {seen[rec[name]]})")
                        )
                    else:
                        seen[rec[name]] = line
            where_defined[node_id] = (shown, line)
            nodes[node_id] = Node(node_id, label, rec)

    rels: list[Rel] = []
    rel_where: list[tuple[str, int]] = []  # (file, line) of each relationship, for the consistency checks
    for rel_type, path, shown in rel_files:
        rtype = schema.rel(rel_type)
        table = _read_table(path, shown, issues)
        if table is None:
            continue
        required = ["from", "to"] + [p.name for p in rtype.properties if p.required]
        if not _check_columns(table, rtype.columns, required, f"relationship type {rel_type}", issues):
            continue
        props = {p.name: p for p in rtype.properties}
        fi, ti = table.columns.index("from"), table.columns.index("to")
        seen_identity: dict[tuple, int] = {}
        per_source: dict[str, int] = {}
        refs = [p for p in rtype.properties if p.type == "ref"]
        for rec, row, line in zip(_convert(table, props, issues), table.cells, table.lines):
            src, dst = row[fi].strip(), row[ti].strip()
            ns, nd = nodes.get(src), nodes.get(dst)
            if (
                ns is None
                or nd is None
                or ns.label not in rtype.sources
                or nd.label not in rtype.targets
                or (refs and not _refs_ok(rec, refs, nodes))
            ):
                _report_ends(rec, row, line, rtype, fi, ti, refs, nodes, shown, issues)
                continue
            rel = Rel(rel_type, src, dst, rec)
            identity = (src, dst, *[rec.get(k) for k in rtype.key])
            if identity in seen_identity:
                key = "".join(f", {k}={rec.get(k)!r}" for k in rtype.key)
                issues.append(
                    Issue(
                        shown,
                        line,
                        "",
                        f"duplicate relationship {src!r} -> {dst!r}{key} (also on line {seen_identity[identity]})",
                    )
                )
                continue
            seen_identity[identity] = line
            if rtype.max_per_source is not None:
                per_source[rel.src] = per_source.get(rel.src, 0) + 1
                if per_source[rel.src] > rtype.max_per_source:
                    issues.append(
                        Issue(
                            shown,
                            line,
                            "from",
                            f"{rel.src!r} has more than {rtype.max_per_source} {rel_type} relationship(s)",
                        )
                    )
                    continue
            rels.append(rel)
            rel_where.append((shown, line))
    dataset = Dataset(schema, nodes, rels, shown_root)
    issues.extend(
        consistency_issues(dataset, lambda kind, key: where_defined[key] if kind == "node" else rel_where[key])
    )
    if issues:
        return None, issues
    return dataset, []
