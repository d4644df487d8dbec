"""Excel both ways: the workbook export, reading a workbook as a dataset, and the round trips."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from nldtib import Session, read_dataset
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.writer import write_dataset
from nldtib.dataset.xlsx import README_SHEET, read_workbook, workbook_bytes, write_workbook
from nldtib.schema import load_schema

from conftest import MINI

openpyxl = pytest.importorskip("openpyxl")

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd",
    "@SUM(1+1)*cmd",
    "=1+2",
    "'=quoted already",  # an apostrophe of its own survives too
]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def _round_trip(ds: Dataset, tmp: Path) -> None:
    """CSV folder -> workbook -> CSV folder gives the same bytes; workbook -> CSV -> workbook too."""
    write_dataset(ds, tmp / "a")
    book = tmp / "a.xlsx"
    write_workbook(read_dataset(tmp / "a"), book)
    again, issues = read_workbook(book)
    assert issues == [] and again is not None
    write_dataset(again, tmp / "b")
    assert _files(tmp / "a") == _files(tmp / "b")
    assert workbook_bytes(read_dataset(tmp / "b")) == book.read_bytes()


def test_seed_round_trips_both_ways(tmp_path):
    _round_trip(Session().dataset, tmp_path)


def test_generated_10k_round_trips_both_ways(tmp_path):
    from nldtib import generate

    _round_trip(generate(10_000, 1), tmp_path)


def test_workbook_layout_and_readme(tmp_path):
    ds = read_dataset(MINI)
    path = write_workbook(ds, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == README_SHEET
    assert set(wb.sheetnames[1:]) == {n.label for n in ds.nodes.values()} | {r.type for r in ds.rels}
    readme = "\n".join(str(r[0].value or "") for r in wb[README_SHEET].iter_rows())
    assert "Classification: PUBLIC (records above public are not included)" in readme
    assert "never formulas" in readme and "FILE.xlsx:Sheet!row" in readme
    assert wb.properties.subject == "Classification: PUBLIC (records above public are not included)"
    org = wb["Organisation"]
    assert [c.value for c in org[1]][:4] == ["id", "name", "aliases", "kind"]
    acme = next(r for r in org.iter_rows(min_row=2) if r[0].value == "acme")
    header = [c.value for c in org[1]]
    assert acme[header.index("employees")].value == 120  # a number cell, not text
    assert acme[header.index("aliases")].value == "ACME;Acme BV"


def test_formula_payloads_are_text_and_round_trip(tmp_path):
    schema = load_schema()
    nodes = {
        f"o{i}": Node(
            f"o{i}", "Organisation", {"name": text, "kind": "sme", "description": text, "sensitivity": "public"}
        )
        for i, text in enumerate(FORMULAS)
    }
    ds = Dataset(schema, nodes, [Rel("OWNED_BY", "o0", "o1", {"source": FORMULAS[1], "sensitivity": "public"})])
    path = write_workbook(ds, tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [c for row in wb["Organisation"].iter_rows(min_row=2) for c in row if c.value in FORMULAS[:-1]]
    assert len(cells) == 2 * (len(FORMULAS) - 1)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # text with Excel's quote prefix
    with zipfile.ZipFile(path) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    again, issues = read_workbook(path)
    assert issues == [] and again.nodes == ds.nodes and list(again.rels) == list(ds.rels)


# ---- bad input ---------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path) -> Path:
    """A writable workbook of tests/data/mini."""
    return write_workbook(read_dataset(MINI), tmp_path / "mini.xlsx")


def _edit(path: Path, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def _errors(path: Path) -> list[str]:
    ds, issues = read_workbook(path)
    assert ds is None  # nothing is half-read
    return [str(i) for i in issues]


def test_a_missing_sheet_means_no_records_of_it(book):
    full = read_dataset(MINI)
    _edit(book, lambda wb: wb.remove(wb["OWNED_BY"]))
    ds, issues = read_workbook(book)
    assert issues == [] and not ds.rels_of("OWNED_BY")
    assert len(ds.rels) == len(full.rels) - len(full.rels_of("OWNED_BY"))


def test_an_extra_sheet_is_an_error(book):
    _edit(book, lambda wb: wb.create_sheet("Notes").append(["my notes"]))
    assert _errors(book) == [
        f"{book}:Notes: unknown sheet: a sheet is named after a node label or relationship type (see `nldtib schema`), or README"
    ]


def test_merged_cells_are_an_error(book):
    _edit(book, lambda wb: wb["Organisation"].merge_cells("B2:C3"))
    assert _errors(book) == [f"{book}:Organisation: merged cells (B2:C3); unmerge them"]


def test_formulas_are_an_error(book):
    def change(wb):
        ws = wb["Organisation"]
        header = [c.value for c in ws[1]]
        ws.cell(row=3, column=header.index("employees") + 1, value="=100*20")

    _edit(book, change)
    assert _errors(book) == [
        f"{book}:Organisation!3: employees: F3 is a formula (=100*20); paste its value (Paste Special > Values)"
    ]


def test_excel_dates_are_read_as_iso_dates_in_date_columns_only(book):
    def change(wb):
        ws = wb["Organisation"]
        header = [c.value for c in ws[1]]
        ws.cell(row=2, column=header.index("as_of") + 1, value=dt.datetime(2024, 5, 17))
        ws.cell(row=2, column=header.index("city") + 1, value=dt.date(2024, 5, 17))

    _edit(book, change)
    errors = _errors(book)
    assert len(errors) == 1 and errors[0].startswith(f"{book}:Organisation!2: city: ")
    assert "an Excel date in a column that is not a date; format it as text" in errors[0]

    def fix(wb):
        ws = wb["Organisation"]
        header = [c.value for c in ws[1]]
        ws.cell(row=2, column=header.index("city") + 1, value="Delft")

    _edit(book, fix)
    ds, issues = read_workbook(book)
    assert issues == []
    first = sorted(n.id for n in ds.nodes_with("Organisation"))[0]
    assert ds.nodes[first].props["as_of"] == "2024-05-17"


def test_empty_rows_are_skipped(book):
    def change(wb):
        ws = wb["Organisation"]
        ws.insert_rows(3)  # an empty row in the middle
        for r in range(ws.max_row + 1, ws.max_row + 30):  # and formatted, empty rows at the end
            ws.cell(row=r, column=1, value="")

    _edit(book, change)
    ds, issues = read_workbook(book)
    assert issues == [] and len(ds.nodes_with("Organisation")) == 3


def test_validation_errors_name_sheet_row_and_field(book):
    def change(wb):
        ws = wb["Organisation"]
        header = [c.value for c in ws[1]]
        ws.cell(row=3, column=header.index("kind") + 1, value="giant")
        ws.cell(row=4, column=1, value=ws.cell(row=2, column=1).value)  # a duplicate id

    _edit(book, change)
    errors = _errors(book)
    first = openpyxl.load_workbook(book)["Organisation"].cell(row=2, column=1).value
    assert f"{book}:Organisation!3: kind: Input should be" in errors[0]
    assert any(
        e.startswith(f"{book}:Organisation!4: id: duplicate id {first!r} (first defined at {book}:Organisation!2)")
        for e in errors
    ), errors


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("id,name\n")
    errors = _errors(path)
    assert len(errors) == 1 and errors[0].startswith(f"{path}: not a readable .xlsx workbook")


# ---- the command line -------------------------------------------------------------------------


def test_cli_export_xlsx_validate_and_data(run, tmp_path):
    out = tmp_path / "m.xlsx"
    res = run("--data", str(MINI), "export", "xlsx", "-o", str(out))
    assert res.exit_code == 0 and res.stderr == f"{out}: workbook written; read it back with `nldtib validate {out}`\n"
    res = run("validate", str(out))
    mini = read_dataset(MINI)
    assert (
        res.exit_code == 0 and res.stderr == f"{out}: valid: {len(mini.nodes)} nodes, {len(mini.rels)} relationships\n"
    )
    res = run("--data", str(out), "chokepoints", "frigate", "--format", "json")
    mem = run("--data", str(MINI), "chokepoints", "frigate", "--format", "json")
    assert res.exit_code == 0 and res.stdout == mem.stdout
    _edit(out, lambda wb: wb["Organisation"].merge_cells("A2:A3"))
    res = run("validate", str(out))
    assert res.exit_code == 1 and res.stdout == f"{out}:Organisation: merged cells (A2:A3); unmerge them\n"
    res = run("--data", str(out), "stats")
    assert res.exit_code == 1 and res.stderr == f"Error: {out}:Organisation: merged cells (A2:A3); unmerge them\n"
    res = run("--data", str(MINI), "export", "xlsx")
    assert res.exit_code == 2 and "give it with -o FILE.xlsx" in res.stderr


def test_cli_export_csv_for_excel_has_a_bom_and_validates(run, tmp_path):
    out = tmp_path / "csv"
    res = run("--data", str(MINI), "export", "csv", "--excel", "-o", str(out))
    assert res.exit_code == 0
    files = list(out.rglob("*.csv"))
    assert files and all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in files)
    assert read_dataset(out).nodes == read_dataset(MINI).nodes
    plain = tmp_path / "plain"
    run("--data", str(MINI), "export", "csv", "-o", str(plain))
    assert all(not p.read_bytes().startswith(b"\xef\xbb\xbf") for p in plain.rglob("*.csv"))


def test_workbook_bytes_are_deterministic():
    ds = read_dataset(MINI)
    a, b = workbook_bytes(ds), workbook_bytes(ds)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_workbook_in_a_folder_path_is_not_confused(tmp_path):
    folder = tmp_path / "data.xlsx"  # a dataset folder whose name ends in .xlsx
    shutil.copytree(MINI, folder)
    assert len(read_dataset(folder).nodes) == len(read_dataset(MINI).nodes)
