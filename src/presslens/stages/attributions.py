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
:mod:`presslens.stages.speakers`. A scorer rates each candidate and those under ``min_score``
are dropped. Two are built in, chosen by the ``scorer`` option:

* ``"learned"`` (the default): a logistic regression over features of each candidate (cue
  lemma, rule, source type, whether it holds or sits inside a word-list statement, …), then
  a second one that rates each candidate next to its competitors (same cue, overlapping
  content, nested statements; :mod:`presslens.stages.attribution_stack`), both trained on
  PolNeAR train, the threshold chosen by cross-validation on train, shipped as
  ``presslens/data/attribution_scorer.json`` and reproduced by ``presslens train
  attribution``. It also turns on the ``open-…`` and ``passive-agent`` rules (any verb or
  noun with a subject and a complement, "X is critical of Y", "In a poll, …", any passive
  with a "by" agent), which only a scorer can sort out, and the artifact's boundary models
  (:mod:`presslens.stages.attribution_bounds`, :mod:`presslens.stages.attribution_edges`)
  then widen each kept cue ("called for", "said in a statement"), trim each parsed content's
  edges and choose where it starts and ends the way PolNeAR marks them;
* ``"rules"``: v1's fixed rule priors (:func:`rule_prior`), with the word-list rules only.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from presslens.errors import ConfigError, StageError
from presslens.lexicons_attribution import (
    FIRST_PRONOUNS,
    GROUP_NOUNS,
    ORG_DESCRIPTION_NOUNS,
    PERSON_PRONOUNS,
)
from presslens.lexicons_entities import TITLES
from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.attribution_bounds import extend_cue, trim_content
from presslens.stages.attribution_cues import choose_cue_edges
from presslens.stages.attribution_edges import choose_edges
from presslens.stages.attribution_rules import (
    Candidate,
    Quote,
    colon_intro_rule,
    find_candidates,
    find_quotes,
)
from presslens.stages.attribution_stack import context_features, stack_probability
from presslens.stages.speakers import SPEAKER_WINDOW, SpeakerIndex

__all__ = [
    "SCORER_RESOURCE",
    "AttributionOptions",
    "LearnedScorer",
    "Scorer",
    "attribution_candidates",
    "candidate_features",
    "extract_attributions",
    "load_learned_scorer",
    "make_attributions_stage",
    "rule_prior",
    "select_attributions",
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
    "colon": 0.5,  # "NAME: …" lines; the learned scorer weighs them (PolNeAR train: 196 cues)
    "dash-signature": 0.8,  # "“…” ― Name"
    "colon-intro": 0.6,  # "X was blunt: “…”" (PolNeAR train: a handful, too few to learn)
    "passive-agent": 0.3,  # open rule, scored only by the learned scorer
}
#: Rules the learned scorer cannot rate for want of examples (PolNeAR train: 109 nominal
#: candidates, 45 annotated; 16 "For X, …" candidates, 3 annotated), but that the attribution
#: issue asks for: they keep at least their rule prior.
RULE_FLOOR = frozenset({"nominal", "for-opinion", "colon-intro"})
#: Candidates scoring below this are dropped. Hand-set between the priors of the rules kept
#: and the orphan-quote rule (a quote with no cue nor source is usually a scare quote).
MIN_SCORE = 0.4
#: A quote with no cue of its own continues the previous direct quote's statement when it
#: starts at most this many sentences after it (PolNeAR: one speaker's quote runs over
#: consecutive paragraphs).
CONTINUE_SENTENCES = 2


#: Rules whose source noun is what tells a statement from a plain phrase (the scorer weighs
#: its lemma): "In a CBS poll, …" against "In 2016, …".
NOUN_SOURCE_RULES = frozenset({"open-fronted"})


def rule_prior(cand: Candidate, doc: Any) -> float:
    """The v1 scorer: the prior of the rule that made the candidate."""
    return RULE_PRIORS.get(cand.rule.split("+")[0], 0.5)


#: The shipped learned scorer, a file of the ``presslens`` package.
SCORER_RESOURCE = "data/attribution_scorer.json"
#: The artifact format this code reads (``version`` in the file).
SCORER_FORMAT = 2
SCORERS = ("learned", "rules")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class AttributionOptions:
    """Options of :func:`extract_attributions` (the stage's config options, same names).

    ``scorer``: ``"learned"`` (the shipped model, with the open rules) or ``"rules"`` (v1's
    rule priors). ``min_score``: the threshold; None takes the scorer's own (the learned
    model's tuned threshold, or :data:`MIN_SCORE` for the rules).
    """

    epistemic: bool = True
    nested: bool = False
    scorer: str = "learned"
    min_score: float | None = field(default=None, metadata={"range": (0.0, 1.0)})
    speaker_window: int = field(default=SPEAKER_WINDOW, metadata={"range": (1, None)})
    continue_sentences: int = field(default=CONTINUE_SENTENCES, metadata={"range": (0, None)})

    def __post_init__(self) -> None:
        if self.scorer not in SCORERS:
            raise ConfigError(
                f"unknown attribution scorer {self.scorer!r}",
                hint=f"Set stages.attributions.scorer to one of {', '.join(SCORERS)}.",
            )


