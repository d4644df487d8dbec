"""Whether records withheld at a sensitivity limit bear on a target's critical set.

Outputs are computed on the filtered dataset, so no withheld record can influence a figure or
appear in one. What a reader of a shared output still needs to know is *that* the picture is
incomplete where it matters: this module answers, per target, one yes/no question, and nothing
more (not which record, not how many).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..dataset.records import Dataset
from ..projection import Projection
from ._common import projection_of
from .critical import critical_sets

__all__ = ["withheld_involvement"]


def _crit_ids(
    ds: Dataset, targets: Sequence[str], proj: Projection | None = None, min_share: float = 0
) -> dict[str, set[str]]:
    """Order-1 critical set (ids, the target excluded) of each target on ``ds``."""
    proj = projection_of(ds, proj)
    idx = [proj.index[t] for t in targets if t in proj.index]
    crit = critical_sets(proj, idx, min_share).crit
    ids = proj.ids
    return {ids[t]: {ids[x] for x in crit[t] if x != t} for t in idx}


def withheld_involvement(
    full: Dataset,
    shown: Dataset,
    targets: Sequence[str] | None = None,
    projection: Projection | None = None,
    min_share: float = 0,
    full_projection: Projection | None = None,
) -> dict[str, bool]:
    """For each target visible in ``shown``: True if a withheld record bears on its critical set.

    ``full`` is the dataset the caller may see in full, ``shown`` its filtered version. A target
    is flagged when its order-1 critical set computed on ``full`` contains a unit missing from
    ``shown``, or when the visible part of that set differs from the one computed on ``shown``
    (a withheld second source, say). Only the critical sets are computed, not their chains.
    ``projection`` is that of ``shown`` and ``full_projection`` that of ``full``, when the caller
    has them; ``min_share`` makes the slots threshold gates, as in the analysis.
    """
    visible_targets = [
        t
        for t in (targets if targets is not None else [n.id for n in shown.nodes_with("Programme")])
        if t in shown.nodes
    ]
    if not visible_targets:
        return {}
    if len(full.nodes) == len(shown.nodes) and len(full.rels) == len(shown.rels):
        return dict.fromkeys(visible_targets, False)
    on_full = _crit_ids(full, visible_targets, full_projection, min_share)
    on_shown = _crit_ids(shown, visible_targets, projection, min_share)
    nodes = shown.nodes
    result = {}
    for t in visible_targets:
        crit_full = on_full.get(t, set())
        hidden = any(x not in nodes for x in crit_full)
        result[t] = hidden or {x for x in crit_full if x in nodes} != on_shown.get(t, set())
    return result
