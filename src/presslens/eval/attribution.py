"""Score the attribution stage on PolNeAR-style BRAT standoff (source, cue, content).

The data folder holds ``text/<article>.txt`` and ``attributions/<article>_<annotator>.ann``
(e.g. ``../shared/data/polnear/dev``). One annotation file per article is used: the first in
sorted file-name order (see :func:`presslens.eval.brat.gold_files`). Texts are read and
normalised by the presslens readers, gold raw offsets are mapped onto the normalised text with
``article.offsets.span_to_norm``, and the default pipeline is run in batches.

Metric definitions (all micro-averaged over the articles scored):

**Spans.** For each role (source, cue, content) the predicted spans are those referenced by the
``attributions`` layer (``attrs.source`` into ``sources``, ``attrs.cue`` into ``cues``, the
attribution span itself for content); the gold spans are those of the gold relations. Within an
article each side is a *set* of offsets (duplicates count once). A discontinuous gold span is
scored as its covering span; ``content_fragments`` scores each gold content fragment against
each predicted fragment (``attrs.fragments`` of a discontinuous prediction, else its span)
instead, reported next to, not instead of, the covering figures.

- *strict*: offsets identical.
- *exact*: offsets identical after trimming whitespace and punctuation/quote marks at both edges
  of both spans (``“We will win,”`` equals ``We will win``); the main "exact" figure.
- *overlap*: trimmed spans that share at least one character may match; matching is
  one-to-one and greedy, taking candidate pairs by decreasing number of shared characters (ties:
  earlier gold, then earlier prediction). Each gold and each predicted span is used at most once,
  so one long prediction covering two gold quotes earns one true positive and one miss.

tp = matched pairs, fp = predicted - tp, fn = gold - tp; P = tp/(tp+fp), R = tp/(tp+fn),
F1 = 2PR/(P+R), 0 when undefined.

**Relations.** A predicted attribution matches a gold relation when their (trimmed) contents
overlap and their sources agree: both overlap, or both are absent. One-to-one and greedy by
content overlap, as above.

**Speakers.** ``resolved_share`` = predicted attributions with a source whose ``speaker`` is an
entity cluster, over predicted attributions with a source. ``name_overlap_share`` = matched
relations (gold source present) whose predicted speaker's cluster name shares a word with the
gold source text, over matched relations with a gold source. Words are casefolded, accents
removed, and a few function words and titles are ignored; a correct pronoun resolution ("he" →
"Donald Trump") does not count, so this is a floor on naming accuracy.

Gold spans that lie in text normalisation removed map to empty or blank spans and count as
misses (``gold_lost``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presslens.errors import ConfigError, InputError
from presslens.eval.brat import GoldRelation, annotator_files, gold_files, read_ann
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import read_articles
from presslens.registry import get_stage
from presslens.settings import Settings

__all__ = [
    "CONSENSUS_VARIANTS",
    "EDGE_CHARS",
    "ROLES",
    "Counts",
    "consensus_annotation",
    "eval_agreement",
    "eval_attribution",
    "majority_edges_spans",
    "majority_spans",
    "map_gold",
    "match_exact",
    "match_overlap",
    "pipeline_assigns_attributions",
    "score_agreement",
    "score_articles",
    "score_by_confidence",
    "score_consensus",
    "score_spans",
    "trim",
]

Offsets = tuple[int, int]

ROLES = ("source", "cue", "content")

#: Characters trimmed from both edges of gold and predicted spans before exact/overlap matching:
#: whitespace, quote marks and punctuation that annotators include or leave out inconsistently.
EDGE_CHARS = frozenset(" \t\n\r\f\v\u00a0\"'“”‘’«»„‚‹›`.,;:!?…-–—()[]")

#: Words ignored when comparing a speaker's name with the gold source text.
NAME_STOPWORDS = frozenset(
    {"a", "an", "the", "of", "and", "in", "for", "to", "on", "at", "by", "s"}
    | {"mr", "mrs", "ms", "dr", "rep", "sen", "gov", "pres", "president"}
)

ANNOTATOR_CHOICE = "one .ann file per article: the first in sorted file-name order"


# -- pure scoring -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def trim(text: str, start: int, end: int) -> Offsets:
    """``(start, end)`` without whitespace and punctuation (:data:`EDGE_CHARS`) at its edges.

    A span of nothing but punctuation (the ``:`` cue of an interview transcript) keeps its
    punctuation and loses only surrounding whitespace; a blank span becomes empty.
    """
    s, e = start, end
    while s < e and text[s] in EDGE_CHARS:
        s += 1
    while e > s and text[e - 1] in EDGE_CHARS:
        e -= 1
    if s < e:
        return s, e
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _shared(a: Offsets, b: Offsets) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_exact(gold: Sequence[Offsets], pred: Sequence[Offsets]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, pred index)`` of identical, non-empty spans."""
    free: dict[Offsets, list[int]] = {}
    for j, p in enumerate(pred):
        if p[1] > p[0]:
            free.setdefault(p, []).append(j)
    pairs = []
    for i, g in enumerate(gold):
        if free.get(g):
            pairs.append((i, free[g].pop(0)))
    return pairs