# -- the learned scorer -------------------------------------------------------------------------


def first_sentence_end(doc: Any) -> int:
    """Index of the token after the Doc's first sentence. ``Token.sent`` costs time linear
    in the whole Doc (spaCy checks every token's sentence flag, then walks to the sentence's
    ends), so asking it once per candidate cost quadratic time on a long text."""
    return next((sent.end for sent in doc.sents), 0)


def candidate_features(cand: Candidate, doc: Any, first_end: int | None = None) -> list[str]:
    """Names of the binary features of a candidate that the learned scorer weighs
    (``first_end``: :func:`first_sentence_end` of ``doc``, computed when not given)."""
    base, _, suffix = cand.rule.partition("+")
    feats = ["bias", f"rule={base}", f"kind={cand.kind}"]
    if suffix:
        feats.append(f"rule+{suffix}")
    feats.append(f"quoted={cand.quote is not None}")
    if cand.nesting:
        feats += [f"nest={cand.nesting}", f"rule={base}|nest={cand.nesting}"]
        if cand.cue_head is not None:
            feats.append(f"lemma={doc[cand.cue_head].lemma_.lower()}|nest={cand.nesting}")
    n_chars = cand.content[1] - cand.content[0]
    feats.append(f"len={min(int(math.log2(n_chars + 1)), 12)}")
    first = doc.char_span(cand.content[0], cand.content[1], alignment_mode="expand")
    if first is not None and len(first) > 0:
        c0 = first[0]
        if base.endswith("verb-object") and cand.cue_head is not None:
            c0 = _object_complement(doc[cand.cue_head], cand.content) or c0
        feats.append(f"rule={base}|c0={c0.lower_}")
    lemma = None
    if cand.cue_head is not None:
        tok = doc[cand.cue_head]
        lemma = tok.lemma_.lower()
        feats += [
            f"lemma={lemma}",
            f"tag={tok.tag_}",
            f"dep={tok.dep_}",
            f"rule={base}|lemma={lemma}",
            f"rule={base}|dep={tok.dep_}",
            f"first={tok.i < (first_sentence_end(doc) if first_end is None else first_end)}",
        ]
        if any(c.dep_ == "neg" for c in tok.children):
            feats.append("neg")
    else:
        feats.append("nocue")
    if cand.source_head is not None:
        src = doc[cand.source_head]
        kind = cand.source_label or src.pos_
        feats += [f"src={kind}", f"rule={base}|src={kind}"]
        if src.pos_ == "PRON":
            feats.append(f"pron={src.lower_}")
        if lemma is not None:
            feats.append(f"lemma={lemma}|src={kind}")
        if base in NOUN_SOURCE_RULES:
            # "In a poll, …" vs "In 2016, …": the phrase's noun decides
            feats.append(f"rule={base}|src_lemma={src.lemma_.lower()}")
        if cand.cue is not None:
            feats.append(f"src_before={cand.source is not None and cand.source[0] < cand.cue[0]}")
    else:
        feats.append("src=none")
    return feats


