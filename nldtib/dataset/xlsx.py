"""Excel workbooks as datasets: write one, and read one back with every check of a CSV folder.

A dataset workbook has a ``README`` sheet (the format and the classification), then one sheet per
node label (rows are nodes; column ``id``) and per relationship type (columns ``from``, ``to``),
with the same columns and rows as nldtib's CSV dataset format (:func:`write_workbook`). Numbers,
booleans and text are typed cells; a text cell that a spreadsheet could run as a formula (``=``,
``+``, ``-``, ``@``) is a text cell with Excel's quote prefix, never a formula.

Reading (:func:`read_workbook`) turns each sheet back into the table of a CSV file and validates
the whole dataset exactly as a folder is validated; every problem is one line
``FILE.xlsx:Sheet!row: field: message``, and nothing is loaded while any exists. The rules
(:data:`READING_RULES`) are stated in the README sheet and docs/outputs.md: a sheet for each
label or type present (a missing sheet means no records of it, as a missing file does); no other
sheets; no merged cells; no formulas (paste the values); empty rows are skipped; a date cell in a
date column is read as ``YYYY-MM-DD``; a number in a text column is read as its digits.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import Issue
from ..progress import report as report_progress
from ..schema import Property, Schema, load_schema
from .cells import is_formula_like, neutralise, restore
from .records import Dataset
from .writer import write_dataset

__all__ = ["write_workbook", "workbook_bytes", "read_workbook", "SheetIssue", "README_SHEET", "READING_RULES"]

README_SHEET = "README"
READING_RULES = [
    "One sheet per node label and per relationship type present; a label or type without a sheet has no records "
    "(as a missing CSV file). The README sheet is not read; any other sheet is an error.",
    "The first row is the header: the column names of the label or type (see `nldtib schema`). Empty columns at "
    "the right and empty rows anywhere are skipped.",
    "Merged cells and formulas are errors: unmerge the cells, paste the values (Paste Special > Values).",
    "A date cell in a date column (as_of, valid_from, valid_to, ...) is read as YYYY-MM-DD; to keep a year or a "
    "month (YYYY, YYYY-MM), format the cell as text. A date anywhere else is an error.",
    "A number in a text column is read as its digits: format the column as text to keep leading zeros. "
    "TRUE and FALSE are booleans. Error values (#N/A) are errors.",
    "Every problem is reported as FILE.xlsx:Sheet!row: field: message, and nothing is loaded while any exists.",
]
_DATE_TYPES = frozenset({"date"})


@dataclasses.dataclass(frozen=True)
class SheetIssue(Issue):
    """A problem in a workbook: ``path`` is ``FILE.xlsx:Sheet``, ``line`` the sheet's row (0 for
    the sheet or the file as a whole), shown as ``FILE.xlsx:Sheet!row: field: message``."""

    def __str__(self) -> str:
        where = f"{self.path}!{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


# ---------------------------------------------------------------------- writing
def _typed(prop: Property | None, text: str) -> Any:
    if text == "" or prop is None:
        return text or None
    if prop.type == "integer":
        return int(text)
    if prop.type == "number":
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if prop.type == "boolean":
        return text == "true"
    return text


def _readme(dataset: Dataset, max_sensitivity: str) -> list[list[str]]:
    from ..output.classification import classification_line

    schema = dataset.schema
    line = classification_line(dataset.sensitivity(), max_sensitivity)
    return [
        ["nldtib dataset workbook"],
        [line],
        [
            f"{len(dataset.nodes):,} nodes and {len(dataset.rels):,} relationships; schema version {schema.version}; "
            f"written by nldtib {__version__}."
        ],
        [],
        ["Format"],
        [
            "Each sheet after this one is one node label (rows are nodes, column id) or one relationship type (rows "
            "are relationships, columns from and to). The columns are the label's or type's properties, as in "
            "nldtib's CSV dataset format (`nldtib schema` lists them)."
        ],
        [
            "Lists (such as aliases) are separated by ';'. Dates are text: YYYY, YYYY-MM or YYYY-MM-DD. Every row may "
            "carry source, as_of, confidence and sensitivity (public, restricted, confidential)."
        ],
        ["Cells that start with =, +, - or @ are text (Excel's quote prefix), never formulas."],
        [
            f"Classification: the workbook holds the records up to {max_sensitivity} and is classified "
            f"{dataset.sensitivity().upper()}; each row's sensitivity is in its sensitivity column."
        ],
        [],
        ["Reading it back: nldtib validate FILE.xlsx, nldtib --data FILE.xlsx report"],
        *[[f"- {rule}"] for rule in READING_RULES],
    ]


def _tables(dataset: Dataset) -> Iterator[tuple[str, list[str], list[Property | None], Iterator[list[str]]]]:
    """The dataset's CSV files, as the dataset writer writes them (so a sheet holds exactly the
    cells of its file): the name, the header, each column's property and the rows."""
    schema = dataset.schema
    with tempfile.TemporaryDirectory(prefix="nldtib-xlsx-") as tmp:
        write_dataset(dataset, tmp)
        for sub, names in (("nodes", schema.nodes), ("relationships", schema.relationships)):
            for name in names:
                path = Path(tmp) / sub / f"{name}.csv"
                if not path.exists():
                    continue
                with path.open(encoding="utf-8", newline="") as fh:
                    reader = csv.reader(fh)
                    header = next(reader)
                    rows = ([restore(c) for c in row] for row in reader)  # the CSV's apostrophes: cells are text here
                    yield name, header, _column_props(schema, name, header), rows


