"""Dated statements: who did what, when (layer ``events``).

One span per event over the sentence that carries it (label ``event``), read from the spaCy Doc
of the stages before in linear passes:

* every DATE or TIME timex with a concrete value (a year, month, day, week or quarter; not
  ``XXXX``-style values, not durations or sets; ``PAST_REF`` is kept and sorts last, also as
  the ``ref`` of a duration reaching up to the article date, "in recent years") dates the
  verb that governs it (the nearest verb above it in the dependency tree, ``date_source``
  ``"timex"``). A verb governed by several dates keeps the nearest one.
* verbs coordinated *after* a dated verb share its date unless they have their own ("was
  arrested in 2010 and convicted of …" → ``arrested`` and ``convicted`` are both 2010). Each
  verb is its own event (so a timeline lists both), and ``also`` lists the ``[start, end]`` of
  the other verbs of the coordination.
* the news peg: in the article's first two body paragraphs, the main verb of a sentence (and the
  verbs coordinated with it) whose clause has no date, in the past or present tense, with at
  least one entity, is an event dated by ``published`` (``date_source`` ``"published"``).

attrs: ``date`` (TIMEX3-like value), ``date_source``, ``timex`` (index into ``timexes`` or
None), ``date_prep`` (the preposition before the timex: "in", "since", or None), ``what``
(``[start, end]`` of the verb), ``lemma``, ``who`` (entity cluster ids: the subject's first,
then other PERSON/ORG/GPE mentions of the clause; the dateline place is left out), ``also``,
``attribution`` (index of the smallest attribution whose content holds the verb, or None).
Verbs inside direct quotes are skipped unless an attribution holds them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from presslens.model import Article, Span
from presslens.registry import StageFn, stage
from presslens.settings import Settings

__all__ = ["event_spans", "make_events_stage"]

#: A concrete TIMEX3 date value: a year with optional month/day, week or quarter.
_CONCRETE = re.compile(r"^\d{4}(?:-(?:\d{2}(?:-\d{2})?|W\d{2}|Q[1-4]|H[12]))?$")
#: Reference values kept as dates (sorted after concrete dates by the timeline).
_REFS = frozenset({"PAST_REF"})
#: Dependencies that open a new clause: its entities are not the outer verb's.
_CLAUSE_DEPS = frozenset({"relcl", "advcl", "ccomp", "parataxis", "csubj"})
#: Entity labels taken from a clause besides the subject.
_WHO_LABELS = frozenset({"PERSON", "ORG", "GPE"})
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_REL_PRONOUNS = frozenset({"who", "that", "which", "whom"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
_QUOTES = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")
#: Most tokens climbed from a timex to its verb.
MAX_HOPS = 6
#: Body paragraphs that carry the news peg.
PEG_PARAGRAPHS = 2


@dataclass(frozen=True)
class EventOptions:
    """Options of the events stage: none yet (the class lets the pipeline check overrides)."""


@stage(
    "presslens.events.v1",
    requires=("doc", "sentences", "entities", "clusters", "timexes", "attributions"),
    assigns=("events",),
)
def make_events_stage(settings: Settings, **options: Any) -> StageFn:
    """Dated statements (who, what, when) from timexes and the news peg of the first paragraphs."""
    del settings
    EventOptions(**options)  # none yet: an unknown key is refused when the pipeline is built

    def run(articles: list[Article]) -> list[Article]:
        for art in articles:
            event_spans(art)
        return articles

    return run


def _date_of(value: str) -> str | None:
    if value in _REFS:
        return value
    value = value.split("T", 1)[0]  # a TIME's date part
    if _CONCRETE.match(value):
        return value
    return None


def _is_verb(tok: Any) -> bool:
    return bool(tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"))


def _governing_verb(root: Any) -> tuple[Any, Any] | None:
    """The verb above ``root`` and the preposition on the way (or None)."""
    prep = None
    tok = root
    for _ in range(MAX_HOPS):
        if tok.dep_ == "pobj" and prep is None:
            prep = tok.head
        if tok.head.i == tok.i:
            return (tok, prep) if _is_verb(tok) else None
        tok = tok.head
        if _is_verb(tok):
            return tok, prep
    return None


def _clause_tokens(verb: Any) -> list[Any]:
    """The verb's subtree without nested clauses and coordinated verbs."""
    out: list[Any] = []
    stack = [verb]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if _nested(child):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _subjects(verb: Any) -> list[Any]:
    """The verb's subjects (a relative pronoun stands for its antecedent), or its head's."""
    v = verb
    for _ in range(MAX_HOPS):
        subjects = [
            v.head if c.lower_ in _REL_PRONOUNS and v.dep_ == "relcl" else c
            for c in v.children
            if c.dep_ in _SUBJ_DEPS
        ]
        if subjects:
            return subjects
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            v = v.head  # shared subject of coordinated or controlled verbs
            continue
        break
    return []


def _nested(child: Any) -> bool:
    """Whether ``child`` opens a clause of its own (infinitival purpose clauses do not)."""
    if child.dep_ == "advcl":
        return not any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
    return child.dep_ in _CLAUSE_DEPS or (child.dep_ == "conj" and _is_verb(child))


