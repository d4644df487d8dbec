"""The dataset reader: valid input, every kind of bad input, and the canonical writer."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from nldtib import DatasetError, read_dataset, validate_dataset, write_dataset
from nldtib.errors import Issue


def issues_of(folder: Path) -> list[str]:
    dataset, issues = validate_dataset(folder)
    assert (dataset is None) == bool(issues)
    return [str(i) for i in issues]


def rewrite(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_text(text, encoding=encoding)


def test_mini_dataset_reads(mini: Path):
    ds = read_dataset(mini)
    assert len(ds.nodes) == 13 and len(ds.rels) == 13
    acme = ds.nodes["acme"]
    assert acme.label == "Organisation"
    assert acme.props["aliases"] == ["ACME", "Acme BV"]
    assert acme.props["employees"] == 120 and isinstance(acme.props["employees"], int)
    assert acme.props["turnover_eur"] == 15e6 and isinstance(acme.props["turnover_eur"], float)
    assert acme.props["sensitivity"] == "public"  # default filled in
    assert "city" in acme.props and "website" not in acme.props  # unset values are absent
    assert {(r.src, r.dst) for r in ds.rels_of("MEMBER_OF")} == {("NL", "eu"), ("NL", "nato"), ("US", "nato")}
    produces = ds.rels_of("PRODUCES")[0]
    assert (produces.src, produces.dst, produces.props["share_pct"], produces.props["stage"]) == (
        "CN",
        "gallium",
        98.0,
        "extraction",
    )


def test_bad_dataset_raises_with_all_issues(mini: Path):
    org = mini / "nodes/Organisation.csv"
    rewrite(org, org.read_text().replace(",sme,", ",small,").replace(",2000,", ",many,"))
    with pytest.raises(DatasetError) as info:
        read_dataset(mini)
    assert [i.field for i in info.value.issues] == ["kind", "employees"]
    assert "and 1 more error" in str(info.value)


@pytest.mark.parametrize(
    "filename, content, expected",
    [
        (
            "nodes/Widget.csv",
            "id,name\nw1,W\n",
            "{d}/nodes/Widget.csv: unknown label 'Widget'; known: Organisation, Domain",
        ),
        (
            "relationships/LIKES.csv",
            "from,to\nacme,big-oem\n",
            "{d}/relationships/LIKES.csv: unknown relationship type 'LIKES'; known: SUPPLIES",
        ),
        (
            "nodes/Capability.csv",
            "id,name,colour\nradar-cap,Radar,red\n",
            "{d}/nodes/Capability.csv:1: colour: unknown column for label Capability; allowed: id, name, aliases, description, source, as_of, valid_from, valid_to, confidence, sensitivity",
        ),
        (
            "nodes/Capability.csv",
            "id,name\nradar-cap,\n",
            "{d}/nodes/Capability.csv:2: name: required value is missing",
        ),
        (
            "nodes/Capability.csv",
            "id\nradar-cap\n",
            "{d}/nodes/Capability.csv:1: name: required column is missing for label Capability",
        ),
        (
            "nodes/Capability.csv",
            "id,name\nacme,Radar\n",
            "{d}/nodes/Capability.csv:2: id: duplicate id 'acme' (first defined at {d}/nodes/Organisation.csv:2)",
        ),
        (
            "nodes/Capability.csv",
            "id,name\nc1,One\nc1,Two\n",
            "{d}/nodes/Capability.csv:3: id: duplicate id 'c1' (first defined at {d}/nodes/Capability.csv:2)",
        ),
        (
            "relationships/HAS_CAPABILITY.csv",
            "from,to\nacme,nowhere\n",
            "{d}/relationships/HAS_CAPABILITY.csv:2: to: unknown node id 'nowhere'",
        ),
        (
            "relationships/HAS_CAPABILITY.csv",
            "from,to\nghost,maritime\n",
            "{d}/relationships/HAS_CAPABILITY.csv:2: from: unknown node id 'ghost'",
        ),
        (
            "relationships/HAS_CAPABILITY.csv",
            "from,to\nacme,maritime\n",
            "{d}/relationships/HAS_CAPABILITY.csv:2: to: 'maritime' is a Domain; HAS_CAPABILITY to must be Capability",
        ),
        (
            "relationships/SUPPLIES.csv",
            "from,to,item\nacme,big-oem,gallium\n",
            "{d}/relationships/SUPPLIES.csv:2: item: 'gallium' is a Material; expected Item",
        ),
        (
            "nodes/Capability.csv",
            "id,name,confidence\nc1,One,sure\n",
            "{d}/nodes/Capability.csv:2: confidence: Input should be 'reported', 'inferred' or 'illustrative' (got 'sure')",
        ),
        (
            "nodes/Capability.csv",
            "id,name,as_of\nc1,One,2024-02-30\n",
            "{d}/nodes/Capability.csv:2: as_of: not a valid date: day is out of range for month (got '2024-02-30')",
        ),
        (
            "nodes/Capability.csv",
            "id,name,as_of\nc1,One,30/01/2024\n",
            "{d}/nodes/Capability.csv:2: as_of: not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) (got '30/01/2024')",
        ),
        (
            "nodes/Programme.csv",
            "id,name,kind,budget_eur\np1,P,research,lots\n",
            "{d}/nodes/Programme.csv:2: budget_eur: Input should be a valid number, unable to parse string as a number (got 'lots')",
        ),
        (
            "nodes/Programme.csv",
            "id,name,kind,start_year\np1,P,research,2020.5\n",
            "{d}/nodes/Programme.csv:2: start_year: Input should be a valid integer, unable to parse string as an integer (got '2020.5')",
        ),
        (
            "relationships/PRODUCES.csv",
            "from,to,share_pct\nCN,gallium,120\n",
            "{d}/relationships/PRODUCES.csv:2: share_pct: Input should be less than or equal to 100 (got '120')",
        ),
        (
            "relationships/PRODUCES.csv",
            "from,to,share_pct\nCN,gallium,-1\n",
            "{d}/relationships/PRODUCES.csv:2: share_pct: Input should be greater than or equal to 0 (got '-1')",
        ),
        ("nodes/Capability.csv", "", "{d}/nodes/Capability.csv:1: empty file: expected a header row"),
        (
            "nodes/Capability.csv",
            "id,name\nc1,One,extra\n",
            "{d}/nodes/Capability.csv:2: row has 3 fields but the header has 2",
        ),
        ("nodes/Capability.csv", "id,name\nc1\n", "{d}/nodes/Capability.csv:2: row has 1 fields but the header has 2"),
        (
            "nodes/Capability.csv",
            'id,name\nc1,"unclosed\n',
            "{d}/nodes/Capability.csv:2: malformed CSV: unexpected end of data",
        ),
        (
            "nodes/Country.csv",
            "id,name\nnl,Netherlands\n",
            "{d}/nodes/Country.csv:2: id: String should match pattern '^[A-Z]{{2}}$' (got 'nl')",
        ),
        (
            "relationships/LOCATED_IN.csv",
            "from,to\nacme,NL\nacme,US\n",
            "{d}/relationships/LOCATED_IN.csv:3: from: 'acme' has more than 1 LOCATED_IN relationship(s)",
        ),
        (
            "relationships/SUPPLIES.csv",
            "from,to,item\nacme,big-oem,trm\nacme,big-oem,trm\n",
            "{d}/relationships/SUPPLIES.csv:3: duplicate relationship 'acme' -> 'big-oem', item='trm' (also on line 2)",
        ),
        (
            "nodes/Organisation.csv",
            "id,name,kind,website\nx1,X,sme,ftp://x\n",
            "{d}/nodes/Organisation.csv:2: website: String should match pattern '^https?://[^\\s]+$' (got 'ftp://x')",
        ),
        (
            "nodes/Organisation.csv",
            "id,name,kind,kvk\nx1,X,sme,1234\n",
            "{d}/nodes/Organisation.csv:2: kvk: String should match pattern '^[0-9]{{8}}$' (got '1234')",
        ),
        (
            "nodes/Organisation.csv",
            "id,name,kind,kvk\nx1,X,sme,12345678\nx2,Y,sme,12345678\n",
            "{d}/nodes/Organisation.csv:3: kvk: duplicate value '12345678' (also on line 2)",
        ),
        ("nodes/notes.txt", "hello", "{d}/nodes/notes.txt: not a .csv file; expected nodes/<label>.csv"),
        ("nodes/Capability.csv", "id,name,name\nc1,A,B\n", "{d}/nodes/Capability.csv:1: name: duplicate column"),
        (
            "nodes/Capability.csv",
            'id,name,description\nc1,A,"line one\nline two"\nc 2,B,\n',
            "{d}/nodes/Capability.csv:4: id: String should match pattern '^[A-Za-z0-9][A-Za-z0-9._:-]*$' (got 'c 2')",
        ),
    ],
)
def test_bad_input_is_located(mini: Path, run, filename: str, content: str, expected: str):
    path = mini / filename
    if (
        filename.startswith(
            (
                "nodes/Organisation",
                "nodes/Country",
                "relationships/PRODUCES",
                "relationships/SUPPLIES",
                "relationships/LOCATED_IN",
            )
        )
        and content
    ):
        # replace the file but keep the rest of the mini dataset consistent
        rewrite(path, content)
        _patch_references(mini, filename)
    else:
        rewrite(path, content)
    messages = issues_of(mini)
    exp = expected.format(d=str(mini))
    assert any(m.startswith(exp) for m in messages), messages
    # the same through the CLI: every error on its own line, exit 1, no traceback, nothing loaded
    res = run("validate", str(mini))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert any(line.startswith(exp) for line in res.stdout.splitlines())
    assert res.stderr.endswith("; nothing loaded\n")
    res = run("--data", str(mini), "stats")
    assert res.exit_code == 1 and res.stdout == "" and res.stderr.count("\n") == 1 and res.stderr.startswith("Error: ")


def _patch_references(mini: Path, filename: str) -> None:
    """Drop relationship files that would dangle when a node file is replaced."""
    if filename == "nodes/Organisation.csv":
        for f in (mini / "relationships").iterdir():
            f.unlink()
    if filename == "nodes/Country.csv":
        for name in ("LOCATED_IN.csv", "PRODUCES.csv"):
            (mini / "relationships" / name).unlink()


def test_every_error_is_reported_and_nothing_loaded(mini: Path):
    rewrite(mini / "nodes/Capability.csv", "id,name,confidence\nc1,One,sure\nc2,,reported\n")
    rewrite(mini / "relationships/HAS_CAPABILITY.csv", "from,to\nacme,c9\nacme,c1\n")
    dataset, issues = validate_dataset(mini)
    assert dataset is None
    assert [str(i).split(str(mini))[1] for i in issues] == [
        "/nodes/Capability.csv:2: confidence: Input should be 'reported', 'inferred' or 'illustrative' (got 'sure')",
        "/nodes/Capability.csv:3: name: required value is missing",
        "/relationships/HAS_CAPABILITY.csv:2: to: unknown node id 'c9'",
    ]


def test_not_utf8_names_line_and_byte(mini: Path):
    (mini / "nodes/Capability.csv").write_bytes("id,name\nc1,Radar\nc2,Sonar caf\xe9\n".encode("latin-1"))
    assert issues_of(mini) == [
        f"{mini}/nodes/Capability.csv:3: not valid UTF-8 (byte 0xe9 at offset 29); save the file as UTF-8"
    ]


def test_excel_bom_is_accepted(mini: Path):
    (mini / "nodes/Capability.csv").write_bytes(b"\xef\xbb\xbfid,name\r\nc1,Radar\r\n")
    ds = read_dataset(mini)
    assert ds.nodes["c1"].props["name"] == "Radar"


def test_blank_lines_and_whitespace_are_tolerated(mini: Path):
    rewrite(mini / "nodes/Capability.csv", "id , name\n\n c1 , Radar \n,\n")
    ds = read_dataset(mini)
    assert ds.nodes["c1"].props["name"] == "Radar"


def test_not_a_folder(tmp_path: Path):
    assert issues_of(tmp_path / "missing") == [f"{tmp_path / 'missing'}: not a folder"]
    assert issues_of(tmp_path) == [f"{tmp_path}: no nodes/<Label>.csv files found; is this a dataset folder?"]


def test_dangling_ref_in_property(mini: Path):
    rewrite(mini / "relationships/SUPPLIES.csv", "from,to,item\nacme,big-oem,no-such-item\n")
    assert issues_of(mini) == [f"{mini}/relationships/SUPPLIES.csv:2: item: unknown node id 'no-such-item'"]


def test_writer_round_trips(mini: Path, tmp_path: Path):
    ds = read_dataset(mini)
    out1 = write_dataset(ds, tmp_path / "out1")
    again = read_dataset(out1)
    assert again.nodes == ds.nodes
    assert sorted(again.rels, key=lambda r: r.identity(ds.schema)) == sorted(
        ds.rels, key=lambda r: r.identity(ds.schema)
    )
    out2 = write_dataset(again, tmp_path / "out2")
    cmp = filecmp.dircmp(out1 / "nodes", out2 / "nodes")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    assert (out1 / "nodes/Organisation.csv").read_text().splitlines()[
        0
    ] == "id,name,aliases,kind,city,employees,turnover_eur,source,as_of,confidence,sensitivity"


def test_writer_replaces_old_files(mini: Path, tmp_path: Path):
    out = tmp_path / "out"
    (out / "nodes").mkdir(parents=True)
    (out / "nodes" / "Widget.csv").write_text("stale")
    write_dataset(read_dataset(mini), out)
    assert not (out / "nodes" / "Widget.csv").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_issue_format():
    assert str(Issue("a.csv", 3, "kind", "bad")) == "a.csv:3: kind: bad"
    assert str(Issue("a.csv", 0, "", "bad")) == "a.csv: bad"


# --- the store limits and the reader's own limits (issue 15: items 3, 13 and 18) -----------------


def test_values_a_store_cannot_hold_are_reported(mini: Path, run):
    """An id or name beyond the index key limit, an integer beyond 64 bits: `validate` says so
    with the file and line, before any store refuses them."""
    limits = read_dataset(mini).schema.limits
    long_name = "N" * (limits.indexed_bytes + 1)
    long_id = "x" * (limits.indexed_bytes + 5)
    rewrite(
        mini / "nodes/Programme.csv",
        f"id,name,kind,start_year\nfrigate,Frigate,acquisition,2023\np2,{long_name},research,\n{long_id},P3,research,\n",
    )
    org = mini / "nodes/Organisation.csv"
    rewrite(org, org.read_text().replace(",120,", ",99999999999999999999,"))
    messages = issues_of(mini)
    assert messages == [
        f"{mini}/nodes/Organisation.csv:2: employees: Input should be less than or equal to 9223372036854775807 (got '99999999999999999999')",
        f"{mini}/nodes/Programme.csv:3: name: 8,001 bytes; an indexed value (id, name or a unique property) may take at most 8,000 bytes, the store's index limit",
        f"{mini}/nodes/Programme.csv:4: id: 8,005 bytes; an indexed value (id, name or a unique property) may take at most 8,000 bytes, the store's index limit",
    ]
    res = run("validate", str(mini))
    assert res.exit_code == 1 and "Traceback" not in res.output and long_name not in res.output


def test_a_link_out_of_the_dataset_folder_is_refused(mini: Path, tmp_path: Path, run):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$y$j9T$secrethash:19000:0:99999:7:::\n")
    target = mini / "nodes/Capability.csv"
    target.symlink_to(secret)
    assert issues_of(mini) == [
        f"{mini}/nodes/Capability.csv: a link to a file outside the dataset folder; copy the file into the folder"
    ]
    res = run("validate", str(mini))
    assert res.exit_code == 1 and "secrethash" not in res.output and "root:" not in res.output
    inside = mini / "nodes/Domain.csv"
    inside.rename(mini / "domains.csv")
    inside.symlink_to(mini / "domains.csv")  # a link that stays inside the folder is fine
    assert not [m for m in issues_of(mini) if "Domain.csv" in m]


def test_a_long_unknown_header_cell_is_echoed_only_in_part(mini: Path):
    rewrite(mini / "nodes/Capability.csv", "id,name,root:$y$j9T$secrethash:19000:0:99999:7:::\nc1,Radar,x\n")
    assert issues_of(mini) == [
        f"{mini}/nodes/Capability.csv:1: root:$y$… (41 characters): unknown column for label Capability; "
        "allowed: id, name, aliases, description, source, as_of, valid_from, valid_to, confidence, sensitivity"
    ]


def test_a_cell_over_the_cell_limit_names_the_limit(mini: Path):
    limit = read_dataset(mini).schema.limits.cell_chars
    rewrite(mini / "nodes/Capability.csv", f'id,name,description\nc1,Radar,"{"x" * (limit + 1)}"\nc2,Sonar,fine\n')
    assert issues_of(mini) == [
        f"{mini}/nodes/Capability.csv:2: description: cell of 131,073 characters; the limit for one CSV cell is 131,072"
    ]


def test_an_unclosed_quote_is_reported_where_it_opened(mini: Path):
    rows = "".join(f"c{i},Capability {i}\n" for i in range(3, 40000))
    rewrite(mini / "nodes/Capability.csv", f'id,name\nc1,"Radar\nc2,Sonar\n{rows}')
    assert issues_of(mini) == [
        f"{mini}/nodes/Capability.csv:2: malformed CSV: unexpected end of data "
        "(the quoted cell opened on this line is never closed)"
    ]
