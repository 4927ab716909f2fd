"""Boilerplate lines: share widgets and navigation from a lexicon, and lines an outlet repeats.

Both rules look at whole lines only, so a sentence that merely mentions "share" or "read
more" is never cut.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from presslens import lexicons
from presslens.readers.document import RawDocument
from presslens.readers.lines import body_lines, line_key
from presslens.readers.markers import disclaimer_kind
from presslens.settings import Settings

_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_PATTERNS = tuple(re.compile(p) for p in lexicons.BOILERPLATE_PATTERNS)
_TOKEN_RE = re.compile(r"[\w-]+")
_SENTENCE_ENDS = (".", "!", "?", '"', "”", "’", "'", ":")


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


def infer_outlets(docs: Sequence[RawDocument], settings: Settings) -> None:
    """Give an outlet-less document the outlet whose signature line it carries.

    A signature line is a short line that is neither a widget nor a sentence (no final
    punctuation), found in at least two documents of exactly one outlet: a tagline, a footer.
    The evidence goes to ``meta["outlet_from"]``; a document whose signature lines point to
    more than one outlet is left alone.
    """
    owners: dict[str, set[str]] = defaultdict(set)  # line -> outlets using it
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)  # (outlet, line) -> doc keys
    for doc in docs:
        if doc.outlet is None:
            continue
        for key in _short_lines(doc, settings):
            owners[key].add(doc.outlet)
            counts[(doc.outlet, key)].add(doc.key)
    for doc in docs:
        if doc.outlet is not None:
            continue
        found = set()
        for key in _short_lines(doc, settings):
            if len(owners.get(key, ())) != 1 or key.endswith(_SENTENCE_ENDS):
                continue
            (outlet,) = owners[key]
            if len(counts[(outlet, key)]) >= 2 and widget_reason(key) is None:
                found.add((outlet, key))
        outlets = {outlet for outlet, _ in found}
        if len(outlets) == 1:
            outlet, line = min(found)
            doc.outlet = outlet
            doc.meta["outlet_from"] = {"rule": "signature line", "line": line}


def _short_lines(doc: RawDocument, settings: Settings) -> set[str]:
    """Keys of the document's non-blank lines short enough to be boilerplate."""
    most = settings.repeated_line_max_words
    # split(maxsplit=…) stops after a few words, so a 100 MB line costs no full pass here.
    keys = (
        line_key(line.text)
        for line in body_lines(doc)
        if not line.blank and len(line.text.split(maxsplit=most)) <= most
    )
    return {k for k in keys if len(k.split()) <= most}


#: A repeated line of at least this many words that ends like a sentence is kept: stock
#: sentences of news ("The company did not respond to a request for comment.") recur across
#: an outlet's articles and were removed as boilerplate; widget lines ("Sign up for our
#: newsletter.", "All rights reserved.") are shorter.
SENTENCE_MIN_WORDS = 6
_SENTENCE_STOPS = re.compile(r"[.!?][\"”’')\]]*$")


def _reads_as_sentence(key: str) -> bool:
    return len(key.split()) >= SENTENCE_MIN_WORDS and _SENTENCE_STOPS.search(key) is not None


def repeated_lines(
    docs: Iterable[RawDocument], settings: Settings
) -> dict[str | None, frozenset[str]]:
    """Per outlet, the short lines found in at least ``repeated_line_min_articles`` documents.

    Lines are compared by :func:`~presslens.readers.lines.line_key`; documents are counted by
    key, so one article read twice counts once. Disclaimers are never returned: they are kept.
    """
    seen: dict[str | None, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc in docs:
        for key in _short_lines(doc, settings):
            seen[doc.outlet][key].add(doc.key)
    out: dict[str | None, frozenset[str]] = {}
    for outlet, counts in seen.items():
        lines = frozenset(
            k
            for k, keys in counts.items()
            if len(keys) >= settings.repeated_line_min_articles
            and disclaimer_kind(k) is None
            and not _reads_as_sentence(k)
        )
        if lines:
            out[outlet] = lines
    return out
