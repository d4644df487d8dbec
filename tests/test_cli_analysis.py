"""The analysis commands, driven through the CLI: exact output, exit codes, JSON contracts."""

from __future__ import annotations

import json

import pytest

from nldtib.dataset.writer import write_dataset

from analysis_fixtures import GraphBuilder

COMMANDS = ["deps", "whatif", "chokepoints", "exposure", "control", "gaps"]


def _json(run, *args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_mini_chokepoints_and_whatif(run, mini):
    data = ["--data", str(mini)]
    choke = _json(run, *data, "chokepoints")
    t = choke["targets"][0]
    assert t["id"] == "frigate"
    assert [(c["id"], c["path"]) for c in t["critical"]] == [
        ("CN", ["frigate", "big-oem", "acme", "gallium", "CN"]),
        ("NL", ["frigate", "big-oem", "NL"]),
        ("acme", ["frigate", "big-oem", "acme"]),
        ("big-oem", ["frigate", "big-oem"]),
        ("gallium", ["frigate", "big-oem", "acme", "gallium"]),
    ]
    what = _json(run, *data, "whatif", "--country", "CN")
    assert what["programmes_failed"] == ["frigate"]
    assert what["explanations"]["frigate"] == ["frigate", "big-oem", "acme", "gallium", "CN"]
    text = run(*data, "whatif", "--material", "gallium")
    assert text.exit_code == 0
    assert "Programmes lost: 1 of 1: frigate" in text.stdout
    assert (
        "frigate  lost item:radar: its only provider lost: big-oem  chain: frigate <- big-oem <- acme <- gallium"
        in text.stdout
    )


def test_mini_deps_control_exposure_gaps(run, mini):
    data = ["--data", str(mini)]
    deps = _json(run, *data, "deps", "frigate", "--depth", "2")
    assert [(n["id"], n["tier"]) for n in deps["nodes"]] == [("big-oem", 1), ("NL", 2), ("acme", 2)]
    ctl = _json(run, *data, "control")
    assert [(o["id"], o["ultimate_parent"]["id"]) for o in ctl["organisations"]] == [("big-oem", "mega-prime")]
    assert ctl["organisations"][0]["flags"][0]["level"] == 50.0
    exp = _json(run, *data, "exposure")
    assert exp["targets"][0]["foreign_share"] == 0.0
    assert _json(run, *data, "gaps")["counts"]["slots_without_provider"] == 0
    for cmd in (
        ["deps", "CN", "--direction", "down"],
        ["control", "big-oem"],
        ["exposure"],
        ["gaps"],
        ["chokepoints", "--order", "2"],
    ):
        result = run(*data, *cmd)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip()


def test_unknown_id_is_one_line_error(run, mini):
    result = run("--data", str(mini), "chokepoints", "acmé")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: no unit (organisation, programme, material or country) with id 'acmé'; did you mean 'acme'?\n"
    )
    result = run("--data", str(mini), "whatif", "--country", "XX")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no country with id 'XX'")


def test_withheld_records_never_enter_the_analysis(run, tmp_path):
    g = GraphBuilder()
    g.programme("P")
    g.org("a", "NL")
    g.org("secret", "CN", sensitivity="confidential")
    g.supplies("a", "P", "radar")
    g.supplies("secret", "a", "chip")
    write_dataset(g.dataset(), tmp_path / "d")
    data = ["--data", str(tmp_path / "d")]
    public = _json(run, *data, "chokepoints")
    assert [c["id"] for c in public["targets"][0]["critical"]] == ["NL", "a"]
    assert "secret" not in run(*data, "deps", "P").stdout
    full = _json(run, *data, "chokepoints", "--max-sensitivity", "confidential")
    assert [c["id"] for c in full["targets"][0]["critical"]] == ["CN", "NL", "a", "secret"]
    assert run(*data, "whatif", "--disrupt", "secret").exit_code == 1


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_with_examples(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "--format" in result.stdout and "--max-sensitivity" in result.stdout


def test_chokepoints_limit_option(run, mini):
    data = ["--data", str(mini)]
    t = _json(run, *data, "chokepoints", "--limit", "2")["targets"][0]
    assert [c["id"] for c in t["critical"]] == ["CN", "NL"] and t["critical_count"] == 5
    text = run(*data, "chokepoints", "--limit", "2")
    assert text.exit_code == 0
    assert "5 single points of failure" in text.stdout
    assert "... and 3 more" in text.stdout
