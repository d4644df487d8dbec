"""Blocs from data: which countries a ``--bloc`` argument names.

Coalitions are ``Bloc`` nodes and ``Country -MEMBER_OF-> Bloc`` rows (with accession and exit
dates, so the selection at ``--as-of`` keeps the memberships valid that day; the projection holds
them). A bloc argument is:

- ``ID``: the countries that are members of bloc ``ID`` (``eu``, ``nato``, a user's own bloc);
- ``A+B``: the countries that are members of ``A`` or of ``B``;
- ``non-ID`` and ``non-A+B``: the countries that are members of none of them (``non-eu+nato``:
  neither EU nor NATO). ``non-eu-nato`` is kept as the name of ``non-eu+nato``.
"""

from __future__ import annotations

import numpy as np

from ..dataset.records import Dataset
from ..dataset.search import not_found, suggest
from ..errors import UsageError
from ..projection import Projection

__all__ = ["bloc_countries", "ALIASES", "NON"]

ALIASES = {"non-eu-nato": "non-eu+nato"}
NON = "non-"


def _bloc_ids(ds: Dataset, spec: str) -> list[str]:
    names = [part.strip() for part in spec.split("+")]
    for name in names:
        if not name:
            raise UsageError(f"bloc {spec!r}: empty name; write for example eu, non-nato or non-eu+nato")
        node = ds.nodes.get(name)
        if node is None or node.label != "Bloc":
            raise not_found("bloc", name, suggest(ds, name, ("Bloc",)))
    return names


def bloc_countries(ds: Dataset, proj: Projection, bloc: str) -> list[int]:
    """The country nodes (projection indices) that ``bloc`` names; see the module docstring.

    An unknown bloc is a :class:`~nldtib.errors.NotFoundError` with suggestions.
    """
    spec = ALIASES.get(bloc, bloc)
    negate = spec.startswith(NON) and spec not in ds.nodes
    ids = _bloc_ids(ds, spec[len(NON) :] if negate else spec)
    countries = proj.nodes_with("Country")
    member = np.zeros(proj.n, dtype=bool)
    for bloc_id in ids:
        member |= proj.members(bloc_id)
    chosen = countries[~member[countries]] if negate else countries[member[countries]]
    return [int(c) for c in chosen]
