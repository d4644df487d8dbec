"""Control: ownership chains to the ultimate controlling parent, and foreign control flags.

Rules (documented in docs/analyses.md):

- The weight of ``o -OWNED_BY-> h`` is ``voting_pct`` where given (the schema states it only where
  it differs from equity, and control follows votes), else ``share_pct``.
- Unknown weights: the owners of ``o`` whose weight is unknown split the remainder
  ``100 - (sum of known weights of o's owners)`` equally; such holdings are marked ``estimated``.
  So an owner recorded without a share, alone, is read as a wholly owning parent.
- Effective share of ``h`` in ``o``: the share of ``o`` that reaches ``h`` (see
  :mod:`.ownership`): the sum over the ownership paths ``o -> ... -> h`` of the product of the
  weights, a path ending at its first visit to ``h``; round a loop of cross-holdings the series
  is summed exactly. No depth limit. ``estimated`` when part of it rests on an estimated holding.
  ``paths`` lists the simple paths of at least 0.01 %, strongest first; a holder is listed when
  one of its paths is.
- Ultimate controlling parent: follow, from ``o``, the strongest owner (ties: the smaller id)
  holding at least the control threshold (default 50 %) of the current company, while there is
  one and it is not already on the chain; the last one reached (an organisation or a state) is
  the ultimate parent. ``o`` itself when nobody controls it.
- Flags, for organisations in the home country (default NL): every holder located abroad (or a
  foreign state) whose effective share reaches a threshold (defaults 10/25/50 %, the Wet Vifo
  practice), with the highest threshold reached as ``level``, whether the holder is outside both
  EU and NATO (bloc memberships, MEMBER_OF rows, in the selection), and the strongest path as
  explanation (ties, to 1e-9 %: the smaller next owner), with the weakest confidence and the
  oldest ``as_of`` of the records it rests on (the organisations on the path, its OWNED_BY rows
  and the holder's LOCATED_IN row).
- Only the rows the session selected count: a pending acquisition (``valid_from`` after
  ``--as-of``) or a sold stake (``valid_to`` before it) is not a current holding.

Cost: O(V + E) over the ownership graph for one organisation's shares, plus its answer (the
paths it lists); for the flags, O((V + E) · f), f the number of foreign holders of a company,
plus the answer; a loop of k cross-holding companies adds O(k^3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..dataset.classification import CONFIDENCE_LEVELS, confidence_rank
from ..dataset.records import Dataset
from ..dataset.search import resolve_id
from ..defaults import DEFAULT_THRESHOLDS
from ..errors import QueryError
from ..perf import gc_paused
from ..projection import ALLIED_BLOCS, date_int, date_str
from .ownership import Owners, holder_vectors, shares_from

__all__ = ["control", "ownership_paths", "DEFAULT_THRESHOLDS", "MIN_PATH_PCT"]

MIN_PATH_PCT = 0.01
_EST = 1e-11  # a share resting on estimated holdings below this (a fraction) does not count


def _owners(ds: Dataset) -> Owners:
    raw: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for r in ds.rels_of("OWNED_BY"):
        pct = r.props.get("voting_pct", r.props.get("share_pct"))
        raw[r.src].append((r.dst, None if pct is None else float(pct)))
    owners: Owners = {}
    for o, lst in raw.items():
        known = sum(p for _, p in lst if p is not None)
        unknown = sum(1 for _, p in lst if p is None)
        rest = max(0.0, 100.0 - known) / unknown if unknown else 0.0
        owners[o] = sorted((h, rest if p is None else p, p is None) for h, p in lst)
    return owners


def ownership_paths(owners: Owners, org: str) -> dict[str, list[dict[str, Any]]]:
    """The simple ownership paths of at least ``MIN_PATH_PCT`` from ``org``, per holder,
    strongest first (depth first, without recursion: O(the paths listed · their length))."""
    out: dict[str, list[tuple[float, list[str]]]] = defaultdict(list)
    path, on_path = [org], {org}
    stack = [(iter(owners.get(org, ())), 100.0)]
    while stack:
        it, pct = stack[-1]
        for h, w, _ in it:
            share = pct * w / 100.0
            if h in on_path or share < MIN_PATH_PCT:
                continue
            path.append(h)
            on_path.add(h)
            out[h].append((share, path.copy()))
            stack.append((iter(owners.get(h, ())), share))
            break
        else:
            stack.pop()
            on_path.discard(path.pop())
    return {
        h: [{"path": p, "pct": round(share, 4)} for share, p in sorted(lst, key=lambda sp: (-round(sp[0], 9), sp[1]))]
        for h, lst in out.items()
    }


def _controller(owners: Owners, org: str, control_pct: float) -> str | None:
    top = [(w, h) for h, w, _ in owners.get(org, ()) if w >= control_pct and h != org]
    return min(top, key=lambda wh: (-wh[0], wh[1]))[1] if top else None


class _Chains:
    """Chains to the ultimate controlling parent, each built once from its parent's chain."""

    def __init__(self, owners: Owners, control_pct: float):
        self.owners, self.control_pct = owners, control_pct
        self.memo: dict[str, list[str]] = {}

    def __call__(self, org: str) -> list[str]:
        memo, seq, seen = self.memo, [], {}
        v: str | None = org
        while v is not None and v not in memo and v not in seen:
            seen[v] = len(seq)
            seq.append(v)
            v = _controller(self.owners, v, self.control_pct)
        if v is not None and v in seen:  # a loop of control: each member's chain goes round it once
            loop = seq[seen[v] :]
            for i, x in enumerate(loop):
                memo[x] = loop[i:] + loop[:i]
            seq = seq[: seen[v]]
        tail = memo.get(v, []) if v is not None else []
        for x in reversed(seq):
            tail = memo[x] = [x, *tail]
        return memo[org]


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
    with gc_paused():  # many small lists, none of them garbage
        return _control(ds, node_id, levels, home)


