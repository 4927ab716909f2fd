"""Who said what: attributed statements with their cue, source and speaker (rules, v1).

Writes three layers:

* ``cues`` (label ``cue``): the reporting words — "said", "pointed out", "according to",
  "claims";
* ``sources`` (label ``source``): the noun phrase naming who says it; ``attrs.entity`` is the
  cluster id when the phrase names an entity (its head word is a mention, or it is "data
  from X" with X a mention);
* ``attributions``: one span per statement, over its content (a direct quote with its
  quotation marks). ``label`` = ``attrs.kind`` (direct, indirect, mixed, according-to,
  epistemic); ``attrs.cue`` and ``attrs.source`` are indices into ``cues`` and ``sources`` (or
  None), ``attrs.speaker`` the resolved cluster id (or None), ``attrs.resolution`` how (named,
  pronoun, title, group, unresolved), ``attrs.rule`` the rule that found it, and
  ``attrs.fragments`` the ``[start, end]`` pieces when the content is discontinuous ("“…,” said
  X, “…”", quotes running over paragraphs).

The rules are in :mod:`presslens.stages.attribution_rules`, speaker resolution in
:mod:`presslens.stages.speakers`. A learned scorer plugs in through ``scorer``: it rates each
candidate and those under ``min_score`` are dropped; v1 uses fixed rule priors.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from presslens.errors import StageError
from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.attribution_rules import Candidate, Quote, find_candidates, find_quotes
from presslens.stages.speakers import SPEAKER_WINDOW, SpeakerIndex

__all__ = [
    "AttributionOptions",
    "Scorer",
    "extract_attributions",
    "make_attributions_stage",
    "rule_prior",
]

Scorer = Callable[[Candidate, Any], float]
"""Rates a candidate (given the spaCy Doc) from 0 to 1; higher keeps it."""

#: Prior confidence of each rule, used as the score in v1 (a learned scorer replaces them).
#: Hand-set, then checked against each rule's cue precision on PolNeAR dev (quote and ccomp
#: rules 0.8-0.9; object complements of broad verbs about 0.45; bare prepositions 0.03).
RULE_PRIORS: dict[str, float] = {
    "verb-ccomp": 0.9,
    "verb-xcomp": 0.6,
    "verb-object": 0.5,
    "verb-prep": 0.3,  # PolNeAR dev: 3% of its cues are annotated; kept for a learned scorer
    "verb-parenthetical": 0.8,
    "verb-adjacent": 0.8,
    "verb-fronted": 0.8,
    "according-to": 0.95,
    "nominal": 0.6,
    "for-opinion": 0.6,
    "orphan-quote": 0.3,
}
#: Candidates scoring below this are dropped. Hand-set between the priors of the rules kept
#: and the orphan-quote rule (a quote with no cue nor source is usually a scare quote).
MIN_SCORE = 0.4
#: A quote with no cue of its own continues the previous direct quote's statement when it
#: starts at most this many sentences after it (PolNeAR: one speaker's quote runs over
#: consecutive paragraphs).
CONTINUE_SENTENCES = 2


def rule_prior(cand: Candidate, doc: Any) -> float:
    """The v1 scorer: the prior of the rule that made the candidate."""
    return RULE_PRIORS.get(cand.rule.split("+")[0], 0.5)


@dataclass(frozen=True)
class AttributionOptions:
    """Options of :func:`extract_attributions` (the stage's config options, same names)."""

    epistemic: bool = True
    nested: bool = False
    min_score: float = MIN_SCORE
    speaker_window: int = SPEAKER_WINDOW
    continue_sentences: int = CONTINUE_SENTENCES


@stage(
    "presslens.attributions.v1",
    requires=("doc", "sentences", "entities", "clusters"),
    assigns=("attributions", "cues", "sources"),
)
def make_attributions_stage(settings: Settings, **options: Any) -> StageFn:
    """Attributed statements (quotes, reported speech, "according to") with resolved speakers."""
    opts = AttributionOptions(**options)

    def run(articles: list[Article]) -> list[Article]:
        for art in articles:
            extract_attributions(art, options=opts)
        return articles

    return run


def extract_attributions(
    article: Article,
    *,
    options: AttributionOptions = AttributionOptions(),
    scorer: Scorer = rule_prior,
) -> Article:
    """Fill the ``cues``, ``sources`` and ``attributions`` layers of a parsed article."""
    doc = article._doc
    if doc is None:
        raise StageError(
            "the article has no spaCy Doc",
            where=article.source or article.id,
            hint="Run the spacy stage before the attributions stage.",
        )
    quotes = find_quotes(article.text)
    cands = find_candidates(doc, quotes)
    starts = [s.start for s in article.layer("sentences")]
    cands += _quote_rules(starts, quotes, cands, options)
    if not options.nested:
        cands = [c for c in cands if not _cue_in_quote(c, quotes)]
    kept = []
    for cand in cands:
        cand.score = scorer(cand, doc)
        if cand.score >= options.min_score and (options.epistemic or cand.kind != "epistemic"):
            kept.append(cand)
    _write_layers(article, doc, _deduplicated(kept), options)
    return article


# -- quotes that no cue claimed --------------------------------------------------------------


def _quote_rules(
    starts: list[int], quotes: list[Quote], cands: list[Candidate], options: AttributionOptions
) -> list[Candidate]:
    """Quotes no rule attributed. One that follows a direct quote within
    ``continue_sentences`` sentences, with no other cue between, continues it (one statement,
    several fragments, as PolNeAR annotates "“…,” she said. “…”"); one right before a direct
    quote opens it; any other becomes an ``orphan-quote`` candidate with no cue or source.
    Linear after sorting: candidates, cues and quotes are walked in text order."""
    by_end = sorted(cands, key=lambda c: c.content[1])
    ends = [c.content[1] for c in by_end]
    by_start = sorted(cands, key=lambda c: c.content[0])
    cue_starts = sorted(c.cue[0] for c in cands if c.cue is not None)
    claimed = _Cover(by_start)
    orphans: list[Candidate] = []
    for q in quotes:
        if claimed.covers(q.start, q.end):
            continue
        i = bisect.bisect_right(ends, q.start) - 1
        last = by_end[i] if i >= 0 else None
        if (
            last is not None
            and last.kind == "direct"
            and _cues_between(cue_starts, last.content[1], q.start, last) == 0
            and _sentences_between(starts, last.content[1], q.start) <= options.continue_sentences
        ):
            last.fragments = [*(last.fragments or [last.content]), *q.fragments]
            last.content = (last.content[0], q.end)
            last.rule = last.rule.split("+")[0] + "+continued"
            continue
        orphans.append(
            Candidate(
                content=(q.start, q.end),
                kind="direct",
                rule="orphan-quote",
                fragments=list(q.fragments),
                quote=q,
            )
        )
    begins = [c.content[0] for c in by_start]
    left: list[Candidate] = []
    for orphan in reversed(orphans):
        j = bisect.bisect_left(begins, orphan.content[1])
        nxt = by_start[j] if j < len(by_start) else None
        if (
            nxt is not None
            and nxt.kind == "direct"
            and nxt.cue is not None
            and nxt.cue[0] > nxt.content[0]
            and _cues_between(cue_starts, orphan.content[1], nxt.content[0], None) == 0
            and _sentences_between(starts, orphan.content[1], nxt.content[0])
            <= options.continue_sentences
        ):
            nxt.fragments = [*orphan.fragments, *(nxt.fragments or [nxt.content])]
            nxt.content = (orphan.content[0], nxt.content[1])
            nxt.rule = nxt.rule.split("+")[0] + "+continued"
            continue
        orphan.fragments = orphan.fragments if len(orphan.fragments) > 1 else []
        left.append(orphan)
    return left[::-1]


class _Cover:
    """Does some candidate's content contain a range? (prefix maxima over sorted starts)"""

    def __init__(self, by_start: list[Candidate]) -> None:
        self.starts = [c.content[0] for c in by_start]
        self.max_end: list[int] = []
        best = -1
        for c in by_start:
            best = max(best, c.content[1])
            self.max_end.append(best)

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.max_end[i] >= end


def _cues_between(cue_starts: list[int], start: int, end: int, own: Candidate | None) -> int:
    """Cues starting in ``[start, end)``, not counting ``own``'s cue."""
    n = bisect.bisect_left(cue_starts, end) - bisect.bisect_left(cue_starts, start)
    if own is not None and own.cue is not None and start <= own.cue[0] < end:
        n -= 1
    return n


def _cue_in_quote(cand: Candidate, quotes: list[Quote]) -> bool:
    """The cue lies inside a quotation: a statement the quoted speaker reports."""
    if cand.cue is None:
        return False
    at = cand.cue[0]
    return any(f[0] < at < f[1] for q in quotes for f in q.fragments)


def _sentences_between(starts: list[int], start: int, end: int) -> int:
    """How many sentences begin in ``(start, end]`` (``starts``: sentence start offsets)."""
    return bisect.bisect_right(starts, end) - bisect.bisect_right(starts, start)


def _deduplicated(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per content span and per cue: the higher-scoring (earlier on ties)."""
    best: dict[tuple[int, int], Candidate] = {}
    for cand in cands:
        key = cand.content
        if key not in best or cand.score > best[key].score:
            best[key] = cand
    by_cue: dict[tuple[int, int], Candidate] = {}
    loose: list[Candidate] = []
    for cand in best.values():
        if cand.cue is None:
            loose.append(cand)
        elif cand.cue not in by_cue or cand.score > by_cue[cand.cue].score:
            by_cue[cand.cue] = cand
    return sorted([*by_cue.values(), *loose], key=lambda c: c.content)


# -- output ---------------------------------------------------------------------------------


def _write_layers(
    article: Article, doc: Any, cands: list[Candidate], options: AttributionOptions
) -> None:
    article.layers["attributions"] = []
    article.layers["cues"] = []
    article.layers["sources"] = []
    speakers = SpeakerIndex.build(article, doc, window=options.speaker_window)
    labels = {c.id: c.label for c in article.clusters}
    cue_ids: dict[tuple[int, int], int] = {}
    source_ids: dict[tuple[int, int], int] = {}
    resolved: list[tuple[tuple[int, int], str]] = []  # direct quotes' spans and speakers
    who: dict[int, tuple[str | None, str]] = {}  # id(candidate) -> (speaker, resolution)
    for cand in sorted(cands, key=lambda c: (c.kind != "direct", c.content)):
        quote_speaker = next(
            (name for (s, e), name in resolved if cand.source and s <= cand.source[0] < e), None
        )
        speaker, resolution = speakers.resolve(cand.source_head, quote_speaker=quote_speaker)
        if cand.source is None:
            speaker, resolution = None, "unresolved"
        if speaker is not None and cand.source_head is not None:
            speakers.note_speaker(cand.source_head, speaker, labels.get(speaker, ""))
            if cand.kind == "direct":
                resolved.append((cand.content, speaker))
        who[id(cand)] = (speaker, resolution)
    for cand in cands:
        speaker, resolution = who[id(cand)]
        cue = _span_id(article, "cues", "cue", cand.cue, cue_ids, {})
        src_attrs = {"entity": speaker} if resolution == "named" and speaker else {}
        source = _span_id(article, "sources", "source", cand.source, source_ids, src_attrs)
        attrs: dict[str, Any] = {
            "kind": cand.kind,
            "cue": cue,
            "source": source,
            "speaker": speaker,
            "resolution": resolution,
            "rule": cand.rule,
        }
        if cand.fragments:
            attrs["fragments"] = [list(f) for f in cand.fragments]
        article.add("attributions", article.span(*cand.content, cand.kind, **attrs))


def _span_id(
    article: Article,
    layer: str,
    label: str,
    rng: tuple[int, int] | None,
    seen: dict[tuple[int, int], int],
    attrs: dict[str, Any],
) -> int | None:
    """Index of the span over ``rng`` in ``layer``, added once however often it is used."""
    if rng is None:
        return None
    if rng not in seen:
        seen[rng] = article.add(layer, article.span(*rng, label, **attrs))
    return seen[rng]
