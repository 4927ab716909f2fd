"""The lemma of what a number counts: "800,000 eligible pensioners" -> "eligible pensioner".

A count's unit, in NewsQuant's convention, is the counted noun phrase, lemmatised and stripped
of function words: the noun's adjective, compound and name modifiers stay ("two Singaporean
sisters" -> "singaporean sister"); for a partitive "one of the hottest luxury cars in the
world" the whole phrase after "of" counts ("hot luxury car world"), since the number stands
for one member of it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["concept_lemma"]

#: Parts of speech that carry the content of a counted phrase.
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})
#: Modifiers kept on the left of the counted noun.
LEFT_DEPS = frozenset({"amod", "compound", "nmod", "conj", "nummod"})
#: Dependencies not followed into a partitive phrase (clauses say more than what is counted).
STOP_DEPS = frozenset({"relcl", "acl", "advcl", "appos", "punct", "cc", "det", "case"})
#: Prepositions whose phrase is not part of what is counted ("cars … with tuners scrambling").
STOP_PREPS = frozenset({"with", "without", "after", "before", "because", "despite", "during"})


def _lemma(tok: Any) -> str:
    lemma = str(tok.lemma_).lower()
    if tok.tag_ in ("NNS", "NNPS") and lemma == tok.lower_ and lemma.endswith("s"):
        lemma = lemma[:-1]  # spaCy keeps "Americans" as its own lemma
    if tok.tag_ == "JJS" and lemma == tok.lower_ and lemma.endswith("est") and len(lemma) > 5:
        lemma = lemma[:-3]  # "realest" -> "real" where the lemmatiser has no entry
    return lemma


def _left_modifiers(noun: Any, skip: set[int]) -> list[Any]:
    out: list[Any] = []
    stack = [c for c in noun.lefts if c.dep_ in LEFT_DEPS]
    while stack:
        tok = stack.pop()
        if tok.i in skip:
            continue
        if tok.pos_ in CONTENT_POS and tok.tag_ not in ("VBN", "VBG"):
            out.append(tok)
            stack.extend(c for c in tok.children if c.dep_ in ("conj", "compound", "amod"))
    return out


def _partitive(noun: Any, skip: set[int]) -> list[Any]:
    out: list[Any] = []
    stack = [noun]
    while stack:
        tok = stack.pop()
        if tok.i in skip:
            continue
        jjs_ok = tok.tag_ == "JJS" and tok.lower_ not in ("most", "least")
        if jjs_ok or (tok.pos_ in CONTENT_POS and tok.tag_ not in ("VBN", "VBG", "RBS", "JJS")):
            out.append(tok)
        stack.extend(
            c for c in tok.children if c.dep_ not in STOP_DEPS and c.lower_ not in STOP_PREPS
        )
    return out


#: In a sentence longer than this (tokens) the counted phrase is its noun alone. Walking a
#: phrase asks spaCy for each token's children, which scans the token's whole subtree extent:
#: in an unpunctuated run of 5,000 numbers that made one article take 18 s (measured). News
#: sentences stay far shorter; NewsQuant's scores are unchanged by this bound.
MAX_PHRASE_SENTENCE = 250


def concept_lemma(
    noun: Any, number_tokens: set[int], *, partitive: bool, sent_len: int | None = None
) -> str:
    """Lemmas of the counted phrase headed by ``noun``, in text order, numbers' own tokens out.
    ``sent_len``: ``len(noun.sent)`` when the caller knows it (``Token.sent`` checks every
    token of the Doc: once per number, quadratic time on a long text)."""
    if (len(noun.sent) if sent_len is None else sent_len) > MAX_PHRASE_SENTENCE:
        toks = [noun]
    elif partitive:
        toks = _partitive(noun, number_tokens)
    else:
        toks = [noun, *_left_modifiers(noun, number_tokens)]
    return " ".join(_lemma(t) for t in sorted(set(toks), key=lambda t: t.i))
