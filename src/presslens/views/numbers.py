"""Numbers as flat rows: what each counts, when, and whom the article cites for it.

A fact-checker's first questions about "2,009 terrorism cells since 2002" are what is counted,
over what time, and on whose word ("according to data from the BCIJ"). Each row answers them
from the ``quantities`` layer: the counted noun phrase, the time expression the number is tied
to (with its preposition: "since 2002"), and ``cited``, the speaker of the attributed statement
or "according to" sentence that holds the number (its entity's name when resolved, else the
source's words). Rows hold offsets into ``article.text``; the CLI (``presslens numbers``) and
the web article page share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from presslens.corpus.compare import PRONOUNS, number_class
from presslens.lexicons_numbers import NUMBER_KINDS
from presslens.model import Article, Span
from presslens.views.quotes import fold, speaker_matches

__all__ = ["NUMBER_KINDS", "listed", "number_rows", "what_it_counts"]


def _ref(spans: list[Span], index: Any) -> Span | None:
    if isinstance(index, int) and 0 <= index < len(spans):
        return spans[index]
    return None


def _pair(ref: Any) -> tuple[int, int] | None:
    if isinstance(ref, list | tuple) and len(ref) == 2 and all(isinstance(v, int) for v in ref):
        return int(ref[0]), int(ref[1])
    return None


def _pronoun(text: str | None) -> bool:
    return text is not None and text.strip().casefold() in PRONOUNS


def _class_of(art: Article, span: Span) -> str | None:
    return number_class(art, span) if span.label in ("count", "vague") else None


def listed(row: dict[str, Any], art: Article) -> dict[str, Any]:
    """A row as the corpus-wide listings give it (the store's ``numbers`` table, ``/numbers``,
    ``presslens numbers``): plus ``sentence_text`` (the sentence holding the number) and
    ``published`` (the article's ISO day or ``None``)."""
    lo, hi = row["sentence"] or (row["start"], row["end"])
    published = art.published.date.isoformat() if art.published else None
    return row | {"sentence_text": art.text[lo:hi], "published": published}


def what_it_counts(counted: str | None, cls: str | None, unit: str | None, kind: str) -> str:
    """What a number counts, as the listings show it: the counted phrase with its class when
    the words around it say more ("people (dead)"), else the class, the unit or the kind."""
    if counted and cls and cls not in counted:
        return f"{counted} ({cls})"
    return counted or cls or unit or kind


def number_rows(
    articles: Iterable[Article],
    *,
    counted: str | None = None,
    cited: str | None = None,
    kinds: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """One row per span of every article's ``quantities`` layer, in article and text order.

    Each row: ``article`` (id), ``outlet``, ``title``, ``index`` (into ``quantities``),
    ``text``, ``start``/``end``, ``kind`` (count, money, percent…), ``value``, ``low``,
    ``high``, ``approx`` ("about", "at least"…), ``unit``, ``counted`` (the counted noun
    phrase's text or ``None``) with ``counted_span`` and ``counted_lemma``, ``class`` (what a
    count is of when the words around it say so: "dead", "injured", "missing"…, as
    ``compare`` groups numbers), ``counts`` (what it counts as the listings show it: "people
    (dead)", else the class, unit or kind; :func:`what_it_counts`),
    ``when`` (preposition and time expression: "since 2002", or ``None``) with ``when_span``
    (the time expression's offsets), ``cited`` (who the article cites for the number: the
    speaker's entity name, else the source's words; ``None`` when nobody, or when the source
    is a pronoun the attribution stage did not resolve), ``cited_entity`` (its cluster id when
    resolved), ``source`` (the source's words as written, "he" included), ``attribution``
    (index into ``attributions`` or ``None``) and ``sentence`` (``[start, end]`` of the
    sentence holding the number, when the article has sentences). Filters: ``counted`` keeps
    numbers whose counted phrase, its lemma or its class holds those words (case and accents
    ignored), ``cited`` those whose cited speaker (or a spelling the article gives it: "BCIJ")
    matches the name as ``presslens quotes --speaker`` does, ``kinds`` those of the kinds given.
    """
    wanted_kinds = set(kinds)
    needle = fold(counted) if counted else ""
    rows: list[dict[str, Any]] = []
    for art in articles:
        clusters = {c.id: c.name for c in art.clusters}
        variants = {c.id: list(c.variants) for c in art.clusters}
        attributions, sources = art.layer("attributions"), art.layer("sources")
        timexes, sentences = art.layer("timexes"), art.layer("sentences")
        for index, span in enumerate(art.layer("quantities")):
            a = span.attrs
            if wanted_kinds and span.label not in wanted_kinds:
                continue
            counted_span = _pair(a.get("counted"))
            counted_text = art.text[counted_span[0] : counted_span[1]] if counted_span else None
            cls = _class_of(art, span)
            lemma = a.get("counted_lemma")
            if needle and not any(
                f" {needle} " in f" {fold(words)} "
                for words in (counted_text or "", str(lemma or ""), cls or "")
            ):
                continue
            source = a.get("source")
            at = source.get("attribution") if isinstance(source, dict) else None
            att = _ref(attributions, at)
            speaker_id = att.attrs.get("speaker") if att is not None else None
            speaker_id = speaker_id if isinstance(speaker_id, str) else None
            src = _ref(sources, att.attrs.get("source")) if att is not None else None
            source_text = src.text if src is not None else None
            named = clusters.get(speaker_id or "")
            # a bare pronoun the attribution stage could not resolve names nobody
            who = named or (None if _pronoun(source_text) else source_text)
            also = variants.get(speaker_id or "", []) if named else []
            if cited is not None and not (who and speaker_matches(cited, who, *also)):
                continue
            timex = _ref(timexes, a.get("time"))
            prep = a.get("time_prep")
            when = None
            if timex is not None:
                when = f"{prep} {timex.text}" if isinstance(prep, str) and prep else timex.text
            sentence = next((s for s in sentences if s.start <= span.start < s.end), None)
            rows.append(
                {
                    "article": art.id,
                    "outlet": art.outlet,
                    "title": art.title,
                    "index": index,
                    "text": span.text,
                    "start": span.start,
                    "end": span.end,
                    "kind": span.label,
                    "value": a.get("value"),
                    "low": a.get("low"),
                    "high": a.get("high"),
                    "approx": a.get("approx"),
                    "unit": a.get("unit"),
                    "counted": counted_text,
                    "counted_span": list(counted_span) if counted_span else None,
                    "counted_lemma": lemma if isinstance(lemma, str) and lemma else None,
                    "class": cls,
                    "counts": what_it_counts(counted_text, cls, a.get("unit"), span.label),
                    "when": when,
                    "when_span": [timex.start, timex.end] if timex is not None else None,
                    "cited": who,
                    "cited_entity": speaker_id if named else None,
                    "source": source_text,
                    "attribution": at if att is not None else None,
                    "sentence": [sentence.start, sentence.end] if sentence is not None else None,
                }
            )
    return rows
