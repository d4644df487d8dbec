"""Analysis commands: deps, whatif, chokepoints, exposure, control, gaps.

Each parses options, makes one call on a session and renders the result as text or JSON (the
JSON contracts are in docs/analyses.md).
"""

from __future__ import annotations

import click

from ..defaults import DEFAULT_BUDGET, DEFAULT_THRESHOLDS
from . import cli
from .common import echo, emit_json, format_option, open_session, sensitivity_option, table

LIMIT = 50
SHORTAGES = 10


def _more(shown: int, total: int, hint: str = "use --format json for all") -> None:
    if total > shown:
        echo(f"  ... and {total - shown} more ({hint})")


def _withheld(result: dict) -> None:
    """The one-bit notice: records withheld at this sensitivity limit bear on the result."""
    if result.get("withheld"):
        from ..output.classification import WITHHELD_NOTE

        echo(f"Note: {WITHHELD_NOTE}; the answer would differ with them.")


def _rests_on(finding: dict) -> str:
    """`` [illustrative; evidence as of 2006-01-01]``: what a finding rests on, when it is weak."""
    parts = []
    if finding.get("confidence") not in (None, "reported"):
        parts.append(finding["confidence"])
    if finding.get("oldest_as_of"):
        parts.append(f"evidence as of {finding['oldest_as_of']}")
    return f"  [{'; '.join(parts)}]" if parts else ""


def _cause(cause: dict) -> str:
    """``all 7 providers lost: AU, CA, ...`` or ``3 of 7 providers lost (...); 12% left``."""
    lost, n = cause["lost"], cause["providers"]
    if "remaining_share_pct" in cause:
        return (
            f"{len(lost)} of {n} providers lost ({', '.join(lost) or 'none'}); "
            f"{cause['remaining_share_pct']:g}% of the share left, below the threshold"
        )
    if n == 1:
        return f"its only provider lost: {lost[0]}"
    return f"all {n} providers lost: {', '.join(lost)}"


@cli.command()
@click.argument("node_id")
@click.option(
    "--direction",
    type=click.Choice(["up", "down"]),
    default="up",
    show_default=True,
    help="up: what NODE_ID depends on; down: what depends on NODE_ID.",
)
@click.option("--depth", type=click.IntRange(0), default=None, help="Stop after this many tiers. Default: all.")
@format_option()
@sensitivity_option()
def deps(node_id: str, direction: str, depth: int | None, fmt: str, max_sensitivity: str) -> None:
    """Dependencies of a node, tier by tier, with one shortest path to each.

    \b
    Examples:
      nldtib deps f-35                        everything the F-35 chain depends on
      nldtib deps gallium --direction down    everything that depends on gallium
      nldtib deps thales-nederland --depth 1 --format json
    """
    result = open_session(max_sensitivity).deps(node_id, direction, depth).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    arrow = "depends on" if direction == "up" else "is needed by"
    echo(f"{node_id} {arrow} {len(result['nodes'])} nodes")
    for n in result["nodes"]:
        via = n["via"]["type"] + (f" {n['via']['item']}" if "item" in n["via"] else "")
        echo(f"  tier {n['tier']}  {n['id']} ({n['label']})  via {via}  path: {' > '.join(n['path'])}")


