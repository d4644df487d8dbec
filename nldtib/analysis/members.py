"""Members of a programme: the organisations in its supply tree, its office's, and its participants.

This answers "which Dutch firms are in the F-35?", which ``deps`` does not: ``deps`` follows the
programme's own supply relationships, so firms that supply the programme *office* (the F-35 JPO
assigns maintenance work) are left out, and it lists items, materials and countries too.

- The **programme offices** are the organisations that participate in the programme with role
  ``lead`` (``PARTICIPATES_IN {role: lead}``). They are tier 0, with the programme.
- The **supply tree** is every organisation from which a supply relationship whose provider is an
  organisation (``SUPPLIES``, read from the schema's supply roles) leads, in one or more steps, to
  the programme or to one of its offices. Its **tier** is the least number of such steps: tier 1
  supplies the programme or an office directly.
- The other **participants** (roles ``prime``, ``contractor``, ``partner``, ``participant``; not
  ``customer``) are members too; a participant with no supply relationship in the tree has no tier
  (``null``): the directory knows it works on the programme, not what it supplies.

Each member comes with its kind, its country (``LOCATED_IN``), its roles, what it supplies to
whom inside the tree, and one shortest path to the programme (``[programme, (office,) ...,
member]``, the smallest ids first, as in ``deps``). ``depth`` keeps tiers up to N (and the
participants without a tier); ``country`` keeps the members located there. Tiers and paths are
always those of the whole tree. O(N + E) over the supply relationships.
"""

from __future__ import annotations

from typing import Any

from ..dataset.records import Dataset
from ..dataset.search import resolve_id
from ..errors import QueryError
from ..projection import Projection
from ._common import projection_of

__all__ = ["members", "OFFICE_ROLE", "MEMBER_ROLES"]

OFFICE_ROLE = "lead"
MEMBER_ROLES = ("prime", "contractor", "partner", "participant")
_PARTICIPATION = "PARTICIPATES_IN"
_LOCATION = "LOCATED_IN"


def _organisation_supply_types(ds: Dataset) -> set[str]:
    """The supply relationship types whose provider end is an organisation (SUPPLIES)."""
    out = set()
    for rel_type, role in ds.schema.supply_types.items():
        rt = ds.schema.rel(rel_type)
        providers = rt.sources if role.provider == "from" else rt.targets
        if role.provides and role.slot == "item" and "Organisation" in providers:
            out.add(rel_type)
    return out


def members(
    ds: Dataset,
    programme: str,
    *,
    country: str | None = None,
    depth: int | None = None,
    projection: Projection | None = None,
) -> dict[str, Any]:
    """The organisations that are members of ``programme``.

    Returns ``{"programme": {"id", "name"}, "country", "depth", "offices": [{"id", "name",
    "country"}], "counts":
    {"members", "by_tier", "by_country"}, "members": [{"id", "name", "kind", "country", "tier",
    "roles", "supplies": [{"item", "item_name", "to"}], "path"}]}``, members sorted by tier (null
    last), then id.
    """
    if depth is not None and depth < 0:
        raise QueryError(f"depth must be 0 or more, not {depth}")
    root = resolve_id(ds, programme, ["Programme"], what="programme")
    proj = projection_of(ds, projection)
    cc = country.upper() if country else None
    if cc is not None:
        resolve_id(ds, cc, ["Country"], what="country")

    roles: dict[str, list[str]] = {}
    for r in ds.rels_of(_PARTICIPATION):
        if r.dst == root.id and ds.nodes[r.src].label == "Organisation":
            role = r.props.get("role")
            if role == OFFICE_ROLE or role in MEMBER_ROLES:
                roles.setdefault(r.src, []).append(role)
    offices = sorted(i for i, rs in roles.items() if OFFICE_ROLE in rs)

    # breadth-first over "who supplies whom", upstream from the programme and its offices
    supply_types = _organisation_supply_types(ds)
    ptr, dst, typ, item = proj.dep_adjacency("up")
    wanted = {k for k, t in enumerate(proj.dep_types) if t in supply_types}
    ids, index = proj.ids, proj.index
    tier: dict[str, int] = {root.id: 0}
    path: dict[str, list[str]] = {root.id: [root.id]}
    for office in offices:
        tier[office] = 0
        path[office] = [root.id, office]
    supplies: dict[str, list[dict[str, str]]] = {}
    frontier = sorted(i for i in tier if i in index)
    t = 0
    while frontier:
        t += 1
        nxt: dict[str, str] = {}
        for consumer in frontier:
            v = index[consumer]
            for k in range(ptr[v], ptr[v + 1]):
                if int(typ[k]) not in wanted:
                    continue
                supplier = ids[int(dst[k])]
                if ds.nodes[supplier].label != "Organisation":
                    continue
                if supplier not in tier and (supplier not in nxt or consumer < nxt[supplier]):
                    nxt[supplier] = consumer
        for supplier, via in nxt.items():
            tier[supplier] = t
            path[supplier] = path[via] + [supplier]
        frontier = sorted(nxt)
    in_tree = {i for i in tier if i != root.id}
    # what each member supplies to whom inside the tree (all such relationships, not only the path's)
    for consumer in [root.id, *sorted(in_tree)]:
        if consumer not in index:
            continue
        v = index[consumer]
        for k in range(ptr[v], ptr[v + 1]):
            supplier = ids[int(dst[k])]
            if int(typ[k]) in wanted and supplier in in_tree and int(item[k]) >= 0:
                it = ids[int(item[k])]
                supplies.setdefault(supplier, []).append({"item": it, "item_name": ds.nodes[it].name, "to": consumer})

    location = proj.country

    def located(i: str) -> str | None:
        c = int(location[index[i]]) if i in index else -1
        return ids[c] if c >= 0 else None

    rows = []
    for i in sorted(in_tree | set(roles)):
        where = located(i)
        if (cc is not None and where != cc) or (depth is not None and tier.get(i, 0) > depth):
            continue
        node = ds.nodes[i]
        rows.append(
            {
                "id": i,
                "name": node.name,
                "kind": node.props.get("kind"),
                "country": where,
                "tier": tier.get(i),
                "roles": sorted(set(roles.get(i, ()))),
                "supplies": sorted(supplies.get(i, []), key=lambda s: (s["to"], s["item"])),
                "path": path.get(i, [root.id, i]),
            }
        )
    rows.sort(key=lambda m: (m["tier"] is None, m["tier"] or 0, m["id"]))
    by_tier: dict[str, int] = {}
    by_country: dict[str, int] = {}
    for m in rows:
        key = "none" if m["tier"] is None else str(m["tier"])
        by_tier[key] = by_tier.get(key, 0) + 1
        where = m["country"] or "unknown"
        by_country[where] = by_country.get(where, 0) + 1
    return {
        "programme": {"id": root.id, "name": root.name},
        "country": cc,
        "depth": depth,
        "offices": [{"id": i, "name": ds.nodes[i].name, "country": located(i)} for i in offices],
        "counts": {
            "members": len(rows),
            "by_tier": by_tier,
            "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        },
        "members": rows,
    }