def _control(ds: Dataset, node_id: str | None, levels: list[float], home: str) -> dict[str, Any]:
    owners = _owners(ds)
    nodes = ds.nodes
    located_in = ds.rels_of("LOCATED_IN")  # one type's relationships only (a dataset holds them by type)
    located = {r.src: r.dst for r in located_in}
    located_row = {r.src: r.props for r in located_in}
    owned_row = {(r.src, r.dst): r.props for r in ds.rels_of("OWNED_BY")}
    allies = {r.src for r in ds.rels_of("MEMBER_OF") if r.dst in ALLIED_BLOCS and nodes[r.dst].label == "Bloc"}

    def country_of(x: str) -> str | None:
        return x if nodes[x].label == "Country" else located.get(x)

    def foreign(c: str | None) -> bool:
        return c is not None and c != home

    def non_allied(c: str | None) -> bool:
        return c is not None and c not in allies

    def counted(h: str) -> bool:  # the holders the flags and the totals need
        c = country_of(h)
        return foreign(c) or non_allied(c)

    chains = _Chains(owners, levels[-1])

    def evidence(*rows: Any) -> tuple[int, int]:
        return (
            max(confidence_rank(r.get("confidence")) for r in rows),
            min(date_int(r.get("as_of")) for r in rows),
        )

    steps = {(o, h): evidence(nodes[o].props, row) for (o, h), row in owned_row.items()}
    holders = {h for lst in owners.values() for h, _, _ in lst}
    ends = {h: evidence(nodes[h].props, *([located_row[h]] if h in located_row else [])) for h in holders}
    paths: dict[tuple[str, str], list[str]] = {}
    # the next hop of a company with a single owner, whatever the holder (no lookup in its vector)
    sole = {o: held[0][0] for o, lst in owners.items() if len(held := [x for x in lst if x[1] > 0]) == 1}

    def strongest_path(vec, org: str, h: str, targets: set[str]) -> list[str]:
        """The strongest path from ``org`` to ``h``, by the next hops; kept for the targets,
        whose paths later targets reuse."""
        seq, v = [], org
        while v != h and (v, h) not in paths:
            seq.append(v)
            v = sole[v] if v in sole else vec[v][h][3]
        tail = [h] if v == h else paths[v, h]
        for i in range(len(seq) - 1, -1, -1):
            if seq[i] in targets or i == 0:
                tail = seq[i:] + tail
                del seq[i:]
                paths[tail[0], h] = tail
        return tail

    def flags_of(vec, org: str, targets: set[str]) -> tuple[list[dict[str, Any]], float, float]:
        flags = []
        foreign_pct = non_allied_pct = 0.0
        for h, (s, r, _, _, conf, asof) in sorted(vec[org].items()):
            pct = round(min(s * 100.0, 100.0), 4)
            c = country_of(h)
            if h not in owners and pct >= MIN_PATH_PCT:  # a root holder: count it once in the totals
                foreign_pct += pct if foreign(c) else 0.0
                non_allied_pct += pct if non_allied(c) else 0.0
            reached = [t for t in levels if pct >= t]
            if foreign(c) and reached:
                path = strongest_path(vec, org, h, targets)
                flags.append(
                    {
                        "holder": h,
                        "holder_country": c,
                        "effective_pct": pct,
                        "level": reached[-1],
                        "non_eu_nato": non_allied(c),
                        "estimated": s - r > _EST,
                        "path": path,
                        "confidence": CONFIDENCE_LEVELS[conf],
                        "oldest_as_of": date_str(asof),
                    }
                )
        return flags, round(min(foreign_pct, 100.0), 4), round(min(non_allied_pct, 100.0), 4)

    def parent(org: str) -> dict[str, Any]:
        chain = chains(org)
        top = chain[-1]
        return {"id": top, "name": nodes[top].name, "country": country_of(top), "chain": chain}

    if node_id is not None:
        resolve_id(ds, node_id, ("Organisation",), "organisation")
        org = node_id
        vec = holder_vectors(owners, [org], counted, steps, ends)
        total = shares_from(owners, org)
        recorded = shares_from(owners, org, lambda est: not est)
        listed = ownership_paths(owners, org)
        holders = []
        for h in sorted(listed):
            s, r = (vec[org][h][0], vec[org][h][1]) if h in vec[org] else (total[h], recorded.get(h, 0.0))
            c = country_of(h)
            holders.append(
                {
                    "id": h,
                    "label": nodes[h].label,
                    "name": nodes[h].name,
                    "country": c,
                    "effective_pct": round(min(s * 100.0, 100.0), 4),
                    "estimated": s - r > _EST,
                    "foreign": foreign(c),
                    "non_eu_nato": non_allied(c),
                    "paths": listed[h],
                }
            )
        flags, foreign_pct, non_allied_pct = flags_of(vec, org, {org})
        return {
            "home": home,
            "thresholds": levels,
            "id": org,
            "name": nodes[org].name,
            "country": country_of(org),
            "owners": [{"id": h, "pct": round(w, 4), "estimated": est} for h, w, est in owners.get(org, ())],
            "holders": holders,
            "ultimate_parent": parent(org),
            "foreign_pct": foreign_pct,
            "non_eu_nato_pct": non_allied_pct,
            "flags": flags,
        }
    home_orgs = sorted(o for o, c in located.items() if c == home and nodes[o].label == "Organisation")
    owned = [o for o in home_orgs if o in owners]
    vec = holder_vectors(owners, owned, counted, steps, ends)
    flagged = []
    targets = set(owned)
    for org in owned:
        flags, foreign_pct, non_allied_pct = flags_of(vec, org, targets)
        if flags:
            flagged.append(
                {
                    "id": org,
                    "name": nodes[org].name,
                    "ultimate_parent": parent(org),
                    "foreign_pct": foreign_pct,
                    "non_eu_nato_pct": non_allied_pct,
                    "flags": flags,
                }
            )
    return {"home": home, "thresholds": levels, "checked": len(home_orgs), "organisations": flagged}
