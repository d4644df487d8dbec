"""Load a validated dataset into Neo4j, and dump Neo4j back to a dataset folder.

Guarantees (see docs/neo4j.md):

- The dataset is validated in full before the first write (callers pass a :class:`Dataset`, which
  only exists once validated).
- Rows are written in batches, ``UNWIND $rows`` + ``MERGE`` on the node ``id`` and on the
  relationship identity (type, endpoints, key properties), then ``SET x = row.props``. So loading
  the same dataset twice changes nothing, and reloading changed data converges. (Into a database
  with no nldtib node at all, relationships are ``CREATE``d: none can exist yet. An interrupted
  first load is resumed with ``MERGE``, since its nodes exist by then. Do not run two loads at
  once.)
- A plain load adds and updates; it never deletes. ``replace=True`` also deletes the nodes
  (label ``NldtibNode``) and the schema-typed relationships between them that the dataset does not
  have. Nothing else in the database is touched.
- Up to ``single_transaction_limit`` records (nodes + relationships) the whole load, deletions
  included, is ONE transaction: other readers see the old graph or the new one, and an interrupted
  load changes nothing.
- Above it, each batch commits on its own. An interrupted load leaves every record written so far
  plus, for ``replace``, old records not yet deleted -- never a missing record of the dataset it
  already wrote, never a duplicate. Stale records are deleted only after every record of the
  dataset is written. A ``NldtibLoadState`` marker node exists from the first write to the end, so
  ``db status`` reports an interrupted load; rerunning the load completes it, and the result equals
  a clean load.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...dataset.reader import read_dataset
from ...dataset.records import Dataset
from ...dataset.writer import write_dataset
from ...schema import Schema
from .cypher import (
    META_LABEL,
    NODE_LABEL,
    check_rel_keys,
    node_delete,
    node_row,
    node_upsert,
    quote,
    rel_create,
    rel_delete,
    rel_row,
    rel_upsert,
)

__all__ = ["LoadReport", "load_dataset", "dump_dataset", "DEFAULT_BATCH_SIZE", "SINGLE_TRANSACTION_LIMIT"]

DEFAULT_BATCH_SIZE = 5000
SINGLE_TRANSACTION_LIMIT = 50_000
Progress = Callable[[int, int], None]  # (records done, records in all; grows once deletions are known)


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

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Batch:
    query: str
    params: dict[str, Any]
    size: int


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _write_batches(dataset: Dataset, batch_size: int, fresh: bool = False) -> list[_Batch]:
    """The upserts, nodes first. ``fresh`` (no nldtib node in the database yet): relationships
    are created rather than merged, which is about 15% faster and safe, since none exists."""
    schema = dataset.schema
    out: list[_Batch] = []
    for label in schema.nodes:
        rows = [node_row(n) for n in dataset.nodes.values() if n.label == label]
        q = node_upsert(schema, label)
        out.extend(_Batch(q, {"rows": chunk}, len(chunk)) for chunk in _chunks(rows, batch_size))
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.relationships}
    for r in dataset.rels:
        by_type[r.type].append(rel_row(schema.rel(r.type), r))
    for rel_type, rows in by_type.items():
        q = rel_create(schema, rel_type) if fresh else rel_upsert(schema, rel_type)
        out.extend(_Batch(q, {"rows": chunk}, len(chunk)) for chunk in _chunks(rows, batch_size))
    return out


def _stale(tx, dataset: Dataset) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
    """Ids of nodes and identities of relationships in the database that the dataset lacks."""
    schema = dataset.schema
    n = quote(NODE_LABEL)
    ids = [r[0] for r in tx.run(f"MATCH (x:{n}) RETURN x.id").values()]
    stale_nodes = [i for i in ids if i not in dataset.nodes]
    gone = set(stale_nodes)
    wanted = {r.identity(schema) for r in dataset.rels}
    stale_rels: dict[str, list[dict[str, Any]]] = {}
    for rel_type, rtype in schema.relationships.items():
        keys = ", ".join(f"r.{quote(k)}" for k in rtype.key)
        q = f"MATCH (a:{n})-[r:{quote(rel_type)}]->(b:{n}) RETURN a.id, b.id, [{keys}]"
        rows = []
        for src, dst, key in tx.run(q).values():
            if src in gone or dst in gone:
                continue  # goes with its node (DETACH DELETE)
            if (rel_type, src, dst, *key) not in wanted:
                rows.append({"src": src, "dst": dst, "key": key})
        if rows:
            stale_rels[rel_type] = rows
    return stale_nodes, stale_rels


def _delete_batches(
    schema: Schema, stale_nodes: list[str], stale_rels: dict[str, list[dict[str, Any]]], batch_size: int
) -> list[_Batch]:
    out = [
        _Batch(rel_delete(schema, t), {"rows": chunk}, len(chunk))
        for t, rows in stale_rels.items()
        for chunk in _chunks(rows, batch_size)
    ]
    out.extend(_Batch(node_delete(), {"ids": chunk}, len(chunk)) for chunk in _chunks(stale_nodes, batch_size))
    return out


def _is_empty(tx) -> bool:
    return tx.run(f"MATCH (x:{quote(NODE_LABEL)}) RETURN count(x) AS c").single()["c"] == 0


def _read_marker(tx) -> dict[str, Any] | None:
    rows = tx.run(f"MATCH (m:{quote(META_LABEL)}) RETURN properties(m) AS p").data()
    return rows[0]["p"] if rows else None


def load_dataset(
    store,
    dataset: Dataset,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    single_transaction_limit: int = SINGLE_TRANSACTION_LIMIT,
    progress: Progress | None = None,
) -> LoadReport:
    """Write ``dataset`` into ``store`` (a :class:`~nldtib.store.neo4j.Neo4jStore`); see the module doc."""
    t0 = time.perf_counter()
    schema = dataset.schema
    check_rel_keys(schema)
    created = store.init_schema()
    batch_size = max(1, batch_size)
    total = len(dataset.nodes) + len(dataset.rels)
    report = LoadReport(nodes=len(dataset.nodes), relationships=len(dataset.rels), created_schema=created)
    tick = progress or (lambda done, all_: None)
    tick(0, total)

    if total <= single_transaction_limit:

        def everything(tx) -> tuple[int, int, dict[str, Any] | None]:
            done = 0
            marker = _read_marker(tx)
            batches = _write_batches(dataset, batch_size, fresh=_is_empty(tx))
            for b in batches:
                tx.run(b.query, b.params).consume()
                done += b.size
                tick(done, total)
            deleted = (0, 0)
            if replace:
                stale_nodes, stale_rels = _stale(tx, dataset)
                deletes = _delete_batches(schema, stale_nodes, stale_rels, batch_size)
                grand = total + sum(b.size for b in deletes)
                for b in deletes:
                    tx.run(b.query, b.params).consume()
                    done += b.size
                    tick(done, grand)
                deleted = (len(stale_nodes), sum(len(v) for v in stale_rels.values()))
            if marker is not None:
                tx.run(f"MATCH (m:{quote(META_LABEL)}) DELETE m").consume()
            return deleted[0], deleted[1], marker

        report.deleted_nodes, report.deleted_relationships, report.resumed = store.write(everything)
        report.transactions = 1
    else:
        report.single_transaction = False
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")

        def mark(tx) -> dict[str, Any] | None:
            before = _read_marker(tx)
            tx.run(
                f"MERGE (m:{quote(META_LABEL)} {{id: 'load'}}) SET m.started = $started, m.mode = $mode, "
                "m.source = $source, m.records = $records",
                started=started,
                mode="replace" if replace else "load",
                source=dataset.origin,
                records=total,
            ).consume()
            return before

        fresh = store.read(_is_empty)
        batches = _write_batches(dataset, batch_size, fresh=fresh)
        report.resumed = store.write(mark)
        done = 0
        for b in batches:
            store.write(lambda tx, b=b: tx.run(b.query, b.params).consume())
            report.transactions += 1
            done += b.size
            tick(done, total)
        if replace:  # only once every record of the dataset is written
            stale_nodes, stale_rels = store.read(_stale, dataset)
            deletes = _delete_batches(schema, stale_nodes, stale_rels, batch_size)
            grand = total + sum(b.size for b in deletes)
            for b in deletes:
                store.write(lambda tx, b=b: tx.run(b.query, b.params).consume())
                report.transactions += 1
                done += b.size
                tick(done, grand)
            report.deleted_nodes = len(stale_nodes)
            report.deleted_relationships = sum(len(v) for v in stale_rels.values())
        store.write(lambda tx: tx.run(f"MATCH (m:{quote(META_LABEL)}) DELETE m").consume())
        report.transactions += 2
    report.seconds = time.perf_counter() - t0
    return report


def dump_dataset(store, folder: str | Path) -> Dataset:
    """Write the database to ``folder`` in the dataset format (canonical order) and return it.

    The folder is read back and validated like any dataset before this returns.
    """
    dataset = store.dataset()
    write_dataset(dataset, folder)
    return read_dataset(folder, dataset.schema)
