"""Body lines of a raw document with their raw offsets, and the keys lines are compared by.

Both repeated-line counting and normalisation split documents here, so a line counted as
repeated is found again, character for character, when it is removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from presslens.readers.document import RawDocument

#: Invisible control characters that normalisation removes from the text (kept in
#: ``meta.removed``): C0 controls other than whitespace (NUL, ESC, …), DEL, the bidi
#: embedding, override and isolate controls that can make displayed text read differently
#: from its characters ("Trojan source"), and U+FEFF, a byte-order mark inside the text (files
#: joined with ``cat``, a mark pasted mid-word; the one opening a file is gone when it is
#: decoded), which splits the word it stands in. Bidi *marks* (LRM, RLM, ALM) are kept: they
#: only steer neutral characters and belong to right-to-left text.
INVISIBLE = "\x00-\x08\x0e-\x1b\x7f\u202a-\u202e\u2066-\u2069\ufeff"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")
_LINE_RE = re.compile(r"[^\r\n]*")
_BREAK_RE = re.compile(r"\r\n|\r|\n")
_LEAD_WS_RE = re.compile(rf"[\s{INVISIBLE}]*")
_INVISIBLE_CHARS = frozenset(
    chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F, *range(0x202A, 0x202F), 0xFEFF)
) | frozenset(chr(c) for c in range(0x2066, 0x206A))
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
    e = end
    # A backwards scan, linear; a regex like r"\s+$" would be quadratic on long space runs.
    while e > s and (raw[e - 1].isspace() or raw[e - 1] in _INVISIBLE_CHARS):
        e -= 1
    return Line(s, e, raw[s:e])
