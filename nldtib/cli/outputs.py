"""Output commands: the interactive graph and exports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..defaults import EXPORT_FORMATS
from ..output.graph import DEFAULT_MAX_NODES
from ..schema import load_schema
from . import cli
from .common import echo, open_session, sensitivity_option, write_output


@cli.command()
@click.option("--focus", metavar="ID", default=None, help="Draw only the neighbourhood of this node.")
@click.option(
    "--depth",
    type=click.IntRange(0, 20),
    default=2,
    show_default=True,
    help="With --focus: how many steps from the node, in either direction.",
)
@click.option(
    "--label",
    "labels",
    multiple=True,
    type=click.Choice(sorted(load_schema().nodes)),
    help="Draw only nodes with this label (repeat for several).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="ID",
    help="Highlight this unit's critical units and sole-source links (repeatable). Without --focus "
    "or --label, draw only the targets' upstream supply chains.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    default=DEFAULT_MAX_NODES,
    show_default=True,
    help="Refuse to draw more nodes than this.",
)
@click.option(
    "--show-hubs",
    is_flag=True,
    help="With --focus: draw countries, domains, capabilities and ecosystems as nodes (by default they are "
    "node attributes and legend filters, so a neighbourhood is not reached through them).",
)
@click.option("--title", default=None, help="Page title.")
@sensitivity_option()
@click.option(
    "-o", "--output", default="nldtib-graph.html", show_default=True, help="HTML file to write; '-' is standard output."
)
def graph(
    focus: str | None,
    depth: int,
    labels: tuple[str, ...],
    targets: tuple[str, ...],
    max_nodes: int,
    show_hubs: bool,
    title: str | None,
    max_sensitivity: str,
    output: str,
) -> None:
    """Write the graph as one interactive HTML page that works offline.

    The page needs no network: vis-network is inlined and a Content-Security-Policy forbids
    every request. Nodes are coloured and shaped by label (legend and filters on the page);
    search by name, focus on a node's neighbourhood, click for properties and provenance. The
    layout stops once it has stabilised, and runs again when a filter changes. Supply links
    point from supplier to consumer. Records above --max-sensitivity never appear, and the
    page shows its classification in a banner and in its title.

    --focus ID --depth N draws a neighbourhood. Countries, domains, capabilities and ecosystems
    are then node attributes with a filter per value in the legend, not nodes, so the
    neighbourhood is not reached through them; --show-hubs draws them as nodes.

    --target highlights the target (black border), its single points of failure (red) and the
    sole-source links of its supply chain (thick red), as `nldtib chokepoints` computes them on
    the records shown; everything else is grey. Without --focus or --label only the targets
    and everything upstream of them (`nldtib deps ID`) are drawn, in layers by tier. When a
    record withheld at the limit bears on a target, the page says so, and nothing more.

    \b
    Examples:
      nldtib graph                                   the whole graph, public records only
      nldtib graph --focus thales-nederland --depth 2 -o thales.html
      nldtib graph --focus f-35 --depth 2 --show-hubs -o f35.html
      nldtib graph --label Organisation --label Country
      nldtib graph --target asw-frigates -o asw.html
      nldtib graph --max-sensitivity restricted -o restricted.html
    """
    page = open_session(max_sensitivity).graph(
        focus=focus,
        depth=depth,
        labels=labels or None,
        targets=targets or None,
        max_nodes=max_nodes,
        title=title,
        show_hubs=show_hubs,
    )
    write_output(page.html, output)
    if output != "-":
        echo(
            f"{output}: {page.nodes} nodes, {page.relationships} relationships; "
            f"classification {page.classification.upper()}",
            err=True,
        )


@cli.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@click.option(
    "-o",
    "--output",
    default=None,
    help="File to write ('-' is standard output, the default); for csv, a new or empty folder (required).",
)
@click.option("--force", is_flag=True, help="csv: replace the dataset in a folder that is not empty.")
@click.option("--excel", is_flag=True, help="csv: start each file with a UTF-8 byte order mark, for Excel.")
@sensitivity_option()
def export_cmd(fmt: str, output: str | None, force: bool, excel: bool, max_sensitivity: str) -> None:
    """Export the graph: graphml, gexf (both open in Gephi), json (node-link), csv, xlsx, cypher.

    csv writes a dataset folder in nldtib's own format, which `nldtib validate` accepts and
    which reads back to the same graph (--excel adds the byte order mark Excel needs for
    accents). xlsx writes the same dataset as an Excel workbook: a README sheet (format and
    classification), then one sheet per node label and relationship type; edit it and read it
    back with `nldtib validate FILE.xlsx` or `nldtib --data FILE.xlsx ...`. Cells that start
    with =, +, - or @ never run as formulas. cypher writes a script that recreates the graph in
    Neo4j exactly as `nldtib db load` writes it (cypher-shell -f FILE). GraphML and GEXF pass
    their official schemas. Records above --max-sensitivity never appear; every export names
    its classification in its header (for csv, in CLASSIFICATION.txt; for xlsx, the README
    sheet and the document properties).

    \b
    Examples:
      nldtib export graphml -o nldtib.graphml
      nldtib export json > graph.json
      nldtib export csv -o ./shared-dataset --excel
      nldtib export xlsx -o nldtib.xlsx
      nldtib export cypher --max-sensitivity restricted -o load.cypher
    """
    session = open_session(max_sensitivity)
    if fmt == "csv":
        if output in (None, "-"):
            raise click.UsageError("the csv export writes a dataset folder: give it with -o DIR")
        target = session.export("csv", Path(output), force=force, excel=excel)
        echo(f"{target}: dataset written; check it with `nldtib validate {target}`", err=True)
        return
    if fmt == "xlsx":
        if output in (None, "-"):
            raise click.UsageError("the xlsx export writes a workbook: give it with -o FILE.xlsx")
        target = session.export("xlsx", Path(output))
        echo(f"{target}: workbook written; read it back with `nldtib validate {target}`", err=True)
        return
    if output in (None, "-"):
        session.export(fmt, sys.stdout)
        sys.stdout.flush()
        return
    session.export(fmt, output)
    echo(f"{output}: {fmt} written", err=True)
