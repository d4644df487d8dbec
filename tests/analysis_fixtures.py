"""Hand-built datasets for the analysis tests, and a brute-force reference implementation.

``GraphBuilder`` makes a validated-shape :class:`~nldtib.records.Dataset` in a few lines; the
``oracle_*`` functions recompute answers the slow, obvious way (greatest fixpoint by repeated
sweeps, one removal at a time) so the fast kernels can be checked against them.
"""

from __future__ import annotations

from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.schema import load_schema

__all__ = ["GraphBuilder", "oracle_operational", "oracle_critical", "supply_model", "named_slots", "satisfied"]

EU_NATO = {
    "NL": (True, True),
    "DE": (True, True),
    "FR": (True, True),
    "BE": (True, True),
    "US": (False, True),
    "NO": (False, True),
    "GB": (False, True),
    "TR": (False, True),
    "AT": (True, False),
    "IE": (True, False),
    "SE": (True, True),
    "CN": (False, False),
    "RU": (False, False),
    "CD": (False, False),
    "ZA": (False, False),
    "CH": (False, False),
}


class GraphBuilder:
    """Build a small dataset: ``g.org("a", "NL"); g.supplies("a", "P", "radar"); g.dataset()``."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.rels: list[Rel] = []

    def _node(self, node_id: str, label: str, **props) -> str:
        if node_id not in self.nodes:
            props.setdefault("name", node_id)
            props.setdefault("sensitivity", "public")
            self.nodes[node_id] = Node(node_id, label, {k: v for k, v in props.items() if v is not None})
        return node_id

    def country(self, code: str, eu: bool | None = None, nato: bool | None = None, **props) -> str:
        """A country, MEMBER_OF the ``eu`` and ``nato`` blocs as in EU_NATO (or as given)."""
        if code in self.nodes:
            return code
        deu, dnato = EU_NATO.get(code, (False, False))
        self._node(code, "Country", **props)
        for bloc, member in (("eu", deu if eu is None else eu), ("nato", dnato if nato is None else nato)):
            if member:
                self.member_of(code, bloc)
        return code

    def bloc(self, bloc_id: str) -> str:
        return self._node(bloc_id, "Bloc")

    def member_of(self, country: str, bloc: str, **props) -> None:
        self.bloc(bloc)
        self.rel("MEMBER_OF", country, bloc, **props)

    def org(self, node_id: str, country: str | None = None, kind: str = "sme", **props) -> str:
        self._node(node_id, "Organisation", kind=kind, **props)
        if country:
            self.country(country)
            self.rel("LOCATED_IN", node_id, country)
        return node_id

    def programme(self, node_id: str, kind: str = "acquisition", **props) -> str:
        return self._node(node_id, "Programme", kind=kind, **props)

    def item(self, node_id: str) -> str:
        return self._node(node_id, "Item")

    def material(self, node_id: str, crma: str = "critical") -> str:
        return self._node(node_id, "Material", crma=crma)

    def rel(self, rel_type: str, src: str, dst: str, **props) -> None:
        props.setdefault("sensitivity", "public")
        self.rels.append(Rel(rel_type, src, dst, {k: v for k, v in props.items() if v is not None}))

    def supplies(self, src: str, dst: str, item: str, **props) -> None:
        self.item(item)
        self.rel("SUPPLIES", src, dst, item=item, **props)

    def requires(self, consumer: str, item: str) -> None:
        self.item(item)
        self.rel("REQUIRES", consumer, item)

    def uses(self, org: str, material: str) -> None:
        self.material(material)
        self.rel("USES_MATERIAL", org, material)

    def produces(
        self, country: str, material: str, share_pct: float | None = None, stage: str = "extraction", **props
    ) -> None:
        self.country(country)
        self.material(material)
        self.rel("PRODUCES", country, material, share_pct=share_pct, stage=stage, **props)

    def owned_by(
        self, org: str, owner: str, share_pct: float | None = None, voting_pct: float | None = None, **props
    ) -> None:
        self.rel("OWNED_BY", org, owner, share_pct=share_pct, voting_pct=voting_pct, **props)

    def dataset(self) -> Dataset:
        return Dataset(load_schema(), dict(self.nodes), list(self.rels), "test")


# --- the reference implementation ---------------------------------------------------------------


def supply_model(ds: Dataset) -> tuple[set[str], dict[str, list[dict[str, int | None]]]]:
    """Units and, per unit, its slots as ``{provider: share}`` (hundredths of a percent, None when
    unknown), read straight off the architecture text: a material has one slot per production
    stage that has producers, or one empty (gap) slot if it has none."""
    units = {n.id for n in ds if n.label in ("Organisation", "Programme", "Material", "Country")}
    slots: dict[tuple, dict[str, int | None]] = {}

    def share(r) -> int | None:
        v = r.props.get("share_pct")
        return None if v is None else int(round(v * 100))

    for r in ds.rels:
        if r.type == "SUPPLIES":
            slots.setdefault((r.dst, "item", r.props["item"]), {})[r.src] = share(r)
        elif r.type == "REQUIRES":
            slots.setdefault((r.src, "item", r.dst), {})
        elif r.type == "USES_MATERIAL":
            slots.setdefault((r.src, "material", r.dst), {})[r.dst] = None
        elif r.type == "LOCATED_IN":
            slots.setdefault((r.src, "location"), {})[r.dst] = None
        elif r.type == "PRODUCES":
            slots.setdefault((r.dst, "production", r.props.get("stage", "extraction")), {})[r.src] = share(r)
    for n in ds:
        if n.label == "Material" and not any(k[0] == n.id and k[1] == "production" for k in slots):
            slots[(n.id, "production")] = {}
    per_unit: dict[str, list[dict[str, int | None]]] = {u: [] for u in units}
    for k, providers in slots.items():
        per_unit[k[0]].append(providers)
    return units, per_unit


def named_slots(ds: Dataset) -> dict[tuple[str, str], dict[str, int | None]]:
    """The slots of :func:`supply_model` by (unit, slot name as the analyses print it)."""
    _, per_unit = supply_model(ds)
    out: dict[tuple[str, str], dict[str, int | None]] = {}
    for r in ds.rels:
        if r.type == "SUPPLIES":
            out[(r.dst, f"item:{r.props['item']}")] = {}
        elif r.type == "REQUIRES":
            out[(r.src, f"item:{r.dst}")] = {}
        elif r.type == "USES_MATERIAL":
            out[(r.src, f"material:{r.dst}")] = {}
        elif r.type == "LOCATED_IN":
            out[(r.src, "location")] = {}
        elif r.type == "PRODUCES":
            out[(r.dst, f"production:{r.props.get('stage', 'extraction')}")] = {}
    for r in ds.rels:
        if r.type == "SUPPLIES":
            out[(r.dst, f"item:{r.props['item']}")][r.src] = r.props.get("share_pct")
        elif r.type in ("USES_MATERIAL", "LOCATED_IN"):
            out[(r.src, f"material:{r.dst}" if r.type == "USES_MATERIAL" else "location")][r.dst] = None
        elif r.type == "PRODUCES":
            out[(r.dst, f"production:{r.props.get('stage', 'extraction')}")][r.src] = r.props.get("share_pct")
    for n in ds:
        if n.label == "Material" and not any(u == n.id and k.startswith("production") for u, k in out):
            out[(n.id, "production")] = {}
    assert sum(map(len, per_unit.values())) == len(out)
    return out


def satisfied(providers: dict[str, int | None], up: set[str], min_share: float = 0) -> bool:
    """A slot: no provider known (a gap), or a provider up and, with a threshold, a survivor with an
    unknown share or surviving known shares reaching it."""
    if not providers:
        return True
    alive = [p for p in providers if p in up]
    if not alive:
        return False
    if min_share <= 0 or any(providers[p] is None for p in alive):
        return True
    return sum(providers[p] for p in alive) >= int(round(min_share * 100))


def oracle_operational(ds: Dataset, disrupted: set[str], min_share: float = 0) -> set[str]:
    """Operational units: greatest fixpoint by repeated sweeps (start all up, only force down)."""
    units, slots = supply_model(ds)
    up = units - set(disrupted)
    changed = True
    while changed:
        changed = False
        for u in sorted(up):
            if not all(satisfied(ps, up, min_share) for ps in slots[u]):
                up.discard(u)
                changed = True
    return up


def oracle_critical(ds: Dataset, target: str, min_share: float = 0) -> set[str]:
    """Every unit whose removal alone stops ``target`` (the target itself included)."""
    units, _ = supply_model(ds)
    return {x for x in units if target not in oracle_operational(ds, {x}, min_share)}
