"""The columnar reader against the row-by-row reference reader, on generated inputs.

Both must report the same issues, word for word and in the same order, and read a valid dataset
into the same records (same values of the same Python types, in the same order). Each input is
read twice by the columnar reader: as it is (small files take the csv module and pydantic) and
with the size thresholds at zero, so that every file goes through pyarrow's reader and every
column through the vectorised checks.

Known, deliberate differences are normalised before comparing: an unclosed quote is now reported
at the line where it opened, and long header cells and values are echoed only in part.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib.dataset import columns, csvtable
from nldtib.dataset.columns import check_column
from nldtib.dataset.reader import validate_dataset
from nldtib.dataset.types import validate_column
from nldtib.schema import Property, load_schema

import reference_reader
from conftest import MINI

SCHEMA = load_schema()
FILES = [f"nodes/{label}.csv" for label in SCHEMA.nodes] + [f"relationships/{t}.csv" for t in SCHEMA.relationships]
EXISTING = sorted(str(p.relative_to(MINI)) for p in MINI.glob("*/*.csv"))
CELLS = [
    "",
    " ",
    "acme",
    " acme ",
    "big-oem",
    "NL",
    "CN",
    "US",
    "gallium",
    "trm",
    "radar",
    "maritime",
    "true",
    "TRUE",
    "no",
    "yes",
    "2",
    "12",
    "007",
    "+5",
    "-3",
    "1e3",
    "1_000",
    "2.5",
    ".5",
    "120",
    "1e400",
    "nan",
    "2024",
    "2024-02",
    "2024-02-29",
    "2023-02-29",
    "0000",
    "２０２４",
    "sme",
    "oem",
    "public",
    "restricted",
    "secret",
    "extraction",
    "processing",
    "a;b;;c",
    "a;a",
    " ; ",
    "https://x.org",
    "http://x y",
    "ftp://x",
    "12345678",
    "1234",
    "two\nlines",
    'say "hi"',
    "a,b",
    "café",
    "\t",
]


@contextlib.contextmanager
def _vectorised(on: bool) -> Iterator[None]:
    """Every file through pyarrow's reader and every column through the vectorised checks."""
    saved = columns._SMALL, csvtable._SMALL
    if on:
        columns._SMALL, csvtable._SMALL = 0, 0
    try:
        yield
    finally:
        columns._SMALL, csvtable._SMALL = saved


def _normalised(issues: list, shorten: bool = False) -> list[str]:
    """Issues as text; ``shorten`` shows long header cells as the columnar reader does (the
    reference reader echoes them whole)."""
    out = []
    for issue in issues:
        text = str(issue)
        if "malformed CSV: unexpected end of data" in text:
            text = f"{issue.path}: malformed CSV: unexpected end of data"
        elif shorten and issue.message.startswith(("unknown column", "duplicate column")):
            text = text.replace(f": {issue.field}: ", f": {csvtable.shown(issue.field)}: ", 1)
        out.append(text)
    return out


def _records(ds) -> tuple[list[str], list[str]]:
    return [repr(n) for n in ds.nodes.values()], [repr(r) for r in ds.rels]


def assert_same(folder: Path) -> None:
    old_ds, old_issues = reference_reader.validate_dataset(folder)
    for vectorised in (False, True):
        with _vectorised(vectorised):
            new_ds, new_issues = validate_dataset(folder)
        assert _normalised(new_issues) == _normalised(old_issues, shorten=True), f"vectorised={vectorised}"
        assert (new_ds is None) == (old_ds is None)
        if old_ds is not None:
            assert list(new_ds.nodes) == list(old_ds.nodes)
            assert _records(new_ds) == _records(old_ds)


def _check(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        shutil.copytree(MINI, folder)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        assert_same(folder)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=10))
number = st.from_regex(r"[ +-]?[0-9]{0,20}(\.[0-9]{0,20})?([eE][-+]?[0-9]{1,3})? ?", fullmatch=True)
PROPS = [
    *(p for n in SCHEMA.nodes.values() for p in n.properties),
    *(p for r in SCHEMA.relationships.values() for p in r.properties),
    Property("n", "number", min=-5.5, max=1e20),
    Property("i", "integer", required=True),
    Property("b", "boolean", default=True),
    Property("d", "date", required=True),
    Property("l", "list", required=True),
    Property("s", "string", pattern="^[a-z]+[0-9]?$"),
    Property("s2", "string", pattern=r"^\w+\s?\d*$"),
    Property("e", "enum", values=("a", "b c"), default="a"),
]
few = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@few
@given(name=st.sampled_from(FILES), data=st.binary(max_size=60))
def test_random_bytes(name: str, data: bytes):
    _check({name: data})


