"""Parse one CSV file of a dataset into raw string columns, knowing the line of every row.

Two parsers give the same table:

- **fast**: pyarrow's multi-threaded CSV reader. It is used when the file is regular: valid
  UTF-8, no NUL, no bare carriage return, every quote opening or closing a quoted cell (RFC 4180),
  and every row as wide as the header. Rows are then exactly the records between line breaks
  outside quotes, so a row's line is found from the positions of the line breaks (computed only
  when a message needs one).
- **exact**: Python's ``csv`` module, for every other file. It reports what is wrong where: bad
  UTF-8 at its byte, a NUL, malformed quoting (an unclosed quote at the line where it opened),
  rows wider or narrower than the header.

Rows whose cells are all blank are skipped; the first other row is the header. A cell longer than
the schema's ``cell_chars`` limit is reported at its line and its row left out.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import Issue
from .cells import FORMULA_START

__all__ = ["RawTable", "read_table", "shown"]

_BOM = b"\xef\xbb\xbf"


def shown(text: str, limit: int = 24) -> str:
    """``text`` as a message may echo it: whole when short, else a short prefix and its length.

    >>> shown("colour"), shown("root:$y$j9T$0123456789abcdefghij:19000:0:99999:7:::")
    ('colour', 'root:$y$… (51 characters)')
    """
    return text if len(text) <= limit else f"{text[:8]}… ({len(text)} characters)"


@dataclass
class RawTable:
    """The header and the raw cells (pyarrow strings, one array per column) of one CSV file."""

    path: str
    header: list[str]
    header_line: int
    columns: list[pa.Array]
    lines: np.ndarray = field(repr=False)  # the line on which each row starts
    multiline: bool = True  # whether a cell may hold a line break

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def column(self, name: str) -> pa.Array | None:
        return self.columns[self.header.index(name)] if name in self.header else None

    def keep(self, rows: np.ndarray) -> RawTable:
        """The table with only ``rows`` (a bool mask)."""
        taken = [c.filter(pa.array(rows)) for c in self.columns]
        return RawTable(self.path, self.header, self.header_line, taken, self.lines[rows], self.multiline)


def read_table(path: Path, shown_path: str, issues: list[Issue], cell_chars: int) -> RawTable | None:
    """Parse ``path`` (shown as ``shown_path`` in messages). Problems go to ``issues``; None when
    the file cannot be used at all."""
    try:
        table = _fast(path, shown_path) if path.stat().st_size > _SMALL else None
        if table is None:
            data = path.read_bytes()
            bom = len(_BOM) if data.startswith(_BOM) else 0
            table = _exact(data[bom:], bom, shown_path, issues)
    except OSError as exc:
        issues.append(Issue(shown_path, 0, "", f"cannot read file: {exc.strerror or exc}"))
        return None
    return None if table is None else _checked(table, issues, cell_chars)


# ---------------------------------------------------------------------- the fast path
_BLOCK = 16 << 20  # bytes scanned at a time: the file is never held whole on this path
_SMALL = 256 << 10  # smaller files are parsed by the csv module: faster than starting pyarrow's reader


@dataclass
class _Scan:
    """Where a file's line breaks and quotes are, from one pass over its bytes."""

    start: int  # the first byte after a byte-order mark
    size: int
    head: bytes  # the first block
    newlines: np.ndarray  # offset of every line feed
    cr_before: np.ndarray  # whether each line feed follows a carriage return
    quotes: np.ndarray  # offset of every quote
    before: np.ndarray  # the byte before each quote (a line feed at the start)
    after: np.ndarray  # the byte after each quote (a line feed at the end)


