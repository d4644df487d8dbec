"""Turn a report result into the blocks that the Markdown and HTML renderers share.

Blocks:

- ``("title", fields)``: the title block (a list of ``(label, text)``);
- ``("toc", entries)``: the contents, ``(anchor, title, level)``;
- ``("section", level, anchor, title)``: a heading; level 2 starts a new printed page;
- ``("p", text)``, ``("note", text)``, ``("ul", [text])``;
- ``("figures", [(value, label)])``: the headline figures;
- ``("table", header, rows, visible)``: rows beyond ``visible`` are collapsible detail;
- ``("chart", svg, caption)``: drawn in HTML only.

Texts are rich (:mod:`.inline`): names with ids, source links, links to sections.
"""

from __future__ import annotations

from typing import Any

from ..classification import WITHHELD_NOTE
from .inline import chain, join, ref, refs, slot, source
from .svg import histogram, stacked_bars

__all__ = ["blocks", "LIST_LIMIT", "VISIBLE_ROWS", "anchor_of"]

LIST_LIMIT = 25  # rows a programme's lists hold (the JSON report and chokepoints have them all)
VISIBLE_ROWS = 8  # rows of a long table shown before the collapsible rest


def pct(x: float) -> str:
    """A share as a percentage; small non-zero shares keep a decimal, so 0.4 % never reads 0 %.

    >>> pct(0.0046), pct(0.0), pct(0.25)
    ('0.5 %', '0 %', '25 %')
    """
    value = x * 100
    return f"{value:.1f} %" if 0 < value < 10 else f"{value:.0f} %"


def anchor_of(kind: str, node_id: str = "") -> str:
    """The HTML anchor of a section (ids are slugs, so anchors need no escaping)."""
    return f"{kind}-{node_id}" if node_id else kind


def _more(shown: int, total: int, what: str, where: str) -> list[tuple]:
    return [("p", [("muted", f"… and {total - shown} more {what}; {where}.")])] if total > shown else []


def _evidence(ev: dict[str, Any] | None, finding: dict[str, Any] | None = None) -> list[Any]:
    """What a finding rests on: confidence (the analysis' own where it gives one), the oldest
    as-of as the records state it (a year stays a year), whether that is old, and the sources,
    each a link when it is a URL."""
    if not ev:
        return ["–"]
    finding = finding or {}
    confidence = finding.get("confidence") or ev["confidence"]
    oldest = ev["as_of"] or finding.get("oldest_as_of")
    head = f"{confidence}, as of {oldest or 'unknown'}" + (" (old)" if finding.get("old_evidence") else "")
    sources = [source(s) for s in ev["sources"][:4]]
    extra = [("muted", f" +{len(ev['sources']) - 4} more")] if len(ev["sources"]) > 4 else []
    return [head, "; " if sources else "", *join(sources, " · "), *extra]


def _title(result: dict[str, Any]) -> tuple:
    d = result["dataset"]
    as_of = d["as_of"]
    when = result["generated"].replace("T", " ").replace("Z", " UTC")
    return (
        "title",
        [
            (
                "Classification",
                f"{result['classification'].upper()} (records above {result['max_sensitivity']} left out)",
            ),
            ("Generated", f"{when} by {result['generator']}"),
            (
                "Data as of",
                f"{as_of['earliest'] or '?'} to {as_of['latest'] or '?'} ({as_of['dated']:,} dated records)",
            ),
            ("Programmes assessed", f"{result['summary']['programmes']} (from the {d['store']} store)"),
            *_selection(result),
        ],
    )


def _selection(result: dict[str, Any]) -> list[tuple[str, str]]:
    """The title block's line on a narrowed selection (a date, a confidence, a share threshold)."""
    parts = []
    if result.get("as_of"):
        parts.append(f"the base as of {result['as_of']}")
    if result.get("min_confidence", "illustrative") != "illustrative":
        parts.append(f"records of confidence {result['min_confidence']} or stronger only")
    if result.get("min_share"):
        parts.append(f"a supply slot fails below {result['min_share']:g} % of its share")
    return [("Selection", "; ".join(parts).capitalize())] if parts else []


