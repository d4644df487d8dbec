"""Classification of outputs: what sensitivity a report, graph or export carries, and how it says so.

Every output starts from a dataset already filtered to the caller's ``--max-sensitivity``
(:meth:`nldtib.records.Dataset.filtered`), so records above the limit never enter it. The output
is then classified at the **highest sensitivity among the records it includes**, and says so in
its header: a comment line in text formats, an attribute in graph formats, a banner and the
``<title>`` in HTML.

Where an analysis run on more data than the output may show (for example a critical path that
runs through a withheld record), :func:`redact_chain` replaces the whole chain by one marker:
the output says that a withheld record is involved, and nothing more.
"""
from __future__ import annotations

from typing import Any, Container, Iterable, Sequence

from ..dataset.records import Dataset, highest_sensitivity, sensitivity_rank
from ..schema import SENSITIVITY_LEVELS

__all__ = [
    "classification_of",
    "classification_line",
    "banner_colours",
    "check_level",
    "is_visible",
    "redact_chain",
    "WITHHELD",
    "WITHHELD_NOTE",
]

WITHHELD = "withheld"
WITHHELD_NOTE = "a record withheld at this sensitivity limit is involved"

_BANNER = {
    # level: (background, text)
    "public": ("#2e7d32", "#ffffff"),
    "restricted": ("#ef6c00", "#000000"),
    "confidential": ("#b71c1c", "#ffffff"),
}


def check_level(level: str) -> str:
    """``level`` if it is a sensitivity level, else ValueError (a programming error, not user input)."""
    if level not in SENSITIVITY_LEVELS:
        raise ValueError(f"unknown sensitivity {level!r}; expected one of {', '.join(SENSITIVITY_LEVELS)}")
    return level


def classification_of(dataset: Dataset, node_ids: Iterable[str] | None = None, rels: Iterable[Any] | None = None) -> str:
    """The highest sensitivity among the records an output includes.

    With no ``node_ids``/``rels`` the whole dataset is meant; otherwise only the given node ids
    and relationships (for example the neighbourhood drawn by ``nldtib graph --focus``).
    """
    if node_ids is None and rels is None:
        return dataset.sensitivity()
    levels = [dataset.nodes[i].sensitivity for i in (node_ids or ())]
    levels += [r.sensitivity for r in (rels or ())]
    return highest_sensitivity(levels)


def classification_line(level: str, max_sensitivity: str) -> str:
    """The header line every output carries, for example ``Classification: PUBLIC``.

    The limit is named too, so a reader knows records above it were left out.
    """
    check_level(level)
    check_level(max_sensitivity)
    return (f"Classification: {level.upper()} (records above {max_sensitivity} are not included)"
            if max_sensitivity != "confidential" else f"Classification: {level.upper()}")


def banner_colours(level: str) -> tuple[str, str]:
    """Background and text colour of the HTML banner for ``level``."""
    return _BANNER[check_level(level)]


def redact_chain(chain: Sequence[str], visible: Container[str]) -> list[str] | str:
    """``chain`` unchanged if every id in it is visible, else the marker :data:`WITHHELD`.

    Nothing of a chain that touches a withheld record is shown: not its visible part, not its
    length, not which position is withheld.

    >>> redact_chain(["f-35", "acme"], {"f-35", "acme"})
    ['f-35', 'acme']
    >>> redact_chain(["f-35", "secret-sub", "acme"], {"f-35", "acme"})
    'withheld'
    """
    if all(i in visible for i in chain):
        return list(chain)
    return WITHHELD


def is_visible(level: str | None, max_sensitivity: str) -> bool:
    """Whether a record of sensitivity ``level`` may appear at ``max_sensitivity``."""
    return sensitivity_rank(level) <= sensitivity_rank(max_sensitivity)
