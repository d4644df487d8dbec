"""The resilience report: one JSON result (build.py), rendered as Markdown and HTML."""

from __future__ import annotations

from .build import build_report
from .html import render_html
from .markdown import render_markdown

__all__ = ["build_report", "render_markdown", "render_html"]
