"""Learned cue edges: where a kept statement's cue starts and ends, chosen among a few
alternatives.

The rules give the bare reporting word. Until v7 the widening model of
:mod:`presslens.stages.attribution_bounds` then added neighbours one unit at a time,
greedily; but PolNeAR's cues often end past words no unit reaches ("said | last month",
"said in a recent interview" without its "in Honolulu", "accused the North's leader, Kim
Jong Un, | of"), or begin earlier ("went on to | discuss", "also | contended"), and a greedy
step cannot undo a unit it should not have taken ("said in a statement" where the annotator
marked "said"). So each end of a kept cue is offered *alternative edges* — every word
boundary within a few tokens of it, in its sentence, never across a quotation mark, a line
break or the source, never before the cue's head word on the right nor after it on the left
— and a logistic model, the artifact's ``cue_edges``, trained on PolNeAR train by
``presslens train attribution``, rates each as the gold edge; the best rated wins, staying
being one of them. A cue that grows into the start of its content pushes the content's start
behind it (as the widening did: "accused | Holt of …").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from presslens.stages.attribution_bounds import content_tokens
from presslens.stages.attribution_edges import (
    QUOTE_CHARS,
    best_per_side,
    delta_bucket,
    edge_probability,
)
from presslens.stages.attribution_rules import Candidate

__all__ = [
    "LEFT_WINDOW",
    "RIGHT_WINDOW",
    "CueEdge",
    "apply_cue_edge",
    "choose_cue_edges",
    "cue_adjustable",
    "cue_edge_features",
    "cue_edge_options",
    "cue_edge_probability",
]

#: How many tokens a cue's end may move right (PolNeAR's longer cue tails, "said in a
#: recent interview", "accused Holt of", are within it) and its start left ("went on to").
#: 8 and 5 read a little higher than 6 and 4 (PolNeAR dev cue exact F1 0.7154 against
#: 0.7134, train cross-validated 0.7139 against 0.7130).
RIGHT_WINDOW = 8
LEFT_WINDOW = 5
#: How far either edge may move back inside the cue.
INWARD = 4
#: Characters a cue edge never moves across: the content edges' (quotation marks, a line break).
BLOCK_CHARS = QUOTE_CHARS


@dataclass(frozen=True)
class CueEdge:
    """A cue edge on ``side`` (``"S"`` start, ``"E"`` end) at token ``i`` (the cue's first
    or last token), ``delta`` tokens from the current edge (negative: left)."""

    side: str
    i: int
    delta: int


def cue_adjustable(cand: Candidate) -> bool:
    """Cues made of words around a known head word (not a transcript's colon or a dash)."""
    return cand.cue is not None and cand.cue_head is not None


def _blocked(lo: int, hi: int, text: str, *ranges: tuple[int, int] | None) -> bool:
    if lo >= hi:
        return False
    if any(r is not None and lo < r[1] and r[0] < hi for r in ranges):
        return True
    return any(ch in BLOCK_CHARS for ch in text[lo:hi])


def _content_blocks(cand: Candidate, lo: int, hi: int) -> bool:
    """Characters ``lo``..``hi`` added to the cue at its end cannot be taken from the
    content: a quote's, fragments' or a content they would empty."""
    pieces = cand.fragments or [cand.content]
    if not any(lo < p[1] and p[0] < hi for p in pieces):
        return False
    if cand.quote is not None or cand.fragments or cand.kind == "direct":
        return True
    if cand.content[0] < lo:
        return False  # the cue sits inside its content ("…, Obama said on Saturday, …")
    return hi >= cand.content[1] - 1


def cue_edge_options(doc: Any, cand: Candidate, text: str) -> list[CueEdge]:
    """The alternative starts and ends of ``cand``'s cue, the current ones included."""
    if not cue_adjustable(cand):
        return []
    assert cand.cue is not None and cand.cue_head is not None
    rng = content_tokens(doc, cand.cue, alignment_mode="expand", min_tokens=1)
    if rng is None:
        return []
    first, last = rng
    head = cand.cue_head
    if not first <= head <= last:
        return []
    out = [CueEdge("S", first, 0), CueEdge("E", last, 0)]
    sent_start, sent_end = _sentence_bounds(doc, head, first - LEFT_WINDOW, last + RIGHT_WINDOW)
    for i in range(max(sent_start, first - LEFT_WINDOW), min(head, first + INWARD) + 1):
        tok = doc[i]
        if i == first or tok.is_punct or tok.is_space:
            continue
        lo, hi = (tok.idx, doc[first].idx) if i < first else (doc[first].idx, tok.idx)
        if i < first and (
            _blocked(lo, hi, text, cand.source)
            or any(lo < p[1] and p[0] < hi for p in _pieces(cand))
        ):
            continue
        if i > first and _blocked(lo, hi, text):
            continue
        out.append(CueEdge("S", i, i - first))
    cur = doc[last].idx + len(doc[last].text)
    for i in range(max(head, last - INWARD), min(sent_end, last + RIGHT_WINDOW + 1)):
        tok = doc[i]
        if i == last or tok.is_punct or tok.is_space:
            continue
        end = tok.idx + len(tok.text)
        lo, hi = (cur, end) if i > last else (end, cur)
        if _blocked(lo, hi, text, cand.source if i > last else None):
            continue
        if i > last and _content_blocks(cand, lo, hi):
            continue
        out.append(CueEdge("E", i, i - last))
    return out


def _sentence_bounds(doc: Any, i: int, lo: int, hi: int) -> tuple[int, int]:
    """Start and end (exclusive) of token ``i``'s sentence, looked for only between ``lo``
    and ``hi`` (walks the sentence-start flags: ``Token.sent`` rebuilds the sentence each
    time)."""
    start = i
    while start > max(0, lo) and not doc[start].is_sent_start:
        start -= 1
    end = i + 1
    while end < min(len(doc), hi + 1) and not doc[end].is_sent_start:
        end += 1
    return start, end


def _pieces(cand: Candidate) -> list[tuple[int, int]]:
    return cand.fragments or [cand.content]


def cue_edge_features(doc: Any, cand: Candidate, edge: CueEdge, anchor: int) -> list[str]:
    """Names of the binary features of one alternative cue edge; ``anchor`` is the current
    edge's token."""
    assert cand.cue_head is not None
    s = "c" + edge.side
    tok = doc[edge.i]
    d = edge.delta
    rule = cand.rule.split("+")[0]
    lemma = doc[cand.cue_head].lemma_.lower()
    k = edge.i - 1 if edge.side == "S" else edge.i + 1
    out_tok = doc[k] if 0 <= k < len(doc) else None
    out_lower = "<none>" if out_tok is None else out_tok.lower_
    out_pos = "<none>" if out_tok is None else out_tok.pos_
    out_word = out_lower if out_tok is None or out_tok.is_punct else out_pos
    content_next = False
    if out_tok is not None and edge.side == "E":
        content_next = out_tok.idx >= cand.content[0] and out_tok.idx - cand.content[0] <= 1
    b = delta_bucket(d)
    feats = [
        s,
        f"{s}|d={b}",
        f"{s}|d={b}|rule={rule}",
        f"{s}|d={b}|kind={cand.kind}",
        f"{s}|d={b}|lem={lemma}",
        f"{s}|w={tok.lower_}",
        f"{s}|pos={tok.pos_}",
        f"{s}|dep={tok.dep_}",
        f"{s}|w={tok.lower_}|lem={lemma}",
        f"{s}|ent={tok.ent_type_}",
        f"{s}|out={out_word}",
        f"{s}|outw={out_lower}",
        f"{s}|outw={out_lower}|lem={lemma}",
        f"{s}|pos={tok.pos_}|out={out_word}",
        f"{s}|contentnext={content_next}",
        f"{s}|head={tok.i == cand.cue_head}",
    ]
    if d == 0:
        return feats
    if edge.side == "S":
        lo, hi = (edge.i, anchor) if d < 0 else (anchor, edge.i)
    else:
        lo, hi = (anchor + 1, edge.i + 1) if d > 0 else (edge.i + 1, anchor + 1)
    inward = (edge.side == "S" and d > 0) or (edge.side == "E" and d < 0)
    m = "cut" if inward else "add"
    seg_head = None
    closed = True
    words: list[Any] = []
    for j in range(lo, hi):
        t = doc[j]
        h = t.head.i
        if seg_head is None and (h < lo or h >= hi or h == j):
            seg_head = t
        if not t.is_punct:
            words.append(t)
        if h != cand.cue_head and not lo <= h < hi and not _in_cue(doc, cand, h):
            closed = False
    if seg_head is None:
        seg_head = doc[lo]
    w0 = words[0].lower_ if words else "<punct>"
    hdep = seg_head.dep_
    feats += [
        f"{s}|{m}",
        f"{s}|{m}|w0={w0}",
        f"{s}|{m}|w0={w0}|lem={lemma}",
        f"{s}|{m}|hdep={hdep}",
        f"{s}|{m}|hdep={hdep}|lem={lemma}",
        f"{s}|{m}|hdep={hdep}|rule={rule}",
        f"{s}|{m}|hpos={seg_head.pos_}",
        f"{s}|{m}|closed={closed}",
        f"{s}|{m}|n={min(len(words), 6)}",
        f"{s}|{m}|time={any(t.ent_type_ in ('DATE', 'TIME') for t in words)}",
        f"{s}|{m}|verb={any(t.pos_ == 'VERB' for t in words)}",
        f"{s}|{m}|w={tok.lower_}",
        f"{s}|{m}|pos={tok.pos_}|out={out_word}",
    ]
    feats += sorted({f"{s}|{m}|has={t.pos_}" for t in words})
    return feats


def _in_cue(doc: Any, cand: Candidate, i: int) -> bool:
    """Token ``i`` lies in the cue as it was."""
    assert cand.cue is not None
    return cand.cue[0] <= doc[i].idx < cand.cue[1]


#: The model's probability that an alternative is the gold edge (one logistic function for
#: every boundary model).
cue_edge_probability = edge_probability


def apply_cue_edge(doc: Any, text: str, cand: Candidate, edge: CueEdge) -> None:
    """Move the cue's start or end to ``edge``; a cue grown into the content's start
    pushes the content's start behind it."""
    assert cand.cue is not None
    tok = doc[edge.i]
    if edge.side == "S":
        cand.cue = (tok.idx, cand.cue[1])
        return
    end = tok.idx + len(tok.text)
    old = cand.cue[1]
    cand.cue = (cand.cue[0], end)
    if old <= cand.content[0] < end < cand.content[1]:
        rest = text[end : cand.content[1]]
        cand.content = (end + len(rest) - len(rest.lstrip()), cand.content[1])


def choose_cue_edges(cand: Candidate, doc: Any, text: str, weights: Mapping[str, float]) -> None:
    """Move each end of the cue to its best-rated alternative (both chosen from the cue as
    it was)."""
    if not weights:
        return
    options = cue_edge_options(doc, cand, text)
    if not options:
        return
    anchors = {e.side: e.i for e in options if e.delta == 0}
    best = best_per_side(
        options,
        lambda e: cue_edge_probability(weights, cue_edge_features(doc, cand, e, anchors[e.side])),
    )
    for side in ("E", "S"):
        if best[side].delta:
            apply_cue_edge(doc, text, cand, best[side])
