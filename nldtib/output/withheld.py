"""Whether records withheld at a sensitivity limit bear on a target's critical set.

Outputs are computed on the filtered dataset, so no withheld record can influence a figure or
appear in one. What a reader of a shared output still needs to know is *that* the picture is
incomplete where it matters: this module answers, per target, one yes/no question, and nothing
more (not which record, not how many).
"""
from __future__ import annotations

from typing import Sequence

from ..analysis import chokepoints
from ..records import Dataset

__all__ = ["withheld_involvement"]


def _slot_item(slot: str) -> str | None:
    kind, _, ref = slot.partition(":")
    return ref if kind in ("item", "material") and ref else None


def withheld_involvement(full: Dataset, shown: Dataset, targets: Sequence[str] | None = None) -> dict[str, bool]:
    """For each target visible in ``shown``: True if a withheld record bears on its critical set.

    ``full`` is the dataset the caller may see in full, ``shown`` its filtered version. A target
    is flagged when its order-1 critical set computed on ``full`` contains, or explains itself
    through, a record missing from ``shown``, or when the visible part of that set differs from
    the one computed on ``shown`` (a withheld second source, say).
    """
    visible_targets = [t for t in (targets if targets is not None else [n.id for n in shown.nodes_with("Programme")]) if t in shown.nodes]
    if not visible_targets:
        return {}
    if len(full.nodes) == len(shown.nodes) and len(full.rels) == len(shown.rels):
        return {t: False for t in visible_targets}
    on_full = {t["id"]: t for t in chokepoints(full, visible_targets)["targets"]}
    on_shown = {t["id"]: t for t in chokepoints(shown, visible_targets)["targets"]}
    nodes = shown.nodes
    result = {}
    for t in visible_targets:
        involved = False
        for c in on_full[t]["critical"]:
            refs = [c["id"], *c["path"], *(_slot_item(s) for s in c.get("via", ()))]
            if any(r is not None and r not in nodes for r in refs):
                involved = True
                break
        if not involved:
            involved = {c["id"] for c in on_full[t]["critical"]} != {c["id"] for c in on_shown[t]["critical"]}
        result[t] = involved
    return result
