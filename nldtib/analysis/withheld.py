"""Whether records withheld at a sensitivity limit bear on a target's critical set.

Outputs are computed on the filtered dataset, so no withheld record can influence a figure or
appear in one. What a reader of a shared output still needs to know is *that* the picture is
incomplete where it matters: this module answers, per target, one yes/no question, and nothing
more (not which record, not how many).

A target's critical set depends only on its upstream closure: the units it depends on, their
slots and their providers. Every slot belongs to the consumer end of the supply relationships
that feed it (the schema's supply roles), so a withheld record can change the answer only if a
withheld supply relationship (or one left out with a withheld end or item) feeds a visible unit
upstream of the target.
The full-data pass (a second projection and critical sets on every record) runs only for the
targets downstream of such a unit; the others are answered False at the cost of one count of
the supply relationships and one downstream walk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..dataset.records import Dataset
from ..projection import Projection
from ._common import projection_of
from .critical import CritSets, critical_sets
from .kernels import closure

__all__ = ["withheld_involvement", "touched_targets"]


def _crit_ids(
    proj: Projection, targets: Sequence[str], min_share: float = 0, crit_sets: CritSets | None = None
) -> dict[str, set[str]]:
    """Order-1 critical set (ids, the target excluded) of each target; ``crit_sets`` when given
    must cover the targets (critical sets of a superset of them)."""
    idx = [proj.index[t] for t in targets if t in proj.index]
    crit = (crit_sets if crit_sets is not None else critical_sets(proj, idx, min_share)).crit
    ids = proj.ids
    return {ids[t]: {ids[x] for x in crit[t] if x != t} for t in idx}


def _consumed(ds: Dataset) -> np.ndarray:
    """Per node (dataset index): how many supply relationships feed its slots (it is their
    consumer end, by the schema's supply roles). Read from the columns."""
    n = len(ds.ids)
    out = np.zeros(n, dtype=np.int64)
    for rel_type, role in ds.schema.supply_types.items():
        table = ds.rel_tables.get(rel_type)
        if table is not None:
            ends = table.dst if role.consumer == "to" else table.src
            out += np.bincount(np.minimum(ends, n), minlength=n + 1)[:n]
    return out


def touched_targets(full: Dataset, shown: Dataset, targets: Sequence[str], projection: Projection) -> list[str]:
    """The targets with a visible unit upstream whose slots a withheld supply relationship feeds
    (the consumer end, by the schema's supply roles, of a supply relationship of ``full`` that
    ``shown`` lacks: a unit that consumes fewer of them in ``shown``). ``projection`` is that of
    ``shown``. O(R) to count the consumers, plus one downstream walk."""
    fed = _consumed(full)  # per node of full: the supply relationships it consumes, less in shown
    pos, shown_fed = full.index_of(shown.ids), _consumed(shown)
    np.subtract.at(fed, pos[pos >= 0], shown_fed[pos >= 0])
    index = projection.index
    touched = {index[x] for x in full.ids.take(np.flatnonzero(fed > 0)).to_pylist() if x in index}
    if not touched:
        return []
    below = closure(projection, touched, "down")
    return [t for t in targets if t in index and below[index[t]]]


def withheld_involvement(
    full: Dataset,
    shown: Dataset,
    targets: Sequence[str] | None = None,
    projection: Projection | None = None,
    min_share: float = 0,
    full_projection: Projection | Callable[[], Projection] | None = None,
    crit_sets: CritSets | None = None,
) -> dict[str, bool]:
    """For each target visible in ``shown``: True if a withheld record bears on its critical set.

    ``full`` is the dataset the caller may see in full, ``shown`` its filtered version (a subset
    of its records). A target is flagged when its order-1 critical set computed on ``full``
    contains a unit missing from ``shown``, or when the visible part of that set differs from the
    one computed on ``shown`` (a withheld second source, say). Only the critical sets are
    computed, not their chains, and on ``full`` only for the targets a withheld supply record
    touches upstream (see :func:`touched_targets`).

    ``projection`` is that of ``shown`` and ``full_projection`` that of ``full`` (or a function
    that builds it, called only when needed), when the caller has them; ``crit_sets`` are the
    critical sets on ``shown`` of the targets or more; ``min_share`` makes the slots threshold
    gates, as in the analysis.
    """
    visible_targets = [
        t
        for t in (targets if targets is not None else [n.id for n in shown.nodes_with("Programme")])
        if t in shown.nodes
    ]
    if not visible_targets:
        return {}
    result = dict.fromkeys(visible_targets, False)
    if len(full.nodes) == len(shown.nodes) and len(full.rels) == len(shown.rels):
        return result
    proj = projection_of(shown, projection)
    touched = touched_targets(full, shown, visible_targets, proj)
    if not touched:
        return result
    full_proj = full_projection() if callable(full_projection) else projection_of(full, full_projection)
    on_full = _crit_ids(full_proj, touched, min_share)
    on_shown = _crit_ids(proj, touched, min_share, crit_sets)
    nodes = shown.nodes
    for t in touched:
        crit_full = on_full.get(t, set())
        hidden = any(x not in nodes for x in crit_full)
        result[t] = hidden or {x for x in crit_full if x in nodes} != on_shown.get(t, set())
    return result
