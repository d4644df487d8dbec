"""A progress bar on standard error, drawn only when standard error is a terminal.

``terminal_progress()`` listens to :mod:`nldtib.progress` for the length of a command: one line,
``stage [#####.....] 3/10  12 s``, redrawn in place at most ten times a second and cleared at the
end, so that what the command prints afterwards (and any error) stands alone. When standard error
is not a terminal (a pipe, a file, a test), nothing is drawn. ``bar(label)`` gives the same for a
task that counts its own steps (``db load`` calls ``update(done, total)``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..progress import listening

__all__ = ["stderr_is_terminal", "TerminalBar", "terminal_progress", "bar", "clear_line"]

WIDTH = 24
_active: list[TerminalBar] = []  # the bar being drawn, cleared before the command prints


def stderr_is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class TerminalBar:
    """Draws ``(stage, done, total)`` on one line of ``stream``."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self.start = time.monotonic()
        self.last = 0.0
        self.width = 0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < self.interval and done < total:
            return
        self.stage, self.last = stage, now
        total = max(total, 1)
        filled = min(WIDTH, WIDTH * max(done, 0) // total)
        line = f"{stage} [{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,}  {now - self.start:.0f} s"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


@contextmanager
def terminal_progress(stream: TextIO | None = None) -> Iterator[TerminalBar | None]:
    """Draw the progress reported inside this block, if ``stream`` (stderr) is a terminal."""
    if not stderr_is_terminal(stream):
        yield None
        return
    drawer = TerminalBar(stream)
    _active.append(drawer)
    try:
        with listening(drawer):
            yield drawer
    finally:
        _active.remove(drawer)
        drawer.clear()


def clear_line() -> None:
    """Clear the bar, if one is drawn, so that a message printed now stands on its own line (the
    next progress report draws it again)."""
    for drawer in _active:
        drawer.clear()


class bar:
    """A bar for a task that counts its own steps; draws nothing unless stderr is a terminal."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.drawer = TerminalBar(stream) if stderr_is_terminal(stream) else None

    def update(self, done: int, total: int) -> None:
        if self.drawer is not None:
            self.drawer(self.label, done, total)

    def __enter__(self) -> bar:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.drawer is not None:
            self.drawer.clear()
