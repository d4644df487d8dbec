"""Resilience analyses: pure functions over a dataset and its projection; no I/O.

Each public function takes a :class:`~nldtib.records.Dataset` (already filtered by sensitivity)
and an optional prebuilt :class:`~nldtib.projection.Projection`, and returns a JSON-serialisable
dict with sorted lists. See docs/analyses.md.
"""
from __future__ import annotations

from .cascade import whatif
from .critical import chokepoints

__all__ = ["whatif", "chokepoints"]
