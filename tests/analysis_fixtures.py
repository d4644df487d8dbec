"""Hand-built datasets for the analysis tests, and a brute-force reference implementation.

``GraphBuilder`` makes a validated-shape :class:`~nldtib.records.Dataset` in a few lines; the
``oracle_*`` functions recompute answers the slow, obvious way (greatest fixpoint by repeated
sweeps, one removal at a time) so the fast kernels can be checked against them.
"""

from __future__ import annotations

from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.schema import load_schema

__all__ = ["GraphBuilder", "oracle_operational", "oracle_critical", "supply_model"]

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
        deu, dnato = EU_NATO.get(code, (False, False))
        return self._node(code, "Country", eu=deu if eu is None else eu, nato=dnato if nato is None else nato, **props)

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

    def requires(self, consumer: str, item: str, **props) -> None:
        self.item(item)
        self.rel("REQUIRES", consumer, item, **props)

    def uses(self, org: str, material: str, **props) -> None:
        self.material(material)
        self.rel("USES_MATERIAL", org, material, **props)

    def produces(self, country: str, material: str, share_pct: float | None = None, stage: str = "extraction") -> None:
        self.country(country)
        self.material(material)
        self.rel("PRODUCES", country, material, share_pct=share_pct, stage=stage)

    def owned_by(self, org: str, owner: str, share_pct: float | None = None, voting_pct: float | None = None) -> None:
        self.rel("OWNED_BY", org, owner, share_pct=share_pct, voting_pct=voting_pct)

    def dataset(self) -> Dataset:
        return Dataset(load_schema(), dict(self.nodes), list(self.rels), "test")


# --- the reference implementation ---------------------------------------------------------------


def supply_model(ds: Dataset) -> tuple[set[str], dict[str, list[set[str]]]]:
    """Units and, per unit, the provider sets of its slots, read straight off the architecture text."""
    units = {n.id for n in ds if n.label in ("Organisation", "Programme", "Material", "Country")}
    slots: dict[tuple, set[str]] = {}
    for n in ds:
        if n.label == "Material":
            slots.setdefault((n.id, "production"), set())
    for r in ds.rels:
        if r.type == "SUPPLIES":
            slots.setdefault((r.dst, "item", r.props["item"]), set()).add(r.src)
        elif r.type == "REQUIRES":
            slots.setdefault((r.src, "item", r.dst), set())
        elif r.type == "USES_MATERIAL":
            slots.setdefault((r.src, "material", r.dst), set()).add(r.dst)
        elif r.type == "LOCATED_IN":
            slots.setdefault((r.src, "location"), set()).add(r.dst)
        elif r.type == "PRODUCES":
            slots.setdefault((r.dst, "production"), set()).add(r.src)
    per_unit: dict[str, list[set[str]]] = {u: [] for u in units}
    for k, providers in slots.items():
        per_unit[k[0]].append(providers)
    return units, per_unit


def oracle_operational(ds: Dataset, disrupted: set[str]) -> set[str]:
    """Operational units: greatest fixpoint by repeated sweeps (start all up, only force down)."""
    units, slots = supply_model(ds)
    up = units - set(disrupted)
    changed = True
    while changed:
        changed = False
        for u in sorted(up):
            if any(ps and not (ps & up) for ps in slots[u]):
                up.discard(u)
                changed = True
    return up


def oracle_critical(ds: Dataset, target: str) -> set[str]:
    """Every unit whose removal alone stops ``target`` (the target itself included)."""
    units, _ = supply_model(ds)
    return {x for x in units if target not in oracle_operational(ds, {x})}
