"""Persuasion techniques as spans: a trained token tagger finds them, a trained classifier names
them with one of the 23 SemEval-2023 Task 3 techniques.

Two linear models over hashed spaCy-token features (see :mod:`presslens.stages.linear`):

1. **span identification**: a logistic regression scores every token "inside a technique
   span" from a window of its words, lemmas, tags, dependency, entity type, whether it is
   quoted and how often its lemma recurs; runs of tokens scoring at least ``extend`` that hold
   one token scoring at least ``threshold`` and a content word become candidate spans, trimmed
   of edge punctuation (hysteresis, as in edge detection: strong tokens seed a span, weaker
   neighbours extend it);
2. **technique classification**: a multinomial logistic regression over the span's words,
   character 4-grams, first and last words, neighbours, sentence context, length and
   repetition gives every technique a probability;
3. **paragraph decision**: SemEval-2023 counts techniques per paragraph, and a paragraph
   full of weak candidates is often plain. A logistic regression over (paragraph, technique)
   rows — the candidates' evidence for the technique (peak token probability × technique
   probability, strongest and noisy-or), how many candidates ranked it first, the article's
   mean token probability and the paragraph's lemmas — accepts techniques per paragraph; a
   candidate is kept with an accepted technique when it is that technique's strongest
   evidence in the paragraph or ranks it first, and dropped when it has none.
   ``confidence`` is the tagger's mean token probability times the classifier's.

Spans are written out cut where a reader expects a phrase to be cut (:func:`span_edges`:
whole words, no dangling preposition or conjunction, paired quotation marks).

All three are trained by ``presslens train techniques`` on SemEval-2023 Task 3 English train
(which holds PTC's articles), minus the fixed dev split in ``data/rhetoric_dev_ids.txt``; the
paragraph classifier learns from out-of-fold candidates (see :mod:`presslens.train.techniques`).
Without ``data/techniques_paragraphs.zip`` every candidate keeps its best technique.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import spacy.parts_of_speech as _spacy_pos
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    POS,
    SENT_START,
    SHAPE,
    SUFFIX,
    TAG,
)

from presslens.lexicons_valence import valence_buckets
from presslens.model import Article
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.linear import (
    LinearModel,
    Rows,
    feature_hash,
    load_model,
    mix,
    sigmoid,
    softmax,
)

__all__ = [
    "EXPLANATIONS",
    "PTC_TO_TECHNIQUE",
    "TECHNIQUES",
    "TECHNIQUE_TO_PTC",
    "TechniqueOptions",
    "TokenTable",
    "decode_spans",
    "emit_candidates",
    "extract_techniques",
    "gold_span_model",
    "make_techniques_stage",
    "span_features",
    "token_features",
    "token_table",
    "valence_features",
]

VERSION = "techniques.v1"
SPAN_MODEL = "data/techniques_spans.zip"
#: The tagger fitted on gold spans alone: the encoder stages (v3, v4) mix its probability into
#: theirs with a weight chosen for a tagger trained like it, while v1's own tagger is also
#: distilled from v4 (``train techniques --unlabelled``).
GOLD_SPAN_MODEL = "data/techniques_spans_gold.zip"
LABEL_MODEL = "data/techniques_labels.zip"
PARAGRAPH_MODEL = "data/techniques_paragraphs.zip"

#: The 23 SemEval-2023 Task 3 technique names, in the task's order.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice", "Flag_Waving", "Causal_Oversimplification",
    "False_Dilemma-No_Choice", "Consequential_Oversimplification", "Straw_Man", "Red_Herring",
    "Whataboutism", "Slogans", "Appeal_to_Time", "Conversation_Killer", "Loaded_Language",
    "Repetition", "Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling", "Doubt", "Guilt_by_Association", "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
)  # fmt: skip

#: One line a reader understands, per technique.
EXPLANATIONS: dict[str, str] = {
    "Appeal_to_Authority": "Leans on who says it (an expert, leader or body) rather than on "
    "evidence.",
    "Appeal_to_Popularity": "Suggests something is right because many people believe or do it.",
    "Appeal_to_Values": "Invokes values (freedom, tradition, faith) to make a position seem "
    "self-evidently right.",
    "Appeal_to_Fear-Prejudice": "Builds support by stirring fear of a threat or prejudice "
    "against a group.",
    "Flag_Waving": "Appeals to patriotism or group identity ('our nation', 'real Americans').",
    "Causal_Oversimplification": "Gives one cause for an outcome that has many.",
    "False_Dilemma-No_Choice": "Presents two options as the only ones when there are more.",
    "Consequential_Oversimplification": "Claims one step will inevitably lead to a chain of "
    "(usually bad) consequences.",
    "Straw_Man": "Attacks a distorted version of an opponent's position.",
    "Red_Herring": "Shifts attention to an irrelevant topic.",
    "Whataboutism": "Deflects criticism by pointing at someone else's misdeeds.",
    "Slogans": "A short, catchy phrase that stands in for an argument.",
    "Appeal_to_Time": "Pushes for action because 'the time has come' or time is running out.",
    "Conversation_Killer": "A phrase that discourages further thought or discussion.",
    "Loaded_Language": "Words chosen for their emotional charge rather than their meaning.",
    "Repetition": "Repeats the same word or phrase to make it stick.",
    "Exaggeration-Minimisation": "Makes something seem much bigger or much smaller than it is.",
    "Obfuscation-Vagueness-Confusion": "Deliberately vague wording that lets readers fill in "
    "the meaning.",
    "Name_Calling-Labeling": "Attaches a label (insulting or flattering) to a person or group.",
    "Doubt": "Casts doubt on someone's credibility or on a claim without showing why.",
    "Guilt_by_Association": "Discredits someone by linking them to a disliked person or group.",
    "Appeal_to_Hypocrisy": "Attacks someone as a hypocrite instead of addressing the argument.",
    "Questioning_the_Reputation": "Attacks someone's character or reputation instead of the "
    "argument.",
}

#: PTC (SemEval-2020 Task 11) labels onto SemEval-2023 names. PTC's merged labels map to the
#: first of their SemEval-2023 parts.
PTC_TO_TECHNIQUE: dict[str, str] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Appeal_to_Popularity",
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism",
}

#: SemEval-2023 names back onto PTC labels (for scoring on PTC). Techniques PTC has no label
#: for go to the nearest PTC label.
TECHNIQUE_TO_PTC: dict[str, str] = {
    **{v: k for k, v in PTC_TO_TECHNIQUE.items()},
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Values": "Flag-Waving",
    "Consequential_Oversimplification": "Causal_Oversimplification",
    "Appeal_to_Time": "Slogans",
    "Obfuscation-Vagueness-Confusion": "Doubt",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    "Questioning_the_Reputation": "Name_Calling,Labeling",
}

#: Parts of speech of which a span needs at least one (a lone "the" is never a technique).
_CONTENT = np.array(
    [_spacy_pos.NOUN, _spacy_pos.VERB, _spacy_pos.ADJ, _spacy_pos.ADV, _spacy_pos.PROPN,
     _spacy_pos.NUM, _spacy_pos.INTJ],
    dtype=np.uint64,
)  # fmt: skip

#: Parts of speech a span does not end on: of PTC train's 5,468 gold spans 1.6 % end on a
#: preposition and under 0.5 % on a conjunction, determiner or auxiliary; the tagger's runs
#: often spill one such word past the phrase ("… their extremism through").
_TRAILING = np.array(
    [_spacy_pos.ADP, _spacy_pos.CCONJ, _spacy_pos.SCONJ, _spacy_pos.DET, _spacy_pos.AUX],
    dtype=np.uint64,
)
#: Parts of speech a span does not start on (gold: 2.6 % prepositions, 1.6 % conjunctions).
_LEADING = np.array([_spacy_pos.ADP, _spacy_pos.CCONJ], dtype=np.uint64)
#: Characters that join two parts of one written word ("ex-convict", "state’s").
_JOINERS = "-‐'’"
#: How far a span's edge may move to reach a word's edge (characters).
_WORD_REACH = 40
#: Quotation marks a span should not hold unpaired.
_QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ('"', '"'), ("«", "»"))

_ATTRS = [LOWER, LEMMA, POS, TAG, SHAPE, DEP, ENT_TYPE, SUFFIX, HEAD, IDX, LENGTH]
_ATTRS += [IS_SPACE, IS_PUNCT, SENT_START]
_LOW, _LEM, _POS, _TAG, _SHP, _DEP, _ENT, _SUF, _HEAD, _IDX, _LEN, _SPC, _PCT, _SS = range(14)


@dataclass(frozen=True)
class TechniqueOptions:
    """Options of the techniques stage (same names as its config options)."""

    #: Probabilities (0-1); None: the dev-tuned values stored with the model.
    threshold: float | None = field(default=None, metadata={"range": (0.0, 1.0)})
    extend: float | None = field(default=None, metadata={"range": (0.0, 1.0)})
    min_confidence: float = field(default=0.0, metadata={"range": (0.0, 1.0)})
    paragraphs: bool = True  # False: keep every candidate with its best technique


@dataclass(frozen=True)
class TokenTable:
    """spaCy token attributes of one document as one numpy array, plus derived columns."""

    a: np.ndarray  # (tokens, len(_ATTRS)) uint64
    quoted: np.ndarray  # (tokens,) bool: inside quotation marks
    sent: np.ndarray  # (tokens,) sentence number
    lemma_count: np.ndarray  # (tokens,) how often the token's lemma occurs in the document

    @property
    def n(self) -> int:
        return int(self.a.shape[0])

    def start(self, i: int) -> int:
        return int(self.a[i, _IDX])

    def end(self, i: int) -> int:
        return int(self.a[i, _IDX] + self.a[i, _LEN])


def token_table(doc: Any, text: str) -> TokenTable:
    """One array of the token attributes the features use (one C call into spaCy)."""
    from presslens.stages.genre import tagger_quote_regions

    a = doc.to_array(_ATTRS).astype(np.uint64) if len(doc) else np.zeros((0, 14), np.uint64)
    regions = tagger_quote_regions(text)
    starts = a[:, _IDX].astype(np.int64)
    if regions:
        r = np.asarray(regions, dtype=np.int64)
        k = np.searchsorted(r[:, 0], starts, side="right") - 1
        quoted = (k >= 0) & (starts < r[np.maximum(k, 0), 1])
    else:
        quoted = np.zeros(len(starts), dtype=bool)
    ss = a[:, _SS].astype(np.int64) == 1
    sent = np.cumsum(ss)
    _, inverse, counts = np.unique(a[:, _LEM], return_inverse=True, return_counts=True)
    return TokenTable(a, quoted, sent, counts[inverse])


def _shift(col: np.ndarray, k: int, pad: int) -> np.ndarray:
    """``col`` shifted so position i holds col[i + k] (padded at the edges)."""
    if k == 0:
        return col
    out = np.full_like(col, np.uint64(pad))
    if k > 0:
        out[:-k] = col[k:]
    else:
        out[-k:] = col[:k]
    return out


#: Columns :func:`valence_features` adds to :func:`token_features`.
VALENCE_WIDTH = 8


def valence_features(t: TokenTable) -> np.ndarray:
    """Feature ids (tokens × ``VALENCE_WIDTH``) from word valence (VADER's lexicon, word form or
    else lemma): the token's bucket alone and with its part of speech, its neighbours' buckets,
    the strongest valence within three tokens, and how many strongly valenced words its
    sentence holds. They let the tagger generalise from loaded words it saw to ones it did
    not (tune SI +0.010; README "Measured")."""
    a, n = t.a, t.n
    b = valence_buckets(a[:, _LOW])
    b = np.where(b != 0, b, valence_buckets(a[:, _LEM]))
    u = (b + 4).astype(np.uint64)
    mag = np.abs(b).astype(np.uint64)
    near = np.zeros(n, dtype=np.uint64)
    for k in range(-3, 4):
        near = np.maximum(near, _shift(mag, k, 0))
    strong = (mag >= 2).astype(np.float64)
    per_sentence = np.bincount(t.sent, weights=strong)[t.sent] if n else np.zeros(0)
    cols = [
        u,
        mix(u, 1) ^ a[:, _POS],
        *(_shift(u, k, 4) for k in (-2, -1, 1, 2)),
        mix(near, 2) ^ a[:, _POS],
        np.minimum(per_sentence, 4).astype(np.uint64),
    ]
    out = [mix(c.astype(np.uint64), 501 + k) for k, c in enumerate(cols)]
    return np.stack(out, axis=1) if n else np.zeros((0, VALENCE_WIDTH), np.uint64)


def token_features(t: TokenTable, valence: bool = False) -> np.ndarray:
    """Feature ids (tokens × features) of the span tagger: word windows and token context,
    then (``valence``) :func:`valence_features`."""
    if valence:
        return np.concatenate([token_features(t), valence_features(t)], axis=1)
    a = t.a
    cols: list[np.ndarray] = []
    salt = 0

    def add(values: np.ndarray) -> None:
        nonlocal salt
        salt += 1
        cols.append(mix(values, salt))

    for attr, window in ((_LOW, 2), (_LEM, 2), (_POS, 2)):
        for k in range(-window, window + 1):
            add(_shift(a[:, attr], k, 7))
    for attr in (_TAG, _SHP, _DEP, _ENT, _SUF):
        add(a[:, attr])
    low, pos = a[:, _LOW], a[:, _POS]
    add(mix(_shift(low, -1, 7), 1) ^ low)
    add(mix(_shift(low, 1, 7), 2) ^ low)
    add(mix(_shift(pos, -1, 7), 3) ^ pos)
    add(mix(_shift(pos, 1, 7), 4) ^ pos)
    add(mix(_shift(pos, -1, 7), 5) ^ mix(_shift(pos, 1, 7), 6) ^ pos)
    n = t.n
    head = (np.arange(n, dtype=np.int64) + a[:, _HEAD].astype(np.int64)) if n else np.zeros(0)
    head = np.clip(head, 0, max(n - 1, 0)).astype(np.int64)
    add(a[head, _LEM] if n else a[:, _LEM])
    add(mix(a[:, _DEP], 8) ^ (a[head, _POS] if n else a[:, _POS]))
    add(t.quoted.astype(np.uint64))
    add(mix(t.quoted.astype(np.uint64), 9) ^ a[:, _LEM])
    rep = np.minimum(t.lemma_count, 5).astype(np.uint64)
    add(mix(rep, 10) ^ pos)
    add(mix(rep, 11) ^ a[:, _LEM])
    add(np.zeros(n, dtype=np.uint64))  # bias-like feature shared by every token
    return np.stack(cols, axis=1) if cols else np.zeros((0, 0), np.uint64)


def span_features(t: TokenTable, i: int, j: int, text: str) -> np.ndarray:
    """Feature ids of the span of tokens ``i..j`` (inclusive) for the technique classifier."""
    a = t.a
    feats: list[np.ndarray] = []
    toks = np.arange(i, j + 1)
    toks = toks[a[toks, _SPC] == 0]
    if not len(toks):
        toks = np.arange(i, j + 1)
    feats.append(mix(a[toks, _LOW], 101))
    feats.append(mix(a[toks, _LEM], 102))
    feats.append(mix(a[toks, _POS], 103))
    feats.append(mix(a[toks, _ENT], 104))
    if len(toks) > 1:
        feats.append(mix(a[toks[:-1], _LOW], 105) ^ a[toks[1:], _LOW])
    feats.append(mix(a[toks[:1], _LOW], 106))
    feats.append(mix(a[toks[-1:], _LOW], 107))
    feats.append(mix(a[toks[:1], _POS], 108))
    feats.append(mix(a[toks[-1:], _POS], 109))
    n_tok = len(toks)
    length = np.array([min(n_tok, 8) if n_tok < 8 else 8 + min(n_tok // 8, 6)], np.uint64)
    feats.append(mix(length, 110))
    if n_tok <= 4:
        seq = np.uint64(0)
        for p in a[toks, _POS]:
            seq = mix(np.array([seq ^ p], np.uint64), 111)[0]
        feats.append(np.array([seq], np.uint64))
    for k in (-2, -1):
        if i + k >= 0:
            feats.append(mix(a[i + k : i + k + 1, _LOW], 120 + k))
    for k in (1, 2):
        if j + k < t.n:
            feats.append(mix(a[j + k : j + k + 1, _LOW], 130 + k))
    # the sentence around the span (context words)
    s_idx = np.nonzero(t.sent == t.sent[i])[0]
    feats.append(mix(a[s_idx, _LEM], 140))
    # how often the span's surface recurs in the article
    surface = text[t.start(int(toks[0])) : t.end(int(toks[-1]))].lower()
    reps = text.lower().count(surface) if surface.strip() else 0
    feats.append(mix(np.array([min(reps, 4)], np.uint64), 150))
    feats.append(mix(np.array([min(int(t.lemma_count[toks].min()), 4)], np.uint64), 151))
    feats.append(mix(np.array([int(t.quoted[toks].any())], np.uint64), 152))
    last = int(s_idx[-1]) if len(s_idx) else j
    end_char = text[t.start(last) : t.end(last)]
    feats.append(mix(np.array([feature_code(end_char)], np.uint64), 153))
    caps = int(all(text[t.start(int(x)) : t.end(int(x))].isupper() for x in toks))
    feats.append(mix(np.array([caps], np.uint64), 154))
    # character 4-grams of the span: spelling variants and word parts the word features miss
    chars = " " + text[t.start(int(toks[0])) : t.end(int(toks[-1]))].lower() + " "
    grams = sorted({chars[k : k + 4] for k in range(max(len(chars) - 3, 0))})
    if grams:
        feats.append(mix(np.array([feature_hash(g) for g in grams], np.uint64), 201))
    feats.append(np.zeros(1, np.uint64))  # bias-like
    return np.concatenate(feats)


def feature_code(s: str) -> int:
    """A small stable code for a sentence's last character ('?', '!', other)."""
    return {"?": 1, "!": 2}.get(s[-1:] if s else "", 0)


