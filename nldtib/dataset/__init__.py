"""Datasets: the records, their validation types, the folder reader and writer, and name search."""

from __future__ import annotations

from .reader import read_dataset, validate_dataset
from .records import Dataset, Node, Rel
from .writer import write_dataset

__all__ = ["read_dataset", "validate_dataset", "write_dataset", "Dataset", "Node", "Rel"]
