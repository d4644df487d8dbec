"""Database commands: ``nldtib db init|load|dump|query|status`` (Neo4j, the system of record).

Connection settings come from NLDTIB_NEO4J_URI, NLDTIB_NEO4J_USER, NLDTIB_NEO4J_PASSWORD (or
NLDTIB_NEO4J_PASSWORD_FILE) and NLDTIB_NEO4J_DATABASE, or a ``.env`` file in the current
directory. There is deliberately no password option.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from ..dataset.reader import read_dataset
from ..paths import seed_dir
from . import cli
from .common import App, echo, emit_json, format_option, pass_app, sensitivity_option, table


def _open():
    from ..store.neo4j.store import Neo4jStore  # the driver is imported only when a db command runs

    return Neo4jStore.from_env()


@cli.group()
def db() -> None:
    """Neo4j: create the schema, load and dump datasets, query, status.

    Settings come from the environment (or ./.env): NLDTIB_NEO4J_URI,
    NLDTIB_NEO4J_USER, NLDTIB_NEO4J_PASSWORD or NLDTIB_NEO4J_PASSWORD_FILE,
    NLDTIB_NEO4J_DATABASE. The password is never a command-line option.

    \b
    Examples:
      eval "$(tools/neo4j-local start)"     a local server without Docker
      nldtib db init
      nldtib db load seed/
      nldtib db status
      nldtib --store neo4j stats
    """


@db.command("init")
@format_option()
def db_init(fmt: str) -> None:
    """Create the constraints and indexes derived from the schema (idempotent).

    \b
    Examples:
      nldtib db init
    """
    with _open() as store:
        created = store.init_schema()
        status = store.status()
    if fmt == "json":
        emit_json({"created": created, "schema": status["schema"]})
        return
    echo(f"created {len(created)} of {status['schema']['expected']} constraints and indexes"
         + ("" if created else " (all were in place)"), err=True)
    if not status["schema"]["complete"]:
        echo(f"still missing: {', '.join(status['schema']['missing'])}", err=True)
        raise SystemExit(1)


@db.command("load")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help="Make the database equal to the dataset: also delete the nodes and relationships it no longer has.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=5000, show_default=True,
              help="Rows per UNWIND batch.")
@format_option()
@pass_app
def db_load(app: App, folder: Path | None, replace: bool, batch_size: int, fmt: str) -> None:
    """Validate a dataset folder in full, then write it to Neo4j in batches.

    FOLDER defaults to --data, or to the shipped seed. Nothing is written if the
    dataset has any error. Loading the same dataset twice changes nothing; without
    --replace a load adds and updates but never deletes. Up to 50,000 records the
    load is a single transaction (all or nothing); larger loads commit per batch, and
    rerunning an interrupted load completes it (see docs/neo4j.md).

    \b
    Examples:
      nldtib db load ./mydata
      nldtib db load ./mydata --replace
    """
    from ..store.neo4j.load import load_dataset

    target = folder or app.data or seed_dir()
    dataset = read_dataset(target)
    total = len(dataset.nodes) + len(dataset.rels)
    with _open() as store, click.progressbar(length=total, label="loading", file=sys.stderr,
                                             show_pos=True) as bar:
        state = {"done": 0}

        def progress(done: int, all_records: int) -> None:
            if all_records != bar.length:  # with --replace, the deletions join once known
                bar.length = all_records
            if done < state["done"]:      # a retried transaction starts again
                bar.pos = 0
                state["done"] = 0
            bar.update(done - state["done"])
            state["done"] = done

        report = load_dataset(store, dataset, replace=replace, batch_size=batch_size, progress=progress)
        where = store.settings.describe()
    if fmt == "json":
        emit_json({"folder": str(target), "target": where, **report.as_dict()})
        return
    rate = total / report.seconds if report.seconds > 0 else 0
    echo(f"loaded {report.nodes} nodes and {report.relationships} relationships from {target} into {where} "
         f"in {report.seconds:.1f} s ({rate:,.0f} records/s)", err=True)
    if replace:
        echo(f"deleted {report.deleted_nodes} nodes and {report.deleted_relationships} relationships "
             "the dataset no longer has", err=True)
    if report.resumed:
        echo(f"completed an interrupted {report.resumed.get('mode', 'load')} started {report.resumed.get('started', '?')}",
             err=True)


@db.command("dump")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@sensitivity_option(default="confidential")
def db_dump(folder: Path, max_sensitivity: str) -> None:
    """Write the database to FOLDER in the dataset format (canonical order).

    `db load DIR` then `db dump OUT` gives back the same files. The written folder
    is read back and validated. The default keeps every record (a backup); use
    --max-sensitivity public for a copy to share.

    \b
    Examples:
      nldtib db dump ./backup
      nldtib db dump ./to-share --max-sensitivity public
    """
    from ..dataset.writer import write_dataset

    with _open() as store:
        dataset = store.dataset().filtered(max_sensitivity)
        where = store.settings.describe()
    write_dataset(dataset, folder)
    check = read_dataset(folder, dataset.schema)
    echo(f"wrote {len(check.nodes)} nodes and {len(check.rels)} relationships from {where} to {folder}", err=True)


def _param(values: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="--param")
        key, raw = item.split("=", 1)
        if not key:
            raise click.BadParameter(f"{item!r}: empty name", param_hint="--param")
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@db.command("query")
@click.argument("cypher")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is JSON if it parses as JSON, else a string. Repeatable.")
@format_option("text", "json", "csv")
def db_query(cypher: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a read-only Cypher query and print the rows (the server refuses writes).

    \b
    Examples:
      nldtib db query 'MATCH (o:Organisation) RETURN o.id, o.name ORDER BY o.id LIMIT 5'
      nldtib db query 'MATCH (o {id: $id})-[r]->(x) RETURN type(r), x.id' -p id=thales-nederland
      nldtib db query 'MATCH (c:Country) WHERE c.id IN $ids RETURN c.name' -p 'ids=["NL","DE"]' --format csv
    """
    values = _param(params)
    with _open() as store:
        columns, rows = store.query(cypher, values)
    if fmt == "json":
        emit_json({"columns": columns, "rows": [dict(zip(columns, r)) for r in rows]})
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in r] for r in rows])
        click.echo(buf.getvalue(), nl=False)
    else:
        if columns:
            echo(table([[_cell(v) for v in r] for r in rows], columns))
        echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", err=True)


