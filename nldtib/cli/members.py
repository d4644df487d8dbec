"""The members of a programme: which organisations are in it, at which tier, supplying what."""

from __future__ import annotations

import click

from . import cli
from .common import echo, emit_json, format_option, open_session, sensitivity_option, table


@cli.command()
@click.argument("programme", metavar="PROGRAMME")
@click.option("--country", metavar="CC", default=None, help="Only the members located in this country (e.g. NL).")
@click.option("--depth", type=click.IntRange(0), default=None, help="Only supply tiers up to N. Default: all.")
@format_option()
@sensitivity_option()
def members(programme: str, country: str | None, depth: int | None, fmt: str, max_sensitivity: str) -> None:
    """The organisations in a programme, tier by tier, with what they supply and their country.

    Members are the programme's offices (organisations that participate with role lead, such
    as the F-35 JPO; tier 0), every organisation in the supply tree of the programme or of an
    office (tier 1 supplies one of them directly), and the other participants (prime,
    contractor, partner, participant; tier '-' when the directory holds no supply relationship
    for them). Unlike `deps`, firms that supply the programme office are included, and items,
    materials and countries are not.

    \b
    Examples:
      nldtib members f-35 --country NL           which Dutch firms are in the F-35?
      nldtib members orka --depth 1
      nldtib members asw-frigates --format json
    """
    result = open_session(max_sensitivity).members(programme, country=country, depth=depth).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    p = result["programme"]
    where = f" located in {result['country']}" if result["country"] else ""
    n = result["counts"]["members"]
    echo(f"{p['name']} ({p['id']}): {n} member organisation{'s' if n != 1 else ''}{where}")
    if result["offices"]:
        offices = [f"{o['name']} ({o['id']}, {o['country'] or 'location unknown'})" for o in result["offices"]]
        echo(f"Programme office{'s' if len(offices) > 1 else ''}: {'; '.join(offices)}")
    if not result["members"]:
        return
    rows = [
        [
            "-" if m["tier"] is None else m["tier"],
            f"{m['name']} ({m['id']})",
            m["kind"] or "",
            m["country"] or "?",
            ", ".join(m["roles"]),
            "; ".join(f"{s['item_name']} to {s['to']}" for s in m["supplies"]),
        ]
        for m in result["members"]
    ]
    echo()
    echo(table(rows, ["tier", "organisation", "kind", "country", "roles", "supplies"]))
    echo()
    echo("tier: supply steps to the programme or its office (0: the office); -: participates, no supply data.")
