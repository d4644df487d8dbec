"""The main job: the resilience report."""
from __future__ import annotations

import json

import click

from ..output.report import build_report, render_html, render_markdown
from . import cli
from .common import App, echo, pass_app, sensitivity_option, write_output

RENDERERS = {
    "md": render_markdown,
    "html": render_html,
    "json": lambda result: json.dumps(result, indent=2, ensure_ascii=False) + "\n",
}
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


@cli.command()
@click.option("--target", "targets", metavar="ID", multiple=True,
              help="Programme (or other unit) to assess; repeat for several. Default: every programme.")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default=None,
              help="Output format. Default: from the -o suffix (.md, .html, .json), else md.")
@click.option("--home", default="NL", show_default=True, help="Home country for foreign shares and control flags.")
@sensitivity_option()
@click.option("-o", "--output", default="-", show_default=True, help="File to write; '-' is standard output.")
@pass_app
def report(app: App, targets: tuple[str, ...], fmt: str | None, home: str, max_sensitivity: str, output: str) -> None:
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
    full = app.dataset("confidential")
    shown = full.filtered(max_sensitivity)
    result = build_report(shown, full=full, targets=list(targets) or None, max_sensitivity=max_sensitivity,
                          source=app.store().describe(), home=home)
    write_output(RENDERERS[fmt](result), output)
    if output != "-":
        echo(f"{output}: {fmt} report, {result['summary']['programmes']} programmes; "
             f"classification {result['classification'].upper()}", err=True)