def _summary(result: dict[str, Any]) -> list[tuple]:
    s = result["summary"]
    d = result["data"]
    figures = [
        (f"{s['programmes_with_spof']} of {s['programmes']}", "programmes with a single point of failure"),
        (str(s["programmes_lost_non_eu_nato"]), "programmes lost if every non-EU/NATO country drops out"),
        (f"{s['sole_source_slots']} of {s['slots']}", "supply slots in the programmes' trees sole-sourced"),
        (
            str(s["highly_concentrated_slots"]),
            f"slots highly concentrated by country (HHI > {result['concentration']['hhi_high']:,})",
        ),
        (f"{s['organisations']:,}", "organisations in the directory"),
        (pct(d["illustrative_share"]), "of the records are illustrative (modelled)"),
    ]
    return [
        ("section", 2, anchor_of("summary"), "Executive summary"),
        ("figures", figures),
        ("ul", list(s["findings"])),
        (
            "p",
            [
                ("muted", "Details: "),
                *join(
                    [
                        ("goto", anchor_of("programmes"), "programmes"),
                        ("goto", anchor_of("concentration"), "concentration"),
                        ("goto", anchor_of("control"), "ownership and control"),
                        ("goto", anchor_of("gaps"), "coverage gaps"),
                        ("goto", anchor_of("data"), "data and sources"),
                    ],
                    " · ",
                ),
            ],
        ),
    ]


