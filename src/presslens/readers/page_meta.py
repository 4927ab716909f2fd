"""What an HTML page says about its own kind: its section and its schema.org type.

Publishers label opinion pages in the page head (``<meta property="article:section"
content="Opinion">``, JSON-LD ``"@type": "OpinionNewsArticle"``, ``"articleSection"``). The
genre stages read these labels (see ``presslens.stages.genre_signals``); this module only
collects them, as written, and the authors an article object names (trafilatura skips
JSON-LD without ``@context``; the HTML reader uses these when it found no author), and the
language the page declares (``<html lang>``, kept for ``Article.language``). Metadata is a
hint, never a reason to refuse a page: malformed JSON-LD is skipped silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

#: ``<meta>`` attributes (``property``, ``name`` or ``itemprop`` value, lower case) whose
#: ``content`` names the page's section.
SECTION_META = frozenset(
    {"article:section", "section", "article.section", "articlesection", "parsely-section"}
)
#: ``<meta>`` keys (``http-equiv``, ``name`` or ``property``, lower case) whose ``content``
#: names the page's language, read when ``<html>`` has no ``lang``.
LANGUAGE_META = frozenset({"content-language", "language", "og:locale", "dc.language"})
#: Labels kept per kind: a page listing hundreds is not labelling itself.
MAX_LABELS = 8
#: Characters kept per label.
MAX_LABEL_CHARS = 80
#: JSON-LD scripts read per page, and how deep their objects are walked.
MAX_SCRIPTS = 16
MAX_DEPTH = 6
XML_LANG = "xml:lang"  # as the HTML parser names the attribute of an XHTML page


@dataclass
class PageLabels:
    """Section names, schema.org article types and article authors a page declares (page
    order, no repeats)."""

    sections: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    language: str | None = None  # as written: "fr-FR", "en_US"

    def add(self, kind: list[str], value: Any) -> None:
        if not isinstance(value, str):
            return
        value = " ".join(value.split())[:MAX_LABEL_CHARS]
        if value and value not in kind and len(kind) < MAX_LABELS:
            kind.append(value)


def page_labels(html: str) -> PageLabels:
    """The sections and schema.org types a page declares in its ``<meta>`` tags and JSON-LD."""
    found = PageLabels()
    try:
        tree = lxml_html.document_fromstring(html)
    except ValueError:  # an XML declaration with an encoding: lxml wants bytes then
        try:
            tree = lxml_html.document_fromstring(html.encode("utf-8", "surrogatepass"))
        except (etree.ParserError, ValueError):
            return found
    except etree.ParserError:
        return found
    found.language = _label(tree.get("lang") or tree.get(XML_LANG))
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in SECTION_META:
            found.add(found.sections, el.get("content"))
        elif found.language is None and (
            key in LANGUAGE_META or (el.get("http-equiv") or "").lower() in LANGUAGE_META
        ):
            found.language = _label(el.get("content"))
    for k, script in enumerate(tree.xpath('//script[@type="application/ld+json"]')):
        if k >= MAX_SCRIPTS:
            break
        try:
            data = json.loads(script.text_content() or "")
        except (ValueError, RecursionError):  # RecursionError: hostile nesting ("[[[[…")
            continue
        _walk(data, found, 0)
    return found


def _label(value: str | None) -> str | None:
    """A declared value as one short line, None when empty."""
    if not value:
        return None
    return " ".join(value.split())[:MAX_LABEL_CHARS] or None


def _walk(node: Any, found: PageLabels, depth: int) -> None:
    """Collect ``@type`` and ``articleSection`` from a JSON-LD value (lists and ``@graph``)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node[:MAX_SCRIPTS]:
            _walk(item, found, depth + 1)
        return
    if not isinstance(node, dict):
        return
    types = node.get("@type")
    article = False
    for t in types if isinstance(types, list) else [types]:
        if isinstance(t, str) and "article" in t.lower():  # not WebPage, Person, …
            found.add(found.types, t)
            article = True
    if article:
        authors = node.get("author")
        for a in (authors if isinstance(authors, list) else [authors])[:MAX_LABELS]:
            found.add(found.authors, a.get("name") if isinstance(a, dict) else a)
    sections = node.get("articleSection")
    for s in sections if isinstance(sections, list) else [sections]:
        found.add(found.sections, s)
    _walk(node.get("@graph"), found, depth + 1)
