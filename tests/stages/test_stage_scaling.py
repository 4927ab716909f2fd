"""Hostile input must never stall a corpus run: the bounded and indexed paths of the
attribution and quantity stages give what the plain walks and all-pairs comparisons give.

Each test holds a fast path (bisection, interval queries, a per-Doc index) to the
straightforward definition it replaced, on random inputs and on parsed text that includes
an unpunctuated run-on (where the quadratic walks used to stall)."""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Sequence
from typing import Any

import pytest
from attribution_helpers import parsed

from presslens.model import Article
from presslens.registry import StageFn
from presslens.stages import attribution_rules as rules
from presslens.stages.attribution_rules import Candidate, find_candidates, find_quotes
from presslens.stages.attribution_stack import _relation, context_features, lowest_ranks
from presslens.stages.attributions import (
    _mark_nesting,
    _mark_nesting_pairs,
    attribution_candidates,
    first_sentence_end,
)
from presslens.stages.quantities import _Lookups, _time_link

NEWS = (
    "Anna Koval said on Monday that the port would reopen, adding that the ferries were "
    "safe. The mayor, who spoke in 2019, denied it and told reporters the bridge was closed "
    "until March.\n\n"
    "According to data from the bureau, 40 people died in May 2020. “We will rebuild,” "
    "the minister said on Tuesday, and insisted that the plan was funded.\n"
    "For Koval, the matter is settled. In a CBS poll, 53% said they trusted the council."
)
RUN_ON = (
    " ".join(["THE MINISTER SAID"] * 40)
    + " "
    + " ".join(f"{i}% of $ {i} million people died in {1990 + i}" for i in range(30))
)


@pytest.fixture(scope="module")
def arts(spacy_stage: StageFn) -> list[Article]:
    return [parsed(NEWS, spacy_stage), parsed(RUN_ON, spacy_stage)]


# -- the attribution scorer's second stage -----------------------------------------------------


def _brute_lowest(
    items: Sequence[tuple[int, int, int]], queries: Sequence[tuple[int, int]], k: int
) -> list[tuple[int, ...]]:
    return [tuple(sorted(r for a, b, r in items if a < hi and b > lo)[:k]) for lo, hi in queries]


def test_lowest_ranks_match_a_scan_of_every_item() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(0, 30)
        ranks = rng.sample(range(100), n)
        items = []
        for r in ranks:
            a = rng.randint(0, 40)
            items.append((a, a + rng.randint(0, 8), r))
        queries = [(lo, lo + rng.randint(0, 10)) for lo in (rng.randint(-2, 45) for _ in range(20))]
        for k in (1, 3, 5):
            assert lowest_ranks(items, queries, k) == _brute_lowest(items, queries, k)


def _pairwise_context(cands: Sequence[Candidate], probs: Sequence[float]) -> list[list[str]]:
    """The second stage's features by comparing every pair (the definition; source kinds
    as :func:`context_features` reads them without a source head)."""
    out = []
    bases = [c.rule.split("+")[0] for c in cands]
    for i, cand in enumerate(cands):
        p, base = probs[i], bases[i]
        b = min(9, max(0, int(p * 10)))
        feats = ["bias2", f"b={b}", f"rule={base}|b={b}", f"src=none|b={b}"]
        cue_rank = ov_rank = n_ov = 0
        cue_best = ov_best = -1.0
        cue_rival = ov_rel = ov_kind = ""
        held = holds = shared = False
        cue, (s, e) = cand.cue, cand.content
        for j, other in enumerate(cands):
            if j == i:
                continue
            q = probs[j]
            higher = q > p or (q == p and j < i)
            ocue, (os_, oe) = other.cue, other.content
            if cue is not None and ocue is not None and cue[0] < ocue[1] and ocue[0] < cue[1]:
                cue_rank += higher
                if q > cue_best:
                    cue_best, cue_rival = q, bases[j]
            if s < oe and os_ < e:
                n_ov += 1
                ov_rank += higher
                if q > ov_best:
                    ov_best, ov_rel, ov_kind = q, _relation((s, e), (os_, oe)), other.kind
            if higher and q >= 0.5:
                held = held or (cue is not None and os_ <= cue[0] < oe)
                holds = holds or (ocue is not None and s <= ocue[0] < e)
                shared = shared or (cand.source is not None and cand.source == other.source)
        if cue_best >= 0:
            r, best = min(cue_rank, 2), min(9, int(cue_best * 10))
            feats += [
                f"cue_rank={r}",
                f"cue_rank={r}|best={best}",
                f"cue_rank={r}|rival={cue_rival}",
            ]
        else:
            feats.append("cue_alone")
        if ov_best >= 0:
            r, best = min(ov_rank, 2), min(9, int(ov_best * 10))
            feats += [
                f"ov_rank={r}",
                f"ov_rank={r}|rel={ov_rel}|best={best}",
                f"n_ov={min(n_ov, 4)}",
                f"ov_kind={ov_kind}|kind={cand.kind}|rank={min(ov_rank, 1)}",
            ]
        else:
            feats.append("ov_alone")
        feats += [name for flag, name in ((held, "held_by_stronger"), (holds, "holds_stronger"),
                  (shared, "shares_stronger_source")) if flag]  # fmt: skip
        out.append(feats)
    return out


