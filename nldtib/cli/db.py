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

from ..errors import StoreError, UsageError
from ..schema import SENSITIVITY_LEVELS
from . import cli
from .common import echo, emit_json, format_option, open_session, sensitivity_option, table
from .progress import stderr_is_terminal

UNFILTERED = "Classification: CONFIDENTIAL (read from the database unfiltered: every record counts)"


def _unfiltered_option(what: str):
    return click.option(
        "--max-sensitivity",
        type=click.Choice(SENSITIVITY_LEVELS),
        default=None,
        help=f"{what} reads the database unfiltered, confidential records included; "
        "only 'confidential' is accepted, given explicitly.",
    )


def _require_confidential(command: str, max_sensitivity: str | None) -> None:
    if max_sensitivity != "confidential":
        raise UsageError(
            f"{command} reads every record, confidential ones included, and cannot filter them: "
            "give --max-sensitivity confidential to run it (its output is classified CONFIDENTIAL)"
        )


def _open(max_sensitivity: str = "confidential"):
    """A session on the Neo4j store (the db commands always use it, whatever --store says)."""
    return open_session(max_sensitivity, store="neo4j")


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
    result = _open().init_schema()
    created, schema = result["created"], result["schema"]
    if fmt == "json":
        emit_json(result)
        return
    echo(
        f"created {len(created)} of {schema['expected']} constraints and indexes"
        + ("" if created else " (all were in place)"),
        err=True,
    )
    if not schema["complete"]:
        echo(f"still missing: {', '.join(schema['missing'])}", err=True)
        raise SystemExit(1)


