"""Boilerplate lines: share widgets and navigation from a lexicon, and lines an outlet repeats.

Both rules look at whole lines only, and a line that reads as a sentence is never taken for a
widget, so a sentence that merely mentions "share", "more stories" or "follow us" is never cut.
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
_LEAD_PATTERNS = tuple(re.compile(p) for p in lexicons.BOILERPLATE_LEAD_PATTERNS)
_SUFFIX_RE = re.compile(lexicons.BOILERPLATE_SUFFIX)
_TOKEN_RE = re.compile(r"[\w-]+")
_DASH_RE = re.compile(r"[–—]| --? ")
_SENTENCE_ENDS = (".", "!", "?", '"', "”", "’", "'", ":")

#: A line of at least this many words that ends like a sentence reads as a sentence, never as
#: a widget or a repeated tagline. Widget lines are shorter ("Follow us on Twitter.", "Sign
#: up."), and stock sentences of news recur across an outlet's articles ("The company did not
#: respond to a request for comment." was removed from each as boilerplate), as do sentences
#: that open with widget words ("More stories about abuse emerged on Tuesday.").
SENTENCE_MIN_WORDS = 6
_SENTENCE_STOPS = re.compile(r"[.!?][\"”’')\]]*$")


def reads_as_sentence(line: str) -> bool:
    """Whether ``line`` has at least :data:`SENTENCE_MIN_WORDS` words and ends in ``.``, ``!``
    or ``?`` (closing quotes and brackets aside)."""
    text = line.strip()
    return len(text.split()) >= SENTENCE_MIN_WORDS and _SENTENCE_STOPS.search(text) is not None


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
    key = _SUFFIX_RE.sub("", key)
    for pattern in _PATTERNS:
        if pattern.fullmatch(key):
            return f"share/navigation pattern {pattern.pattern[:40]!r}…"
    for pattern in _LEAD_PATTERNS:
        m = pattern.fullmatch(key)
        if m is None or reads_as_sentence(line) or _DASH_RE.search(m.group("tail")):
            continue  # a sentence, or a dash that closes an aside ("More – much more – is …")
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
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)  # (outlet, line) -> documents
    for doc in docs:
        if not doc.outlet:
            continue
        for key in _short_lines(doc, settings):
            owners[key].add(doc.outlet)
            counts[(doc.outlet, key)].add(document_identity(doc))
    for doc in docs:
        if doc.outlet:
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


def repeated_lines(
    docs: Iterable[RawDocument], settings: Settings
) -> dict[str | None, frozenset[str]]:
    """Per outlet, the short lines found in at least ``repeated_line_min_articles`` documents.

    Lines are compared by :func:`~presslens.readers.lines.line_key`; documents are counted by
    :func:`document_identity`, so one article read twice counts once while two files with the
    same name in different folders count twice. Documents without an outlet are not compared:
    unrelated articles share no boilerplate ("No one was hurt." is news in each of them).
    Disclaimers are never returned: they are kept.
    """
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc in docs:
        if not doc.outlet:
            continue
        ident = document_identity(doc)
        for key in _short_lines(doc, settings):
            seen[doc.outlet][key].add(ident)
    out: dict[str | None, frozenset[str]] = {}
    for outlet, counts in seen.items():
        lines = frozenset(
            k
            for k, idents in counts.items()
            if len(idents) >= settings.repeated_line_min_articles
            and disclaimer_kind(k) is None
            and not reads_as_sentence(k)
        )
        if lines:
            out[outlet] = lines
    return out


def document_identity(doc: RawDocument) -> str:
    """What makes two documents one article when counting them: the URL when known, else where
    the document was read (``source``: the file path, with the record's line or item).

    The article key is not enough: without a URL it is the base file name, which every
    article of a folder-per-article layout (``s1/article.txt``, ``s2/article.txt``) shares.
    """
    return f"url {doc.url}" if doc.url else f"source {doc.source}"
