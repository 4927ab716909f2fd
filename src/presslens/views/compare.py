"""The HTML page of one story's comparison (``presslens compare --html``): outlets side by side.

Rendered from the JSON of :func:`presslens.corpus.compare_story` with autoescaping on: every
article-derived string (titles, statements, names, phrases) is escaped by Jinja. The page is
self-contained (inline CSS, no script) and its Content-Security-Policy forbids network access.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["render_compare"]

#: Statements shown per outlet on the page (all are in the JSON).
PAGE_STATEMENTS = 40


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("presslens.views", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_compare(comparison: dict[str, Any]) -> str:
    """The comparison as one HTML page."""
    template = _environment().get_template("compare.html.j2")
    return template.render(c=comparison, max_statements=PAGE_STATEMENTS)