class _LoadBar:
    """The load's progress bar on stderr. It appears at the first tick, once the dataset is valid
    and the server answers, so an early error stays one line."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0

    def update(self, done: int, total: int) -> None:
        if not stderr_is_terminal():  # a bar only on a terminal; nothing in a pipe or a log
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="loading", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        if total != self.bar.length:  # with --replace, the deletions join once known
            self.bar.length = total
        if done < self.done:  # a retried transaction starts again
            self.bar.pos = self.done = 0
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self) -> _LoadBar:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@db.command("load")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Make the database equal to the dataset: also delete the nodes and relationships it no longer has.",
)
@click.option(
    "--batch-size", type=click.IntRange(1, 100_000), default=5000, show_default=True, help="Rows per UNWIND batch."
)
@click.option(
    "--bulk",
    is_flag=True,
    help="A first load through Neo4j's importer (neo4j-admin database import): much faster, "
    "into an empty database only (or --replace); the server is restarted. Needs NLDTIB_NEO4J_IMPORTER.",
)
@format_option()
def db_load(folder: Path, replace: bool, batch_size: int, bulk: bool, fmt: str) -> None:
    """Validate a dataset folder in full, then write it to Neo4j in batches.

    FOLDER is required (use the shipped seed explicitly if you mean it). Nothing is
    written if the dataset has any error. Loading the same dataset twice changes nothing; without
    --replace a load adds and updates but never deletes. Up to 50,000 records the
    load is a single transaction (all or nothing); larger loads commit per batch, and
    rerunning an interrupted load completes it (see docs/neo4j.md).

    With --bulk the dataset is written in the format of Neo4j's importer, the server is
    stopped, the importer rebuilds the database, the server starts again and the
    constraints are created. It refuses a database that is not empty unless --replace,
    and one that holds nodes nldtib does not own. It needs the importer next to the
    server: NLDTIB_NEO4J_IMPORTER (tools/neo4j-local sets it); for a remote server use
    the normal load.

    \b
    Examples:
      nldtib db load ./mydata
      nldtib db load ./mydata --replace
      nldtib db load ./bigdata --bulk
    """
    try:
        with _LoadBar() as bar:
            report = _open().load(folder, replace=replace, batch_size=batch_size, progress=bar.update, bulk=bulk)
    except KeyboardInterrupt:  # a batched load turns Ctrl-C into its own "partial" error
        raise StoreError(
            "interrupted: nothing was written (a load of up to 50,000 records is one transaction, rolled back)"
        ) from None
    if fmt == "json":
        emit_json(report)
        return
    total = report["nodes"] + report["relationships"]
    rate = total / report["seconds"] if report["seconds"] > 0 else 0
    echo(
        f"loaded {report['nodes']} nodes and {report['relationships']} relationships from {folder} into "
        f"{report['target']} in {report['seconds']:.1f} s ({rate:,.0f} records/s)",
        err=True,
    )
    if replace:
        echo(
            f"deleted {report['deleted_nodes']} nodes and {report['deleted_relationships']} relationships "
            "the dataset no longer has",
            err=True,
        )
    if report["resumed"]:
        resumed = report["resumed"]
        echo(f"completed an interrupted {resumed.get('mode', 'load')} started {resumed.get('started', '?')}", err=True)


@db.command("repair")
@format_option()
def db_repair(fmt: str) -> None:
    """Delete duplicate copies of relationships (same type, endpoints and key).

    Two loads run at once by an nldtib older than the writer lock could leave them;
    `db load --replace` removes them as well.

    \b
    Examples:
      nldtib db repair
    """
    result = _open().repair()
    if fmt == "json":
        emit_json(result)
        return
    echo(f"deleted {result['deleted_duplicate_relationships']} duplicate relationships", err=True)


@db.command("dump")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the dataset in a folder that is not empty.")
@sensitivity_option(default="confidential")
def db_dump(folder: Path, force: bool, max_sensitivity: str) -> None:
    """Write the database to FOLDER in the dataset format (canonical order).

    `db load DIR` then `db dump OUT` gives back the same files. The written folder
    is read back and validated. FOLDER must be new or empty unless --force. The
    default keeps every record (a backup); use --max-sensitivity public for a copy
    to share.

    \b
    Examples:
      nldtib db dump ./backup
      nldtib db dump ./to-share --max-sensitivity public
    """
    session = _open(max_sensitivity)
    check = session.dump(folder, force=force)
    echo(
        f"wrote {len(check.nodes)} nodes and {len(check.rels)} relationships from {session.describe()} to {folder}",
        err=True,
    )


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
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter ($NAME); VALUE is JSON if it parses as JSON, else a string. Repeatable.",
)
@_unfiltered_option("db query")
@format_option("text", "json", "csv")
def db_query(cypher: str, params: tuple[str, ...], max_sensitivity: str | None, fmt: str) -> None:
    """Run a read-only Cypher query and print the rows.

    The query sees every record, whatever its sensitivity, so it runs only with an
    explicit --max-sensitivity confidential, and its output is classified
    CONFIDENTIAL (a line on stderr; a field in JSON). It runs in a read transaction
    (the server refuses writes), and the server's plan of it is checked first:
    LOAD CSV, administration commands (SHOW SETTINGS, SHOW TRANSACTIONS, ...) and
    procedures other than db.labels, db.relationshipTypes, db.propertyKeys,
    db.schema.*, dbms.components are refused, so a query cannot read server files
    or make the server fetch a URL.

    \b
    Examples:
      nldtib db query --max-sensitivity confidential 'MATCH (o:Organisation) RETURN o.id, o.name ORDER BY o.id LIMIT 5'
      nldtib db query --max-sensitivity confidential 'MATCH (o {id: $id})-[r]->(x) RETURN type(r), x.id' -p id=thales-nederland
      nldtib db query --max-sensitivity confidential 'MATCH (c:Country) WHERE c.id IN $ids RETURN c.name' -p 'ids=["NL","DE"]' --format csv
    """
    _require_confidential("db query", max_sensitivity)
    columns, rows = _open().query(cypher, _param(params))
    if fmt == "json":
        emit_json({"classification": "confidential", "columns": columns, "rows": [dict(zip(columns, r)) for r in rows]})
        return
    echo(UNFILTERED, err=True)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in r] for r in rows])
        click.echo(buf.getvalue(), nl=False)
    else:
        if columns:
            echo(table([[_cell(v) for v in r] for r in rows], columns))
        echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", err=True)


_COUNTS = ("nodes", "relationships", "by_label", "by_relationship_type")


@db.command("status")
@_unfiltered_option("Counting")
@format_option()
def db_status(max_sensitivity: str | None, fmt: str) -> None:
    """Server version, database, whether the schema is in place, and any unfinished or running load.

    Counts by label and relationship type include confidential records, so they are
    shown only with an explicit --max-sensitivity confidential (the output is then
    classified CONFIDENTIAL).

    \b
    Examples:
      nldtib db status
      nldtib db status --max-sensitivity confidential --format json
    """
    counts = max_sensitivity == "confidential"
    if max_sensitivity not in (None, "confidential"):
        _require_confidential("counting in db status", max_sensitivity)
    st = _open().status()
    if not counts:
        st = {k: v for k, v in st.items() if k not in _COUNTS}
    if fmt == "json":
        emit_json({**st, "classification": "confidential" if counts else "public"})
        return
    echo(f"Neo4j {st['server']['version']} ({st['server']['edition']}) at {st['uri']}, database {st['database']}")
    if counts:
        echo(UNFILTERED)
        echo(f"{st['nodes']} nodes, {st['relationships']} relationships")
        if st["by_label"]:
            echo()
            echo(table([[k, v] for k, v in st["by_label"].items()], ["label", "nodes"]))
        if st["by_relationship_type"]:
            echo()
            echo(table([[k, v] for k, v in st["by_relationship_type"].items()], ["relationship", "count"]))
    else:
        echo("Counts: not shown; they include confidential records (--max-sensitivity confidential shows them)")
    echo()
    sch = st["schema"]
    if sch["complete"]:
        echo(f"Schema: in place ({sch['expected']} constraints and indexes)")
    else:
        echo(
            f"Schema: {len(sch['missing'])} of {sch['expected']} constraints and indexes missing; run `nldtib db init`"
        )
    if st["writer"]:
        echo(f"Writer: {st['writer']}")
    if st["interrupted_load"]:
        il = st["interrupted_load"]
        echo(
            f"Interrupted {il.get('mode', 'load')} started {il.get('started', '?')} from {il.get('source', '?')}: "
            "rerun `nldtib db load` to complete it"
        )
