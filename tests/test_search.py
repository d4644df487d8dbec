"""The one matcher behind search and every "did you mean": forgiving, ranked, and filtered first."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nldtib import Session
from nldtib.dataset.records import Dataset, Node
from nldtib.dataset.search import TIERS, match, ranked, suggest
from nldtib.errors import NotFoundError
from nldtib.schema import load_schema


@pytest.fixture(scope="module")
def seed() -> Session:
    return Session()


@pytest.mark.parametrize(
    "query, first",
    [
        ("f35", "f-35"),  # hyphens ignored
        ("F 35", "f-35"),  # spaces ignored
        ("nedinsko", "nedinsco"),  # one edit
        ("orca", "orka"),  # one edit in four letters
        ("galium", "gallium"),  # a dropped letter
        ("thales nederlnd", "thales-nederland"),  # a typo in a multi-word name
        ("Thales Nederland B.V", "thales-nederland"),  # punctuation ignored
        ("COMMIT", "dmo"),  # an alias
    ],
)
def test_seed_lookups_forgive_typing(seed, query, first):
    assert seed.search(query).results[0]["id"] == first


def test_descriptions_are_searched_after_names(seed):
    hits = seed.search("periscope").results
    assert hits[0] == {"id": "periscope-assemblies", "label": "Item", "name": "Periscope assemblies", "match": "prefix"}
    assert {"id": "nedinsco", "label": "Organisation", "name": "Nedinsco", "match": "description"} in hits


def test_every_id_argument_says_did_you_mean(run):
    res = run("deps", "f35")
    assert res.exit_code == 1
    assert res.stderr == "Error: no node with id 'f35'; did you mean 'f-35'?\n"
    res = run("chokepoints", "orca")
    assert res.stderr.endswith("did you mean 'orka'?\n")
    res = run("whatif", "--material", "galium")
    assert "did you mean 'gallium'?" in res.stderr


def test_search_cli_text_and_json(run):
    res = run("search", "nedinsko")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[2].split() == ["nedinsco", "Organisation", "Nedinsco", "close"]
    data = json.loads(run("search", "galium", "--format", "json").stdout)
    assert data["results"][0] == {"id": "gallium", "label": "Material", "name": "Gallium", "match": "close"}


def _node(node_id: str, name: str, **props) -> Node:
    return Node(node_id, "Organisation", {"name": name, **props})


def test_tiers_in_order():
    nodes = [
        _node("acme", "Acme"),  # exact
        _node("acmex", "Acmex"),  # prefix
        _node("big-acme", "Big Acme"),  # word prefix
        _node("bigacmeco", "Bigacmeco"),  # contained
        _node("acne", "Acne"),  # one edit
        _node("other", "Other", description="Makes acme-grade parts."),  # description
        _node("none", "Unrelated", description="Nothing here."),
    ]
    ds = Dataset(load_schema(), {n.id: n for n in nodes}, ())
    hits = ranked(ds, "acme")
    assert [(n.id, m.how) for m, n in hits] == [
        ("acme", "exact"),
        ("acmex", "prefix"),
        ("big-acme", "word prefix"),
        ("bigacmeco", "contained"),
        ("acne", "close"),
        ("other", "description"),
    ]
    assert [m.how for m, _ in hits] == list(TIERS)
    # "did you mean" offers only the best tier that matched
    assert suggest(ds, "acme") == ["acme"]
    assert suggest(ds, "acnee") == ["acne"]


@pytest.mark.parametrize(
    "query, name, how",
    [
        ("abc", "abd", None),  # three letters: no typo forgiven
        ("abcd", "abxd", "close"),
        ("abcd", "axyd", None),  # two edits in four letters: too far
        ("abcdefgh", "abxdefgy", "close"),  # two edits in eight letters
        ("abcdefgh", "bacdefgh", "close"),  # a transposition is one edit
        ("ab", "xyz", None),
    ],
)
def test_typo_allowance(query, name, how):
    m = match(query, _node("n", name))
    assert (m.how if m else None) == how


def test_short_query_words_do_not_search_descriptions():
    node = _node("x", "Xylo", description="an organisation of the base")
    assert match("an", node) is None
    assert match("organ", node).how == "description"


_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=8, max_size=14)


@settings(max_examples=60, deadline=None)
@given(name=_letters, pos=st.integers(0, 13), data=st.data())
def test_one_typo_in_a_long_name_is_found(name, pos, data):
    """Property: any single substitution, deletion or insertion in a name of 8+ letters still finds it."""
    pos = pos % len(name)
    kind = data.draw(st.sampled_from(["sub", "del", "ins"]))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    typo = {
        "sub": name[:pos] + letter + name[pos + 1 :],
        "del": name[:pos] + name[pos + 1 :],
        "ins": name[:pos] + letter + name[pos:],
    }[kind]
    ds = Dataset(load_schema(), {"target": _node("target", name)}, ())
    assert [n.id for _, n in ranked(ds, typo)] == ["target"]


def test_a_withheld_near_match_is_never_suggested(tmp_path):
    nodes = {
        "quillfeather": _node("quillfeather", "Quillfeather", sensitivity="confidential"),
        "quillfeathers": _node("quillfeathers", "Quillfeathers", sensitivity="public"),
    }
    session = Session(Dataset(load_schema(), nodes, ()))
    with pytest.raises(NotFoundError) as err:
        session.show("quilfeather")
    assert str(err.value) == "no node with id 'quilfeather'; did you mean 'quillfeathers'?"
    assert [h["id"] for h in session.search("quillfeather").results] == ["quillfeathers"]


def test_withheld_matches_never_push_a_public_match_out():
    """Issue 15 item 11: search used to rank the top 100 first and filter after, so 150
    better-ranked withheld names left a public match out ("no match"), and the hints too."""
    nodes = {f"radar-{i}": _node(f"radar-{i}", "Radar", sensitivity="confidential") for i in range(150)}
    nodes["radar-systems-nl"] = _node("radar-systems-nl", "Radar Systems NL", sensitivity="public")
    session = Session(Dataset(load_schema(), nodes, ()))
    assert [h["id"] for h in session.search("radar").results] == ["radar-systems-nl"]
    with pytest.raises(NotFoundError, match="did you mean 'radar-systems-nl'"):
        session.show("radar-system")
    confidential = Session(Dataset(load_schema(), nodes, ()), max_sensitivity="confidential")
    assert len(confidential.search("radar", limit=200).results) == 151
