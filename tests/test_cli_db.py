"""``nldtib db``: help texts and options, without a server."""

from __future__ import annotations

import pytest

from nldtib.cli import cli
from nldtib.cli.db import _param


@pytest.mark.parametrize("command", ["init", "load", "dump", "query", "status", "repair"])
def test_every_db_command_has_help_with_examples_and_no_password_option(run, command):
    res = run("db", command, "--help")
    assert res.exit_code == 0
    assert "Examples:" in res.stdout and f"nldtib db {command}" in res.stdout
    assert "--password" not in res.stdout


def test_db_group_is_registered():
    assert set(cli.commands["db"].commands) == {"init", "load", "dump", "query", "status", "repair"}


def test_param_values_are_json_or_strings():
    assert _param(("n=3", "s=abc", 'l=["a", 1]', "q='x'", "e=", "eq=a=b")) == {
        "n": 3,
        "s": "abc",
        "l": ["a", 1],
        "q": "'x'",
        "e": "",
        "eq": "a=b",
    }


def test_param_without_equals_is_a_usage_error(run):
    res = run("db", "query", "--max-sensitivity", "confidential", "RETURN 1", "-p", "oops")
    assert res.exit_code == 2 and "expected NAME=VALUE" in res.stderr


def test_load_requires_its_folder(run):
    """Issue 15 item 10: `db load --replace` with the folder forgotten used to load the seed."""
    for args in (["db", "load"], ["db", "load", "--replace"], ["db", "load", "--bulk", "--replace"]):
        res = run(*args)
        assert res.exit_code == 2 and "Missing argument 'FOLDER'" in res.stderr
