"""Turn what Neo4j returns into validated records (no driver code here).

Values read back are validated with the same pydantic types as a dataset's CSV cells
(:func:`nldtib.model.column_adapter`), so a node or relationship read from Neo4j is exactly the
record that was loaded, and anything written behind nldtib's back is reported, not passed on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from ...dataset.records import Node, Rel
from ...dataset.types import column_adapter
from ...errors import DatasetError, Issue
from ...schema import Property, Schema
from .cypher import NODE_LABEL

__all__ = ["node_label", "to_node", "to_rel", "rel_sort_key", "typed_props"]


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
