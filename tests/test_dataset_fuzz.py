"""Property tests: whatever bytes or rows the reader gets, it only raises nldtib's own errors."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nldtib import DatasetError, read_dataset
from nldtib.schema import load_schema

from conftest import MINI

SCHEMA = load_schema()
FILES = [f"nodes/{label}.csv" for label in SCHEMA.nodes] + [f"relationships/{t}.csv" for t in SCHEMA.relationships]
cell = st.one_of(
    st.sampled_from(
        [
            "",
            "acme",
            "big-oem",
            "NL",
            "CN",
            "gallium",
            "radar",
            "true",
            "no",
            "12",
            "-3",
            "1e400",
            "nan",
            "2024-13-01",
            "2024",
            "sme",
            "public",
            "secret",
            "a;b;;c",
            "https://x.org",
            "\ufeffid",
        ]
    ),
    st.text(max_size=12),
)


def _check(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        shutil.copytree(MINI, folder)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        try:
            read_dataset(folder)
        except DatasetError as exc:
            assert exc.issues and all(str(i) for i in exc.issues)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FILES), data=st.binary(max_size=300))
def test_random_bytes_only_raise_dataset_errors(name: str, data: bytes):
    _check({name: data})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(FILES),
    header=st.lists(
        st.sampled_from(
            [
                "id",
                "name",
                "kind",
                "from",
                "to",
                "item",
                "share_pct",
                "eu",
                "nato",
                "crma",
                "as_of",
                "confidence",
                "sensitivity",
                "aliases",
                "bogus",
                "",
            ]
        ),
        min_size=0,
        max_size=6,
    ),
    rows=st.lists(st.lists(cell, max_size=7), max_size=6),
    bom=st.booleans(),
)
def test_random_rows_only_raise_dataset_errors(name: str, header: list[str], rows: list[list[str]], bom: bool):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    _check({name: (b"\xef\xbb\xbf" if bom else b"") + data})
