"""Attributed statements as flat rows: who said what, where (the CLI, report and web UI share it).

A row's ``speaker`` is the name of the entity cluster the attribution resolved to
(``attrs.speaker``), else the surface of its source span, else ``"unresolved"``. Rows hold
offsets into ``article.text``, never anything that is not in the article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any

from presslens.model import Article, Span

__all__ = ["FUZZY_WORD_RATIO", "UNRESOLVED", "fold", "quote_rows", "speaker_matches"]

UNRESOLVED = "unresolved"

#: Query and name words of at least FUZZY_MIN_CHARS characters match when difflib's ratio
#: reaches FUZZY_WORD_RATIO: one doubled or dropped letter in a 6-letter name passes (0.92),
#: "Trump"/"Tramp" (0.80) does not. Chosen by hand on transliterated names, not tuned on data.
FUZZY_WORD_RATIO = 0.85
FUZZY_MIN_CHARS = 4

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Casefolded, accent-free words separated by single spaces (``"Al-Rashīd"`` → ``"al rashid"``).

    Used to compare names regardless of case, accents, hyphens and punctuation.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", plain).strip()


def _word_matches(word: str, candidates: list[str]) -> bool:
    return any(
        c.startswith(word)
        or (
            min(len(word), len(c)) >= FUZZY_MIN_CHARS
            and SequenceMatcher(None, word, c).ratio() >= FUZZY_WORD_RATIO
        )
        for c in candidates
    )


def speaker_matches(query: str, *names: str | None) -> bool:
    """Whether ``query`` names one of ``names``, ignoring case, accents and punctuation.

    A name matches when the folded query is a substring of it, or when every query word starts a
    word of the name or is spelt nearly like one (``"kovall anna"`` matches
    ``"Anna Koval"``; see :data:`FUZZY_WORD_RATIO`). An empty query matches everything.
    """
    needle = fold(query)
    if not needle:
        return True
    words = needle.split()
    for name in names:
        if not name:
            continue
        hay = fold(name)
        if needle in hay or all(_word_matches(w, hay.split()) for w in words):
            return True
    return False


def _ref(spans: list[Span], index: Any) -> Span | None:
    if isinstance(index, int) and 0 <= index < len(spans):
        return spans[index]
    return None


def quote_rows(
    articles: Iterable[Article],
    *,
    speaker: str | None = None,
    min_confidence: float | None = None,
) -> list[dict[str, Any]]:
    """One row per span of every article's ``attributions`` layer, in article and text order.

    Each row: ``article`` (id), ``outlet``, ``title``, ``index`` (into ``attributions``),
    ``speaker`` (display name), ``speaker_id`` (cluster id or ``None``), ``source`` (source
    span text or ``None``), ``resolution``, ``kind``, ``cue`` (text or ``None``), ``text`` (the
    full statement), ``start``/``end``, and ``cue_span``/``source_span`` (``[start, end]`` or
    ``None``), ``fragments`` (the content's pieces when discontinuous, else ``None``) and
    ``confidence`` (the attribution scorer's, 0–1; ``None`` for articles analysed before it
    was recorded). ``min_confidence`` keeps rows whose confidence reaches it (rows without
    one are dropped by any bar). ``speaker`` keeps rows whose speaker name or source text
    matches it, ignoring case, accents and punctuation (see :func:`speaker_matches`).
    """
    rows: list[dict[str, Any]] = []
    for art in articles:
        clusters = {c.id: c.name for c in art.clusters}
        cues, sources = art.layer("cues"), art.layer("sources")
        ordered = sorted(enumerate(art.layer("attributions")), key=lambda t: t[1].start)
        for index, span in ordered:
            cue = _ref(cues, span.attrs.get("cue"))
            source = _ref(sources, span.attrs.get("source"))
            confidence = span.confidence
            if min_confidence is not None and (confidence is None or confidence < min_confidence):
                continue
            speaker_id = span.attrs.get("speaker")
            name = clusters.get(speaker_id) if isinstance(speaker_id, str) else None
            display = name or (source.text if source is not None else None) or UNRESOLVED
            source_text = source.text if source is not None else None
            if speaker is not None and not speaker_matches(speaker, display, source_text):
                continue
            rows.append(
                {
                    "article": art.id,
                    "outlet": art.outlet,
                    "title": art.title,
                    "index": index,
                    "speaker": display,
                    "speaker_id": speaker_id if isinstance(speaker_id, str) else None,
                    "source": source_text,
                    "resolution": span.attrs.get("resolution") or ("named" if name else UNRESOLVED),
                    "kind": span.attrs.get("kind") or span.label,
                    "cue": cue.text if cue is not None else None,
                    "text": span.text,
                    "start": span.start,
                    "end": span.end,
                    "cue_span": [cue.start, cue.end] if cue is not None else None,
                    "source_span": [source.start, source.end] if source is not None else None,
                    "fragments": span.attrs.get("fragments"),
                    "confidence": confidence,
                }
            )
    return rows