def match_overlap(
    gold: Sequence[Offsets],
    pred: Sequence[Offsets],
    *,
    allowed: Callable[[int, int], bool] | None = None,
) -> list[tuple[int, int]]:
    """One-to-one greedy pairs of spans sharing at least one character, most shared first.

    ``allowed(i, j)`` can veto a pair (the relation scorer requires agreeing sources).
    """
    candidates = sorted(
        (-shared, i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(pred)
        if (shared := _shared(g, p)) > 0 and (allowed is None or allowed(i, j))
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def score_spans(gold: Sequence[Offsets], pred: Sequence[Offsets], *, mode: str) -> Counts:
    """Counts for one article's gold and predicted spans, ``mode`` ``"exact"`` or ``"overlap"``.

    Spans are taken as given (trim first for the trimmed figures); duplicates count once.
    """
    gold_set, pred_set = sorted(set(gold)), sorted(set(pred))
    if mode == "exact":
        pairs = match_exact(gold_set, pred_set)
    elif mode == "overlap":
        pairs = match_overlap(gold_set, pred_set)
    else:
        raise ValueError(f"unknown match mode {mode!r}")
    tp = len(pairs)
    return Counts(tp, len(pred_set) - tp, len(gold_set) - tp)


def map_gold(article: Article, relations: Iterable[GoldRelation]) -> list[GoldRelation]:
    """Gold relations in raw offsets → the same relations in ``article.text`` offsets."""
    offsets = article.offsets
    mapped = []
    for rel in relations:
        raw = rel.fragments or {  # built by hand without fragments: the covering spans
            role: (span,) for role in ROLES if (span := getattr(rel, role)) is not None
        }
        fragments = {
            role: tuple(offsets.span_to_norm(s, e) for s, e in pieces)
            for role, pieces in raw.items()
        }
        covers = {
            role: (min(s for s, _ in pieces), max(e for _, e in pieces))
            for role, pieces in fragments.items()
            if pieces
        }
        mapped.append(
            GoldRelation(
                source=covers.get("source"),
                cue=covers.get("cue"),
                content=covers.get("content"),
                fragments=fragments,
                where=rel.where,
            )
        )
    return mapped


@dataclass
class _Predicted:
    """An article's predictions: one entry per attribution span."""

    content: list[Offsets]
    fragments: list[Offsets]
    source: list[Offsets | None]
    cue: list[Offsets | None]
    speaker_name: list[str | None]
    has_speaker: list[bool]
    resolution: list[str]


def _predicted(article: Article, min_confidence: float | None = None) -> _Predicted:
    """The article's statements as scored predictions; with ``min_confidence``, only those
    whose ``attrs.confidence`` reaches it, as ``presslens quotes --min-confidence`` lists."""
    sources, cues = article.layer("sources"), article.layer("cues")
    names = {c.id: c.name for c in article.clusters}

    def ref(spans: list[Any], index: Any) -> Offsets | None:
        if isinstance(index, int) and 0 <= index < len(spans):
            return (spans[index].start, spans[index].end)
        return None

    pred = _Predicted([], [], [], [], [], [], [])
    for span in article.layer("attributions"):
        if min_confidence is not None and not span.reaches(min_confidence):
            continue
        speaker = span.attrs.get("speaker")
        pred.content.append((span.start, span.end))
        pred.fragments.extend(_fragments(span.attrs.get("fragments"), span.start, span.end))
        pred.source.append(ref(sources, span.attrs.get("source")))
        pred.cue.append(ref(cues, span.attrs.get("cue")))
        pred.has_speaker.append(speaker is not None)
        pred.speaker_name.append(names.get(speaker) if isinstance(speaker, str) else None)
        pred.resolution.append(str(span.attrs.get("resolution") or "unknown"))
    return pred


def _fragments(value: Any, start: int, end: int) -> list[Offsets]:
    """A prediction's content pieces (``attrs.fragments``, within the span), else the span."""
    pieces: list[Offsets] = []
    if isinstance(value, list | tuple):
        for piece in value:
            if (
                isinstance(piece, list | tuple)
                and len(piece) == 2
                and all(isinstance(v, int) for v in piece)
                and start <= piece[0] <= piece[1] <= end
            ):
                pieces.append((piece[0], piece[1]))
    return pieces or [(start, end)]


def _fold_words(text: str) -> set[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return {w for w in re.findall(r"\w+", plain) if w not in NAME_STOPWORDS}


class _Tally:
    """Counts accumulated over articles by :func:`score_articles`."""

    def __init__(self) -> None:
        self.spans: dict[str, dict[str, Counts]] = {
            role: {"strict": Counts(), "exact": Counts(), "overlap": Counts()}
            for role in (*ROLES, "content_fragments")
        }
        self.sizes: dict[str, Counter[str]] = {role: Counter() for role in self.spans}
        self.relations = Counts()
        self.speakers: Counter[str] = Counter()
        self.resolutions: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()

    def add(
        self,
        article: Article,
        gold: Sequence[GoldRelation],
        min_confidence: float | None = None,
    ) -> None:
        self.add_predicted(article.text, gold, _predicted(article, min_confidence))

    def add_predicted(self, text: str, gold: Sequence[GoldRelation], pred: _Predicted) -> None:
        self.totals.update(articles=1, gold_relations=len(gold), predicted=len(pred.content))
        self._add_spans(text, gold, pred)
        pairs = self._add_relations(text, gold, pred)
        self._add_speakers(text, gold, pred, pairs)

    def _add_spans(self, text: str, gold: Sequence[GoldRelation], pred: _Predicted) -> None:
        gold_spans: dict[str, list[Offsets]] = {
            role: [x for rel in gold if (x := getattr(rel, role)) is not None] for role in ROLES
        }
        gold_spans["content_fragments"] = [
            frag for rel in gold for frag in rel.fragments.get("content", ())
        ]
        pred_spans: dict[str, list[Offsets]] = {
            "source": [x for x in pred.source if x is not None],
            "cue": [x for x in pred.cue if x is not None],
            "content": pred.content,
            "content_fragments": pred.fragments,
        }
        for role, counts in self.spans.items():
            g = gold_spans[role]
            p = [x for x in pred_spans[role] if x[1] > x[0]]
            g_trim = [trim(text, *x) for x in g]
            p_trim = [trim(text, *x) for x in p]
            counts["strict"] += score_spans(g, p, mode="exact")
            counts["exact"] += score_spans(g_trim, p_trim, mode="exact")
            counts["overlap"] += score_spans(g_trim, p_trim, mode="overlap")
            self.sizes[role].update(gold=len(set(g)), predicted=len(set(p)))
            if role in ROLES:
                self.totals["gold_lost"] += sum(1 for s, e in g_trim if e <= s)

    def _add_relations(
        self, text: str, gold: Sequence[GoldRelation], pred: _Predicted
    ) -> list[tuple[int, int]]:
        """Content overlap plus agreeing sources, one-to-one; returns the matched pairs."""

        def opt(x: Offsets | None) -> Offsets | None:
            return None if x is None else trim(text, *x)

        gold_source = [opt(r.source) for r in gold]
        pred_source = [opt(x) for x in pred.source]

        def agree(i: int, j: int) -> bool:
            g, p = gold_source[i], pred_source[j]
            if g is None or p is None:
                return g is None and p is None
            return _shared(g, p) > 0

        pairs = match_overlap(
            [opt(r.content) or (0, 0) for r in gold],
            [trim(text, *x) for x in pred.content],
            allowed=agree,
        )
        self.relations += Counts(len(pairs), len(pred.content) - len(pairs), len(gold) - len(pairs))
        return pairs

    def _add_speakers(
        self,
        text: str,
        gold: Sequence[GoldRelation],
        pred: _Predicted,
        pairs: Sequence[tuple[int, int]],
    ) -> None:
        speakers = self.speakers
        for j, source in enumerate(pred.source):
            if source is not None:
                speakers["with_source"] += 1
                speakers["resolved"] += pred.has_speaker[j]
            speakers["with_speaker"] += pred.has_speaker[j]
            self.resolutions[pred.resolution[j]] += 1
        for i, j in pairs:
            g_source = gold[i].source
            if g_source is None:
                continue
            speakers["matched_gold_source"] += 1
            name = pred.speaker_name[j]
            if name is None:
                continue
            speakers["matched_named"] += 1
            gold_words = _fold_words(text[g_source[0] : g_source[1]])
            speakers["name_overlaps_gold"] += bool(_fold_words(name) & gold_words)

    def report(self) -> dict[str, Any]:
        def share(num: int, den: int) -> float:
            return num / den if den else 0.0

        speakers = self.speakers
        return {
            "articles": self.totals["articles"],
            "gold_relations": self.totals["gold_relations"],
            "predicted_attributions": self.totals["predicted"],
            "gold_lost": self.totals["gold_lost"],
            "spans": {
                role: {
                    "gold": self.sizes[role]["gold"],
                    "predicted": self.sizes[role]["predicted"],
                    **{mode: c.as_dict() for mode, c in counts.items()},
                }
                for role, counts in self.spans.items()
            },
            "relations": self.relations.as_dict(),
            "speakers": {
                **{
                    key: speakers[key]
                    for key in (
                        "with_source",
                        "resolved",
                        "with_speaker",
                        "matched_gold_source",
                        "matched_named",
                        "name_overlaps_gold",
                    )
                },
                "resolved_share": share(speakers["resolved"], speakers["with_source"]),
                "name_overlap_share": share(
                    speakers["name_overlaps_gold"], speakers["matched_gold_source"]
                ),
                "resolution": dict(sorted(self.resolutions.items())),
            },
        }


def score_articles(
    items: Iterable[tuple[Article, Sequence[GoldRelation]]],
    *,
    min_confidence: float | None = None,
) -> dict[str, Any]:
    """Score analysed articles against gold relations already in normalised offsets.

    Returns a JSON-able dict: ``spans`` (per role, and ``content_fragments``: ``strict``,
    ``exact`` and ``overlap`` tp/fp/fn with P/R/F1), ``relations``, ``speakers`` and totals.
    ``min_confidence`` scores only the statements whose confidence reaches it. Pure: no I/O.
    """
    tally = _Tally()
    for article, gold in items:
        tally.add(article, gold, min_confidence)
    return tally.report()


def score_by_confidence(
    items: Sequence[tuple[Article, Sequence[GoldRelation]]], bars: Sequence[float]
) -> list[dict[str, Any]]:
    """The precision/recall trade-off of a confidence bar: for each bar, the statements kept
    and the exact P/R/F1 of source, cue and content, content overlap and relations, scored
    as :func:`score_articles` scores the statements ``presslens quotes --min-confidence``
    would list. The bars filter one analysis (no rerun), so they cost almost nothing."""
    rows = []
    for bar in sorted(set(bars)):
        report = score_articles(items, min_confidence=bar)
        spans = report["spans"]
        rows.append(
            {
                "min_confidence": bar,
                "statements": report["predicted_attributions"],
                "source_exact": spans["source"]["exact"],
                "cue_exact": spans["cue"]["exact"],
                "content_exact": spans["content"]["exact"],
                "content_overlap": spans["content"]["overlap"],
                "relations": report["relations"],
            }
        )
    return rows


# -- the evaluation run -----------------------------------------------------------------------
def load_polnear(data: Path) -> list[tuple[str, Path, Path]]:
    """(article stem, text file, chosen .ann file) for every annotated article with a text."""
    text_dir, ann_dir = data / "text", data / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        split = next((p for p in (data / "dev", data / "train") if p.is_dir()), None)
        hint = f"Pass a split folder such as {split}." if split else "Pass a split folder."
        raise InputError(
            "no text/ and attributions/ folders found",
            where=str(data),
            hint=f"{hint} It must hold text/<article>.txt and "
            "attributions/<article>_<annotator>.ann (BRAT standoff).",
        )
    items = []
    for stem, ann in sorted(gold_files(ann_dir).items()):
        text = text_dir / f"{stem}.txt"
        if text.is_file():
            items.append((stem, text, ann))
    if not items:
        raise InputError(
            "no annotation file matches a text file",
            where=str(data),
            hint="Annotation files are named <article>_<annotator>.ann next to text/<article>.txt.",
        )
    return items


def pipeline_assigns_attributions(config: dict[str, Any]) -> bool:
    """Whether a pipeline config has a stage that assigns the ``attributions`` layer."""
    stages = config.get("stages", {})
    return any(
        a.split(".")[0] == "attributions"
        for name in config.get("pipeline", {}).get("stages", [])
        if (impl := stages.get(name, {}).get("impl"))
        for a in get_stage(impl).assigns
    )


def eval_attribution(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    config: dict[str, Any] | None = None,
    confidence_bars: Sequence[float] = (),
) -> dict[str, Any]:
    """Run the pipeline on every annotated article under ``data`` and score its attributions.

    ``limit`` scores only the first N articles (sorted by name). Articles that cannot be read or
    that a stage fails on are skipped and listed in ``skipped``; see the module docs for the
    metrics. ``confidence_bars`` adds ``by_confidence`` (:func:`score_by_confidence`).
    """
    items = load_polnear(Path(data))[:limit]
    config = config if config is not None else default_config()
    if not pipeline_assigns_attributions(config):
        raise ConfigError(
            "the pipeline has no stage that assigns 'attributions'",
            hint="Add the attribution stage to [pipeline] stages (see `presslens stages`).",
        )
    pipeline = Pipeline.from_config(config, settings)
    gold_by_stem = {stem: read_ann(ann) for stem, _, ann in items}
    skipped: list[dict[str, Any]] = []
    articles: dict[str, Article] = {}
    for item in read_articles([str(path) for _, path, _ in items], settings):
        if isinstance(item, InputError):
            skipped.append(item.to_dict())
        else:
            articles[Path(item.source).stem] = item
    scored: list[tuple[Article, Sequence[GoldRelation]]] = []
    todo = [(stem, articles[stem]) for stem, _, _ in items if stem in articles]
    size = max(1, settings.batch_size)
    for n in range(0, len(todo), size):
        batch = todo[n : n + size]
        done, failed = pipeline.run([art for _, art in batch])
        skipped.extend(f.error.to_dict() for f in failed)
        by_id = {a.id: a for a in done}
        for stem, art in batch:
            if art.id in by_id:
                analysed = by_id[art.id]
                scored.append((analysed, map_gold(analysed, gold_by_stem[stem])))
        if on_progress:
            on_progress(min(n + size, len(todo)), len(todo))
    report = score_articles(scored)
    if confidence_bars:
        report["by_confidence"] = score_by_confidence(scored, confidence_bars)
    report["data"] = str(data)
    report["annotator_choice"] = ANNOTATOR_CHOICE
    report["gold_files"] = [ann.name for _, _, ann in items]
    report["skipped"] = skipped
    return report


# -- agreement between annotators -------------------------------------------------------------
def _as_predicted(relations: Sequence[GoldRelation]) -> _Predicted:
    """One annotator's relations in the shape of a system's predictions (no speakers)."""
    pred = _Predicted([], [], [], [], [], [], [])
    for rel in relations:
        content = rel.content or (0, 0)
        pred.content.append(content)
        pred.fragments.extend(rel.fragments.get("content", ()) or [content])
        pred.source.append(rel.source)
        pred.cue.append(rel.cue)
        pred.has_speaker.append(False)
        pred.speaker_name.append(None)
        pred.resolution.append("annotator")
    return pred


def score_agreement(
    items: Iterable[tuple[str, Sequence[Sequence[GoldRelation]]]],
) -> dict[str, Any]:
    """Pairwise agreement between annotators of the same articles, with the system's scorer.

    ``items`` are (normalised text, one relation list per annotator, in normalised offsets).
    Every unordered pair of annotators of an article is scored as if the first were gold and
    the second a prediction (P and R swap with the order, F1 does not). ``spans`` and
    ``relations`` pool the counts of all pairs (micro F1, comparable with the system's
    figures); ``mean_f1`` averages each pair's F1 over its article's spans. Pure: no I/O.
    """
    pooled = _Tally()
    per_pair: dict[str, dict[str, list[float]]] = {
        role: {"strict": [], "exact": [], "overlap": []} for role in pooled.spans
    }
    relation_f1: list[float] = []
    articles = pairs = 0
    for text, by_annotator in items:
        if len(by_annotator) < 2:
            continue
        articles += 1
        for a, first in enumerate(by_annotator):
            for second in by_annotator[a + 1 :]:
                pairs += 1
                one = _Tally()
                one.add_predicted(text, first, _as_predicted(second))
                pooled.add_predicted(text, first, _as_predicted(second))
                for role, counts in one.spans.items():
                    for mode, c in counts.items():
                        per_pair[role][mode].append(c.f1)
                relation_f1.append(one.relations.f1)

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    full = pooled.report()
    return {
        "articles": articles,
        "pairs": pairs,
        "spans": {
            role: {
                **{mode: full["spans"][role][mode] for mode in ("strict", "exact", "overlap")},
                "mean_f1": {mode: mean(values) for mode, values in per_pair[role].items()},
            }
            for role in pooled.spans
        },
        "relations": {**full["relations"], "mean_f1": mean(relation_f1)},
    }


def eval_agreement(
    data: Path,
    settings: Settings,
    *,
    limit: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Score each annotator against each other annotator of the same article under ``data``.

    Only articles with two or more ``.ann`` files count (PolNeAR dev: 2 articles with 6
    annotators each). Texts are read and normalised as for :func:`eval_attribution`, so the
    figures are the human ceiling of the same metrics; ``consensus`` scores each annotator
    against the majority of the others (:func:`score_consensus`). With a pipeline ``config``, the
    system is also scored against every annotator of those articles (``system``: the
    :func:`score_articles` report pooled over annotators), for a like-for-like comparison.
    ``limit`` keeps the first N such articles; unreadable texts or annotation files and
    failed articles are listed in ``skipped``.
    """
    data = Path(data)
    load_polnear(data)  # the same folder checks and messages as the system's evaluation
    groups = [
        (stem, files)
        for stem, files in sorted(annotator_files(data / "attributions").items())
        if len(files) > 1 and (data / "text" / f"{stem}.txt").is_file()
    ][:limit]
    skipped: list[dict[str, Any]] = []
    articles: dict[str, Article] = {}
    paths = [str(data / "text" / f"{stem}.txt") for stem, _ in groups]
    for item in read_articles(paths, settings):
        if isinstance(item, InputError):
            skipped.append(item.to_dict())
        else:
            articles[Path(item.source).stem] = item
    items: list[tuple[str, list[list[GoldRelation]]]] = []
    by_stem: dict[str, list[list[GoldRelation]]] = {}
    for n, (stem, files) in enumerate(groups, 1):
        article = articles.get(stem)
        if article is not None:
            annotations = []
            for path in files:
                try:
                    annotations.append(map_gold(article, read_ann(path)))
                except InputError as exc:
                    skipped.append(exc.to_dict())
            items.append((article.text, annotations))
            by_stem[stem] = annotations
        if on_progress:
            on_progress(n, len(groups))
    report = score_agreement(items)
    report["consensus"] = score_consensus(items)
    if config is not None:
        report["system"] = _system_against_annotators(articles, by_stem, settings, config, skipped)
    report["data"] = str(data)
    report["annotators"] = {stem: [p.name for p in files] for stem, files in groups}
    report["skipped"] = skipped
    return report


def _system_against_annotators(
    articles: dict[str, Article],
    annotations: dict[str, list[list[GoldRelation]]],
    settings: Settings,
    config: dict[str, Any],
    skipped: list[dict[str, Any]],
) -> dict[str, Any]:
    """The pipeline's attributions scored against each annotator in turn, counts pooled."""
    if not pipeline_assigns_attributions(config):
        raise ConfigError(
            "the pipeline has no stage that assigns 'attributions'",
            hint="Add the attribution stage to [pipeline] stages (see `presslens stages`).",
        )
    todo = [articles[stem] for stem in annotations]
    done, failed = Pipeline.from_config(config, settings).run(todo)
    skipped.extend(f.error.to_dict() for f in failed)
    stem_of = {a.id: stem for stem, a in articles.items()}
    pairs = [
        (art, gold)
        for art in done
        for gold in annotations.get(stem_of.get(art.id, ""), [])
        # gold was mapped on the unanalysed article; analysis keeps text and offsets
    ]
    report = score_articles(pairs)
    report["annotator_files"] = len(pairs)
    return report


# -- leave-one-out consensus ------------------------------------------------------------------
#: The consensus variants of :func:`score_consensus`, in report order.
CONSENSUS_VARIANTS = ("majority", "majority_edges")


def majority_spans(by_annotator: Sequence[Iterable[Offsets]]) -> list[Offsets]:
    """Spans (as given: trim first) that more than half of the annotators mark exactly.

    Each annotator votes once per span; a tie (exactly half, with an even number of
    annotators) is not a majority. Kept spans may overlap or nest: each is voted on alone.
    """
    votes = Counter(s for spans in by_annotator for s in set(spans) if s[1] > s[0])
    return sorted(s for s, n in votes.items() if 2 * n > len(by_annotator))


def majority_edges_spans(by_annotator: Sequence[Iterable[Offsets]]) -> list[Offsets]:
    """:func:`majority_spans`, plus the spans a majority marks with different edges.

    A span not yet kept and overlapping no kept span is added when more than half of the
    annotators mark a span overlapping it; spans are tried most-voted first (ties: earlier,
    then shorter), so of several variants of one statement the most common edges win.
    """
    sets = [{s for s in spans if s[1] > s[0]} for spans in by_annotator]
    kept = majority_spans(sets)
    votes = Counter(s for spans in sets for s in spans)
    for span in sorted(votes, key=lambda s: (-votes[s], s)):
        if any(_shared(span, k) for k in kept):
            continue
        support = sum(1 for spans in sets if any(_shared(span, x) for x in spans))
        if 2 * support > len(sets):
            kept.append(span)
    return sorted(kept)


def _plurality(values: Sequence[Offsets | None]) -> Offsets | None:
    """The most frequent value; ties go to the first in order (no source before any span)."""
    if not values:
        return None
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v is not None, v or (0, 0)))


def consensus_annotation(
    text: str, others: Sequence[Sequence[GoldRelation]], *, edges: bool = False
) -> tuple[_Predicted, _Predicted]:
    """The majority annotation of ``others``, as (spans, relations) in prediction shape.

    Spans: per role (source, cue, content, content fragments) the trimmed spans a majority
    of the annotators marks (:func:`majority_spans`, or :func:`majority_edges_spans` with
    ``edges``), each role on its own. Relations: one per consensus content, its source the
    most frequent (trimmed) source, or none, among the annotators' relations whose content
    equals it (for an ``edges`` content without an exact majority: overlaps it).
    """
    choose = majority_edges_spans if edges else majority_spans

    def trimmed(rels: Sequence[GoldRelation], role: str) -> list[Offsets]:
        if role == "content_fragments":
            return [trim(text, *f) for r in rels for f in r.fragments.get("content", ())]
        return [trim(text, *x) for r in rels if (x := getattr(r, role)) is not None]

    spans = {
        role: choose([trimmed(rels, role) for rels in others])
        for role in (*ROLES, "content_fragments")
    }
    span_pred = _Predicted(
        content=spans["content"],
        fragments=spans["content_fragments"],
        source=list(spans["source"]),
        cue=list(spans["cue"]),
        speaker_name=[],
        has_speaker=[],
        resolution=[],
    )
    pairs = [
        (trim(text, *r.content), None if r.source is None else trim(text, *r.source))
        for rels in others
        for r in rels
        if r.content is not None
    ]
    rel_pred = _Predicted([], [], [], [], [], [], [])
    for content in spans["content"]:
        same = [s for c, s in pairs if c == content] or [s for c, s in pairs if _shared(c, content)]
        rel_pred.content.append(content)
        rel_pred.source.append(_plurality(same))
        rel_pred.cue.append(None)
        rel_pred.has_speaker.append(False)
        rel_pred.speaker_name.append(None)
        rel_pred.resolution.append("consensus")
    return span_pred, rel_pred


def score_consensus(
    items: Iterable[tuple[str, Sequence[Sequence[GoldRelation]]]],
) -> dict[str, Any]:
    """Leave-one-out consensus: each annotator scored against the majority of the others.

    For every article with three or more annotators and every annotator of it, the held-out
    annotator is gold and :func:`consensus_annotation` of the others is the prediction,
    scored with the system's metrics (exact and overlap span P/R/F1, relations); counts are
    pooled over annotators and articles. This is what a system that predicted the
    annotators' consensus could expect against one annotator. Both variants are reported:
    ``majority`` (exact-match majority) and ``majority_edges`` (plus statements a majority
    marks with different edges, at their most common edges). Pure: no I/O.
    """
    tallies = {variant: _Tally() for variant in CONSENSUS_VARIANTS}
    articles = held_out = 0
    for text, by_annotator in items:
        if len(by_annotator) < 3:
            continue  # with two, the "majority of the others" is the other annotator
        articles += 1
        for h, gold in enumerate(by_annotator):
            held_out += 1
            others = [rels for a, rels in enumerate(by_annotator) if a != h]
            for variant, tally in tallies.items():
                span_pred, rel_pred = consensus_annotation(
                    text, others, edges=variant == "majority_edges"
                )
                tally.totals.update(
                    articles=1, gold_relations=len(gold), predicted=len(rel_pred.content)
                )
                tally._add_spans(text, gold, span_pred)
                tally._add_relations(text, gold, rel_pred)
    out: dict[str, Any] = {"articles": articles, "held_out": held_out}
    for variant, tally in tallies.items():
        full = tally.report()
        out[variant] = {
            "spans": {
                role: {mode: full["spans"][role][mode] for mode in ("exact", "overlap")}
                for role in full["spans"]
            },
            "relations": full["relations"],
            "predicted_relations": full["predicted_attributions"],
        }
    return out
