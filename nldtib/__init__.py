"""nldtib: map a national defence technological and industrial base as a supply-chain graph.

The library comes first; the ``nldtib`` command is a thin layer over it::

    >>> from nldtib import read_dataset, seed_dir
    >>> ds = read_dataset(seed_dir())
"""
from __future__ import annotations

__version__ = "0.1.0"

from .dataset.reader import read_dataset, validate_dataset  # noqa: E402
from .dataset.writer import write_dataset  # noqa: E402
from .errors import DatasetError, NldtibError  # noqa: E402
from .paths import schema_dir, seed_dir  # noqa: E402
from .dataset.records import Dataset, Node, Rel  # noqa: E402
from .schema import load_schema  # noqa: E402

__all__ = [
    "__version__", "read_dataset", "validate_dataset", "write_dataset", "DatasetError", "NldtibError",
    "schema_dir", "seed_dir", "Dataset", "Node", "Rel", "load_schema",
]
