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
from pathlib import Path

from .model import format_value
from .records import Dataset

__all__ = ["write_dataset"]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_dataset(dataset: Dataset, folder: str | Path) -> Path:
    """Write ``dataset`` to ``folder`` (created; its nodes/ and relationships/ are replaced whole).

    The files are written to a temporary folder first and moved into place at the end, so an
    error never leaves a half-written dataset.
    """
    schema = dataset.schema
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".nldtib-write-", dir=target))
    try:
        (tmp / "nodes").mkdir()
        (tmp / "relationships").mkdir()
        for label, ntype in schema.nodes.items():
            nodes = sorted((n for n in dataset.nodes.values() if n.label == label), key=lambda n: n.id)
            if not nodes:
                continue
            cols = [p for p in ntype.properties if p.name == "id" or p.required or any(p.name in n.props for n in nodes)]
            rows = [[n.id if p.name == "id" else format_value(p, n.props.get(p.name)) for p in cols] for n in nodes]
            _write_csv(tmp / "nodes" / f"{label}.csv", [p.name for p in cols], rows)
        for rel_type, rtype in schema.relationships.items():
            rels = [r for r in dataset.rels if r.type == rel_type]
            if not rels:
                continue
            rels.sort(key=lambda r: (r.src, r.dst) + tuple(format_value(rtype.prop(k), r.props.get(k)) for k in rtype.key))
            cols = [p for p in rtype.properties if p.required or any(p.name in r.props for r in rels)]
            rows = [[r.src, r.dst] + [format_value(p, r.props.get(p.name)) for p in cols] for r in rels]
            _write_csv(tmp / "relationships" / f"{rel_type}.csv", ["from", "to"] + [p.name for p in cols], rows)
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
