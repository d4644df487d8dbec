"""The reader and writer fast paths keep exact behaviour (locations, values, bytes)."""

from __future__ import annotations

import gc
from pathlib import Path

from nldtib.dataset.reader import validate_dataset
from nldtib.dataset.records import Dataset, Node, Rel
from nldtib.dataset.types import format_value
from nldtib.dataset.writer import write_dataset
from nldtib.perf import gc_paused
from nldtib.schema import load_schema


def _folder(tmp: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp


def test_gc_paused_restores_the_previous_state():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rows_spanning_lines_keep_their_line_numbers(tmp_path):
    folder = _folder(
        tmp_path,
        {"nodes/Capability.csv": 'id,name,description\n\nc1,A,"one\ntwo\nthree"\n\nc 2,B,\n"c3",C,"x\r\ny"\nc 4,D,\n'},
    )
    _, issues = validate_dataset(folder)
    assert [(i.line, i.field) for i in issues] == [(7, "id"), (10, "id")]


def test_blank_and_whitespace_rows_are_skipped(tmp_path):
    folder = _folder(tmp_path, {"nodes/Capability.csv": "id,name\n , \nc1,A\n,\n\nc 2,B\n"})
    _, issues = validate_dataset(folder)
    assert [(i.line, i.field) for i in issues] == [(6, "id")]


def test_relationship_errors_are_reported_in_row_order(tmp_path):
    folder = _folder(
        tmp_path,
        {
            "nodes/Organisation.csv": "id,name,kind\na,A,sme\nb,B,sme\n",
            "nodes/Item.csv": "id,name\ni,I\n",
            "relationships/SUPPLIES.csv": "from,to,item\na,b,i\n,ghost,i\na,b,a\na,b,i\n",
        },
    )
    _, issues = validate_dataset(folder)
    assert [str(i).split(": ", 1)[1] for i in issues] == [
        "from: required value is missing",
        "to: unknown node id 'ghost'",
        "item: 'a' is an Organisation; expected Item",
        "duplicate relationship 'a' -> 'b', item='i' (also on line 2)",
    ]


def test_writer_formats_every_column_like_format_value(tmp_path):
    schema = load_schema()
    org = schema.node("Organisation")
    nodes = {
        "a": Node(
            "a",
            "Organisation",
            {"name": "A", "kind": "sme", "employees": 12, "turnover_eur": 1.5e6, "aliases": ["x", "y"], "city": 7},
        ),
        "b": Node("b", "Organisation", {"name": "B, Ltd", "kind": "oem", "turnover_eur": 2.25}),
        "NL": Node("NL", "Country", {"name": "Netherlands", "aliases": ["NL"]}),
    }
    rels = [Rel("LOCATED_IN", "a", "NL", {}), Rel("OWNED_BY", "a", "b", {"share_pct": 50.0})]
    write_dataset(Dataset(schema, nodes, rels), tmp_path)
    text = (tmp_path / "nodes" / "Organisation.csv").read_text(encoding="utf-8").splitlines()
    cols = text[0].split(",")
    assert cols == [
        p.name
        for p in org.properties
        if p.name in ("id", "name", "aliases", "kind", "city", "employees", "turnover_eur")
    ]
    expected_a = [format_value(org.prop(c), nodes["a"].props.get(c)) if c != "id" else "a" for c in cols]
    assert text[1] == ",".join(expected_a)
    assert text[2] == 'b,"B, Ltd",,oem,,,2.25'
    assert (tmp_path / "nodes" / "Country.csv").read_text(encoding="utf-8") == "id,name,aliases\nNL,Netherlands,NL\n"
