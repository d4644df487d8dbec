"""Where the shipped schema and seed dataset live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["schema_dir", "seed_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # wheel: force-included by pyproject.toml
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # source checkout or editable install


def schema_dir() -> Path:
    """The folder that holds ``schema.yaml``."""
    return _shipped("schema")


def seed_dir() -> Path:
    """The shipped public Dutch dataset, the default for ``--data``."""
    return _shipped("seed")
