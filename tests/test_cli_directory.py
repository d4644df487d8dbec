"""The directory commands, driven through the CLI: exact output, exit codes and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINI


def test_stats_json_exact(run):
    res = run("--data", str(MINI), "stats", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["nodes"] == 13 and out["relationships"] == 13
    assert out["by_label"] == {
        "Bloc": 2,
        "Country": 3,
        "Domain": 1,
        "Item": 2,
        "Material": 1,
        "Organisation": 3,
        "Programme": 1,
    }
    orgs = out["organisations"]
    assert orgs["total"] == 3 and orgs["dutch"] == 2
    assert orgs["by_kind"] == {"oem": 2, "sme": 1}
    assert orgs["by_domain"] == {"maritime": 2}
    assert orgs["by_country"] == {"NL": 2, "US": 1}
    assert orgs["employees"] == {"known": 2, "total": 2120, "of": 3}
    assert orgs["dutch_turnover_eur"] == {"known": 2, "total": 515000000.0, "of": 2}
    assert out["provenance"]["by_confidence"] == {"illustrative": 3, "reported": 3, "unspecified": 20}
    assert out["classification"] == "public"


def test_stats_text(run):
    res = run("--data", str(MINI), "stats")
    assert res.exit_code == 0
    assert "Classification: PUBLIC" in res.stdout
    assert "Organisations: 3 (2 located in NL)" in res.stdout
    assert "Employees (all):      2,120 (known for 2 of 3)" in res.stdout


def test_show_text_and_json(run):
    res = run("--data", str(MINI), "show", "acme")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == "Acmé Systems  [Organisation]  id: acme"
    assert "  -[SUPPLIES]-> big-oem (Big OEM, Organisation) (item=trm)  [illustrative]" in lines
    assert "  -[LOCATED_IN]-> NL (Netherlands, Country)" in lines
    data = json.loads(run("--data", str(MINI), "show", "big-oem", "--format", "json").stdout)
    assert data["properties"]["employees"] == 2000
    assert data["provenance"] == {
        "source": "https://example.org/big",
        "as_of": "2024",
        "confidence": "reported",
        "sensitivity": "public",
    }
    assert [(r["direction"], r["type"], r["other"]["id"]) for r in data["relationships"]] == [
        ("out", "ACTIVE_IN", "maritime"),
        ("out", "LOCATED_IN", "NL"),
        ("out", "OWNED_BY", "mega-prime"),
        ("out", "SUPPLIES", "frigate"),
        ("in", "SUPPLIES", "acme"),
    ]


def test_show_unknown_id_suggests(run):
    res = run("--data", str(MINI), "show", "acm")
    assert res.exit_code == 1
    assert res.stderr == "Error: no node with id 'acm'; did you mean 'acme'?\n"
    assert "Traceback" not in res.output


@pytest.mark.parametrize(
    "query, expected",
    [
        ("acme", ["acme"]),
        ("ACMÉ", ["acme"]),
        ("acmé systems", ["acme"]),
        ("Acme BV", ["acme"]),
        ("oem", ["big-oem"]),
        ("netherlands", ["NL"]),
        ("prime", ["mega-prime"]),
        ("zzz", []),
    ],
)
def test_search_is_case_and_accent_insensitive(run, query, expected):
    res = run("--data", str(MINI), "search", query, "--format", "json")
    assert res.exit_code == 0
    assert [h["id"] for h in json.loads(res.stdout)["results"]] == expected


def test_search_ranks_and_filters(run):
    res = run("--data", str(MINI), "search", "a", "--label", "Organisation", "--format", "json")
    ids = [h["id"] for h in json.loads(res.stdout)["results"]]
    assert ids == ["acme", "mega-prime"]  # "acme" starts with "a"; "Mega Prime" contains it; "Big OEM" does not
    res = run("--data", str(MINI), "search", "nothing-like-this")
    assert res.exit_code == 1 and res.stderr == "no match for 'nothing-like-this'\n"


def test_validate_clean_and_dirty(run, mini: Path):
    res = run("validate", str(MINI))
    assert res.exit_code == 0 and res.stdout == "" and "valid: 13 nodes, 13 relationships" in res.stderr
    (mini / "nodes/Capability.csv").write_text("id,name,confidence\nc1,One,sure\nc2,,reported\n")
    res = run("validate", str(mini))
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        f"{mini}/nodes/Capability.csv:2: confidence: Input should be 'reported', 'inferred' or 'illustrative' (got 'sure')",
        f"{mini}/nodes/Capability.csv:3: name: required value is missing",
    ]
    assert res.stderr.endswith("2 errors; nothing loaded\n")
    data = json.loads(run("validate", str(mini), "--format", "json").stdout)
    assert data["valid"] is False and data["errors"][1] == {
        "path": f"{mini}/nodes/Capability.csv",
        "line": 3,
        "field": "name",
        "message": "required value is missing",
    }


def test_validate_uses_data_option(run, mini: Path):
    assert run("--data", str(mini), "validate").exit_code == 0


@pytest.mark.parametrize("command", [["stats"], ["show", "acme"], ["search", "acme"]])
def test_bad_dataset_gives_one_line_error(run, mini: Path, command):
    (mini / "nodes/Organisation.csv").write_text("id,name,kind\nacme,Acme,small\n")
    res = run("--data", str(mini), *command)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.count("\n") == 1 and res.stderr.startswith(
        f"Error: {mini}/nodes/Organisation.csv:2: kind: Input should be"
    )
    assert "Traceback" not in res.stderr


def test_debug_shows_traceback(mini: Path):
    import subprocess
    import sys

    (mini / "nodes/Organisation.csv").write_text("id,name,kind\nacme,Acme,small\n")
    proc = subprocess.run(
        [sys.executable, "-m", "nldtib", "--debug", "--data", str(mini), "stats"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr and "DatasetError" in proc.stderr


def test_usage_errors_exit_2(run):
    assert run("show").exit_code == 2
    assert run("stats", "--format", "xml").exit_code == 2
    assert run("--store", "sqlite", "stats").exit_code == 2


def test_missing_data_folder(run, tmp_path: Path):
    res = run("--data", str(tmp_path / "nope"), "stats")
    assert res.exit_code == 1 and res.stderr == f"Error: {tmp_path / 'nope'}: not a folder\n"


def test_schema_command_prints_reference(run):
    root = Path(__file__).resolve().parent.parent
    res = run("schema")
    assert res.exit_code == 0 and res.stdout == (root / "docs" / "schema.md").read_text(encoding="utf-8")
    data = json.loads(run("schema", "--format", "json").stdout)
    assert data["relationships"]["SUPPLIES"]["key"] == ["item"]


def test_sensitivity_limits_directory_commands(run, mini: Path):
    (mini / "nodes/Capability.csv").write_text(
        "id,name,sensitivity\nsecret-cap,Secret Capability,confidential\nopen-cap,Open Capability,public\n"
    )
    (mini / "relationships/HAS_CAPABILITY.csv").write_text(
        "from,to,sensitivity\nacme,secret-cap,public\nacme,open-cap,restricted\n"
    )
    public = run("--data", str(mini), "stats", "--format", "json").stdout
    assert "Capability" not in json.loads(public)["by_label"] or json.loads(public)["by_label"]["Capability"] == 1
    assert "HAS_CAPABILITY" not in json.loads(public)["by_relationship_type"]
    assert "secret" not in run("--data", str(mini), "show", "acme").stdout.lower()
    assert "open-cap" not in run("--data", str(mini), "show", "acme").stdout
    assert "open-cap" in run("--data", str(mini), "show", "acme", "--max-sensitivity", "restricted").stdout
    assert run("--data", str(mini), "show", "secret-cap").exit_code == 1
    res = run("--data", str(mini), "search", "capability", "--format", "json")
    assert [h["id"] for h in json.loads(res.stdout)["results"]] == ["open-cap"]
    res = run("--data", str(mini), "search", "capability", "--format", "json", "--max-sensitivity", "confidential")
    assert [h["id"] for h in json.loads(res.stdout)["results"]] == ["open-cap", "secret-cap"]
    full = json.loads(run("--data", str(mini), "stats", "--format", "json", "--max-sensitivity", "confidential").stdout)
    assert full["classification"] == "confidential"


def test_the_command_line_starts_without_the_heavy_libraries():
    """`nldtib --help` (and the start of every command) imports only what it needs: no numpy,
    pyarrow, pydantic, networkx or pyvis before a command runs."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nldtib.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'numpy', 'pyarrow', 'pydantic', 'networkx', 'pyvis', 'pandas', 'neo4j'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout[-300:]