def _object_complement(verb: Any, content: tuple[int, int]) -> Any | None:
    """The first word of what the content says about the verb's object ("declaring them |
    as unfounded", "called him | a liar"), None when it holds the object alone: the word
    after the object, not the object, tells such a stance from a plain object."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    if not objs:
        return None
    after = objs[0].right_edge.i
    return next(
        (
            c.left_edge
            for c in verb.children
            if c.i > after and content[0] <= c.idx < content[1] and not c.is_punct
        ),
        None,
    )


@dataclass(frozen=True)
class LearnedScorer:
    """A logistic regression over :func:`candidate_features`, read from its JSON artifact,
    with the weights of the boundary models (:mod:`presslens.stages.attribution_bounds`,
    :mod:`presslens.stages.attribution_cues`, :mod:`presslens.stages.attribution_edges`)."""

    weights: Mapping[str, float]
    threshold: float
    cue_steps: Mapping[str, float] = field(default_factory=dict)
    content_drops: Mapping[str, float] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    stack: Mapping[str, float] = field(default_factory=dict)
    content_edges: Mapping[str, float] = field(default_factory=dict)
    cue_edges: Mapping[str, float] = field(default_factory=dict)

    def __call__(self, cand: Candidate, doc: Any, first_end: int | None = None) -> float:
        weights = self.weights
        z = sum(weights.get(f, 0.0) for f in candidate_features(cand, doc, first_end))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score_all(self, cands: list[Candidate], doc: Any) -> list[float]:
        """Every candidate's score: the first stage's, then, when the artifact has one, the
        second stage's over the candidates' competition (:mod:`.attribution_stack`)."""
        first_end = first_sentence_end(doc) if any(c.cue_head is not None for c in cands) else 0
        probs = [self(c, doc, first_end) for c in cands]
        if not self.stack:
            return probs
        feats = context_features(cands, probs, doc)
        return [stack_probability(self.stack, f, p) for f, p in zip(feats, probs, strict=True)]

    def adjust(self, cand: Candidate, doc: Any, text: str) -> None:
        """Apply the learned boundary fixes to a kept candidate."""
        extend_cue(cand, doc, text, self.cue_steps)
        choose_cue_edges(cand, doc, text, self.cue_edges)
        trim_content(cand, doc, text, self.content_drops)
        choose_edges(cand, doc, text, self.content_edges)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "<dict>") -> LearnedScorer:
        if data.get("version") != SCORER_FORMAT or not isinstance(data.get("weights"), dict):
            raise ConfigError(
                f"not an attribution scorer of format {SCORER_FORMAT}",
                where=where,
                hint="Rebuild it with `presslens train attribution`.",
            )
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            threshold=float(data["threshold"]),
            cue_steps={str(k): float(v) for k, v in data.get("cue_steps", {}).items()},
            content_drops={str(k): float(v) for k, v in data.get("content_drops", {}).items()},
            stack={str(k): float(v) for k, v in data.get("stack", {}).items()},
            content_edges={str(k): float(v) for k, v in data.get("content_edges", {}).items()},
            cue_edges={str(k): float(v) for k, v in data.get("cue_edges", {}).items()},
            meta={
                k: v
                for k, v in data.items()
                if k
                not in (
                    "weights",
                    "cue_steps",
                    "content_drops",
                    "stack",
                    "content_edges",
                    "cue_edges",
                )
            },
        )


@lru_cache(maxsize=1)
def load_learned_scorer() -> LearnedScorer:
    """The shipped scorer, read once per process."""
    ref = resources.files("presslens").joinpath(SCORER_RESOURCE)
    return LearnedScorer.from_dict(json.loads(ref.read_text(encoding="utf-8")), SCORER_RESOURCE)


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
    scorer: Scorer | None = None,
) -> Article:
    """Fill the ``cues``, ``sources`` and ``attributions`` layers of a parsed article.

    ``scorer`` overrides the one ``options.scorer`` names; a scorer other than
    :func:`rule_prior` gets the open rules' candidates too.
    """
    doc = article._doc
    if doc is None:
        raise StageError(
            "the article has no spaCy Doc",
            where=article.source or article.id,
            hint="Run the spacy stage before the attributions stage.",
        )
    if scorer is None:
        learned = options.scorer == "learned"
        scorer = load_learned_scorer() if learned else rule_prior
    else:
        learned = scorer is not rule_prior
    cands = attribution_candidates(article, options=options, open_rules=learned)
    scores = (
        scorer.score_all(cands, doc)
        if isinstance(scorer, LearnedScorer)
        else [scorer(c, doc) for c in cands]
    )
    return select_attributions(article, cands, scores, options=options, scorer=scorer)


def select_attributions(
    article: Article,
    cands: list[Candidate],
    scores: list[float],
    *,
    options: AttributionOptions,
    scorer: Scorer,
) -> Article:
    """The threshold-dependent half of :func:`extract_attributions`: keep the candidates
    scoring at least the threshold, fix their boundaries, write the layers (training calls
    it once per threshold tried over the same scored candidates)."""
    doc = article._doc
    learned = scorer is not rule_prior
    if options.min_score is not None:
        min_score = options.min_score
    else:
        min_score = scorer.threshold if isinstance(scorer, LearnedScorer) else MIN_SCORE
    nested = _nested(cands, article.text) if options.nested and learned else set()
    kept = []
    for score, cand in zip(scores, cands, strict=True):
        if id(cand) in nested:
            # PolNeAR leaves statements quoted inside a quote unannotated, so the learned
            # scorer never saw one: they keep the rule prior and its threshold
            cand.score = rule_prior(cand, doc)
            keep = cand.score >= MIN_SCORE
        elif learned and cand.rule.split("+")[0] in RULE_FLOOR:
            cand.score = max(score, rule_prior(cand, doc))
            keep = cand.score >= min(min_score, MIN_SCORE)
        else:
            cand.score = score
            keep = cand.score >= min_score
        if keep and (options.epistemic or cand.kind != "epistemic"):
            kept.append(cand)
    # duplicates are told by the cue the rules found: two statements whose cues the
    # cue-edge model widens to the same words ("was written" and "was written by") stay two
    rule_cues = {id(cand): cand.cue for cand in kept}
    if isinstance(scorer, LearnedScorer):
        for cand in kept:
            scorer.adjust(cand, doc, article.text)
    _write_layers(article, doc, _deduplicated(kept, rule_cues), options)
    return article


def _nested(cands: list[Candidate], text: str) -> set[int]:
    """ids of the candidates whose cue lies inside a quote."""
    quotes = find_quotes(text)
    return {id(c) for c in cands if _cue_in_quote(c, quotes)}


def attribution_candidates(
    article: Article, *, options: AttributionOptions = AttributionOptions(), open_rules: bool
) -> list[Candidate]:
    """Every candidate the rules find in a parsed article, before scoring (training reads
    these too)."""
    doc = article._doc
    quotes = find_quotes(article.text)
    cands = find_candidates(doc, quotes, open_rules=open_rules)
    starts = [s.start for s in article.layer("sentences")]
    cands += _quote_rules(
        starts, quotes, cands, options, article.text, _named_mentions(article), doc
    )
    cands = _predicates_introducing(cands, doc)
    _cut_datelines(article, doc, cands)
    if not options.nested:
        cands = [
            c for c in cands if not _cue_in_quote(c, quotes) or _quoted_speaker_line(c, quotes)
        ]
    _label_sources(article, doc, cands)
    _mark_nesting(cands)
    return cands


#: Rules whose content is a clause the verb reports, a statement of its own even when a colon
#: introduction follows it.
CLAUSE_RULES = frozenset({"verb-ccomp", "verb-xcomp", "open-verb-ccomp", "open-verb-xcomp"})


def _predicates_introducing(cands: list[Candidate], doc: Any) -> list[Candidate]:
    """Without the statements a colon introduction's own predicate made of words before the
    colon: in "Cruz called them on it: “…”" the verb rule read "them on it" as what Cruz
    called; the quote is the statement, "called them on it:" its cue (as PolNeAR marks it).
    A clause ("said she has the quality a president needs: “…”", :data:`CLAUSE_RULES`) is
    kept: it is a statement of its own."""
    intros = {
        c.cue_head: c.content[0]
        for c in cands
        if c.rule.startswith("colon-intro") and c.cue_head is not None
    }
    if not intros:
        return cands
    return [
        c
        for c in cands
        if c.rule.startswith("colon-intro")
        or c.cue_head not in intros
        or c.content[1] > intros[c.cue_head]
        or c.rule.split("+")[0] in CLAUSE_RULES
    ]


def _cut_datelines(article: Article, doc: Any, cands: list[Candidate]) -> None:
    """A source never holds the dateline ("Kessford – The health minister, X, said …": the
    parse makes the place the head of the subject): it starts after the dateline's dash, its
    head the root of what is left; a source inside a dateline is dropped."""
    for dateline in article.layer("datelines"):
        for cand in cands:
            if cand.source is None or cand.source[0] >= dateline.end:
                continue
            if cand.source[1] <= dateline.start:
                continue
            rest = doc.char_span(
                max(cand.source[0], dateline.end), cand.source[1], alignment_mode="contract"
            )
            first = next((t.i for t in rest or () if not (t.is_punct or t.is_space)), None)
            if rest is None or first is None:
                cand.source, cand.source_head = None, None
                continue
            span = doc[first : rest.end]
            cand.source = (span.start_char, cand.source[1])
            cand.source_head = span.root.i


def _mark_nesting(cands: list[Candidate]) -> None:
    """Mark candidates that hold a word-list statement (cue and content) inside their content,
    or sit inside one's content: PolNeAR often annotates only one of the two ("Bloomberg
    reports that …" inside what someone else said), and the scorer learns which.

    Each test is a dominance query over the anchors sorted once (bisection plus prefix
    maxima and suffix minima), not a comparison with every anchor: that cost quadratic time
    when thousands of contents nest in an unpunctuated text. :func:`_mark_nesting_pairs` is
    the plain definition the tests hold this to."""
    anchors = [
        (k, c.content, c.cue[0])
        for k, c in enumerate(cands)
        if c.cue is not None and not c.rule.startswith(("open-", "orphan"))
    ]
    # outer: an anchor whose content and cue start lie in [s, e), i.e. whose
    # min(start, cue) >= s and max(end, cue + 1) <= e; the two smallest such maxima per
    # suffix of anchors sorted by that minimum, so that the candidate itself can be skipped
    inside = sorted((min(c[0], at), max(c[1], at + 1), k) for k, c, at in anchors)
    lows = [lo for lo, _, _ in inside]
    best2: list[list[tuple[int, int]]] = [[] for _ in range(len(inside) + 1)]
    for pos in range(len(inside) - 1, -1, -1):
        _, hi, k = inside[pos]
        best2[pos] = sorted([*best2[pos + 1], (hi, k)])[:2]
    # inner: an anchor whose content holds [min(s, cue), max(e, cue + 1)): the largest end
    # per prefix of anchors sorted by start
    around = sorted((c[0], c[1]) for _, c, _ in anchors)
    starts = [a for a, _ in around]
    max_end: list[int] = []
    for _, end in around:
        max_end.append(max(end, max_end[-1]) if max_end else end)
    # anchors of the same content whose cue lies outside it (for a content equal to the
    # candidate's, only such an anchor counts as holding it)
    outside_cue = {c for _, c, at in anchors if not c[0] <= at < c[1]}

    def holds(first: int, last: int) -> bool:
        """Some anchor's content starts at or before ``first`` and ends at or after ``last``."""
        n = bisect.bisect_right(starts, first)
        return n > 0 and max_end[n - 1] >= last

    for k, cand in enumerate(cands):
        if cand.cue is None:
            continue
        s, e = cand.content
        at = cand.cue[0]
        pos = bisect.bisect_left(lows, s)
        outer = any(hi <= e for hi, other in best2[pos] if other != k)
        lo, hi = min(s, at), max(e, at + 1)
        inner = (
            holds(min(lo, s - 1), hi)
            or holds(lo, max(hi, e + 1))
            or (s <= at < e and (s, e) in outside_cue)
        )
        cand.nesting = "both" if outer and inner else "outer" if outer else "inner" if inner else ""