def _scan(path: Path) -> _Scan | None:
    """Scan ``path`` block by block; None when it holds a NUL or a carriage return that does not
    end a line (the exact path reports or reads those)."""
    newlines, crs, quotes, befores, afters = [], [], [], [], []
    offset = start = 0
    prev, pending_cr, open_after = ord("\n"), False, False
    head = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_BLOCK):
            if not offset:
                head = chunk
                start = len(_BOM) if chunk.startswith(_BOM) else 0
            if b"\x00" in chunk or (pending_cr and chunk[0] != ord("\n")):
                return None
            cr = chunk.count(b"\r")
            if cr and cr - chunk.count(b"\r\n") - chunk.endswith(b"\r") > 0:
                return None
            buf = np.frombuffer(chunk, dtype=np.uint8)[start if not offset else 0 :]
            base = offset + (start if not offset else 0)
            if open_after:  # the last quote of the previous block was its last byte
                afters[-1][-1] = buf[0]
            nl = np.flatnonzero(buf == ord("\n"))
            newlines.append(nl + base)
            crs.append(np.where(nl > 0, buf[np.maximum(nl - 1, 0)] == ord("\r"), prev == ord("\r")))
            if b'"' in chunk:
                q = np.flatnonzero(buf == ord('"'))
                quotes.append(q + base)
                befores.append(np.where(q > 0, buf[np.maximum(q - 1, 0)], prev).astype(np.uint8))
                afters.append(buf[np.minimum(q + 1, len(buf) - 1)].copy())
                open_after = bool(q[-1] == len(buf) - 1)
                if open_after:
                    afters[-1][-1] = ord("\n")  # unless a next block says otherwise
            else:
                open_after = False
            prev, pending_cr = int(buf[-1]) if len(buf) else prev, chunk.endswith(b"\r")
            offset += len(chunk)
    if pending_cr:
        return None

    def joined(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    return _Scan(
        start,
        offset,
        head,
        joined(newlines, np.int64),
        joined(crs, bool),
        joined(quotes, np.int64),
        joined(befores, np.uint8),
        joined(afters, np.uint8),
    )


def _quotes_regular(scan: _Scan) -> bool:
    """Whether every quote opens a cell (at its start), closes it (before a comma or line end),
    or is one of a doubled pair inside it: RFC 4180 quoting, which both parsers read alike."""
    quotes = scan.quotes
    if len(quotes) % 2:
        return False  # a quote left open
    opening, closing = quotes[0::2], quotes[1::2]
    escaped_open = np.zeros(len(opening), dtype=bool)  # the second quote of a doubled pair
    escaped_open[1:] = opening[1:] == closing[:-1] + 1
    escaped_close = np.zeros(len(closing), dtype=bool)  # the first quote of a doubled pair
    escaped_close[:-1] = escaped_open[1:]
    opens_ok = escaped_open | np.isin(scan.before[0::2], (ord(","), ord("\n")))
    closes_ok = escaped_close | np.isin(scan.after[1::2], (ord(","), ord("\n"), ord("\r")))
    return bool(opens_ok.all() and closes_ok.all())


def _records(scan: _Scan) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Start line, start and end offset of every non-empty record (a row: up to a line break
    outside quotes), and whether any line break lies inside quotes."""
    nl = scan.newlines
    if len(scan.quotes):
        outside = np.flatnonzero((np.searchsorted(scan.quotes, nl) & 1) == 0)
    else:
        outside = np.arange(len(nl))
    ends = np.append(nl[outside], scan.size)
    starts = np.concatenate(([scan.start], nl[outside] + 1))
    start_lines = np.concatenate(([1], outside + 2)).astype(np.int64)
    length = ends - starts - np.append(scan.cr_before[outside], False)
    keep = length > 0
    return start_lines[keep], starts[keep], ends[keep], len(outside) < len(nl)


def _fast(path: Path, shown_path: str) -> RawTable | None:
    scan = _scan(path)
    if scan is None or not _quotes_regular(scan):
        return None
    start_lines, starts, ends, multiline = _records(scan)
    if not len(starts) or ends[0] > len(scan.head):
        return None
    try:
        header = next(csv.reader(io.StringIO(scan.head[starts[0] : ends[0]].decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if not "".join(header).strip():
        return None  # a blank first row: the exact path skips it as the csv module does
    names = [f"c{i}" for i in range(len(header))]
    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            str(path),
            read_options=pacsv.ReadOptions(column_names=names, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=multiline, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (OSError, pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # not UTF-8, for one: the exact path says where
    if invalid or table.num_rows != len(starts):
        return None
    columns = []
    for _ in names:  # one column at a time, so the table and its copy never coexist whole
        columns.append(table.column(0).combine_chunks().slice(1))
        table = table.remove_column(0)
    blank = _blank_rows(columns)
    if blank is not None:
        columns = [c.filter(pa.array(~blank)) for c in columns]
    lines = start_lines[1:] if blank is None else start_lines[1:][~blank]
    return RawTable(shown_path, [c.strip() for c in header], int(start_lines[0]), columns, lines, multiline)


def _blank_rows(columns: list[pa.Array]) -> np.ndarray | None:
    """A mask of the rows whose every cell is blank (None when there are none)."""
    if not columns or not len(columns[0]):
        return None
    blank = pc.equal(pc.utf8_trim_whitespace(columns[0]), "")
    if not pc.any(blank).as_py():
        return None
    for col in columns[1:]:
        blank = pc.and_(blank, pc.equal(pc.utf8_trim_whitespace(col), ""))
    mask = blank.to_numpy(zero_copy_only=False)
    return mask if mask.any() else None


# ---------------------------------------------------------------------- the exact path
def _unclosed_quote(text: str, start_line: int) -> int:
    """The line of the quote that opens the cell left open in the row starting on ``start_line``."""
    lines = io.StringIO(text, newline="")
    offset = sum(len(line) for _, line in zip(range(start_line - 1), lines))
    state, opened = "start", offset
    for pos in range(offset, len(text)):
        c = text[pos]
        if state == "quoted":
            state = "quote" if c == '"' else "quoted"
        elif state == "quote" and c == '"':
            state = "quoted"
        elif c == '"' and state == "start":
            state, opened = "quoted", pos
        elif c == "," or c in "\r\n":
            state = "start"
        else:
            state = "field"
    before = text[offset:opened]
    return start_line + before.count("\n") + before.count("\r") - before.count("\r\n")


def _exact(data: bytes, bom: int, shown_path: str, issues: list[Issue]) -> RawTable | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        offset = exc.start + bom
        issues.append(
            Issue(
                shown_path,
                line,
                "",
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {offset}); save the file as UTF-8",
            )
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        issues.append(Issue(shown_path, line, "", "contains a NUL character; is this a CSV file?"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    limit = csv.field_size_limit(sys.maxsize)  # cells are checked against the schema's limit afterwards
    rows: list[list[str]] = []
    starts: list[int] = []
    try:
        end = 0
        for row in reader:
            rows.append(row)
            starts.append(end + 1)
            end = reader.line_num
    except csv.Error as exc:
        line = reader.line_num or 1
        message = f"malformed CSV: {exc}"
        if "unexpected end of data" in str(exc):
            line = _unclosed_quote(text, end + 1)
            message += " (the quoted cell opened on this line is never closed)"
        issues.append(Issue(shown_path, line, "", message))
        return None
    finally:
        csv.field_size_limit(limit)
    header: list[str] | None = None
    header_line = 0
    cells: list[list[str]] = []
    lines: list[int] = []
    for row, start in zip(rows, starts):
        if not row or (not row[0].strip() and not "".join(row).strip()):
            continue
        if header is None:
            header, header_line = [c.strip() for c in row], start
            continue
        cells.append(row)
        lines.append(start)
    if header is None:
        issues.append(Issue(shown_path, 1, "", "empty file: expected a header row"))
        return None
    if len(header) == 1 and ";" in header[0]:
        issues.append(Issue(shown_path, header_line, "", SEMICOLON_MESSAGE))
        return None
    ok = _header_ok(shown_path, header, header_line, issues)
    width = len(header)
    kept: list[list[str]] = []
    kept_lines: list[int] = []
    for row, line in zip(cells, lines):
        if len(row) != width:
            issues.append(Issue(shown_path, line, "", f"row has {len(row)} fields but the header has {width}"))
            continue
        kept.append(row)
        kept_lines.append(line)
    if not ok:
        return None
    columns = [pa.array(col, type=pa.string()) for col in zip(*kept)] if kept else [pa.array([], pa.string())] * width
    return RawTable(shown_path, header, header_line, columns, np.asarray(kept_lines, dtype=np.int64))


# ---------------------------------------------------------------------- checks on either table
def _header_ok(shown_path: str, header: list[str], line: int, issues: list[Issue]) -> bool:
    ok = True
    seen: set[str] = set()
    for col in header:
        if col == "":
            issues.append(Issue(shown_path, line, "", "empty column name in header"))
            ok = False
        elif col in seen:
            issues.append(Issue(shown_path, line, shown(col), "duplicate column"))
            ok = False
        seen.add(col)
    return ok


SEMICOLON_MESSAGE = (
    "the fields are separated by ';' (as Excel writes CSV in a Dutch or other European locale); nldtib's CSV "
    "uses ',': save as 'CSV UTF-8 (comma delimited)', or keep the data in a workbook (nldtib export xlsx)"
)
_NEUTRALISED = "^'+[" + re.escape(FORMULA_START) + "]"


def _restored(table: RawTable) -> RawTable:
    """The table with cells written by :func:`nldtib.dataset.cells.neutralise` restored (one
    leading apostrophe removed), column-wise."""
    columns = []
    for col in table.columns:
        if len(col) and pc.any(pc.starts_with(col, "'")).as_py():
            col = pc.if_else(pc.match_substring_regex(col, _NEUTRALISED), pc.utf8_slice_codeunits(col, 1), col)
        columns.append(col)
    return RawTable(table.path, table.header, table.header_line, columns, table.lines, table.multiline)


def _checked(table: RawTable, issues: list[Issue], cell_chars: int) -> RawTable | None:
    if len(table.header) == 1 and ";" in table.header[0]:
        issues.append(Issue(table.path, table.header_line, "", SEMICOLON_MESSAGE))
        return None
    table = _restored(table)
    if not _header_ok(table.path, table.header, table.header_line, []):
        # the fast path found a bad header: report it as the exact path does
        _header_ok(table.path, table.header, table.header_line, issues)
        return None
    too_long = np.zeros(len(table), dtype=bool)
    found: list[tuple[int, int, Issue]] = []
    for k, (name, col) in enumerate(zip(table.header, table.columns)):
        if col.nbytes <= cell_chars or pc.max(pc.binary_length(col)).as_py() <= cell_chars:
            continue
        length = pc.utf8_length(col).to_numpy(zero_copy_only=False)
        for row in np.flatnonzero(length > cell_chars).tolist():
            line = int(table.lines[row])
            message = f"cell of {int(length[row]):,} characters; the limit for one CSV cell is {cell_chars:,}"
            found.append((row, k, Issue(table.path, line, shown(name), message)))
            too_long[row] = True
    if not found:
        return table
    issues.extend(issue for _, _, issue in sorted(found, key=lambda f: f[:2]))
    return table.keep(~too_long)
