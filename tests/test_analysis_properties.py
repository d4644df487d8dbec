"""Property tests: the fast kernels against brute-force removal on random AND/OR graphs.

Random graphs have up to ~40 units: organisations, programmes, countries and materials, with
supply cycles, shared and sole-sourced items, materials with one or two production stages,
recorded and unknown shares, rows valid only in some years, and coverage gaps. Threshold gates
(``min_share``) and the as-of selection are checked against the oracles of analysis_fixtures.
"""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib.analysis import chokepoints, whatif
from nldtib.analysis.critical import critical_sets
from nldtib.dataset.classification import current, select
from nldtib.dataset.records import Dataset
from nldtib.projection import build_projection

from analysis_fixtures import GraphBuilder, named_slots, oracle_operational, satisfied, supply_model

COUNTRIES = ["NL", "DE", "US", "CN"]
SHARES = st.one_of(st.none(), st.sampled_from([5.0, 10.0, 20.0, 25.5, 40.0, 60.0]))
PERIODS = st.sampled_from(
    [{}, {}, {}, {"valid_to": "2020"}, {"valid_from": "2021-06"}, {"valid_from": "2010", "valid_to": "2030-01-01"}]
)
THRESHOLDS = st.sampled_from([0, 0, 15, 30, 50.5])


@st.composite
def supply_graphs(draw, max_orgs: int = 30, dated: bool = False):
    g = GraphBuilder()
    n_orgs = draw(st.integers(1, max_orgs))
    n_prog = draw(st.integers(1, 3))
    n_mat = draw(st.integers(0, 3))
    orgs = [f"o{i:02d}" for i in range(n_orgs)]
    progs = [f"p{i}" for i in range(n_prog)]
    mats = [f"m{i}" for i in range(n_mat)]
    items = [f"i{i}" for i in range(draw(st.integers(1, 6)))]

    def period() -> dict:
        return draw(PERIODS) if dated else {}

    for c in COUNTRIES:
        g.country(c)
    for o in orgs:
        g.org(o, draw(st.sampled_from([None, *COUNTRIES])))
    for p in progs:
        g.programme(p)
    for m in mats:
        g.material(m)
        for c in draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=3)):
            for stage in draw(st.lists(st.sampled_from(["extraction", "processing"]), unique=True, min_size=1)):
                g.produces(c, m, draw(SHARES), stage, **period())
    consumers = orgs + progs
    seen = set()
    for _ in range(draw(st.integers(0, 3 * (n_orgs + n_prog)))):
        src = draw(st.sampled_from(orgs))
        dst = draw(st.sampled_from(consumers))
        item = draw(st.sampled_from(items))
        if (src, dst, item) not in seen:
            seen.add((src, dst, item))
            g.supplies(src, dst, item, share_pct=draw(SHARES), **period())
    for _ in range(draw(st.integers(0, 3))):
        g.requires(draw(st.sampled_from(consumers)), draw(st.sampled_from(items + ["gap-item"])))
    if mats:
        for o in draw(st.lists(st.sampled_from(orgs), unique=True, max_size=4)):
            g.uses(o, draw(st.sampled_from(mats)))
    return g.dataset()


def _brute_crit(ds, min_share: float = 0) -> tuple[dict[str, set[str]], set[str]]:
    """Crit sets by brute force, and the units down with nothing lost."""
    units, _ = supply_model(ds)
    down_by = {x: units - oracle_operational(ds, {x}, min_share) for x in units}
    base_down = units - oracle_operational(ds, set(), min_share)
    return {u: {x for x in units if u in down_by[x]} for u in units}, base_down


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(), THRESHOLDS)
def test_crit_sets_equal_brute_force(ds, min_share):
    proj = build_projection(ds)
    truth, base_down = _brute_crit(ds, min_share)
    units = [i for i in range(proj.n) if proj.is_unit[i]]
    crit, _, _, gate = critical_sets(proj, units, min_share)
    down = {proj.ids[i] for i in units if gate is not None and gate.base_down[i]}
    assert down == base_down
    for u in units:
        if proj.ids[u] not in base_down:
            assert {proj.ids[x] for x in crit[u]} == truth[proj.ids[u]], proj.ids[u]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(), THRESHOLDS, st.data())