@few
@given(
    name=st.sampled_from(FILES),
    header=st.lists(
        st.sampled_from(["id", "name", "kind", "from", "to", "item", "share_pct", "stage", "employees", "kvk"]),
        max_size=6,
    ),
    rows=st.lists(st.lists(cell, max_size=6), max_size=8),
)
def test_random_rows(name: str, header: list[str], rows: list[list[str]]):
    _check({name: _csv(header, rows)})


@few
@given(
    name=st.sampled_from(EXISTING),
    seed=st.integers(0, 10**6),
    edits=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10), cell), min_size=1, max_size=4),
    extra=st.sampled_from(["", "\n", "\n\n", " , \n", "\r\n"]),
    duplicate=st.booleans(),
)
def test_edited_valid_files(name: str, seed: int, edits: list[tuple[int, int, str]], extra: str, duplicate: bool):
    """Cells of a valid file changed one at a time: mostly valid data, with the odd bad value."""
    rows = list(csv.reader(io.StringIO((MINI / name).read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    for r, c, value in edits:
        if body:
            body[r % len(body)][c % len(header)] = value
    if duplicate and body:
        body.append(list(random.Random(seed).choice(body)))
    data = _csv(header, body).decode("utf-8")
    if extra:
        lines = data.split("\n")
        lines.insert(random.Random(seed).randrange(1, len(lines)), extra.rstrip("\n"))
        data = "\n".join(lines)
    _check({name: data.encode("utf-8")})


def test_a_large_generated_base_reads_alike(tmp_path: Path):
    """Beyond the small-file thresholds, with a few bad rows of every kind at known places."""
    from nldtib import generate, write_dataset

    folder = write_dataset(generate(600, seed=3), tmp_path / "gen")
    assert_same(folder)
    supplies = folder / "relationships/SUPPLIES.csv"
    lines = supplies.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    lines[5] = ",".join(["ghost", *first[1:]])  # unknown end
    lines[9] = lines[1]  # duplicate relationship
    lines[12] = ",".join([first[0], first[1], "NL", *first[3:]])  # a reference of the wrong label
    lines.insert(20, 'x,"two\nlines",y')  # a quoted line break, then a row of the wrong width
    supplies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    org = folder / "nodes/Organisation.csv"
    rows = org.read_text(encoding="utf-8").splitlines()
    rows[3] = rows[2]  # a duplicate id
    org.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert_same(folder)


def test_cross_row_checks_read_alike_on_a_large_base(tmp_path: Path):
    """Shares over 100 %, self-loops and ends before starts, among thousands of good rows."""
    from nldtib import generate, write_dataset

    folder = write_dataset(generate(600, seed=3), tmp_path / "gen")
    supplies = folder / "relationships/SUPPLIES.csv"
    lines = supplies.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    col = {name: k for k, name in enumerate(head)}
    for n, line in enumerate(lines[1:40], start=1):
        cells = line.split(",")
        if n % 7 == 0:
            cells[col["share_pct"]] = "80"  # shares of one (consumer, item) over 100 %, now and then
        if n == 11:
            cells[col["to"]] = cells[col["from"]]  # a self-loop
        if n == 13:
            cells[col["valid_from"]], cells[col["valid_to"]] = "2020", "2019-06"
        lines[n] = ",".join(cells)
    supplies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    owned = folder / "relationships/OWNED_BY.csv"
    rows = owned.read_text(encoding="utf-8").splitlines()
    first = rows[1].split(",")
    rows.append(",".join([first[0], "DE", "70", "90", *first[4:]]))  # equity and votes over 100 %
    owned.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert_same(folder)


@settings(max_examples=400, deadline=None)
@given(
    prop=st.sampled_from(PROPS),
    cells=st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=8), number), min_size=1, max_size=30),
)
def test_vectorised_checks_equal_pydantic(prop: Property, cells: list[str]):
    """Each column check, whole column at once, against pydantic cell by cell: same values (of the
    same types) and the same message for every bad cell."""
    with _vectorised(True):
        values, errors = check_column(prop, pa.array(cells, pa.string()), len(cells), SCHEMA.limits, False)
    expected, expected_errors = validate_column(prop, cells, SCHEMA.limits)
    assert errors == expected_errors
    got = values.to_pylist() if values is not None else [None] * len(cells)
    assert [repr(v) for v in got] == [repr(v) for v in expected]


