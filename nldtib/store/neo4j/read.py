"""Read the graph from Neo4j into validated records (given an open transaction).

The graph is read in pages keyed on the node id: one query returns a page of :data:`PAGE` nodes
of a label (their schema properties as columns), or the relationships of every type that start at
a page of nodes, as ONE record, so the driver decodes few, large messages and neither side holds
more than a page at once besides the records built. Each page is validated
column by column with the same pydantic types as a dataset's CSV cells
(:func:`nldtib.dataset.types.column_adapter`), so a node or relationship read from Neo4j is
exactly the record that was loaded. Anything written behind nldtib's back (a wrong type, a
missing required value, a property outside the schema, a second schema label) is reported with
the record-by-record checks of :func:`typed_props`, not passed on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from ...dataset.records import Node, Rel
from ...dataset.types import column_adapter
from ...errors import DatasetError, Issue
from ...schema import Property, Schema
from .cypher import NODE_LABEL, STAMP, quote

__all__ = ["node_label", "to_node", "to_rel", "rel_sort_key", "typed_props", "read_nodes", "read_rels", "PAGE"]

PAGE = 5_000  # nodes per page (with their relationships): one Bolt record, one column validation


def _value(prop: Property, value: Any) -> Any:
    try:
        return column_adapter(prop).validate_python([value])[0]
    except ValidationError as exc:
        raise ValueError(exc.errors(include_url=False)[0].get("msg", "invalid value")) from None


def typed_props(
    props: Iterable[Property], raw: dict[str, Any], where: str, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Validate a property map read from Neo4j against ``props``; raise DatasetError if wrong.

    Returns the set properties (without ``skip``), with defaults applied as the reader does.
    """
    known = {p.name: p for p in props}
    issues = [Issue(where, 0, k, "property is not in the schema") for k in raw if k not in known and k not in skip]
    out: dict[str, Any] = {}
    for name, prop in known.items():
        if name in skip:
            continue
        value = raw.get(name)
        if value is not None and value != []:
            try:
                value = _value(prop, value)
            except ValueError as exc:
                issues.append(Issue(where, 0, name, f"{exc} (got {value!r})"))
                continue
        if value is None or value == []:
            if prop.default is not None:
                value = prop.default
            elif prop.required:
                issues.append(Issue(where, 0, name, "required value is missing"))
                continue
            else:
                continue
        out[name] = value
    if issues:
        raise DatasetError(issues)
    return out


def node_label(schema: Schema, labels: Iterable[str], node_id: Any) -> str:
    """The one schema label among a node's labels."""
    found = [x for x in labels if x in schema.nodes]
    if len(found) != 1:
        shown = ", ".join(sorted(x for x in labels if x != NODE_LABEL)) or "none"
        raise DatasetError(
            [Issue(f"neo4j node {node_id!r}", 0, "", f"expected exactly one schema label, found {shown}")]
        )
    return found[0]


def to_node(schema: Schema, labels: Iterable[str], raw: dict[str, Any]) -> Node:
    node_id = raw.get("id")
    label = node_label(schema, list(labels), node_id)
    ntype = schema.node(label)
    where = f"neo4j node {node_id!r} ({label})"
    if not isinstance(node_id, str):
        raise DatasetError([Issue(where, 0, "id", "missing or not a string")])
    props = typed_props(ntype.properties, raw, where, skip=("id",))
    return Node(node_id, label, props)


def to_rel(schema: Schema, rel_type: str, src: str, dst: str, raw: dict[str, Any]) -> Rel:
    rtype = schema.rel(rel_type)
    where = f"neo4j relationship ({src})-[{rel_type}]->({dst})"
    return Rel(rel_type, src, dst, typed_props(rtype.properties, raw, where))


def rel_sort_key(schema: Schema, rel: Rel) -> tuple:
    """Canonical order: schema type order, then endpoints, then key values."""
    order = list(schema.relationships).index(rel.type)
    keys = schema.rel(rel.type).key
    return (order, rel.src, rel.dst) + tuple(str(rel.props.get(k, "")) for k in keys)


def _columns(props: list[Property], page: list[list[Any]], first: int) -> list[list[Any]] | None:
    """The page's property columns (starting at row index ``first``), validated; None when any
    value is invalid or a required one is missing (the caller then finds the exact issue)."""
    out = []
    for j, prop in enumerate(props, start=first):
        values = [None if (v := row[j]) == [] else v for row in page]
        if any(v is not None for v in values):
            try:
                values = column_adapter(prop).validate_python(values)
            except ValidationError:
                return None
        if prop.default is not None:
            values = [prop.default if v is None else v for v in values]
        elif prop.required and None in values:
            return None
        out.append(values)
    return out


