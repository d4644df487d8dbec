"""Turn a report result into a list of blocks that the Markdown and HTML renderers share.

Blocks: ``("h", level, text)``, ``("p", text)``, ``("ul", [text])``, ``("table", header, rows)``,
``("note", text)`` and ``("chart", svg, caption)`` (charts are drawn in HTML only).
"""

from __future__ import annotations

from typing import Any

from ..classification import WITHHELD_NOTE
from .svg import histogram, stacked_bars

__all__ = ["blocks", "LIST_LIMIT"]

LIST_LIMIT = 25


def pct(x: float) -> str:
    return f"{x * 100:.0f} %"


def _chain(path: list[str]) -> str:
    return " ← ".join(path)


def _limited(
    rows: list, what: str, total: int | None = None, where: str = "the JSON report lists them all"
) -> tuple[list, list]:
    """The first LIST_LIMIT rows, and a note on how many more there are (``total`` if the list
    itself was already cut)."""
    total = len(rows) if total is None else total
    extra = []
    if total > min(len(rows), LIST_LIMIT):
        extra = [("p", f"… and {total - min(len(rows), LIST_LIMIT)} more {what}; {where}.")]
    return rows[:LIST_LIMIT], extra


def _full_list(p: dict[str, Any]) -> str:
    return f"`nldtib chokepoints {p['id']} --format json` lists them all"