@db.command("status")
@format_option()
def db_status(fmt: str) -> None:
    """Server version, database, counts by label and type, and whether the schema is in place.

    \b
    Examples:
      nldtib db status
      nldtib db status --format json
    """
    with _open() as store:
        st = store.status()
    if fmt == "json":
        emit_json(st)
        return
    echo(f"Neo4j {st['server']['version']} ({st['server']['edition']}) at {st['uri']}, database {st['database']}")
    echo(f"{st['nodes']} nodes, {st['relationships']} relationships")
    if st["by_label"]:
        echo()
        echo(table([[k, v] for k, v in st["by_label"].items()], ["label", "nodes"]))
    if st["by_relationship_type"]:
        echo()
        echo(table([[k, v] for k, v in st["by_relationship_type"].items()], ["relationship", "count"]))
    echo()
    sch = st["schema"]
    if sch["complete"]:
        echo(f"Schema: in place ({sch['expected']} constraints and indexes)")
    else:
        echo(f"Schema: {len(sch['missing'])} of {sch['expected']} constraints and indexes missing; run `nldtib db init`")
    if st["interrupted_load"]:
        il = st["interrupted_load"]
        echo(f"Interrupted {il.get('mode', 'load')} started {il.get('started', '?')} from {il.get('source', '?')}: "
             "rerun `nldtib db load` to complete it")