def test_cascade_equals_brute_force(ds, min_share, data):
    units = sorted(supply_model(ds)[0])
    hit = data.draw(st.lists(st.sampled_from(units), unique=True, max_size=4))
    result = whatif(ds, disrupt=hit, min_share=min_share)
    up = oracle_operational(ds, set(hit), min_share)
    assert set(result["failed"]) == set(units) - up
    _, slots = supply_model(ds)
    base_up = oracle_operational(ds, set(), min_share)
    for u, chain in result["explanations"].items():
        assert chain[0] == u and (chain[-1] in hit or u not in base_up or chain[-1] not in base_up)
        for a, b in pairwise(chain):  # each step: b provides a slot of a that failed
            assert any(b in ps and not satisfied(ps, up, min_share) for ps in slots[a])
    named = named_slots(ds)
    for u, cause in result["causes"].items():  # complete: the slot, every provider lost
        ps = named[(u, cause["slot"])]
        assert len(ps) == cause["providers"] and not satisfied(_hundredths(ps), up, min_share)
        assert set(cause["lost"]) <= set(result["failed"]) & set(ps)
        if "remaining_share_pct" not in cause:
            assert sorted(cause["lost"]) == sorted(ps)
    for sh in result["shortages"]:  # cut, still satisfied
        assert sh["lost"] and set(sh["lost"]) <= set(result["failed"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    supply_graphs(dated=True), st.sampled_from(["2005-01-01", "2019-12-31", "2020-01-01", "2021-06-01", "2031-01-01"])
)
def test_as_of_equals_the_rows_valid_that_day(ds, as_of):
    """Selecting at a date, then analysing, equals analysing only the rows the oracle keeps."""
    kept = Dataset(ds.schema, ds.nodes, [r for r in ds.rels if _valid(r.props, as_of)], "oracle")
    chosen = select(ds, as_of=as_of)
    assert sorted(map(repr, chosen.rels)) == sorted(map(repr, kept.rels))
    units = sorted(supply_model(kept)[0])
    for x in units[:6]:
        assert set(whatif(chosen, disrupt=[x])["failed"]) == set(units) - oracle_operational(kept, {x})
    assert current({"valid_from": as_of}, as_of) and not current({"valid_to": as_of}, as_of)


def _hundredths(providers: dict) -> dict:
    return {p: None if v is None else int(round(v * 100)) for p, v in providers.items()}


def _valid(props, day: str) -> bool:
    """The oracle's own reading of validity: years and months start on their first day."""

    def pad(d: str) -> str:
        return {4: d + "-01-01", 7: d + "-01"}.get(len(d), d)

    return pad(props.get("valid_from", "0000")) <= day < pad(props.get("valid_to", "9999"))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(), THRESHOLDS)
def test_reported_critical_units_stop_the_target_and_others_do_not(ds, min_share):
    units, slots = supply_model(ds)
    result = chokepoints(ds, min_share=min_share)
    base_up = oracle_operational(ds, set(), min_share)
    for t in result["targets"]:
        assert t["operational"] is (t["id"] in base_up)
        if not t["operational"]:
            assert t["critical"] == []
            continue
        reported = {c["id"] for c in t["critical"]}
        for x in units - {t["id"]}:
            assert (t["id"] not in oracle_operational(ds, {x}, min_share)) == (x in reported), (t["id"], x)
        for c in t["critical"]:
            path = c["path"]
            assert path[0] == t["id"] and path[-1] == c["id"]
            for a, b in pairwise(path):
                assert any(b in ps for ps in slots[a])
        for sole in t["sole_source"]:  # the only provider is a critical unit, never the target itself
            assert sole["provider"] in reported and sole["provider"] != t["id"]


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
    crit = critical_sets(proj, units).crit
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
