"""Rich text in a report: plain strings mixed with node references, links and internal links.

A *text* is a ``str`` or a list of segments. A segment is a ``str`` (plain text, escaped by each
renderer), or one of:

- ``("ref", id)``: a node, shown as its name with its id (names come from the report's
  ``names``);
- ``("link", url, text)``: a source; only ``http``/``https`` URLs become links;
- ``("goto", anchor, text)``: a link to a section of the report;
- ``("muted", text)``: secondary text.

The renderers (HTML, Markdown) turn texts into their markup and escape every data value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from .evidence import is_url

__all__ = ["Text", "ref", "refs", "chain", "slot", "link", "source", "short_url", "join", "plain"]

Text = Any  # str | list[str | tuple]


def ref(node_id: str) -> tuple[str, str]:
    return ("ref", node_id)


def refs(ids: Iterable[str], sep: str = ", ") -> list[Any]:
    """Node references separated by ``sep``."""
    return join([[ref(i)] for i in ids], sep)


def chain(path: Sequence[str]) -> list[Any]:
    """A chain ``[target, ..., unit]`` as names with ids, joined by arrows."""
    return join([[ref(i)] for i in path], " ← ")


def slot(name: str) -> list[Any]:
    """A slot (``item:x``, ``material:x``, ``location``, ``production:stage``) in words: the item
    or material named with its id, the production stage in brackets."""
    kind, _, what = name.partition(":")
    if not what:
        return [kind]
    return [f"{kind} ", ref(what)] if kind in ("item", "material") else [f"{kind} ({what})"]


def short_url(url: str, limit: int = 48) -> str:
    """The host and path of ``url``, shortened for display.

    >>> short_url("https://www.rijksoverheid.nl/actueel/nieuws/2025/06/16/ihc-en-naval-tekenen")
    'rijksoverheid.nl/actueel/nieuws/2025/06/16/ihc-…'
    """
    parts = urlsplit(url)
    text = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, text: str | None = None) -> tuple[str, str, str]:
    return ("link", url, text or short_url(url))


def source(text: str) -> Any:
    """One source: a link when it is an http(s) URL, else the reference as text."""
    return link(text) if is_url(text) else text


def join(parts: Iterable[Any], sep: str = ", ") -> list[Any]:
    """Texts joined by the plain string ``sep``."""
    out: list[Any] = []
    for i, part in enumerate(parts):
        if i:
            out.append(sep)
        out.extend(part if isinstance(part, list) else [part])
    return out


def plain(text: Text, names: dict[str, str]) -> str:
    """The text without markup (for titles and alt text)."""
    if isinstance(text, str):
        return text
    out = []
    for seg in text:
        if isinstance(seg, str):
            out.append(seg)
        elif seg[0] == "ref":
            out.append(f"{names.get(seg[1], seg[1])} ({seg[1]})")
        else:
            out.append(seg[-1])
    return "".join(out)
