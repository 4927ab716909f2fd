"""Across the corpus: one entity however it is spelled, stories across outlets, comparison.

The stable Python API (the CLI and the web app call only these):

``update_corpus(store, articles=None, *, rebuild=False) -> dict``
    Digest the store's articles (or only ``articles``, e.g. those a run just analysed),
    resolve corpus entities, find near-duplicate groups and add new articles to stories
    (incremental: articles already in a story stay there; ``rebuild=True`` starts afresh).
    Persists ``corpus.*`` documents with ``store.put_corpus`` and returns a summary
    ``{articles, new_articles, entities, merged_entities, stories, multi_outlet_stories,
    near_duplicate_groups, not_english, errors}``; ``not_english`` counts the articles left
    out of entity resolution because they are not in English (``P128``: the English NER
    names their function words, "un" joining the UN); they are in stories and
    near-duplicates like the others.
``load_entities(store) -> list[dict]``
    Corpus entities, most-mentioned first: ``{id, name, label, variants: {surface: count},
    articles: [ids], outlets: {outlet: count}, mentions, merges: [{a, b, why}], members:
    [[article id, cluster id]]}``.
``find_entity(store, name) -> dict | None``
    The entity a name or any spelling of it refers to (case, accents, titles,
    transliteration ignored); the one in most articles when several fit.
``entity_profile(store, entity_id) -> dict``
    The entity plus ``statements_by`` and ``statements_about`` (article, outlet, start, end,
    text, speaker, kind, cue), ``numbers`` it is the source of, ``timeline`` (dated events it
    takes part in) and ``outlets`` (mentions per outlet).
``load_stories(store) -> list[dict]``
    ``{id, title, articles: [ids], outlets: {outlet: n}, first_published, last_published,
    key_terms}``, largest first.
``outlet_voices(store, *, top=5) -> list[dict]``
    Per outlet over the whole store: statements, characters, unresolved share and the top
    speakers by share of statement characters.
``compare_story(store, story_id) -> dict``
    The JSON-able side-by-side comparison of one story's outlets (see
    :mod:`presslens.corpus.compare`); ``story_id`` may be a unique prefix.

Missing results raise :class:`~presslens.corpus.errors.CorpusError` (``P800`` corpus not built,
``P801`` unknown story, ``P802`` unknown entity, ``P803`` unreadable stored result).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from presslens.corpus.compare import compare_articles, outlet_of, statements
from presslens.corpus.digest import digest
from presslens.corpus.errors import CorpusError
from presslens.corpus.minhash import near_duplicate_groups
from presslens.corpus.names import name_key, translit, words_match
from presslens.corpus.resolve import Resolution, resolve_entities
from presslens.corpus.stories import StoryIndex, StoryOptions, article_entities
from presslens.model import Article
from presslens.store.base import Store

__all__ = [
    "CorpusError",
    "compare_story",
    "entity_profile",
    "find_entity",
    "load_entities",
    "load_stories",
    "outlet_voices",
    "update_corpus",
]

#: Version of the stored ``corpus.*`` documents; another version is rebuilt, never misread.
CORPUS_VERSION = 2  # 2: story words stem "-ies" to "-y" ("libraries" is "library")
DIGESTS, ENTITIES, STORIES, STORY_INDEX, DUPLICATES = (
    "corpus.digests",
    "corpus.entities",
    "corpus.stories",
    "corpus.story_index",
    "corpus.duplicates",
)


#: The list each stored document must hold (checked on load: P803 otherwise).
_REQUIRED = {ENTITIES: "entities", STORIES: "stories", DUPLICATES: "groups"}


def _doc(store: Store, name: str) -> dict[str, Any] | None:
    """The stored document ``name``; None when absent or of another version (rebuilt, never
    misread); P803 when it is this version but not the shape it should have."""
    data = store.get_corpus(name)
    if not isinstance(data, dict) or data.get("version") != CORPUS_VERSION:
        return None
    key = _REQUIRED.get(name)
    if key is not None and not isinstance(data.get(key), list):
        raise CorpusError(
            f"the stored corpus result {name!r} has no {key!r} list",
            where=store.url,
            hint="Run `presslens corpus --rebuild`.",
            code="P803",
        )
    return data


def update_corpus(
    store: Store,
    articles: Sequence[Article] | None = None,
    *,
    rebuild: bool = False,
    options: StoryOptions | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Bring the corpus results up to date with the store (see the module docstring).

    Holds the store's corpus lock throughout: the update reads the results, adds to them and
    writes them back, and two updates at once (``analyze`` beside the web API) lost one's."""
    with store.corpus_lock():
        return _update_corpus(store, articles, rebuild, options, on_progress)


