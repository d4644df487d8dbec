"""The synthetic generator: NLDTIB-shaped datasets of any size, from a seed."""

from __future__ import annotations

from .generate import MIN_ORGS, generate

__all__ = ["generate", "MIN_ORGS"]
