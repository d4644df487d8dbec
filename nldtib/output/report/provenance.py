"""The data section of a report: which sources were used, as-of range, share of illustrative records."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...dataset.records import Dataset
from .evidence import split_sources

__all__ = ["data_section"]


def data_section(dataset: Dataset, top: int = 25) -> dict[str, Any]:
    """Provenance figures for the records a report used (``dataset`` is already filtered)."""
    records = [*dataset.nodes.values(), *dataset.rels]
    sources: Counter[str] = Counter()
    for rec in records:
        for src in split_sources(str(rec.props.get("source") or "")):
            sources[src] += 1
    dates = sorted(str(r.props["as_of"]) for r in records if r.props.get("as_of"))
    confidence = Counter(r.props.get("confidence", "unspecified") for r in records)
    total = len(records)
    return {
        "records": total,
        "nodes": len(dataset.nodes),
        "relationships": len(dataset.rels),
        "with_source": sum(1 for r in records if r.props.get("source")),
        "distinct_sources": len(sources),
        "top_sources": [
            {"source": s, "records": n} for s, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "as_of": {"earliest": dates[0] if dates else None, "latest": dates[-1] if dates else None, "dated": len(dates)},
        "by_confidence": dict(sorted(confidence.items())),
        "illustrative_share": round(confidence.get("illustrative", 0) / total, 4) if total else 0.0,
        "classification": dataset.sensitivity(),
    }
