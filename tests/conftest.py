"""Shared fixtures: small dataset folders and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nldtib.cli import cli

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"

pytest_plugins = ["neo4j_fixtures"]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small valid dataset in tests/data/mini."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def run():
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def _run(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=True)

    return _run
