"""Boilerplate lines: share widgets and navigation from a lexicon, and lines an outlet repeats.

Both rules look at whole lines only, so a sentence that merely mentions "share" or "read
more" is never cut.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from presslens import lexicons
from presslens.readers.document import RawDocument
from presslens.readers.lines import body_lines, line_key
from presslens.readers.markers import disclaimer_kind
from presslens.settings import Settings

_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_PATTERNS = tuple(re.compile(p) for p in lexicons.BOILERPLATE_PATTERNS)
_TOKEN_RE = re.compile(r"[\w-]+")


def widget_key(line: str) -> str:
    """The line lower-cased, whitespace collapsed, punctuation and emoji trimmed at both ends."""
    return _EDGE_RE.sub("", line_key(line).casefold())


def widget_reason(line: str) -> str | None:
    """Why a line is a share widget or navigation line, or ``None`` when it is not."""
    if len(line) > lexicons.BOILERPLATE_MAX_CHARS:
        return None
    key = widget_key(line)
    if not key:
        return None
    if key in lexicons.BOILERPLATE_LINES:
        return f"share/navigation phrase {key!r}"
    tokens = _TOKEN_RE.findall(key)
    if len(tokens) > lexicons.BOILERPLATE_MAX_WORDS:
        return None
    if len(tokens) >= 2 and all(t in lexicons.SHARE_TARGETS for t in tokens):
        return "share bar (only share-target names)"
    for pattern in _PATTERNS:
        if pattern.fullmatch(key):
            return f"share/navigation pattern {pattern.pattern[:40]!r}…"
    return None


def repeated_lines(
    docs: Iterable[RawDocument], settings: Settings
) -> dict[str | None, frozenset[str]]:
    """Per outlet, the short lines found in at least ``repeated_line_min_articles`` documents.

    Lines are compared by :func:`~presslens.readers.lines.line_key`; documents are counted by
    key, so one article read twice counts once. Disclaimers are never returned: they are kept.
    """
    seen: dict[str | None, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc in docs:
        for line in body_lines(doc):
            if line.blank:
                continue
            key = line_key(line.text)
            if len(key.split()) <= settings.repeated_line_max_words:
                seen[doc.outlet][key].add(doc.key)
    out: dict[str | None, frozenset[str]] = {}
    for outlet, counts in seen.items():
        lines = frozenset(
            k
            for k, keys in counts.items()
            if len(keys) >= settings.repeated_line_min_articles and disclaimer_kind(k) is None
        )
        if lines:
            out[outlet] = lines
    return out
