"""Critical sets on large supply cycles and every analysis on a 50,000-deep sole-source chain.

The judge on cycles is the definition itself: ``x`` is in ``crit(u)`` iff the cascade of ``x``'s
loss takes ``u`` down (the cascade kernel is checked against brute force in
test_analysis_properties.py). The deep chain checks that nothing recurses and that the memory
the crit sets take is linear in the chain (structural counts, never wall time).
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib.analysis import chokepoints, dependencies, exposure, whatif
from nldtib.analysis.cascade import cascade
from nldtib.analysis.critical import critical_sets
from nldtib.analysis.kernels import Explainer, solve_crit
from nldtib.projection import build_projection

from analysis_fixtures import GraphBuilder

COUNTRIES = ["NL", "DE", "US", "CN"]


@st.composite
def cyclic_bases(draw):
    """A few hundred organisations supplying each other at random: one large strongly connected
    component, with sole sources (loops of them too), dual sources and shared countries."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(60, 300))
    sole = draw(st.sampled_from([0.3, 0.5, 0.7]))
    g = GraphBuilder()
    orgs = [
        g.org(f"o{i:03d}", COUNTRIES[rng.integers(len(COUNTRIES))] if rng.random() < 0.7 else None) for i in range(n)
    ]
    for k in range(3):
        g.programme(f"P{k}")
        for j in rng.choice(n, size=3, replace=False).tolist():
            g.supplies(orgs[j], f"P{k}", f"sys{j}")
    for i, o in enumerate(orgs):
        for s in range(int(rng.integers(1, 4))):
            k = 1 if rng.random() < sole else int(rng.integers(2, 4))
            for j in rng.choice(n, size=k, replace=False).tolist():
                if j != i:
                    g.supplies(orgs[j], o, f"part{i}-{s}")
    return g.dataset()


def _crit_by_cascade(proj, units):
    """crit(u) by definition: one cascade per unit."""
    out = {u: {u} for u in units}
    for x in units:
        for u in np.flatnonzero(cascade(proj, [x]).down).tolist():
            if u in out:
                out[u].add(x)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cyclic_bases())
def test_crit_sets_on_large_cycles_equal_one_cascade_per_unit(ds):
    proj = build_projection(ds)
    units = [i for i in range(proj.n) if proj.is_unit[i]]
    sets = critical_sets(proj, units)
    assert max(map(len, sets.components)) >= 50  # the case this test is about
    truth = _crit_by_cascade(proj, units)
    flat = [None] * proj.n
    solve_crit(proj, sets.components, flat)
    for u in units:
        assert set(sets.crit[u]) == truth[u], proj.ids[u]
        assert set(flat[u]) == truth[u], proj.ids[u]
        for x in units:
            assert (x in sets.crit[u]) == (x in truth[u])


def _chain(depth: int):
    """P <- o0 <- o1 <- ... <- o(depth-1), each the sole supplier of the next, all in NL."""
    g = GraphBuilder()
    g.programme("P")
    prev = "P"
    for i in range(depth):
        o = g.org(f"o{i:05d}", "NL")
        g.supplies(o, prev, f"i{i:05d}")
        prev = o
    return g.dataset()


DEPTH = 50_000


def test_a_50000_deep_chain_in_every_analysis():
    ds = _chain(DEPTH)
    proj = build_projection(ds)
    p = proj.index["P"]
    deepest = f"o{DEPTH - 1:05d}"

    sets = critical_sets(proj, [p])
    assert len(sets.crit[p]) == DEPTH + 2  # P, every organisation, NL
    assert sum(len(e) for e in sets.crit.extra if e) <= 2 * (DEPTH + 2)  # linear, not d²/2
    assert proj.index[deepest] in sets.crit[proj.index["o00001"]]
    assert proj.index["o00001"] not in sets.crit[proj.index[deepest]]

    result = chokepoints(ds, limit=3, projection=proj, crit_sets=sets)
    (t,) = result["targets"]
    assert t["critical_count"] == DEPTH + 1
    assert [c["id"] for c in t["critical"]] == ["NL", "o00000", "o00001"]
    assert t["critical"][0]["path"] == ["P", "o00000", "NL"]
    units, slots = Explainer(proj, sets.crit).chain(p, proj.index[deepest])
    assert len(units) == DEPTH + 1 and proj.ids[units[-2]] == f"o{DEPTH - 2:05d}" and len(slots) == DEPTH
    assert len(t["sole_source"]) == 3 and t["sole_source_count"] == 2 * DEPTH
    assert len(result["impact"]) == DEPTH + 1

    hit = whatif(ds, [deepest], projection=proj, explain=False)
    assert hit["counts"]["failed"] == DEPTH + 1 and hit["programmes_failed"] == ["P"]
    chained = whatif(ds, ["o00002"], projection=proj)
    assert chained["explanations"]["P"] == ["P", "o00000", "o00001", "o00002"]
    shown = whatif(ds, [deepest], projection=proj, explain_limit=3)  # what the text view asks
    assert list(shown["explanations"]) == ["P", "o00000", "o00001"]
    assert len(shown["explanations"]["o00001"]) == DEPTH - 1 and len(shown["causes"]) == DEPTH

    up = dependencies(ds, "o00010", "down", projection=proj)
    assert [n["id"] for n in up["nodes"]][-1] == "P" and up["nodes"][-1]["tier"] == 11
    down = dependencies(ds, "P", depth=5, projection=proj)
    assert [n["tier"] for n in down["nodes"]] == [1, 2, 2, 3, 4, 5]

    exp = exposure(ds, projection=proj, crit_sets=sets)
    (e,) = exp["targets"]
    assert e["organisations"] == DEPTH and e["countries"] == {"NL": 1.0}


def test_text_views_of_a_deep_chain_explain_only_what_they_show(run, tmp_path):
    """Issue 15 item 9: the text views of whatif and chokepoints list LIMIT units and build only
    those chains (the JSON keeps every one)."""
    from nldtib.cli.analysis import LIMIT
    from nldtib.dataset.writer import write_dataset

    depth = 2_000
    folder = write_dataset(_chain(depth), tmp_path / "deep")
    out = run("--data", str(folder), "whatif", "--disrupt", f"o{depth - 1:05d}")
    assert out.exit_code == 0, out.output
    chains = [line for line in out.output.splitlines() if "chain: " in line]
    assert len(chains) == LIMIT and chains[0].startswith("  P  lost item:i00000")
    assert f"... and {depth - LIMIT} more" in out.output
    out = run("--data", str(folder), "chokepoints")
    assert out.exit_code == 0, out.output
    chains = [line for line in out.output.splitlines() if "chain: " in line]
    assert len(chains) == LIMIT and out.output.startswith(f"P (P): {depth + 1} single points of failure")
    full = json.loads(run("--data", str(folder), "chokepoints", "--format", "json").output)
    assert len(full["targets"][0]["critical"]) == depth + 1
