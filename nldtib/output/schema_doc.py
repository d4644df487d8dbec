"""The schema reference in Markdown, generated from ``schema/`` (docs/schema.md, ``nldtib schema``)."""

from __future__ import annotations

from ..schema import Property, Schema

__all__ = ["schema_markdown"]


def _type(p: Property) -> str:
    if p.type == "enum":
        return "enum: " + ", ".join(f"`{v}`" for v in p.values)
    if p.type == "ref":
        return "id of " + " or ".join(p.ref)
    bits = [p.type]
    if p.min is not None or p.max is not None:
        lo = "" if p.min is None else f"{p.min:g}"
        hi = "" if p.max is None else f"{p.max:g}"
        bits.append(f"{lo}..{hi}")
    if p.pattern:
        bits.append(f"pattern `{p.pattern}`")
    return ", ".join(bits)


def _table(props: tuple[Property, ...]) -> list[str]:
    lines = ["| property | type | required | description |", "|---|---|---|---|"]
    for p in props:
        flags = "yes" if p.required else ""
        if p.unique:
            flags = (flags + ", unique").lstrip(", ")
        if p.default is not None:
            flags = (flags + f", default `{p.default}`").lstrip(", ")
        desc = p.description.replace("|", "\\|")
        lines.append(f"| `{p.name}` | {_type(p).replace('|', chr(92) + '|')} | {flags} | {desc} |")
    return lines


def schema_markdown(schema: Schema) -> str:
    """The full schema reference as Markdown."""
    out = [
        "# nldtib schema reference",
        "",
        "Generated from `schema/schema.yaml` by `nldtib schema`. Do not edit by hand.",
        "",
        "A dataset is a folder with `nodes/<Label>.csv` (column `id` plus the label's properties) and",
        "`relationships/<TYPE>.csv` (columns `from`, `to` plus the type's properties). Multi-valued",
        "cells are separated by `;`. Files are UTF-8 and may start with a byte-order mark.",
        "",
        "## Provenance columns (every node and relationship)",
        "",
        schema.provenance_description,
        "",
        *_table(schema.provenance),
        "",
        "## Node labels",
        "",
        "| label | description |",
        "|---|---|",
        *[f"| [`{n.label}`](#{n.label.lower()}) | {n.description} |" for n in schema.nodes.values()],
        "",
    ]
    for n in schema.nodes.values():
        own = tuple(p for p in n.properties if p.name in ("id", "name", "aliases", "description") or p.name in n.own)
        out += [
            f"### {n.label}",
            "",
            n.description,
            "",
            f"File: `nodes/{n.label}.csv`. Colour `{n.colour}`, shape `{n.shape}`.",
            "",
            *_table(own),
            "",
        ]
    out += [
        "## Relationship types",
        "",
        "| type | from | to | group | description |",
        "|---|---|---|---|---|",
        *[
            f"| [`{r.type}`](#{r.type.lower()}) | {', '.join(r.sources)} | {', '.join(r.targets)} | {r.group} | {r.description} |"
            for r in schema.relationships.values()
        ],
        "",
    ]
    for r in schema.relationships.values():
        ident = "`from`, `to`" + "".join(f", `{k}`" for k in r.key)
        extra = f" At most {r.max_per_source} per source node." if r.max_per_source else ""
        out += [
            f"### {r.type}",
            "",
            r.description,
            "",
            f"File: `relationships/{r.type}.csv`. From {' or '.join(r.sources)} to {' or '.join(r.targets)}. Identity: {ident}.{extra}",
            "",
        ]
        own = tuple(p for p in r.properties if p.name in r.own)
        out += (_table(own) if own else ["No properties besides the provenance columns."]) + [""]
    out += [
        "## Uniqueness",
        "",
        "- `id` is unique across the whole dataset, over all labels.",
        *[
            f"- `{n.label}.{p.name}` is unique among {n.label} nodes."
            for n in schema.nodes.values()
            for p in n.properties
            if p.unique
        ],
        "- A relationship is identified by its type, `from`, `to` and its key properties; two rows with the same identity are an error.",
        "",
        "## Limits",
        "",
        schema.limits.description,
        "",
        "| limit | value |",
        "|---|---|",
        f"| indexed value (`id`, `name`, unique properties), bytes in UTF-8 | {schema.limits.indexed_bytes:,} |",
        f"| integer | {schema.limits.integer_min} .. {schema.limits.integer_max} |",
        f"| one CSV cell, characters | {schema.limits.cell_chars:,} |",
        "",
    ]
    return "\n".join(out)
