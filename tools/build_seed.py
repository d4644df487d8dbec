"""Build the shipped seed dataset ``seed/`` from the fact files in ``tools/seed_data/``.

Run from the repository root::

    python tools/build_seed.py          # writes seed/nodes/*.csv and seed/relationships/*.csv

The facts live in YAML files, one per topic (``tools/seed_data/*.yaml``); this script only turns
them into nodes and relationships, checks them and writes them with :func:`nldtib.write_dataset`,
so the CSVs are in canonical form. ``seed_data/README.md`` documents the file format.

Every row carries ``source``, ``as_of`` and ``confidence``: a file's ``defaults`` give them, a row
overrides them. ``src`` lists source keys from ``sources.yaml`` or literal citations.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "seed_data"
sys.path.insert(0, str(ROOT))

from nldtib import Dataset, Node, Rel, load_schema, read_dataset, write_dataset  # noqa: E402

PROVENANCE = ("src", "as_of", "conf", "valid_from", "valid_to")
SKIP_FILES = {"sources.yaml", "capacity_facts.yaml"}  # not graph data


class SeedError(ValueError):
    """A fact file is malformed (unknown source key, missing provenance, duplicate id)."""


def _text(value: Any) -> Any:
    """YAML reads 2025 as int and 2025-10-01 as a date; dates are strings in the dataset."""
    return value.isoformat() if isinstance(value, date) else str(value) if isinstance(value, int) else value


class Builder:
    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.nodes: dict[str, Node] = {}
        self.rels: list[Rel] = []

    # -- provenance ------------------------------------------------------------------------
    def source(self, src: Any, where: str) -> str:
        keys = src if isinstance(src, list) else [src]
        out = []
        for key in keys:
            key = str(key)
            if key in self.sources:
                out.append(self.sources[key])
            elif " " in key or "://" in key:  # a literal citation
                out.append(key)
            else:
                raise SeedError(f"{where}: unknown source key {key!r}")
        return ";".join(out)

    def prov(self, row: dict, base: dict, where: str) -> dict[str, Any]:
        p = {k: row.get(k, base.get(k)) for k in PROVENANCE}
        if p["src"] is None or p["as_of"] is None or p["conf"] is None:
            raise SeedError(f"{where}: src, as_of and conf are required (directly or from defaults)")
        out = {
            "source": self.source(p["src"], where),
            "as_of": _text(p["as_of"]),
            "confidence": p["conf"],
            "sensitivity": "public",
        }
        for k in ("valid_from", "valid_to"):
            if p[k] is not None:
                out[k] = _text(p[k])
        return out

    # -- records ---------------------------------------------------------------------------
    def node(self, label: str, row: dict, base: dict, where: str) -> dict:
        props = {
            k: v
            for k, v in row.items()
            if k not in PROVENANCE and k not in SHORTHANDS.get(label, ()) and k != "id" and v not in (None, "", [])
        }
        if row["id"] in self.nodes:
            raise SeedError(f"{where}: duplicate id {row['id']!r}")
        prov = self.prov(row, base, where)
        self.nodes[row["id"]] = Node(row["id"], label, {**props, **prov})
        return prov

    def rel(self, type_: str, src: str, dst: str, row: dict, base: dict, where: str) -> None:
        props = {
            k: v for k, v in row.items() if k not in PROVENANCE and k not in ("from", "to") and v not in (None, "", [])
        }
        self.rels.append(Rel(type_, src, dst, {**props, **self.prov(row, base, where)}))

    # -- shorthands --------------------------------------------------------------------------
    def organisation(self, row: dict, base: dict, where: str) -> None:
        self.node("Organisation", row, base, where)
        own = {**base, **{k: row[k] for k in PROVENANCE if k in row}}
        loc = {**own, "src": row.get("loc_src", own["src"]), "conf": row.get("loc_conf", own["conf"])}
        self.rel("LOCATED_IN", row["id"], row["country"], {}, loc, where)
        directory = {**own, "conf": row.get("dir_conf", own["conf"])}
        for d in row.get("domains", ()):
            self.rel("ACTIVE_IN", row["id"], d, {}, directory, where)
        for c in row.get("caps", ()):
            self.rel("HAS_CAPABILITY", row["id"], c, {}, directory, where)
        for m in row.get("member_of", ()):
            self.rel("MEMBER_OF", row["id"], m, {}, directory, where)

    def programme(self, row: dict, base: dict, where: str) -> None:
        self.node("Programme", row, base, where)
        own = {**base, **{k: row[k] for k in PROVENANCE if k in row}}
        for d in row.get("domains", ()):
            self.rel("ACTIVE_IN", row["id"], d, {}, {**own, "conf": "inferred"}, where)
        for p in row.get("participants", ()):
            p = {"who": p[0], "role": p[1]} if isinstance(p, list) else dict(p)
            self.rel("PARTICIPATES_IN", p.pop("who"), row["id"], p, own, where)

    def bloc(self, row: dict, base: dict, where: str) -> None:
        self.node("Bloc", row, base, where)
        for code, dates in row["members"].items():
            since, until = (dates + [None])[:2] if isinstance(dates, list) else (dates, None)
            self.rel("MEMBER_OF", code, row["id"], {"valid_from": since, "valid_to": until}, base, where)

    def load(self, path: Path) -> None:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        base = doc.pop("defaults", {})
        for section, rows in doc.items():
            if not isinstance(rows, list):  # settings such as countries.yaml's tables_as_of
                continue
            for i, row in enumerate(rows):
                where = f"{path.name}:{section}[{i}]"
                if section == "Organisation":
                    self.organisation(row, base, where)
                elif section == "Programme":
                    self.programme(row, base, where)
                elif section == "Bloc":
                    self.bloc(row, base, where)
                elif section[0].isupper() and not section.isupper():
                    self.node(section, row, base, where)
                else:
                    self.rel(section, row["from"], row["to"], row, base, where)


SHORTHANDS = {
    "Organisation": ("country", "domains", "caps", "member_of", "loc_conf", "loc_src", "dir_conf"),
    "Programme": ("domains", "participants"),
    "Bloc": ("members",),
}


def build() -> Dataset:
    sources = {str(k): str(v) for k, v in yaml.safe_load((DATA / "sources.yaml").read_text("utf-8")).items()}
    builder = Builder(sources)
    for path in sorted(DATA.glob("*.yaml")):
        if path.name not in SKIP_FILES:
            builder.load(path)
    return Dataset(load_schema(), builder.nodes, builder.rels, "seed")


# --------------------------------------------------------------------------------------------
# seed/README.md: the tables between the markers are generated from the data
# --------------------------------------------------------------------------------------------
START, END = "<!-- generated tables: start (tools/build_seed.py) -->", "<!-- generated tables: end -->"
SUPPLY_TYPES = ("SUPPLIES", "REQUIRES", "USES_MATERIAL", "PRODUCES")


def _table(header: tuple[str, ...], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def readme_tables(ds: Dataset, folder: Path, on: str) -> str:
    current = lambda r: r.props.get("valid_from", "") <= on < r.props.get("valid_to", "9999")  # noqa: E731
    located = {r.src: r.dst for r in ds.rels if r.type == "LOCATED_IN"}
    domains: dict[str, set[str]] = {}
    for r in ds.rels:
        if r.type == "ACTIVE_IN":
            domains.setdefault(r.src, set()).add(r.dst)
    dutch = [
        o
        for o in ds.nodes.values()
        if o.label == "Organisation"
        and current(o)
        and located.get(o.id) == "NL"
        and o.props.get("kind")
        and o.props.get("city")
        and domains.get(o.id)
    ]
    kinds = Counter(o.props["kind"] for o in dutch)
    by_domain = Counter(d for o in dutch for d in domains[o.id])
    supplied = {(r.dst, r.props["item"]) for r in ds.rels if r.type == "SUPPLIES"}
    with_supply = {r.dst for r in ds.rels if r.type == "SUPPLIES"} | {
        r.src for r in ds.rels if r.type == "REQUIRES" and (r.src, r.dst) in supplied
    }
    programmes = sorted((p for p in ds.nodes.values() if p.label == "Programme"), key=lambda p: p.id)
    conf = Counter(x.props["confidence"] for x in [*ds.nodes.values(), *ds.rels])
    meaning = {
        "reported": "a cited source states it",
        "inferred": "derived from sources but not stated, or resting on a secondary copy only",
        "illustrative": "modelled so that an analysis is meaningful; **not a claim about the real world**",
    }
    supply_rows = []
    for t in SUPPLY_TYPES:
        rows = [r for r in ds.rels if r.type == t]
        ill = sum(r.props["confidence"] == "illustrative" for r in rows)
        supply_rows.append((f"`relationships/{t}.csv`", len(rows), ill, f"{100 * ill / max(len(rows), 1):.1f} %"))
    all_rows = [r for r in ds.rels if r.type in SUPPLY_TYPES]
    all_ill = sum(r.props["confidence"] == "illustrative" for r in all_rows)
    supply_rows.append(("all four together", len(all_rows), all_ill, f"{100 * all_ill / len(all_rows):.1f} %"))
    files = {str(p.relative_to(folder)): p.read_bytes().count(b"\n") - 1 for p in sorted(folder.glob("*/*.csv"))}
    parts = [
        "### Dutch organisations\n\nCurrent organisations located in NL with a kind, a city, at least one domain and "
        "a source (valid on " + on + ").\n",
        _table(("figure", "value"), [("Dutch organisations (current, complete)", len(dutch))]),
        "",
        _table(("kind", "organisations"), [(f"kind `{k}`", n) for k, n in sorted(kinds.items(), key=lambda x: -x[1])]),
        "",
        _table(("domain", "organisations"), sorted(by_domain.items(), key=lambda x: -x[1])),
        "\n### Programmes and their supply data\n",
        _table(
            ("programme", "kind", "supply data"),
            [
                (f"{p.props['name']} (`{p.id}`)", p.props["kind"], "yes" if p.id in with_supply else "**no**")
                for p in programmes
            ],
        ),
        "\n### Modelled (illustrative) rows in the supply files\n",
        _table(("file", "rows", "illustrative", "share"), supply_rows),
        "\n### Confidence of all records\n",
        _table(("`confidence`", "meaning", "records"), [(f"`{c}`", meaning[c], conf[c]) for c in meaning if conf[c]]),
        "\n### Rows per file\n",
        _table(("file", "rows"), [(f"`{name}`", n) for name, n in files.items()]),
    ]
    return "\n".join(parts)


def write_readme(ds: Dataset, folder: Path, on: str) -> None:
    path = folder / "README.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(f"{head}{START}\n{readme_tables(ds, folder, on)}\n{END}{tail}", encoding="utf-8")


def main(target: Path = ROOT / "seed") -> None:
    dataset = build()
    with tempfile.TemporaryDirectory() as tmp:
        write_dataset(dataset, tmp)
        checked = read_dataset(tmp)  # validates everything; raises DatasetError listing all issues
    write_dataset(checked, target)  # canonical form of the validated dataset
    if (target / "README.md").exists():
        write_readme(checked, target, yaml.safe_load((DATA / "countries.yaml").read_text("utf-8"))["tables_as_of"])
    print(f"wrote {target}: {len(checked.nodes)} nodes, {len(checked.rels)} relationships")


if __name__ == "__main__":
    main()
