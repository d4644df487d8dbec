"""The Markdown report escapes every data value: payloads rendered by a real Markdown library stay text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from nldtib.output.report import render_html, render_markdown
from nldtib.output.report.markdown import escape
from nldtib.session import Session

from analysis_fixtures import GraphBuilder

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "<script>alert(1)</script>",
    "<https://evil.example/auto>",
    "&lt;img src=x onerror=alert(2)&gt;",
    "**bold** _it_ `code` ~~gone~~",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "a | b | c",
    "[ref]: javascript:alert(3)",
    "<a href='javascript:alert(4)'>x</a>",
    "line\nbreak\n===",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _payload_report() -> dict:
    g = GraphBuilder()
    g.country("NL", eu=True, nato=True)
    g.programme("p", name=PAYLOADS[1])
    prev = "p"
    for i, payload in enumerate(PAYLOADS):
        org = g.org(f"o{i}", "NL", name=payload, source="javascript:alert(9)")
        g.supplies(org, prev, f"i{i}")
        prev = org
    return Session(g.dataset()).report().to_dict()


@pytest.fixture(scope="module")
def rendered() -> tuple[str, _Elements]:
    markdown_it = pytest.importorskip("markdown_it")
    md = render_markdown(_payload_report())
    # CommonMark with raw HTML allowed, plus GitHub's tables, strikethrough and bare-URL links
    html = markdown_it.MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])
    parser = _Elements()
    parser.feed(html.render(md))
    return md, parser


def test_no_payload_becomes_markup(rendered):
    _, page = rendered
    tags = {t for t, _ in page.tags}
    # no image, script, frame, strike-through, quote or numbered list: none is ours, so any would be a payload's
    assert not tags & {"img", "script", "iframe", "s", "del", "blockquote", "ol"}
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "a" and "href" in attrs:
            href = attrs["href"] or ""
            assert href.startswith(("#", "https://", "http://")), href
        if tag == "a" and "id" in attrs:
            assert attrs["id"].replace("-", "").isalnum()


def test_every_payload_is_shown_as_text(rendered):
    _, page = rendered
    text = " ".join(" ".join(page.text).split())
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in text, payload


def test_headings_lists_and_quotes_come_only_from_the_report(rendered):
    _, page = rendered
    headings = [t for t, _ in page.tags if t in ("h1", "h2", "h3")]
    assert headings.count("h1") == 1  # "Resilience report", never a name
    assert "javascript:" not in "".join((a.get("href") or "") for _, a in page.tags)


def test_html_report_escapes_the_same_payloads():
    html = render_html(_payload_report())
    parser = _Elements()
    parser.feed(html)
    assert not {t for t, _ in parser.tags} & {"img", "script", "iframe"}
    assert all(not k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert all(
        (attrs.get("href") or "#").startswith(("#", "http://", "https://")) for tag, attrs in parser.tags if tag == "a"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_round_trips_through_commonmark(payload):
    markdown_it = pytest.importorskip("markdown_it")
    out = markdown_it.MarkdownIt("commonmark", {"html": True}).renderInline(escape(payload))
    parser = _Elements()
    parser.feed(out)
    assert parser.tags == []
    assert "".join(parser.text) == " ".join(payload.split()) if "\n" in payload else "".join(parser.text) == payload
