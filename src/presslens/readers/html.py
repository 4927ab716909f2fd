"""HTML articles: trafilatura finds the main text and the page metadata.

``raw`` of an HTML document is the text trafilatura extracted (one paragraph per line), so
offsets refer to readable text, not to markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# trafilatura cleans HTML with lxml.html.clean, which lxml moved into this separate package;
# importing it here makes the dependency explicit and fails early if it is missing.
import lxml_html_clean  # noqa: F401
import trafilatura

from presslens.errors import InputError
from presslens.model import Published
from presslens.readers import codes
from presslens.readers.dates import parse_date
from presslens.readers.document import RawDocument
from presslens.readers.limits import markup_depth, too_deep
from presslens.readers.page_meta import page_labels

_HTML_RE = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|div|p|br|span|h[1-6]|a\s|ul|li|table)\b",
    re.IGNORECASE,
)
#: Meta dates only; searching the page text for dates would turn a guess into "html-meta".
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    url: str | None
    sitename: str | None
    authors: list[str]
    date: str | None
    sections: list[str]  # section names the page declares (meta tags, JSON-LD)
    page_types: list[str]  # schema.org article types it declares ("OpinionNewsArticle")
    language: str | None = None  # the language it declares (<html lang>), as written


def looks_like_html(text: str) -> bool:
    """Whether a string (a file head or a record field) is markup rather than plain text."""
    return _HTML_RE.search(text[:4096]) is not None


def sniff_html(text: str) -> bool:
    """Whether a file of unknown extension is an HTML page."""
    head = text.lstrip()[:64].lower()
    return head.startswith(("<html", "<!doctype"))


def extract_html(html: str, *, where: str) -> Extracted | InputError:
    """Main text and metadata of an HTML page, or the error saying there is none.

    Markup nested deeper than libxml2 follows is refused (P126) rather than half read.
    """
    _, deep_at = markup_depth(html)
    if deep_at >= 0:
        return too_deep(where, deep_at)
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except RecursionError:
        # Defence in depth: the depth check should make this unreachable.
        return too_deep(where, 0)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if doc is None or not text:
        return codes.input_error(
            codes.NO_MAIN_TEXT,
            "no main text found in the HTML (no <body>, or nothing that reads as article text)",
            where=where,
            hint="Check that the file is the article page itself, not a redirect or an "
            "index; save the page with its body, or pass the text as .txt.",
        )
    author = getattr(doc, "author", None) or ""
    labels = page_labels(html)
    return Extracted(
        text=text,
        title=getattr(doc, "title", None) or None,
        url=getattr(doc, "url", None) or None,
        sitename=getattr(doc, "sitename", None) or None,
        authors=[a.strip() for a in author.split(";") if a.strip()] or labels.authors,
        date=getattr(doc, "date", None) or None,
        sections=labels.sections,
        page_types=labels.types,
        language=labels.language,
    )


def html_document(
    html: str, *, source: str, key: str, meta: dict[str, object]
) -> RawDocument | InputError:
    """A :class:`RawDocument` for an HTML page; ``raw`` is the extracted text."""
    found = extract_html(html, where=source)
    if isinstance(found, InputError):
        return found
    when = parse_date(found.date) if found.date else None
    doc = RawDocument(
        source=source,
        key=found.url or key,
        raw=found.text,
        format="html",
        title=found.title,
        url=found.url,
        outlet=found.sitename,
        published=Published(date=when, source="html-meta", raw=found.date or "") if when else None,
        authors=found.authors,
        meta=dict(meta),
    )
    if found.sitename:
        doc.meta["sitename"] = found.sitename
    page_meta(doc.meta, found)
    return doc


def page_meta(meta: dict[str, object], found: Extracted) -> None:
    """Keep the page's declared sections and article types (``meta.sections``,
    ``meta.page_types``): the genre stages read them as the publisher's own label; and the
    language it declares (``meta.page_language``), which normalisation keeps as
    ``Article.language``."""
    if found.language:
        meta["page_language"] = found.language
    if found.sections:
        meta["sections"] = list(found.sections)
    if found.page_types:
        meta["page_types"] = list(found.page_types)
