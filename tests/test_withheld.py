"""The withheld-records check: the fast path (a full-data pass only for the targets a withheld
supply record touches upstream) gives exactly the answer of the full pass on every target."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib import generate
from nldtib.analysis.critical import critical_sets
from nldtib.analysis.withheld import touched_targets, withheld_involvement
from nldtib.dataset.classification import select
from nldtib.dataset.records import Dataset
from nldtib.projection import build_projection

BASES = {seed: generate(150, seed, sensitivity=False) for seed in range(3)}


def full_pass(full: Dataset, shown: Dataset, targets: list[str], min_share: float) -> dict[str, bool]:
    """The reference: order-1 critical sets of every target on both datasets, compared."""

    def crit(ds: Dataset) -> dict[str, set[str]]:
        proj = build_projection(ds)
        idx = [proj.index[t] for t in targets]
        sets = critical_sets(proj, idx, min_share).crit
        return {proj.ids[t]: {proj.ids[x] for x in sets[t] if x != t} for t in idx}

    on_full, on_shown = crit(full), crit(shown)
    return {
        t: any(x not in shown.nodes for x in on_full[t]) or {x for x in on_full[t] if x in shown.nodes} != on_shown[t]
        for t in targets
    }


def _confidential(base: Dataset, nodes: list[int], rels: list[int]) -> Dataset:
    ids = list(base.nodes)
    secret = {ids[i % len(ids)] for i in nodes}
    secret_rels = {i % len(base.rels) for i in rels}
    return Dataset(
        base.schema,
        {
            i: replace(n, props={**n.props, "sensitivity": "confidential"}) if i in secret else n
            for i, n in base.nodes.items()
        },
        [
            replace(r, props={**r.props, "sensitivity": "confidential"}) if k in secret_rels else r
            for k, r in enumerate(base.rels)
        ],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(sorted(BASES)),
    nodes=st.lists(st.integers(0, 10**6), max_size=3),
    rels=st.lists(st.integers(0, 10**6), max_size=4),
    min_share=st.sampled_from([0, 30]),
)
def test_fast_path_equals_the_full_pass(seed, nodes, rels, min_share):
    everything = _confidential(BASES[seed], nodes, rels)
    full, shown = select(everything, "confidential"), select(everything, "public")
    targets = sorted(p.id for p in shown.nodes_with("Programme"))
    fast = withheld_involvement(full, shown, targets, build_projection(shown), min_share)
    assert fast == full_pass(full, shown, targets, min_share)


def test_both_paths_are_exercised():
    """A secret supplier upstream of one programme only: that programme takes the full pass
    (and is flagged), the others are answered without it."""
    base = BASES[0]
    programmes = sorted(p.id for p in base.nodes_with("Programme"))
    target = programmes[0]
    direct = [k for k, r in enumerate(base.rels) if r.type == "SUPPLIES" and r.dst == target]
    everything = _confidential(base, [], direct)
    full, shown = select(everything, "confidential"), select(everything, "public")
    proj = build_projection(shown)
    touched = touched_targets(full, shown, programmes, proj)
    assert target in touched and len(touched) < len(programmes)
    calls = []
    fast = withheld_involvement(
        full, shown, programmes, proj, full_projection=lambda: calls.append(1) or build_projection(full)
    )
    assert fast == full_pass(full, shown, programmes, 0) and fast[target] is True and calls == [1]
    nothing = withheld_involvement(base, base, programmes)
    assert nothing == dict.fromkeys(programmes, False)