MORE = [
    "1.5e3",
    "-0",
    "0.1",
    "1e-5",
    "123456789012345678",
    "1234567890123456789",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1.0",
    "On",
    "Y",
    " y ",
    "off",
    "F",
    "0.30000000000000004",
    "123456789.123456789",
    "999999999999999.999999999999999e99",
    "2020-1-01",
    "1999-12-31",
    "2000-02-29",
    "1900-02-29",
    "2024-13",
    "NL ",
    "nl",
    "a\u00a0b",
    "x;y; x ;y",
    "https://example.org/a?b=c",
    "https://x.org/\u00e9",
    "http://",
]


def test_every_sample_cell_in_every_column_equals_pydantic():
    """Deterministic: every sample cell through every kind of column at once."""
    cells = CELLS + MORE
    for prop in PROPS:
        with _vectorised(True):
            values, errors = check_column(prop, pa.array(cells, pa.string()), len(cells), SCHEMA.limits, False)
        expected, expected_errors = validate_column(prop, cells, SCHEMA.limits)
        assert errors == expected_errors, prop.name
        got = values.to_pylist() if values is not None else [None] * len(cells)
        assert [repr(v) for v in got] == [repr(v) for v in expected], prop.name


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 1000), node_share=st.floats(0.3, 1.0), rel_share=st.floats(0.0, 1.0))
def test_a_subset_equals_the_dataset_of_the_kept_records(seed: int, node_share: float, rel_share: float):
    """``Dataset.subset`` (whole columns) against a dataset built from the kept records one by one,
    relationships to left-out nodes included (their ends become ids without a node)."""
    from nldtib import generate
    from nldtib.dataset.records import Dataset

    ds = generate(60, seed=seed % 7)
    rng = np.random.default_rng(seed)
    keep = rng.random(len(ds.nodes)) < node_share
    masks = {t: rng.random(len(table)) < rel_share for t, table in ds.rel_tables.items() if rng.random() < 0.8}
    part = ds.subset(keep, masks, origin="part")
    ids = list(ds.nodes)
    expected = Dataset(ds.schema, {i: ds.nodes[i] for i, k in zip(ids, keep) if k}, _in_load_order(ds, masks), "part")
    assert part.origin == "part" and list(part.nodes) == list(expected.nodes)
    assert _records(part) == _records(expected)
    assert part.ids.to_pylist()[: len(part.nodes)] == list(expected.nodes)
    assert sorted(part.ids.to_pylist()) == sorted(expected.ids.to_pylist())
    for table in part.rel_tables.values():  # references are node indices of the new dataset
        for column in table.columns.values():
            if pa.types.is_dictionary(column.type) and len(column.dictionary) == len(part.ids):
                assert column.dictionary.to_pylist() == part.ids.to_pylist()


def _in_load_order(ds, masks) -> list:
    """The relationships a subset keeps, in the dataset's load order."""
    seen = dict.fromkeys(ds.rel_tables, 0)
    out = []
    for r in ds.rels:
        row = seen[r.type]
        seen[r.type] += 1
        if r.type not in masks or masks[r.type][row]:
            out.append(r)
    return out