def _mark_nesting_pairs(cands: list[Candidate]) -> None:
    """:func:`_mark_nesting` by comparing every pair (quadratic; for tests)."""
    anchors = [c for c in cands if c.cue is not None and not c.rule.startswith(("open-", "orphan"))]
    for cand in cands:
        if cand.cue is None:
            continue
        s, e = cand.content
        outer = inner = False
        for other in anchors:
            if other is cand or other.cue is None:
                continue
            os_, oe = other.content
            if s <= other.cue[0] < e and s <= os_ and oe <= e:
                outer = True
            elif os_ <= cand.cue[0] < oe and os_ <= s and e <= oe:
                inner = True
        cand.nesting = "both" if outer and inner else "outer" if outer else "inner" if inner else ""


def _label_sources(article: Article, doc: Any, cands: list[Candidate]) -> None:
    """Set each source's entity label from the entities layer (whose labels the entity stage
    corrected: a person spaCy tagged as a place is a PERSON there)."""
    labels = {c.id: c.label for c in article.clusters}
    mentions = sorted(
        (s.start, s.end, labels.get(str(s.attrs.get("entity")), s.label))
        for s in article.layer("entities")
    )
    starts = [m[0] for m in mentions]
    for cand in cands:
        if cand.source_head is None:
            continue
        at = doc[cand.source_head].idx
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and mentions[i][0] <= at < mentions[i][1]:
            cand.source_label = mentions[i][2]


