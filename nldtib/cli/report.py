"""The main job: the resilience report."""

from __future__ import annotations

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
@click.option("-o", "--output", default="-", show_default=True, help="File to write; '-' is standard output.")
def report(targets: tuple[str, ...], fmt: str | None, home: str, max_sensitivity: str, output: str) -> None:
    """Write the resilience report: where the industrial base breaks, and why.

    An executive summary; per programme its single points of failure with the chain that
    explains each, sole-source slots, country and non-EU/NATO exposure and raw materials;
    ownership and control flags; coverage gaps; the method; and the data used (sources, as-of
    range, share of illustrative records). Markdown and HTML are rendered from the JSON result.
    The HTML is one self-contained printable file. Records above --max-sensitivity never appear;
    the report carries its classification at top and bottom.

    \b
    Examples:
      nldtib report                                  Markdown on stdout, shipped seed
      nldtib report -o report.html                   one self-contained HTML file
      nldtib report --target f-35 --format json
      nldtib --store neo4j report --max-sensitivity restricted -o team.html
    """
    fmt = fmt or SUFFIXES.get(("." + output.rsplit(".", 1)[-1].lower()) if "." in output else "", "md")
    result = open_session(max_sensitivity).report(list(targets) or None, format=fmt, home=home)
    write_output(result.text, output)
    if output != "-":
        data = result.to_dict()
        echo(
            f"{output}: {fmt} report, {data['summary']['programmes']} programmes; "
            f"classification {data['classification'].upper()}",
            err=True,
        )
