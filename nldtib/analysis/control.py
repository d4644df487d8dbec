"""Control: ownership chains to the ultimate controlling parent, and foreign control flags.

Rules (documented in docs/analyses.md):

- The weight of ``o -OWNED_BY-> h`` is ``voting_pct`` where given (the schema states it only where
  it differs from equity, and control follows votes), else ``share_pct``.
- Unknown weights: the owners of ``o`` whose weight is unknown split the remainder
  ``100 - (sum of known weights of o's owners)`` equally; such holdings are marked ``estimated``.
  So an owner recorded without a share, alone, is read as a wholly owning parent.
- Effective share of ``h`` in ``o``: the sum over simple ownership paths ``o -> ... -> h`` of the
  product of the weights (paths below 0.01 % are dropped; cycles are cut where a path would
  revisit a node).
- Ultimate controlling parent: follow, from ``o``, the owner holding at least the control
  threshold (default 50 %) of the current company, while there is one; the last one reached
  (an organisation or a state) is the ultimate parent. ``o`` itself when nobody controls it.
- Flags, for organisations in the home country (default NL): every holder located abroad (or a
  foreign state) whose effective share reaches a threshold (defaults 10/25/50 %, the Wet Vifo
  practice), with the highest threshold reached as ``level``, whether the holder is outside both
  EU and NATO (bloc memberships, MEMBER_OF rows, in the selection), and the strongest path as
  explanation, with the weakest confidence and the oldest ``as_of`` of the records it rests on
  (the organisations on the path, its OWNED_BY rows and the holder's LOCATED_IN row).
- Only the rows the session selected count: a pending acquisition (``valid_from`` after
  ``--as-of``) or a sold stake (``valid_to`` before it) is not a current holding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from ..dataset.classification import CONFIDENCE_LEVELS, confidence_rank
from ..dataset.records import Dataset
from ..dataset.search import resolve_id
from ..defaults import DEFAULT_THRESHOLDS
from ..errors import QueryError
from ..projection import ALLIED_BLOCS, date_int, date_str

__all__ = ["control", "holdings", "DEFAULT_THRESHOLDS", "MIN_PATH_PCT"]

MIN_PATH_PCT = 0.01
MAX_DEPTH = 20


def _owners(ds: Dataset) -> dict[str, list[tuple[str, float, bool]]]:
    raw: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for r in ds.rels_of("OWNED_BY"):
        pct = r.props.get("voting_pct", r.props.get("share_pct"))
        raw[r.src].append((r.dst, None if pct is None else float(pct)))
    owners: dict[str, list[tuple[str, float, bool]]] = {}
    for o, lst in raw.items():
        known = sum(p for _, p in lst if p is not None)
        unknown = sum(1 for _, p in lst if p is None)
        rest = max(0.0, 100.0 - known) / unknown if unknown else 0.0
        owners[o] = sorted((h, rest if p is None else p, p is None) for h, p in lst)
    return owners


def holdings(owners: dict[str, list[tuple[str, float, bool]]], org: str) -> dict[str, dict[str, Any]]:
    """Effective share of every direct or indirect holder of ``org``, with its paths."""
    out: dict[str, dict[str, Any]] = {}

    def walk(node: str, path: list[str], pct: float, estimated: bool) -> None:
        if len(path) > MAX_DEPTH:
            return
        for h, w, est in owners.get(node, ()):
            if h in path:
                continue
            share = pct * w / 100.0
            if share < MIN_PATH_PCT:
                continue
            entry = out.setdefault(h, {"effective_pct": 0.0, "paths": [], "estimated": False})
            entry["effective_pct"] += share
            entry["estimated"] = entry["estimated"] or estimated or est
            entry["paths"].append({"path": path + [h], "pct": round(share, 4)})
            walk(h, path + [h], share, estimated or est)

    walk(org, [org], 100.0, False)
    for entry in out.values():
        entry["effective_pct"] = round(min(entry["effective_pct"], 100.0), 4)
        entry["paths"].sort(key=lambda p: (-p["pct"], p["path"]))
    return out


def _ultimate(owners, org: str, control_pct: float) -> list[str]:
    chain = [org]
    while True:
        top = [(w, h) for h, w, _ in owners.get(chain[-1], ()) if w >= control_pct and h not in chain]
        if not top:
            return chain
        chain.append(min(top, key=lambda wh: (-wh[0], wh[1]))[1])


def control(
    ds: Dataset, node_id: str | None = None, thresholds: Sequence[float] = DEFAULT_THRESHOLDS, home: str = "NL"
) -> dict[str, Any]:
    """Ownership of one organisation, or foreign-control flags for every home-country one.

    With ``node_id``: ``{"id", "name", "country", "owners", "holders", "ultimate_parent", "flags"}``.
    Without: ``{"home", "thresholds", "checked", "organisations": [{"id", "name",
    "ultimate_parent", "foreign_pct", "non_eu_nato_pct", "flags"}]}`` for every home organisation
    with at least one flag, sorted by id.
    """
    levels = sorted(float(t) for t in thresholds)
    if not levels or any(not 0 < t <= 100 for t in levels):
        raise QueryError("thresholds must be percentages between 0 and 100")
    owners = _owners(ds)
    nodes = ds.nodes
    located_in = ds.rels_of("LOCATED_IN")  # one type's relationships only (a dataset holds them by type)
    located = {r.src: r.dst for r in located_in}
    located_row = {r.src: r.props for r in located_in}
    owned_row = {(r.src, r.dst): r.props for r in ds.rels_of("OWNED_BY")}
    allies = {r.src for r in ds.rels_of("MEMBER_OF") if r.dst in ALLIED_BLOCS and nodes[r.dst].label == "Bloc"}

    def country_of(x: str) -> str | None:
        return x if nodes[x].label == "Country" else located.get(x)

    def allied(c: str | None) -> bool:
        return c is not None and c in allies

    def rests_on(path: list[str]) -> dict[str, Any]:
        rows = [nodes[x].props for x in path] + [owned_row[a, b] for a, b in pairwise(path)]
        if path[-1] in located_row:
            rows.append(located_row[path[-1]])
        return {
            "confidence": CONFIDENCE_LEVELS[max(confidence_rank(r.get("confidence")) for r in rows)],
            "oldest_as_of": date_str(min(date_int(r.get("as_of")) for r in rows)),
        }

    def describe(org: str) -> dict[str, Any]:
        held = holdings(owners, org)
        holders, flags = [], []
        foreign_pct = non_allied_pct = 0.0
        for h in sorted(held):
            e = held[h]
            c = country_of(h)
            foreign = c is not None and c != home
            non_allied = c is not None and not allied(c)
            reached = [t for t in levels if e["effective_pct"] >= t]
            row = {
                "id": h,
                "label": nodes[h].label,
                "name": nodes[h].name,
                "country": c,
                "effective_pct": e["effective_pct"],
                "estimated": e["estimated"],
                "foreign": foreign,
                "non_eu_nato": non_allied,
                "paths": e["paths"],
            }
            holders.append(row)
            if h not in owners:  # a root holder: count it once in the totals
                foreign_pct += e["effective_pct"] if foreign else 0.0
                non_allied_pct += e["effective_pct"] if non_allied else 0.0
            if foreign and reached:
                flags.append(
                    {
                        "holder": h,
                        "holder_country": c,
                        "effective_pct": e["effective_pct"],
                        "level": reached[-1],
                        "non_eu_nato": non_allied,
                        "estimated": e["estimated"],
                        "path": e["paths"][0]["path"],
                        **rests_on(e["paths"][0]["path"]),
                    }
                )
        chain = _ultimate(owners, org, levels[-1])
        top = chain[-1]
        return {
            "id": org,
            "name": nodes[org].name,
            "country": country_of(org),
            "owners": [{"id": h, "pct": round(w, 4), "estimated": est} for h, w, est in owners.get(org, ())],
            "holders": holders,
            "ultimate_parent": {"id": top, "name": nodes[top].name, "country": country_of(top), "chain": chain},
            "foreign_pct": round(min(foreign_pct, 100.0), 4),
            "non_eu_nato_pct": round(min(non_allied_pct, 100.0), 4),
            "flags": flags,
        }

    if node_id is not None:
        resolve_id(ds, node_id, ("Organisation",), "organisation")
        return {"home": home, "thresholds": levels, **describe(node_id)}
    home_orgs = sorted(o for o, c in located.items() if c == home and nodes[o].label == "Organisation")
    flagged = []
    for org in home_orgs:
        if org not in owners:
            continue
        d = describe(org)
        if d["flags"]:
            flagged.append(
                {k: d[k] for k in ("id", "name", "ultimate_parent", "foreign_pct", "non_eu_nato_pct", "flags")}
            )
    return {"home": home, "thresholds": levels, "checked": len(home_orgs), "organisations": flagged}