#: Most articles unseen by the corpus that a partial update digests on its own; beyond this the
#: whole store is read again (the corpus was never built, or fell far behind).
CATCH_UP_LIMIT = 200
#: Article rows listed per query while looking for unseen articles.
_ID_PAGE = 1000


def _unseen(store: Store, known: set[str]) -> list[Article] | None:
    """The stored articles whose ids are not in ``known``, read from the store's index of
    rows (never the documents) page by page; None when there are more than CATCH_UP_LIMIT."""
    missing: list[str] = []
    offset = 0
    while True:
        rows, total = store.list_articles(limit=_ID_PAGE, offset=offset)
        missing += [r["id"] for r in rows if r["id"] not in known]
        if len(missing) > CATCH_UP_LIMIT:
            return None
        offset += len(rows)
        if not rows or offset >= total:
            break
    return [a for i in missing if (a := store.get(i)) is not None]


def _update_corpus(
    store: Store,
    articles: Sequence[Article] | None,
    rebuild: bool,
    options: StoryOptions | None,
    on_progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    old = None if rebuild else _doc(store, DIGESTS)
    digests: dict[str, dict[str, Any]] = dict(old["items"]) if old else {}
    errors: list[dict[str, Any]] = []
    if articles is not None and len(known := set(digests) | {a.id for a in articles}) < (
        store.count()
    ):
        # The store holds articles the corpus has never seen (another writer's, a web POST
        # beside this one): digest those few, or everything when there are many.
        unseen = _unseen(store, known)
        articles = None if unseen is None else [*articles, *unseen]
    if articles is None:
        seen: set[str] = set()
        total = store.count()
        for i, art in enumerate(store.articles(), 1):
            seen.add(art.id)
            _digest_into(digests, art, errors)
            if on_progress:
                on_progress(i, total)
        for gone in [k for k in digests if k not in seen]:
            del digests[gone]
    else:
        for art in articles:
            _digest_into(digests, art, errors)
    items = list(digests.values())
    # The one place articles not in English (P128) leave the corpus entities: English NER on
    # their text names function words and phrases ("un" an ORG that joins the UN, "qui ont"
    # a PERSON), which would merge into real entities, pages and voices. A digest made before
    # digests held the flag counts as English until the next full `presslens corpus`.
    english = [d for d in items if not d.get("not_english")]
    resolution = resolve_entities(english)
    # Stories compare every article, in any language, with the entity evidence they always
    # had: a resolution over all articles (a second pass only when some were left out).
    story_resolution = resolution if len(english) == len(items) else resolve_entities(items)
    groups = near_duplicate_groups((d["id"], d.get("minhash")) for d in items)
    state = None if rebuild or old is None else _doc(store, STORY_INDEX)
    idx = StoryIndex.from_json(state, options) if state else StoryIndex(options)
    idx.remove_missing(digests)
    new = [d for d in items if d["id"] not in idx.assignment]
    labels = idx.options.entity_labels
    idx.add_batch(new, {d["id"]: article_entities(d, story_resolution, labels) for d in new})
    stories = idx.summaries({d["id"]: d.get("title") or "" for d in items})
    entities = resolution.entities
    store.put_corpus_many(
        {
            DIGESTS: {"version": CORPUS_VERSION, "items": digests},
            ENTITIES: {"version": CORPUS_VERSION, "entities": entities},
            DUPLICATES: {"version": CORPUS_VERSION, "groups": groups},
            STORY_INDEX: {"version": CORPUS_VERSION, **idx.to_json()},
            STORIES: {"version": CORPUS_VERSION, "stories": stories},
        }
    )
    return {
        "articles": len(items),
        "new_articles": len(new),
        "entities": len(entities),
        "merged_entities": sum(1 for e in entities if e["merges"]),
        "stories": len(stories),
        "multi_outlet_stories": sum(1 for s in stories if len(s["outlets"]) > 1),
        "near_duplicate_groups": len(groups),
        "not_english": len(items) - len(english),
        "errors": errors,
    }


def _digest_into(
    digests: dict[str, dict[str, Any]], art: Article, errors: list[dict[str, Any]]
) -> None:
    try:
        digests[art.id] = digest(art)
    except (ValueError, KeyError, TypeError, IndexError) as exc:  # one bad article never aborts
        errors.append(
            CorpusError(
                f"article could not be digested: {exc}",
                where=f"article {art.id} ({art.source})",
                hint="Re-analyse it with `presslens analyze --force`; it is left out of the "
                "corpus.",
                code="P804",
            ).to_dict()
        )


# -- entities ---------------------------------------------------------------------------------
def load_entities(store: Store) -> list[dict[str, Any]]:
    """Corpus entities (see the module docstring); P800 when the corpus was never built."""
    data = _doc(store, ENTITIES)
    if data is None:
        raise _not_built(store)
    return list(data["entities"])


def _not_built(store: Store) -> CorpusError:
    return CorpusError(
        "the corpus has not been built (or was built by another presslens version)",
        where=store.url,
        hint="Run `presslens corpus` (or `presslens analyze`, which updates it).",
        code="P800",
    )


def _resolution(entities: list[dict[str, Any]]) -> Resolution:
    index = {(a, c): e["id"] for e in entities for a, c in e.get("members", [])}
    return Resolution(entities=entities, index=index)


def find_entity(store: Store, name: str) -> dict[str, Any] | None:
    """The entity ``name`` refers to: same key (case, accents, titles, particles ignored),
    else every word a spelling variant of a name's word; the one in most articles wins."""
    entities = load_entities(store)
    key = name_key(name)
    exact = [e for e in entities if key in {name_key(v) for v in (e["name"], *e["variants"])}]
    if exact:
        return max(exact, key=lambda e: len(e["articles"]))
    words = key.split()
    if not words:
        return None

    def fits(e: dict[str, Any]) -> bool:
        for v in (e["name"], *e["variants"]):
            have = name_key(v).split()
            if len(have) >= len(words) and all(
                any(words_match(w, h) or translit(w) == translit(h) for h in have) for w in words
            ):
                return True
        return False

    loose = [e for e in entities if fits(e)]
    return max(loose, key=lambda e: len(e["articles"])) if loose else None


def _entity(store: Store, entity_id: str) -> dict[str, Any]:
    for e in load_entities(store):
        if e["id"] == entity_id:
            return e
    raise CorpusError(
        f"no entity with id {entity_id!r}",
        where=store.url,
        hint="List entities with `presslens entity NAME`; ids change only when the corpus is "
        "rebuilt.",
        code="P802",
    )


def entity_profile(store: Store, entity_id: str) -> dict[str, Any]:
    """Variants, statements by and about the entity, its numbers, timeline and outlets."""
    ent = _entity(store, entity_id)
    resolution = _resolution(load_entities(store))
    clusters: dict[str, set[str]] = {}
    for a, c in ent.get("members", []):
        clusters.setdefault(a, set()).add(c)
    by: list[dict[str, Any]] = []
    about: list[dict[str, Any]] = []
    numbers: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    outlets: Counter[str] = Counter()
    for aid in ent["articles"]:
        art = store.get(aid)
        if art is None:
            continue
        mine = clusters.get(aid, set())
        outlet = outlet_of(art)
        outlets[outlet] += (
            sum(1 for s in art.layer("entities") if s.attrs.get("entity") in mine) or 1
        )
        said: set[int] = set()
        for row in statements(art, resolution):
            row["outlet"] = outlet
            if row["speaker_cluster"] in mine:
                by.append(row)
                said.add(row["index"])
            elif mine & set(row["about_clusters"]):
                about.append(row)
        for i, q in enumerate(art.layer("quantities")):
            src = q.attrs.get("source")
            if isinstance(src, dict) and src.get("attribution") in said:
                numbers.append(
                    {"article": aid, "outlet": outlet, "index": i, "start": q.start,
                     "end": q.end, "text": q.text, "value": q.attrs.get("value"),
                     "unit": q.attrs.get("unit"), "attribution": src.get("attribution")}
                )  # fmt: skip
        for i, ev in enumerate(art.layer("events")):
            if mine & set(ev.attrs.get("who") or []):
                what = ev.attrs.get("what")
                timeline.append(
                    {"article": aid, "outlet": outlet, "index": i, "date": ev.attrs.get("date"),
                     "date_source": ev.attrs.get("date_source"), "start": ev.start,
                     "end": ev.end, "text": ev.text,
                     "what": art.text[what[0]:what[1]] if isinstance(what, list) else None}
                )  # fmt: skip
    timeline.sort(key=lambda t: (str(t["date"] or ""), t["article"], t["start"]))
    return {
        **{k: v for k, v in ent.items() if k != "members"},
        "statements_by": by,
        "statements_about": about,
        "numbers": numbers,
        "timeline": timeline,
        "outlet_mentions": dict(outlets.most_common()),
    }


# -- stories ----------------------------------------------------------------------------------
def load_stories(store: Store) -> list[dict[str, Any]]:
    """Stories, largest first (see the module docstring); P800 when never built."""
    data = _doc(store, STORIES)
    if data is None:
        raise _not_built(store)
    return list(data["stories"])


def find_story(store: Store, story_id: str) -> dict[str, Any]:
    """The story with this id or unique id prefix (P801 otherwise)."""
    stories = load_stories(store)
    hits = [s for s in stories if s["id"] == story_id] or [
        s for s in stories if s["id"].startswith(story_id)
    ]
    if len(hits) != 1:
        what = "is ambiguous" if hits else "matches no story"
        raise CorpusError(
            f"story id {story_id!r} {what}",
            where=store.url,
            hint="List stories with `presslens stories`.",
            code="P801",
        )
    return hits[0]


def compare_story(store: Store, story_id: str) -> dict[str, Any]:
    """The side-by-side comparison of one story's outlets (JSON-able)."""
    story = find_story(store, story_id)
    entities = load_entities(store)
    dups = _doc(store, DUPLICATES) or {"groups": []}
    arts = [a for aid in story["articles"] if (a := store.get(aid)) is not None]
    names = {e["id"]: e["name"] for e in entities}
    return compare_articles(
        story, arts, _resolution(entities), names, [g["articles"] for g in dups["groups"]]
    )


def outlet_voices(store: Store, *, top: int = 5) -> list[dict[str, Any]]:
    """Whose voices each outlet carries across the whole store: per outlet, articles,
    statements, statement characters, the share of them whose speaker is unresolved, and the
    ``top`` speakers (corpus entities, so spelling variants count as one) by share of
    characters."""
    resolution = _resolution(load_entities(store))
    names = {e["id"]: e["name"] for e in resolution.entities}
    per: dict[str, dict[str, Any]] = {}
    for art in store.articles():
        o = per.setdefault(
            outlet_of(art), {"articles": 0, "statements": 0, "chars": 0, "unresolved": 0,
                             "speakers": Counter()},
        )  # fmt: skip
        o["articles"] += 1
        for row in statements(art, resolution):
            n = row["end"] - row["start"]
            o["statements"] += 1
            o["chars"] += n
            if row["speaker_entity"]:
                o["speakers"][names.get(row["speaker_entity"], row["speaker"])] += n
            else:
                o["unresolved"] += n
    out = []
    for outlet, o in sorted(per.items()):
        total = o["chars"] or 1
        out.append(
            {
                "outlet": outlet,
                "articles": o["articles"],
                "statements": o["statements"],
                "chars": o["chars"],
                "unresolved_share": round(o["unresolved"] / total, 3),
                "speakers": [
                    {"name": name, "share": round(c / total, 3)}
                    for name, c in o["speakers"].most_common(top)
                ],
            }
        )
    return out
