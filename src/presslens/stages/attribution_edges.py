"""Learned content edges: where a parsed statement's content starts and ends, chosen among a
few alternatives.

The rules cut a content from the parse (the clause under the cue), and the trimming model of
:mod:`presslens.stages.attribution_bounds` drops whole edge subtrees. But PolNeAR's edges
often lie elsewhere: after a verb's object ("urged Americans | to check out …", "accused her
of | being asleep …"), after a fronted phrase ("Details aside, | Mrs. Clinton's …"), before a
trailing clause, or a word or two before the parse's clause. So each end of a kept parsed
content is offered a handful of *alternative edges* — the token boundaries within
:data:`WINDOW` tokens of it, in its sentence, where a dependency subtree begins (start) or
ends (end) — and a logistic model, the artifact's ``content_edges``, trained on PolNeAR train
by ``presslens train attribution``, rates each alternative as the gold edge; the best-rated
one wins (the current edge is one of the alternatives, so "stay" is a choice like the
others). An edge never moves across a quotation mark, the cue or the source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from presslens.stages.attribution_bounds import content_tokens, step_probability
from presslens.stages.attribution_rules import Candidate

__all__ = [
    "WINDOW",
    "Edge",
    "best_per_side",
    "choose_edges",
    "delta_bucket",
    "edge_adjustable",
    "edge_features",
    "edge_options",
    "edge_probability",
    "move_edge",
]


class _Sided(Protocol):
    @property
    def side(self) -> str: ...


_E = TypeVar("_E", bound=_Sided)

#: How many tokens an edge may move either way.
WINDOW = 12
#: Characters an edge never moves across (a quotation's edge belongs to the quote rules).
QUOTE_CHARS = frozenset('"“”„«»\n')


@dataclass(frozen=True)
class Edge:
    """A content edge on ``side`` (``"S"`` start, ``"E"`` end) at token ``i`` (the first
    token of the content for a start, the last for an end), ``delta`` tokens from the
    current edge (negative: left)."""

    side: str
    i: int
    delta: int


def edge_adjustable(cand: Candidate) -> bool:
    """Contents cut from the parse (plain or holding a quote), not quotes alone nor contents
    in fragments around the cue."""
    return cand.quote is None and not cand.fragments and cand.kind != "direct"


def _blocked(lo: int, hi: int, cand: Candidate, text: str) -> bool:
    """Characters ``lo``..``hi`` cannot be added to or cut from the content."""
    if lo >= hi:
        return False
    for rng in (cand.cue, cand.source):
        if rng is not None and lo < rng[1] and rng[0] < hi:
            return True
    return any(ch in QUOTE_CHARS for ch in text[lo:hi])


def _inside_quote(text: str, start: int, at: int) -> bool:
    """Position ``at`` lies inside a quotation of the content starting at ``start`` (an odd
    number of quotation marks before it)."""
    return sum(1 for ch in text[start:at] if ch in QUOTE_CHARS and ch != "\n") % 2 == 1


def edge_options(doc: Any, cand: Candidate, text: str) -> list[Edge]:
    """The alternative starts and ends of ``cand``'s content, the current ones included."""
    rng = content_tokens(doc, cand.content, alignment_mode="expand")
    if rng is None:
        return []
    first, last = rng
    out = [Edge("S", first, 0), Edge("E", last, 0)]
    sent = doc[first].sent
    for i in range(max(sent.start, first - WINDOW), min(last, first + WINDOW + 1)):
        tok = doc[i]
        if i == first or tok.is_punct or tok.is_space:
            continue
        if tok.left_edge.i != i and not (i > 0 and doc[i - 1].is_punct):
            continue
        lo, hi = (tok.idx, doc[first].idx) if i < first else (doc[first].idx, tok.idx)
        if i > first and _inside_quote(text, cand.content[0], tok.idx):
            continue
        if not _blocked(lo, hi, cand, text):
            out.append(Edge("S", i, i - first))
    sent = doc[last].sent
    for i in range(max(first + 1, last - WINDOW), min(sent.end, last + WINDOW + 1)):
        tok = doc[i]
        if i == last or tok.is_punct or tok.is_space:
            continue
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if tok.right_edge.i != i and not (nxt is not None and nxt.is_punct):
            continue
        end = tok.idx + len(tok.text)
        cur = doc[last].idx + len(doc[last].text)
        lo, hi = (cur, end) if i > last else (end, cur)
        if i < last and _inside_quote(text, cand.content[0], end):
            continue
        if not _blocked(lo, hi, cand, text):
            out.append(Edge("E", i, i - last))
    return out


def delta_bucket(delta: int) -> str:
    """How far an edge moves, as a feature value: "0", "+1", "-3", "+4-5", "-6+"."""
    size = abs(delta)
    word = str(size) if size <= 3 else "4-5" if size <= 5 else "6+"
    return ("-" if delta < 0 else "+" if delta > 0 else "") + word


