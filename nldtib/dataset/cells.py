"""Cells that a spreadsheet would run as a formula: neutralised on output, restored on input.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as
a formula when a CSV file is opened in a spreadsheet (CSV or formula injection). Every CSV nldtib
writes prefixes such a cell with one apostrophe, which spreadsheets show as "this is text", and
every reader removes it again, so the dataset round-trips unchanged. The rule is a bijection:
one apostrophe is added before any run of apostrophes that is followed by such a character, and
removed on reading, so a value that really starts with ``'=`` survives too. Only text columns
are neutralised: a number (``-5``) is validated as a number and cannot hold a formula. In a
workbook the same cells are written as text cells with Excel's quote prefix, and need no
apostrophe.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_START", "is_formula_like", "neutralise", "restore"]

FORMULA_START = "=+-@\t\r"
_NEUTRALISE = re.compile(r"'*[=+\-@\t\r]")
_RESTORE = re.compile(r"'+[=+\-@\t\r]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    >>> is_formula_like("=HYPERLINK(1)"), is_formula_like("-5"), is_formula_like("Acme")
    (True, True, False)
    """
    return text[:1] in FORMULA_START and text != ""


def neutralise(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs.

    >>> neutralise("=1+2"), neutralise("'=x"), neutralise("Acme"), neutralise("it's")
    ("'=1+2", "''=x", 'Acme', "it's")
    """
    return "'" + text if _NEUTRALISE.match(text) else text


def restore(text: str) -> str:
    """The value of a cell written by :func:`neutralise`.

    >>> restore("'=1+2"), restore("''=x"), restore("'quoted'")
    ('=1+2', "'=x", "'quoted'")
    """
    return text[1:] if _RESTORE.match(text) else text