# -- quotes that no cue claimed --------------------------------------------------------------


def _quote_rules(
    starts: list[int],
    quotes: list[Quote],
    cands: list[Candidate],
    options: AttributionOptions,
    text: str,
    names: Sequence[_Named] = (),
    doc: Any = None,
) -> list[Candidate]:
    """Quotes no rule attributed. One that follows a direct statement (or a mixed one ending
    with a quote, :func:`_continuable`) within ``continue_sentences`` sentences, with no
    other cue between (:func:`_blocking_cue`; open rules' cues do not count) and no one
    else named introducing it (:func:`_introduced`; ``names``: the article's person and
    organisation mentions, :func:`_named_mentions`), continues it
    (one statement, several fragments, as PolNeAR annotates "“…,” she said. “…”") when it
    opens its sentence or stands in that statement's last sentence (:func:`_may_continue`:
    a scare quote in the next paragraph's narrative continues nothing); one right before a
    direct quote in the same paragraph opens it (never one in an earlier paragraph: that is
    someone else's more often than not), as does one right before the cue of a direct quote that
    follows its cue on the same line ("“…,” she said, “…”": :func:`_quote_around_cue`); any
    other that a clause ending in a colon introduces, and whose subject names someone ("Y was
    blunt: “…”", :func:`colon_intro_rule` with ``doc``; :func:`_names_someone`), is that
    subject's (rule ``colon-intro``, returned with the orphans); any other becomes an
    ``orphan-quote`` candidate with no cue or source.
    Linear after sorting: candidates, cues and quotes are walked in text order."""
    by_end = sorted(cands, key=lambda c: c.content[1])
    ends = [c.content[1] for c in by_end]
    by_start = sorted(cands, key=lambda c: c.content[0])
    # open rules' cues ("…,” said X, who bought Y. “…”) are too weak to end a statement
    cue_starts = sorted(
        c.cue[0] for c in cands if c.cue is not None and not c.rule.startswith(WEAK_CUE_RULES)
    )
    # a cue in the next paragraph after a quote ("+across") rarely is that quote's cue in
    # PolNeAR: the quote may still continue the statement before it
    claimed = _Cover([c for c in by_start if not c.rule.endswith("+across")])
    speaker_lines = {c.source[0] for c in cands if c.rule == "colon" and c.source is not None}
    text_quote_ends = {q.end for q in quotes}
    orphans: list[Candidate] = []
    intros: list[Candidate] = []
    for q in quotes:
        if claimed.covers(q.start, q.end) or q.start + 1 in speaker_lines:
            continue  # claimed, or a quoted "NAME: …" transcript line (the colon rule's)
        i = bisect.bisect_right(ends, q.start) - 1
        last = _last_continuable(by_end, i, text_quote_ends)
        if (
            last is not None
            and not _blocking_cue(cue_starts, starts, last, q.start)
            and _sentences_between(starts, last.content[1], q.start) <= options.continue_sentences
            and _may_continue(starts, text, last, q)
            and not _introduced(starts, text, names, last, q.start)
        ):
            last.fragments = [*(last.fragments or [last.content]), *q.fragments]
            last.content = (last.content[0], q.end)
            last.rule = last.rule.split("+")[0] + "+continued"
            continue
        intro = colon_intro_rule(doc, text, q) if doc is not None else None
        if intro is not None and _names_someone(doc, intro, names):
            # later quotes may continue it, and its cue ends the statement before
            bisect.insort(by_end, intro, key=lambda c: c.content[1])
            bisect.insort(ends, intro.content[1])
            bisect.insort(by_start, intro, key=lambda c: c.content[0])
            if intro.cue is not None:
                bisect.insort(cue_starts, intro.cue[0])
            intros.append(intro)
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
            and "\n" not in text[orphan.content[1] : nxt.content[0]]
        ):
            nxt.fragments = [*orphan.fragments, *(nxt.fragments or [nxt.content])]
            nxt.content = (orphan.content[0], nxt.content[1])
            nxt.rule = nxt.rule.split("+")[0] + "+continued"
            continue
        around = _quote_around_cue(orphan, by_start[j : j + AROUND_LOOKAHEAD], cue_starts, text)
        if around is not None:
            around.fragments = [*orphan.fragments, *(around.fragments or [around.content])]
            around.content = (orphan.content[0], around.content[1])
            around.rule = around.rule.split("+")[0] + "+around"
            continue
        orphan.fragments = orphan.fragments if len(orphan.fragments) > 1 else []
        left.append(orphan)
    return left[::-1] + intros


