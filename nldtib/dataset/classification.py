"""Sensitivity, time and confidence: the one rule that decides which records an analysis may use.

:func:`select` is the only place where records are left out: for their sensitivity, for the day
the base is evaluated on (``valid_from <= as_of < valid_to``) and for their confidence. The
session (:class:`nldtib.Session`) applies it once, to the dataset it opens; every analysis and
output then works on what it returns, so no withheld, ended, pending or too weak record can shape
a figure or appear in one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import ConfigError, UsageError
from ..schema import SENSITIVITY_LEVELS
from .records import Dataset
from .tables import per_value

__all__ = [
    "SENSITIVITY_LEVELS",
    "CONFIDENCE_LEVELS",
    "sensitivity_rank",
    "highest_sensitivity",
    "check_level",
    "check_confidence",
    "confidence_rank",
    "check_date",
    "date_key",
    "visible",
    "current",
    "select",
]

CONFIDENCE_LEVELS = ("reported", "inferred", "illustrative")  # strongest first


def sensitivity_rank(level: str | None) -> int:
    """0 for public (also when unset), 1 for restricted, 2 for confidential."""
    return SENSITIVITY_LEVELS.index(level or "public")


def highest_sensitivity(levels: Iterable[str | None]) -> str:
    """The highest of ``levels`` (public when there are none).

    >>> highest_sensitivity(["public", "confidential", None])
    'confidential'
    """
    return SENSITIVITY_LEVELS[max((sensitivity_rank(lv) for lv in levels), default=0)]


def check_level(level: str) -> str:
    """``level`` if it is a sensitivity level, else a one-line :class:`ConfigError`."""
    if level not in SENSITIVITY_LEVELS:
        raise ConfigError(f"unknown sensitivity {level!r}; expected one of {', '.join(SENSITIVITY_LEVELS)}")
    return level


def confidence_rank(level: str | None) -> int:
    """0 for reported, 1 for inferred, 2 for illustrative. A record without a confidence is taken
    at its word (reported): the confidence column is optional in a user's own dataset.

    >>> confidence_rank("illustrative"), confidence_rank(None)
    (2, 0)
    """
    return CONFIDENCE_LEVELS.index(level) if level else 0


def check_confidence(level: str) -> str:
    """``level`` if it is a confidence level, else a one-line :class:`UsageError` with a suggestion."""
    if level not in CONFIDENCE_LEVELS:
        import difflib

        close = difflib.get_close_matches(level, CONFIDENCE_LEVELS, n=1, cutoff=0.4)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise UsageError(
            f"unknown confidence {level!r}; {hint}expected one of {', '.join(CONFIDENCE_LEVELS)} "
            "(each includes the ones before it)"
        )
    return level


def check_date(value: Any, what: str = "--as-of") -> str:
    """An ISO date ``YYYY-MM-DD`` (a ``datetime.date`` or a string), else a one-line :class:`UsageError`.

    >>> check_date("2025-06-30")
    '2025-06-30'
    """
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(
            f"{what} must be a date YYYY-MM-DD, for example {datetime.date.today().isoformat()}; not {value!r}"
        ) from None


def date_key(value: str) -> str:
    """A partial ISO date padded to a day, so dates compare as strings: ``YYYY`` is ``YYYY-01-01``
    and ``YYYY-MM`` is ``YYYY-MM-01`` (for ``valid_to``, the first day the fact no longer holds).

    >>> date_key("2020"), date_key("2020-05"), date_key("2020-05-17")
    ('2020-01-01', '2020-05-01', '2020-05-17')
    """
    return value + "-01-01"[len(value) - 4 :] if len(value) < 10 else value


def current(props: Any, as_of: str) -> bool:
    """Whether a record with these properties holds on ``as_of``: ``valid_from <= as_of < valid_to``."""
    start, end = props.get("valid_from"), props.get("valid_to")
    return (start is None or date_key(start) <= as_of) and (end is None or as_of < date_key(end))


def visible(level: str | None, max_sensitivity: str) -> bool:
    """Whether a record of sensitivity ``level`` may be used at ``max_sensitivity``."""
    return sensitivity_rank(level) <= sensitivity_rank(max_sensitivity)


def _kept(table: Any, limit: int, weakest: int, as_of: str | None) -> np.ndarray:
    """Which rows of a node or relationship table the limits keep (see :func:`select`)."""
    n = len(table)
    columns = table.columns
    keep = per_value(columns.get("sensitivity"), sensitivity_rank, n) <= limit
    keep &= per_value(columns.get("confidence"), confidence_rank, n) <= weakest
    if as_of is not None:
        keep &= per_value(columns.get("valid_from"), lambda v: v is None or date_key(v) <= as_of, n, bool)
        keep &= per_value(columns.get("valid_to"), lambda v: v is None or as_of < date_key(v), n, bool)
    return keep


def _named(dataset: Dataset, column: Any) -> np.ndarray:
    """The node index each value of a reference column names: -1 where unset, -2 where it names
    no node of the dataset."""
    if (
        not isinstance(column, tuple)
        and pa.types.is_dictionary(column.type)
        and len(column.dictionary) == len(dataset.ids)
    ):
        index = column.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        return np.where(index >= len(dataset.nodes), -2, index)
    values = list(column) if isinstance(column, tuple) else column.to_pylist()
    found = dataset.index_of([v if isinstance(v, str) else "" for v in values]).astype(np.int64)
    return np.where([v is None for v in values], -1, np.where(found < 0, -2, found))


def select(
    dataset: Dataset,
    max_sensitivity: str = "confidential",
    as_of: str | None = None,
    min_confidence: str = "illustrative",
) -> Dataset:
    """The dataset without the records above ``max_sensitivity``, the records that do not hold on
    ``as_of`` (an ISO date; None: no date filter) and those weaker than ``min_confidence``.

    A relationship is left out too when either endpoint, or a node it references through a
    ``ref`` property (such as the item of SUPPLIES), is left out: nothing that remains may point
    at or name a left-out record. Returns ``dataset`` itself when nothing is left out.

    Works on whole columns (each distinct level or date is ranked once) and keeps what it keeps
    with :meth:`~nldtib.dataset.records.Dataset.subset`.
    """
    limit = sensitivity_rank(check_level(max_sensitivity))
    weakest = confidence_rank(check_confidence(min_confidence))
    if as_of is not None:
        as_of = check_date(as_of)
    n = len(dataset.nodes)
    nodes = np.zeros(n + 1, dtype=bool)  # the last: ends that name no node of the dataset
    for table in dataset.node_tables.values():
        nodes[table.index] = _kept(table, limit, weakest, as_of)
    refs = {t: [p.name for p in rt.properties if p.type == "ref"] for t, rt in dataset.schema.relationships.items()}
    rels = {t: _kept(table, limit, weakest, as_of) for t, table in dataset.rel_tables.items()}
    if nodes[:n].all() and all(keep.all() for keep in rels.values()):
        return dataset  # nothing is left out for its own limits
    for rel_type, table in dataset.rel_tables.items():
        keep = rels[rel_type]
        keep &= nodes[np.minimum(table.src, n)] & nodes[np.minimum(table.dst, n)]
        for name in refs.get(rel_type, ()):
            if name in table.columns:
                named = _named(dataset, table.columns[name])
                keep &= (named == -1) | ((named >= 0) & nodes[np.maximum(named, 0)])
    return dataset.subset(nodes[:n], rels)
