"""Load the graph schema declared in ``schema/schema.yaml``.

The schema is the one declaration of the graph. It is read once, checked, and exposed as frozen
objects: :class:`Schema` with its :class:`NodeType` and :class:`RelType` entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import SchemaError
from .paths import schema_dir

__all__ = [
    "Property",
    "NodeType",
    "RelType",
    "SupplyRole",
    "Limits",
    "Schema",
    "load_schema",
    "SENSITIVITY_LEVELS",
    "SLOT_KINDS",
]

PROPERTY_TYPES = {"string", "text", "integer", "number", "boolean", "date", "url", "enum", "list", "ref"}
SENSITIVITY_LEVELS = ("public", "restricted", "confidential")
RESERVED_REL_COLUMNS = ("from", "to")
SLOT_KINDS = ("item", "material", "location", "production")  # the kinds of requirement slot


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
class Limits:
    """What every store can hold (schema key ``limits``). ``validate`` checks each value against
    them, so a valid dataset always loads: an *indexed* value (a node's ``id`` and ``name`` and
    every ``unique`` property, which Neo4j indexes) takes at most ``indexed_bytes`` bytes in
    UTF-8, an integer lies in ``integer_min..integer_max`` (64 bits), and a CSV cell holds at most
    ``cell_chars`` characters."""

    indexed_bytes: int = 8000
    integer_min: int = -(2**63)
    integer_max: int = 2**63 - 1
    cell_chars: int = 131_072
    description: str = field(default="", compare=False)


@dataclass(frozen=True)
class NodeType:
    label: str
    description: str
    colour: str
    shape: str
    properties: tuple[Property, ...]  # node_common, then the label's own, then provenance
    own: tuple[str, ...]  # names of the label's own properties

    def prop(self, name: str) -> Property | None:
        return next((p for p in self.properties if p.name == name), None)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)

    @property
    def indexed(self) -> tuple[str, ...]:
        """The properties the stores index (``id``, ``name`` and the unique ones): their values
        are limited to :attr:`Limits.indexed_bytes`."""
        return tuple(p.name for p in self.properties if p.name in ("id", "name") or p.unique)


@dataclass(frozen=True)
class SupplyRole:
    """The role of a supply relationship type in the availability model (schema key ``supply``).

    ``consumer`` is the end (``from`` or ``to``) whose requirement slot the relationship feeds;
    the other end is the *dependency*: the slot's provider when ``provides`` is true, else only
    what names the need (REQUIRES points at the item). ``slot`` is the slot kind (one of
    :data:`SLOT_KINDS`) and ``ref`` what names the slot: a property of the relationship, the
    ``to`` or ``from`` end, or None for a kind with one slot per consumer. ``always``: every
    node of the consumer labels has the slot, with or without providers.
    """

    consumer: str
    slot: str
    ref: str | None = None
    provides: bool = True
    always: bool = False  # every node of the consumer labels has this slot, providers or not

    @property
    def provider(self) -> str:
        """The other end: ``from`` when the consumer is ``to``, and the reverse."""
        return "from" if self.consumer == "to" else "to"


@dataclass(frozen=True)
class RelType:
    type: str
    description: str
    group: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    key: tuple[str, ...]
    max_per_source: int | None
    properties: tuple[Property, ...]  # own, then provenance
    own: tuple[str, ...]
    supply: SupplyRole | None = None  # the role in the availability model (group supply only)

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
    limits: Limits = field(default_factory=Limits)

    def node(self, label: str) -> NodeType:
        return self.nodes[label]

    def rel(self, rel_type: str) -> RelType:
        return self.relationships[rel_type]

    @property
    def supply_types(self) -> dict[str, SupplyRole]:
        """The relationship types of the supply graph and their roles, in schema order."""
        return {t: r.supply for t, r in self.relationships.items() if r.supply is not None}


def _prop(name: str, spec: Any, where: str) -> Property:
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}.{name}: expected a mapping")
    ptype = spec.get("type")
    if ptype not in PROPERTY_TYPES:
        raise SchemaError(f"{where}.{name}: unknown type {ptype!r}")
    unknown = set(spec) - {
        "type",
        "description",
        "required",
        "values",
        "ref",
        "min",
        "max",
        "pattern",
        "unique",
        "default",
    }
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
        name=name,
        type=ptype,
        description=" ".join(str(spec.get("description", "")).split()),
        required=bool(spec.get("required", False)),
        values=values,
        ref=ref,
        min=spec.get("min"),
        max=spec.get("max"),
        pattern=spec.get("pattern"),
        unique=bool(spec.get("unique", False)),
        default=default,
    )


def _supply_role(spec: Any, where: str, group: str, own: tuple[Property, ...]) -> SupplyRole | None:
    if spec is None:
        if group == "supply":
            raise SchemaError(f"{where}: group supply needs a `supply` role (consumer, slot)")
        return None
    if group != "supply":
        raise SchemaError(f"{where}: a `supply` role needs group supply")
    if not isinstance(spec, dict) or set(spec) - {"consumer", "slot", "ref", "provides", "always"}:
        raise SchemaError(f"{where}.supply: expected a mapping with consumer, slot, ref, provides and always")
    consumer, slot, ref = spec.get("consumer"), spec.get("slot"), spec.get("ref")
    if consumer not in ("from", "to"):
        raise SchemaError(f"{where}.supply.consumer: expected from or to, not {consumer!r}")
    if slot not in SLOT_KINDS:
        raise SchemaError(f"{where}.supply.slot: expected one of {', '.join(SLOT_KINDS)}, not {slot!r}")
    if ref is not None and ref not in ("from", "to") and ref not in {p.name for p in own}:
        raise SchemaError(f"{where}.supply.ref: {ref!r} is neither an end nor a property")
    return SupplyRole(
        consumer=consumer,
        slot=slot,
        ref=ref,
        provides=bool(spec.get("provides", True)),
        always=bool(spec.get("always", False)),
    )


def _props(mapping: Any, where: str) -> tuple[Property, ...]:
    if mapping in (None, {}):
        return ()
    if not isinstance(mapping, dict):
        raise SchemaError(f"{where}: expected a mapping of properties")
    return tuple(_prop(n, s, where) for n, s in mapping.items())


def _limits(spec: Any) -> Limits:
    if spec is None:
        return Limits()
    known = {"description", "indexed_bytes", "integer", "cell_chars"}
    if not isinstance(spec, dict) or set(spec) - known:
        raise SchemaError(f"limits: expected a mapping with {', '.join(sorted(known))}")
    default = Limits()
    integer = spec.get("integer", [default.integer_min, default.integer_max])
    if not (isinstance(integer, list) and len(integer) == 2 and all(type(v) is int for v in integer)):
        raise SchemaError("limits.integer: expected [min, max]")
    sizes = {k: spec.get(k, getattr(default, k)) for k in ("indexed_bytes", "cell_chars")}
    if not all(type(v) is int and v > 0 for v in sizes.values()):
        raise SchemaError("limits: indexed_bytes and cell_chars must be positive integers")
    return Limits(
        integer_min=integer[0],
        integer_max=integer[1],
        description=" ".join(str(spec.get("description", "")).split()),
        **sizes,
    )


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
            label=label,
            description=" ".join(str(spec.get("description", "")).split()),
            colour=str(spec.get("colour", "#999999")),
            shape=str(spec.get("shape", "dot")),
            properties=(id_prop,) + common[1:] + own + provenance,
            own=tuple(p.name for p in own),
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
        group = str(spec.get("group", "directory"))
        rels[rtype] = RelType(
            type=rtype,
            description=" ".join(str(spec.get("description", "")).split()),
            group=group,
            sources=sources,
            targets=targets,
            key=key,
            max_per_source=spec.get("max_per_source"),
            properties=own + provenance,
            own=tuple(p.name for p in own),
            supply=_supply_role(spec.get("supply"), where, group, own),
        )
    if not nodes or not rels:
        raise SchemaError(f"{path}: declares no node labels or no relationship types")
    return Schema(
        version=int(doc.get("version", 1)),
        nodes=nodes,
        relationships=rels,
        provenance=provenance,
        provenance_description=" ".join(str((doc.get("provenance") or {}).get("description", "")).split()),
        path=path,
        limits=_limits(doc.get("limits")),
    )


@lru_cache(maxsize=4)
def load_schema(path: Path | None = None) -> Schema:
    """Load and check the schema (the shipped one by default). Cached: the schema is immutable."""
    import yaml  # here, not at import: the command line starts without it

    path = Path(path) if path else schema_dir() / "schema.yaml"
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: cannot read schema: {exc}") from exc
    return parse_schema(doc, path)