@lru_cache(maxsize=1)
def _models() -> tuple[LinearModel, LinearModel]:
    root = resources.files("presslens")
    return load_model(root.joinpath(SPAN_MODEL)), load_model(root.joinpath(LABEL_MODEL))


@lru_cache(maxsize=1)
def gold_span_model() -> LinearModel:
    """The gold-only span tagger the encoder stages mix with (v1's own when none ships)."""
    path = resources.files("presslens").joinpath(GOLD_SPAN_MODEL)
    return load_model(path) if path.is_file() else _models()[0]


@lru_cache(maxsize=1)
def _paragraph_model() -> LinearModel | None:
    """The shipped paragraph classifier, or None when the package has none (then every
    candidate keeps its best technique)."""
    path = resources.files("presslens").joinpath(PARAGRAPH_MODEL)
    return load_model(path) if path.is_file() else None


@stage("presslens.techniques.v1", requires=("doc", "sentences"), assigns=("techniques",))
def make_techniques_stage(settings: Settings, **options: Any) -> StageFn:
    """Persuasion technique spans (23 SemEval-2023 techniques) with confidence and an
    explanation, from a trained token tagger and span classifier."""
    opts = TechniqueOptions(**options)

    def run(articles: list[Article]) -> list[Article]:
        span_model, label_model = _models()
        paragraph_model = _paragraph_model() if opts.paragraphs else None
        for art in articles:
            extract_techniques(
                art, span_model, label_model, options=opts, paragraph_model=paragraph_model
            )
        return articles

    return run


