"""Coverage: what the directory does not know yet.

- requirement slots with no known provider (a needed item nobody is recorded to supply, a
  material with no producing country): these are treated as satisfied by every other analysis,
  because nothing known can disrupt them, so they are listed here instead of being hidden;
- organisations with no location (no LOCATED_IN): invisible to country disruptions and exposure;
- programmes with no supply data (nothing supplied to them, nothing required): every analysis
  would call them safe.

O(N + S).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dataset.records import Dataset
from ..projection import Projection
from ._common import projection_of

__all__ = ["gaps"]


def gaps(ds: Dataset, projection: Projection | None = None) -> dict[str, Any]:
    """Coverage gaps: ``{"slots": [{"unit", "label", "slot"}], "unlocated": [ids],
    "programmes_without_supply": [ids], "counts": {...}}``, sorted by id."""
    proj = projection_of(ds, projection)
    ids = proj.ids
    empty = np.flatnonzero(proj.n_providers() == 0)
    slots = [
        {"unit": ids[proj.slot_owner[s]], "label": proj.label_of(proj.slot_owner[s]), "slot": proj.slot_name(int(s))}
        for s in empty
    ]
    orgs = proj.nodes_with("Organisation")
    unlocated = [ids[i] for i in orgs[proj.country[orgs] < 0]]
    programmes = proj.nodes_with("Programme")
    nslots = np.diff(proj.slot_ptr)
    bare = [ids[i] for i in programmes[nslots[programmes] == 0]]
    return {
        "slots": slots,
        "unlocated": unlocated,
        "programmes_without_supply": bare,
        "counts": {
            "slots": int(proj.n_slots),
            "slots_without_provider": len(slots),
            "organisations": len(orgs),
            "unlocated": len(unlocated),
            "programmes": len(programmes),
            "programmes_without_supply": len(bare),
        },
    }
