"""Learned boundaries: how far PolNeAR's cue reaches beyond the reporting word, and which
edges of a content it leaves out.

PolNeAR's cues are often more than a verb: "called for", "accused Holt of", "said in a
statement", "said Monday", "plans to", "refused to endorse", "has previously made the case
for". Which neighbours belong to the cue depends on the word and on annotator habit, so the
rules give the bare cue (verb, auxiliaries, particle) and this module widens it one *unit* at
a time while a logistic model, trained on PolNeAR train by ``presslens train attribution``,
says the gold cue would include it. (v2 to v7; since v8 the shipped artifact has no widening
weights, so this step does nothing: the cue-edge chooser of
:mod:`presslens.stages.attribution_cues` replaced it and reads higher.)

A unit is the token right outside the cue on one side (``"L"`` or ``"R"``) when it hangs on a
cue word (or, on the left, governs one: "refused | to endorse"), either alone (``tok``) or, on
the right, with its whole subtree (``sub``: "in a statement", "last month") when that is
short and clear of the content and the source. Each offered unit is described by
:func:`unit_features`; the model's weights are the artifact's ``cue_steps``.

Contents cut from the parse (never quotes) get the mirror treatment: a second model, the
artifact's ``content_drops``, decides whether a leading ("But", "In addition,") or trailing
(", which …", "on Thursday") dependency subtree lies outside PolNeAR's content
(:func:`trim_content`). Both models are plain logistic regressions over binary features,
applied greedily, at most a few steps per edge: they cost little next to the parser.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from presslens.stages.attribution_rules import Candidate

__all__ = [
    "DROP_THRESHOLD",
    "MAX_STEPS",
    "Unit",
    "add_unit",
    "choose",
    "content_tokens",
    "content_unit_features",
    "content_units",
    "drop_unit",
    "extend_cue",
    "next_units",
    "step_probability",
    "trim_content",
    "unit_features",
]

#: Units added per side at most (PolNeAR train: longer cue tails are rare and varied).
MAX_STEPS = 3
#: Longest subtree offered as one unit, in tokens ("said in an interview with CNN's Wolf
#: Blitzer" is longer and rare).
MAX_SUBTREE = 6
#: A unit is added to the cue when the model's probability is above this.
STEP_THRESHOLD = 0.5
#: A unit is dropped from a content when the model's probability is above this (swept 0.4–0.8
#: with v5's models; PolNeAR train content exact F1 0.5888 / 0.5946 / 0.5952 / 0.5942 / 0.5935
#: at 0.4 / 0.5 / 0.6 / 0.7 / 0.8, dev 0.570 / 0.576 / 0.579 / 0.581 / 0.579: chosen on train).
DROP_THRESHOLD = 0.6


@dataclass(frozen=True)
class Unit:
    """Tokens ``first``..``last`` (inclusive) offered to the cue on ``side``."""

    side: str
    kind: str  # "tok" or "sub"
    first: int
    last: int
    tok: Any  # the token that hangs on the cue


def _overlaps(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


def _in_content(rng: tuple[int, int], cand: Candidate) -> bool:
    """``rng`` overlaps the content (its fragments when it has some: a content around the
    cue, "Trump is expected | to deliver …")."""
    pieces = cand.fragments or [cand.content]
    return any(_overlaps(rng, piece) for piece in pieces)


def next_units(doc: Any, cand: Candidate, cue: tuple[int, int]) -> Iterator[Unit]:
    """The units offered next to the cue ``cue`` (character offsets) of ``cand``."""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return
    inside = range(span.start, span.end)
    sent = span[0].sent
    i = span.start - 1
    if i >= sent.start:
        tok = doc[i]
        governs = any(t.head.i == i for t in span)
        if (tok.head.i in inside or governs) and not tok.is_punct:
            rng = (tok.idx, tok.idx + len(tok.text))
            if not _overlaps(rng, cand.source) and not _in_content(rng, cand):
                yield Unit("L", "tok", i, i, tok)
    i = span.end
    if i < sent.end:
        tok = doc[i]
        hangs = tok.head.i in inside or (tok.dep_ == "aux" and tok.head.head.i in inside)
        if hangs and not tok.is_punct:
            rng = (tok.idx, tok.idx + len(tok.text))
            if not _overlaps(rng, cand.source):
                yield Unit("R", "tok", i, i, tok)
                last = tok.right_edge.i
                if tok.left_edge.i == i and 0 < last - i < MAX_SUBTREE and last < sent.end:
                    sub = (tok.idx, doc[last].idx + len(doc[last].text))
                    if not _overlaps(sub, cand.source) and not _in_content(sub, cand):
                        yield Unit("R", "sub", i, last, tok)


def unit_features(doc: Any, cand: Candidate, cue: tuple[int, int], unit: Unit) -> list[str]:
    """Names of the binary features of one offered unit."""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    lemma = span.root.lemma_.lower() if span is not None and len(span) else ""
    tok = unit.tok
    p = f"{unit.side}{unit.kind}"
    word = tok.lower_
    dep = tok.dep_
    if unit.side == "L" and span is not None and any(t.head.i == tok.i for t in span):
        dep = "HEAD"  # the unit governs the cue: "refused | to endorse"
    feats = [
        f"{p}",
        f"{p}|dep={dep}",
        f"{p}|w={word}",
        f"{p}|pos={tok.pos_}",
        f"{p}|ent={tok.ent_type_}",
        f"{p}|rule={cand.rule.split('+')[0]}",
        f"{p}|lem={lemma}",
        f"{p}|lem={lemma}|w={word}",
        f"{p}|lem={lemma}|dep={dep}",
        f"{p}|dep={dep}|w={word}",
    ]
    if unit.kind == "sub":
        last = doc[unit.last]
        feats += [
            f"{p}|n={unit.last - unit.first + 1}",
            f"{p}|w={word}|last={last.lemma_.lower()}",
            f"{p}|lastent={last.ent_type_}",
        ]
    elif unit.side == "R":
        end = tok.idx + len(tok.text)
        nxt = doc[unit.last + 1] if unit.last + 1 < len(doc) else None
        feats.append(f"{p}|content_next={cand.content[0] >= end and cand.content[0] - end <= 1}")
        if nxt is not None:
            feats.append(f"{p}|w={word}|next={nxt.pos_}")
    return feats


def step_probability(weights: Mapping[str, float], feats: list[str]) -> float:
    """The logistic model's probability for one unit (features without a weight count 0)."""
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def add_unit(
    doc: Any, text: str, cand: Candidate, cue: tuple[int, int], unit: Unit
) -> tuple[int, int]:
    """The cue widened by ``unit``; content starting at the unit moves behind it ("complained
    | about X")."""
    start = doc[unit.first].idx
    end = doc[unit.last].idx + len(doc[unit.last].text)
    if unit.side == "L":
        return (start, cue[1])
    if cand.content[0] == start and end < cand.content[1]:
        rest = text[end : cand.content[1]]
        cand.content = (end + len(rest) - len(rest.lstrip()), cand.content[1])
    return (cue[0], end)


