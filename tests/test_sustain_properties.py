"""Property tests of the time to survive: agreement with whatif, monotonicity, and a cross-check
against a discrete weekly simulation on small random supply trees."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib.analysis import whatif
from nldtib.analysis.sustain import survive
from nldtib.analysis.sustain_model import build_model
from nldtib.dataset.records import Rel
from nldtib.projection import build_projection

from analysis_fixtures import GraphBuilder
from test_analysis_properties import COUNTRIES, THRESHOLDS, supply_graphs

FIGURE = st.one_of(st.none(), st.floats(0.5, 12).map(lambda x: round(x, 2)))


def _tts(ds, **kw) -> dict[str, float | None]:
    proj = build_projection(ds)
    return {p["id"]: p["tts_months"] for p in survive(ds, proj, build_model(ds, proj), **kw)["programmes"]}


@st.composite
def with_figures(draw):
    """A random supply graph whose rows carry random (sometimes missing) figures."""
    ds = draw(supply_graphs(max_orgs=12))
    rels = []
    demand = {}
    for r in ds.rels:
        props = dict(r.props)
        if r.type == "SUPPLIES" and draw(st.booleans()):
            props["capacity_per_month"] = draw(st.floats(0.5, 20).map(lambda x: round(x, 1)))
            demand.setdefault((r.dst, props["item"]), draw(st.floats(1, 10).map(lambda x: round(x, 1))))
        if r.type in ("REQUIRES", "USES_MATERIAL"):
            stock = draw(FIGURE)
            if stock is not None:
                props["stock_months"] = stock
        rels.append(Rel(r.type, r.src, r.dst, props))
    required = {(r.src, r.dst) for r in rels if r.type == "REQUIRES"}
    for (consumer, item), d in demand.items():
        if (consumer, item) not in required:
            rels.append(Rel("REQUIRES", consumer, item, {"demand_per_month": d, "stock_months": 1.0}))
    rels = [
        Rel(r.type, r.src, r.dst, {**r.props, "demand_per_month": demand[(r.src, r.dst)]})
        if r.type == "REQUIRES" and (r.src, r.dst) in demand
        else r
        for r in rels
    ]
    return ds.__class__(ds.schema, dict(ds.nodes), rels, "test")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_graphs(), THRESHOLDS, st.data())
def test_without_figures_survive_agrees_with_whatif(ds, min_share, data):
    # Stage slots, shares and threshold gates included: a slot whatif fails holds nothing it has
    # no figure for, so TTS is 0 exactly where whatif stops the programme.
    countries = data.draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=2))
    blocs = data.draw(st.lists(st.sampled_from(["eu", "non-nato", "non-eu+nato"]), max_size=1))
    spare = data.draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=1))
    kw = {"countries": countries, "blocs": blocs, "spare": spare}
    failed = set(whatif(ds, min_share=min_share, **kw)["programmes_failed"])
    tts = _tts(ds, min_share=min_share, **kw)
    assert {p for p, t in tts.items() if t is not None} == failed
    assert all(tts[p] == 0.0 for p in failed)


def _ge(a: float | None, b: float | None) -> bool:
    return a is None or (b is not None and a >= b - 1e-6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_figures(), THRESHOLDS, st.data())
def test_more_stock_or_capacity_never_lowers_tts(ds, min_share, data):
    countries = data.draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=2))
    before = _tts(ds, countries=countries, min_share=min_share)
    figures = [(i, k) for i, r in enumerate(ds.rels) for k in ("stock_months", "capacity_per_month") if k in r.props]
    if not figures:
        return
    i, key = data.draw(st.sampled_from(figures))
    r = ds.rels[i]
    more = Rel(r.type, r.src, r.dst, {**r.props, key: r.props[key] + data.draw(st.floats(0.1, 10))})
    rels = list(ds.rels)
    rels[i] = more
    after = _tts(ds.__class__(ds.schema, dict(ds.nodes), rels, "test"), countries=countries, min_share=min_share)
    assert all(_ge(after[p], before[p]) for p in before), (key, r)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_figures(), st.lists(st.floats(0, 24), min_size=2, max_size=4))
def test_a_longer_disruption_never_saves_more_programmes(ds, durations):
    proj = build_projection(ds)
    model = build_model(ds, proj)
    alive = [survive(ds, proj, model, countries=["CN"], months=d)["counts"]["survive"] for d in sorted(durations)]
    assert alive == sorted(alive, reverse=True)


# ---------------------------------------------------------------------- weekly simulation
WEEK = 12 / 52  # months


@st.composite
def supply_trees(draw):
    """A programme and a tree of suppliers: every organisation serves one slot; slots have one to
    three suppliers; every figure is recorded; some organisations drop out."""
    g = GraphBuilder()
    g.programme("P")
    tree: dict[str, list[tuple[str, list[str]]]] = {}
    figures: dict[tuple[str, str], tuple[float, float]] = {}
    caps: dict[tuple[str, str, str], float] = {}
    counter = [0]

    def grow(consumer: str, depth: int) -> None:
        tree[consumer] = []
        for s in range(draw(st.integers(1 if consumer == "P" else 0, 2 if depth < 2 else 0))):
            item = f"{consumer}-i{s}"
            demand = draw(st.floats(1, 10).map(lambda x: round(x, 1)))
            figures[(consumer, item)] = (demand, draw(st.floats(0, 4).map(lambda x: round(x, 2))))
            suppliers = []
            for _ in range(draw(st.integers(1, 3))):
                counter[0] += 1
                org = f"o{counter[0]:02d}"
                g.org(org, "NL")
                caps[(org, consumer, item)] = round(demand * draw(st.floats(0.2, 1.5)), 1)
                suppliers.append(org)
                grow(org, depth + 1)
            tree[consumer].append((item, suppliers))

    grow("P", 0)
    for (consumer, item), (demand, stock) in figures.items():
        g.requires(consumer, item, demand_per_month=demand, stock_months=stock)
    for (org, consumer, item), cap in caps.items():
        g.supplies(org, consumer, item, capacity_per_month=cap)
    orgs = sorted(o for o in tree if o != "P")
    lost = draw(st.lists(st.sampled_from(orgs), unique=True, max_size=3)) if orgs else []
    return g.dataset(), tree, figures, caps, set(lost)


def simulate(tree, figures, caps, lost, horizon: float = 60.0) -> float | None:
    """Weeks of meeting the programme's demand, pulling each week as deep as possible: first what
    suppliers can make without stock, then what they can make from stock, then own stock."""
    stock = {k: d * s for k, (d, s) in figures.items()}  # units

    def make(u: str, perishable: bool, room: dict) -> float:
        """Most ``u`` can make this week (in months of its full rate) from what is left."""
        if u in lost:
            return 0.0
        best = float("inf")
        for item, suppliers in tree[u]:
            demand = figures[(u, item)][0]
            units = 0.0 if perishable else stock[(u, item)]
            for p in suppliers:
                units += min(room[(p, u, item)], make(p, perishable, room) * demand)
            best = min(best, units / demand)
        return best

    def take(u: str, x: float, room: dict) -> None:
        for item, suppliers in tree[u]:
            demand = figures[(u, item)][0]
            need = x * demand
            for perishable in (True, False):
                for p in suppliers:
                    give = min(need, room[(p, u, item)], make(p, perishable, room) * demand)
                    if give > 1e-12:
                        take(p, give / demand, room)
                        room[(p, u, item)] -= give
                        need -= give
            stock[(u, item)] -= need
            assert stock[(u, item)] > -1e-6

    weeks = 0
    while weeks * WEEK < horizon:
        room = {k: c * WEEK for k, c in caps.items()}
        if make("P", False, room) < WEEK * (1 - 1e-9):
            return weeks * WEEK
        take("P", WEEK, room)
        weeks += 1
    return None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supply_trees())
def test_lp_matches_a_weekly_simulation(case):
    # The simulation is one feasible plan, so the program (the best plan) never lasts less. Its
    # greedy pull is the best plan when every slot has one supplier: then the two agree to
    # within a week. With several suppliers the greedy split between them can waste stock (one
    # supplier's input stock drained first, where the program shares the load), so there the
    # simulation only bounds TTS from below.
    ds, tree, figures, caps, lost = case
    lp = _tts(ds, disrupt=sorted(lost))["P"]
    sim = simulate(tree, figures, caps, lost)
    single = all(len(suppliers) == 1 for slots in tree.values() for _, suppliers in slots)
    if sim is None:
        assert lp is None or lp >= 60 - WEEK
    else:
        assert lp is None or lp >= sim - 1e-4, (sim, lp)  # TTS is rounded to 4 places
        if single:
            assert lp is not None and lp <= sim + WEEK + 1e-4, (sim, lp)


def test_the_program_shares_the_load_where_the_simulation_is_greedy():
    # The case hypothesis found: P needs 1 a month of an item from o04 (up to 1 a month) or o07
    # (up to 0.5), each living on an input with 1 month of stock topped up at 0.2 a month. The
    # greedy simulation drains o04 first; the program splits 0.5/0.5, so both stocks fall by 0.3
    # a month and last 1 / 0.3 = 3.33 months.
    g = GraphBuilder()
    g.programme("P")
    for org, country in (("o04", "NL"), ("o06", "NL"), ("o07", "NL"), ("o08", "NL")):
        g.org(org, country)
    g.requires("P", "item", demand_per_month=1, stock_months=0)
    g.supplies("o04", "P", "item", capacity_per_month=1)
    g.supplies("o07", "P", "item", capacity_per_month=0.5)
    g.requires("o04", "a", demand_per_month=1, stock_months=1)
    g.supplies("o06", "o04", "a", capacity_per_month=0.2)
    g.requires("o07", "b", demand_per_month=1, stock_months=1)
    g.supplies("o08", "o07", "b", capacity_per_month=0.2)
    assert _tts(g.dataset())["P"] == 3.3333
    tree = {"P": [("item", ["o04", "o07"])], "o04": [("a", ["o06"])], "o07": [("b", ["o08"])]}
    tree.update({"o06": [], "o08": []})
    figures = {("P", "item"): (1.0, 0.0), ("o04", "a"): (1.0, 1.0), ("o07", "b"): (1.0, 1.0)}
    caps = {("o04", "P", "item"): 1.0, ("o07", "P", "item"): 0.5, ("o06", "o04", "a"): 0.2, ("o08", "o07", "b"): 0.2}
    assert simulate(tree, figures, caps, set()) < 2.0
