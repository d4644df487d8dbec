"""Shared CLI plumbing: the application context, common options, output helpers."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import click

from ..dataset.records import Dataset
from ..schema import SENSITIVITY_LEVELS
from ..store import Store, open_store

__all__ = ["App", "pass_app", "format_option", "sensitivity_option", "emit_json", "echo", "write_output", "table"]


@dataclass
class App:
    """What the global options select. The store is opened on first use and closed at exit."""

    data: Path | None = None
    store_kind: str = "memory"
    debug: bool = False
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.store_kind, self.data)
        return self._store

    def dataset(self, max_sensitivity: str = "confidential") -> Dataset:
        """The whole graph, without records above ``max_sensitivity``."""
        return self.store().dataset().filtered(max_sensitivity)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(App)


def format_option(*choices: str, default: str | None = None) -> Callable:
    choices = choices or ("text", "json")
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0],
                        show_default=True, help="Output format.")


def sensitivity_option(default: str = "public") -> Callable:
    return click.option(
        "--max-sensitivity", type=click.Choice(SENSITIVITY_LEVELS), default=default, show_default=True,
        help="Leave out every record above this sensitivity (nodes, relationships and anything that names them).",
    )


def write_output(text: str, output: str) -> None:
    """Write ``text`` to the file ``output`` atomically, or to stdout when ``output`` is '-'."""
    from ..output.files import write_atomic

    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def echo(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err)


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A plain aligned text table."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