#: Common nouns that, as a colon-introduction's subject, stand for someone who speaks
#: ("The spokesman was blunt: “…”"); names and pronouns need no list.
_SPEAKING_NOUNS = GROUP_NOUNS | ORG_DESCRIPTION_NOUNS | TITLES
_SPEAKING_PRONOUNS = PERSON_PRONOUNS | FIRST_PRONOUNS | {"they"}
_SPEAKING_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _names_someone(doc: Any, cand: Candidate, names: Sequence[_Named]) -> bool:
    """The head of the candidate's source is a person, organisation, place or group
    speaking: inside a name the entity stage found (``names``, or spaCy's tag for places
    and groups), a personal pronoun or a noun such as "spokesman" — not "The sign read:
    “…”", nor "The rationale the Post uses … is …:" (a name inside the phrase, not its
    head)."""
    if cand.source is None or cand.source_head is None:
        return False
    head = doc[cand.source_head]
    at = head.idx
    k = bisect.bisect_right(names, (at, 1 << 62))  # the mentions starting at or before it
    named = any(m.start <= at < m.end for m in names[max(0, k - 3) : k])
    return bool(
        named
        or head.lower_ in _SPEAKING_PRONOUNS
        or head.ent_type_ in _SPEAKING_ENTITIES
        or head.lemma_.lower() in _SPEAKING_NOUNS
    )