@cli.command()
@click.option("--disrupt", multiple=True, metavar="ID", help="A unit that drops out (repeatable).")
@click.option(
    "--country",
    multiple=True,
    metavar="CC",
    help="A country that drops out: everything located there and its production (repeatable).",
)
@click.option(
    "--bloc",
    multiple=True,
    metavar="BLOC",
    help="Every country of a bloc drops out (repeatable): a bloc id of the data (eu, nato, "
    "eu-candidates, ...), non-ID for its non-members, A+B for either, non-A+B for neither "
    "(non-eu-nato is non-eu+nato).",
)
@click.option("--material", multiple=True, metavar="ID", help="A raw material that becomes unavailable (repeatable).")
@click.option(
    "--except", "spare", multiple=True, metavar="CC", help="A country spared from the disruption (repeatable)."
)
@format_option()
@sensitivity_option()
def whatif(disrupt, country, bloc, material, spare, fmt: str, max_sensitivity: str) -> None:
    """What fails if some units, countries or materials drop out, and why.

    A unit fails when it is disrupted or when a slot with known providers loses all of them
    (all of its inputs, any of their suppliers; a material needs every production stage). With
    the global --min-share PCT a slot also fails when the known shares of its surviving providers
    fall below PCT. Each failure names its slot and every provider lost; slots that lost share
    but still hold are listed as shortages.

    \b
    Examples:
      nldtib whatif --country CN
      nldtib whatif --material gallium --format json
      nldtib whatif --bloc non-eu+nato                 every country in neither the EU nor NATO
      nldtib whatif --bloc non-eu --except NO --except CH
      nldtib whatif --disrupt thales-nederland --disrupt DE
      nldtib --min-share 50 whatif --country CN
    """
    result = (
        open_session(max_sensitivity)
        .whatif(
            disrupt=disrupt,
            countries=country,
            materials=material,
            blocs=bloc,
            spare=spare,
            explain_limit=None if fmt == "json" else LIMIT,  # the text shows LIMIT chains
        )
        .to_dict()
    )
    if fmt == "json":
        emit_json(result)
        return
    counts = result["counts"]
    echo(f"Disrupted: {', '.join(result['disrupted']) or 'nothing'}")
    echo(f"Failed: {counts['failed']} units ({', '.join(f'{k} {v}' for k, v in counts['by_label'].items()) or 'none'})")
    echo(
        f"Programmes lost: {counts['programmes_failed']} of {counts['programmes']}"
        + (f": {', '.join(result['programmes_failed'])}" if result["programmes_failed"] else "")
        + _rests_on({"confidence": result["programmes_confidence"], "oldest_as_of": result["programmes_oldest_as_of"]})
    )
    shown = [u for u in result["failed"] if u not in result["disrupted"]]
    for u in shown[:LIMIT]:
        cause = result["causes"][u]
        echo(
            f"  {u}  lost {cause['slot']}: {_cause(cause)}  chain: {' <- '.join(result['explanations'][u])}"
            + _rests_on(cause)
        )
    _more(min(len(shown), LIMIT), len(shown))
    shortages = result["shortages"]
    if shortages:
        echo(f"Shortages (slots that lost providers but still hold): {len(shortages)}, the worst:")
        for sh in shortages[:SHORTAGES]:
            left = "share unknown" if sh["remaining_share_pct"] is None else f"{sh['remaining_share_pct']:g}% left"
            why = (
                " (kept by a provider with an unknown share)"
                if sh["unknown_share_remaining"] and result["min_share"]
                else ""
            )
            echo(f"  {sh['unit']} {sh['slot']}: lost {', '.join(sh['lost'])}; {left}{why}")
        _more(min(len(shortages), SHORTAGES), len(shortages))
    _withheld(result)


def _shown_limit(limit: int | None, fmt: str) -> int | None:
    """The text view lists LIMIT critical units per target: explain no more than that (a chain is
    as long as its supply path, so explaining every unit of a deep chain is quadratic)."""
    return limit if fmt == "json" else min(LIMIT, LIMIT if limit is None else limit)