def edge_features(doc: Any, cand: Candidate, edge: Edge, anchor: int) -> list[str]:
    """Names of the binary features of one alternative edge; ``anchor`` is the current
    edge's token."""
    s = edge.side
    tok = doc[edge.i]
    d = edge.delta
    rule = cand.rule.split("+")[0]
    kind = cand.kind
    cue = doc[cand.cue_head].lemma_.lower() if cand.cue_head is not None else "-"
    k = edge.i - 1 if s == "S" else edge.i + 1
    out_tok = doc[k] if 0 <= k < len(doc) else None
    out_lower = "<none>" if out_tok is None else out_tok.lower_
    out_word = out_lower if out_tok is None or out_tok.is_punct else out_tok.pos_
    word, pos, dep = tok.lower_, tok.pos_, tok.dep_
    head = tok.head
    b = delta_bucket(d)
    feats = [
        s,
        f"{s}|d={b}",
        f"{s}|d={b}|kind={kind}",
        f"{s}|d={b}|rule={rule}",
        f"{s}|w={word}",
        f"{s}|pos={pos}",
        f"{s}|dep={dep}",
        f"{s}|out={out_word}",
        f"{s}|pos={pos}|out={out_word}",
        f"{s}|dep={dep}|hdep={head.dep_}",
        f"{s}|cuehead={cand.cue_head is not None and head.i == cand.cue_head}",
        f"{s}|outw={out_lower}",
        f"{s}|outw={out_lower}|rule={rule}",
        f"{s}|w={word}|kind={kind}",
        f"{s}|sentedge={_sentence_edge(doc, edge)}",
    ]
    if cand.cue is not None:
        feats.append(f"{s}|nextcue={_gap(doc, cand.cue, edge)}")
    if d == 0:
        feats.append(f"{s}|stay|rule={rule}")
        feats.append(f"{s}|stay|cue={cue}")
        return feats
    # the segment the move cuts (inward) or adds (outward)
    if s == "S":
        lo, hi = (edge.i, anchor) if d < 0 else (anchor, edge.i)
    else:
        lo, hi = (anchor + 1, edge.i + 1) if d > 0 else (edge.i + 1, anchor + 1)
    inward = (s == "S" and d > 0) or (s == "E" and d < 0)
    m = "cut" if inward else "add"
    seg_head = None
    words = 0
    w0 = "<punct>"
    verb = False
    for j in range(lo, hi):
        t = doc[j]
        if seg_head is None:
            h = t.head.i
            if h < lo or h >= hi or h == j:
                seg_head = t
        if not t.is_punct:
            if not words:
                w0 = t.lower_
            words += 1
            verb = verb or t.pos_ in ("VERB", "AUX")
    if seg_head is None:
        seg_head = doc[lo]
    hdep = seg_head.dep_
    feats += [
        f"{s}|{m}",
        f"{s}|{m}|w0={w0}",
        f"{s}|{m}|hdep={hdep}",
        f"{s}|{m}|hdep={hdep}|rule={rule}",
        f"{s}|{m}|hdep={hdep}|cue={cue}",
        f"{s}|{m}|hpos={seg_head.pos_}",
        f"{s}|{m}|verb={verb}",
        f"{s}|{m}|cuechild={cand.cue_head is not None and seg_head.head.i == cand.cue_head}",
        f"{s}|{m}|w={word}",
        f"{s}|{m}|kind={kind}|d={b}",
        f"{s}|{m}|n={min(words, 8)}",
        f"{s}|{m}|w0={w0}|rule={rule}",
    ]
    return feats


def _sentence_edge(doc: Any, edge: Edge) -> bool:
    """The edge is its sentence's first (start) or last (end) word, punctuation aside
    (walks the sentence-start flags: ``Token.sent`` would rebuild the sentence each time)."""
    k = edge.i
    if edge.side == "S":
        while k > 0 and not doc[k].is_sent_start:
            k -= 1
            if not (doc[k].is_punct or doc[k].is_space):
                return False
        return True
    k += 1
    while k < len(doc) and not doc[k].is_sent_start:
        if not (doc[k].is_punct or doc[k].is_space):
            return False
        k += 1
    return True


def _gap(doc: Any, cue: tuple[int, int], edge: Edge) -> str:
    """Where the edge lies against the cue: touching it (only punctuation between), before
    or after it."""
    step = -1 if edge.side == "S" else 1
    k = edge.i + step
    while 0 <= k < len(doc) and (doc[k].is_punct or doc[k].is_space):
        k += step
    if 0 <= k < len(doc) and cue[0] <= doc[k].idx < cue[1]:
        return "touch"
    return "before" if doc[edge.i].idx < cue[0] else "after"


#: The model's probability that an alternative is the gold edge: the same logistic function
#: as the boundary models'.
edge_probability = step_probability


def move_edge(doc: Any, cand: Candidate, side: str, i: int) -> None:
    """Set the content's start (``side`` ``"S"``) or end to token ``i``."""
    tok = doc[i]
    if side == "S":
        cand.content = (tok.idx, cand.content[1])
    else:
        cand.content = (cand.content[0], tok.idx + len(tok.text))


def best_per_side(options: Sequence[_E], score: Callable[[_E], float]) -> dict[str, _E]:
    """The best-scored option of each side ("S", "E"); the first one on a tie. Shared by the
    content-edge and the cue-edge chooser."""
    best: dict[str, tuple[float, _E]] = {}
    for option in options:
        p = score(option)
        side = option.side
        if side not in best or p > best[side][0]:
            best[side] = (p, option)
    return {side: option for side, (_, option) in best.items()}


def choose_edges(cand: Candidate, doc: Any, text: str, weights: Mapping[str, float]) -> None:
    """Move each end of the content to its best-rated alternative (both chosen from the
    content as it was)."""
    if not weights or not edge_adjustable(cand):
        return
    options = edge_options(doc, cand, text)
    if not options:
        return
    anchors = {e.side: e.i for e in options if e.delta == 0}
    best = best_per_side(
        options,
        lambda e: edge_probability(weights, edge_features(doc, cand, e, anchors[e.side])),
    )
    start, end = best["S"], best["E"]
    if start.i > end.i:
        return
    for edge in (start, end):
        if edge.delta:
            move_edge(doc, cand, edge.side, edge.i)