def _records(page: list[list[Any]], props: list[Property], build, fallback) -> Iterator[Any]:
    """Records from one page. Row layout: two leading columns, the property columns, then the
    number of the record's properties outside the schema (see :func:`_outside`). A row whose
    columns do not validate, or that has such a property, goes to ``fallback`` for the exact issue."""
    cols = _columns(props, page, 2)
    names = [p.name for p in props]
    last = 2 + len(props)
    for i, row in enumerate(page):
        if cols is None or row[last] or not isinstance(row[0], str):
            yield fallback(row)
            continue
        yield build(row, {k: c[i] for k, c in zip(names, cols) if c[i] is not None})


def _outside(var: str, props: list[Property], stored: int) -> str:
    """Cypher: how many properties of ``var`` are neither schema properties read as columns, nor
    one of ``stored`` more (the node id), nor the load stamp."""
    values = ", ".join(f"{var}.{quote(p.name)}" for p in props)
    return (
        f"size(keys({var})) - {stored} - CASE WHEN {var}.{quote(STAMP)} IS NULL THEN 0 ELSE 1 END"
        f" - size([v IN [{values}] WHERE v IS NOT NULL])"
    )


def _paged(tx, query: str) -> Iterator[list[Any]]:
    """Run ``query`` (it takes ``$after`` and ``$page`` and returns ``last`` and a list ``rows``)
    page after page, keyset-paged on the node id: each page is ONE record holding
    :data:`PAGE` start nodes' rows, so the driver decodes few, large messages."""
    after = ""
    while True:
        record = tx.run(query, after=after, page=PAGE).single()
        if record is None or record["last"] is None:
            return
        yield record["rows"]
        after = record["last"]


def read_nodes(tx, schema: Schema) -> list[Node]:
    """Every nldtib node, by label (schema order) then id."""
    n = quote(NODE_LABEL)
    out: list[Node] = []
    for label, ntype in schema.nodes.items():
        props = [p for p in ntype.properties if p.name != "id"]
        cols = "".join(f", x.{quote(p.name)}" for p in props)
        query = (
            f"MATCH (x:{n}:{quote(label)}) WHERE x.id > $after WITH x ORDER BY x.id LIMIT $page "
            f"WITH collect([x.id, size(labels(x)){cols}, {_outside('x', props, 1)}]) AS rows "
            "RETURN rows[-1][0] AS last, rows"
        )

        def fallback(row: list[Any]) -> Node:
            raw = tx.run(
                f"MATCH (x:{n}:{quote(label)}) WHERE x.id = $id RETURN labels(x) AS labels, properties(x) AS props",  # noqa: B023
                id=row[0],
            ).single()
            return to_node(schema, raw["labels"], {k: v for k, v in raw["props"].items() if k != STAMP})

        def build(row: list[Any], values: dict[str, Any]) -> Node:
            if row[1] != 2:  # NldtibNode plus exactly one schema label
                return fallback(row)
            return Node(row[0], label, values)  # noqa: B023  (used within this loop iteration)

        for page in _paged(tx, query):
            out.extend(_records(page, props, build, fallback))
    return out


def read_rels(tx, schema: Schema) -> list[Rel]:
    """Every schema-typed relationship between nldtib nodes, in canonical order. One query per
    page of start nodes returns the rows of every type."""
    n = quote(NODE_LABEL)
    types = list(schema.relationships.items())
    parts = []
    for rel_type, rtype in types:
        cols = "".join(f", r.{quote(p.name)}" for p in rtype.properties)
        parts.append(
            f"[a IN ns | [(a)-[r:{quote(rel_type)}]->(b:{n}) | [a.id, b.id{cols}, "
            f"{_outside('r', list(rtype.properties), 0)}]]]"
        )
    query = (
        f"MATCH (a:{n}) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $page WITH collect(a) AS ns "
        f"RETURN ns[-1].id AS last, [{', '.join(parts)}] AS rows"
    )
    found: list[list[Rel]] = [[] for _ in types]
    for page in _paged(tx, query):
        for i, (rel_type, rtype) in enumerate(types):
            props = list(rtype.properties)
            rows = [row for per_node in page[i] for row in per_node]
            if not rows:
                continue

            def fallback(row: list[Any], rel_type: str = rel_type, props: list[Property] = props) -> Rel:
                matches = tx.run(
                    f"MATCH (a:{n} {{id: $src}})-[r:{quote(rel_type)}]->(b:{n} {{id: $dst}}) RETURN properties(r) AS p",
                    src=row[0],
                    dst=row[1],
                ).data()
                rels = [
                    to_rel(schema, rel_type, row[0], row[1], {k: v for k, v in m["p"].items() if k != STAMP})
                    for m in matches
                ]
                return next(r for r in rels if all(r.props.get(p.name) == row[j] for j, p in enumerate(props, 2)))

            def build(row: list[Any], values: dict[str, Any], rel_type: str = rel_type) -> Rel:
                return Rel(rel_type, row[0], row[1], values)

            found[i].extend(_records(rows, props, build, fallback))
    out: list[Rel] = []
    for (_, rtype), rels in zip(types, found):
        keys = rtype.key
        rels.sort(key=lambda r: (r.src, r.dst, *(str(r.props.get(k, "")) for k in keys)))
        out.extend(rels)
    return out
