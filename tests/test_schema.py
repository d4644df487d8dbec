"""The schema: it loads, it is checked, and the committed reference matches it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nldtib.errors import SchemaError
from nldtib.output.schema_doc import schema_markdown
from nldtib.schema import load_schema, parse_schema

ROOT = Path(__file__).resolve().parent.parent


def test_schema_declares_the_design_model():
    s = load_schema()
    assert set(s.nodes) == {
        "Organisation",
        "Domain",
        "Capability",
        "Item",
        "Programme",
        "Instrument",
        "Country",
        "Material",
        "Bloc",
        "Ecosystem",
    }
    assert s.rel("SUPPLIES").sources == ("Organisation",) and s.rel("SUPPLIES").targets == ("Organisation", "Programme")
    assert s.rel("SUPPLIES").key == ("item",)
    assert s.node("Organisation").prop("kind").values[:5] == ("oem", "sme", "startup", "scaleup", "large_enterprise")
    assert [p.name for p in s.provenance] == ["source", "as_of", "valid_from", "valid_to", "confidence", "sensitivity"]


def _doc() -> dict:
    return yaml.safe_load((ROOT / "schema" / "schema.yaml").read_text())


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["nodes"]["Item"]["properties"]["kind"].update(type="colour"),
            "nodes.Item.kind: unknown type 'colour'",
        ),
        (
            lambda d: d["relationships"]["SUPPLIES"].update({"from": ["Widget"]}),
            "relationships.SUPPLIES: unknown label 'Widget'",
        ),
        (lambda d: d["nodes"]["Item"]["properties"]["kind"].pop("values"), "nodes.Item.kind: enum without values"),
        (
            lambda d: d["relationships"]["PRODUCES"].update(key=["year"]),
            "relationships.PRODUCES: key 'year' is not a property",
        ),
        (
            lambda d: d["nodes"]["Item"]["properties"].update(source={"type": "string"}),
            "nodes.Item: properties ['source'] are reserved",
        ),
    ],
)
def test_broken_schema_fails_loudly(mutate, message):
    doc = _doc()
    mutate(doc)
    with pytest.raises(SchemaError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_schema(doc, Path("schema.yaml"))


def test_committed_schema_reference_is_current():
    committed = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(load_schema()), "docs/schema.md is stale: run `nldtib schema > docs/schema.md`"


@pytest.mark.parametrize(
    "limits, message",
    [
        ({"integer": [0]}, "limits.integer: expected [min, max]"),
        ({"indexed_bytes": 0}, "limits: indexed_bytes and cell_chars must be positive integers"),
        ({"cells": 10}, "limits: expected a mapping with cell_chars, description, indexed_bytes, integer"),
    ],
)
def test_broken_limits_fail_loudly(limits, message):
    doc = _doc()
    doc["limits"] = limits
    with pytest.raises(SchemaError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_schema(doc, Path("schema.yaml"))


def test_the_schema_states_the_store_limits():
    limits = load_schema().limits
    assert (limits.integer_min, limits.integer_max) == (-(2**63), 2**63 - 1)
    assert 0 < limits.indexed_bytes <= 8000 and limits.cell_chars == 131072
    assert load_schema().node("Organisation").indexed == ("id", "name", "kvk", "lei", "ncage")