@cli.command()
@click.argument("targets", nargs=-1, metavar="[TARGET]...")
@click.option(
    "--order",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="1: single points of failure; 2: also critical pairs.",
)
@click.option(
    "--budget",
    type=click.IntRange(1),
    default=DEFAULT_BUDGET,
    show_default=True,
    help="Order 2: at most this many candidate checks per target (the output says when it is hit).",
)
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=None,
    help="List and explain only the N critical units per target that stop the most targets "
    "(and the first N sole-source slots and gaps); counts stay complete. Default: all in JSON; the "
    f"text view lists the {LIMIT} that stop the most targets.",
)
@format_option()
@sensitivity_option()
def chokepoints(targets, order: int, budget: int, limit: int | None, fmt: str, max_sensitivity: str) -> None:
    """Critical units: what alone (or, with --order 2, in pairs) stops each target.

    TARGET defaults to every programme. Each critical unit comes with the chain that explains it
    (target <- slot <- provider <- ... <- unit). Sole-source slots on those chains and coverage
    gaps are listed too.

    \b
    Examples:
      nldtib chokepoints
      nldtib chokepoints f-35 --order 2 --budget 500
      nldtib chokepoints orka --format json
      nldtib chokepoints --limit 10 --format json
    """
    result = (
        open_session(max_sensitivity)
        .chokepoints(list(targets) or None, order=order, budget=budget, limit=_shown_limit(limit, fmt))
        .to_dict()
    )
    if fmt == "json":
        emit_json(result)
        return
    for t in result["targets"]:
        if not t["operational"]:
            echo(f"{t['id']} ({t['name']}): already down at --min-share {result['min_share']:g}, with nothing lost")
            echo()
            continue
        n_crit = t.get("critical_count", len(t["critical"]))
        echo(f"{t['id']} ({t['name']}): {n_crit} single points of failure")
        for c in t["critical"][:LIMIT]:
            echo(
                f"  {c['id']} ({c['label']})  chain: {' <- '.join(c['path'])}  via {', '.join(c['via'])}" + _rests_on(c)
            )
        _more(min(len(t["critical"]), LIMIT), n_crit)
        if t["sole_source"]:
            echo(
                "  sole-source slots in its supply tree whose only provider is one of these single points of "
                f"failure: {t.get('sole_source_count', len(t['sole_source']))}"
            )
            for s in t["sole_source"][:LIMIT]:
                echo(f"    {s['unit']} {s['slot']} <- {s['provider']}")
        if t["gaps"]:
            echo(
                "  coverage gaps (no known provider, not analysed): "
                + ", ".join(f"{g['unit']} {g['slot']}" for g in t["gaps"][:LIMIT])
            )
        if order == 2:
            info = t["order2"]
            echo(
                f"  critical pairs: {len(t['pairs'])}"
                + (
                    f"  (budget {info['budget']} hit: checked {info['checked']} of {info['candidates']} candidates)"
                    if info["budget_hit"]
                    else f"  (checked all {info['candidates']} candidates)"
                )
            )
            for a, b in t["pairs"][:LIMIT]:
                echo(f"    {a} + {b}")
        echo()
    if result["impact"]:
        echo(
            table(
                [[i["id"], i["label"], i["targets"]] for i in result["impact"][:20]],
                ["unit", "label", "targets stopped"],
            )
        )
    _withheld(result)


@cli.command()
@click.argument("targets", nargs=-1, metavar="[TARGET]...")
@click.option("--home", default="NL", show_default=True, help="The home country (for the foreign share).")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="How many top concentration risks.")
@format_option()
@sensitivity_option()
def exposure(targets, home: str, top: int, fmt: str, max_sensitivity: str) -> None:
    """Country concentration (HHI) per slot and foreign dependence per programme.

    \b
    Examples:
      nldtib exposure
      nldtib exposure f-35 --format json
    """
    result = open_session(max_sensitivity).exposure(list(targets) or None, home=home, top=top).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    rows = [
        [
            t["id"],
            t["organisations"],
            f"{t['foreign_share']:.0%}",
            f"{t['non_eu_nato_share']:.0%}",
            f"{t['unknown_location_share']:.0%}",
            ", ".join(m["id"] + ("*" if m["critical"] else "") for m in t["materials"]),
        ]
        for t in result["targets"]
    ]
    echo(table(rows, ["target", "organisations", "foreign", "non-EU/NATO", "unknown", "materials (* critical)"]))
    echo()
    echo(
        "Top risks, by impact (targets that depend on the slot), then concentration (HHI 0-10,000 by provider country):"
    )
    echo(
        table(
            [
                [
                    s["unit"],
                    s["slot"],
                    s["dependents"],
                    s["hhi"],
                    s["providers"],
                    "yes" if s["sole_source"] else "",
                    ", ".join(f"{c} {v:.0%}" for c, v in s["countries"].items()),
                    "recorded shares"
                    if s["basis"] == "recorded"
                    else "by count of known providers"
                    if s["basis"] == "count"
                    else "partly recorded",
                ]
                for s in result["top_risks"]
            ],
            ["unit", "slot", "targets", "HHI", "providers", "sole", "countries", "shares"],
        )
    )
    _withheld(result)