def workbook_bytes(dataset: Dataset, max_sensitivity: str = "public") -> bytes:
    """The workbook for ``dataset`` as the bytes of an ``.xlsx`` file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from ..output.classification import classification_line

    wb = Workbook(write_only=True)
    wb.properties.title = "nldtib dataset"
    wb.properties.subject = classification_line(dataset.sensitivity(), max_sensitivity)
    wb.properties.creator = f"nldtib {__version__}"
    fixed = dt.datetime(2000, 1, 1)  # deterministic file contents
    wb.properties.created = wb.properties.modified = fixed
    bold = Font(bold=True)
    readme = wb.create_sheet(README_SHEET)
    readme.column_dimensions["A"].width = 120
    for row in _readme(dataset, max_sensitivity):
        readme.append(row)
    for name, header_names, props, rows in _tables(dataset):
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        header = []
        for column in header_names:
            cell = WriteOnlyCell(ws, value=column)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            cells: list[Any] = []
            for prop, text in zip(props, row):
                value = _typed(prop, text)
                if isinstance(value, str) and is_formula_like(value):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = True
                    value = cell
                cells.append(value)
            ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return _normalised_zip(buf.getvalue())


def _normalised_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps, so that equal datasets give equal files."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def write_workbook(dataset: Dataset, path: str | Path, max_sensitivity: str = "public") -> Path:
    """Write the workbook for ``dataset`` to ``path``, atomically."""
    from ..output.files import write_atomic

    return write_atomic(path, workbook_bytes(dataset, max_sensitivity))


# ---------------------------------------------------------------------- reading
@dataclasses.dataclass
class _Sheet:
    name: str
    rows: list[list[str]]  # header first
    numbers: list[int]  # the sheet row of each entry of rows


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE_CELL = _MAIN + "row", _MAIN + "c", _MAIN + "mergeCell"
_V, _F, _IS, _T = _MAIN + "v", _MAIN + "f", _MAIN + "is", _MAIN + "t"
_COORD = re.compile(r"([A-Z]+)([0-9]+)")


@dataclasses.dataclass(frozen=True)
class _Cell:
    row: int
    column: int  # 1-based
    kind: str  # "s" text, "n" number, "b" boolean, "d" date, "f" formula, "e" error
    value: Any

    @property
    def coordinate(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.column)}{self.row}"


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_rows(
    archive: zipfile.ZipFile, member: str, shared: list[str], date_styles: set[int], epoch: Any
) -> tuple[list[list[_Cell]], list[str]]:
    """The non-empty rows of one sheet (cells with a value) and its merged ranges, parsed in one
    streamed pass (openpyxl's cell objects cost ten times more on inline strings)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.datetime import from_excel

    rows: list[list[_Cell]] = []
    merged: list[str] = []
    with archive.open(member) as fh:
        row_number = 0
        for _event, el in iterparse(fh, events=("end",)):
            tag = el.tag
            if tag == _CELL:
                ref = el.get("r")
                if ref:
                    letters, digits = _COORD.match(ref).groups()
                    column, row_number = _column_number(letters), int(digits)
                else:
                    column = (rows[-1][-1].column + 1) if rows and rows[-1] and rows[-1][-1].row == row_number else 1
                kind = el.get("t", "n")
                formula = el.find(_F)
                raw = el.findtext(_V)
                if formula is not None:
                    cell = _Cell(row_number, column, "f", "=" + (formula.text or ""))
                elif kind == "inlineStr":
                    node = el.find(_IS)
                    text = "".join(t.text or "" for t in node.iter(_T)) if node is not None else ""
                    cell = _Cell(row_number, column, "s", text)
                elif raw is None:
                    cell = None
                elif kind == "s":
                    cell = _Cell(row_number, column, "s", shared[int(raw)])
                elif kind in ("str",):
                    cell = _Cell(row_number, column, "s", raw)
                elif kind == "b":
                    cell = _Cell(row_number, column, "b", raw == "1")
                elif kind == "e":
                    cell = _Cell(row_number, column, "e", raw)
                elif kind == "d":
                    cell = _Cell(row_number, column, "d", dt.datetime.fromisoformat(raw))
                else:
                    number = float(raw) if any(c in raw for c in ".eE") else int(raw)
                    style = int(el.get("s", "0"))
                    if style in date_styles:
                        cell = _Cell(row_number, column, "d", from_excel(number, epoch))
                    else:
                        cell = _Cell(row_number, column, "n", number)
                if cell is not None and cell.value not in (None, ""):
                    if not rows or rows[-1][0].row != row_number:
                        rows.append([cell])
                    else:
                        rows[-1].append(cell)
                el.clear()
            elif tag == _ROW:
                row_number = int(el.get("r", row_number + 1))
                el.clear()
            elif tag == _MERGE_CELL:
                merged.append(el.get("ref", ""))
    return rows, merged


def _cell_text(cell: _Cell, prop: Property | None, field: str, issues: list[Issue], sheet: str) -> str:
    value, kind, where = cell.value, cell.kind, cell.coordinate
    if kind == "f":
        issues.append(
            SheetIssue(
                sheet, cell.row, field, f"{where} is a formula ({value}); paste its value (Paste Special > Values)"
            )
        )
        return ""
    if kind == "e":
        issues.append(SheetIssue(sheet, cell.row, field, f"{where} holds the error value {value}"))
        return ""
    if kind == "b":
        return "true" if value else "false"
    if kind == "d":
        if prop is None or prop.type not in _DATE_TYPES:
            issues.append(
                SheetIssue(
                    sheet,
                    cell.row,
                    field,
                    f"{where} is an Excel date in a column that is not a date; format it as text",
                )
            )
            return ""
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                issues.append(
                    SheetIssue(
                        sheet, cell.row, field, f"{where} is a date with a time of day ({value}); nldtib keeps dates"
                    )
                )
                return ""
            value = value.date()
        if not isinstance(value, dt.date):
            issues.append(SheetIssue(sheet, cell.row, field, f"{where} is a time, not a date"))
            return ""
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _column_props(schema: Schema, sheet: str, header: list[str]) -> list[Property | None]:
    if sheet in schema.nodes:
        owner: Any = schema.node(sheet)
    else:
        owner = schema.rel(sheet)
    return [None if name in ("id", "from", "to") else owner.prop(name) for name in header]


def _read_sheets(path: Path, schema: Schema, issues: list[Issue]) -> list[_Sheet]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        issues.append(SheetIssue(str(path), 0, "", f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"))
        return []
    sheets = []
    try:
        known = set(schema.nodes) | set(schema.relationships)
        data_sheets = [ws for ws in wb.worksheets if ws.title != README_SHEET]
        if not data_sheets:
            issues.append(SheetIssue(str(path), 0, "", "no node or relationship sheet: nothing to read"))
        with zipfile.ZipFile(path) as archive:
            for k, ws in enumerate(data_sheets):
                report_progress(f"reading sheet {ws.title}", k, len(data_sheets))
                shown = f"{path}:{ws.title}"
                if ws.title not in known:
                    issues.append(
                        SheetIssue(
                            shown,
                            0,
                            "",
                            "unknown sheet: a sheet is named after a node label or relationship type "
                            "(see `nldtib schema`), or README",
                        )
                    )
                    continue
                cells, merged = _sheet_rows(archive, ws._worksheet_path, wb.shared_strings, wb._date_formats, wb.epoch)
                if merged:
                    more = " ..." if len(merged) > 5 else ""
                    issues.append(
                        SheetIssue(shown, 0, "", f"merged cells ({', '.join(merged[:5])}{more}); unmerge them")
                    )
                    continue
                sheet = _table(shown, ws.title, cells, schema, issues)
                if sheet is not None:
                    sheets.append(sheet)
    finally:
        wb.close()
    return sheets


def _table(shown: str, name: str, cells: list[list[_Cell]], schema: Schema, issues: list[Issue]) -> _Sheet | None:
    """A sheet's rows as text, the header first."""
    if not cells:
        issues.append(SheetIssue(shown, 0, "", "empty sheet: no header row"))
        return None
    first = cells[0]
    width = max(c.column for c in first)
    header = [""] * width
    for c in first:
        header[c.column - 1] = str(c.value).strip()
    props = _column_props(schema, name, header)
    rows, numbers = [header], [first[0].row]
    for row in cells[1:]:
        texts = [""] * width
        for c in row:
            if c.column > width:
                issues.append(SheetIssue(shown, c.row, "", f"a value in {c.coordinate}, beyond the header's columns"))
                continue
            i = c.column - 1
            texts[i] = _cell_text(c, props[i], header[i], issues, shown)
        rows.append(texts)
        numbers.append(row[0].row)
    return _Sheet(name, rows, numbers)


def _write_folder(sheets: list[_Sheet], schema: Schema, folder: Path) -> dict[str, tuple[str, dict[int, int]]]:
    """The sheets as CSV files in ``folder``; for each file, its sheet and CSV line -> sheet row."""
    mapping: dict[str, tuple[str, dict[int, int]]] = {}
    for sheet in sheets:
        sub = "nodes" if sheet.name in schema.nodes else "relationships"
        target = folder / sub / f"{sheet.name}.csv"
        target.parent.mkdir(exist_ok=True)
        lines: dict[int, int] = {}
        line = 1
        one = io.StringIO()
        writer = csv.writer(one, lineterminator="\n")
        with target.open("w", encoding="utf-8", newline="") as out:
            for k, (row, number) in enumerate(zip(sheet.rows, sheet.numbers)):
                lines[line] = number
                one.seek(0)
                one.truncate()
                writer.writerow(row if k == 0 else [neutralise(c) for c in row])  # the reader restores them
                text = one.getvalue()
                line += text.count("\n")
                out.write(text)
        mapping[str(target)] = (sheet.name, lines)
    return mapping


def _mapped(issue: Issue, path: Path, folder: Path, mapping: dict[str, tuple[str, dict[int, int]]]) -> Issue:
    """An issue found in the CSV form of a sheet, told in the sheet's terms."""

    def sheet_row(file: str, line: int) -> tuple[str, int]:
        sheet, lines = mapping.get(file, (Path(file).stem, {}))
        return sheet, lines.get(line, line)

    def where(m: re.Match[str]) -> str:
        sheet, row = sheet_row(m.group(1), int(m.group(2)))
        return f"{path}:{sheet}!{row}"

    message = re.sub(
        "(" + re.escape(str(folder)) + r"/(?:nodes|relationships)/[^/:]+\.csv):(\d+)", where, issue.message
    )
    if issue.path in mapping:
        lines = mapping[issue.path][1]
        message = re.sub(r"\bon line (\d+)", lambda m: f"on row {lines.get(int(m.group(1)), m.group(1))}", message)
    sheet, row = sheet_row(issue.path, issue.line)
    return SheetIssue(f"{path}:{sheet}", row, issue.field, message)


def read_workbook(path: str | Path, schema: Schema | None = None) -> tuple[Dataset | None, list[Issue]]:
    """Read and validate a dataset workbook: the dataset (None if any issue) and every issue."""
    from .reader import validate_dataset

    path = Path(path)
    schema = schema or load_schema()
    issues: list[Issue] = []
    sheets = _read_sheets(path, schema, issues)
    if issues:
        return None, issues
    folder = Path(tempfile.mkdtemp(prefix="nldtib-xlsx-"))
    try:
        mapping = _write_folder(sheets, schema, folder)
        dataset, found = validate_dataset(folder, schema)
        issues = [_mapped(i, path, folder, mapping) for i in found]
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
    if issues or dataset is None:
        return None, issues
    return Dataset(dataset.schema, dataset.nodes, dataset.rels, str(path)), []  # named after the workbook
