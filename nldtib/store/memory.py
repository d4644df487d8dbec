"""The embedded store: a dataset folder read into memory. It needs no server."""

from __future__ import annotations

from pathlib import Path

from ..dataset.reader import read_dataset
from ..dataset.records import Dataset

__all__ = ["MemoryStore"]


class MemoryStore:
    """The default store: the graph is read from a dataset folder (or given as a Dataset)."""

    name = "memory"

    def __init__(self, dataset: Dataset):
        self._dataset = dataset

    @classmethod
    def from_folder(cls, folder: str | Path) -> MemoryStore:
        return cls(read_dataset(folder))

    def describe(self) -> str:
        return f"memory store ({self._dataset.origin or 'in-memory dataset'})"

    def dataset(self) -> Dataset:
        return self._dataset

    def close(self) -> None:
        pass
