"""The main job: the resilience report."""

from __future__ import annotations

from pathlib import Path

import click

from . import cli
from .common import echo, open_session, sensitivity_option, write_output

FORMATS = ("md", "html", "json")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


@cli.command()
@click.option(
    "--target",
    "targets",
    metavar="ID",
    multiple=True,
    help="Programme (or other unit) to assess; repeat for several. Default: every programme.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format. Default: from the -o suffix (.md, .html, .json), else md.",
)
@click.option("--home", default="NL", show_default=True, help="Home country for foreign shares and control flags.")
@sensitivity_option()
@click.option(
    "-o",
    "--output",
    default=None,
    help="File to write; '-' is standard output (Markdown unless --format says otherwise). "
    "Default: report.html (report.md, report.json with --format md or json).",
)
def report(targets: tuple[str, ...], fmt: str | None, home: str, max_sensitivity: str, output: str | None) -> None:
    """Write the resilience report: where the industrial base breaks, and why.

    A briefing document: a title block (dataset, as-of range, classification, generation
    time), contents, an executive summary, then per programme its single points of failure
    with the chain that explains each and the evidence it rests on (sources as links, as-of
    date, confidence), sole-source slots, country and non-EU/NATO exposure and raw materials;
    ownership and control flags; coverage gaps; the method; and the data used. Markdown and
    HTML are rendered from the JSON result. The HTML is one self-contained file that prints on
    A4, a section per page. Records above --max-sensitivity never appear; the report carries
    its classification at top and bottom (of every printed page).

    \b
    Examples:
      nldtib report                                  report.html in this folder, shipped seed
      nldtib report -o - | less                      Markdown on standard output
      nldtib report --target f-35 --format json -o f35.json
      nldtib --store neo4j report --max-sensitivity restricted -o team.html
    """
    if output is None:
        output = f"report.{fmt or 'html'}"
    fmt = fmt or SUFFIXES.get(("." + output.rsplit(".", 1)[-1].lower()) if "." in output else "", "md")
    result = open_session(max_sensitivity).report(list(targets) or None, format=fmt, home=home)
    write_output(result.text, output)
    if output != "-":
        data = result.to_dict()
        where = Path(output).resolve()
        echo(
            f"{output}: {fmt} report, {data['summary']['programmes']} programmes; "
            f"classification {data['classification'].upper()}. Open it: {where.as_uri() if fmt == 'html' else where}",
            err=True,
        )
