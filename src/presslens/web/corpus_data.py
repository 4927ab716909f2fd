"""Corpus-level views for the web app: entities across articles and stories across outlets.

When :mod:`presslens.corpus` is installed with its corpus stages (``load_entities``,
``entity_profile``, ``load_stories``, ``compare_story``) the pages use it. Otherwise a small
built-in index is computed from the stored articles: an entity is every cluster whose folded
canonical name is the same, and a story is a group of articles that name at least
:data:`STORY_MIN_SHARED` of the same people or organisations within :data:`STORY_WINDOW_DAYS`.
Both give JSON-able dicts with the same keys, so templates do not care which one answered.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from presslens.corpus.compare import number_groups, quotations_of
from presslens.language import flagged
from presslens.model import Article
from presslens.store import Store
from presslens.views.quotes import fold, quote_rows, speaker_matches

#: Two articles belong to one story when they share this many PERSON/ORG names…
STORY_MIN_SHARED = 2
#: …and were published at most this many days apart (undated articles never join).
STORY_WINDOW_DAYS = 10
#: A phrase shared between outlets is at least this many words long.
SHARED_PHRASE_WORDS = 6
#: Articles of an entity whose statements, numbers and events one entity page shows (each
#: article is loaded whole, about 4 ms; 20 keep the page near 100 ms, see bench_web.py).
ENTITY_PAGE_ARTICLES = 20
#: Corpus results are re-read at most this often (and whenever the article count changes).
CACHE_SECONDS = 300.0
#: Story comparisons kept (the most recently computed).
STORY_CACHE_SIZE = 64
#: Entity labels that make two articles about the same story.
STORY_LABELS = frozenset({"PERSON", "ORG"})

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_SLUG = re.compile(r"[\W_]+")


def entity_id(name: str) -> str:
    """A readable id from a name: ``"Josef Karlán"`` → ``"josef-karlan"``, ``"Путин"`` →
    ``"путин"`` (links quote it); a name without letters or digits gets a hash of itself.

    Keeping only ASCII letters once made every Cyrillic, Greek or Chinese name the one
    entity "x"."""
    slug = _SLUG.sub("-", fold(name)).strip("-")
    return slug or "x-" + hashlib.sha1(name.encode("utf-8", "replace")).hexdigest()[:10]


def corpus_module() -> Any | None:
    """The corpus stages module, when it exists and offers what the pages need."""
    if importlib.util.find_spec("presslens.corpus") is None:
        return None
    module = importlib.import_module("presslens.corpus")
    wanted = ("load_entities", "entity_profile", "load_stories", "compare_story")
    return module if all(hasattr(module, name) for name in wanted) else None


# -- the built-in index ----------------------------------------------------------------------
@dataclass
class _Entity:
    id: str
    name: str
    labels: Counter[str] = field(default_factory=Counter)
    variants: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    articles: dict[str, list[str]] = field(default_factory=dict)  # article id -> cluster ids
    statements: int = 0

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0] if self.labels else ""


@dataclass
class _Index:
    count: int
    entities: dict[str, _Entity]
    stories: list[dict[str, Any]]


class CorpusIndex:
    """Entities and stories of one store.

    The corpus stages' stored results are used when they have been built (``presslens
    analyze`` builds them); otherwise a built-in index is computed once from the articles.
    Either is cached until the store's article count changes or :data:`CACHE_SECONDS` pass,
    so a page never re-reads the whole corpus. The pages get the same keys either way.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: _Index | None = None
        self._results: _Results | None = None
        #: story id -> (article count, time, view): a comparison embeds every figure's clause
        #: (about a second for a large story), so its page and JSON twin reuse one
        self._stories: dict[str, tuple[int, float, dict[str, Any] | None]] = {}

    def _get(self, store: Store) -> _Index:
        count = store.count()
        with self._lock:
            if self._index is None or self._index.count != count:
                self._index = _build(store, count)
            return self._index

    def _built(self, store: Store) -> _Results | None:
        """The corpus stages' results (entities, stories), cached; None when not built."""
        count = store.count()
        now = time.monotonic()
        with self._lock:
            cached = self._results
            if cached is not None and cached.count == count and now - cached.at < CACHE_SECONDS:
                return cached if cached.entities is not None else None
            entities = built_result(store, "load_entities")
            stories = built_result(store, "load_stories") if entities is not None else None
            self._results = _Results(count, now, entities, stories)
            return self._results if entities is not None else None

    def forget(self) -> None:
        """Drop cached results (after an article was added through the API)."""
        with self._lock:
            self._results = None
            self._index = None
            self._stories.clear()

    # -- entities ----------------------------------------------------------------------------
    def entities(self, store: Store, *, limit: int = 200) -> list[dict[str, Any]]:
        built = self._built(store)
        if built is not None:
            return [_entity_row_of(e) for e in (built.entities or [])[:limit]]
        ents = sorted(
            self._get(store).entities.values(),
            key=lambda e: (-len(e.articles), -e.statements, e.name),
        )
        return [_entity_row(e) for e in ents[:limit]]

    def entity(self, store: Store, ident: str, *, page: int = 1) -> dict[str, Any] | None:
        """The entity's page: its record plus statements, numbers and events from one page of
        :data:`ENTITY_PAGE_ARTICLES` of its articles."""
        built = self._built(store)
        if built is not None:
            ent = built.by_id.get(ident)
            if ent is None:
                return None
            members: dict[str, list[str]] = defaultdict(list)
            for aid, cid in ent.get("members") or []:
                members[aid].append(cid)
            record = {k: v for k, v in ent.items() if k not in ("members", "articles")}
            record["merges"] = ent.get("merges") or []
            ids = [a for a in ent.get("articles") or [] if isinstance(a, str)]
            return _profile(store, record, members, ids, page, built.entity_of)
        fallback = self._get(store).entities.get(ident)
        if fallback is None:
            return None
        record = {
            "id": fallback.id,
            "name": fallback.name,
            "label": fallback.label,
            "variants": dict(fallback.variants.most_common()),
            "outlets": dict(fallback.outlets.most_common()),
            "mentions": sum(fallback.labels.values()),
        }
        return _profile(
            store, record, fallback.articles, list(fallback.articles), page, _fallback_entity_of
        )

    def find(self, store: Store, name: str) -> str | None:
        """The entity id a name refers to."""
        corpus = corpus_module()
        if corpus is not None and self._built(store) is not None:
            found = corpus.find_entity(store, name)
            return None if found is None else str(found.get("id"))
        ident = entity_id(name)
        if ident in self._get(store).entities:
            return ident
        return next(
            (e.id for e in self._get(store).entities.values() if speaker_matches(name, e.name)),
            None,
        )

    # -- stories -----------------------------------------------------------------------------
    def stories(self, store: Store) -> list[dict[str, Any]]:
        built = self._built(store)
        if built is not None:
            return built.story_rows
        return self._get(store).stories

    def story_of(self, store: Store, article_id: str) -> dict[str, Any] | None:
        built = self._built(store)
        if built is not None:
            return built.story_by_article.get(article_id)
        for story in self._get(store).stories:
            if any(a.get("id") == article_id for a in story.get("articles", [])):
                return {k: story[k] for k in ("id", "title")}
        return None

    def story(self, store: Store, ident: str) -> dict[str, Any] | None:
        count, now = store.count(), time.monotonic()
        with self._lock:
            hit = self._stories.get(ident)
        if hit is not None and hit[0] == count and now - hit[1] < CACHE_SECONDS:
            return hit[2]
        view = self._story(store, ident)
        with self._lock:
            if len(self._stories) >= STORY_CACHE_SIZE:
                self._stories.pop(next(iter(self._stories)))  # the oldest entry
            self._stories[ident] = (count, now, view)
        return view

    def _story(self, store: Store, ident: str) -> dict[str, Any] | None:
        corpus = corpus_module()
        built = self._built(store)
        if corpus is not None and built is not None:
            if not any(s.get("id") == ident for s in built.story_rows):
                return None
            return _story_view(store, dict(corpus.compare_story(store, ident)))
        for story in self._get(store).stories:
            if story["id"] == ident:
                return compare(store, story)
        return None


