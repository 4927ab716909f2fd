"""Plain-text articles: header lines become metadata, the rest is the body (kept in ``raw``)."""

from __future__ import annotations

from presslens.model import Published
from presslens.readers.document import RawDocument
from presslens.readers.headers import parse_headers, split_authors


def text_document(raw: str, *, source: str, key: str, meta: dict[str, object]) -> RawDocument:
    """A :class:`RawDocument` for a plain-text article, metadata taken from its header lines.

    The headers stay in ``raw``; their ranges go to ``meta["headers"]`` so normalisation can
    drop them from the text and record them as removed.
    """
    doc = RawDocument(source=source, key=key, raw=raw, format="text", meta=dict(meta))
    headers = parse_headers(raw)
    doc.meta["headers"] = [
        {"field": h.field, "value": h.value, "raw_start": h.raw_start, "raw_end": h.raw_end}
        for h in headers
    ]
    for h in headers:
        if not h.value:
            continue
        if h.field == "date" and doc.published is None:
            if h.date is not None:
                doc.published = Published(date=h.date, source="header", raw=h.value)
            else:  # kept, as for records: "24/11/2026" is not guessed
                doc.meta.setdefault("date_unparsed", h.value)
        elif h.field == "title" and doc.title is None:
            doc.title = h.value
        elif h.field == "url" and doc.url is None:
            doc.url = h.value
        elif h.field in ("source", "outlet") and doc.outlet is None:
            doc.outlet = h.value
        elif h.field == "author":
            doc.authors.extend(split_authors(h.value))
        elif h.field == "section":
            sections = doc.meta.setdefault("sections", [])
            if isinstance(sections, list) and h.value not in sections:
                sections.append(h.value)
    if doc.url:
        doc.key = doc.url
    return doc
