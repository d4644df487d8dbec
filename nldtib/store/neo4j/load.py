"""Load a validated dataset into Neo4j, and dump Neo4j back to a dataset folder.

Guarantees (see docs/neo4j.md):

- One writer at a time: a load holds the database's writer lock (:mod:`.lock`) from its first
  read to its last write; a second writer fails at once, naming the holder.
- The dataset is validated in full before the first write (callers pass a :class:`Dataset`, which
  only exists once validated).
- Rows are written in batches, ``UNWIND $rows`` + ``MERGE`` on the node ``id`` and on the
  relationship identity (type, endpoints, key properties), then ``SET x = row.props``. So loading
  the same dataset twice changes nothing, and reloading changed data converges. Into a database
  with no nldtib node at all, relationships are ``CREATE``d: none can exist yet.
- A plain load adds and updates; it never deletes. ``replace=True`` also deletes the nodes
  (label ``NldtibNode``) and the schema-typed relationships between them that the dataset does not
  have, and any duplicate copies of a relationship: every record it writes carries its stamp, and
  the server deletes what does not (nothing is read back). Into a database that started empty
  there is nothing to delete. Nothing else in the database is touched.
- Up to ``single_transaction_limit`` records (nodes + relationships) the whole load, deletions
  included, is ONE transaction: other readers see the old graph or the new one, and an interrupted
  load changes nothing.
- Above it, batches commit on their own; node batches several at once (``parallel``; a dataset
  never holds the same id twice, so concurrent batches never write the same record), relationship
  batches one after the other (:data:`REL_PARALLEL`). An interrupted load
  leaves every record written so far plus, for ``replace``, old records not yet deleted -- never a
  duplicate. Stale records are deleted only after every record of the dataset is written. A
  ``NldtibLoadState`` marker node exists from the first write to the end: while it is there,
  every read fails (unless the reader allows a partial graph) and ``db status`` reports the load;
  rerunning the load completes it, and the result equals a clean load.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...dataset.reader import read_dataset
from ...dataset.records import Dataset
from ...dataset.writer import write_dataset
from ...errors import StoreError
from ...schema import Schema
from .cypher import (
    META_LABEL,
    NODE_LABEL,
    check_rel_keys,
    dedupe_rels,
    delete_unstamped_nodes,
    delete_unstamped_rels,
    node_row,
    node_upsert,
    quote,
    rel_create,
    rel_row,
    rel_upsert,
)
from .lock import WriterLock

__all__ = [
    "LoadReport",
    "LoadInterrupted",
    "load_dataset",
    "repair",
    "dump_dataset",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_PARALLEL",
    "SINGLE_TRANSACTION_LIMIT",
]

DEFAULT_BATCH_SIZE = 5000
# Node batches run 3 at once (distinct ids: they never wait on each other). Relationship batches
# run one at a time: at M, concurrent ones deadlock on shared endpoints (countries, items, big
# suppliers) and the retries made the load about 2x slower (bench/bench_neo4j_load.py).
DEFAULT_PARALLEL = 3
REL_PARALLEL = 1
SINGLE_TRANSACTION_LIMIT = 50_000
Progress = Callable[[int, int], None]  # (records done, records in all)


@dataclass
class LoadReport:
    """What a load did."""

    nodes: int
    relationships: int
    deleted_nodes: int = 0
    deleted_relationships: int = 0
    transactions: int = 0
    single_transaction: bool = True
    resumed: dict[str, Any] | None = None
    seconds: float = 0.0
    created_schema: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds by step (bulk load)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class LoadInterrupted(StoreError):
    """A batched load stopped part-way (an error or Ctrl-C); the message says how to finish it."""


@dataclass
class _Batch:
    query: str
    params: dict[str, Any]
    size: int


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _write_batches(
    dataset: Dataset, batch_size: int, fresh: bool = False, stamp: str | None = None
) -> tuple[list[_Batch], list[_Batch]]:
    """The node upserts and the relationship upserts. ``fresh`` (no nldtib node in the database
    yet): relationships are created rather than merged, which is faster and safe, since none
    exists. ``stamp``: every record is marked with it (a replace)."""
    schema = dataset.schema
    extra = {"stamp": stamp} if stamp else {}
    mark = "$stamp" if stamp else None
    nodes: list[_Batch] = []
    by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in schema.nodes}
    for n in dataset.nodes.values():
        by_label[n.label].append(node_row(n))
    for label, rows in by_label.items():
        q = node_upsert(schema, label, stamp=mark)
        nodes.extend(_Batch(q, {"rows": chunk, **extra}, len(chunk)) for chunk in _chunks(rows, batch_size))
    rels: list[_Batch] = []
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.relationships}
    for r in dataset.rels:
        by_type[r.type].append(rel_row(schema.rel(r.type), r))
    for rel_type, rows in by_type.items():
        q = rel_create(schema, rel_type) if fresh else rel_upsert(schema, rel_type, stamp=mark)
        rels.extend(_Batch(q, {"rows": chunk, **extra}, len(chunk)) for chunk in _chunks(rows, batch_size))
    return nodes, rels


def _cleanup_params(schema: Schema, stamp: str) -> dict[str, Any]:
    return {
        "types": list(schema.relationships),
        "keys": {t: list(r.key) for t, r in schema.relationships.items()},
        "stamp": stamp,
    }


CLEANUP_STEPS = 3  # progress counts each deletion query of a replace as one unit


def _cleanup(
    run: Callable[[str, dict[str, Any]], Any],
    schema: Schema,
    stamp: str,
    batch: int | None,
    step: Callable[[int], None],
) -> tuple[int, int]:
    """Delete duplicate relationships, then what the load stamped ``stamp`` did not write.
    ``run(query, params)`` returns the summary counters; ``step(1)`` follows each of the
    :data:`CLEANUP_STEPS` queries. Returns (nodes, relationships) deleted."""
    params = _cleanup_params(schema, stamp)
    dup = run(dedupe_rels(schema, batch), params).relationships_deleted
    step(1)
    rels = run(delete_unstamped_rels(batch), params).relationships_deleted
    step(1)
    nodes_c = run(delete_unstamped_nodes(batch), params)
    step(1)
    return nodes_c.nodes_deleted, dup + rels + nodes_c.relationships_deleted


def _node_count(tx) -> int:
    return tx.run(f"MATCH (x:{quote(NODE_LABEL)}) RETURN count(x) AS c").single()["c"]


def _read_marker(tx) -> dict[str, Any] | None:
    rows = tx.run(f"MATCH (m:{quote(META_LABEL)}) RETURN properties(m) AS p").data()
    return rows[0]["p"] if rows else None


def _run_batches(store, batches: list[_Batch], parallel: int, lock: WriterLock, on_done: Callable[[int], None]) -> int:
    """Commit every batch, ``parallel`` at a time; stop at the first error. Returns the count."""

    def one(b: _Batch) -> int:
        store.write(lambda tx: tx.run(b.query, b.params).consume())
        return b.size

    if parallel <= 1:
        for b in batches:
            lock.check()
            on_done(one(b))
        return len(batches)
    with ThreadPoolExecutor(parallel, thread_name_prefix="nldtib-load") as pool:
        pending = set()
        todo = iter(batches)
        try:
            for b in todo:
                pending.add(pool.submit(one, b))
                if len(pending) >= parallel * 2:
                    done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                    for f in done:
                        on_done(f.result())
                    lock.check()
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for f in done:
                    on_done(f.result())
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    return len(batches)


def load_dataset(
    store,
    dataset: Dataset,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    single_transaction_limit: int = SINGLE_TRANSACTION_LIMIT,
    parallel: int = DEFAULT_PARALLEL,
    progress: Progress | None = None,
) -> LoadReport:
    """Write ``dataset`` into ``store`` (a :class:`~nldtib.store.neo4j.Neo4jStore`); see the module doc."""
    t0 = time.perf_counter()
    check_rel_keys(dataset.schema)
    with WriterLock(store, "load --replace" if replace else "load", dataset.origin) as lock:
        report = _load(store, dataset, lock, replace, max(1, batch_size), single_transaction_limit, parallel, progress)
    report.seconds = time.perf_counter() - t0
    return report


def _load(store, dataset, lock, replace, batch_size, single_transaction_limit, parallel, progress) -> LoadReport:
    schema = dataset.schema
    created = store.init_schema(locked=True)
    total = len(dataset.nodes) + len(dataset.rels)
    report = LoadReport(nodes=len(dataset.nodes), relationships=len(dataset.rels), created_schema=created)
    tick = progress or (lambda done, all_: None)
    stamp = lock.token

    if total <= single_transaction_limit:

        def everything(tx) -> tuple[int, int, dict[str, Any] | None]:
            marker = _read_marker(tx)
            fresh = _node_count(tx) == 0
            tick(0, total)
            node_batches, rel_batches = _write_batches(dataset, batch_size, fresh, None if fresh else stamp)
            done = 0
            for b in node_batches + rel_batches:
                tx.run(b.query, b.params).consume()
                done += b.size
                tick(done, total)
            deleted = (0, 0)
            if replace and not fresh:

                def step(n: int) -> None:
                    nonlocal done
                    done += n
                    tick(done, total + CLEANUP_STEPS)

                deleted = _cleanup(lambda q, p: tx.run(q, p).consume().counters, schema, stamp, None, step)
            if marker is not None:
                tx.run(f"MATCH (m:{quote(META_LABEL)}) DELETE m").consume()
            return deleted[0], deleted[1], marker

        report.deleted_nodes, report.deleted_relationships, report.resumed = store.write(everything)
        report.transactions = 1
        return report

    report.single_transaction = False
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def mark(tx) -> tuple[dict[str, Any] | None, bool]:
        before = _read_marker(tx)
        fresh = _node_count(tx) == 0
        tx.run(
            f"MERGE (m:{quote(META_LABEL)} {{id: 'load'}}) SET m.started = $started, m.mode = $mode, "
            "m.source = $source, m.records = $records",
            started=started,
            mode="replace" if replace else "load",
            source=dataset.origin,
            records=total,
        ).consume()
        return before, fresh

    report.resumed, fresh = store.write(mark)
    tick(0, total)
    node_batches, rel_batches = _write_batches(dataset, batch_size, fresh, None if fresh else stamp)
    done = 0
    grand = total + (CLEANUP_STEPS if replace and not fresh else 0)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        tick(done, grand)

    try:
        report.transactions += _run_batches(store, node_batches, parallel, lock, advance)
        report.transactions += _run_batches(store, rel_batches, min(parallel, REL_PARALLEL), lock, advance)
        if replace and not fresh:  # only once every record of the dataset is written
            lock.check()
            report.deleted_nodes, report.deleted_relationships = _cleanup(
                store.run_counted, schema, stamp, batch_size, advance
            )
            report.transactions += 3
    except BaseException as exc:
        raise _interrupted(exc, dataset, replace, done, total) from None
    store.write(lambda tx: tx.run(f"MATCH (m:{quote(META_LABEL)}) DELETE m").consume())
    report.transactions += 2
    return report


def _interrupted(exc: BaseException, dataset: Dataset, replace: bool, done: int, total: int) -> BaseException:
    """The one-line error of a batched load that stopped: what happened, and how to finish it."""
    if isinstance(exc, StoreError) and "another writer" in str(exc):
        return exc
    cause = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc).rstrip(".")
    again = f"nldtib db load {dataset.origin}{' --replace' if replace else ''}"
    return LoadInterrupted(
        f"{cause}; the load is partial ({done:,} of {total:,} records written): "
        f"rerun `{again}` to complete it (fix the cause first), or load the previous dataset with --replace; "
        "until then every read of this database fails"
    )


def repair(store) -> dict[str, int]:
    """Delete every copy but one of duplicate relationships (what two loads at once once left)."""
    schema = store.schema
    with WriterLock(store, "repair"):
        counters = store.run_counted(dedupe_rels(schema, DEFAULT_BATCH_SIZE), _cleanup_params(schema, ""))
    return {"deleted_duplicate_relationships": counters.relationships_deleted}


def dump_dataset(store, folder: str | Path) -> Dataset:
    """Write the database to ``folder`` in the dataset format (canonical order) and return it.

    The folder is read back and validated like any dataset before this returns.
    """
    dataset = store.dataset()
    write_dataset(dataset, folder)
    return read_dataset(folder, dataset.schema)
