"""The resilience report as one JSON-serialisable result.

The Markdown and HTML renderings are made from this result and nothing else. Every analysis runs
on the dataset filtered to the report's sensitivity limit, so no withheld record can appear in,
or influence, a figure; per programme the report only says whether withheld records bear on its
critical set (see :mod:`nldtib.output.withheld`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from ... import __version__
from ...analysis import chokepoints, control, exposure, gaps, whatif
from ...analysis.critical import CritSets, critical_sets
from ...dataset.records import Dataset
from ...projection import Projection, build_projection
from .document import LIST_LIMIT
from .evidence import chain_evidence, names_of
from .headline import figures, headline, non_allied, old_cutoff
from .provenance import data_section

__all__ = ["build_report", "METHOD"]

HHI_HIGH = 2500  # US DOJ/FTC 2010 merger guidelines: above this, highly concentrated
SHORTAGES = 10  # the worst shortages of the non-EU/NATO embargo the report lists
METHOD = [
    "nldtib computes availability exactly instead of ranking nodes by graph metrics. Every "
    "consumer, an organisation or a programme, has requirement slots: one for each item it "
    "receives or requires, one for each raw material it uses, and one for its location. A "
    "consumer is operational only if all of its slots are satisfied (all-of inputs), and a slot "
    "is satisfied if any one of its providers is operational (any-of suppliers): the suppliers of "
    "that item to that consumer, the countries that produce the material, the country where it is "
    "located. A disruption of a firm, a country or a material is propagated with this rule until "
    "nothing more fails; supply loops sustain themselves unless something forces them down.",
    "The single points of failure of a programme are exactly the units whose loss alone stops it. "
    "They are computed for all programmes at once with the recursion crit(u) = {u} ∪ ⋃ over slots "
    "⋂ over providers crit(p), which the test suite checks against brute-force removal. A "
    "dual-sourced part is therefore never reported as a chokepoint, and a sole source several "
    "tiers down always is, which plain metrics such as betweenness or articulation points cannot "
    "tell apart. A slot with no known provider is a coverage gap: it is listed, not guessed. "
    "Results are only as complete as the directory: records marked illustrative are modelled, "
    "and everything withheld at the report's sensitivity limit is left out.",
]


def _names(ds: Dataset, ids: Sequence[str]) -> list[str]:
    """Names with ids, as every part of the report shows a node."""
    return [f"{ds.nodes[i].name} ({i})" for i in ids if i in ds.nodes]


def _findings(
    ds: Dataset,
    programmes: list[dict],
    impact: list[dict],
    bloc: dict,
    exp: dict,
    ctrl: dict,
    cov: dict,
    heads: list[dict],
) -> list[str]:
    n = len(programmes)
    if not n:
        return ["The directory holds no programmes, so there is nothing to assess yet."]
    out: list[str] = [h["text"] for h in heads]
    orgs = [u for u in impact if u["label"] == "Organisation"]
    if orgs:
        best = [u for u in orgs if u["targets"] == orgs[0]["targets"]]
        names = ", ".join(f"{u['name']} ({u['id']})" for u in best[:3]) + (
            f" and {len(best) - 3} more" if len(best) > 3 else ""
        )
        who = f"{names} {'is the organisation' if len(best) == 1 else 'are the organisations'}"
        out.append(
            f"{who} whose loss alone would stop the most programmes: {orgs[0]['targets']} of {n}{' each' if len(best) > 1 else ''}."
        )
    countries = [u for u in impact if u["label"] == "Country"]
    foreign_countries = [u for u in countries if u["id"] != exp["home"]]
    if foreign_countries:
        parts = ", ".join(f"{u['name']} ({u['id']}): {u['targets']}" for u in foreign_countries[:5])
        out.append(
            f"Countries other than {exp['home']} whose loss alone would stop programmes (number stopped): {parts}."
        )
    materials = [u for u in impact if u["label"] == "Material"]
    if materials:
        parts = ", ".join(f"{u['name']} ({u['id']}): {u['targets']}" for u in materials[:5])
        out.append(f"Critical raw materials that are single points of failure (programmes exposed): {parts}.")
    lost = bloc["programmes_failed"]
    out.append(
        f"If every country outside both the EU and NATO dropped out at once, {len(lost)} of {n} programmes would stop"
        + (f": {', '.join(_names(ds, lost[:8]))}{' and more' if len(lost) > 8 else ''}." if lost else ".")
    )
    high = [s for s in exp["slots"] if s["hhi"] > HHI_HIGH]
    sole = [s for s in exp["slots"] if s["sole_source"]]
    if exp["slots"]:
        out.append(
            f"{len(sole)} of {len(exp['slots'])} supply slots in the programmes' supply trees are sole-sourced, and "
            f"{len(high)} are highly concentrated by country (HHI above {HHI_HIGH:,})."
        )
    flagged = ctrl["organisations"]
    majority = [o for o in flagged if any(f["level"] >= 50 for f in o["flags"])]
    non_allied = [o for o in flagged if any(f["non_eu_nato"] for f in o["flags"])]
    out.append(
        f"{len(majority)} of {ctrl['checked']} organisations located in {ctrl['home']} {'is' if len(majority) == 1 else 'are'} controlled (50 % or more) from abroad; "
        f"{len(non_allied)} {'has' if len(non_allied) == 1 else 'have'} a holder outside the EU and NATO at {ctrl['thresholds'][0]:g} % or more."
    )
    c = cov["counts"]
    out.append(
        f"What the directory does not know yet: {c['slots_without_provider']} requirement slots without a known provider, "
        f"{c['unlocated']} organisations without a location, {c['programmes_without_supply']} programmes without supply data."
    )
    if any(p["withheld_involved"] for p in programmes):
        out.append(
            "For some programmes, records withheld at this classification bear on the result; those programmes say so."
        )
    return out


def build_report(
    ds: Dataset,
    *,
    targets: Sequence[str] | None = None,
    max_sensitivity: str = "public",
    dataset_name: str = "",
    store: str = "memory",
    home: str = "NL",
    top: int = 20,
    projection: Projection | None = None,
    crit_sets: CritSets | None = None,
    withheld: Callable[[list[str]], dict[str, bool]] | None = None,
    as_of: str | None = None,
    min_confidence: str = "illustrative",
    min_share: float = 0,
    reported: Callable[[list[str]], tuple[Dataset, Projection, CritSets]] | None = None,
) -> dict[str, Any]:
    """Build the resilience report of ``ds`` (the records selected at ``max_sensitivity``, on
    ``as_of``, at ``min_confidence``; ``min_share`` makes the slots threshold gates).

    ``targets`` defaults to every programme. ``dataset_name`` names the data in the title block
    (never a local path); the generation time is now, or ``SOURCE_DATE_EPOCH`` when set.
    ``projection`` and ``crit_sets`` (of the targets) are reused when given. ``withheld(target_ids)`` says, per target, whether records withheld
    at the limit bear on its critical set (default: none do). ``reported(target_ids)`` gives the
    same selection on reported records alone (dataset, projection, crit sets of the targets),
    for the headline figures' second count (default: ``ds`` is taken as it is).
    """
    proj = projection if projection is not None else build_projection(ds)
    # Each programme's lists hold what the Markdown and HTML can show (LIST_LIMIT rows, the
    # critical units that stop the most programmes first); the counts are always complete.
    choke = chokepoints(ds, targets, projection=proj, limit=LIST_LIMIT, crit_sets=crit_sets, min_share=min_share)
    target_ids = [t["id"] for t in choke["targets"]]
    if crit_sets is None:
        crit_sets = critical_sets(proj, [proj.index[t] for t in target_ids], min_share)
    exp = exposure(ds, target_ids, home=home, top=top, projection=proj, crit_sets=crit_sets, min_share=min_share)
    bloc = whatif(ds, disrupt=non_allied(proj), projection=proj, explain=False, min_share=min_share, shortages=True)
    cutoff = old_cutoff(as_of) if as_of else "0000-00-00"
    on_all = figures(ds, proj, crit_sets, target_ids, min_share, choke=choke)
    on_reported = figures(*reported(target_ids), target_ids, min_share) if reported is not None else on_all
    heads = headline(on_all, on_reported, len(target_ids), as_of or "9999-12-31")
    for t in choke["targets"]:
        for c in t["critical"]:
            c["old_evidence"] = c["oldest_as_of"] is not None and c["oldest_as_of"] < cutoff
    assessed = set(target_ids)
    bloc["programmes_failed"] = [p for p in bloc["programmes_failed"] if p in assessed]
    ctrl = control(ds, home=home)
    cov = gaps(ds, projection=proj)
    involved = withheld(target_ids) if withheld is not None else dict.fromkeys(target_ids, False)
    by_target = {t["id"]: t for t in exp["targets"]}
    programmes = []
    for t in choke["targets"]:
        node = ds.nodes[t["id"]]
        e = by_target[t["id"]]
        programmes.append(
            {
                "id": t["id"],
                "name": t["name"],
                "label": t["label"],
                "kind": node.props.get("kind"),
                "status": node.props.get("status"),
                "operational": t["operational"],
                "critical": t["critical"],
                "illustrative_reliance": any(c["confidence"] == "illustrative" for c in t["critical"]),
                "old_evidence": any(c["old_evidence"] for c in t["critical"]),
                "critical_count": t["critical_count"],
                "critical_by_label": t["critical_by_label"],
                "sole_source": t["sole_source"],
                "sole_source_count": t["sole_source_count"],
                "gaps": t["gaps"],
                "gaps_count": t["gaps_count"],
                "exposure": {
                    k: e[k]
                    for k in (
                        "organisations",
                        "foreign_share",
                        "non_eu_nato_share",
                        "unknown_location_share",
                        "countries",
                    )
                },
                "materials": e["materials"],
                "lost_in_non_eu_nato_embargo": t["id"] in bloc["programmes_failed"],
                "withheld_involved": involved.get(t["id"], False),
            }
        )
    listed = [c for p in programmes for c in p["critical"]]
    for c, ev in zip(listed, chain_evidence(ds, [c["path"] for c in listed])):
        c["evidence"] = ev
    flags = [max(o["flags"], key=lambda f: (f["effective_pct"], f["holder"])) for o in ctrl["organisations"]]
    for f, ev in zip(flags, chain_evidence(ds, [f["path"] for f in flags], ["OWNED_BY"])):
        f["evidence"] = ev
    slots = exp["slots"]
    data = data_section(ds)
    report = {
        "title": "nldtib resilience report",
        "generator": f"nldtib {__version__}",
        "generated": generated_at(),
        "dataset": {"name": dataset_name or "in-memory dataset", "store": store, "as_of": data["as_of"]},
        "classification": ds.sensitivity(),
        "max_sensitivity": max_sensitivity,
        "home": home,
        "as_of": as_of,
        "min_confidence": min_confidence,
        "min_share": float(min_share),
        "old_evidence_before": cutoff if as_of else None,
        "summary": {
            "findings": _findings(ds, programmes, choke["impact"], bloc, exp, ctrl, cov, heads),
            "headline": heads,
            "programmes": len(programmes),
            "programmes_with_spof": sum(1 for p in programmes if p["critical"]),
            "organisations": len(ds.nodes_with("Organisation")),
            "slots": len(slots),
            "sole_source_slots": sum(1 for s in slots if s["sole_source"]),
            "highly_concentrated_slots": sum(1 for s in slots if s["hhi"] > HHI_HIGH),
            "programmes_lost_non_eu_nato": len(bloc["programmes_failed"]),
        },
        "impact": choke["impact"][:top],
        "programmes": programmes,
        "concentration": {
            "hhi_high": HHI_HIGH,
            "top_risks": exp["top_risks"],
            "hhi_values": sorted(s["hhi"] for s in slots),
        },
        "embargo_non_eu_nato": {
            "programmes_failed": bloc["programmes_failed"],
            "counts": bloc["counts"],
            "shortages": bloc["shortages"][:SHORTAGES],
            "shortages_count": len(bloc["shortages"]),
        },
        "control": ctrl,
        "coverage": cov,
        "method": METHOD,
        "data": data,
    }
    report["names"] = names_of(ds, report)
    return report


def generated_at() -> str:
    """Now, in UTC, to the second (ISO 8601); ``SOURCE_DATE_EPOCH`` fixes it for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
