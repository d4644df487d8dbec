"""Sustainment commands: survive (time to survive a disruption) and surge (where a surge breaks).

Each parses options, makes one call on a session and renders the result as text or JSON (the
JSON contracts are in docs/analyses.md, "survive" and "surge").
"""

from __future__ import annotations

import click

from ..output.sustainment import binding_text
from ..session import BLOCS
from . import cli
from .common import echo, emit_json, format_option, open_session, sensitivity_option, table

LIMIT = 30


def _months(value: float | None) -> str:
    return "unbounded" if value is None else f"{value:g}"


def _footer(lower: int, total: int) -> None:
    if lower:
        echo(
            f"Lower bound on risk: {lower} of {total} answers rest on missing capacity or stock figures, "
            "counted as unlimited (see 'missing' in --format json)."
        )


@cli.command()
@click.option("--disrupt", multiple=True, metavar="ID", help="A unit that drops out (repeatable).")
@click.option("--country", multiple=True, metavar="CC", help="A country that drops out (repeatable).")
@click.option("--bloc", multiple=True, type=click.Choice(BLOCS), help="Every country of a bloc drops out (repeatable).")
@click.option("--material", multiple=True, metavar="ID", help="A raw material that becomes unavailable (repeatable).")
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
def survive(disrupt, country, bloc, material, months, sweep, workers, engine, fmt: str, max_sensitivity: str) -> None:
    """How long each programme keeps meeting its demand during a disruption.

    The time to survive (TTS) is the longest time the programme's demand can be met from stocks
    along its chain and the spare capacity of the suppliers that survive (Simchi-Levi's linear
    program, solved with HiGHS). A programme survives when its TTS reaches the disruption's
    duration. Missing capacity or stock figures count as unlimited, so such answers are a lower
    bound on risk and say so; a slot that lost every provider holds only its recorded stock.

    \b
    Examples:
      nldtib survive --country CN --months 6
      nldtib survive --disrupt rheinmetall          (horizon: its time to recover)
      nldtib survive --sweep --months 6 --format json
    """
    session = open_session(max_sensitivity)
    if sweep:
        if disrupt or country or bloc or material:
            raise click.UsageError("--sweep disrupts each critical unit in turn; give no disruption with it")
        result = session.survive_sweep(months=months, workers=workers, engine=engine).to_dict()
        if fmt == "json":
            emit_json(result)
            return
        c = result["counts"]
        echo(
            f"{c['pairs']} (programme, single point of failure) pairs; {c['short']} fall short of the "
            f"{'disruption' if months is not None else 'unit’s time to recover'}"
        )
        rows = [
            [
                r["programme"],
                r["unit"],
                _months(r["tts_months"]),
                _months(r["horizon_months"]) if r["horizon_months"] is not None else "?",
                "" if r["shortfall_months"] is None else f"{r['shortfall_months']:g}",
                binding_text(r["binding"][0]) if r["binding"] else "",
            ]
            for r in result["pairs"][:LIMIT]
        ]
        echo(table(rows, ["programme", "unit lost", "TTS (months)", "TTR / months", "short by", "binding"]))
        if len(result["pairs"]) > LIMIT:
            echo(f"  ... and {len(result['pairs']) - LIMIT} more (use --format json for all)")
        _footer(c["lower_bound_on_risk"], c["pairs"])
        return
    result = session.survive(
        disrupt=disrupt, countries=country, materials=material, blocs=bloc, months=months
    ).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    horizon = result["horizon_months"]
    echo(
        f"Disrupted: {', '.join(result['disrupted']) or 'nothing'}"
        + (f"  (horizon {horizon:g} months, from {result['horizon_from']})" if horizon is not None else "")
    )
    rows = []
    for p in result["programmes"]:
        survives = {True: "yes", False: "NO", None: ""}[p["survives"]]
        binding = binding_text(p["binding"][0]) if p["binding"] else ""
        label = " (lower bound on risk)" if p["lower_bound_on_risk"] else ""
        rows.append([p["id"], _months(p["tts_months"]) + label, survives, binding])
    echo(table(rows, ["programme", "TTS (months)", "survives", "binding constraint"]))
    _footer(result["counts"]["lower_bound_on_risk"], result["counts"]["programmes"])


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
    echo(f"{result['programme']} ({result['name']}) at {result['factor']:g}x demand: sustained {tts}")
    if result["lower_bound_on_risk"]:
        echo("  (lower bound on risk: missing capacity or stock figures count as unlimited)")
    for b in result["binding"][:5]:
        echo(f"  binding: {binding_text(b)}")
    if not result["shortfalls"]:
        echo("No slot with recorded capacities falls short.")
        return
    echo("Slots whose capacity cannot follow (first to run dry first):")
    rows = [
        [
            s["unit"],
            s["slot"],
            f"{s['surge_demand_per_month']:g}",
            f"{s['capacity_per_month']:g}",
            f"{s['shortfall_per_month']:g}",
            "none recorded" if s["cover_months"] is None else f"{s['cover_months']:g}",
            s["confidence"] or "",
        ]
        for s in result["shortfalls"][:LIMIT]
    ]
    echo(
        table(
            rows,
            ["unit", "slot", "demand/month", "capacity/month", "short/month", "stock covers (months)", "confidence"],
        )
    )
