"""Helpers shared by the analyses: the projection of a dataset, and id lookup with suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..dataset.records import Dataset
from ..dataset.search import not_found, resolve_id, suggest
from ..projection import Projection, build_projection

__all__ = ["projection_of", "resolve", "summary"]


def projection_of(ds: Dataset, projection: Projection | None) -> Projection:
    """``projection`` if given (built from ``ds``), else a new one. The session builds one per
    dataset and passes it to every analysis; nothing is cached on the dataset."""
    return projection if projection is not None else build_projection(ds)


def resolve(
    ds: Dataset, proj: Projection, node_id: str, labels: Iterable[str] | None = None, what: str = "node"
) -> int:
    """The projection index of ``node_id``; NotFoundError (with suggestions) if it is not one."""
    labels = tuple(labels) if labels else None
    resolve_id(ds, node_id, labels, what)
    if node_id not in proj.index:
        raise not_found(what, node_id, suggest(ds, node_id, labels))
    return proj.index[node_id]


def summary(ds: Dataset, node_id: str) -> dict[str, Any]:
    return ds.nodes[node_id].summary()
