"""Single quotation marks told apart from apostrophes.

British, Irish, Australian, Indian and South African outlets quote with single marks
('…' or ‘…’), which are also apostrophes: "can't", "the students' union", "'90s",
"rock 'n' roll". A mark opens a quotation only at the start of a word that is not an elision,
and closes one only at the end of a word; a plural possessive ("the Joneses' house") closes
only when nothing better closes the quotation in its paragraph. A quotation left open at the
end of its paragraph is dropped (an apostrophe must not swallow the paragraph) unless the next
paragraph opens with a single mark: the convention for a quotation running over paragraphs.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["outermost", "single_quotations"]

_Range = tuple[int, int]

_MARKS = re.compile("[‘’']")
#: What may stand right before an opening single mark (besides whitespace).
_BEFORE_OPENER = frozenset('([{—–-/"“„«»')
#: Words an apostrophe opens by eliding their first letters ("'em", "rock 'n' roll").
ELISIONS: frozenset[str] = frozenset(
    {"em", "n", "til", "tis", "twas", "cause", "bout", "nuff", "ello", "kay", "round"}
)
_WORD = re.compile(r"[^\W\d_]+")


def single_quotations(text: str, exclude: list[_Range] | None = None) -> list[list[_Range]]:
    """Each single-mark quotation as its ``(start, end)`` fragments (one per paragraph it
    spans), marks included, in text order. Marks inside an ``exclude`` range (the double-mark
    quotations, whose single marks are nested quotes) and doubled marks (``''``, a double
    quote) are never quotation marks."""
    marks = [m.start() for m in _MARKS.finditer(text) if not _doubled(text, m.start())]
    if exclude:
        ranges = sorted(exclude)
        starts = [s for s, _ in ranges]
        marks = [i for i in marks if not _inside(ranges, starts, i)]
    found: list[list[_Range]] = []
    pending: list[_Range] = []  # earlier paragraphs of a quotation running over paragraphs
    open_at = -1
    open_end = -1  # where the open quotation's paragraph ends
    fallback = -1  # a plural possessive that closes the quotation if nothing else does
    k = 0
    while k < len(marks):
        i = marks[k]
        if open_at >= 0 and i > open_end:
            # the open quotation reached its paragraph's end without closing
            brk = open_end
            if fallback >= 0:
                found.append([*pending, (open_at, fallback + 1)])
                pending, open_at, fallback = [], -1, -1
                continue
            nxt = _next_paragraph_start(text, brk)
            if nxt == i and _opens(text, i):
                pending.append((open_at, _rstrip(text, open_at, brk)))
                open_at, open_end = i, _line_end(text, i)
                k += 1
                continue
            pending, open_at = [], -1
            continue
        if open_at < 0:
            if _opens(text, i):
                open_at, open_end = i, _line_end(text, i)
        elif _closes(text, i):
            if _possessive(text, i):
                if fallback < 0:
                    fallback = i
            else:
                found.append([*pending, (open_at, i + 1)])
                pending, open_at, fallback = [], -1, -1
        k += 1
    if open_at >= 0 and fallback >= 0:
        found.append([*pending, (open_at, fallback + 1)])
    return found


def outermost(quotations: list[list[_Range]]) -> list[list[_Range]]:
    """The quotations no other one holds, in text order: a double-mark quotation inside a
    single-mark one ('He told me "no",' she said) is a nested quote, not a quotation of its
    own. (Quotations never cross: single marks inside a double-mark quotation are left out.)"""
    out: list[list[_Range]] = []
    reach = -1
    for q in sorted(quotations, key=lambda q: (q[0][0], -q[-1][1])):
        if q[-1][1] <= reach:
            continue
        out.append(q)
        reach = q[-1][1]
    return out


def _inside(ranges: list[_Range], starts: list[int], i: int) -> bool:
    k = bisect.bisect_right(starts, i) - 1
    return k >= 0 and ranges[k][0] <= i < ranges[k][1]


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _doubled(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1] == "'") or (i + 1 < len(text) and text[i + 1] == "'")


def _opens(text: str, i: int) -> bool:
    """An opening mark: at a word's start, before a letter, not an elision ("'em", "'90s")."""
    if text[i] == "’":
        return False
    if i > 0 and not text[i - 1].isspace() and text[i - 1] not in _BEFORE_OPENER:
        return False
    if i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1].isdigit():
        return False
    word = _WORD.match(text, i + 1)
    return not (word and word.group().lower() in ELISIONS)


def _closes(text: str, i: int) -> bool:
    """A closing mark: after a word or punctuation, before no letter or digit ("can't")."""
    if text[i] == "‘" or i == 0 or text[i - 1].isspace():
        return False
    return i + 1 >= len(text) or not text[i + 1].isalnum()


def _possessive(text: str, i: int) -> bool:
    """ "the Joneses' house": an s, the mark, a space and a word."""
    return (
        text[i - 1] in "sS" and i + 2 < len(text) and text[i + 1] == " " and text[i + 2].isalnum()
    )


def _next_paragraph_start(text: str, brk: int) -> int:
    j = brk
    while j < len(text) and text[j].isspace():
        j += 1
    return j


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