def token_probabilities(t: TokenTable, span_model: LinearModel) -> np.ndarray:
    """Probability that each token is inside a technique span (0 for whitespace tokens)."""
    if not t.n:
        return np.zeros(0)
    valence = bool(span_model.meta.get("valence", False))
    feats = token_features(t, valence).astype(np.int64, copy=False)
    p = sigmoid(span_model.dense_scores(feats))
    p[t.a[:, _SPC] == 1] = 0.0
    return np.asarray(p)


def decode_spans(
    t: TokenTable, p: np.ndarray, threshold: float, extend: float
) -> list[tuple[int, int]]:
    """Token spans ``(i, j)`` (inclusive): runs of tokens scoring at least ``extend`` within a
    sentence, kept when one token reaches ``threshold`` and one is a content word (noun, verb,
    adjective, adverb, name, number); punctuation and spaces at the edges are trimmed."""
    on = p >= min(extend, threshold)
    n = len(p)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if not on[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and on[j + 1] and t.sent[j + 1] == t.sent[i]:
            j += 1
        s, e = i, j
        while s <= e and (t.a[s, _PCT] or t.a[s, _SPC]):
            s += 1
        while e >= s and (t.a[e, _PCT] or t.a[e, _SPC]):
            e -= 1
        if (
            s <= e
            and p[s : e + 1].max() >= threshold
            and np.isin(t.a[s : e + 1, _POS], _CONTENT).any()
        ):
            spans.append((s, e))
        i = j + 1
    return spans


#: The edge rules :func:`span_edges` applies (all three; a set so a measurement can drop one).
EDGE_RULES: frozenset[str] = frozenset({"trailing", "leading", "words"})


def span_edges(
    t: TokenTable, i: int, j: int, text: str, rules: frozenset[str] | None = None
) -> tuple[int, int]:
    """Character offsets of the decoded tokens ``i..j`` as a reader expects a phrase to be
    cut: prepositions, conjunctions, determiners and auxiliaries at the end dropped, and
    prepositions and conjunctions at the start ("… their extremism through", "and …"), never
    a content word; then a word the tokenizer split at a hyphen or apostrophe ("ex" +
    "-convict", "state" + "’s") taken whole, so no span starts or ends inside a word."""
    rules = EDGE_RULES if rules is None else rules

    def skippable(k: int, pos: np.ndarray) -> bool:
        return bool(t.a[k, _PCT] or t.a[k, _SPC] or np.isin(t.a[k, _POS], pos))

    if "trailing" in rules:
        while j > i and skippable(j, _TRAILING):
            j -= 1
    if "leading" in rules:
        while i < j and skippable(i, _LEADING):
            i += 1
    start, end = t.start(i), t.end(j)
    if "words" in rules:
        start, end = _whole_words(text, start, end)
        start, end = _balanced_quotes(text, start, end)
    return start, end


def _balanced_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quotation mark that closes (or opens) one the span holds unpaired, so
    "“expose the lies" reads "“expose the lies”"."""
    for opening, closing in _QUOTE_PAIRS:
        inner = text[start:end]
        if opening == closing:
            after = before = inner.count(opening) % 2 == 1
        else:
            excess = inner.count(opening) - inner.count(closing)
            after, before = excess > 0, excess < 0
        if after and text[end : end + 1] == closing:
            end += 1
        elif before and start > 0 and text[start - 1] == opening:
            start -= 1
    return start, end


def _word_char(text: str, k: int) -> bool:
    """Whether ``text[k]`` belongs to a written word: a letter or digit, or a joiner between
    two of them."""
    if not 0 <= k < len(text):
        return False
    if text[k].isalnum():
        return True
    inside = 0 < k < len(text) - 1
    return inside and text[k] in _JOINERS and text[k - 1].isalnum() and text[k + 1].isalnum()


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved outwards to the edges of the written words they fall in; not
    past ``_WORD_REACH`` characters (scripts written without spaces have no word edges to
    find this way, and then the tokenizer's cut stands)."""
    if start < end and _word_char(text, start):
        k = start
        while _word_char(text, k - 1) and start - k < _WORD_REACH:
            k -= 1
        start = start if _word_char(text, k - 1) else k
    if start < end and _word_char(text, end - 1):
        k = end
        while _word_char(text, k) and k - end < _WORD_REACH:
            k += 1
        end = end if _word_char(text, k) else k
    return start, end


def classify_spans(
    t: TokenTable, spans: list[tuple[int, int]], text: str, label_model: LinearModel
) -> np.ndarray:
    """Technique probabilities (spans × labels of the model)."""
    if not spans:
        return np.zeros((0, len(label_model.meta["labels"])))
    rows = Rows.from_lists([span_features(t, i, j, text) for i, j in spans])
    return softmax(label_model.scores(rows))


@dataclass(frozen=True)
class Candidate:
    """A decoded span (tokens ``i..j``) with the tagger's mean and peak token probability and
    the classifier's technique probabilities."""

    i: int
    j: int
    p_mean: float
    p_max: float
    probs: np.ndarray


def find_candidates(
    t: TokenTable,
    p: np.ndarray,
    text: str,
    label_model: LinearModel,
    threshold: float,
    extend: float,
) -> list[Candidate]:
    """Decode candidate spans from token probabilities ``p`` and classify each."""
    spans = decode_spans(t, p, threshold, extend)
    probs = classify_spans(t, spans, text, label_model)
    out = []
    for (i, j), row in zip(spans, probs, strict=True):
        inside = p[i : j + 1][t.a[i : j + 1, _SPC] == 0]
        out.append(Candidate(i, j, float(inside.mean()), float(inside.max()), row))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line: a paragraph, as SemEval-2023 counts them."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def paragraph_candidates(
    t: TokenTable, cands: list[Candidate], ranges: list[tuple[int, int]]
) -> list[list[int]]:
    """Indices of the candidates that overlap each paragraph."""
    out: list[list[int]] = [[] for _ in ranges]
    starts = np.array([s for s, _ in ranges], dtype=np.int64)
    for k, c in enumerate(cands):
        s, e = t.start(c.i), t.end(c.j)
        first = max(int(np.searchsorted(starts, s, side="right")) - 1, 0)
        for r in range(first, len(ranges)):
            if ranges[r][0] >= e:
                break
            if ranges[r][1] > s:
                out[r].append(k)
    return out


