"""The synthetic generator: NLDTIB-shaped datasets of any size, from a seed."""

from __future__ import annotations

from .generate import MIN_ORGS, MIN_RELS_PER_ORG, generate

__all__ = ["generate", "MIN_ORGS", "MIN_RELS_PER_ORG"]
