"""Progress of long work (reading a large dataset, generating one, a report at scale).

Library code says how far it is with :func:`report`; whoever listens draws it. The command line
listens only when standard error is a terminal, and draws one line that it clears at the end
(:mod:`nldtib.cli.progress`); otherwise, and in a notebook, nobody listens and :func:`report`
costs one lookup. Listening is per context (a :class:`~contextvars.ContextVar`), so concurrent
sessions do not mix their progress.

>>> seen = []
>>> with listening(lambda stage, done, total: seen.append((stage, done, total))):
...     report("reading", 1, 4)
>>> report("nobody listens now")
>>> seen
[('reading', 1, 4)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Listener", "report", "listening"]

Listener = Callable[[str, int, int], None]  # (stage, done, total)
_listener: ContextVar[Listener | None] = ContextVar("nldtib_progress", default=None)


def report(stage: str, done: int = 0, total: int = 1) -> None:
    """Tell the listener, if any, that ``stage`` is ``done`` of ``total`` steps along."""
    listener = _listener.get()
    if listener is not None:
        listener(stage, done, total)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send every :func:`report` in this context to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
