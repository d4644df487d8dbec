"""nldtib: map a national defence technological and industrial base as a supply-chain graph.

The library comes first; the ``nldtib`` command is a thin layer over it. The front door is
:class:`Session`::

    >>> import nldtib
    >>> s = nldtib.Session()                          # the shipped seed, memory store, public records
    >>> r = s.whatif(materials=["gallium"])
    >>> "gallium" in r.to_dict()["failed"]
    True

Names are imported on first use, so ``import nldtib`` (and ``nldtib --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Session": "session",
    "Report": "session",
    "read_dataset": "dataset.reader",
    "validate_dataset": "dataset.reader",
    "write_dataset": "dataset.writer",
    "Dataset": "dataset.records",
    "Node": "dataset.records",
    "Rel": "dataset.records",
    "load_schema": "schema",
    "schema_dir": "paths",
    "seed_dir": "paths",
    "generate": "synthetic",
    "NldtibError": "errors",
    "DatasetError": "errors",
    "NotFoundError": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nldtib' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
