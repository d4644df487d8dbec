"""``members``: the organisations in a programme, including its office's suppliers; exact on a
hand-built graph, checked against a brute-force reference, and through the CLI on the seed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nldtib import Session
from nldtib.analysis.members import members
from nldtib.errors import NotFoundError, QueryError

from analysis_fixtures import GraphBuilder


def _programme() -> GraphBuilder:
    g = GraphBuilder()
    g.programme("jet")
    g.org("office", "US", kind="government")
    g.rel("PARTICIPATES_IN", "office", "jet", role="lead")
    g.org("prime", "US", kind="oem")
    g.rel("PARTICIPATES_IN", "prime", "jet", role="prime")
    g.supplies("prime", "jet", "aircraft")
    g.org("wings", "NL")
    g.supplies("wings", "prime", "wing")
    g.org("rivets", "NL")
    g.supplies("rivets", "wings", "rivet")
    g.org("mro", "NL")
    g.supplies("mro", "office", "maintenance")  # reaches the programme only through its office
    g.org("assoc", "NL", kind="association")
    g.rel("PARTICIPATES_IN", "assoc", "jet", role="participant")
    g.org("buyer", "NL", kind="government")
    g.rel("PARTICIPATES_IN", "buyer", "jet", role="customer")  # a customer is not a member
    g.org("elsewhere", "NL")
    g.supplies("elsewhere", "buyer", "paper")  # supplies the customer, not the programme
    g.material("ti")
    g.rel("USES_MATERIAL", "wings", "ti")
    return g


def test_members_exact():
    ds = _programme().dataset()
    result = members(ds, "jet")
    assert result["offices"] == [{"id": "office", "name": "office", "country": "US"}]
    got = {m["id"]: (m["tier"], m["roles"], m["country"], m["path"]) for m in result["members"]}
    assert got == {
        "office": (0, ["lead"], "US", ["jet", "office"]),
        "prime": (1, ["prime"], "US", ["jet", "prime"]),
        "mro": (1, [], "NL", ["jet", "office", "mro"]),
        "wings": (2, [], "NL", ["jet", "prime", "wings"]),
        "rivets": (3, [], "NL", ["jet", "prime", "wings", "rivets"]),
        "assoc": (None, ["participant"], "NL", ["jet", "assoc"]),
    }
    assert [m["id"] for m in result["members"]] == ["office", "mro", "prime", "wings", "rivets", "assoc"]
    by_id = {m["id"]: m for m in result["members"]}
    assert by_id["mro"]["supplies"] == [{"item": "maintenance", "item_name": "maintenance", "to": "office"}]
    assert by_id["wings"]["supplies"] == [{"item": "wing", "item_name": "wing", "to": "prime"}]
    assert result["counts"] == {
        "members": 6,
        "by_tier": {"0": 1, "1": 2, "2": 1, "3": 1, "none": 1},
        "by_country": {"NL": 4, "US": 2},
    }


def test_members_country_and_depth():
    ds = _programme().dataset()
    nl = members(ds, "jet", country="nl")
    assert nl["country"] == "NL"
    assert [m["id"] for m in nl["members"]] == ["mro", "wings", "rivets", "assoc"]
    assert nl["members"][1]["path"] == ["jet", "prime", "wings"]  # paths run through members elsewhere
    one = members(ds, "jet", depth=1)
    assert [m["id"] for m in one["members"]] == ["office", "mro", "prime", "assoc"]
    zero = members(ds, "jet", depth=0)
    assert [m["id"] for m in zero["members"]] == ["office", "assoc"]  # participants without a tier stay


def test_members_errors():
    ds = _programme().dataset()
    with pytest.raises(NotFoundError, match="'wings' is an Organisation, not a programme"):
        members(ds, "wings")
    with pytest.raises(NotFoundError, match="no programme with id 'jets'; did you mean 'jet'"):
        members(ds, "jets")
    with pytest.raises(NotFoundError, match="no country with id 'XX'"):
        members(ds, "jet", country="XX")
    with pytest.raises(QueryError):
        members(ds, "jet", depth=-1)


@settings(max_examples=40, deadline=None)
@given(
    edges=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 10)), max_size=30),
    office=st.booleans(),
)
def test_members_tree_equals_brute_force_reachability(edges, office):
    """Property: the tiered members are exactly the organisations from which a SUPPLIES path
    leads to the programme (node 10) or its office, and the tier is the shortest such path."""
    g = GraphBuilder()
    g.programme("p")
    names = [f"o{i}" for i in range(10)]
    for n in names:
        g.org(n, "NL")
    roots = ["p"]
    if office:
        g.rel("PARTICIPATES_IN", "o0", "p", role="lead")
        roots.append("o0")
    for a, b in edges:
        if a != b:
            g.supplies(names[a], "p" if b == 10 else names[b], f"i{a}-{b}")
    ds = g.dataset()
    # brute force: repeated relaxation of distances over the SUPPLIES relationships
    dist = dict.fromkeys(roots, 0)
    changed = True
    while changed:
        changed = False
        for r in ds.rels_of("SUPPLIES"):
            if r.dst in dist and dist.get(r.src, 99) > dist[r.dst] + 1:
                dist[r.src] = dist[r.dst] + 1
                changed = True
    dist.pop("p")
    got = {m["id"]: m["tier"] for m in members(ds, "p")["members"]}
    assert got == dist


def test_session_and_cli_on_the_seed(run):
    m = Session().members("f-35", country="NL")
    ids = [x["id"] for x in m.members]
    assert m.offices[0]["id"] == "f-35-jpo"
    # the firms that supply the programme office are members (deps f-35 leaves them out)
    assert {"aeronamic", "gkn-fokker-landing-gear"} <= set(ids)
    assert "aeronamic" not in {n["id"] for n in Session().deps("f-35").nodes}
    assert all(x["country"] == "NL" for x in m.members)
    assert set(m.to_frame().columns) >= {"id", "name", "tier", "country", "supplies", "path"}
    res = run("members", "f-35", "--country", "NL", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == m.to_dict()
    res = run("members", "f-35", "--country", "NL")
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0] == f"F-35 Lightning II (f-35): {len(ids)} member organisations located in NL"
    assert lines[1] == "Programme office: F-35 Joint Program Office (f-35-jpo, US)"
    assert any(line.split()[:3] == ["1", "Aeronamic", "(aeronamic)"] for line in lines)
    res = run("members", "f35")
    assert res.exit_code == 1 and res.stderr == "Error: no programme with id 'f35'; did you mean 'f-35'?\n"