def _random_cands(rng: random.Random, n: int) -> list[Candidate]:
    cands = []
    for _ in range(n):
        s = rng.randint(0, 25)
        at = rng.randint(0, 30)
        cands.append(
            Candidate(
                content=(s, s + rng.randint(0, 10)),
                kind=rng.choice(["direct", "indirect"]),
                rule=rng.choice(["verb-ccomp", "open-verb+quote", "colon", "orphan-quote"]),
                cue=None if rng.random() < 0.2 else (at, at + rng.randint(0, 3)),
                source=None if rng.random() < 0.3 else rng.choice([(0, 2), (5, 7), (30, 33)]),
            )
        )
    return cands


def test_context_features_match_comparing_every_pair() -> None:
    rng = random.Random(11)
    for _ in range(400):
        cands = _random_cands(rng, rng.randint(0, 14))
        # ties in probability are ranked by candidate order: draw from a few values
        probs = [rng.choice([0.1, 0.5, 0.5, 0.7, 0.9, rng.random()]) for _ in cands]
        assert context_features(cands, probs, None) == _pairwise_context(cands, probs)


def test_context_features_of_a_run_on_match_comparing_every_pair(arts: list[Article]) -> None:
    cands = attribution_candidates(arts[1], open_rules=True)
    assert len(cands) >= 40  # every "SAID" and its content to the end of the text
    for c in cands:
        c.source_head = None  # the reference reads no source kinds
    probs = [round(0.1 + 0.8 * ((7 * i) % 10) / 10, 1) for i in range(len(cands))]
    assert context_features(cands, probs, arts[1]._doc) == _pairwise_context(cands, probs)


def test_nesting_marks_match_comparing_every_pair(arts: list[Article]) -> None:
    rng = random.Random(3)
    samples = [_random_cands(rng, rng.randint(0, 14)) for _ in range(1500)]
    samples += [attribution_candidates(art, open_rules=True) for art in arts]
    for cands in samples:
        fast, plain = copy.deepcopy(cands), copy.deepcopy(cands)
        _mark_nesting(fast)
        _mark_nesting_pairs(plain)
        assert [c.nesting for c in fast] == [c.nesting for c in plain]


# -- the rules' per-Doc index ----------------------------------------------------------------


def test_doc_index_answers_as_spacy_walks(arts: list[Article]) -> None:
    for art in arts:
        doc = art._doc
        assert first_sentence_end(doc) == next(iter(doc.sents)).end
        for tok in doc:
            assert rules._sent_bounds(doc, tok.i) == (tok.sent.start, tok.sent.end)
            subjects = [c for c in tok.children if c.dep_ in rules._SUBJECT_DEPS]
            assert rules._subjects(doc, tok) == subjects
            line = tok.i
            while line > 0 and "\n" not in doc[line - 1].text:
                line -= 1
            assert rules._line_start(doc, tok.i) == line
            for b in range(tok.i, min(len(doc), tok.i + 30)):
                walk = any("\n" in doc[i].text for i in range(tok.i + 1, b))
                assert rules._newline_between(doc, tok.i, b) == walk
                a = max(0, 2 * tok.i - b)  # a source range around the head
                assert rules._source_clip(doc, tok, a, b) == _walk_source_clip(doc, tok, a, b)


def _walk_source_clip(doc: Any, head: Any, first: int, last: int) -> tuple[int, int]:
    for i in range(head.i - 1, first - 1, -1):
        if "\n" in doc[i].text:
            first = i + 1
            break
    for i in range(head.i + 1, last + 1):
        if "\n" in doc[i].text:
            last = i - 1
            break
    return first, last


def test_doc_index_is_built_once_per_doc(arts: list[Article], monkeypatch: Any) -> None:
    built: list[int] = []
    real = rules._DocIndex

    def counting(**kwargs: Any) -> rules._DocIndex:
        built.append(kwargs["length"])
        return real(**kwargs)

    monkeypatch.setattr(rules, "_DocIndex", counting)
    monkeypatch.setattr(rules, "_INDEXES", type(rules._INDEXES)())
    doc = arts[1]._doc
    cands = find_candidates(doc, find_quotes(arts[1].text), open_rules=True)
    assert len(cands) >= 40 and built == [len(doc)]


