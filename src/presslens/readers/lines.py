"""Body lines of a raw document with their raw offsets, and the keys lines are compared by.

Both repeated-line counting and normalisation split documents here, so a line counted as
repeated is found again, character for character, when it is removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from presslens.readers.document import RawDocument

_LINE_RE = re.compile(r"[^\r\n]*")
_BREAK_RE = re.compile(r"\r\n|\r|\n")
_LEAD_WS_RE = re.compile(r"\s*")
_WS_RUN_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """A body line: raw offsets of its content without surrounding whitespace.

    ``start == end`` marks a blank line.
    """

    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return self.start == self.end


def body_start(doc: RawDocument) -> int:
    """Raw offset where the body begins: after the last header range, if any."""
    headers = doc.meta.get("headers") or []
    return max((int(h["raw_end"]) for h in headers), default=0)


def body_lines(doc: RawDocument) -> list[Line]:
    """The lines of ``doc.raw`` from :func:`body_start` on (``\\r\\n``, ``\\r``, ``\\n`` break)."""
    raw = doc.raw
    pos = body_start(doc)
    out: list[Line] = []
    while pos <= len(raw):
        m = _LINE_RE.match(raw, pos)
        end = m.end() if m else pos
        out.append(_content(raw, pos, end))
        brk = _BREAK_RE.match(raw, end)
        if brk is None:
            break
        pos = brk.end()
    return out


def line_key(text: str) -> str:
    """How lines are compared across documents: NFC, whitespace runs as one space, stripped."""
    return unicodedata.normalize("NFC", _WS_RUN_RE.sub(" ", text).strip())


def _content(raw: str, start: int, end: int) -> Line:
    lead = _LEAD_WS_RE.match(raw, start, end)
    s = lead.end() if lead else start
    if s == end:
        return Line(end, end, "")
    text = raw[s:end].rstrip()  # str.rstrip: linear, same whitespace as the regex \s
    return Line(s, s + len(text), text)