def _select_by_records(dataset, max_sensitivity, as_of, min_confidence):
    """The record-by-record selection that ``select`` replaced (the reference)."""
    from nldtib.dataset.classification import confidence_rank, current, sensitivity_rank
    from nldtib.dataset.records import Dataset

    limit, weakest = sensitivity_rank(max_sensitivity), confidence_rank(min_confidence)

    def keep(props) -> bool:
        return (
            sensitivity_rank(props.get("sensitivity")) <= limit
            and confidence_rank(props.get("confidence")) <= weakest
            and (as_of is None or current(props, as_of))
        )

    nodes = {i: n for i, n in dataset.nodes.items() if keep(n.props)}
    if len(nodes) == len(dataset.nodes) and all(keep(r.props) for r in dataset.rels):
        return dataset
    refs = {t: [p.name for p in rt.properties if p.type == "ref"] for t, rt in dataset.schema.relationships.items()}
    rels = [
        r
        for r in dataset.rels
        if r.src in nodes
        and r.dst in nodes
        and keep(r.props)
        and all(r.props.get(p) is None or r.props[p] in nodes for p in refs[r.type])
    ]
    return Dataset(dataset.schema, nodes, rels, dataset.origin)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 50),
    level=st.sampled_from(["public", "restricted", "confidential"]),
    as_of=st.sampled_from([None, "2013-01-01", "2016-06-30", "2025-06-30", "2100-01-01"]),
    confidence=st.sampled_from(["reported", "inferred", "illustrative"]),
)
def test_select_by_columns_equals_select_by_records(seed: int, level: str, as_of: str | None, confidence: str):
    from nldtib import generate
    from nldtib.dataset.classification import select

    ds = generate(80, seed=seed)
    got = select(ds, level, as_of, confidence)
    expected = _select_by_records(ds, level, as_of, confidence)
    assert (got is ds) == (expected is ds)
    assert list(got.nodes) == list(expected.nodes)
    assert _records(got) == _records(expected)


def test_select_leaves_out_relationships_to_left_out_or_unknown_nodes():
    from nldtib.dataset.classification import select
    from nldtib.dataset.records import Dataset, Node, Rel

    nodes = {
        "a": Node("a", "Organisation", {"name": "A", "kind": "sme"}),
        "b": Node("b", "Organisation", {"name": "B", "kind": "sme", "sensitivity": "confidential"}),
        "i": Node("i", "Item", {"name": "I", "confidence": "inferred"}),
    }
    rels = [
        Rel("SUPPLIES", "a", "b", {"item": "i"}),
        Rel("SUPPLIES", "b", "a", {"item": "i"}),
        Rel("SUPPLIES", "a", "a", {"item": "i", "valid_to": "2020"}),
        Rel("SUPPLIES", "a", "ghost", {"item": "i"}),
        Rel("OWNED_BY", "a", "a", {"share_pct": 5}),
    ]
    ds = Dataset(SCHEMA, nodes, rels)
    for args in [("public",), ("confidential", "2021-01-01"), ("confidential", None, "reported"), ("confidential",)]:
        got, expected = (
            select(ds, *args),
            _select_by_records(ds, *(list(args) + [None, "illustrative"][len(args) - 1 :])),
        )
        assert _records(got) == _records(expected), args


def _same_projection(got, expected) -> None:
    import dataclasses

    for f in dataclasses.fields(got):
        if f.name.startswith("_"):
            continue
        a, b = getattr(got, f.name), getattr(expected, f.name)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), f.name
        elif isinstance(a, tuple) and a and isinstance(a[0], np.ndarray):
            assert all(np.array_equal(x, y) for x, y in zip(a, b)), f.name
        else:
            assert a == b, f.name


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 50), level=st.sampled_from(["public", "confidential"]), shuffle=st.booleans())
def test_the_projection_from_columns_equals_the_one_from_records(seed: int, level: str, shuffle: bool):
    """Every array of the projection, from the dataset's columns and from its records one by one,
    also when the records come in mixed order (a dataset built by hand)."""
    from nldtib import generate
    from nldtib.dataset.classification import select
    from nldtib.dataset.records import Dataset
    from nldtib.projection import build_projection

    from reference_projection import build_projection_by_records

    ds = select(generate(120, seed=seed), level, "2025-06-30")
    if shuffle:
        rels = list(ds.rels)
        random.Random(seed).shuffle(rels)
        ds = Dataset(ds.schema, dict(ds.nodes.items()), rels)
    _same_projection(build_projection(ds), build_projection_by_records(ds))


