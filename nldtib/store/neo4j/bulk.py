"""``db load --bulk``: a first load through Neo4j's own importer (``neo4j-admin database import``).

The dataset is written as the importer's CSV files: one file per label (header
``id:ID,:LABEL,name,employees:long,aliases:string[],...``, labels ``<Label>;NldtibNode``) and
one per relationship type (``:START_ID,:END_ID,:TYPE,...``), with exactly the properties and
value types a normal load stores. The writer-lock node and the unfinished-load marker are
imported too, so the database comes up locked and marked until the constraints are in place.

The importer rewrites the whole database with the server stopped, so it must run on the
server's machine: ``NLDTIB_NEO4J_IMPORTER`` names a command that stops the server, runs the
importer with the arguments in ``<stage>/import.args`` and starts the server again
(``tools/neo4j-local`` exports one for its own server). Without it (a remote server) the bulk
path says so in one line and points to the normal load.
"""

from __future__ import annotations

import csv
import os
import shlex
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...dataset.records import Dataset
from ...errors import ConfigError, StoreError
from ...schema import Property
from .cypher import LOCK_LABEL, META_LABEL, NODE_LABEL, check_rel_keys, quote
from .load import LoadReport
from .lock import LOCK_TTL_MS, WriterLock

__all__ = ["bulk_load", "write_import_files"]

_TYPES = {"integer": "long", "number": "double", "boolean": "boolean", "list": "string[]"}
_ARRAY_DELIMITERS = "\x1f\x1e\x1d\x1c\x07\x01"  # control characters no list value is expected to hold
STEPS = 4  # progress: files written, imported, constraints in place, unlocked


def _column(prop: Property) -> str:
    kind = _TYPES.get(prop.type)
    return f"{prop.name}:{kind}" if kind else prop.name


def _cell(prop: Property, value: Any, delimiter: str) -> Any:
    if value is None or value == []:
        return None  # an empty, unquoted field: no property
    if prop.type == "list":
        return delimiter.join(value)
    if prop.type == "boolean":
        return "true" if value else "false"
    if prop.type == "number":
        return repr(float(value))
    return value


def _array_delimiter(dataset: Dataset) -> str:
    values = [
        v
        for record in (*dataset.nodes.values(), *dataset.rels)
        for prop in record.props.values()
        if isinstance(prop, (list, tuple))
        for v in prop
    ]
    for d in _ARRAY_DELIMITERS:
        if not any(d in v for v in values):
            return d
    raise StoreError("--bulk: every candidate array delimiter occurs in a list value; use the normal load")


def write_import_files(
    dataset: Dataset, folder: Path, database: str, extra_nodes: dict[str, dict[str, Any]]
) -> list[str]:
    """Write the importer's files into ``folder``; return the importer's arguments (after
    ``database import full``). ``extra_nodes``: label -> properties of one more node each (the
    lock and the marker), imported in ID groups of their own."""
    schema = dataset.schema
    delimiter = _array_delimiter(dataset)
    multiline = False
    args = [database, "--overwrite-destination=true", f"--array-delimiter=U+{ord(delimiter):04X}"]

    def writer(name: str):
        fh = open(folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115  (closed by the caller's `with`)
        return fh, csv.writer(fh, lineterminator="\n")

    for label, ntype in schema.nodes.items():
        props = [p for p in ntype.properties if p.name != "id"]
        fh, w = writer(f"nodes-{label}.csv")
        with fh:
            w.writerow(["id:ID", ":LABEL", *(_column(p) for p in props)])
            labels = f"{label}{delimiter}{NODE_LABEL}"  # :LABEL is split at the array delimiter
            for n in dataset.nodes.values():
                if n.label != label:
                    continue
                row = [n.id, labels, *(_cell(p, n.props.get(p.name), delimiter) for p in props)]
                multiline = multiline or any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in row)
                w.writerow(row)
        args.append(f"--nodes={folder / fh.name}")
    for rel_type, rtype in schema.relationships.items():
        props = list(rtype.properties)
        fh, w = writer(f"rels-{rel_type}.csv")
        with fh:
            w.writerow([":START_ID", ":END_ID", ":TYPE", *(_column(p) for p in props)])
            for r in dataset.rels:
                if r.type != rel_type:
                    continue
                row = [r.src, r.dst, rel_type, *(_cell(p, r.props.get(p.name), delimiter) for p in props)]
                multiline = multiline or any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in row)
                w.writerow(row)
        args.append(f"--relationships={folder / fh.name}")
    for label, props in extra_nodes.items():
        fh, w = writer(f"extra-{label}.csv")
        names = [k for k in props if k != "id"]
        with fh:
            kinds = {k: ":long" if isinstance(props[k], int) else "" for k in names}
            w.writerow([f"id:ID({label})", ":LABEL", *(f"{k}{kinds[k]}" for k in names)])
            w.writerow([props["id"], label, *(props[k] for k in names)])
        args.append(f"--nodes={folder / fh.name}")
    args.append(f"--multiline-fields={'true' if multiline else 'false'}")
    return args


