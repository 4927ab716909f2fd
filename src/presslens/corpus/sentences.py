"""Where the sentence holding a span starts and ends, for the corpus comparisons (numbers'
cue words, figures' names, speakers' affiliations) that read one sentence around an item."""

from __future__ import annotations

import re

from presslens.model import Article, Span

__all__ = ["sentence_bounds"]

_BEFORE = re.compile(r"[.!?]\s")
_AFTER = re.compile(r"[.!?](?:\s|$)")


def sentence_bounds(art: Article, span: Span) -> tuple[int, int]:
    """Offsets of the sentence holding ``span``'s start, widened to its end; from the
    ``sentences`` layer, else from sentence-ending punctuation within 300 characters (an
    article analysed without a sentence stage)."""
    for sent in art.layer("sentences"):
        if sent.start <= span.start < sent.end:
            return sent.start, max(sent.end, span.end)
    before = _BEFORE.split(art.text[max(0, span.start - 300) : span.start])
    after = _AFTER.split(art.text[span.end : span.end + 300])
    return span.start - len(before[-1]), span.end + len(after[0])
