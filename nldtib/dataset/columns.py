"""Validate whole columns of raw CSV cells with vectorised checks derived from the schema.

Each check accepts outright only values that are plainly valid: ASCII digits for an integer, an
exact enum value, an ASCII value matching the property's pattern, and so on, converted as pydantic
would. Every other non-empty cell goes to the pydantic types of :mod:`nldtib.dataset.types`, which
decide and word the message; so the vectorised path is fast, and pydantic stays the rule (and is
imported only when a column has such a cell). Then empty cells take their default or are reported
as missing, and indexed values are checked against the store limit.
"""

from __future__ import annotations

import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import Limits, Property
from .tables import arrow_type, compact

__all__ = ["check_column"]

_TRUE = ("true", "t", "yes", "y", "on", "1")
_FALSE = ("false", "f", "no", "n", "off", "0")
_INTEGER = r"^-?[0-9]{1,18}$"
_NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?([eE][-+]?[0-9]{1,2})?$"
_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_URL = r"^https?://[!-~]+$"  # printable ASCII without spaces: all valid; pydantic judges the rest
_CONTROL = r"[\x00-\x1f\x7f]"
_SMALL = 256  # a column of at most this many cells is checked by pydantic alone: quicker than the kernels
# ... once pydantic is loaded: a command that reads only plain values never needs to load it


def _mask(array: pa.Array) -> np.ndarray:
    """A pyarrow boolean array as a numpy mask (null counts as False)."""
    return array.fill_null(False).to_numpy(zero_copy_only=False)


def _matches(values: pa.Array, pattern: str) -> np.ndarray:
    return _mask(pc.match_substring_regex(values, pattern))


def _plain(values: pa.Array) -> np.ndarray:
    """ASCII values without control characters: where the schema's regular expressions mean the
    same in pyarrow (RE2) as in pydantic (Rust regex)."""
    return _mask(pc.string_is_ascii(values)) & ~_matches(values, _CONTROL)


def _valid_dates(values: pa.Array) -> np.ndarray:
    """For values shaped YYYY, YYYY-MM or YYYY-MM-DD: whether they name a real day."""
    length = pc.utf8_length(values).to_numpy(zero_copy_only=False)
    year = pc.cast(pc.utf8_slice_codeunits(values, 0, 4), pa.int64()).to_numpy()
    month = np.ones(len(values), dtype=np.int64)
    day = np.ones(len(values), dtype=np.int64)
    if (length >= 7).any():
        month_text = pc.if_else(pa.array(length >= 7), pc.utf8_slice_codeunits(values, 5, 7), "01")
        month = pc.cast(month_text, pa.int64()).to_numpy()
    if (length >= 10).any():
        day_text = pc.if_else(pa.array(length >= 10), pc.utf8_slice_codeunits(values, 8, 10), "01")
        day = pc.cast(day_text, pa.int64()).to_numpy()
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)] + (leap & (month == 2))
    return (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)


def _within(values: np.ndarray, prop: Property) -> np.ndarray:
    ok = np.ones(len(values), dtype=bool)
    if prop.min is not None:
        ok &= values >= prop.min
    if prop.max is not None:
        ok &= values <= prop.max
    return ok


def _one_line(text: pa.Array, multiline: bool) -> np.ndarray:
    """Which values have no line break (none can when the file has no line break in a cell)."""
    if not multiline:
        return np.ones(len(text), dtype=bool)
    return ~(_mask(pc.match_substring(text, "\n")) | _mask(pc.match_substring(text, "\r")))


def _fast(prop: Property, text: pa.Array, multiline: bool) -> tuple[np.ndarray, pa.Array]:
    """Which of the non-empty stripped cells ``text`` are plainly valid, and their values (only
    those are meaningful)."""
    t = prop.type
    if t in ("string", "ref"):
        if prop.pattern is None:
            return _one_line(text, multiline), text
        return _plain(text) & _matches(text, prop.pattern), text
    if t == "enum":
        return _mask(pc.is_in(text, value_set=pa.array(prop.values, pa.string()))), text
    if t == "url":
        return _matches(text, _URL), text
    if t == "date":
        ok = _matches(text, _DATE)
        if ok.any():
            ok[ok] = _valid_dates(text.filter(pa.array(ok)))
        return ok, text
    if t == "boolean":
        lower = pc.ascii_lower(text)
        ok = _mask(pc.is_in(lower, value_set=pa.array(_TRUE + _FALSE)))
        return ok, pc.is_in(lower, value_set=pa.array(_TRUE))
    if t in ("integer", "number"):
        ok = _matches(text, _INTEGER if t == "integer" else _NUMBER)
        values = pc.cast(pc.if_else(pa.array(ok), text, "0"), arrow_type(prop))
        numbers = values.to_numpy(zero_copy_only=False)
        ok &= _within(numbers, prop) & (np.isfinite(numbers) if t == "number" else True)
        return ok, values
    raise ValueError(f"no vectorised check for type {t!r}")


def _lists(stripped: pa.Array, filled: np.ndarray, multiline: bool) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """``;``-separated cells as lists of stripped, non-empty, distinct parts; which cells are
    plainly valid (no part spans lines), and which came out empty."""
    parts = pc.split_pattern(stripped, ";")
    flat = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    parent = pc.list_parent_indices(parts).to_numpy()
    keep = _mask(pc.not_equal(flat, ""))
    flat, parent = flat.filter(pa.array(keep)), parent[keep]
    ok = filled.copy()
    if len(flat):
        ok[parent[~_one_line(flat, multiline)]] = False
    offsets = np.searchsorted(parent, np.arange(len(stripped) + 1)).astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), flat)
    counts = np.diff(offsets)
    repeated = [i for i in np.flatnonzero(ok & (counts > 1)).tolist() if len(set(lists[i].as_py())) < counts[i]]
    if repeated:  # drop repeated parts, keeping the first of each
        ok[repeated] = False
    return lists, ok, counts == 0