#: Hash salts of the paragraph features (kept apart from the token and span features').
_PAR_SALT = 400


def paragraph_features(
    t: TokenTable,
    p: np.ndarray,
    cands: list[Candidate],
    ranges: list[tuple[int, int]],
    members: list[list[int]],
) -> tuple[Rows, list[tuple[int, int]]]:
    """Rows of the paragraph classifier, one per (paragraph with candidates, technique):
    the strongest and the combined (noisy-or) candidate evidence ``peak × P(technique)`` for
    that technique, how many candidates chose it, the article's mean token probability, and
    the paragraph's lemmas crossed with the technique. Returns the rows and their
    ``(paragraph, technique index)``."""
    if not cands:
        return Rows(np.zeros(0, np.int64), np.zeros(0, np.int64), 0, np.zeros(0)), []
    n_labels = len(cands[0].probs)
    spaces = t.a[:, _SPC] == 1
    art_mean = float(p[~spaces].mean()) if (~spaces).any() else 0.0
    starts = t.a[:, _IDX].astype(np.int64)
    ks = np.arange(n_labels, dtype=np.uint64)
    ids: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    where: list[tuple[int, int]] = []
    for r, ((s, e), idx) in enumerate(zip(ranges, members, strict=True)):
        if not idx:
            continue
        ev = np.array([cands[k].p_max * cands[k].probs for k in idx])
        top = ev.max(axis=0)
        combined = 1.0 - np.prod(1.0 - ev, axis=0)
        chose = np.bincount([int(cands[k].probs.argmax()) for k in idx], minlength=n_labels)
        lemmas = np.unique(t.a[(starts >= s) & (starts < e) & ~spaces, _LEM])
        n_cand = np.uint64(min(len(idx), 6))
        for k in range(n_labels):
            dense = mix(ks[k : k + 1] * np.uint64(16) + np.arange(6, dtype=np.uint64), _PAR_SALT)
            row_ids = [
                dense,
                mix(np.array([n_cand], np.uint64) + ks[k] * np.uint64(16), _PAR_SALT + 1),
                mix(np.arange(2, dtype=np.uint64), _PAR_SALT + 2),  # shared over techniques
                mix(lemmas, _PAR_SALT + 10 + k),
            ]
            row_vals = [
                np.array(
                    [1.0, top[k], combined[k], combined[k] ** 2, np.log1p(chose[k]), art_mean]
                ),
                np.ones(1),
                np.array([top[k], combined[k]]),
                np.ones(len(lemmas)),
            ]
            ids.append(np.concatenate(row_ids))
            vals.append(np.concatenate(row_vals))
            where.append((r, k))
    rows = Rows.from_lists(ids)
    return rows.with_values(np.concatenate(vals)), where