def _programme(p: dict[str, Any], home: str) -> list[tuple]:
    e = p["exposure"]
    out: list[tuple] = [("h", 3, f"{p['name']} ({p['id']})")]
    facts = [x for x in (p.get("kind"), p.get("status")) if x]
    countries = sorted(e["countries"].items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    out.append(
        (
            "p",
            f"{' · '.join(facts).capitalize() + '. ' if facts else ''}Supply tree: {e['organisations']} organisations; "
            f"outside {home} {pct(e['foreign_share'])}, outside the EU and NATO {pct(e['non_eu_nato_share'])}, "
            f"location unknown {pct(e['unknown_location_share'])}."
            + (f" Countries: {', '.join(f'{c} {pct(s)}' for c, s in countries)}." if countries else ""),
        )
    )
    if p["materials"]:
        mats = ", ".join(f"{m['name']}{' (single point of failure)' if m['critical'] else ''}" for m in p["materials"])
        out.append(("p", f"Critical raw materials in its supply tree: {mats}."))
    if p["lost_in_non_eu_nato_embargo"]:
        out.append(("p", "It would stop if every country outside both the EU and NATO dropped out."))
    if p["withheld_involved"]:
        out.append(("note", WITHHELD_NOTE[0].upper() + WITHHELD_NOTE[1:] + "."))
    if not p.get("operational", True):
        out.append(("note", "Already down at this share threshold with nothing lost."))
    rests = [
        text
        for text, on in (
            ("illustrative (modelled) records", p.get("illustrative_reliance")),
            ("evidence more than five years old", p.get("old_evidence")),
        )
        if on
    ]
    if rests:
        out.append(("note", f"Some single points of failure below rest on {' and on '.join(rests)}."))
    crit = p["critical"]
    n_crit = p.get("critical_count", len(crit))
    if crit:
        rows, extra = _limited(crit, "single points of failure", n_crit, _full_list(p))
        ranked = " (those that stop the most programmes first)" if n_crit > len(rows) else ""
        out.append(
            (
                "p",
                f"Single points of failure ({n_crit}): each unit's loss alone stops the programme; the chain shows why{ranked}.",
            )
        )
        out.append(
            (
                "table",
                ["unit", "kind", "chain"],
                [[f"{c['name']} ({c['id']})", c["label"], _chain(c["path"])] for c in rows],
            )
        )
        out.extend(extra)
    else:
        out.append(("p", "No single point of failure in the directory's data."))
    if p["sole_source"]:
        n_sole = p.get("sole_source_count", len(p["sole_source"]))
        rows, extra = _limited(p["sole_source"], "sole-source slots", n_sole, _full_list(p))
        out.append(
            (
                "p",
                f"Sole-source slots whose only provider is a single point of failure ({n_sole}): where a second source may take a chokepoint away.",
            )
        )
        out.append(
            (
                "table",
                ["consumer", "needs", "only provider"],
                [[s["unit"], s["slot"], s.get("provider", "")] for s in rows],
            )
        )
        out.extend(extra)
    if p["gaps"]:
        n_gaps = p.get("gaps_count", len(p["gaps"]))
        more = n_gaps - min(len(p["gaps"]), LIST_LIMIT)
        out.append(
            (
                "p",
                "Coverage gaps in its supply tree (no known provider): "
                + ", ".join(f"{g['unit']} needs {g['slot']}" for g in p["gaps"][:LIST_LIMIT])
                + (f" and {more} more ({_full_list(p)})." if more > 0 else "."),
            )
        )
    return out


def blocks(result: dict[str, Any]) -> list[tuple]:
    s = result["summary"]
    home = result["home"]
    out: list[tuple] = [
        ("h", 1, result["title"]),
        (
            "p",
            f"Source: {result['source']}. Generated by {result['generator']}. Programmes assessed: {s['programmes']}."
            + (f" The base as of {result['as_of']}." if result.get("as_of") else "")
            + (
                f" Records of confidence {result['min_confidence']} or stronger only."
                if result.get("min_confidence", "illustrative") != "illustrative"
                else ""
            )
            + (
                f" A supply slot fails below {result['min_share']:g} % of its share." if result.get("min_share") else ""
            ),
        ),
        ("h", 2, "Summary"),
        ("ul", s["findings"]),
        (
            "table",
            ["figure", "value"],
            [
                ["programmes assessed", s["programmes"]],
                ["programmes with a single point of failure", s["programmes_with_spof"]],
                ["organisations in the directory", s["organisations"]],
                ["supply slots in the programmes' trees", s["slots"]],
                ["sole-sourced slots", s["sole_source_slots"]],
                [
                    f"highly concentrated slots (HHI > {result['concentration']['hhi_high']:,})",
                    s["highly_concentrated_slots"],
                ],
                ["programmes lost if all non-EU/NATO countries drop out", s["programmes_lost_non_eu_nato"]],
            ],
        ),
    ]
    shortages = result.get("embargo_non_eu_nato", {}).get("shortages")
    if shortages:
        out += [
            ("h", 2, "Shortages if every country outside the EU and NATO dropped out"),
            (
                "p",
                "Supply slots that lose providers but still hold, worst first "
                f"({result['embargo_non_eu_nato']['shortages_count']} in all; the JSON report lists the worst).",
            ),
            (
                "table",
                ["unit", "slot", "providers lost", "known share left"],
                [
                    [
                        s["unit"],
                        s["slot"],
                        ", ".join(s["lost"]),
                        "unknown" if s["remaining_share_pct"] is None else f"{s['remaining_share_pct']:g} %",
                    ]
                    for s in shortages
                ],
            ),
        ]
    if result["impact"]:
        out += [
            ("h", 2, "Units that alone would stop the most programmes"),
            (
                "table",
                ["unit", "kind", "programmes stopped"],
                [[f"{u['name']} ({u['id']})", u["label"], u["targets"]] for u in result["impact"]],
            ),
        ]
    progs = result["programmes"]
    if progs:
        rows = [
            (
                p["name"],
                [
                    max(0.0, 1 - p["exposure"]["foreign_share"] - p["exposure"]["unknown_location_share"]),
                    max(0.0, p["exposure"]["foreign_share"] - p["exposure"]["non_eu_nato_share"]),
                    p["exposure"]["non_eu_nato_share"],
                    p["exposure"]["unknown_location_share"],
                ],
            )
            for p in progs
            if p["exposure"]["organisations"]
        ]
        out.append(("h", 2, "Programmes"))
        if rows:
            out.append(
                (
                    "chart",
                    stacked_bars(
                        rows,
                        [home, "other EU/NATO", "outside EU and NATO", "unknown"],
                        title="Where each programme's suppliers are located",
                    ),
                    "Share of the organisations in each programme's supply tree by location (programmes with supply data).",
                )
            )
        for p in progs:
            out += _programme(p, home)
    conc = result["concentration"]
    out.append(("h", 2, "Concentration risks"))
    if conc["top_risks"]:
        out += [
            (
                "chart",
                histogram(
                    conc["hhi_values"],
                    [0, 1000, 2000, 2500, 4000, 6000, 8000, 10000.0001],
                    title="Distribution of country concentration (HHI) over supply slots",
                    xlabel="HHI (0–10,000)",
                ),
                "Supply slots by country concentration of their providers (HHI; above 2,500 is highly concentrated).",
            ),
            (
                "table",
                ["consumer", "slot", "providers", "countries", "HHI", "sole source"],
                [
                    [
                        r["unit"],
                        r["slot"],
                        r["providers"],
                        ", ".join(f"{c} {pct(v)}" for c, v in r["countries"].items()),
                        r["hhi"],
                        "yes" if r["sole_source"] else "",
                    ]
                    for r in conc["top_risks"]
                ],
            ),
        ]
    else:
        out.append(("p", "No supply slots with known providers."))
    ctrl = result["control"]
    out.append(("h", 2, "Ownership and control"))
    out.append(
        (
            "p",
            f"{ctrl['checked']} organisations located in {ctrl['home']} checked; thresholds "
            f"{', '.join(f'{t:g} %' for t in ctrl['thresholds'])} of effective ownership (voting rights where known).",
        )
    )
    if ctrl["organisations"]:
        rows = []
        for o in ctrl["organisations"]:
            top = max(o["flags"], key=lambda f: (f["effective_pct"], f["holder"]))
            up = o["ultimate_parent"]
            rows.append(
                [
                    f"{o['name']} ({o['id']})",
                    f"{up['name']} ({up['country'] or 'unknown'})",
                    f"{top['holder']} {top['effective_pct']:g} %{' (estimated)' if top['estimated'] else ''}",
                    "yes" if any(f["non_eu_nato"] for f in o["flags"]) else "",
                    _chain(top["path"]),
                ]
            )
        rows, extra = _limited(rows, "flagged organisations")
        out += [
            ("table", ["organisation", "ultimate parent", "largest foreign holder", "non-EU/NATO", "path"], rows),
            *extra,
        ]
    else:
        out.append(("p", "No foreign control above the thresholds."))
    cov = result["coverage"]
    c = cov["counts"]
    out += [
        ("h", 2, "Coverage gaps"),
        (
            "p",
            f"{c['slots_without_provider']} of {c['slots']} requirement slots have no known provider; "
            f"{c['unlocated']} of {c['organisations']} organisations have no location; "
            f"{c['programmes_without_supply']} of {c['programmes']} programmes have no supply data.",
        ),
    ]
    if cov["slots"]:
        rows, extra = _limited(cov["slots"], "slots")
        out += [
            ("table", ["unit", "kind", "slot without provider"], [[g["unit"], g["label"], g["slot"]] for g in rows]),
            *extra,
        ]
    if cov["programmes_without_supply"]:
        out.append(("p", "Programmes without supply data: " + ", ".join(cov["programmes_without_supply"]) + "."))
    if cov["unlocated"]:
        out.append(
            (
                "p",
                "Organisations without a location: "
                + ", ".join(cov["unlocated"][:LIST_LIMIT])
                + ("…" if len(cov["unlocated"]) > LIST_LIMIT else "")
                + ".",
            )
        )
    d = result["data"]
    out += [
        ("h", 2, "Method"),
        *[("p", para) for para in result["method"]],
        ("h", 2, "Data"),
        (
            "p",
            f"{d['records']} records ({d['nodes']} nodes, {d['relationships']} relationships); {d['with_source']} cite a source, "
            f"{d['distinct_sources']} distinct sources. As of {d['as_of']['earliest'] or '?'} to {d['as_of']['latest'] or '?'} "
            f"({d['as_of']['dated']} dated records). Illustrative (modelled) records: {pct(d['illustrative_share'])}. By confidence: "
            + ", ".join(f"{k} {v}" for k, v in d["by_confidence"].items())
            + ".",
        ),
        ("table", ["source", "records"], [[x["source"], x["records"]] for x in d["top_sources"]]),
    ]
    return out
