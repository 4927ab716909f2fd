"""Whether a line of text is set in Title Case (a headline), where capitals say nothing.

NER and role rules read capitals as names; on a headline such as "Greek Prime Minister Calls
Bank Workers' Riot Deaths Murder" every word has one, so evidence from such lines is weak.
"""

from __future__ import annotations

__all__ = ["in_title_case_line", "is_title_case", "title_case_lines"]

#: A line is in Title Case when it does not end like a sentence, at least this share of its
#: words of four letters or more (but lower-case MINOR_LONG_WORDS) start with a capital, and
#: it has at least TITLE_CASE_MIN_WORDS of them ("Prime Minister George Papandreou spoke on
#: Monday." is not).
TITLE_CASE_SHARE = 0.9
TITLE_CASE_MIN_WORDS = 4
#: Prepositions and conjunctions of four letters or more that many headline styles leave in
#: lower case ("Lohan Checks into Betty Ford, Rehires Attorney"): in lower case they are not
#: counted either way; capitalised, they count as capitalised words.
_MINOR_LONG = """
with from into onto over upon than amid near past after about under until while since
before across against among around behind below beside between beyond during except
inside outside through toward towards within without
"""
MINOR_LONG_WORDS = frozenset(_MINOR_LONG.split())


def in_title_case_line(text: str, offset: int) -> bool:
    """Whether the line of ``text`` holding character ``offset`` is in Title Case."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return is_title_case(text[start : end if end >= 0 else len(text)])


def is_title_case(line: str) -> bool:
    """Whether one line (no line break) is in Title Case (see the module constants)."""
    line = line.strip()
    if line.endswith((".", "!", "?", ".”", '."', "”", '"')):
        return False
    words = [
        w for w in line.split() if len(w) >= 4 and w[0].isalpha() and w not in MINOR_LONG_WORDS
    ]
    if len(words) < TITLE_CASE_MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges ``(start, end)`` of the Title Case lines of ``text``, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if len(line) >= TITLE_CASE_MIN_WORDS * 4 and is_title_case(line):
            out.append((start, end))
        start = end + 1
    return out
