"""``nldtib generate``: write a synthetic industrial base of any size."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import MIN_ORGS, MIN_RELS_PER_ORG
from . import cli
from .common import echo


@cli.command("generate")
@click.option("--orgs", type=click.IntRange(MIN_ORGS), required=True, help="Number of organisations.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same files.")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Dataset folder to write (created).",
)
@click.option(
    "--rels-per-org",
    type=click.FloatRange(MIN_RELS_PER_ORG),
    default=None,
    help="About this many relationships per organisation (default about 10.8): more or fewer supply "
    "slots per consumer, for example 5 for a 1M-organisation base with about 5M relationships.",
)
@click.option("--force", is_flag=True, help="Replace the dataset in a folder that is not empty.")
@click.option(
    "--sensitivity/--no-sensitivity",
    default=True,
    show_default=True,
    help="Mark about 2% of rows restricted and 0.5% confidential, to exercise sensitivity filters.",
)
def generate_cmd(
    orgs: int, seed: int, output: Path, rels_per_org: float | None, force: bool, sensitivity: bool
) -> None:
    """Write a synthetic industrial base shaped like a real one.

    Programmes, OEMs, tier-1 to tier-4 suppliers and raw materials, with heavy-tailed fan-in and
    fan-out, sole- and dual-sourced items, a few cross-tier cycles, coverage gaps and ownership
    chains with foreign parents. About 10 relationships per organisation (see --rels-per-org).
    Every row is marked `confidence=illustrative`. The same options always give byte-identical
    files.

    \b
    Examples:
      nldtib generate --orgs 1000 --seed 1 -o ./synthetic
      nldtib --data ./synthetic stats
      nldtib generate --orgs 1000000 --rels-per-org 5 -o ./large
    """
    from ..session import generate_to

    dataset = generate_to(output, orgs, seed, sensitivity=sensitivity, force=force, rels_per_org=rels_per_org)
    echo(
        f"{output}: {len(dataset.nodes)} nodes, {len(dataset.rels)} relationships ({orgs} organisations, seed {seed})",
        err=True,
    )