def _may_continue(starts: list[int], text: str, last: Candidate, q: Quote) -> bool:
    """Whether quote ``q`` may continue statement ``last``: it opens its sentence ("…,” she
    said. “…”", also in a later paragraph), or it stands in the sentence that ends ``last``
    with no line break between ("…,” she said, calling it “…”"). Scare quotes inside a
    narrative sentence (“The government's “emergency” measures”) continue nothing, nor does
    a quoted subheading on a line of its own ("'All Bets Are Off.'", :func:`_heading_line`)."""
    if _heading_line(text, q):
        return False
    if _opens_sentence(starts, text, q.start):
        return True
    return not _sentences_between(starts, last.content[1], q.start) and (
        "\n" not in text[last.content[1] : q.start]
    )


class _Named(NamedTuple):
    start: int
    end: int
    cluster: str
    subject: bool  # the subject of its clause


def _named_mentions(article: Article) -> list[_Named]:
    """The article's person and organisation mentions, in text order, with their cluster and
    whether each is its clause's subject (by the parse)."""
    doc = article._doc
    out = []
    for e in article.layer("entities"):
        cluster = e.attrs.get("entity")
        if e.label not in ("PERSON", "ORG") or not isinstance(cluster, str):
            continue
        span = doc.char_span(e.start, e.end, alignment_mode="expand") if doc is not None else None
        subject = span is not None and len(span) > 0 and span.root.dep_ in ("nsubj", "nsubjpass")
        out.append(_Named(e.start, e.end, cluster, subject))
    return sorted(out)


def _introduced(
    starts: list[int], text: str, names: Sequence[_Named], last: Candidate, at: int
) -> bool:
    """The quote at ``at`` follows a colon in a sentence whose subject before the colon names
    someone other than the source of statement ``last`` ("Janette Brimmer said … . Andrew
    Wetzler, director of …, was blunt: “…”"): the writer introduces a new speaker. The same
    person ("Clinton recalled the freeze: “…”") or a source that names nobody ("he") leaves
    it free to continue ``last``."""
    colon = at - 1
    while colon >= 0 and text[colon] in " \t\"“'":
        colon -= 1
    if colon < 0 or text[colon] != ":" or last.source is None:
        return False
    k = bisect.bisect_right(starts, colon) - 1  # the colon's sentence (a parse may split there)
    begin = max(starts[k] if k >= 0 else 0, text.rfind("\n", 0, colon) + 1)
    speakers = {m.cluster for m in _names_in(names, *last.source)}
    introduced = {m.cluster for m in _names_in(names, begin, colon) if m.subject}
    return bool(speakers) and bool(introduced) and not speakers & introduced


def _names_in(names: Sequence[_Named], start: int, end: int) -> Sequence[_Named]:
    """The mentions of ``names`` (sorted) that start in ``[start, end)``."""
    lo = bisect.bisect_left(names, (start,))
    hi = bisect.bisect_left(names, (end,))
    return names[lo:hi]


#: Words a Title Case heading leaves in lower case.
HEADING_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "of",
        "on",
        "in",
        "at",
        "to",
        "by",
        "with",
        "from",
        "as",
        "into",
        "via",
        "per",
        "vs",
        "up",
    ]
)
_HEADING_WORD = re.compile(r"[^\W_][\w'’-]*")


def _heading_line(text: str, q: Quote) -> bool:
    """A quote alone on its line in Title Case, at most ten words: a subheading quoting a
    phrase of the section (NYT, Breitbart), not the next paragraph of a quotation."""
    if len(q.fragments) > 1:
        return False
    line_start = text.rfind("\n", 0, q.start) + 1
    line_end = text.find("\n", q.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start : q.start].strip() or text[q.end : line_end].strip(" \t.:"):
        return False
    words = _HEADING_WORD.findall(text, q.start, q.end)
    return 2 <= len(words) <= 10 and all(
        w[0].isupper() or w[0].isdigit() or w.lower() in HEADING_MINOR_WORDS for w in words
    )


#: What may stand between the end of one sentence and a quote that opens the next: a full
#: stop, question or exclamation mark, maybe inside a closing quote, and spaces; or a colon
#: ("I had to change my answer: “…”").
_SENTENCE_END = re.compile(r"[.!?…][\"”»“']?\s*$|:\s*$")


def _opens_sentence(starts: list[int], text: str, at: int) -> bool:
    """The quote at ``at`` opens its sentence or its line: no word stands between the start
    of its sentence (by the parse, or after a full stop or a colon when the parse joined
    two) or of its line and it."""
    k = bisect.bisect_right(starts, at) - 1
    line = text.rfind("\n", 0, at) + 1
    begin = max(starts[k] if k >= 0 else 0, line)
    before = text[begin:at]
    if not _WORD.search(before):
        return True
    return _SENTENCE_END.search(before) is not None


#: Candidates after an unclaimed quote searched for the statement it opens around its cue.
AROUND_LOOKAHEAD = 3
#: Longest stretch between such a quote and the next ("," the president said during a
#: rally in Iowa, ").
AROUND_GAP = 80


