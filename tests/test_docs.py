"""Docs are part of the product: every command is documented and has help with an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from nldtib.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, full + " ")
        else:
            yield full, cmd


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_in_readme(name, cmd):
    assert f"nldtib {name}" in README, f"README.md does not document `nldtib {name}`"


@pytest.mark.parametrize("name, cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_help_has_an_example(name, cmd):
    assert cmd.help and "Example" in cmd.help, f"`nldtib {name} --help` has no example"


def test_quick_start_has_exactly_two_commands():
    block = re.search(r"## Quick start\n.*?```(?:bash)?\n(.*?)```", README, re.S)
    assert block, "README.md has no fenced code block under '## Quick start'"
    commands = [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && nldtib ")
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci, ".ci/run must call the README's test command"
