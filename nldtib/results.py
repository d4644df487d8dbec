"""Typed results of the session's questions.

Each result is a frozen dataclass whose fields are the top-level keys of its JSON contract
(docs/analyses.md), in contract order. ``to_dict()`` gives exactly the JSON that ``nldtib
<command> --format json`` prints; ``to_frame()`` gives the main table as a pandas DataFrame
(pandas is an optional extra: ``pip install 'nldtib[pandas]'``). Nested values are plain dicts
and lists: treat them as read-only.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from .errors import ConfigError

__all__ = [
    "Result",
    "Stats",
    "NodeDetail",
    "SearchHits",
    "Dependencies",
    "Members",
    "WhatIf",
    "Chokepoints",
    "Exposure",
    "Ownership",
    "ControlFlags",
    "Gaps",
]


class _Absent:
    """Marks a contract key that this result leaves out (for example ``whatif`` without explanations)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclasses.dataclass(frozen=True)
class Result:
    """The base of every typed result."""

    title: ClassVar[str] = "result"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        """The result holding ``data``, a dict in the JSON contract (unknown keys are an error)."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise TypeError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract, as printed by the CLI with ``--format json``."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not ABSENT}

    def rows(self) -> list[dict[str, Any]]:
        """The main table, one dict per row (what :meth:`to_frame` puts in a DataFrame)."""
        return []

    def to_frame(self) -> Any:
        """The main table as a pandas DataFrame."""
        try:
            import pandas as pd
        except ImportError:
            raise ConfigError("pandas is not installed: pip install 'nldtib[pandas]'") from None
        return pd.DataFrame(self.rows())

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {self.title}; {len(self.rows())} rows; .to_dict() and .to_frame() give the data>"
        )


@dataclasses.dataclass(frozen=True, repr=False)
class Stats(Result):
    title: ClassVar[str] = "directory figures"
    origin: str
    classification: str
    nodes: int
    relationships: int
    by_label: dict
    by_relationship_type: dict
    organisations: dict
    provenance: dict

    def rows(self) -> list[dict[str, Any]]:
        return [{"label": k, "nodes": v} for k, v in self.by_label.items()]


@dataclasses.dataclass(frozen=True, repr=False)
class NodeDetail(Result):
    title: ClassVar[str] = "one node with its relationships"
    id: str
    label: str
    name: str
    properties: dict
    provenance: dict
    relationships: list
    classification: str

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "type": r["type"],
                "direction": r["direction"],
                "other": r["other"]["id"],
                "other_name": r["other"]["name"],
                "other_label": r["other"]["label"],
                **r["properties"],
                **r["provenance"],
            }
            for r in self.relationships
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class SearchHits(Result):
    title: ClassVar[str] = "search results"
    query: str
    results: list

    def rows(self) -> list[dict[str, Any]]:
        return list(self.results)


@dataclasses.dataclass(frozen=True, repr=False)
class Dependencies(Result):
    title: ClassVar[str] = "dependencies, tier by tier"
    root: str
    direction: str
    depth: int | None
    nodes: list

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": n["id"],
                "label": n["label"],
                "name": n["name"],
                "tier": n["tier"],
                "via": n["via"]["type"],
                "item": n["via"].get("item"),
                "path": " > ".join(n["path"]),
            }
            for n in self.nodes
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class Members(Result):
    title: ClassVar[str] = "the organisations in a programme"
    programme: dict
    country: str | None
    depth: int | None
    offices: list
    counts: dict
    members: list

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": m["id"],
                "name": m["name"],
                "kind": m["kind"],
                "country": m["country"],
                "tier": m["tier"],
                "roles": ", ".join(m["roles"]),
                "supplies": "; ".join(f"{s['item_name']} to {s['to']}" for s in m["supplies"]),
                "path": " > ".join(m["path"]),
            }
            for m in self.members
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class WhatIf(Result):
    title: ClassVar[str] = "what fails, and why"
    disrupted: list
    failed: list
    programmes_failed: list
    min_share: float = 0.0
    explanations: dict = ABSENT
    causes: dict = ABSENT
    shortages: list = ABSENT
    counts: dict = ABSENT
    programmes_confidence: str | None = None
    programmes_oldest_as_of: str | None = None
    as_of: str | None = None
    withheld: bool = False

    def rows(self) -> list[dict[str, Any]]:
        disrupted = set(self.disrupted)
        causes = self.causes if self.causes is not ABSENT else {}
        chains = self.explanations if self.explanations is not ABSENT else {}
        return [
            {
                "id": u,
                "disrupted": u in disrupted,
                "slot": causes.get(u, {}).get("slot"),
                "lost": ", ".join(causes.get(u, {}).get("lost", [])),
                "confidence": causes.get(u, {}).get("confidence"),
                "oldest_as_of": causes.get(u, {}).get("oldest_as_of"),
                "chain": " <- ".join(chains.get(u, [])),
            }
            for u in self.failed
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class Chokepoints(Result):
    title: ClassVar[str] = "single points of failure per target"
    order: int
    targets: list
    impact: list
    min_share: float = 0.0
    as_of: str | None = None
    withheld: bool = False

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "target": t["id"],
                "id": c["id"],
                "label": c["label"],
                "name": c["name"],
                "chain": " <- ".join(c["path"]),
                "via": ", ".join(c["via"]),
                "confidence": c["confidence"],
                "oldest_as_of": c["oldest_as_of"],
            }
            for t in self.targets
            for c in t["critical"]
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class Exposure(Result):
    title: ClassVar[str] = "concentration per slot and foreign dependence per target"
    home: str
    targets: list
    slots: list
    top_risks: list
    as_of: str | None = None
    withheld: bool = False

    def rows(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in s.items() if k != "countries"} | {"countries": s["countries"]} for s in self.slots]


@dataclasses.dataclass(frozen=True, repr=False)
class Ownership(Result):
    title: ClassVar[str] = "ownership of one organisation"
    home: str
    thresholds: list
    id: str
    name: str
    country: str | None
    owners: list
    holders: list
    ultimate_parent: dict
    foreign_pct: float
    non_eu_nato_pct: float
    flags: list
    as_of: str | None = None
    withheld: bool = False

    def rows(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in h.items() if k != "paths"} | {"strongest_path": " > ".join(h["paths"][0]["path"])}
            for h in self.holders
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class ControlFlags(Result):
    title: ClassVar[str] = "foreign control of home-country organisations"
    home: str
    thresholds: list
    checked: int
    organisations: list
    as_of: str | None = None
    withheld: bool = False

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "id": o["id"],
                "name": o["name"],
                "ultimate_parent": o["ultimate_parent"]["id"],
                "holder": f["holder"],
                "holder_country": f["holder_country"],
                "effective_pct": f["effective_pct"],
                "level": f["level"],
                "non_eu_nato": f["non_eu_nato"],
                "estimated": f["estimated"],
                "confidence": f["confidence"],
                "oldest_as_of": f["oldest_as_of"],
                "path": " > ".join(f["path"]),
            }
            for o in self.organisations
            for f in o["flags"]
        ]


@dataclasses.dataclass(frozen=True, repr=False)
class Gaps(Result):
    title: ClassVar[str] = "what the directory does not know yet"
    slots: list
    unlocated: list
    programmes_without_supply: list
    counts: dict

    def rows(self) -> list[dict[str, Any]]:
        return list(self.slots)
