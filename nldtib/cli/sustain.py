"""Sustainment commands: survive (time to survive a disruption) and surge (where a surge breaks).

Each parses options, makes one call on a session and renders the result as text or JSON (the
JSON contracts are in docs/analyses.md, "survive" and "surge").
"""

from __future__ import annotations

import click

from ..errors import UsageError
from ..output.sustainment import binding_text, months_text
from . import cli
from .analysis import _rests_on, _withheld
from .common import echo, emit_json, format_option, open_session, sensitivity_option, table

LIMIT = 30


def _tts(value: float | None, lower_bound: bool) -> str:
    return months_text(value) + ("*" if lower_bound else "")


def _rests(finding: dict) -> str:
    return _rests_on(finding).strip()[1:-1] if finding.get("confidence") else ""


def _footer(lower: int, total: int) -> None:
    if lower:
        echo(
            f"* lower bound on risk: {lower} of {total} answers rest on missing capacity or stock figures, "
            "counted as unlimited (see 'missing' in --format json)."
        )


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
    help="Every country of a bloc drops out (repeatable), as in whatif: eu, non-nato, non-eu+nato, ...",
)
@click.option("--material", multiple=True, metavar="ID", help="A raw material that becomes unavailable (repeatable).")
@click.option(
    "--except", "spare", multiple=True, metavar="CC", help="A country spared from the disruption (repeatable)."
)
@click.option(
    "--months",
    type=click.FloatRange(0),
    default=None,
    help="How long the disruption lasts. Default: the time to recover of a single disrupted organisation.",
)
@click.option(
    "--sweep",
    is_flag=True,
    help="Instead: disrupt each single point of failure of each programme in turn, and compare the "
    "programme's time to survive with the unit's time to recover (or --months).",
)
@click.option("--workers", type=click.IntRange(1), default=None, help="--sweep: worker processes. Default: 2.")
@click.option(
    "--engine",
    type=click.Choice(["process", "ray"]),
    default="process",
    show_default=True,
    help="--sweep: a process pool, or Ray (pip install 'nldtib[ray]').",
)
@format_option()
@sensitivity_option()
def survive(
    disrupt, country, bloc, material, spare, months, sweep, workers, engine, fmt: str, max_sensitivity: str
) -> None:
    """How long each programme keeps meeting its demand during a disruption.

    The time to survive (TTS) is the longest time the programme's demand can be met from stocks
    along its chain and the spare capacity of the suppliers that survive (Simchi-Levi's linear
    program, solved with HiGHS). A programme survives when its TTS reaches the disruption's
    duration. The disruption options are whatif's. Missing capacity or stock figures count as
    unlimited, so such answers are a lower bound on risk (marked *); a slot whatif fails holds
    only its recorded stock.

    \b
    Examples:
      nldtib survive --country CN --months 6
      nldtib survive --bloc non-eu+nato --except NO --months 12
      nldtib survive --disrupt rheinmetall          (horizon: its time to recover)
      nldtib survive --sweep --months 6 --format json
    """
    session = open_session(max_sensitivity)
    if sweep:
        if disrupt or country or bloc or material or spare:
            raise UsageError("--sweep disrupts each single point of failure in turn; give no disruption with it")
        _sweep(session.survive_sweep(months=months, workers=workers, engine=engine).to_dict(), fmt)
        return
    if workers is not None or engine != "process":
        raise UsageError("--workers and --engine go with --sweep")
    result = session.survive(
        disrupt=disrupt, countries=country, materials=material, blocs=bloc, months=months, spare=spare
    ).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    horizon = result["horizon_months"]
    source = "--months" if result["horizon_from"] == "months" else "its time to recover"
    echo(
        f"Disrupted: {', '.join(result['disrupted']) or 'nothing'}"
        + (f"; horizon {horizon:g} months ({source})" if horizon is not None else "; no horizon (give --months)")
    )
    rows = [
        [
            p["id"],
            _tts(p["tts_months"], p["lower_bound_on_risk"]),
            {True: "yes", False: "NO", None: ""}[p["survives"]],
            binding_text(p["binding"][0]) if p["binding"] else "",
            _rests(p),
        ]
        for p in result["programmes"]
    ]
    echo(table(rows, ["programme", "TTS (months)", "survives", "binding constraint", "rests on"]))
    _footer(result["counts"]["lower_bound_on_risk"], result["counts"]["programmes"])
    _withheld(result)