def _programme(p: dict[str, Any], home: str) -> list[tuple]:
    e = p["exposure"]
    out: list[tuple] = [("section", 3, anchor_of("programme", p["id"]), [ref(p["id"])])]
    facts = [x for x in (p.get("kind"), p.get("status")) if x]
    countries = sorted(e["countries"].items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    out.append(
        (
            "p",
            [
                f"{' · '.join(facts).capitalize() + '. ' if facts else ''}Supply tree: {e['organisations']} organisations; "
                f"outside {home} {pct(e['foreign_share'])}, outside the EU and NATO {pct(e['non_eu_nato_share'])}, "
                f"location unknown {pct(e['unknown_location_share'])}.",
                *([" Countries: ", *join([[ref(c), f" {pct(v)}"] for c, v in countries])] if countries else []),
                *(["."] if countries else []),
            ],
        )
    )
    if p["materials"]:
        mats = [[ref(m["id"]), " (single point of failure)" if m["critical"] else ""] for m in p["materials"]]
        out.append(("p", ["Critical raw materials in its supply tree: ", *join(mats), "."]))
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
    full = f"`nldtib chokepoints {p['id']} --format json` lists them all"
    crit = p["critical"]
    n_crit = p.get("critical_count", len(crit))
    if crit:
        ranked = " (those that stop the most programmes first)" if n_crit > len(crit) else ""
        out.append(
            (
                "p",
                f"Single points of failure ({n_crit}): each unit's loss alone stops the programme; the chain shows "
                f"why, and the evidence what the chain rests on{ranked}.",
            )
        )
        rows = [[[ref(c["id"])], c["label"], chain(c["path"]), _evidence(c.get("evidence"), c)] for c in crit]
        out.append(("table", ["unit", "kind", "chain", "evidence"], rows, VISIBLE_ROWS))
        out += _more(len(crit), n_crit, "single points of failure", full)
    else:
        out.append(("p", "No single point of failure in the directory's data."))
    if p["sole_source"]:
        n_sole = p.get("sole_source_count", len(p["sole_source"]))
        out.append(
            (
                "p",
                f"Sole-source slots whose only provider is a single point of failure ({n_sole}): where a second "
                "source may take a chokepoint away.",
            )
        )
        rows = [
            [[ref(s["unit"])], slot(s["slot"]), [ref(s["provider"])] if s.get("provider") else ""]
            for s in p["sole_source"]
        ]
        out.append(("table", ["consumer", "needs", "only provider"], rows, VISIBLE_ROWS))
        out += _more(len(p["sole_source"]), n_sole, "sole-source slots", full)
    if p["gaps"]:
        n_gaps = p.get("gaps_count", len(p["gaps"]))
        gaps = [[ref(g["unit"]), " needs ", *slot(g["slot"])] for g in p["gaps"][:LIST_LIMIT]]
        out.append(("p", ["Coverage gaps in its supply tree (no known provider): ", *join(gaps, "; "), "."]))
        out += _more(min(len(p["gaps"]), LIST_LIMIT), n_gaps, "coverage gaps", full)
    return out


def _programmes(result: dict[str, Any]) -> list[tuple]:
    progs = result["programmes"]
    home = result["home"]
    out: list[tuple] = [("section", 2, anchor_of("programmes"), "Programmes")]
    if not progs:
        return out + [("p", "No programmes to assess.")]
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
    overview = [
        [
            [("goto", anchor_of("programme", p["id"]), p["name"]), ("muted", f" {p['id']}")],
            p.get("critical_count", len(p["critical"])),
            p.get("sole_source_count", len(p["sole_source"])),
            pct(p["exposure"]["foreign_share"]),
            "yes" if p["lost_in_non_eu_nato_embargo"] else "",
        ]
        for p in progs
    ]
    out.append(
        (
            "table",
            [
                "programme",
                "single points of failure",
                "sole-source slots",
                f"outside {home}",
                "lost in non-EU/NATO embargo",
            ],
            overview,
            len(overview),
        )
    )
    for p in progs:
        out += _programme(p, home)
    return out


def _shortages(result: dict[str, Any]) -> list[tuple]:
    embargo = result.get("embargo_non_eu_nato", {})
    shortages = embargo.get("shortages")
    if not shortages:
        return []
    rows = [
        [
            [ref(x["unit"])],
            slot(x["slot"]),
            refs(x["lost"]),
            "unknown" if x["remaining_share_pct"] is None else f"{x['remaining_share_pct']:g} %",
        ]
        for x in shortages
    ]
    return [
        ("section", 2, anchor_of("shortages"), "Shortages if every country outside the EU and NATO dropped out"),
        (
            "p",
            "Supply slots that lose providers but still hold, worst first "
            f"({embargo['shortages_count']} in all; the JSON report lists the worst).",
        ),
        ("table", ["unit", "slot", "providers lost", "known share left"], rows, VISIBLE_ROWS),
    ]


def _impact(result: dict[str, Any]) -> list[tuple]:
    if not result["impact"]:
        return []
    rows = [[[ref(u["id"])], u["label"], u["targets"]] for u in result["impact"]]
    return [
        ("section", 2, anchor_of("impact"), "Units that alone would stop the most programmes"),
        ("table", ["unit", "kind", "programmes stopped"], rows, VISIBLE_ROWS + 2),
    ]


def _concentration(result: dict[str, Any]) -> list[tuple]:
    conc = result["concentration"]
    out: list[tuple] = [("section", 2, anchor_of("concentration"), "Concentration risks")]
    if not conc["top_risks"]:
        return out + [("p", "No supply slots with known providers.")]
    rows = [
        [
            [ref(r["unit"])],
            slot(r["slot"]),
            r["providers"],
            join([[ref(c), f" {pct(v)}"] for c, v in r["countries"].items()]),
            f"{r['hhi']:,}",
            "yes" if r["sole_source"] else "",
        ]
        for r in conc["top_risks"]
    ]
    return out + [
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
        ("table", ["consumer", "slot", "providers", "countries", "HHI", "sole source"], rows, VISIBLE_ROWS),
    ]


def _control(result: dict[str, Any]) -> list[tuple]:
    ctrl = result["control"]
    out: list[tuple] = [
        ("section", 2, anchor_of("control"), "Ownership and control"),
        (
            "p",
            f"{ctrl['checked']} organisations located in {ctrl['home']} checked; thresholds "
            f"{', '.join(f'{t:g} %' for t in ctrl['thresholds'])} of effective ownership (voting rights where known).",
        ),
    ]
    if not ctrl["organisations"]:
        return out + [("p", "No foreign control above the thresholds.")]
    rows = []
    for o in ctrl["organisations"][:LIST_LIMIT]:
        top = max(o["flags"], key=lambda f: (f["effective_pct"], f["holder"]))
        up = o["ultimate_parent"]
        rows.append(
            [
                [ref(o["id"])],
                [ref(up["id"]), f", {up['country'] or 'country unknown'}"] if up.get("id") else up.get("name", ""),
                [ref(top["holder"]), f" {top['effective_pct']:g} %{' (estimated)' if top['estimated'] else ''}"],
                "yes" if any(f["non_eu_nato"] for f in o["flags"]) else "",
                chain(top["path"]),
                _evidence(top.get("evidence")),
            ]
        )
    header = ["organisation", "ultimate parent", "largest foreign holder", "non-EU/NATO", "ownership path", "evidence"]
    return out + [
        ("table", header, rows, VISIBLE_ROWS),
        *_more(len(rows), len(ctrl["organisations"]), "flagged organisations", "the JSON report lists them all"),
    ]


def _gaps(result: dict[str, Any]) -> list[tuple]:
    cov = result["coverage"]
    c = cov["counts"]
    out: list[tuple] = [
        ("section", 2, anchor_of("gaps"), "Coverage gaps"),
        (
            "p",
            f"{c['slots_without_provider']} of {c['slots']} requirement slots have no known provider; "
            f"{c['unlocated']} of {c['organisations']} organisations have no location; "
            f"{c['programmes_without_supply']} of {c['programmes']} programmes have no supply data.",
        ),
    ]
    if cov["slots"]:
        rows = [[[ref(g["unit"])], g["label"], slot(g["slot"])] for g in cov["slots"][:LIST_LIMIT]]
        out.append(("table", ["unit", "kind", "slot without provider"], rows, VISIBLE_ROWS))
        out += _more(len(rows), len(cov["slots"]), "slots", "the JSON report lists them all")
    if cov["programmes_without_supply"]:
        out.append(("p", ["Programmes without supply data: ", *refs(cov["programmes_without_supply"]), "."]))
    if cov["unlocated"]:
        shown = cov["unlocated"][:LIST_LIMIT]
        out.append(
            (
                "p",
                [
                    "Organisations without a location: ",
                    *refs(shown),
                    "…" if len(cov["unlocated"]) > len(shown) else "",
                    ".",
                ],
            )
        )
    return out


def _data(result: dict[str, Any]) -> list[tuple]:
    d = result["data"]
    rows = [[[source(x["source"])], f"{x['records']:,}"] for x in d["top_sources"]]
    return [
        ("section", 2, anchor_of("method"), "Method"),
        *[("p", para) for para in result["method"]],
        ("section", 2, anchor_of("data"), "Data and sources"),
        (
            "p",
            f"{d['records']:,} records ({d['nodes']:,} nodes, {d['relationships']:,} relationships); "
            f"{d['with_source']:,} cite a source, {d['distinct_sources']:,} distinct sources. "
            f"As of {d['as_of']['earliest'] or '?'} to {d['as_of']['latest'] or '?'} ({d['as_of']['dated']:,} dated records). "
            f"Illustrative (modelled) records: {pct(d['illustrative_share'])}. By confidence: "
            + ", ".join(f"{k} {v:,}" for k, v in d["by_confidence"].items())
            + ".",
        ),
        ("p", f"The {len(rows)} most cited sources:"),
        ("table", ["source", "records"], rows, VISIBLE_ROWS + 2),
    ]


def blocks(result: dict[str, Any]) -> list[tuple]:
    """The report as blocks, in reading order: title block, contents, then the sections."""
    body = (
        _summary(result)
        + _shortages(result)
        + _impact(result)
        + _programmes(result)
        + _concentration(result)
        + _control(result)
        + _gaps(result)
        + _data(result)
    )
    toc = [(b[2], b[3], b[1]) for b in body if b[0] == "section"]
    return [_title(result), ("toc", toc), *body]
