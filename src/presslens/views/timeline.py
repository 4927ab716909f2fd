"""Dated events about one entity as flat rows, in date order (``presslens timeline``).

Rows come from the ``events`` layer: an event belongs to the timeline of ENTITY when one of its
``who`` clusters has a name or variant that matches ENTITY (case, accents, punctuation and small
spelling differences ignored, see :func:`presslens.views.quotes.speaker_matches`). Rows are
sorted by date (reference values such as ``PAST_REF`` last), then article, then offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from presslens.model import Article, Span
from presslens.views.quotes import speaker_matches

__all__ = ["timeline_rows"]


def _ref(spans: list[Span], index: Any) -> Span | None:
    if isinstance(index, int) and 0 <= index < len(spans):
        return spans[index]
    return None


def _sort_key(row: dict[str, Any]) -> tuple[int, str, str, int]:
    date = str(row["date"])
    return (0 if date[:1].isdigit() else 1, date, row["article"], row["start"])


def timeline_rows(articles: Iterable[Article], entity: str) -> list[dict[str, Any]]:
    """One row per event whose ``who`` names ``entity``, sorted by date, article, offset.

    Each row: ``date``, ``date_source`` (timex | published), ``what`` (verb text),
    ``what_span``, ``also`` (coordinated verbs' text), ``text`` (the event sentence), ``who``
    (cluster names), ``who_ids``, ``source`` (the attribution's speaker name or source text when
    the event is inside one, else the outlet, else None), ``attribution`` (index or None),
    ``article`` (id), ``outlet``, ``title``, ``index`` (into ``events``), ``start``/``end``.
    """
    rows: list[dict[str, Any]] = []
    for art in articles:
        clusters = {c.id: c for c in art.clusters}
        matching = {
            c.id for c in art.clusters if speaker_matches(entity, c.name, *c.variants.keys())
        }
        if not matching:
            continue
        attributions, sources = art.layer("attributions"), art.layer("sources")
        for index, ev in enumerate(art.layer("events")):
            who = [w for w in ev.attrs.get("who") or [] if isinstance(w, str)]
            if not matching.intersection(who):
                continue
            att = _ref(attributions, ev.attrs.get("attribution"))
            source: str | None = art.outlet
            if att is not None:
                speaker = att.attrs.get("speaker")
                src = _ref(sources, att.attrs.get("source"))
                name = clusters[speaker].name if speaker in clusters else None
                source = name or (src.text if src is not None else None) or source
            what = ev.attrs.get("what") or [ev.start, ev.start]
            rows.append(
                {
                    "date": ev.attrs.get("date"),
                    "date_source": ev.attrs.get("date_source"),
                    "what": art.text[what[0] : what[1]],
                    "what_span": list(what),
                    "also": [art.text[s:e] for s, e in ev.attrs.get("also") or []],
                    "text": ev.text,
                    "who": [clusters[w].name for w in who if w in clusters],
                    "who_ids": who,
                    "source": source,
                    "attribution": ev.attrs.get("attribution"),
                    "article": art.id,
                    "outlet": art.outlet,
                    "title": art.title,
                    "index": index,
                    "start": ev.start,
                    "end": ev.end,
                }
            )
    rows.sort(key=_sort_key)
    return rows