def _quote_around_cue(
    orphan: Candidate, after: list[Candidate], cue_starts: list[int], text: str
) -> Candidate | None:
    """“A,” X said, “B.”: the direct statement whose cue follows the unclaimed quote A and
    whose quote B follows its cue, on the same line, with no other cue between — PolNeAR
    marks one content over both quotes, around the cue. None when there is none."""
    end = orphan.content[1]
    for nxt in after:
        if nxt.kind != "direct" or nxt.cue is None or nxt.fragments:
            continue
        gap = text[end : nxt.content[0]]
        if (
            end <= nxt.cue[0] < nxt.content[0]
            and len(gap) <= AROUND_GAP
            and "\n" not in gap
            and _cues_between(cue_starts, end, nxt.content[0], nxt) == 0
        ):
            return nxt
    return None


def _continuable(cand: Candidate, quote_ends: set[int]) -> bool:
    """A following quote may continue a direct statement, or a mixed one that ends with a
    quote ("saying he has “made a lot of money.” “Frankly, …”")."""
    return cand.kind == "direct" or (cand.kind == "mixed" and cand.content[1] in quote_ends)


#: Rules whose cues do not stop a quote from continuing the statement before it.
WEAK_CUE_RULES = ("open-", "passive-agent")


#: How many candidates ending later a quote's continuation may look past to find the
#: statement it continues (a misparsed clause running into the next paragraph's quote).
CONTINUE_LOOKBACK = 3


def _last_continuable(by_end: list[Candidate], i: int, quote_ends: set[int]) -> Candidate | None:
    """The statement a quote after ``by_end[i]`` may continue (:func:`_continuable`):
    ``by_end[i]`` itself, or the nearest such statement up to :data:`CONTINUE_LOOKBACK`
    candidates back ("“…,” Barkley said." after an indirect clause misparsed into that
    quote); None when there is none. A cue between the two still blocks it."""
    for j in range(i, max(-1, i - CONTINUE_LOOKBACK - 1), -1):
        if _continuable(by_end[j], quote_ends):
            return by_end[j]
    return None


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


def _blocking_cue(cue_starts: list[int], starts: list[int], last: Candidate, end: int) -> bool:
    """A cue between ``last`` and ``end`` that ends its statement: any but ``last``'s own
    and those later in the same sentence as it ("…,” Ramos said, referring to Y. “…”)."""
    own = last.cue[0] if last.cue is not None else None
    lo = bisect.bisect_left(cue_starts, last.content[1])
    for at in cue_starts[lo : bisect.bisect_left(cue_starts, end)]:
        if own is not None and (
            at == own or (at > own and not _sentences_between(starts, own, at))
        ):
            continue
        return True
    return False


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


def _quoted_speaker_line(cand: Candidate, quotes: list[Quote]) -> bool:
    """A "NAME: …" line inside a quote that opens right before the name (a transcript pasted
    in quotation marks, ``"PENCE: Well, …``): the name speaks, not a quoted speaker."""
    if cand.rule != "colon" or cand.source is None:
        return False
    at = cand.source[0]
    return any(f[0] < at and at - f[0] <= 1 for q in quotes for f in q.fragments)


def _sentences_between(starts: list[int], start: int, end: int) -> int:
    """How many sentences begin in ``(start, end]`` (``starts``: sentence start offsets)."""
    return bisect.bisect_right(starts, end) - bisect.bisect_right(starts, start)


def _deduplicated(
    cands: list[Candidate], rule_cues: Mapping[int, tuple[int, int] | None]
) -> list[Candidate]:
    """One candidate per content span and per cue (``rule_cues``: each candidate's cue as
    the rules found it, by ``id``): the higher-scoring (earlier on ties)."""
    best: dict[tuple[int, int], Candidate] = {}
    for cand in cands:
        key = cand.content
        if key not in best or cand.score > best[key].score:
            best[key] = cand
    by_cue: dict[tuple[int, int], Candidate] = {}
    loose: list[Candidate] = []
    for cand in best.values():
        cue = rule_cues.get(id(cand), cand.cue)
        if cue is None:
            loose.append(cand)
        elif cue not in by_cue or cand.score > by_cue[cue].score:
            by_cue[cue] = cand
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
        opens = None
        if cand.kind == "direct" and cand.source is not None and cand.content[0] < cand.source[0]:
            first = doc.char_span(cand.content[0], cand.content[1], alignment_mode="expand")
            opens = first.start if first is not None else None
        speaker, resolution = speakers.resolve(
            cand.source_head, quote_speaker=quote_speaker, opens=opens
        )
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
            "confidence": round(float(cand.score), 3),
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