def paragraph_labels(
    t: TokenTable,
    p: np.ndarray,
    cands: list[Candidate],
    ranges: list[tuple[int, int]],
    paragraph_model: LinearModel,
) -> list[dict[int, float]]:
    """For each candidate, the techniques it is emitted with and their paragraph
    probability: a technique the paragraph classifier accepts for the candidate's paragraph
    goes to the candidate that is its strongest evidence there, and to every candidate there
    that ranks it first."""
    members = paragraph_candidates(t, cands, ranges)
    rows, where = paragraph_features(t, p, cands, ranges, members)
    out: list[dict[int, float]] = [{} for _ in cands]
    if not where:
        return out
    prob = sigmoid(paragraph_model.scores(rows))
    threshold = float(paragraph_model.meta["threshold"])
    for (r, k), q in zip(where, prob, strict=True):
        if q < threshold:
            continue
        idx = members[r]
        best = max(idx, key=lambda c: cands[c].p_max * cands[c].probs[k])
        for c in idx:
            if c == best or int(cands[c].probs.argmax()) == k:
                out[c][k] = max(out[c].get(k, 0.0), float(q))
    return out


def extract_techniques(
    art: Article,
    span_model: LinearModel,
    label_model: LinearModel,
    *,
    options: TechniqueOptions = TechniqueOptions(),
    paragraph_model: LinearModel | None = None,
) -> None:
    """Fill ``art.layers["techniques"]`` from the article's spaCy Doc.

    With ``paragraph_model`` (the shipped default), candidates are kept only with the
    techniques their paragraph's classifier accepts; without it, every candidate is kept with
    its best technique (the first version's behaviour)."""
    doc = art._doc
    art.layers["techniques"] = []
    if doc is None:
        return
    t = token_table(doc, art.text)
    p = token_probabilities(t, span_model)
    thr = options.threshold if options.threshold is not None else span_model.meta["threshold"]
    extend = options.extend if options.extend is not None else span_model.meta["extend"]
    cands = find_candidates(t, p, art.text, label_model, float(thr), float(extend))
    emit_candidates(art, t, p, cands, label_model, options, paragraph_model)


