"""Dated events about one entity as flat rows, in date order (``presslens timeline``).

Rows come from the ``events`` layer: an event belongs to the timeline of ENTITY when one of its
``who`` clusters has a name or variant that matches ENTITY (case, accents, punctuation and small
spelling differences ignored, see :func:`presslens.views.quotes.speaker_matches`), or belongs to
the same corpus entity as such a cluster: the articles' entities are resolved across articles as
the corpus does (:func:`presslens.corpus.resolve.resolve_entities`), so "Morrow" in one article
counts when another wrote "Tavish Morrow" and the corpus joined them, as ``presslens entity``
shows. Given the store, the entity :func:`presslens.corpus.find_entity` picks for ENTITY counts
too. Rows are sorted by date (reference values such as ``PAST_REF`` last), then article, then
offset.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from presslens.corpus import find_entity
from presslens.corpus.digest import digest
from presslens.corpus.errors import CorpusError
from presslens.corpus.resolve import resolve_entities
from presslens.language import flagged
from presslens.model import Article, Span
from presslens.views.quotes import speaker_matches

if TYPE_CHECKING:
    from presslens.store import Store

__all__ = ["entity_clusters", "not_english", "timeline_rows"]


def _ref(spans: list[Span], index: Any) -> Span | None:
    if isinstance(index, int) and 0 <= index < len(spans):
        return spans[index]
    return None


def _sort_key(row: dict[str, Any]) -> tuple[int, str, str, int]:
    date = str(row["date"])
    return (0 if date[:1].isdigit() else 1, date, row["article"], row["start"])


def not_english(article: Article) -> bool:
    """The article is flagged ``P128``: it reads as, or declares, another language."""
    return flagged(article.language, article.meta.get("language_from"))


def entity_clusters(
    articles: Sequence[Article], entity: str, *, store: Store | None = None
) -> dict[str, set[str]]:
    """Per article id, the ids of its clusters that refer to ``entity``: those whose name or a
    variant matches it, and every cluster the corpus resolution of ``articles`` puts in the
    same entity as one of those; with ``store``, also the members of the stored corpus entity
    ``presslens entity`` finds for the name (when the corpus has been built)."""
    out: dict[str, set[str]] = defaultdict(set)
    for art in articles:
        for c in art.clusters:
            if speaker_matches(entity, c.name, *c.variants.keys()):
                out[art.id].add(c.id)
    members: list[list[str]] = []
    if out:
        # as in the corpus, articles not in English (P128) join no entity: their English NER
        # names function words ("un" would join the UN); their own names still match above
        digests = [digest(a, with_signature=False) for a in articles]
        resolution = resolve_entities([d for d in digests if not d.get("not_english")])
        wanted = {
            eid
            for aid, cids in out.items()
            for cid in cids
            if (eid := resolution.entity_of(aid, cid))
        }
        members = [m for e in resolution.entities if e["id"] in wanted for m in e["members"]]
    if store is not None:
        try:
            found = find_entity(store, entity)
        except CorpusError:
            found = None  # no corpus built yet: names and this resolution only
        members += list(found.get("members", [])) if found else []
    ids = {a.id for a in articles}
    for aid, cid in members:
        if aid in ids:
            out[aid].add(cid)
    return dict(out)


def timeline_rows(
    articles: Iterable[Article],
    entity: str,
    *,
    store: Store | None = None,
    all_languages: bool = False,
) -> list[dict[str, Any]]:
    """One row per event whose ``who`` refers to ``entity`` (see :func:`entity_clusters`),
    sorted by date, article, offset. Articles not in English (``P128``) are left out unless
    ``all_languages``: the English parser's events and names on their text are not evidence.

    Each row: ``date``, ``date_source`` (timex | published), ``what`` (verb text),
    ``what_span``, ``also`` (coordinated verbs' text), ``text`` (the event sentence), ``who``
    (cluster names), ``who_ids``, ``source`` (the attribution's speaker name or source text when
    the event is inside one, else the outlet, else None), ``attribution`` (index or None),
    ``article`` (id), ``outlet``, ``title``, ``index`` (into ``events``), ``start``/``end``.
    """
    arts = [a for a in articles if all_languages or not not_english(a)]
    refer = entity_clusters(arts, entity, store=store)
    rows: list[dict[str, Any]] = []
    for art in arts:
        clusters = {c.id: c for c in art.clusters}
        matching = refer.get(art.id, set())
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