@cli.command()
@click.argument("node_id", required=False)
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    type=click.FloatRange(0, 100, min_open=True),
    help=f"Flag thresholds in percent (repeatable). Default: {', '.join(f'{t:g}' for t in DEFAULT_THRESHOLDS)}.",
)
@click.option("--home", default="NL", show_default=True, help="The home country.")
@format_option()
@sensitivity_option()
def control(node_id: str | None, thresholds, home: str, fmt: str, max_sensitivity: str) -> None:
    """Ownership chains and foreign control.

    With NODE_ID: its holders with effective shares (multiplied along paths, summed over
    parallel paths) and its ultimate controlling parent. Without: every home-country
    organisation with a foreign holder at or above a threshold, with the path.

    \b
    Examples:
      nldtib control
      nldtib control thales-nederland
      nldtib control --threshold 20 --threshold 50 --format json
    """
    result = open_session(max_sensitivity).control(node_id, thresholds or DEFAULT_THRESHOLDS, home=home).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    if node_id:
        up = result["ultimate_parent"]
        echo(f"{result['id']} ({result['name']}, {result['country'] or 'unknown country'})")
        echo(f"Ultimate controlling parent: {up['id']} ({up['country'] or '?'})  chain: {' > '.join(up['chain'])}")
        echo(
            table(
                [
                    [
                        h["id"],
                        h["country"] or "?",
                        f"{h['effective_pct']:g}%" + (" (est.)" if h["estimated"] else ""),
                        " > ".join(h["paths"][0]["path"]),
                    ]
                    for h in result["holders"]
                ],
                ["holder", "country", "effective", "strongest path"],
            )
        )
        _withheld(result)
        return
    echo(
        f"{len(result['organisations'])} of {result['checked']} {result['home']} organisations have a foreign holder "
        f"at or above {min(result['thresholds']):g}%"
    )
    for o in result["organisations"]:
        echo(f"  {o['id']}: ultimate parent {o['ultimate_parent']['id']} ({o['ultimate_parent']['country'] or '?'})")
        for f in o["flags"]:
            tag = " non-EU/NATO" if f["non_eu_nato"] else ""
            est = " (est.)" if f["estimated"] else ""
            echo(
                f"    {f['holder']} ({f['holder_country']}{tag}) {f['effective_pct']:g}%{est} >= {f['level']:g}%  "
                f"path: {' > '.join(f['path'])}" + _rests_on(f)
            )
    _withheld(result)


@cli.command()
@format_option()
@sensitivity_option()
def gaps(fmt: str, max_sensitivity: str) -> None:
    """What the directory does not know yet: slots with no provider, unlocated organisations,
    programmes with no supply data.

    \b
    Examples:
      nldtib gaps
      nldtib gaps --format json
    """
    result = open_session(max_sensitivity).gaps().to_dict()
    if fmt == "json":
        emit_json(result)
        return
    c = result["counts"]
    echo(f"Slots with no known provider: {c['slots_without_provider']} of {c['slots']}")
    for s in result["slots"][:LIMIT]:
        echo(f"  {s['unit']} ({s['label']}) {s['slot']}")
    _more(min(len(result["slots"]), LIMIT), len(result["slots"]))
    echo(f"Organisations with no location: {c['unlocated']} of {c['organisations']}")
    for u in result["unlocated"][:LIMIT]:
        echo(f"  {u}")
    _more(min(len(result["unlocated"]), LIMIT), len(result["unlocated"]))
    echo(f"Programmes with no supply data: {c['programmes_without_supply']} of {c['programmes']}")
    for p in result["programmes_without_supply"]:
        echo(f"  {p}")
