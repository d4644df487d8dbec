"""Resilience analyses: pure functions over a dataset and its projection; no I/O.

Each public function takes a :class:`~nldtib.records.Dataset` (already filtered by sensitivity)
and an optional prebuilt :class:`~nldtib.projection.Projection`, and returns a JSON-serialisable
dict with sorted lists. See docs/analyses.md.
"""

from __future__ import annotations

from ..projection import Projection, build_projection
from .cascade import whatif
from .control import control
from .critical import chokepoints
from .deps import dependencies
from .exposure import exposure
from .gaps import gaps

__all__ = ["dependencies", "whatif", "chokepoints", "exposure", "control", "gaps", "Projection", "build_projection"]