class _Results:
    """The corpus stages' entities and stories with the lookups pages need."""

    def __init__(
        self,
        count: int,
        at: float,
        entities: list[dict[str, Any]] | None,
        stories: list[dict[str, Any]] | None,
    ) -> None:
        self.count, self.at, self.entities = count, at, entities
        self.by_id = {e.get("id"): e for e in entities or []}
        self.member_of = {
            (a, c): e.get("id") for e in entities or [] for a, c in e.get("members") or []
        }
        rows = [_story_row(s) for s in stories or []]
        self.story_rows = sorted(
            (r for r in rows if len(r["articles"]) > 1 and len(r["outlets"]) > 1),
            key=lambda r: (r["last"] or "", r["id"]),
            reverse=True,
        )
        self.story_by_article = {
            aid: {"id": r["id"], "title": r["title"]}
            for r in self.story_rows
            for aid in r["articles"]
        }

    def entity_of(self, article_id: str, cluster_id: str | None, name: str) -> str | None:
        del name
        return self.member_of.get((article_id, cluster_id)) if cluster_id else None


def _fallback_entity_of(article_id: str, cluster_id: str | None, name: str) -> str | None:
    del article_id
    return entity_id(name) if cluster_id else None


def built_result(store: Store, loader: str) -> list[dict[str, Any]] | None:
    """The corpus stages' stored list, or None when there is no corpus module or no result."""
    corpus = corpus_module()
    if corpus is None:
        return None
    from presslens.errors import PresslensError

    try:
        return list(getattr(corpus, loader)(store))
    except PresslensError as exc:
        if exc.code == "P800":  # not built yet: the built-in index answers
            return None
        raise