def _walk_clip(cand: Candidate, doc: Any) -> None:
    """The content clip as a walk over the content's tokens (the definition)."""
    start, end = cand.content
    if start < 0 or cand.cue is None or cand.fragments or end <= cand.cue[1]:
        return
    span = doc.char_span(max(start, cand.cue[1]), end, alignment_mode="contract")
    if span is None:
        return
    for tok in span:
        if (
            tok.pos_ == "VERB"
            and tok.dep_ in rules._NEXT_DEPS
            and tok.lemma_.lower() in rules.SPEECH_VERBS
            and not any(c.dep_ in rules._SUBJECT_DEPS for c in tok.children)
        ):
            i = tok.left_edge.i
            while i > span.start and (
                doc[i - 1].is_punct or doc[i - 1].dep_ == "cc" or doc[i - 1].is_space
            ):
                i -= 1
            if i <= span.start and start >= cand.cue[1]:
                return
            cut = doc[i - 1].idx + len(doc[i - 1].text) if i > 0 else start
            if cut > start:
                cand.content = (start, cut)
            return


def test_clip_before_next_statement_matches_the_walk(arts: list[Article]) -> None:
    for art in arts:
        doc = art._doc
        verbs = rules._next_statement_verbs(doc)
        cues = [t for t in doc if t.lemma_.lower() in rules.SPEECH_VERBS]
        assert cues
        tried = 0
        for cue_tok in cues:
            cue = (cue_tok.idx, cue_tok.idx + len(cue_tok.text))
            for first in (max(0, cue_tok.i - 3), cue_tok.i + 1):
                for last in range(first, len(doc), 3):
                    content = (doc[first].idx, doc[last].idx + len(doc[last].text))
                    fast = Candidate(content=content, kind="indirect", rule="verb", cue=cue)
                    plain = copy.deepcopy(fast)
                    rules._clip_before_next_statement(fast, doc, verbs)
                    _walk_clip(plain, doc)
                    assert fast.content == plain.content
                    tried += fast.content != content
        assert art is arts[1] or tried  # the news text has clauses to clip ("adding that")


# -- the quantities' lookups -----------------------------------------------------------------


def test_subtree_ends_and_sentences_match_spacy(arts: list[Article]) -> None:
    for art in arts:
        doc = art._doc
        look = _Lookups(doc, [])
        for tok in doc:
            sub = list(tok.subtree)
            assert look.subtree_chars(tok) == (sub[0].idx, sub[-1].idx + len(sub[-1].text))
            assert look.sent_bounds(tok.i) == (tok.sent.start, tok.sent.end)


def _scan_time_link(sent: Any, timexes: list[Any], pred: Any, own: int | None) -> int | None:
    """The timex :func:`_time_link` picks, by scanning every timex (the definition)."""
    best: tuple[int, int] | None = None
    for i, t in enumerate(timexes):
        if i == own or not (sent.start <= t.start and t.end <= sent.end):
            continue
        if t.attrs.get("type") not in ("DATE", "TIME"):
            continue
        sub = list(pred.subtree) if pred is not None else []
        below = pred is not None and sub[0].idx <= t.start < sub[-1].idx + len(sub[-1].text)
        if best is None or (0 if below else 1) < best[0]:
            best = (0 if below else 1, i)
    return None if best is None else best[1]


def test_time_link_matches_scanning_every_timex(arts: list[Article]) -> None:
    for art in arts:
        doc = art._doc
        # years and month names as DATE, "Monday"/"Tuesday" as TIME, the rest of each
        # sentence's last word as a DURATION; one span across a sentence end is left out
        timexes = [
            art.span(m.start(), m.end(), "timex", type=kind)
            for m in re.finditer(r"\b(?:1\d{3}|20\d\d|May|March|\w+day|people)\b", art.text)
            for kind in ["DATE" if m.group()[0] in "12MJ" else "TIME" if "day" in m.group()
                         else "DURATION"]
        ]  # fmt: skip
        sents = art.layer("sentences")
        if len(sents) > 1:
            timexes.append(art.span(sents[0].end - 4, sents[1].start + 3, "t", type="DATE"))
        assert sum(t.attrs["type"] == "DATE" for t in timexes) >= 5
        look = _Lookups(doc, timexes)
        for sent in art.layer("sentences"):
            span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
            for pred in [None, *span]:
                got, _ = _time_link(art.text, sent, look, pred)
                assert got == _scan_time_link(sent, timexes, pred, None)