def mostly_quoted(spoken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether most of the span's characters lie inside quotations (``genre.quotations``,
    not scare quotes): then it is the quoted source's rhetoric, not the writer's."""
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spoken)
    return 2 * inside > end - start


def emit_candidates(
    art: Article,
    t: TokenTable,
    p: np.ndarray,
    cands: list[Candidate],
    label_model: LinearModel,
    options: TechniqueOptions,
    paragraph_model: LinearModel | None,
) -> None:
    """Add the candidates to the techniques layer with their techniques (shared by the
    encoder impl, whose token probabilities ``p`` come from another tagger).

    ``basis`` says why a technique is on a span: ``span`` when it is the classifier's first
    choice for these words, ``paragraph`` when the paragraph classifier finds the technique
    in the paragraph and this span is its strongest evidence there (its ``confidence`` is
    then low, as the words alone suggested another technique; ``paragraph_score`` is the
    paragraph classifier's probability)."""
    labels: list[str] = label_model.meta["labels"]
    if paragraph_model is None:
        chosen = [{int(c.probs.argmax()): 1.0} for c in cands]
    else:
        chosen = paragraph_labels(t, p, cands, paragraphs(art.text), paragraph_model)
    from presslens.stages.genre import quotations

    spoken = quotations(art.text)
    for c, picks in zip(cands, chosen, strict=True):
        order = np.argsort(-c.probs)
        start, end = span_edges(t, c.i, c.j, art.text)
        quoted = mostly_quoted(spoken, start, end)
        for k in sorted(picks, key=lambda x: -c.probs[x]):
            best = labels[k]
            conf = c.p_mean * float(c.probs[k])
            if conf < options.min_confidence:
                continue
            runner = next((labels[int(x)] for x in order if int(x) != k), None)
            extra = {} if paragraph_model is None else {"paragraph_score": round(picks[k], 3)}
            span = art.span(
                start,
                end,
                best,
                confidence=round(conf, 3),
                span_score=round(c.p_max, 3),
                explanation=EXPLANATIONS[best],
                runner_up=runner,
                quoted=quoted,
                basis="span" if k == int(order[0]) else "paragraph",
                **extra,
            )
            art.add("techniques", span)
