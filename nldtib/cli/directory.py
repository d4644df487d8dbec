"""Directory commands: validate, stats, show, search, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..schema import load_schema
from . import cli
from .common import Options, echo, emit_json, format_option, open_session, pass_options, sensitivity_option, table


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@format_option()
@pass_options
def validate(opts: Options, folder: Path | None, fmt: str) -> None:
    """Check a dataset folder (or a dataset workbook, FILE.xlsx) against the schema and list every error.

    FOLDER defaults to --data, or to the shipped seed. Each error is one line,
    `path:line: field: message` (in a workbook `FILE.xlsx:Sheet!row: field: message`).
    Exits 0 when the dataset is clean and 1 when not.

    \b
    Examples:
      nldtib validate ./mydata
      nldtib validate ./mydata --format json
      nldtib validate nldtib.xlsx                    a workbook from `nldtib export xlsx`
    """
    from ..session import validate as validate_folder

    target, dataset, issues = validate_folder(folder or opts.data)
    if fmt == "json":
        emit_json(
            {
                "folder": str(target),
                "valid": not issues,
                "errors": [{"path": i.path, "line": i.line, "field": i.field, "message": i.message} for i in issues],
                "nodes": len(dataset.nodes) if dataset else 0,
                "relationships": len(dataset.rels) if dataset else 0,
            }
        )
    else:
        for issue in issues:
            echo(str(issue))
        if dataset is not None:
            echo(f"{target}: valid: {len(dataset.nodes)} nodes, {len(dataset.rels)} relationships", err=True)
        else:
            echo(f"{target}: {len(issues)} error{'s' if len(issues) != 1 else ''}; nothing loaded", err=True)
    if issues:
        raise SystemExit(1)


def _known(block: dict[str, Any], money: bool = False) -> str:
    if not block["known"]:
        return f"unknown (0 of {block['of']} known)"
    total = block["total"]
    shown = f"EUR {total / 1e9:,.2f} bn" if money and total >= 1e8 else (f"EUR {total:,.0f}" if money else f"{total:,}")
    return f"{shown} (known for {block['known']} of {block['of']})"


@cli.command()
@format_option()
@sensitivity_option()
def stats(fmt: str, max_sensitivity: str) -> None:
    """Directory figures: counts by label, organisation kind, domain and country.

    Employees and turnover are summed where known, with how many are known, so the figures
    can be compared with national studies (for example Berenschot 2022 for the Netherlands).

    \b
    Examples:
      nldtib stats
      nldtib --data ./mydata stats --format json
    """
    session = open_session(max_sensitivity)
    result = session.stats().to_dict()
    if fmt == "json":
        emit_json(result)
        return
    orgs = result["organisations"]
    echo(f"Classification: {result['classification'].upper()}")
    echo(f"Source: {session.describe()}")
    echo(f"{result['nodes']} nodes, {result['relationships']} relationships")
    echo()
    echo(table([[k, v] for k, v in result["by_label"].items()], ["label", "nodes"]))
    echo()
    echo(f"Organisations: {orgs['total']} ({orgs['dutch']} located in NL)")
    echo(table([[k, v] for k, v in orgs["by_kind"].items()], ["kind", "organisations"]))
    echo()
    echo(table([[k, v] for k, v in orgs["by_domain"].items()], ["domain", "organisations"]))
    echo()
    echo(table([[k, v] for k, v in orgs["by_country"].items()], ["country", "organisations"]))
    echo()
    echo(f"Employees (all):      {_known(orgs['employees'])}")
    echo(f"Turnover (all):       {_known(orgs['turnover_eur'], money=True)}")
    echo(f"Employees (NL):       {_known(orgs['dutch_employees'])}")
    echo(f"Turnover (NL):        {_known(orgs['dutch_turnover_eur'], money=True)}")
    echo()
    echo(table([[k, v] for k, v in result["by_relationship_type"].items()], ["relationship", "count"]))
    prov = result["provenance"]
    echo()
    echo(
        f"Provenance: {prov['with_source']} of {prov['records']} records cite a source; by confidence: "
        + ", ".join(f"{k} {v}" for k, v in prov["by_confidence"].items())
    )


@cli.command()
@click.argument("node_id")
@format_option()
@sensitivity_option()
def show(node_id: str, fmt: str, max_sensitivity: str) -> None:
    """Show one node with its properties, provenance and relationships.

    \b
    Examples:
      nldtib show thales-nederland
      nldtib show f-35 --format json
    """
    result = open_session(max_sensitivity).show(node_id).to_dict()
    if fmt == "json":
        emit_json(result)
        return
    echo(f"{result['name']}  [{result['label']}]  id: {result['id']}")
    echo(f"Classification: {result['classification'].upper()}")
    for k, v in result["properties"].items():
        if k != "name":
            echo(f"  {k}: {'; '.join(v) if isinstance(v, list) else v}")
    if result["provenance"]:
        echo("Provenance:")
        for k, v in result["provenance"].items():
            echo(f"  {k}: {v}")
    if result["relationships"]:
        echo("Relationships:")
        for r in result["relationships"]:
            arrow = f"-[{r['type']}]->" if r["direction"] == "out" else f"<-[{r['type']}]-"
            props = ", ".join(f"{k}={v}" for k, v in r["properties"].items())
            conf = r["provenance"].get("confidence")
            extra = "  ".join(x for x in [f"({props})" if props else "", f"[{conf}]" if conf else ""] if x)
            echo(f"  {arrow} {r['other']['id']} ({r['other']['name']}, {r['other']['label']}) {extra}".rstrip())


@cli.command()
@click.argument("text")
@click.option(
    "--label", type=click.Choice(sorted(load_schema().nodes)), default=None, help="Only nodes with this label."
)
@click.option(
    "--limit", type=click.IntRange(1, 10000), default=20, show_default=True, help="At most this many results."
)
@format_option()
@sensitivity_option()
def search(text: str, label: str | None, limit: int, fmt: str, max_sensitivity: str) -> None:
    """Find nodes by id, name, alias or description, best matches first.

    Case, accents, hyphens and spaces are ignored, and a typo is forgiven (one edit in a word
    of 4 to 7 letters, two in a longer one). The `match` column says how each node matched:
    exact, prefix, word prefix, contained, close (a typo away) or description.

    \b
    Examples:
      nldtib search thales
      nldtib search nedinsko                         finds Nedinsco (a typo away)
      nldtib search periscope                        also the firms whose description mentions it
      nldtib search "maintenance valley" --label Ecosystem
    """
    hits = open_session(max_sensitivity).search(text, label=label, limit=limit).results
    if fmt == "json":
        emit_json({"query": text, "results": hits})
        return
    if not hits:
        echo(f"no match for {text!r}", err=True)
        raise SystemExit(1)
    echo(table([[h["id"], h["label"], h["name"], h["match"]] for h in hits], ["id", "label", "name", "match"]))


@cli.command("schema")
@format_option("md", "json")
def schema_cmd(fmt: str) -> None:
    """Print the schema reference (labels, relationship types, properties).

    \b
    Examples:
      nldtib schema > docs/schema.md
      nldtib schema --format json
    """
    schema = load_schema()
    if fmt == "json":
        emit_json(
            {
                "version": schema.version,
                "provenance": [p.__dict__ for p in schema.provenance],
                "nodes": {
                    n.label: {
                        "description": n.description,
                        "colour": n.colour,
                        "shape": n.shape,
                        "properties": [p.__dict__ for p in n.properties],
                    }
                    for n in schema.nodes.values()
                },
                "relationships": {
                    r.type: {
                        "description": r.description,
                        "group": r.group,
                        "from": r.sources,
                        "to": r.targets,
                        "key": r.key,
                        "properties": [p.__dict__ for p in r.properties],
                    }
                    for r in schema.relationships.values()
                },
            }
        )
    else:
        from ..output.schema_doc import schema_markdown

        click.echo(schema_markdown(schema), nl=False)