def choose(units: list[Unit], accepted: list[bool]) -> Unit | None:
    """The unit to add next (``accepted[i]``: whether ``units[i]`` belongs to the cue): a
    whole subtree when accepted, else the single token when accepted, else None (stop)."""
    for kind in ("sub", "tok"):
        for unit, ok in zip(units, accepted, strict=True):
            if unit.kind == kind and ok:
                return unit
    return None


def extend_cue(cand: Candidate, doc: Any, text: str, weights: Mapping[str, float]) -> None:
    """Widen ``cand.cue`` unit by unit while the model says PolNeAR would."""
    if cand.cue is None or not weights:
        return
    cue = cand.cue
    for side in ("L", "R"):
        for _ in range(MAX_STEPS):
            units = [u for u in next_units(doc, cand, cue) if u.side == side]
            accepted = [
                step_probability(weights, unit_features(doc, cand, cue, u)) > STEP_THRESHOLD
                for u in units
            ]
            unit = choose(units, accepted)
            if unit is None:
                break
            cue = add_unit(doc, text, cand, cue, unit)
    cand.cue = cue


# -- content boundaries ------------------------------------------------------------------------

#: Units dropped from each end of a content at most.
MAX_DROPS = 2


def content_tokens(
    doc: Any, content: tuple[int, int], alignment_mode: str = "contract", min_tokens: int = 2
) -> tuple[int, int] | None:
    """First and last token (inclusive) of a character span (a content, or with
    ``min_tokens=1`` a cue), edge punctuation left out; None when fewer than ``min_tokens``
    remain. ``alignment_mode`` as spaCy's ``Doc.char_span``."""
    span = doc.char_span(content[0], content[1], alignment_mode=alignment_mode)
    if span is None or len(span) < max(min_tokens, 1):
        return None
    first, last = span.start, span.end - 1
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return (first, last) if last - first + 1 >= min_tokens else None


#: A content whose first or last sentence is longer than this (in tokens) offers no droppable
#: units. Finding them walks each modifier's subtree, quadratic in the sentence's length: a
#: 6,400-word text without a full stop (an unpunctuated transcript) took 37 s. News
#: sentences stay far shorter, and the scores on PolNeAR dev are unchanged by this bound.
MAX_UNIT_SENTENCE = 250


