"""Whether a line of text is set in Title Case (a headline), where capitals say nothing.

NER and role rules read capitals as names; on a headline such as "Greek Prime Minister Calls
Bank Workers' Riot Deaths Murder" every word has one, so evidence from such lines is weak.
"""

from __future__ import annotations

__all__ = ["in_title_case_line", "is_title_case", "title_case_lines"]

#: A line is in Title Case when it does not end like a sentence, at least this share of its
#: words of four letters or more start with a capital, and it has at least
#: TITLE_CASE_MIN_WORDS of them ("Prime Minister George Papandreou spoke on Monday." is not).
TITLE_CASE_SHARE = 0.9
TITLE_CASE_MIN_WORDS = 4


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
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
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
