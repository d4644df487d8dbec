"""The data section of a report: which sources were used, as-of range, share of illustrative records."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa

from ...dataset.records import Dataset
from .evidence import split_sources

__all__ = ["data_section"]


def _value_counts(table: Any, name: str) -> list[tuple[Any, int]]:
    """Each distinct value of a column (None for unset) and how many rows hold it."""
    column = table.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    found = column.value_counts()
    return list(zip(found.field(0).to_pylist(), found.field(1).to_pylist()))


def data_section(dataset: Dataset, top: int = 25) -> dict[str, Any]:
    """Provenance figures for the records a report used (``dataset`` is already filtered).

    Counted on the dataset's columns, each distinct source, date and level once."""
    sources: Counter[str] = Counter()
    confidence: Counter[str] = Counter()
    dates: list[str] = []
    with_source = dated = 0
    for table in (*dataset.node_tables.values(), *dataset.rel_tables.values()):
        for value, count in _value_counts(table, "source"):
            with_source += count if value else 0
            for src in split_sources(str(value or "")):
                sources[src] += count
        for value, count in _value_counts(table, "as_of"):
            if value:
                dates.append(str(value))
                dated += count
        for value, count in _value_counts(table, "confidence"):
            confidence["unspecified" if value is None else value] += count
    total = len(dataset.nodes) + len(dataset.rels)
    return {
        "records": total,
        "nodes": len(dataset.nodes),
        "relationships": len(dataset.rels),
        "with_source": with_source,
        "distinct_sources": len(sources),
        "top_sources": [
            {"source": s, "records": n} for s, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "as_of": {"earliest": min(dates) if dates else None, "latest": max(dates) if dates else None, "dated": dated},
        "by_confidence": dict(sorted(confidence.items())),
        "illustrative_share": round(confidence.get("illustrative", 0) / total, 4) if total else 0.0,
        "classification": dataset.sensitivity(),
    }