def content_units(doc: Any, content: tuple[int, int]) -> list[Unit]:
    """Pieces that may be dropped from a content's ends: on the left a leading word's subtree
    ("But", "In addition,"), on the right a trailing modifier's subtree (", which …", "on
    Thursday", "shortly after …"), nested candidates from the smallest up."""
    rng = content_tokens(doc, content)
    if rng is None or max(len(doc[i].sent) for i in rng) > MAX_UNIT_SENTENCE:
        return []
    first, last = rng
    root = doc[first : last + 1].root.i
    units: list[Unit] = []
    tok = doc[last]
    while first <= tok.head.i <= last and tok.head.i != tok.i:
        left = tok.left_edge.i
        if root < left and tok.right_edge.i >= last and _projective(tok, left, last):
            units.append(Unit("R", "drop", left, last, tok))
        tok = tok.head
    tok = doc[first]
    while first <= tok.head.i <= last and tok.head.i != tok.i:
        right = tok.right_edge.i
        if right < root and tok.left_edge.i <= first and _projective(tok, first, right):
            units.append(Unit("L", "drop", first, right, tok))
        tok = tok.head
    return units


def _projective(tok: Any, first: int, last: int) -> bool:
    """``first``..``last`` holds exactly the part of ``tok``'s subtree in it (no word of the
    rest of the clause interleaved, as a non-projective parse can do)."""
    inside = sum(1 for t in tok.subtree if first <= t.i <= last)
    return inside == last - first + 1


def content_unit_features(doc: Any, cand: Candidate, unit: Unit) -> list[str]:
    """Names of the binary features of one droppable content unit."""
    tok = unit.tok
    p = f"{unit.side}drop"
    edge = doc[unit.first] if unit.side == "R" else doc[unit.last]
    before = doc[unit.first - 1] if unit.first > 0 else None
    after = doc[unit.last + 1] if unit.last + 1 < len(doc) else None
    n = unit.last - unit.first + 1
    cue = doc[cand.cue_head].lemma_.lower() if cand.cue_head is not None else "-"
    feats = [
        p,
        f"{p}|dep={tok.dep_}",
        f"{p}|w={tok.lower_}",
        f"{p}|pos={tok.pos_}",
        f"{p}|hdep={tok.head.dep_}",
        f"{p}|edge={edge.lower_}",
        f"{p}|n={min(n, 8)}",
        f"{p}|rule={cand.rule.split('+')[0]}",
        f"{p}|kind={cand.kind}",
        f"{p}|cue={cue}",
        f"{p}|dep={tok.dep_}|w={tok.lower_}",
        f"{p}|dep={tok.dep_}|rule={cand.rule.split('+')[0]}",
        f"{p}|ent={tok.ent_type_}",
    ]
    if unit.side == "R" and before is not None:
        feats.append(f"{p}|before={before.text if before.is_punct else before.pos_}")
        feats.append(f"{p}|dep={tok.dep_}|before={before.is_punct}")
    if unit.side == "L" and after is not None:
        feats.append(f"{p}|after={after.text if after.is_punct else after.pos_}")
    if cand.cue_head is not None:
        feats.append(f"{p}|headcue={tok.head.i == cand.cue_head}")
    return feats


def drop_unit(doc: Any, text: str, cand: Candidate, unit: Unit) -> None:
    """Cut ``unit`` (and the punctuation and spaces it leaves at the edge) off the content."""
    if unit.side == "R":
        end = doc[unit.first].idx
        while end > cand.content[0] and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
            end -= 1
        cand.content = (cand.content[0], end)
    else:
        start = doc[unit.last].idx + len(doc[unit.last].text)
        while start < cand.content[1] and (text[start].isspace() or text[start] in ",;:—–-"):
            start += 1
        cand.content = (start, cand.content[1])


def content_adjustable(cand: Candidate) -> bool:
    """Only contents the rules cut from the parse are trimmed (never quotes)."""
    return cand.quote is None and not cand.fragments and cand.kind != "mixed"


def trim_content(cand: Candidate, doc: Any, text: str, weights: Mapping[str, float]) -> None:
    """Drop edge units of the content while the model says PolNeAR's content leaves them
    out (the largest such unit at each step)."""
    if not weights or not content_adjustable(cand):
        return
    for side in ("R", "L"):
        for _ in range(MAX_DROPS):
            units = [u for u in content_units(doc, cand.content) if u.side == side]
            take = [
                u
                for u in units
                if step_probability(weights, content_unit_features(doc, cand, u)) > DROP_THRESHOLD
            ]
            if not take:
                break
            drop_unit(doc, text, cand, max(take, key=lambda u: u.last - u.first))
