"""Property tests: the fast kernels against brute-force removal on random AND/OR graphs.

Random graphs have up to ~40 units: organisations, programmes, countries and materials, with
supply cycles, shared and sole-sourced items, materials and coverage gaps.
"""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib.analysis import chokepoints, whatif
from nldtib.analysis.critical import critical_sets
from nldtib.projection import build_projection

from analysis_fixtures import GraphBuilder, oracle_operational, supply_model

COUNTRIES = ["NL", "DE", "US", "CN"]


@st.composite
def supply_graphs(draw, max_orgs: int = 30):
    g = GraphBuilder()
    n_orgs = draw(st.integers(1, max_orgs))
    n_prog = draw(st.integers(1, 3))
    n_mat = draw(st.integers(0, 3))
    orgs = [f"o{i:02d}" for i in range(n_orgs)]
    progs = [f"p{i}" for i in range(n_prog)]
    mats = [f"m{i}" for i in range(n_mat)]
    items = [f"i{i}" for i in range(draw(st.integers(1, 6)))]
    for c in COUNTRIES:
        g.country(c)
    for o in orgs:
        g.org(o, draw(st.sampled_from([None, *COUNTRIES])))
    for p in progs:
        g.programme(p)
    for m in mats:
        g.material(m)
        for c in draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=2)):
            g.produces(c, m, draw(st.one_of(st.none(), st.floats(1, 60))))
    consumers = orgs + progs
    seen = set()
    for _ in range(draw(st.integers(0, 3 * (n_orgs + n_prog)))):
        src = draw(st.sampled_from(orgs))
        dst = draw(st.sampled_from(consumers))
        item = draw(st.sampled_from(items))
        if (src, dst, item) not in seen:
            seen.add((src, dst, item))
            g.supplies(src, dst, item)
    for _ in range(draw(st.integers(0, 3))):
        g.requires(draw(st.sampled_from(consumers)), draw(st.sampled_from(items + ["gap-item"])))
    if mats:
        for o in draw(st.lists(st.sampled_from(orgs), unique=True, max_size=4)):
            g.uses(o, draw(st.sampled_from(mats)))
    return g.dataset()


def _brute_crit(ds) -> dict[str, set[str]]:
    units, _ = supply_model(ds)
    down_by = {x: units - oracle_operational(ds, {x}) for x in units}
    return {u: {x for x in units if u in down_by[x]} for u in units}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs())
def test_crit_sets_equal_brute_force(ds):
    proj = build_projection(ds)
    truth = _brute_crit(ds)
    units = [i for i in range(proj.n) if proj.is_unit[i]]
    crit, _, _ = critical_sets(proj, units)
    for u in units:
        assert {proj.ids[x] for x in crit[u]} == truth[proj.ids[u]], proj.ids[u]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(), st.data())
def test_cascade_equals_brute_force(ds, data):
    units = sorted(supply_model(ds)[0])
    hit = data.draw(st.lists(st.sampled_from(units), unique=True, max_size=4))
    result = whatif(ds, disrupt=hit)
    assert set(result["failed"]) == set(units) - oracle_operational(ds, set(hit))
    _, slots = supply_model(ds)
    for u, chain in result["explanations"].items():
        assert chain[0] == u and chain[-1] in hit
        for a, b in pairwise(chain):  # each step: b provides a slot of a that lost everything
            assert any(b in ps and ps.isdisjoint(set(units) - set(result["failed"])) for ps in slots[a])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs())
def test_reported_critical_units_stop_the_target_and_others_do_not(ds):
    units, slots = supply_model(ds)
    result = chokepoints(ds)
    for t in result["targets"]:
        reported = {c["id"] for c in t["critical"]}
        for x in units - {t["id"]}:
            assert (t["id"] not in oracle_operational(ds, {x})) == (x in reported), (t["id"], x)
        for c in t["critical"]:
            path = c["path"]
            assert path[0] == t["id"] and path[-1] == c["id"]
            for a, b in pairwise(path):
                assert any(b in ps for ps in slots[a])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(max_orgs=12))
def test_critical_pairs_equal_brute_force(ds):
    units, _ = supply_model(ds)
    result = chokepoints(ds, order=2, budget=10_000)
    for t in result["targets"]:
        single = {c["id"] for c in t["critical"]} | {t["id"]}
        truth = sorted(
            sorted([x, y])
            for x, y in combinations(sorted(units - single), 2)
            if t["id"] not in oracle_operational(ds, {x, y})
        )
        assert t["pairs"] == truth
        assert t["order2"]["budget_hit"] is False


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs())
def test_array_chain_search_equals_the_plain_breadth_first_search(ds):
    from nldtib.analysis.kernels import explain_critical

    proj = build_projection(ds)
    units = [i for i in range(proj.n) if proj.is_unit[i]]
    crit, _, _ = critical_sets(proj, units)
    for t in units:
        for x in sorted(crit[t]):
            assert explain_critical(proj, crit, t, x) == _plain_chain(proj, crit, t, x)


def _plain_chain(proj, crit, target: int, x: int) -> tuple[list[int], list[int]]:
    """The reference: a plain breadth-first search through witness slots (every provider has x)."""
    parent: dict[int, tuple[int, int]] = {target: (-1, -1)}
    frontier = [target]
    while frontier and x not in parent:
        nxt = []
        for v in frontier:
            for s in proj.slots(v):
                ps = proj.providers(s).tolist()
                if not ps or not all(x in crit[p] for p in ps):
                    continue
                for p in ps:
                    if p not in parent:
                        parent[p] = (v, s)
                        nxt.append(p)
        frontier = nxt
    units, slots = [x], []
    while parent[units[-1]][0] >= 0:
        v, s = parent[units[-1]]
        slots.append(s)
        units.append(v)
    return units[::-1], slots[::-1]
