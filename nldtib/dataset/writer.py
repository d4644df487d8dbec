"""Write a dataset in nldtib's folder format, in canonical order.

Canonical means: one file per label and type present, columns in schema order (only those with a
value somewhere, plus required ones), node rows sorted by id, relationship rows sorted by
endpoints and key. Reading the written folder gives back an equal dataset.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..perf import gc_paused
from ..schema import Property
from .cells import neutralise
from .records import Dataset, Node, Rel
from .types import format_value

__all__ = ["write_dataset"]


_TEXT_TYPES = frozenset({"string", "text", "url", "date", "enum", "ref"})
_NEUTRALISED = frozenset({"string", "text", "url", "list"})  # free text; numbers and checked values are not


def _column(prop: Property, props: list[dict[str, Any]]) -> list[str]:
    """The cells of one column: :func:`format_value` of each row's value, done column-wise, with
    text that a spreadsheet would run as a formula neutralised (:mod:`nldtib.dataset.cells`)."""
    name = prop.name
    if prop.type in _TEXT_TYPES:  # format_value is str(value); most values already are
        cells = ["" if v is None else v if type(v) is str else str(v) for v in (d.get(name) for d in props)]
    else:
        cells = [format_value(prop, d.get(name)) for d in props]
    if prop.type in _NEUTRALISED:
        cells = [neutralise(c) if c[:1] in "'=+-@\t\r" else c for c in cells]
    return cells


def _write_csv(path: Path, header: list[str], rows: Iterable[Sequence[str]], bom: bool = False) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_dataset(dataset: Dataset, folder: str | Path, bom: bool = False) -> Path:
    """Write ``dataset`` to ``folder`` (created; its nodes/ and relationships/ are replaced whole).

    The files are written to a temporary folder first and moved into place at the end, so an
    error never leaves a half-written dataset. ``bom`` starts each file with a UTF-8 byte order
    mark, which Excel needs to read accents right (the reader accepts both).
    """
    with gc_paused():
        return _write(dataset, folder, bom)


def _write(dataset: Dataset, folder: str | Path, bom: bool = False) -> Path:
    schema = dataset.schema
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".nldtib-write-", dir=target))
    try:
        (tmp / "nodes").mkdir()
        (tmp / "relationships").mkdir()
        by_label: dict[str, list[Node]] = {}
        for n in dataset.nodes.values():
            by_label.setdefault(n.label, []).append(n)
        for label, ntype in schema.nodes.items():
            nodes = sorted(by_label.get(label, ()), key=lambda n: n.id)
            if not nodes:
                continue
            props = [n.props for n in nodes]
            cols = [p for p in ntype.properties if p.name == "id" or p.required or any(p.name in d for d in props)]
            columns = [[n.id for n in nodes] if p.name == "id" else _column(p, props) for p in cols]
            _write_csv(tmp / "nodes" / f"{label}.csv", [p.name for p in cols], zip(*columns), bom)
        by_type: dict[str, list[Rel]] = {}
        for r in dataset.rels:
            by_type.setdefault(r.type, []).append(r)
        for rel_type, rtype in schema.relationships.items():
            rels = by_type.get(rel_type, [])
            if not rels:
                continue
            key_props = [rtype.prop(k) for k in rtype.key]
            rels.sort(key=lambda r: (r.src, r.dst) + tuple(format_value(p, r.props.get(p.name)) for p in key_props))
            props = [r.props for r in rels]
            cols = [p for p in rtype.properties if p.required or any(p.name in d for d in props)]
            columns = [[r.src for r in rels], [r.dst for r in rels]] + [_column(p, props) for p in cols]
            _write_csv(
                tmp / "relationships" / f"{rel_type}.csv", ["from", "to"] + [p.name for p in cols], zip(*columns), bom
            )
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
