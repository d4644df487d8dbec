"""How an output states its classification: the header line, the HTML banner colours.

Every output is built from the records the session selected at its ``--max-sensitivity``
(:func:`nldtib.dataset.classification.select`), so records above the limit never enter it. The
output is classified at the **highest sensitivity among the records it includes**, and says so
in its header: a comment line in text formats, an attribute in graph formats, a banner and the
``<title>`` in HTML. Where records withheld at the limit bear on a result, the output says that
much (:data:`WITHHELD_NOTE`), and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..dataset.classification import check_level, highest_sensitivity
from ..dataset.records import Dataset

__all__ = ["classification_of", "classification_line", "banner_colours", "WITHHELD_NOTE"]

WITHHELD_NOTE = "a record withheld at this sensitivity limit is involved"

_BANNER = {
    # level: (background, text)
    "public": ("#2e7d32", "#ffffff"),
    "restricted": ("#ef6c00", "#000000"),
    "confidential": ("#b71c1c", "#ffffff"),
}


def classification_of(
    dataset: Dataset, node_ids: Iterable[str] | None = None, rels: Iterable[Any] | None = None
) -> str:
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
    """The header line every output carries.

    The limit is named too, so a reader knows records above it were left out:

    >>> classification_line("public", "public")
    'Classification: PUBLIC (records above public are not included)'
    >>> classification_line("restricted", "confidential")
    'Classification: RESTRICTED'
    """
    check_level(level)
    check_level(max_sensitivity)
    return (
        f"Classification: {level.upper()} (records above {max_sensitivity} are not included)"
        if max_sensitivity != "confidential"
        else f"Classification: {level.upper()}"
    )


def banner_colours(level: str) -> tuple[str, str]:
    """Background and text colour of the HTML banner for ``level``."""
    return _BANNER[check_level(level)]
