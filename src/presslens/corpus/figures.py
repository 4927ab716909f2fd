"""Numbers from different outlets about the same thing when their wording differs.

``compare`` groups numbers by an exact key (what they count and the verb: "27 dead", "80 job
go"). Outlets rarely word a figure the same way: "80 jobs could go" and "120 jobs could be
lost", "a £4m cut in funding" and "cut funding by £5m" share no key, and their disagreement
is exactly what a fact-checker wants to see. Here each number's clause (the words around it,
up to another figure or punctuation, the figure itself left out) is embedded with the MiniLM
sentence encoder the package already ships, and two numbers of different outlets are paired
when all of these hold:

- the same unit and kind (pounds with pounds, counts with counts);
- for counts, the same counted thing: one lemma, one class ("dead", "injured") or two nouns
  the encoder puts very close; for amounts with a unit, a content word shared by the two
  clauses ("cut", "funding");
- their clauses are close (cosine at least ``MIN_SIMILARITY``);
- no clash of names: when both sentences name people or organisations (other than the
  statement's source), or both clauses name places (not the dateline's), they share one
  ("12 killed in Mumbai" is not "7 killed in Delhi", "Smith had nine rebounds" is not "Jones
  had 12");
- values within a factor of ``MAX_RATIO`` of each other: outlets that differ on a figure
  differ by a part of it (80 and 120 jobs, £4m and £5m); "more than 53 %" of voters and
  "5 percent" support, or $75,000 from a sponsor and $200 million for the economy, are two
  figures that merely share a word;
- a count is the only figure of its article counting that noun (two "rebounds" figures in
  one article could be either);
- each is the other's best such partner in the other outlet, and a group holds one figure
  per outlet.

The pairs are evidence to check, not a verdict: each group carries the clauses compared and
their similarity, and the story's articles must already be one story (``stories``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from presslens.corpus.lexicons import STOPWORDS
from presslens.corpus.linkage import complete_linkage
from presslens.corpus.names import fold
from presslens.corpus.sentences import sentence_bounds
from presslens.model import Article, Span

__all__ = ["Figure", "figure_of", "match_figures", "name_key", "stems"]

#: Least cosine between two clauses for their numbers to count as the same figure. The
#: encoder alone does not tell one figure from another of the same story (on the library probe
#: of tests/corpus/test_figures.py, with six-word clauses, pairs about one figure ranged
#: 0.16-0.82 and pairs about different things reached 0.47), so the gates above carry the
#: decision and the cosine only refuses clauses that share little and picks each figure's best
#: partner.
MIN_SIMILARITY = 0.4
#: Least cosine between two counted nouns that differ for them to name one thing (measured
#: on the probes: "jobs"/"posts" 0.47, "staff"/"employees" 0.35, "branches"/"libraries" 0.27:
#: only near-synonyms pass).
MIN_NOUN_SIMILARITY = 0.7
#: Most a figure may be times another for the two to be one figure told differently.
MAX_RATIO = 3.0
#: Words read on each side of a number for its clause.
CLAUSE_WORDS = 8
#: Labels of the names in a figure's sentence that must agree with the other figure's.
NAME_LABELS = frozenset({"PERSON", "ORG"})
#: Labels of the places in a figure's clause that must agree with the other's. Places count
#: only inside the clause, as a sentence's places are often of another granularity ("Morocco"
#: in one report's sentence, "Rabat" in another's); NORP not at all ("Moroccan", "Morocco").
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Units that make a number a time, not a counted thing.
TIME_UNITS = frozenset({"year", "month", "day", "hour", "minute", "week"})
#: Quantity kinds compared (ages, scores and durations are left to the exact key).
KINDS = frozenset({"count", "money", "percent", "measure", "vague", "fraction"})

_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
_WORD = re.compile(r"[^\W\d_]+")
#: Words that say nothing about what a number counts.
NOT_CONTENT = frozenset(
    {"said", "says", "say", "according", "told", "added", "about", "around", "nearly",
     "almost", "more", "than", "least", "some", "million", "billion", "thousand", "hundred",
     "per", "cent", "percent", "pounds", "dollars", "euros", "also", "would", "could", "may",
     "might", "will", "has", "have", "had", "been", "being", "was", "were", "are", "is"}
)  # fmt: skip
#: Tokens that end a clause on either side of a number.
_CLAUSE_STOPS = frozenset({",", ";", ":", "(", ")", '"', "“", "”", "—", "–"})


@dataclass(frozen=True)
class Figure:
    """One number as the matcher sees it."""

    row: int  # position in the caller's list of rows
    source: str  # outlet (near-duplicates share their original's)
    article: str
    kind: str
    unit: str
    head: str  # counted lemma ("job"), or "" when the number counts no noun (money)
    head_class: str | None  # "dead", "injured"… from the counted noun, if any
    clause: str  # the words around the number, the number left out (what is compared)
    shown: str  # the same words with the number in place (what a reader is shown)
    names: frozenset[str]  # people and organisations of the sentence, places of the clause
    size: float | None  # the value, or the middle of a range, or its one bound
    stems: frozenset[str]  # the clause's content words, crudely stemmed


def figure_of(
    art: Article,
    span: Span,
    *,
    row: int,
    source: str,
    head_class: str | None,
    name_of: Callable[[Span], str],
    skip: Sequence[Span] = (),
) -> Figure | None:
    """The figure of one quantity span, or None when it is not a comparable amount (a time,
    an age, a score, a number without a value, or one alone in its clause). Names inside a
    ``skip`` span (the article's attribution sources) are not compared: two outlets citing
    different people for one figure is a disagreement to show, not two figures; nor is a
    dateline's place (where the reporter filed from)."""
    a = span.attrs
    unit = a.get("unit") or ""
    if (
        a.get("value") is None
        or a.get("timex") is not None
        or unit in TIME_UNITS
        or span.label not in KINDS
    ):
        return None
    lo, hi = _clause_bounds(art, span)
    clause = f"{art.text[lo : span.start].strip()} {art.text[span.end : hi].strip()}".strip()
    if len(_TOKEN.findall(clause)) < 2:
        return None
    s_lo, s_hi = sentence_bounds(art, span)
    names = frozenset(
        name_of(e)
        for e in art.layer("entities")
        if ((e.label in NAME_LABELS and e.start < s_hi and s_lo < e.end)
            or (e.label in PLACE_LABELS and e.start < hi and lo < e.end))
        and not (span.start <= e.start < span.end)
        and not any(k.start <= e.start < k.end for k in (*skip, *art.layer("datelines")))
    )  # fmt: skip
    head = str(a.get("counted_lemma") or "")
    return Figure(
        row,
        source,
        art.id,
        span.label,
        unit,
        head,
        head_class,
        clause,
        art.text[lo:hi],
        names,
        _size(a),
        stems(clause),
    )


def _size(attrs: dict[str, object]) -> float | None:
    bounds = [v for v in (attrs.get("low"), attrs.get("high")) if isinstance(v, int | float)]
    value = attrs.get("value")
    if isinstance(value, int | float):
        return float(value)
    return sum(bounds) / len(bounds) if bounds else None


def stems(text: str) -> frozenset[str]:
    """Content words of ``text`` without common endings ("funding" and "fund" agree); a crude
    stemmer is enough to see two clauses share a word."""
    out = set()
    for w in _WORD.findall(text.casefold()):
        if w in STOPWORDS or w in NOT_CONTENT or len(w) < 3 or w.isdigit():
            continue
        out.add(_stem(w))
    return frozenset(out)


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # libraries, library
    for end in ("ing", "ed"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]  # funding, fund
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _clause_bounds(art: Article, span: Span) -> tuple[int, int]:
    """Offsets of up to CLAUSE_WORDS words each side of ``span`` in its sentence, stopping at
    punctuation that ends a clause and at another number."""
    lo, hi = span.start, span.end
    s_lo, s_hi = sentence_bounds(art, span)
    others = [  # another figure with the noun it counts: "80 jobs" ends a clause
        (q.start, max(q.end, _end(q.attrs.get("counted"))))
        for q in art.layer("quantities")
        if s_lo <= q.start < s_hi and (q.start, q.end) != (span.start, span.end)
    ]

    def blocked(m: re.Match[str]) -> bool:
        return m.group() in _CLAUSE_STOPS or any(s <= m.start() < e for s, e in others)

    words = 0
    for m in _TOKEN.finditer(art.text, span.end, s_hi):
        if blocked(m) or words >= CLAUSE_WORDS:
            break
        hi, words = m.end(), words + m.group()[0].isalnum()
    words = 0
    for m in reversed(list(_TOKEN.finditer(art.text, s_lo, span.start))):
        if blocked(m) or words >= CLAUSE_WORDS:
            break
        lo, words = m.start(), words + m.group()[0].isalnum()
    return lo, hi


def _end(ref: object) -> int:
    return int(ref[1]) if isinstance(ref, list) and len(ref) == 2 else -1


def match_figures(
    figures: Sequence[Figure], embed: Callable[[list[str]], np.ndarray]
) -> list[tuple[list[int], float]]:
    """Groups ``(rows, least similarity)`` of figures from two or more sources that speak of
    the same thing (see the module's docstring). ``embed`` maps texts to L2-normalised rows.

    Pairs that are each other's best partner between two sources seed the groups, best
    first; two groups join only when every figure of one may pair with every figure of the
    other (complete linkage) and no source would appear twice, so a group never chains from
    one figure to an unrelated one through a third."""
    counts = Counter((f.article, f.head) for f in figures if not f.unit)
    figures = [f for f in figures if f.unit or counts[f.article, f.head] == 1]
    if len({f.source for f in figures}) < 2:
        return []
    clauses = embed([f.clause for f in figures])
    heads = sorted({f.head for f in figures if f.head})
    head_vecs = dict(zip(heads, embed(heads), strict=True)) if heads else {}
    n = len(figures)
    score = np.full((n, n), -1.0)
    sim = clauses @ clauses.T
    for i, x in enumerate(figures):
        for j in range(i + 1, n):
            if x.source != figures[j].source and _compatible(x, figures[j], head_vecs):
                score[i, j] = score[j, i] = sim[i, j]
    sources = sorted({f.source for f in figures})
    members = {s: np.array([i for i, f in enumerate(figures) if f.source == s]) for s in sources}
    seeds = []
    for a_i, a in enumerate(sources):
        for b in sources[a_i + 1 :]:
            block = score[np.ix_(members[a], members[b])]
            for r in range(block.shape[0]):
                c = int(block[r].argmax())
                if block[r, c] >= MIN_SIMILARITY and int(block[:, c].argmax()) == r:
                    seeds.append((float(block[r, c]), int(members[a][r]), int(members[b][c])))

    def may_join(gi: list[int], gj: list[int]) -> bool:
        if {figures[k].source for k in gi} & {figures[k].source for k in gj}:
            return False  # one figure per outlet in a group
        return min(score[k, m] for k in gi for m in gj) >= MIN_SIMILARITY

    groups = complete_linkage(n, [(i, j) for _, i, j in sorted(seeds, reverse=True)], may_join)
    return sorted(
        (
            sorted(figures[k].row for k in g),
            round(float(min(score[k, m] for k in g for m in g if k < m)), 3),
        )
        for g in groups
    )


def _compatible(x: Figure, y: Figure, head_vecs: dict[str, np.ndarray]) -> bool:
    if x.kind != y.kind or x.unit != y.unit:
        return False
    if x.names and y.names and not (x.names & y.names):
        return False
    if x.size and y.size:  # magnitudes: a fall of 5 % and a rise of 3 % may be one figure
        small, large = sorted((abs(x.size), abs(y.size)))
        if large > MAX_RATIO * small:
            return False
    if x.unit:
        return bool(x.stems & y.stems)  # money, percentages, measures: and one shared word
    if not (x.head and y.head):
        return False
    if x.head == y.head or (x.head_class is not None and x.head_class == y.head_class):
        return True
    return float(head_vecs[x.head] @ head_vecs[y.head]) >= MIN_NOUN_SIMILARITY


def name_key(resolve: Callable[[str | None], str | None]) -> Callable[[Span], str]:
    """A function naming an entity span by its corpus entity (``resolve`` of its cluster id)
    or, failing that, by its folded text."""

    def key(span: Span) -> str:
        cluster = span.attrs.get("entity")
        eid = resolve(cluster if isinstance(cluster, str) else None)
        return eid or fold(span.text)

    return key
