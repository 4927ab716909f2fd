"""What a reader hands to normalisation: decoded raw text plus the metadata found around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from presslens.model import Published


@dataclass
class RawDocument:
    """One article as read, before normalisation.

    ``raw`` is the string that ``Article.offset_map`` maps into: the decoded file for plain
    text, the record's text field for JSONL/CSV, and for HTML (or HTML in a record field) the
    text trafilatura extracted, since markup offsets are not a useful reference for spans.
    """

    source: str  # where it was read: "path", "path:LINE" for JSONL/CSV records
    key: str  # stable key for the article id: url if known, else basename (+ ":LINE" / ":id")
    raw: str
    format: str  # "text" | "html" | "jsonl" | "csv"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: Published | None = None
    authors: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # encoding, sitename, headers, …