def _stats_by_records(dataset) -> dict:
    """The record-by-record directory figures that ``directory.stats`` replaced (the reference)."""
    from collections import Counter

    from nldtib.analysis.directory import _sum_known

    nodes = dataset.nodes
    orgs = [n for n in nodes.values() if n.label == "Organisation"]
    located = {r.src: r.dst for r in dataset.rels if r.type == "LOCATED_IN"}
    domains: Counter[str] = Counter()
    for r in dataset.rels:
        if r.type == "ACTIVE_IN" and nodes[r.src].label == "Organisation":
            domains[r.dst] += 1
    dutch = [o for o in orgs if located.get(o.id) == "NL"]
    by_country = Counter(located.get(o.id, "unknown") for o in orgs)
    records = [*nodes.values(), *dataset.rels]
    return {
        "origin": dataset.origin,
        "classification": dataset.sensitivity(),
        "nodes": sum(1 for _ in nodes),
        "relationships": len(dataset.rels),
        "by_label": dict(sorted(Counter(n.label for n in nodes.values()).items())),
        "by_relationship_type": dict(sorted(Counter(r.type for r in dataset.rels).items())),
        "organisations": {
            "total": len(orgs),
            "dutch": len(dutch),
            "by_kind": dict(sorted(Counter(o.props["kind"] for o in orgs).items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_domain": {d: domains[d] for d in sorted(domains, key=lambda d: (-domains[d], d))},
            "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
            "employees": _sum_known([o.props.get("employees") for o in orgs]),
            "turnover_eur": _sum_known([o.props.get("turnover_eur") for o in orgs]),
            "dutch_employees": _sum_known([o.props.get("employees") for o in dutch]),
            "dutch_turnover_eur": _sum_known([o.props.get("turnover_eur") for o in dutch]),
        },
        "provenance": {
            "by_confidence": dict(sorted(Counter(x.props.get("confidence", "unspecified") for x in records).items())),
            "with_source": sum(1 for x in records if x.props.get("source")),
            "records": len(nodes) + len(dataset.rels),
        },
    }


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 50), level=st.sampled_from(["public", "confidential"]))
def test_directory_stats_from_columns_equal_the_ones_from_records(seed: int, level: str):
    import json

    from nldtib import generate
    from nldtib.analysis.directory import stats
    from nldtib.dataset.classification import select
    from nldtib.paths import seed_dir

    for ds in (select(generate(150, seed=seed), level), read_dataset_of(seed_dir()), read_dataset_of(MINI)):
        got, expected = stats(ds), _stats_by_records(ds)
        assert json.dumps(got) == json.dumps(expected)


def read_dataset_of(folder: Path):
    from nldtib.dataset.reader import read_dataset

    return read_dataset(folder)


def _data_section_by_records(dataset, top: int = 25) -> dict:
    """The record-by-record report data section that ``data_section`` replaced (the reference)."""
    from collections import Counter

    from nldtib.output.report.evidence import split_sources

    records = [*dataset.nodes.values(), *dataset.rels]
    sources: Counter[str] = Counter()
    for rec in records:
        for src in split_sources(str(rec.props.get("source") or "")):
            sources[src] += 1
    dates = sorted(str(r.props["as_of"]) for r in records if r.props.get("as_of"))
    confidence = Counter(r.props.get("confidence", "unspecified") for r in records)
    total = len(records)
    return {
        "records": total,
        "nodes": len(dataset.nodes),
        "relationships": len(dataset.rels),
        "with_source": sum(1 for r in records if r.props.get("source")),
        "distinct_sources": len(sources),
        "top_sources": [
            {"source": s, "records": n} for s, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "as_of": {"earliest": dates[0] if dates else None, "latest": dates[-1] if dates else None, "dated": len(dates)},
        "by_confidence": dict(sorted(confidence.items())),
        "illustrative_share": round(confidence.get("illustrative", 0) / total, 4) if total else 0.0,
        "classification": dataset.sensitivity(),
    }


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 50), level=st.sampled_from(["public", "confidential"]))
def test_report_data_section_from_columns_equals_the_one_from_records(seed: int, level: str):
    import json

    from nldtib import generate
    from nldtib.dataset.classification import select
    from nldtib.output.report.provenance import data_section
    from nldtib.paths import seed_dir

    for ds in (select(generate(150, seed=seed), level), read_dataset_of(seed_dir()), read_dataset_of(MINI)):
        assert json.dumps(data_section(ds)) == json.dumps(_data_section_by_records(ds))