def _sweep(result: dict, fmt: str) -> None:
    if fmt == "json":
        emit_json(result)
        return
    c = result["counts"]
    against = "the disruption" if result["months"] is not None else "the unit's time to recover"
    falls = "falls" if c["short"] == 1 else "fall"
    echo(f"{c['pairs']} (programme, single point of failure) pairs; {c['short']} {falls} short of {against}")
    rows = [
        [
            r["programme"],
            r["unit"],
            _tts(r["tts_months"], r["lower_bound_on_risk"]),
            months_text(r["horizon_months"]) if r["horizon_months"] is not None else "?",
            "" if r["shortfall_months"] is None else f"{r['shortfall_months']:g}",
            binding_text(r["binding"][0]) if r["binding"] else "",
            _rests(r),
        ]
        for r in result["pairs"][:LIMIT]
    ]
    echo(table(rows, ["programme", "unit lost", "TTS (months)", "TTR / months", "short by", "binding", "rests on"]))
    if len(result["pairs"]) > LIMIT:
        echo(f"  ... and {len(result['pairs']) - LIMIT} more (use --format json for all)")
    if c["no_horizon"]:
        echo(f"? no time to recover recorded for {c['no_horizon']} of them: give --months to judge them.")
    _footer(c["lower_bound_on_risk"], c["pairs"])
    _withheld(result)


@cli.command()
@click.argument("programme")
@click.option("--factor", type=click.FloatRange(0, min_open=True), required=True, help="Multiply the demand by F.")
@format_option()
@sensitivity_option()
def surge(programme: str, factor: float, fmt: str, max_sensitivity: str) -> None:
    """Where a programme's chain breaks first when its demand is multiplied by F.

    Lists the slots whose suppliers' recorded capacity cannot follow, with the shortfall per
    month and the months of stock that cover it (first to run dry first), and the time the
    programme can sustain the surge.

    \b
    Examples:
      nldtib surge artillery-ammunition-155 --factor 3
      nldtib surge f-35 --factor 1.5 --format json
    """
    result = open_session(max_sensitivity).surge(programme, factor).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    tts = "indefinitely" if result["sustains"] else f"for {result['tts_months']:g} months"
    rests = _rests(result)
    echo(
        f"{result['programme']} ({result['name']}) at {result['factor']:g}x demand: sustained {tts}"
        + ("*" if result["lower_bound_on_risk"] else "")
        + (f"  [{rests}]" if rests else "")
    )
    for b in result["binding"]:
        echo(f"  binding: {binding_text(b)}")
    if result["lower_bound_on_risk"]:
        echo("* lower bound on risk: missing capacity or stock figures count as unlimited (see 'missing').")
    if not result["shortfalls"]:
        echo("No slot with recorded capacities falls short.")
    else:
        echo("Slots whose capacity cannot follow (first to run dry first):")
        rows = [
            [
                s["unit"],
                s["slot"],
                f"{s['surge_demand_per_month']:g}",
                f"{s['capacity_per_month']:g}",
                f"{s['shortfall_per_month']:g}",
                "none recorded" if s["cover_months"] is None else f"{s['cover_months']:g}",
                _rests(s),
            ]
            for s in result["shortfalls"][:LIMIT]
        ]
        echo(
            table(
                rows,
                ["unit", "slot", "demand/month", "capacity/month", "short/month", "stock covers (months)", "rests on"],
            )
        )
        sources = dict.fromkeys(src for s in result["shortfalls"][:LIMIT] for src in s["sources"])
        for src in sources:
            echo(f"  source: {src}")
    _withheld(result)