def _entity_row_of(e: dict[str, Any]) -> dict[str, Any]:
    """A corpus entity as a list row (counts instead of id lists)."""
    arts = e.get("articles")
    return {
        "id": e.get("id"),
        "name": e.get("name"),
        "label": e.get("label"),
        "articles": len(arts) if isinstance(arts, list) else arts,
        "mentions": e.get("mentions"),
        "outlets": e.get("outlets") or {},
        "merges": len(e.get("merges") or []),
    }


def _story_row(s: dict[str, Any]) -> dict[str, Any]:
    outlets = s.get("outlets") or {}
    return {
        "id": s.get("id"),
        "title": s.get("title"),
        "articles": list(s.get("articles") or []),
        "outlets": sorted(outlets) if isinstance(outlets, dict) else list(outlets),
        "first": s.get("first_published"),
        "last": s.get("last_published"),
        "key_terms": s.get("key_terms") or [],
    }


def _story_view(store: Store, cmp: dict[str, Any]) -> dict[str, Any]:
    """The corpus comparison in the shape the story page draws, the original kept whole."""
    story = cmp.get("story") or {}
    articles = cmp.get("articles") or []
    by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in articles:
        by_outlet[a.get("outlet") or ""].append(a)
    loaded = {a["id"]: art for a in articles if (art := store.get(a["id"])) is not None}
    disagreements, possible = number_lists(cmp.get("numbers") or [])
    texts = {aid: art.text for aid, art in loaded.items()}
    outlet_of = {a["id"]: a.get("outlet") for a in articles}
    phrases = []
    for i, point in enumerate(cmp.get("talking_points") or []):
        uses = [
            {"article": aid, "outlet": outlet_of.get(aid), "start": s, "end": e}
            for aid, text in texts.items()
            for s, e in _occurrences(text, point.get("text") or "")
        ]
        phrases.append(
            {
                "id": f"p{i + 1}",
                "phrase": point.get("text"),
                "first": point.get("first_outlet"),
                "outlets": point.get("outlets"),
                "uses": uses,
            }
        )
    return {
        "id": story.get("id"),
        "title": story.get("title"),
        "first": story.get("first_published"),
        "last": story.get("last_published"),
        "key_terms": story.get("key_terms") or [],
        "articles": articles,
        "outlets": [{"outlet": o, "articles": a} for o, a in sorted(by_outlet.items())],
        "disagreements": disagreements,
        "possible_disagreements": possible,
        "quotations": cmp.get("quotations") or [],
        "shared_phrases": phrases,
        "comparison": cmp,
    }


