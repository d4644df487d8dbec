"""What the interactive graph highlights: critical units and sole-source links of chosen targets.

:class:`Highlights` is what :func:`nldtib.output.graph.page.graph_page` draws;
:func:`target_highlights` fills it for ``nldtib graph --target`` from the chokepoints result.

Everything is computed on the records the page may show, so no withheld record can shape a
highlight. Whether a withheld record bears on a target's critical set is one yes/no bit that
the session computes (:meth:`nldtib.Session.graph`).

- Targets: the given ids.
- Critical units: each target's order-1 single points of failure, with the reason
  ``critical for <target>: chain <target> <- ... <- <unit>`` (one per target it stops).
- Sole-source links: for each sole-source slot of a target's supply tree, the relationship that
  connects the unit to its only provider, found through the schema's supply roles (for example
  ``SUPPLIES`` provider -> unit with the slot's item, ``LOCATED_IN`` unit -> country).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...analysis.deps import dependencies
from ...dataset.records import Dataset, Rel
from ...projection import Projection
from ...schema import Schema

__all__ = ["Highlights", "target_highlights", "target_scope", "sole_source_link"]


@dataclass
class Highlights:
    """What to highlight for chosen targets.

    ``targets``: node ids of the targets; ``critical``: node id -> why it is critical (one
    line, shown as is in the tooltip and the details panel); ``sole_source``: links
    ``{"from", "to"}`` with optional ``"type"`` and ``"item"`` (a link without them matches any
    relationship between the two); ``withheld``: a critical path of a target runs through a
    record withheld at the limit (the page then says so, and nothing more); ``summary``: lines
    the page shows under its summary. Ids not in the drawn graph are ignored.
    """

    targets: list[str] = field(default_factory=list)
    critical: dict[str, str] = field(default_factory=dict)
    sole_source: list[dict[str, str]] = field(default_factory=list)
    withheld: bool = False
    summary: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> Highlights:
        raw = raw or {}
        return cls(
            targets=list(raw.get("targets", ())),
            critical=dict(raw.get("critical", {})),
            sole_source=[dict(s) for s in raw.get("sole_source", ())],
            withheld=bool(raw.get("withheld", False)),
            summary=list(raw.get("summary", ())),
        )

    def __bool__(self) -> bool:
        return bool(self.targets or self.critical or self.sole_source)

    def is_sole_source(self, rel: Rel) -> bool:
        for link in self.sole_source:
            if (
                link.get("from") == rel.src
                and link.get("to") == rel.dst
                and link.get("type", rel.type) == rel.type
                and link.get("item", rel.props.get("item")) == rel.props.get("item")
            ):
                return True
        return False

    def merged(self, other: Highlights) -> Highlights:
        """Both sets of highlights (reasons for the same unit are joined with ``; ``)."""
        critical = dict(self.critical)
        for i, why in other.critical.items():
            critical[i] = f"{critical[i]}; {why}" if critical.get(i) and why else (critical.get(i) or why)
        links = self.sole_source + [s for s in other.sole_source if s not in self.sole_source]
        return Highlights(
            list(dict.fromkeys(self.targets + other.targets)),
            critical,
            links,
            self.withheld or other.withheld,
            self.summary + other.summary,
        )


def sole_source_link(schema: Schema, unit: str, slot: str, provider: str) -> dict[str, str]:
    """The relationship (``from``, ``to``, ``type``, and the property naming the slot, if any)
    behind a sole-source slot, read from the schema's supply roles.

    >>> from nldtib.schema import load_schema
    >>> sole_source_link(load_schema(), "big-oem", "item:trm", "acme")
    {'from': 'acme', 'to': 'big-oem', 'type': 'SUPPLIES', 'item': 'trm'}
    >>> sole_source_link(load_schema(), "acme", "location", "NL")
    {'from': 'acme', 'to': 'NL', 'type': 'LOCATED_IN'}
    """
    kind, _, ref = slot.partition(":")
    for rel_type, role in schema.supply_types.items():
        if role.slot == kind and role.provides:
            ends = {role.consumer: unit, role.provider: provider}
            link = {"from": ends["from"], "to": ends["to"], "type": rel_type}
            if role.ref not in (None, "from", "to"):
                link[role.ref] = ref
            return link
    raise ValueError(f"unknown slot {slot!r}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def target_highlights(
    schema: Schema, choke: Mapping[str, Any], targets: Sequence[str], withheld: bool = False
) -> Highlights:
    """The highlights for ``targets`` from their ``chokepoints`` result (computed on the records
    the page may show). ``withheld``: a record withheld at the limit bears on a target's critical
    set (the page then says so, and nothing more)."""
    targets = list(dict.fromkeys(targets))
    by_id = {t["id"]: t for t in choke["targets"]}
    why: dict[str, list[str]] = {}
    links: list[dict[str, str]] = []
    seen: set[tuple[Any, ...]] = set()
    summary = []
    for t in (by_id[i] for i in targets):  # in the caller's order
        for c in t["critical"]:
            why.setdefault(c["id"], []).append(f"critical for {t['id']}: chain {' <- '.join(c['path'])}")
        for s in t["sole_source"]:
            link = sole_source_link(schema, s["unit"], s["slot"], s["provider"])
            key = tuple(sorted(link.items()))
            if key not in seen:
                seen.add(key)
                links.append(link)
        summary.append(
            f"{t['name']} ({t['id']}): {_plural(len(t['critical']), 'single point')} of failure, "
            f"{_plural(len(t['sole_source']), 'sole-source link')}."
        )
    return Highlights(
        targets=targets,
        critical={i: "; ".join(w) for i, w in sorted(why.items())},
        sole_source=links,
        withheld=withheld,
        summary=summary,
    )


def target_scope(shown: Dataset, targets: Sequence[str], projection: Projection) -> dict[str, int]:
    """The targets and every node of their upstream supply trees (``deps --direction up``), each
    with its tier: the least number of supply steps from a target (0 for the targets)."""
    tiers = dict.fromkeys(targets, 0)
    for t in targets:
        for n in dependencies(shown, t, "up", projection=projection)["nodes"]:
            tiers[n["id"]] = min(tiers.get(n["id"], n["tier"]), n["tier"])
    return tiers