def _quote_arg(arg: str) -> str:
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _foreign_and_ours(tx) -> tuple[int, int]:
    row = tx.run(
        f"MATCH (n) WHERE NOT n:{quote(LOCK_LABEL)} AND NOT n:{quote(META_LABEL)} "
        f"RETURN count(n) AS all, count(CASE WHEN n:{quote(NODE_LABEL)} THEN 1 END) AS ours"
    ).single()
    return row["all"] - row["ours"], row["ours"]


def bulk_load(
    store, dataset: Dataset, *, replace: bool = False, progress: Callable[[int, int], None] | None = None
) -> LoadReport:
    """Load ``dataset`` with the importer into an empty database (or, with ``replace``, one that
    holds only nldtib's records); see the module doc."""
    t0 = time.perf_counter()
    check_rel_keys(dataset.schema)
    settings = store.settings
    if not settings.importer:
        raise ConfigError(
            f"--bulk runs Neo4j's importer next to the server, which nldtib cannot reach for {settings.shown_uri} "
            "(NLDTIB_NEO4J_IMPORTER is not set; tools/neo4j-local sets it for its own server): "
            "use the normal load, `nldtib db load DIR`"
        )
    tick = progress or (lambda done, all_: None)
    with WriterLock(store, "load --bulk", dataset.origin) as lock:
        foreign, ours = store.read(_foreign_and_ours)
        if foreign:
            raise StoreError(
                f"the database holds {foreign:,} nodes that nldtib does not own, and a bulk import replaces the "
                "whole database: use the normal load (`nldtib db load DIR`, with --replace to replace nldtib's records)"
            )
        if ours and not replace:
            raise StoreError(
                f"the database is not empty ({ours:,} nldtib nodes): --bulk replaces the whole database, so give "
                "--replace to do that, or use the normal load to add and update"
            )
        tick(0, STEPS)
        with tempfile.TemporaryDirectory(prefix="nldtib-bulk-") as tmp:
            stage = Path(tmp)
            lock_props = {
                "id": "writer",
                **{k: v for k, v in lock.params().items() if k != "ttl"},
                "since": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                "expires": int(time.time() * 1000) + LOCK_TTL_MS,
            }
            marker = {
                "id": "load",
                "mode": "bulk",
                "source": dataset.origin,
                "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "records": len(dataset.nodes) + len(dataset.rels),
            }
            args = write_import_files(dataset, stage, settings.database, {LOCK_LABEL: lock_props, META_LABEL: marker})
            (stage / "import.args").write_text("\n".join(_quote_arg(a) for a in args) + "\n", encoding="utf-8")
            os.chmod(stage, 0o755)  # the importer may run as the server's user
            tick(1, STEPS)
            lock.paused = True
            _run_importer(settings.importer, stage)
        _wait_for_server(store)
        lock.paused = False
        tick(2, STEPS)
        created = store.init_schema(locked=True)
        tick(3, STEPS)
        store.write(lambda tx: tx.run(f"MATCH (m:{quote(META_LABEL)}) DELETE m").consume())
    tick(STEPS, STEPS)
    return LoadReport(
        nodes=len(dataset.nodes),
        relationships=len(dataset.rels),
        deleted_nodes=ours,
        single_transaction=False,
        seconds=time.perf_counter() - t0,
        created_schema=created,
    )


def _run_importer(importer: str, stage: Path) -> None:
    command = [*shlex.split(importer), str(stage)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise ConfigError(f"NLDTIB_NEO4J_IMPORTER: cannot run {command[0]}: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        lines = [x for x in (proc.stderr or proc.stdout).strip().splitlines() if x.strip()]
        last = lines[-1] if lines else f"exit code {proc.returncode}"
        raise StoreError(f"the bulk import failed: {last}")


def _wait_for_server(store, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            store.verify()
            return
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)
