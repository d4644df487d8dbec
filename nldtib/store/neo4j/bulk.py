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


def _converter(prop: Property, delimiter: str) -> Callable[[Any], Any]:
    """How a value of ``prop`` becomes a cell (None: an empty, unquoted field, so no property)."""
    if prop.type == "list":
        return lambda v: delimiter.join(v) if v else None
    if prop.type == "boolean":
        return lambda v: None if v is None else ("true" if v else "false")
    if prop.type == "number":
        return lambda v: None if v is None else repr(float(v))
    return lambda v: v


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
    nodes: dict[str, list[Any]] = {label: [] for label in schema.nodes}
    for n in dataset.nodes.values():
        nodes[n.label].append(n)
    rels: dict[str, list[Any]] = {t: [] for t in schema.relationships}
    for r in dataset.rels:
        rels[r.type].append(r)

    def write(name: str, header: list[str], rows) -> None:
        with open(folder / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    def has_newline(records: list[Any], props: list[Property]) -> bool:
        text = [p.name for p in props if p.type == "text"]  # every other type is one line by validation
        return any(isinstance(v := rec.props.get(k), str) and ("\n" in v or "\r" in v) for rec in records for k in text)

    for label, ntype in schema.nodes.items():
        props = [p for p in ntype.properties if p.name != "id"]
        conv = [(p.name, _converter(p, delimiter)) for p in props]
        labels = f"{label}{delimiter}{NODE_LABEL}"  # :LABEL is split at the array delimiter
        multiline = multiline or has_newline(nodes[label], props)
        write(
            f"nodes-{label}.csv",
            ["id:ID", ":LABEL", *(_column(p) for p in props)],
            ([n.id, labels, *(c(n.props.get(k)) for k, c in conv)] for n in nodes[label]),
        )
        args.append(f"--nodes={folder / f'nodes-{label}.csv'}")
    for rel_type, rtype in schema.relationships.items():
        props = list(rtype.properties)
        conv = [(p.name, _converter(p, delimiter)) for p in props]
        multiline = multiline or has_newline(rels[rel_type], props)
        write(
            f"rels-{rel_type}.csv",
            [":START_ID", ":END_ID", ":TYPE", *(_column(p) for p in props)],
            ([r.src, r.dst, rel_type, *(c(r.props.get(k)) for k, c in conv)] for r in rels[rel_type]),
        )
        args.append(f"--relationships={folder / f'rels-{rel_type}.csv'}")
    for label, props in extra_nodes.items():
        names = [k for k in props if k != "id"]
        kinds = {k: ":long" if isinstance(props[k], int) else "" for k in names}
        write(
            f"extra-{label}.csv",
            [f"id:ID({label})", ":LABEL", *(f"{k}{kinds[k]}" for k in names)],
            [[props["id"], label, *(props[k] for k in names)]],
        )
        args.append(f"--nodes={folder / f'extra-{label}.csv'}")
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
    phases: dict[str, float] = {}
    mark = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name] = round(now - mark, 2)
        mark = now

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
            phase("files")
            tick(1, STEPS)
            lock.paused = True
            _run_importer(settings.importer, stage)
        _wait_for_server(store)
        phase("import_and_restart")
        lock.paused = False
        tick(2, STEPS)
        created = store.init_schema(locked=True)
        phase("constraints")
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
        phases=phases,
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
