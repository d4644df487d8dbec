"""Validation models derived from the schema (pydantic): the exact rule for every value.

Each schema property becomes a pydantic type. The reader checks whole columns with vectorised
tests first (:mod:`nldtib.dataset.columns`) and asks these types only about the cells those tests
do not accept outright, so pydantic decides, and words the message for, every unusual value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, TypeAdapter, ValidationError

from ..schema import Limits, Property
from .writer import format_value  # cells are written there; importable from here as before

__all__ = ["column_adapter", "validate_column", "format_value"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_URL = r"^https?://[^\s]+$"
_ONE_LINE = r"^[^\r\n]*$"


def _check_date(value: str) -> str:
    m = _DATE.match(value)
    if not m:
        raise ValueError("not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a valid date: {exc}") from None
    return value


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _no_duplicates(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


_LIMITS = Limits()


def _bounds(prop: Property, limits: Limits | None = None) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if prop.min is not None:
        bounds["ge"] = prop.min
    if prop.max is not None:
        bounds["le"] = prop.max
    if limits is not None:  # integers: also within what the stores hold (64 bits)
        bounds["ge"] = max(bounds.get("ge", limits.integer_min), limits.integer_min)
        bounds["le"] = min(bounds.get("le", limits.integer_max), limits.integer_max)
    return bounds


def value_type(prop: Property, limits: Limits = _LIMITS) -> Any:
    """The pydantic type of one (non-empty) value of ``prop``."""
    t = prop.type
    if t in ("string", "ref"):
        return Annotated[str, StringConstraints(pattern=prop.pattern or _ONE_LINE)]
    if t == "text":
        return str
    if t == "integer":
        return Annotated[int, Field(**_bounds(prop, limits))]
    if t == "number":
        return Annotated[float, Field(allow_inf_nan=False, **_bounds(prop))]
    if t == "boolean":
        return bool
    if t == "date":
        return Annotated[str, AfterValidator(_check_date)]
    if t == "url":
        return Annotated[str, StringConstraints(pattern=_URL)]
    if t == "enum":
        return Literal[tuple(prop.values)]  # type: ignore[valid-type]
    if t == "list":
        return Annotated[
            list[Annotated[str, StringConstraints(pattern=_ONE_LINE)]],
            BeforeValidator(_split_list),
            AfterValidator(_no_duplicates),
        ]
    raise ValueError(f"unknown property type {t!r}")


@cache
def column_adapter(prop: Property, limits: Limits = _LIMITS) -> TypeAdapter:
    """A TypeAdapter validating a whole column (a list of values, None for empty cells)."""
    return TypeAdapter(list[value_type(prop, limits) | None])  # type: ignore[valid-type]


def _message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid value"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = err.get("input")
    if isinstance(got, str):
        shown = got if len(got) <= 60 else got[:57] + "..."
        msg = f"{msg} (got {shown!r})"
    return msg


def validate_column(
    prop: Property, cells: Sequence[str | None], limits: Limits = _LIMITS
) -> tuple[list[Any], dict[int, str]]:
    """Validate one column of raw cells (None = empty).

    Returns the converted values (None where empty or invalid) and a map from row index to
    error message. Required and default handling is done here too.
    """
    errors: dict[int, str] = {}
    raw: list[Any]
    if prop.type == "text":
        raw = [None if c is None or c.strip() == "" else c for c in cells]
    elif None in cells:
        raw = [None if c is None else c.strip() or None for c in cells]
    else:
        raw = [c.strip() or None for c in cells]  # type: ignore[union-attr]
    try:
        values = column_adapter(prop, limits).validate_python(raw)
    except ValidationError as exc:
        values = list(raw)
        for err in exc.errors(include_url=False):
            idx = err["loc"][0]
            if isinstance(idx, int) and idx not in errors:
                errors[idx] = _message(err)
                values[idx] = None
        good = [i for i in range(len(raw)) if i not in errors]
        if good:
            fixed = column_adapter(prop, limits).validate_python([raw[i] for i in good])
            for i, v in zip(good, fixed):
                values[i] = v
    if None not in values and (prop.type != "list" or [] not in values):
        return values, errors  # nothing empty: no default or required check to do
    for i, v in enumerate(values):
        if v is None or v == []:
            values[i] = None
            if i in errors:
                continue
            if prop.default is not None:
                values[i] = prop.default
            elif prop.required:
                errors[i] = "required value is missing"
    return values, errors
