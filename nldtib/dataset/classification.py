"""Sensitivity levels, and the one rule that decides which records an analysis or output may use.

:func:`select` is the only place where records are left out for their sensitivity. The session
(:class:`nldtib.Session`) applies it once, to the dataset it opens; every analysis and output
then works on what it returns, so no withheld record can shape a figure or appear in one.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import ConfigError
from ..schema import SENSITIVITY_LEVELS
from .records import Dataset

__all__ = ["SENSITIVITY_LEVELS", "sensitivity_rank", "highest_sensitivity", "check_level", "visible", "select"]


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


def visible(level: str | None, max_sensitivity: str) -> bool:
    """Whether a record of sensitivity ``level`` may be used at ``max_sensitivity``."""
    return sensitivity_rank(level) <= sensitivity_rank(max_sensitivity)


def select(dataset: Dataset, max_sensitivity: str = "confidential") -> Dataset:
    """The dataset without the records above ``max_sensitivity``.

    A relationship is left out too when either endpoint, or a node it references through a
    ``ref`` property (such as the item of SUPPLIES), is left out: nothing that remains may point
    at or name a withheld record. Returns ``dataset`` itself when nothing is left out.
    """
    limit = sensitivity_rank(check_level(max_sensitivity))
    nodes = {i: n for i, n in dataset.nodes.items() if sensitivity_rank(n.sensitivity) <= limit}
    if len(nodes) == len(dataset.nodes) and all(sensitivity_rank(r.sensitivity) <= limit for r in dataset.rels):
        return dataset
    schema = dataset.schema
    refs = {t: [p.name for p in rt.properties if p.type == "ref"] for t, rt in schema.relationships.items()}
    rels = [
        r
        for r in dataset.rels
        if sensitivity_rank(r.sensitivity) <= limit
        and r.src in nodes
        and r.dst in nodes
        and all(r.props.get(p) is None or r.props[p] in nodes for p in refs[r.type])
    ]
    return Dataset(schema, nodes, rels, dataset.origin)