def check_column(
    prop: Property, raw: pa.Array | None, n: int, limits: Limits, indexed: bool, multiline: bool = True
) -> tuple[pa.Array | None, dict[int, str]]:
    """Validate the raw cells of ``prop`` (None: the column is absent). Returns the typed column
    (None when no row has a value) and the error message of each bad row. ``multiline``: whether
    any cell of the file may hold a line break."""
    if n <= _SMALL and "pydantic" in sys.modules:  # both ways give the same; this one is quicker here
        return _small(prop, raw, n, limits, indexed)
    if raw is None:
        stripped = pa.nulls(n, pa.string())
        filled = np.zeros(n, dtype=bool)
    else:
        stripped = pc.utf8_trim_whitespace(raw)
        filled = _mask(pc.not_equal(stripped, ""))
    errors: dict[int, str] = {}
    unset = ~filled
    if prop.type == "list":
        values, ok, empty_list = _lists(stripped, filled, multiline)
        unset |= filled & ok & empty_list
    elif prop.type == "text":
        values, ok = (raw if raw is not None else stripped), filled.copy()
    elif filled.all():
        ok, values = _fast(prop, stripped, multiline)
        if not ok.all():
            values = pc.if_else(pa.array(ok), values, pa.nulls(n, values.type))
    elif filled.any():
        ok = np.zeros(n, dtype=bool)
        ok[filled], picked = _fast(prop, stripped.filter(pa.array(filled)), multiline)
        values = pa.nulls(n, arrow_type(prop))
        if ok.any():
            values = pc.replace_with_mask(values, pa.array(ok), picked.filter(pa.array(ok[filled])))
    else:
        values, ok = pa.nulls(n, arrow_type(prop)), filled.copy()
    unsure = np.flatnonzero(filled & ~ok)
    if len(unsure):
        values, errors, unset = _ask_pydantic(prop, limits, stripped, values, unsure, unset)
    if indexed:
        _check_size(values, limits, errors)
    set_rows = ~unset
    for row in errors:
        set_rows[row] = False
    missing = np.flatnonzero(unset)
    if len(missing):
        if prop.default is not None:
            set_rows[missing] = True
            values = pc.if_else(pa.array(unset), pa.scalar(prop.default, arrow_type(prop)), values)
        elif prop.required:
            for row in missing.tolist():
                errors.setdefault(row, "required value is missing")
    if not set_rows.any():
        return None, errors
    if not set_rows.all():
        values = pc.if_else(pa.array(set_rows), values, pa.nulls(n, values.type))
    return (compact(values) if pa.types.is_string(values.type) else values), errors


def _small(
    prop: Property, raw: pa.Array | None, n: int, limits: Limits, indexed: bool
) -> tuple[pa.Array | None, dict[int, str]]:
    """A short column, checked cell by cell by pydantic alone (quicker than the kernels here)."""
    from .types import validate_column

    values, errors = validate_column(prop, raw.to_pylist() if raw is not None else [None] * n, limits)
    if indexed:
        for row, v in enumerate(values):
            size = len(v.encode("utf-8")) if isinstance(v, str) else 0
            if size > limits.indexed_bytes and row not in errors:
                errors[row] = _too_big(size, limits)
                values[row] = None
    if all(v is None for v in values):
        return None, errors
    return pa.array(values, arrow_type(prop)), errors


def _too_big(size: int, limits: Limits) -> str:
    return (
        f"{size:,} bytes; an indexed value (id, name or a unique property) "
        f"may take at most {limits.indexed_bytes:,} bytes, the store's index limit"
    )


def _ask_pydantic(
    prop: Property, limits: Limits, stripped: pa.Array, values: pa.Array, rows: np.ndarray, unset: np.ndarray
) -> tuple[pa.Array, dict[int, str], np.ndarray]:
    """The verdict of the pydantic type on the cells at ``rows`` (messages as before)."""
    from .types import validate_column

    cells = stripped.take(pa.array(rows)).to_pylist()
    converted, bad = validate_column(prop, cells, limits)
    errors = {int(rows[i]): msg for i, msg in bad.items()}
    fixed = [None if i in bad else v for i, v in enumerate(converted)]
    unset = unset.copy()
    for i, v in enumerate(fixed):
        if v is None and i not in bad:
            unset[rows[i]] = True  # a list of empty parts, say
    if pa.types.is_list(values.type):  # no kernel replaces in lists: rebuild (lists are short and few)
        rebuilt = values.to_pylist()
        for i, v in zip(rows.tolist(), fixed):
            rebuilt[i] = v
        return pa.array(rebuilt, values.type), errors, unset
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    values = pc.replace_with_mask(values, pa.array(mask), pa.array(fixed, values.type))
    return values, errors, unset


def _check_size(values: pa.Array, limits: Limits, errors: dict[int, str]) -> None:
    if not pa.types.is_string(values.type) or not len(values):
        return
    size = pc.binary_length(values).fill_null(0).to_numpy(zero_copy_only=False)
    for row in np.flatnonzero(size > limits.indexed_bytes).tolist():
        if row not in errors:
            errors[row] = _too_big(int(size[row]), limits)
