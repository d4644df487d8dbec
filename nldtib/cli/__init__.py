"""The ``nldtib`` command line: a thin layer that parses options, makes one call on a
:class:`nldtib.Session` and renders the result. Only this package imports click."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from ..errors import ConfigError, NldtibError, UsageError
from ..perf import command_process
from ..store import STORE_KINDS
from .common import Options
from .progress import terminal_progress

__all__ = ["main", "cli"]


class NldtibGroup(click.Group):
    """Turns every expected error into one ``Error: ...`` line: exit code 2 for a wrong setting or
    argument (as for a wrong command line), 1 otherwise."""

    def invoke(self, ctx: click.Context):
        try:
            with terminal_progress():  # a bar on stderr while long work runs, only on a terminal
                return super().invoke(ctx)
        except (NldtibError, OSError) as exc:
            opts = ctx.find_object(Options)
            if opts is not None and opts.debug:
                raise
            if isinstance(exc, BrokenPipeError):
                sys.stderr.close()
                ctx.exit(1)
            message = (
                str(exc)
                if isinstance(exc, NldtibError)
                else f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
            )
            click.echo(f"Error: {message}", err=True)
            ctx.exit(2 if isinstance(exc, (ConfigError, UsageError)) else 1)
        finally:
            opts = ctx.find_object(Options)
            if opts is not None and ctx.parent is None:
                opts.close()


@click.group(cls=NldtibGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset folder (or dataset workbook, FILE.xlsx) for the memory store. Default: the shipped "
    "public Dutch seed.",
)
@click.option(
    "--store",
    "store_kind",
    type=click.Choice(STORE_KINDS),
    default=None,
    help="Where the graph lives. Default: NLDTIB_STORE, else memory. Neo4j settings come from "
    "NLDTIB_NEO4J_URI, _USER, _PASSWORD (or _PASSWORD_FILE) and _DATABASE.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="Evaluate the base on this day (YYYY-MM-DD; default today): a row counts only if "
    "valid_from <= DATE < valid_to, so ended contracts and announced deals do not.",
)
@click.option(
    "--min-confidence",
    default="illustrative",
    show_default=True,
    metavar="LEVEL",
    help="Leave out records weaker than this before any analysis: reported, inferred or illustrative (everything).",
)
@click.option(
    "--min-share",
    type=float,
    default=0.0,
    show_default=True,
    metavar="PCT",
    help="Scarcity, not just loss: a slot fails when the known shares of its surviving providers "
    "fall below PCT percent (a survivor with an unknown share keeps it satisfied).",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Read a Neo4j database whose last load did not finish (refused by default: its graph is incomplete).",
)
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(__version__, prog_name="nldtib")
@click.pass_context
def cli(
    ctx: click.Context,
    data: Path | None,
    store_kind: str | None,
    as_of: str | None,
    min_confidence: str,
    min_share: float,
    allow_partial: bool,
    debug: bool,
) -> None:
    """nldtib: map a defence industrial base as a supply-chain graph and find where it breaks.

    \b
    Examples:
      nldtib report -o report.html       the resilience report of the shipped Dutch seed
      nldtib stats                       figures for the shipped Dutch seed
      nldtib --data mydir validate       check a dataset folder
      nldtib show thales-nederland       one organisation in full
      nldtib --store neo4j stats         the same, read from Neo4j
      nldtib --as-of 2024-01-01 whatif --country CN          the base as it stood on that day
      nldtib --min-confidence reported chokepoints f-35     on reported records alone
      nldtib --min-share 50 whatif --country CN              scarcity: slots below half their share fail
    """
    ctx.obj = Options(
        data=data,
        store=store_kind,
        debug=debug,
        as_of=as_of,
        min_confidence=min_confidence,
        min_share=min_share,
        allow_partial=allow_partial,
    )


def _register() -> None:
    """Import every module of this package: each registers its commands on ``cli``."""
    import importlib
    import pkgutil

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if module not in ("common", "progress"):
            importlib.import_module(f"{__name__}.{module}")


_register()


def main() -> None:
    command_process()
    cli(prog_name="nldtib")
