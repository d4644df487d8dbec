"""Shared CLI plumbing: the global options, the session they open, common options, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..schema import SENSITIVITY_LEVELS
from .progress import clear_line

__all__ = [
    "Options",
    "pass_options",
    "open_session",
    "format_option",
    "sensitivity_option",
    "emit_json",
    "echo",
    "write_output",
    "table",
]


@dataclass
class Options:
    """The global options. Every command opens one session from them (closed at exit)."""

    data: Path | None = None
    store: str | None = None
    debug: bool = False
    allow_partial: bool = False
    as_of: str | None = None
    min_confidence: str = "illustrative"
    min_share: float = 0.0
    sessions: list = field(default_factory=list, repr=False)

    def session(self, max_sensitivity: str = "public", store: str | None = None) -> Any:
        from ..session import Session

        # A command that names its store (the db commands: neo4j) does not take --data.
        s = Session(
            data=None if store else self.data,
            store=store or self.store,
            max_sensitivity=max_sensitivity,
            allow_partial=self.allow_partial,
            as_of=self.as_of,
            min_confidence=self.min_confidence,
            min_share=self.min_share,
        )
        self.sessions.append(s)
        return s

    def close(self) -> None:
        for s in self.sessions:
            s.close()
        self.sessions.clear()


pass_options = click.make_pass_decorator(Options)


def open_session(max_sensitivity: str = "public", store: str | None = None) -> Any:
    """The session of the running command (see :class:`Options`)."""
    return click.get_current_context().find_object(Options).session(max_sensitivity, store)


def format_option(*choices: str, default: str | None = None) -> Callable:
    choices = choices or ("text", "json")
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )


def sensitivity_option(default: str = "public") -> Callable:
    return click.option(
        "--max-sensitivity",
        type=click.Choice(SENSITIVITY_LEVELS),
        default=default,
        show_default=True,
        help="Leave out every record above this sensitivity (nodes, relationships and anything that names them).",
    )


def write_output(text: str, output: str) -> None:
    """Write ``text`` to the file ``output`` atomically, or to stdout when ``output`` is '-'."""
    from ..output.files import write_atomic

    if output == "-":
        clear_line()
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text)


def emit_json(obj: Any) -> None:
    clear_line()
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def echo(text: str = "", err: bool = False) -> None:
    clear_line()  # a progress bar on the terminal gives way to the message
    click.echo(text, err=err)


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A plain aligned text table."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