def _occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``text``, ignoring case and differences in spacing."""
    words = _WORD.findall(phrase)
    if not words:
        return []
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _build(store: Store, count: int) -> _Index:
    entities: dict[str, _Entity] = {}
    names_by_article: dict[str, set[str]] = {}
    dates: dict[str, date | None] = {}
    meta: dict[str, dict[str, Any]] = {}
    for art in store.articles():
        speakers = Counter(r["speaker_id"] for r in quote_rows([art]) if r["speaker_id"])
        story_names: set[str] = set()
        # an article not in English (P128) tells stories apart by its names, but its English
        # NER's entities ("un", "qui ont") stay out of the entity pages, as in the corpus
        english = not flagged(art.language, art.meta.get("language_from"))
        for c in art.clusters:
            eid = entity_id(c.name)
            if c.label in STORY_LABELS:
                story_names.add(eid)
            if not english:
                continue
            ent = entities.setdefault(eid, _Entity(eid, c.name))
            ent.labels[c.label] += len(c.mentions)
            ent.variants.update(c.variants)
            if art.id not in ent.articles:
                ent.outlets[art.outlet or ""] += 1
            ent.articles.setdefault(art.id, []).append(c.id)
            ent.statements += speakers.get(c.id, 0)
        names_by_article[art.id] = story_names
        day = art.published.date if art.published else None
        dates[art.id] = day
        meta[art.id] = {
            "id": art.id,
            "title": art.title,
            "outlet": art.outlet,
            "published": day.isoformat() if day else None,
        }
    names = {eid: e.name for eid, e in entities.items()}
    return _Index(count, entities, _stories(names_by_article, dates, meta, names))


def _stories(
    names: dict[str, set[str]],
    dates: dict[str, date | None],
    meta: dict[str, dict[str, Any]],
    entities_names: dict[str, str],
) -> list[dict[str, Any]]:
    """Connected groups of articles sharing names within the window, two outlets or more."""
    parent = {aid: aid for aid in names}

    def root(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    by_name: dict[str, list[str]] = defaultdict(list)
    for aid, ns in names.items():
        for n in ns:
            by_name[n].append(aid)
    pairs: Counter[tuple[str, str]] = Counter()
    for members in by_name.values():
        if len(members) > 50:  # a name in very many articles does not define a story
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs[(a, b) if a < b else (b, a)] += 1
    for (a, b), shared in pairs.items():
        da, db = dates[a], dates[b]
        if shared >= STORY_MIN_SHARED and da and db and abs((da - db).days) <= STORY_WINDOW_DAYS:
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in names:
        groups[root(aid)].append(aid)
    stories = []
    for members in groups.values():
        outlets = {meta[a]["outlet"] for a in members}
        if len(members) < 2 or len(outlets) < 2:
            continue
        members.sort(key=lambda a: (meta[a]["published"] or "", a))
        common = Counter(n for a in members for n in names[a])
        key = [n for n, c in common.most_common(5) if c > 1]
        days = [meta[a]["published"] for a in members if meta[a]["published"]]
        stories.append(
            {
                "id": "s" + hashlib.sha256("|".join(sorted(members)).encode()).hexdigest()[:10],
                "title": meta[members[0]]["title"],
                "articles": [meta[a] for a in members],
                "outlets": sorted(o or "" for o in outlets),
                "first": min(days) if days else None,
                "last": max(days) if days else None,
                "key_terms": [entities_names[k] for k in key if k in entities_names],
            }
        )
    stories.sort(key=lambda s: (s["last"] or "", s["id"]), reverse=True)
    return stories


def _entity_row(e: _Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "label": e.label,
        "articles": len(e.articles),
        "mentions": sum(e.labels.values()),
        "statements": e.statements,
        "outlets": dict(e.outlets.most_common()),
    }


def _profile(
    store: Store,
    record: dict[str, Any],
    members: dict[str, list[str]],
    article_ids: list[str],
    page: int,
    entity_of: Callable[[str, str | None, str], str | None],
) -> dict[str, Any]:
    """The entity ``record`` plus, from one page of its articles: the articles, statements by
    and about it, numbers it gave and dated events it takes part in."""
    by: list[dict[str, Any]] = []
    about: list[dict[str, Any]] = []
    numbers: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    size = ENTITY_PAGE_ARTICLES
    pages = max(1, -(-len(article_ids) // size))
    for aid in article_ids[(page - 1) * size : page * size]:
        art = store.get(aid)
        if art is None:
            continue
        ours = set(members.get(aid) or [])
        published = art.published.date.isoformat() if art.published else None
        articles.append({"id": art.id, "title": art.title, "outlet": art.outlet,
                         "published": published})  # fmt: skip
        mentions = [s for s in art.layer("entities") if s.attrs.get("entity") in ours]
        said: set[int] = set()
        for row in quote_rows([art]):
            base = {
                "article": art.id,
                "outlet": art.outlet,
                "published": published,
                "index": row["index"],
                "start": row["start"],
                "end": row["end"],
                "text": row["text"],
                "kind": row["kind"],
                "cue": row["cue"],
                "speaker": row["speaker"],
                "speaker_entity": entity_of(art.id, row["speaker_id"], row["speaker"]),
            }
            if row["speaker_id"] in ours:
                by.append(base)
                said.add(row["index"])
            elif any(m.start >= row["start"] and m.end <= row["end"] for m in mentions):
                about.append(base)
        for i, q in enumerate(art.layer("quantities")):
            source = q.attrs.get("source")
            if isinstance(source, dict) and source.get("attribution") in said:
                counted = q.attrs.get("counted")
                numbers.append(
                    {
                        "article": art.id,
                        "outlet": art.outlet,
                        "index": i,
                        "text": q.text,
                        "kind": q.label,
                        "value": q.attrs.get("value"),
                        "unit": q.attrs.get("unit"),
                        "counted": art.text[counted[0] : counted[1]]
                        if isinstance(counted, list) and len(counted) == 2
                        else None,
                    }
                )
        for i, ev in enumerate(art.layer("events")):
            if ours.intersection(w for w in ev.attrs.get("who") or [] if isinstance(w, str)):
                what = ev.attrs.get("what") or [ev.start, ev.start]
                events.append(
                    {
                        "article": art.id,
                        "outlet": art.outlet,
                        "index": i,
                        "date": ev.attrs.get("date"),
                        "what": art.text[what[0] : what[1]],
                        "text": ev.text,
                    }
                )
    events.sort(key=lambda e: (not str(e["date"])[:1].isdigit(), str(e["date"])))
    articles.sort(key=lambda a: a["published"] or "")
    return {
        **record,
        "articles": articles,
        "articles_total": len(article_ids),
        "page": page,
        "pages": pages,
        "statements_by": by,
        "statements_about": about,
        "numbers": numbers,
        "timeline": events,
    }


# -- story comparison -------------------------------------------------------------------------
def compare(store: Store, story: dict[str, Any]) -> dict[str, Any]:
    """Side-by-side per outlet: statements, numbers (disagreeing ones flagged), shared phrases."""
    arts = [a for a in (store.get(m["id"]) for m in story["articles"]) if a is not None]
    disagreements, possible = number_lists(number_groups(arts))
    flagged = {(d["article"], d["index"]) for g in disagreements for d in g["values"]}
    phrases = _shared_phrases(arts)
    outlets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for art in arts:
        outlets[art.outlet or ""].append(
            {
                "id": art.id,
                "title": art.title,
                "published": art.published.date.isoformat() if art.published else None,
                "statements": [
                    {
                        "speaker": r["speaker"],
                        "speaker_entity": entity_id(r["speaker"]) if r["speaker_id"] else None,
                        "text": r["text"],
                        "index": r["index"],
                    }
                    for r in quote_rows([art])
                ],
                "numbers": [
                    {
                        "index": i,
                        "text": q.text,
                        "start": q.start,
                        "end": q.end,
                        "value": q.attrs.get("value"),
                        "unit": q.attrs.get("unit"),
                        "disagrees": (art.id, i) in flagged,
                    }
                    for i, q in enumerate(art.layer("quantities"))
                ],
                "techniques": dict(Counter(s.label for s in art.layer("techniques"))),
            }
        )
    return {
        **{k: v for k, v in story.items() if k != "articles"},
        "articles": story["articles"],
        "outlets": [{"outlet": o, "articles": a} for o, a in sorted(outlets.items())],
        "disagreements": disagreements,
        "possible_disagreements": possible,
        "quotations": quotations_of(arts),
        "shared_phrases": phrases,
    }


def number_lists(groups: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], ...]:
    """The corpus comparison's number groups that disagree, as the story page lists them:
    those whose wording matches, and those worded differently (matched by their clauses:
    evidence to read, not highlighted in the text)."""
    disagreements, possible = [], []
    for group in groups:
        if not group.get("disagree"):
            continue
        values = [
            {**v, "outlet": outlet}
            for outlet, rows in (group.get("values") or {}).items()
            for v in rows
        ]
        row = {"what": group.get("counted"), "unit": group.get("unit"), "values": values}
        if group.get("match", "key") == "key":
            disagreements.append(row)
        else:
            possible.append({**row, "similarity": group.get("similarity")})
    return disagreements, possible


def _shared_phrases(arts: list[Article]) -> list[dict[str, Any]]:
    """Word sequences of at least SHARED_PHRASE_WORDS words used by two outlets or more,
    with every use and which outlet published it first."""
    n = SHARED_PHRASE_WORDS
    grams: dict[tuple[str, ...], list[tuple[int, int, int]]] = defaultdict(list)
    words_of: list[list[re.Match[str]]] = []
    for ai, art in enumerate(arts):
        words = list(_WORD.finditer(art.text))
        words_of.append(words)
        for wi in range(len(words) - n + 1):
            key = tuple(w.group().casefold() for w in words[wi : wi + n])
            grams[key].append((ai, wi, wi + n))
    shared = {k: uses for k, uses in grams.items() if len({arts[a].outlet for a, _, _ in uses}) > 1}
    # Merge overlapping windows per article into maximal runs.
    runs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for uses in shared.values():
        for ai, s, e in uses:
            runs[ai].append((s, e))
    phrases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ai, spans in runs.items():
        spans.sort()
        merged: list[list[int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        art, words = arts[ai], words_of[ai]
        for s, e in merged:
            start, end = words[s].start(), words[e - 1].end()
            phrase = " ".join(w.group().casefold() for w in words[s:e])
            phrases[phrase].append(
                {
                    "article": art.id,
                    "outlet": art.outlet,
                    "published": art.published.date.isoformat() if art.published else None,
                    "start": start,
                    "end": end,
                    "text": art.text[start:end],
                }
            )
    out: list[dict[str, Any]] = []
    for found in phrases.values():
        if len({u["outlet"] for u in found}) < 2:
            continue
        found.sort(key=lambda u: (u["published"] or "9999", u["article"]))
        out.append({"phrase": found[0]["text"], "first": found[0]["outlet"], "uses": found})
    out.sort(key=lambda p: -len(p["phrase"]))
    for i, p in enumerate(out):
        p["id"] = f"p{i + 1}"
    return out
