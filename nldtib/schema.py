"""Load the graph schema declared in ``schema/schema.yaml``.

The schema is the one declaration of the graph. It is read once, checked, and exposed as frozen
objects: :class:`Schema` with its :class:`NodeType` and :class:`RelType` entries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import SchemaError
from .paths import schema_dir

__all__ = ["Property", "NodeType", "RelType", "Schema", "load_schema", "SENSITIVITY_LEVELS"]

PROPERTY_TYPES = {"string", "text", "integer", "number", "boolean", "date", "url", "enum", "list", "ref"}
SENSITIVITY_LEVELS = ("public", "restricted", "confidential")
RESERVED_REL_COLUMNS = ("from", "to")


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    description: str = ""
    required: bool = False
    values: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    unique: bool = False
    default: Any = None


@dataclass(frozen=True)
class NodeType:
    label: str
    description: str
    colour: str
    shape: str
    properties: tuple[Property, ...]      # node_common, then the label's own, then provenance
    own: tuple[str, ...]                  # names of the label's own properties

    def prop(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)


@dataclass(frozen=True)
class RelType:
    type: str
    description: str
    group: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    key: tuple[str, ...]
    max_per_source: int | None
    properties: tuple[Property, ...]      # own, then provenance
    own: tuple[str, ...]

    def prop(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    @property
    def columns(self) -> tuple[str, ...]:
        return RESERVED_REL_COLUMNS + tuple(p.name for p in self.properties)


@dataclass(frozen=True)
class Schema:
    version: int
    nodes: dict[str, NodeType]
    relationships: dict[str, RelType]
    provenance: tuple[Property, ...]
    provenance_description: str
    path: Path = field(compare=False)

    def node(self, label: str) -> NodeType:
        return self.nodes[label]

    def rel(self, rel_type: str) -> RelType:
        return self.relationships[rel_type]


def _prop(name: str, spec: Any, where: str) -> Property:
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}.{name}: expected a mapping")
    ptype = spec.get("type")
    if ptype not in PROPERTY_TYPES:
        raise SchemaError(f"{where}.{name}: unknown type {ptype!r}")
    unknown = set(spec) - {"type", "description", "required", "values", "ref", "min", "max", "pattern", "unique", "default"}
    if unknown:
        raise SchemaError(f"{where}.{name}: unknown keys {sorted(unknown)}")
    values = tuple(str(v) for v in spec.get("values", ()))
    if ptype == "enum" and not values:
        raise SchemaError(f"{where}.{name}: enum without values")
    ref = tuple(spec.get("ref", ()))
    if ptype == "ref" and not ref:
        raise SchemaError(f"{where}.{name}: ref without target labels")
    default = spec.get("default")
    if default is not None and ptype == "enum" and default not in values:
        raise SchemaError(f"{where}.{name}: default {default!r} is not one of its values")
    return Property(
        name=name, type=ptype, description=" ".join(str(spec.get("description", "")).split()),
        required=bool(spec.get("required", False)), values=values, ref=ref,
        min=spec.get("min"), max=spec.get("max"), pattern=spec.get("pattern"),
        unique=bool(spec.get("unique", False)), default=default,
    )


def _props(mapping: Any, where: str) -> tuple[Property, ...]:
    if mapping in (None, {}):
        return ()
    if not isinstance(mapping, dict):
        raise SchemaError(f"{where}: expected a mapping of properties")
    return tuple(_prop(n, s, where) for n, s in mapping.items())


def parse_schema(doc: Any, path: Path) -> Schema:
    """Build a :class:`Schema` from the parsed YAML document; raise SchemaError if it is broken."""
    if not isinstance(doc, dict):
        raise SchemaError(f"{path}: not a mapping")
    provenance = _props((doc.get("provenance") or {}).get("properties"), "provenance")
    common = _props(doc.get("node_common"), "node_common")
    if [p.name for p in common[:2]] != ["id", "name"]:
        raise SchemaError("node_common must start with id and name")
    reserved = {p.name for p in common} | {p.name for p in provenance}
    nodes: dict[str, NodeType] = {}
    for label, spec in (doc.get("nodes") or {}).items():
        own = _props(spec.get("properties"), f"nodes.{label}")
        clash = reserved & {p.name for p in own}
        if clash:
            raise SchemaError(f"nodes.{label}: properties {sorted(clash)} are reserved")
        id_prop = common[0]
        if spec.get("id_pattern"):
            id_prop = Property(**{**id_prop.__dict__, "pattern": spec["id_pattern"]})
        nodes[label] = NodeType(
            label=label, description=" ".join(str(spec.get("description", "")).split()),
            colour=str(spec.get("colour", "#999999")), shape=str(spec.get("shape", "dot")),
            properties=(id_prop,) + common[1:] + own + provenance, own=tuple(p.name for p in own),
        )
    rels: dict[str, RelType] = {}
    for rtype, spec in (doc.get("relationships") or {}).items():
        own = _props(spec.get("properties"), f"relationships.{rtype}")
        where = f"relationships.{rtype}"
        sources, targets = tuple(spec.get("from", ())), tuple(spec.get("to", ()))
        for lab in sources + targets:
            if lab not in nodes:
                raise SchemaError(f"{where}: unknown label {lab!r}")
        for p in own:
            if p.name in RESERVED_REL_COLUMNS or p.name in {q.name for q in provenance}:
                raise SchemaError(f"{where}: property {p.name!r} is reserved")
            for lab in p.ref:
                if lab not in nodes:
                    raise SchemaError(f"{where}.{p.name}: unknown ref label {lab!r}")
        key = tuple(spec.get("key", ()))
        for k in key:
            if k not in {p.name for p in own}:
                raise SchemaError(f"{where}: key {k!r} is not a property")
        rels[rtype] = RelType(
            type=rtype, description=" ".join(str(spec.get("description", "")).split()),
            group=str(spec.get("group", "directory")), sources=sources, targets=targets, key=key,
            max_per_source=spec.get("max_per_source"), properties=own + provenance,
            own=tuple(p.name for p in own),
        )
    if not nodes or not rels:
        raise SchemaError(f"{path}: declares no node labels or no relationship types")
    return Schema(
        version=int(doc.get("version", 1)), nodes=nodes, relationships=rels, provenance=provenance,
        provenance_description=" ".join(str((doc.get("provenance") or {}).get("description", "")).split()),
        path=path,
    )


@lru_cache(maxsize=4)
def load_schema(path: Path | None = None) -> Schema:
    """Load and check the schema (the shipped one by default). Cached: the schema is immutable."""
    path = Path(path) if path else schema_dir() / "schema.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: cannot read schema: {exc}") from exc
    return parse_schema(doc, path)
