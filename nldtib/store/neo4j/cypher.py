"""Cypher derived from the schema: constraints, indexes, and the batched write and read queries.

Labels, relationship types and property names are formatted into Cypher text only from the schema
(and backtick-quoted); every value travels as a query parameter. So ids, names and parameters with
quotes, backticks, ``}`` or ``//`` are stored and read back verbatim.

Storage model: each node carries its schema label plus the shared label ``NldtibNode``, which has
a uniqueness constraint on ``id`` (ids are unique across the whole dataset, not per label) and
gives one index for every lookup by id. Node and relationship properties are the record's
properties with their native types (lists, booleans, integers, floats; dates as ISO strings).
A relationship is identified by its type, endpoints and the type's key properties (``Rel.identity``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...dataset.records import Node, Rel
from ...errors import SchemaError
from ...schema import RelType, Schema

__all__ = [
    "NODE_LABEL",
    "META_LABEL",
    "LOCK_LABEL",
    "STAMP",
    "dedupe_rels",
    "delete_unstamped_rels",
    "delete_unstamped_nodes",
    "quote",
    "SchemaStatement",
    "schema_statements",
    "node_upsert",
    "rel_upsert",
    "rel_create",
    "node_delete",
    "rel_delete",
    "node_row",
    "rel_row",
    "rel_key_of",
    "check_rel_keys",
]

NODE_LABEL = "NldtibNode"  # on every node nldtib loads; unique id across labels
META_LABEL = "NldtibLoadState"  # one node while a multi-transaction load is in progress
LOCK_LABEL = "NldtibLock"  # one node while a writer (load, replace, bulk, init) works
STAMP = "_nldtib_load"  # the replace that last wrote a record; not a schema property, never read back
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def quote(name: str) -> str:
    """Backtick-quote a schema name. Only names that are plain identifiers are accepted."""
    if not _NAME.match(name):
        raise SchemaError(f"{name!r} cannot be used as a Neo4j label, type or property name")
    return f"`{name}`"


@dataclass(frozen=True)
class SchemaStatement:
    """One constraint or index: its name, kind (``constraint`` or ``index``) and Cypher."""

    name: str
    kind: str
    cypher: str


def schema_statements(schema: Schema) -> list[SchemaStatement]:
    """Every constraint and index nldtib expects, in a stable order (all ``IF NOT EXISTS``)."""
    out = [
        SchemaStatement(
            "nldtib_node_id",
            "constraint",
            f"CREATE CONSTRAINT nldtib_node_id IF NOT EXISTS FOR (n:{quote(NODE_LABEL)}) REQUIRE n.id IS UNIQUE",
        )
    ]
    for label, ntype in schema.nodes.items():
        q = quote(label)
        low = label.lower()
        out.append(
            SchemaStatement(
                f"nldtib_{low}_id",
                "constraint",
                f"CREATE CONSTRAINT nldtib_{low}_id IF NOT EXISTS FOR (n:{q}) REQUIRE n.id IS UNIQUE",
            )
        )
        for prop in ntype.properties:
            if prop.unique and prop.name != "id":
                name = f"nldtib_{low}_{prop.name}"
                out.append(
                    SchemaStatement(
                        name,
                        "constraint",
                        f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{q}) REQUIRE n.{quote(prop.name)} IS UNIQUE",
                    )
                )
        out.append(
            SchemaStatement(
                f"nldtib_{low}_name", "index", f"CREATE INDEX nldtib_{low}_name IF NOT EXISTS FOR (n:{q}) ON (n.name)"
            )
        )
    return out


def _stamp(var: str, stamp: str | None) -> str:
    return f", {var}.{quote(STAMP)} = {stamp}" if stamp else ""


def node_upsert(schema: Schema, label: str, rows: str = "$rows", stamp: str | None = None) -> str:
    """``UNWIND $rows`` query that creates or updates nodes of ``label`` (rows from :func:`node_row`).

    ``SET n = row.props`` replaces every property, so properties no longer set are removed and a
    reload of changed data converges. Other schema labels are removed (an id may change label).
    ``rows`` is the list the query unwinds: a parameter for ``db load``, a literal list for the
    Cypher export (so both write exactly the same graph). ``stamp`` (``$stamp`` for a replace)
    marks each record with the load that wrote it, so the records it did not write can be deleted
    on the server afterwards.
    """
    others = [quote(x) for x in schema.nodes if x != label]
    remove = f"\nREMOVE n:{':'.join(others)}" if others else ""
    return (
        f"UNWIND {rows} AS row\n"
        f"MERGE (n:{quote(NODE_LABEL)} {{id: row.id}})\n"
        f"SET n = row.props{_stamp('n', stamp)}, n:{quote(label)}{remove}"
    )


def _key_pattern(rtype: RelType) -> str:
    if not rtype.key:
        return ""
    return " {" + ", ".join(f"{quote(k)}: row.key[{i}]" for i, k in enumerate(rtype.key)) + "}"


def check_rel_keys(schema: Schema) -> None:
    """Key properties take part in MERGE patterns, where null is not allowed."""
    for rtype in schema.relationships.values():
        for k in rtype.key:
            prop = rtype.prop(k)
            if prop is None or not (prop.required or prop.default is not None):
                raise SchemaError(f"relationships.{rtype.type}: key {k!r} must be required or have a default")


def rel_upsert(schema: Schema, rel_type: str, rows: str = "$rows", stamp: str | None = None) -> str:
    """``UNWIND $rows`` query that creates or updates relationships (rows from :func:`rel_row`)."""
    rtype = schema.rel(rel_type)
    n = quote(NODE_LABEL)
    return (
        f"UNWIND {rows} AS row\n"
        f"MATCH (a:{n} {{id: row.src}})\n"
        f"MATCH (b:{n} {{id: row.dst}})\n"
        f"MERGE (a)-[r:{quote(rel_type)}{_key_pattern(rtype)}]->(b)\n"
        f"SET r = row.props{_stamp('r', stamp)}"
    )


def rel_create(schema: Schema, rel_type: str) -> str:
    """Like :func:`rel_upsert` but ``CREATE``: only for a database with no nldtib node at the start."""
    schema.rel(rel_type)
    n = quote(NODE_LABEL)
    return (
        f"UNWIND $rows AS row\n"
        f"MATCH (a:{n} {{id: row.src}})\n"
        f"MATCH (b:{n} {{id: row.dst}})\n"
        f"CREATE (a)-[r:{quote(rel_type)}]->(b)\n"
        f"SET r = row.props"
    )


def dedupe_rels(schema: Schema, batch: int | None = None) -> str:
    """Delete every copy but one of relationships with the same identity (type, endpoints, key),
    node by node; with ``batch``, in transactions of that many start nodes (auto-commit only).

    Parameters: ``$types`` (schema types) and ``$keys`` (type -> its key property names).
    """
    n = quote(NODE_LABEL)
    inner = (
        f"MATCH (a)-[r]->(b:{n}) WHERE type(r) IN $types\n"
        "  WITH b, type(r) AS t, [k IN $keys[type(r)] | r[k]] AS key, collect(r) AS rs WHERE size(rs) > 1\n"
        "  UNWIND tail(rs) AS extra DELETE extra"
    )
    tail = f" IN TRANSACTIONS OF {int(batch)} ROWS" if batch else ""
    return f"MATCH (a:{n}) CALL (a) {{\n  {inner}\n}}{tail}"


def delete_unstamped_rels(batch: int | None = None) -> str:
    """Delete the schema-typed relationships between nldtib nodes that ``$stamp`` did not write."""
    n = quote(NODE_LABEL)
    tail = f" IN TRANSACTIONS OF {int(batch)} ROWS" if batch else ""
    return (
        f"MATCH (:{n})-[r]->(:{n}) WHERE type(r) IN $types AND (r.{quote(STAMP)} IS NULL OR r.{quote(STAMP)} <> $stamp)\n"
        f"CALL (r) {{ DELETE r }}{tail}"
    )


def delete_unstamped_nodes(batch: int | None = None) -> str:
    """Delete (with their relationships) the nldtib nodes that ``$stamp`` did not write."""
    tail = f" IN TRANSACTIONS OF {int(batch)} ROWS" if batch else ""
    return (
        f"MATCH (x:{quote(NODE_LABEL)}) WHERE x.{quote(STAMP)} IS NULL OR x.{quote(STAMP)} <> $stamp\n"
        f"CALL (x) {{ DETACH DELETE x }}{tail}"
    )


def node_delete() -> str:
    """``UNWIND $ids`` query that deletes nodes (and their relationships) by id."""
    return f"UNWIND $ids AS id\nMATCH (n:{quote(NODE_LABEL)} {{id: id}})\nDETACH DELETE n"


def rel_delete(schema: Schema, rel_type: str) -> str:
    """``UNWIND $rows`` query that deletes relationships by identity (rows: src, dst, key)."""
    rtype = schema.relationships.get(rel_type)
    n = quote(NODE_LABEL)
    where = ""
    if rtype is not None and rtype.key:
        where = "\nWHERE " + " AND ".join(f"r.{quote(k)} = row.key[{i}]" for i, k in enumerate(rtype.key))
    return (
        f"UNWIND $rows AS row\n"
        f"MATCH (a:{n} {{id: row.src}})-[r:{quote(rel_type)}]->(b:{n} {{id: row.dst}}){where}\n"
        f"DELETE r"
    )


def node_row(node: Node) -> dict[str, Any]:
    return {"id": node.id, "props": {"id": node.id, **node.props}}


def rel_key_of(rtype: RelType, props: dict[str, Any]) -> list[Any]:
    return [props.get(k) for k in rtype.key]


def rel_row(rtype: RelType, rel: Rel) -> dict[str, Any]:
    return {"src": rel.src, "dst": rel.dst, "key": rel_key_of(rtype, rel.props), "props": dict(rel.props)}
