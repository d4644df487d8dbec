"""The one exception hierarchy of nldtib.

Every error the library raises on purpose is an :class:`NldtibError`. The CLI turns it into a
single ``Error: ...`` line on stderr and exit code 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NldtibError",
    "SchemaError",
    "Issue",
    "DatasetError",
    "NotFoundError",
    "StoreError",
    "ConfigError",
    "QueryError",
    "UsageError",
    "OutputError",
]


class NldtibError(Exception):
    """Base class of every error nldtib raises on purpose."""


class SchemaError(NldtibError):
    """The schema declaration in ``schema/`` is broken."""


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a dataset, with its location: ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DatasetError(NldtibError):
    """A dataset failed validation. ``issues`` holds every problem found, in file order."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        first = str(self.issues[0]) if self.issues else "invalid dataset"
        more = len(self.issues) - 1
        suffix = (
            f" (and {more} more error{'s' if more != 1 else ''}; run `nldtib validate` to list them)" if more else ""
        )
        super().__init__(first + suffix)


class NotFoundError(NldtibError):
    """A node id or other name given by the user does not exist."""


class StoreError(NldtibError):
    """The store (for example the Neo4j server) cannot be reached or refused a request."""


class ConfigError(NldtibError):
    """A setting (an environment variable, a ``.env`` file, a store kind) is missing or unknown.

    The CLI exits with code 2 for it, as for a wrong command line."""


class UsageError(NldtibError):
    """An argument has a value the library cannot use (an unknown label, format or bloc).

    The CLI exits with code 2 for it, as for a wrong command line."""


class OutputError(NldtibError):
    """An output cannot be written where it was asked for (a non-empty folder, say)."""


class QueryError(NldtibError):
    """A user query was refused or failed."""