def _finite(verb: Any) -> bool:
    """Past or present tense, not future or modal."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ == "MD" for a in auxes):
        return False
    if verb.tag_ in _FINITE_TAGS or any(a.tag_ in _FINITE_TAGS for a in auxes):
        return True
    return verb.dep_ == "conj" and _finite(verb.head)


def _conjuncts(verb: Any) -> list[Any]:
    """Verbs coordinated after ``verb`` (recursively)."""
    out: list[Any] = []
    stack = [c for c in verb.children if c.dep_ == "conj" and _is_verb(c)]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ == "conj" and _is_verb(c))
    return sorted(out, key=lambda t: t.i)


def event_spans(art: Article) -> None:
    """Fill ``art.layers["events"]`` (needs the Doc, entities, timexes and attributions)."""
    art.layers["events"] = []
    doc = art._doc
    if doc is None:
        return
    text = art.text

    # Entity mention per character start, dateline excluded.
    dateline = art.meta.get("dateline") or {}
    dl = (dateline.get("start", -1), dateline.get("end", -1)) if dateline else (-1, -1)
    labels = {c.id: c.label for c in art.clusters}
    ents = sorted(
        (e for e in art.layer("entities") if not (e.start >= dl[0] and e.end <= dl[1])),
        key=lambda e: e.start,
    )
    ent_starts = [e.start for e in ents]

    def entities_in(tokens: list[Any], *, any_label: bool) -> list[str]:
        found: list[str] = []
        for tok in tokens:
            i = bisect.bisect_right(ent_starts, tok.idx) - 1
            if i < 0 or not (ents[i].start <= tok.idx < ents[i].end):
                continue
            cid = ents[i].attrs.get("entity")
            if not isinstance(cid, str) or cid in found:
                continue
            if any_label or labels.get(cid) in _WHO_LABELS:
                found.append(cid)
        return found

    attributions = art.layer("attributions")

    def attribution_of(pos: int) -> int | None:
        best: tuple[int, int] | None = None
        for i, a in enumerate(attributions):
            pieces = a.attrs.get("fragments") or [[a.start, a.end]]
            if any(s <= pos < e for s, e in pieces) and (best is None or a.end - a.start < best[0]):
                best = (a.end - a.start, i)
        return best[1] if best else None

    quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]

    def in_quote(pos: int) -> bool:
        return any(s < pos < e for s, e in quotes)

    # 1. Dated verbs from timexes.
    dated: dict[int, tuple[str, int, Any]] = {}  # verb index -> (date, timex index, prep)
    dist: dict[int, int] = {}
    for ti, tx in enumerate(art.layer("timexes")):
        if tx.attrs.get("type") not in ("DATE", "TIME") and tx.attrs.get("ref") not in _REFS:
            continue
        date = _date_of(str(tx.attrs.get("ref") or tx.attrs.get("value") or ""))
        if date is None:
            continue
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        found = _governing_verb(span.root)
        if found is None:
            continue
        verb, prep = found
        d = abs(verb.i - span.root.i)
        if verb.i not in dated or d < dist[verb.i]:
            dated[verb.i] = (date, ti, prep)
            dist[verb.i] = d

    events: list[tuple[Any, str, str, int | None, Any, list[Any]]] = []
    seen: set[int] = set()
    for vi in sorted(dated):
        date, ti, prep = dated[vi]
        verb = doc[vi]
        group = [verb] + [c for c in _conjuncts(verb) if c.i not in dated]
        for v in group:
            if v.i in seen:
                continue
            seen.add(v.i)
            events.append((v, date, "timex", ti, prep if v is verb else None, group))

    # 2. The news peg: main verbs of the first body paragraphs' sentences.
    if art.published is not None:
        published = art.published.date.isoformat()
        body = [p for p in art.layer("paragraphs") if p.label != "title"][:PEG_PARAGRAPHS]
        for sent in doc.sents:
            if not any(p.start <= sent.start_char < p.end for p in body):
                continue
            root = sent.root
            if not _is_verb(root):
                continue
            group = [root, *_conjuncts(root)]
            for v in group:
                if v.i in seen or v.i in dated or not _finite(v):
                    continue
                seen.add(v.i)
                events.append((v, published, "published", None, None, group))

    # 3. Spans.
    out: list[tuple[int, Span]] = []
    for verb, date, source, tx_index, prep, group in events:
        attribution = attribution_of(verb.idx)
        if attribution is None and in_quote(verb.idx):
            continue
        clause = _clause_tokens(verb)
        who: list[str] = []
        for subj in _subjects(verb):
            who = entities_in(_clause_tokens(subj), any_label=True)[:1]
            if who:
                break
        for cid in entities_in(clause, any_label=False):
            if cid not in who:
                who.append(cid)
        if source == "published" and not who:
            continue
        sent = verb.sent
        s, e = sent.start_char, sent.end_char
        while e > s and text[e - 1].isspace():
            e -= 1
        span = art.span(
            s,
            e,
            "event",
            date=date,
            date_source=source,
            timex=tx_index,
            date_prep=prep.text if prep is not None else None,
            what=[verb.idx, verb.idx + len(verb.text)],
            lemma=verb.lemma_,
            who=who,
            also=[[g.idx, g.idx + len(g.text)] for g in group if g is not verb],
            attribution=attribution,
        )
        out.append((verb.idx, span))
    art.layers["events"] = [sp for _, sp in sorted(out, key=lambda t: t[0])]
