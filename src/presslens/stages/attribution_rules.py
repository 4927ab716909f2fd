"""Rules that find attribution candidates in a parsed article: quotes, cues, sources, content.

Boundaries follow PolNeAR's annotation conventions, since that is what the stage is scored on:

* content of a direct quote includes its quotation marks and the punctuation inside them
  ("“…,”"); reported speech includes its complementiser ("that …") and no final full stop;
* the cue is the reporting word(s) only ("said", "pointed out", "according to"), without
  auxiliaries, negation or adverbs;
* the source is the whole noun phrase of the speaker, appositions and relative clauses included
  ("Dan Gerstein, director of …"); for "according to data from X" it is the whole phrase
  "data from X" (speaker resolution looks through "data from" to X); in "X, who said …" it is
  the relative pronoun "who" (resolved through X), and it never crosses a paragraph break;
* "NAME: …" lines (transcripts, headlines) have the colon as cue, "“…” ― Name" the dash;
* reported speech stays in its cue's paragraph (a parse that ran over a line break is cut
  there) and ends before a later statement of the same speaker (", adding that …"); an
  agentless passive or a raising verb has no source and its subject opens the content
  ("Peacekeepers have been accused of …").

Every rule is one linear pass over tokens or characters. The result is a list of
:class:`Candidate` objects, each naming the rule that made it; the stage module decides which
to keep and resolves their speakers.
"""

from __future__ import annotations

import bisect
import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from presslens.lexicons_attribution import (
    CLOSE_QUOTES,
    CLOSED_BY_OPENER,
    CONTENT_PREPS,
    CONTRAST_WORDS,
    EPISTEMIC_SPEECH,
    EPISTEMIC_VERBS,
    ESTIMATE_VERBS,
    INTRO_NOUNS,
    NOMINAL_AGENT_PREPS,
    NOMINAL_CUES,
    OPEN_QUOTES,
    PERSON_PRONOUNS,
    QUESTION_VERBS,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
    STRAIGHT_QUOTE,
    XCOMP_VERBS,
)
from presslens.lexicons_entities import TITLES
from presslens.quote_marks import outermost, single_quotations

__all__ = ["Candidate", "Quote", "clip_to_paragraph", "find_candidates", "find_quotes"]

#: Longest source noun phrase kept, in tokens; longer subjects are parse errors far more often
#: than real sources (PolNeAR train: 99% of sources are under 25 tokens).
MAX_SOURCE_TOKENS = 25
#: How many heads up a participle or conjoined verb may look for the subject it shares
#: ("Koval started posting videos, accusing …" → Koval).
SUBJECT_HOPS = 2

_Range = tuple[int, int]
_WORD = re.compile(r"\w")
_QUOTE_CHARS = re.compile("''|[“”„«»\"\n]")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_INHERIT_DEPS = frozenset({"advcl", "xcomp", "conj", "acl", "pcomp"})
_OPENERS = frozenset(" \t\n([{—–-/")
_NOMINAL_POS = frozenset({"NOUN", "PROPN"})
#: Prepositions whose object is the content of a nominal cue ("claims of …", "his comments
#: about …"); open nominals also take stances ("her support for …", "attacks on …").
NOMINAL_PREPS = frozenset({"of", "about", "that"})
OPEN_NOMINAL_PREPS = NOMINAL_PREPS | {"on", "for", "against", "over", "to"}
#: Dependents of a cue verb that PolNeAR includes in the cue when they stand right before it
#: ("has said", "did not deny", "are expected").
CUE_LEFT_DEPS = frozenset({"aux", "auxpass", "neg"})
#: Dependents after a direct object that end an object complement: PolNeAR's content runs
#: from the object to the end of the verb phrase ("cited remarks X made as examples of …")
#: but not into a conjoined or appended clause.
OBJECT_STOP_DEPS = frozenset({"cc", "conj", "parataxis", "punct", "advcl", "npadvmod", "dep"})


@dataclass(frozen=True)
class Quote:
    """A quotation: one or more fragments (several when it runs across paragraphs)."""

    fragments: tuple[_Range, ...]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class Candidate:
    """One attributed statement found by a rule, before filtering and speaker resolution."""

    content: _Range
    kind: str
    rule: str
    cue: _Range | None = None
    source: _Range | None = None
    source_head: int | None = None  # token index of the source's head word
    cue_head: int | None = None  # token index of the cue's head word (the scorer reads it)
    source_label: str = ""  # entity label of the source head's mention (set by the stage)
    fragments: list[_Range] = field(default_factory=list)  # when the content is discontinuous
    quote: Quote | None = None  # the quote a direct statement is made of
    score: float = 1.0  # filled in by a scorer (rule prior in v1)
    nesting: str = ""  # "outer"/"inner"/"both": holds, or sits in, a word-list statement


# -- quotes -----------------------------------------------------------------------------------


def find_quotes(text: str) -> list[Quote]:
    """Quotations in text order: double marks (:func:`find_double_quotes`), then single marks
    outside them ('…', ‘…’, told apart from apostrophes by :mod:`presslens.quote_marks`), the
    British convention; single marks inside a double-mark quotation are nested quotes."""
    doubles = find_double_quotes(text)
    inside = [frag for q in doubles for frag in q.fragments]
    singles = single_quotations(text, inside)
    if not singles:
        return doubles
    both = outermost([list(q.fragments) for q in doubles] + singles)
    return [Quote(tuple(frags)) for frags in both]


def find_double_quotes(text: str) -> list[Quote]:
    """Pair double quotation marks, typographic or straight, within and across paragraphs.

    A straight quote opens after whitespace, an opening bracket or dash, or at the start of a
    line, and closes otherwise; "“" closes a quote that "„" opened (German „…“) and opens
    any other. A quote left open at the end of a paragraph continues when the
    next paragraph opens with a quotation mark (the newspaper convention for long quotes);
    otherwise it ends with its paragraph, so one stray mark cannot swallow the article.
    """
    quotes: list[Quote] = []
    frags: list[_Range] = []  # fragments of the quote being continued across paragraphs
    open_at: int | None = None
    line_end = -1
    for m in _QUOTE_CHARS.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":
            if open_at is not None:
                stop = _rstrip(text, open_at, i)
                if stop > open_at + 1:
                    frags.append((open_at, stop))
                open_at = None
                if not _next_line_opens_quote(text, i) and frags:
                    quotes.append(Quote(tuple(frags)))
                    frags = []
            elif frags and i > line_end + 1 and text[line_end + 1 : i].strip():
                quotes.append(Quote(tuple(frags)))
                frags = []
            line_end = i
            continue
        opens = ch in OPEN_QUOTES or (
            ch in (STRAIGHT_QUOTE, "''") and (i == 0 or text[i - 1] in _OPENERS) and open_at is None
        )
        if opens and open_at is None:
            if frags and text[line_end + 1 : i].strip():
                quotes.append(Quote(tuple(frags)))  # the continued quote did not go on here
                frags = []
            open_at = i
        elif open_at is not None and (
            ch in CLOSE_QUOTES
            or ch in (STRAIGHT_QUOTE, "''")
            or ch in CLOSED_BY_OPENER.get(text[open_at], ())
        ):
            frags.append((open_at, m.end()))
            quotes.append(Quote(tuple(frags)))
            frags, open_at = [], None
    if open_at is not None:
        stop = _rstrip(text, open_at, len(text))
        if stop > open_at + 1:
            frags.append((open_at, stop))
    if frags:
        quotes.append(Quote(tuple(frags)))
    return quotes


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _next_line_opens_quote(text: str, newline: int) -> bool:
    j = newline + 1
    while j < len(text) and text[j].isspace():
        j += 1
    return j < len(text) and (text[j] in OPEN_QUOTES or text[j] in (STRAIGHT_QUOTE, "'"))


# -- token helpers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _DocIndex:
    """Positions in a Doc that the rules look up by bisection instead of walking tokens:
    ``Token.sent`` checks every token of the Doc and walks to the sentence's ends, and
    ``Token.children`` scans the token's whole subtree extent, so asking either once per
    candidate cost quadratic time on a long unpunctuated text."""

    length: int
    sent_starts: list[int] | None  # None when the Doc has no sentence boundaries
    newlines: list[int]  # tokens whose text holds a line break
    subjects: dict[int, list[int]]  # a token's subject children (_SUBJECT_DEPS), in order


_INDEXES: weakref.WeakKeyDictionary[Any, _DocIndex] = weakref.WeakKeyDictionary()


def _index(doc: Any) -> _DocIndex:
    """The Doc's :class:`_DocIndex`, built once per Doc (and again if its length changed)."""
    found = _INDEXES.get(doc)
    if found is not None and found.length == len(doc):
        return found
    subjects: dict[int, list[int]] = {}
    for tok in doc:
        if tok.dep_ in _SUBJECT_DEPS and tok.head.i != tok.i:
            subjects.setdefault(tok.head.i, []).append(tok.i)
    found = _DocIndex(
        length=len(doc),
        sent_starts=[s.start for s in doc.sents] if doc.has_annotation("SENT_START") else None,
        newlines=[t.i for t in doc if "\n" in t.text],
        subjects=subjects,
    )
    _INDEXES[doc] = found
    return found


def _sent_bounds(doc: Any, i: int) -> tuple[int, int]:
    """Start and end (exclusive) of token ``i``'s sentence, as ``doc[i].sent``."""
    starts = _index(doc).sent_starts
    if starts is None:
        sent = doc[i].sent  # raises as spaCy does
        return sent.start, sent.end
    k = bisect.bisect_right(starts, i) - 1
    return starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)


def _subjects(doc: Any, tok: Any) -> list[Any]:
    """``tok``'s children that are subjects, in order (a scan of ``tok.children`` from the
    index: a verb can have thousands of children in a run-on text)."""
    return [doc[c] for c in _index(doc).subjects.get(tok.i, ())]


def _char_range(doc: Any, first: int, last: int) -> _Range:
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _trimmed(doc: Any, first: int, last: int) -> tuple[int, int] | None:
    """Token range without edge punctuation and spaces (quote marks are kept)."""
    while first <= last and _edge_junk(doc[first]):
        first += 1
    while last >= first and _edge_junk(doc[last]):
        last -= 1
    if first > last:
        return None
    if last + 1 < len(doc) and doc[last + 1].text == ")" and _unclosed(doc[first : last + 1]):
        last += 1
    return first, last


def _unclosed(span: Any) -> bool:
    """More opening than closing parentheses in ``span``."""
    text = span.text
    return text.count("(") > text.count(")")


def _edge_junk(tok: Any) -> bool:
    return tok.is_space or (tok.is_punct and tok.text not in OPEN_QUOTES | CLOSE_QUOTES | {'"'})


def _subtree_range(tok: Any) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def _subject(verb: Any) -> Any | None:
    """The verb's subject, or the subject it shares with the verb it depends on."""
    cur = verb
    for _ in range(SUBJECT_HOPS + 1):
        # a quotation mark parsed as the subject ("«…,» said X": "»") names no one
        subjects = [s for s in _subjects(cur.doc, cur) if not s.is_punct]
        if subjects:  # several when the parse joined paragraphs: the nearest is the one
            return min(subjects, key=lambda c: abs(c.i - cur.i))
        aside = _question_aside_subject(cur)
        if aside is not None:
            return aside
        if cur.dep_ not in _INHERIT_DEPS or cur.head.i == cur.i:
            return None
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep":
            cur = cur.head  # "X opened by remembering Y": through "by" to the verb
        cur = cur.head
    return None


def _source_range(doc: Any, subj: Any, verb: Any) -> tuple[tuple[int, int], Any] | None:
    """Token range and head of the source noun phrase named by ``subj``."""
    head = subj
    if subj.lower_ in RELATIVE_PRONOUNS and subj.head.dep_ == "relcl":
        # "X, who said …": PolNeAR marks the pronoun as the source; its head is X, the
        # antecedent, through which the speaker is resolved
        return (subj.i, subj.i), subj.head.head
    first, last = _subtree_range(subj)
    if first <= verb.i <= last:
        last = verb.i - 1
    if _newline_between(doc, min(head.i, verb.i), max(head.i, verb.i)):
        # the parse took a subject from another paragraph ("7 p.m.\n\nTrump says …"):
        # keep what stands on the verb's line, before the verb
        first = max(first, _line_start(doc, verb.i))
        last = min(last, verb.i - 1)
        if first > last:
            return None
        head = doc[first : last + 1].root
    first, last = _source_clip(doc, head, first, last)
    trimmed = _trimmed(doc, first, last)
    if trimmed is None or trimmed[1] - trimmed[0] + 1 > MAX_SOURCE_TOKENS:
        return None
    return trimmed, head


def _newline_between(doc: Any, a: int, b: int) -> bool:
    """Some token strictly between ``a`` and ``b`` holds a line break."""
    newlines = _index(doc).newlines
    k = bisect.bisect_right(newlines, a)
    return k < len(newlines) and newlines[k] < b


def _line_start(doc: Any, i: int) -> int:
    """Index of the first token on token ``i``'s line."""
    k = bisect.bisect_left(_index(doc).newlines, i)
    return _index(doc).newlines[k - 1] + 1 if k > 0 else 0


def _source_clip(doc: Any, head: Any, first: int, last: int) -> tuple[int, int]:
    """The source's token range kept to the head's line: a parse can join a timestamp line
    to the name below it. (Cutting relative clauses and participles off the source was
    tried: PolNeAR dev source exact F1 fell by 0.01-0.02, its sources include them.)"""
    newlines = _index(doc).newlines
    k = bisect.bisect_left(newlines, head.i)
    if k > 0 and newlines[k - 1] >= first:
        first = newlines[k - 1] + 1
    k = bisect.bisect_right(newlines, head.i)
    if k < len(newlines) and newlines[k] <= last:
        last = newlines[k] - 1
    return first, last


# -- rules -------------------------------------------------------------------------------------


def find_candidates(doc: Any, quotes: list[Quote], *, open_rules: bool = False) -> list[Candidate]:
    """All candidates of the verb, nominal and "according to" rules, then the quote rules.

    With ``open_rules``, every other verb with a subject and a complement ("X voted for …",
    "X endorsed Y"), every noun with a possessor and a complement, every "be" with an
    adjective or noun and a complement ("X is critical of …", "Rubio's response was that …")
    and every phrase opening a sentence before a comma ("In a CBS poll, …") is a candidate
    too (rules ``open-…``): PolNeAR annotates many such predicates, too varied for a word
    list, so a learned scorer decides which to keep.
    """
    found: list[Candidate] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if open_rules and tok.tag_ == "VBN" and tok.pos_ == "VERB":
            passive = _passive_rule(doc, tok)
            if passive is not None:
                found.append(passive)
        if tok.pos_ == "VERB" and (lemma in SPEECH_VERBS or lemma in EPISTEMIC_VERBS):
            cand = _verb_rule(doc, tok, lemma)
            if open_rules and (cand is None or cand.rule == "verb-adjacent"):
                # "called for X", "apologized for X": a word-list verb whose complement is
                # a prepositional phrase; the scorer weighs it against the bare rule's quote
                extra = _verb_rule(doc, tok, lemma, open_=True)
                if extra is not None:
                    found.append(extra)
        elif tok.lower_ == "according" and tok.dep_ == "prep":
            cand = _according_rule(doc, tok)
        elif tok.pos_ == "NOUN" and lemma in NOMINAL_CUES:
            cand = _nominal_rule(doc, tok)
        elif tok.lower_ == "for" and tok.dep_ == "prep" and tok.i == _sent_bounds(doc, tok.i)[0]:
            cand = _for_rule(doc, tok)
        elif open_rules and tok.dep_ == "prep" and tok.i == _sent_bounds(doc, tok.i)[0]:
            cand = _fronted_prep_rule(doc, tok)
        elif open_rules and tok.pos_ == "VERB":
            cand = _verb_rule(doc, tok, lemma, open_=True)
        elif open_rules and lemma == "be" and tok.pos_ == "AUX":
            cand = _copular_rule(doc, tok)
        elif open_rules and tok.pos_ == "NOUN":
            cand = _nominal_rule(doc, tok, open_=True)
        else:
            continue
        if cand is not None:
            found.append(cand)
    text = doc.text  # built from the tokens on every access: read it once
    next_verbs = _next_statement_verbs(doc)
    for cand in found:
        clip_to_paragraph(cand, text)
        _clip_before_next_statement(cand, doc, next_verbs)
        _snap_to_quotes(cand, quotes, text)
    found += _colon_rule(doc, text)
    found += _dash_rule(doc, text, quotes)
    return [c for c in found if c.rule != "unmatched" and c.content[0] >= 0]


#: "NAME: what they said" at the start of a line: interview transcripts ("PENCE: Well, …")
#: and headlines ("Poll: Clinton and Trump in dead heat"). The name is at most
#: :data:`COLON_MAX_WORDS` capitalised words (function words allowed inside).
COLON_MAX_WORDS = 5
_COLON_LINE = re.compile(
    r"^[ \t]*[\"“']?(?P<name>[A-Z][\w.’'-]*(?:[ \t]+[\w.’'&-]+){0,"
    + str(COLON_MAX_WORDS - 1)
    + r"}):[ \t]+(?P<rest>\S[^\n]*)$",
    re.MULTILINE,
)
_NAME_GLUE = frozenset({"of", "the", "and", "de", "al", "van", "von", "for", "&"})


def _colon_rule(doc: Any, text: str) -> list[Candidate]:
    """Lines opening with "Name:" — the name is the source, the colon the cue and the rest of
    the line the content (rule ``colon``)."""
    out = []
    for m in _COLON_LINE.finditer(text):
        words = m.group("name").split()
        if not all(w[0].isupper() or w.lower() in _NAME_GLUE for w in words):
            continue
        rest_start, rest_end = m.start("rest"), _rstrip(text, m.start("rest"), m.end("rest"))
        if len(text[rest_start:rest_end].split()) < 2:
            continue
        colon = m.end("name")
        name = doc.char_span(m.start("name"), colon, alignment_mode="contract")
        cue = doc.char_span(colon, colon + 1, alignment_mode="expand")
        if name is None or cue is None or len(name) == 0 or len(cue) == 0:
            continue
        out.append(
            Candidate(
                content=(rest_start, rest_end),
                kind="direct" if m.group("name").isupper() else "indirect",
                rule="colon",
                cue=(colon, colon + 1),
                cue_head=cue[0].i,
                source=(name.start_char, name.end_char),
                source_head=name.root.i,
            )
        )
    return out


#: Longest cue the colon-introduction rule takes, from its verb through the colon, in tokens;
#: a longer predicate ("was blunt in an interview on Sunday with …:") keeps the verb alone.
INTRO_CUE_MAX_TOKENS = 14
#: Subjects that name no speaker: "It was simple: “…”", "There was one answer: “…”".
_INTRO_NON_SUBJECTS = frozenset({"it", "this", "these", "those", "there", "here", "what"})
_GAP_CHARS = frozenset(" \t\u00a0\n")
#: Words that make the clause before the colon a subordinate one, whose subject does not
#: speak the quote ("where they live:"); not "as" ("As Cornyn put it: “…”" is Cornyn's).
_SUBORDINATORS = frozenset(
    {"where", "when", "why", "how", "whether", "if", "because", "although", "though"}
    | {"unless", "since", "while", "whereas", "until", "after", "before"}
)


def _colon_clause_verb(doc: Any, first: int, colon: int) -> Any | None:
    """The verb of the clause that the colon at token ``colon`` ends: the verb it hangs on,
    up through nouns ("had a simple answer:" → had), kept to tokens ``first`` to ``colon``;
    a relative clause that runs up to the colon is its own ("X says to Y, who responds:" →
    "responds", whose subject "who" stands for Y)."""
    tok = doc[colon].head
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i and first <= tok.head.i:
        tok = tok.head
    if not first <= tok.i < colon:
        tok = doc[first:colon].root
    for i in range(colon - 1, max(tok.i, first), -1):
        # "X says to Y, who responds:": a relative clause running up to the colon speaks
        rel = doc[i]
        if rel.dep_ == "relcl" and rel.pos_ in ("VERB", "AUX") and rel.right_edge.i >= colon - 1:
            return rel
    return tok if tok.pos_ in ("VERB", "AUX") else None


def colon_intro_rule(doc: Any, text: str, q: Quote) -> Candidate | None:
    """ "Wetzler was blunt: “…”", "Cornyn put it this way: “…”", "Her answer was simple:
    “…”": a quote right after a colon (at most one blank line between) that ends a clause
    with a subject — mostly no speech verb, or one whose rule did not claim the quote; the
    subject (or, for a noun such as "answer" with an owner, the owner) is the source, the
    predicate through the colon the cue (rule ``colon-intro``). Whether the source names
    someone is the caller's to check."""
    gap = q.start
    while gap > 0 and text[gap - 1] in _GAP_CHARS:
        gap -= 1
    if gap == 0 or text[gap - 1] != ":" or text.count("\n", gap, q.start) > 2:
        return None
    colon = doc.char_span(gap - 1, gap, alignment_mode="expand")
    if colon is None or len(colon) != 1 or colon[0].text != ":":
        return None
    end = colon[0].i
    first = max(_sent_bounds(doc, end)[0], _line_start(doc, end))
    if end - first < 2:
        return None
    verb = _colon_clause_verb(doc, first, end)
    if verb is None:
        return None
    if any(c.dep_ in ("advmod", "mark") and c.lower_ in _SUBORDINATORS for c in verb.lefts):
        return None  # "… hits liberals where they live: “…”": not what "they" say
    subj = _subject(verb)
    if subj is None or not first <= subj.i < verb.i or subj.lower_ in _INTRO_NON_SUBJECTS:
        return None
    owner = next((c for c in subj.children if c.dep_ == "poss"), None)
    if subj.pos_ == "NOUN" and subj.lemma_.lower() in INTRO_NOUNS and owner is not None:
        # "Her answer was simple:" — the owner speaks; the noun opens the cue
        source = _trimmed(doc, owner.left_edge.i, owner.i)
        head, cue_first = owner, subj.i
    else:
        found = _source_range(doc, subj, verb)
        if found is None:
            return None
        source, head = found
        cue_first = _cue_start(doc, verb)
    if source is None or source[1] >= cue_first:
        return None
    if end - cue_first + 1 <= INTRO_CUE_MAX_TOKENS:
        cue = _char_range(doc, cue_first, end)
    else:
        cue = _cue_range(doc, verb)
    return Candidate(
        content=(q.start, q.end),
        kind="direct",
        rule="colon-intro",
        cue=cue,
        cue_head=verb.i,
        source=_char_range(doc, *source),
        source_head=head.i,
        fragments=list(q.fragments) if len(q.fragments) > 1 else [],
        quote=q,
    )


_DASH_NAME = re.compile(r"[ \t]*[―—–][ \t]*(?P<name>[A-Z][^\n.,;:!?“”\"]{1,60})")


def _dash_rule(doc: Any, text: str, quotes: list[Quote]) -> list[Candidate]:
    """ "“…” ― Name": a quote signed with a dash and a name (rule ``dash-signature``)."""
    out = []
    for q in quotes:
        m = _DASH_NAME.match(text, q.end)
        if m is None:
            continue
        end = _rstrip(text, m.start("name"), m.end("name"))
        name = doc.char_span(m.start("name"), end, alignment_mode="contract")
        dash = text.index(m.group().strip()[0], q.end)
        cue = doc.char_span(dash, dash + 1, alignment_mode="expand")
        if name is None or cue is None or len(name) == 0 or len(cue) == 0:
            continue
        out.append(
            Candidate(
                content=(q.start, q.end),
                kind="direct",
                rule="dash-signature",
                cue=(dash, dash + 1),
                cue_head=cue[0].i,
                source=(name.start_char, name.end_char),
                source_head=name.root.i,
                fragments=list(q.fragments) if len(q.fragments) > 1 else [],
                quote=q,
            )
        )
    return out


def _verb_rule(doc: Any, verb: Any, lemma: str, *, open_: bool = False) -> Candidate | None:
    """X said (that) …, “…,” X said, X accused Y of …, X believes …, "…, X revealed".

    ``open_``: a verb of no word list ("X voted for …"); only the complement rules apply,
    with a subject required, and the rule name gets the prefix ``open-``. A bare participle
    of asking ("X, asked about the sale, said …") is the question put to X, not X's
    statement: it has no source (PolNeAR marks such cues as attributions without source)."""
    comps = [c for c in verb.children if c.dep_ in ("ccomp", "csubj")]
    if not comps and not open_:
        comps = [c for c in verb.children if _clause_as_complement(c, verb)]
    rule = "verb-ccomp"
    if not comps:
        comps = [c for c in verb.children if c.dep_ == "xcomp" and (open_ or lemma in XCOMP_VERBS)]
        rule = "verb-xcomp"
    if not comps:
        objs = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
        if objs:
            comps = objs + [
                c
                for c in verb.children
                if c.i > objs[0].i
                and c.dep_ not in OBJECT_STOP_DEPS
                and not c.is_punct
                and c.lower_ != "according"
            ]
            rule = "verb-object"
    if not comps:
        comps = [
            c
            for c in verb.children
            if c.dep_ == "prep" and (_content_prep(c) or (open_ and any(True for _ in c.children)))
        ]
        rule = "verb-prep"
    subj = _subject(verb)
    if subj is None and verb.dep_ == "acl" and verb.head.pos_ in _NOMINAL_POS:
        subj = verb.head  # "a tweet attacking X", "a statement calling for X"
    if subj is not None and _question_participle(verb, lemma):
        if open_:
            return None
        subj = None  # the one asked is not the one who asks
    if open_ and (not comps or subj is None):
        return None
    if not comps and subj is not None and subj.i < verb.i and _ends_sentence(doc, verb):
        # "…, X revealed." with the clause parsed as a modifier of the verb
        comps = [c for c in verb.children if c.dep_ in ("advcl", "parataxis") and c.i < subj.i]
        rule = "verb-fronted"
    if not comps and verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i:
        return _parenthetical_rule(doc, verb, lemma)
    if not comps:
        return _bare_rule(doc, verb, lemma, subj)
    first = min(c.left_edge.i for c in comps)
    last = max(c.right_edge.i for c in comps)
    if first <= verb.i < last:  # a complement on each side: keep the side after the verb
        after = [c.left_edge.i for c in comps if c.i > verb.i]
        if not after:
            # a non-projective parse: a complement before the verb reaches past it ("all
            # that she has seen …; those Americans who …" with the appositive on "that")
            return None
        first = min(after)
    lead = _xcomp_lead(verb, first) if rule == "verb-xcomp" else None
    if lead is None:
        lead = _subject_lead(verb, rule, lemma)
    if lead is not None and lead[0] == "obj":
        first = lead[1]  # "urged supporters | to monitor …": PolNeAR's content holds both
    span = _trimmed(doc, first, last)
    if span is None:
        return None
    source = _source_range(doc, subj, verb) if subj is not None else None
    if source is not None and source[0][0] <= span[1] and span[0] <= source[0][1]:
        source = None
    fragments: list[_Range] = []
    if lead is not None and lead[0] == "subj" and subj is not None:
        # "Trump is expected | to deliver …": no source; the content is the passive
        # subject and the complement, around the cue
        head = _trimmed(doc, lead[1], subj.right_edge.i)
        if head is not None and head[1] < verb.i < span[0]:
            fragments = [_char_range(doc, *head), _char_range(doc, *span)]
            span = (head[0], span[1])
            source = None
    if source is None and subj is None and rule == "verb-object":
        return None  # "an announced plan": no speaker and no clause, too weak to keep
    kind = "epistemic" if lemma in EPISTEMIC_VERBS or lemma in EPISTEMIC_SPEECH else "indirect"
    cand = Candidate(
        content=_char_range(doc, *span),
        kind=kind,
        rule=f"open-{rule}" if open_ else rule,
        cue=_cue_range(doc, verb),
        cue_head=verb.i,
        fragments=fragments,
    )
    if source is not None:
        cand.source = _char_range(doc, *source[0])
        cand.source_head = source[1].i
    return cand


def _question_aside_subject(verb: Any) -> Any | None:
    """ "X, asked about Y, said …" parsed with X as the subject of "asked" and "asked" a
    clause of "said": X, the subject the aside took."""
    for child in verb.lefts:
        if child.pos_ == "VERB" and _question_participle(child, child.lemma_.lower()):
            subjects = _subjects(verb.doc, child)
            if subjects:
                return subjects[0]
    return None


def _question_participle(verb: Any, lemma: str) -> bool:
    """ "X, asked about Y, said …", "Asked whether …, X said …": a verb of asking with no
    auxiliary or agent of its own, parsed as a participle modifying a noun or a clause, or standing
    between commas before the verb it depends on (the parse often reads "asked" there as a
    finite verb with X as its subject)."""
    if lemma not in QUESTION_VERBS or any(
        c.dep_ in ("aux", "auxpass", "agent") for c in verb.children
    ):
        return False  # "when pressed by Holt": the one who asks is named
    if verb.tag_ in ("VBN", "VBD") and verb.dep_ in ("acl", "advcl"):
        # the parse tags "X, asked about Y," VBD as often as VBN; "after Trump questioned
        # X" has a subject of its own and is a statement
        return not _subjects(verb.doc, verb)
    doc, after = verb.doc, verb.right_edge.i
    while after > verb.i and doc[after].is_punct:
        after -= 1  # the parse may hang the closing comma on the aside
    after += 1
    return (
        verb.i > 0
        and doc[verb.i - 1].text == ","
        and after < len(doc)
        and doc[after].text == ","
        and verb.head.i > after
    )


def _xcomp_lead(verb: Any, first: int) -> tuple[str, int] | None:
    """What PolNeAR's content holds before an infinitive complement: the object between
    the verb and it ("asked the congregation to stand": ``("obj", first token)``), or the
    subject of a passive verb with no agent ("Trump is expected to …": ``("subj", …)``)."""
    children = list(verb.children)
    if any(c.dep_ == "agent" for c in children):
        return None
    for c in children:
        if c.dep_ == "nsubjpass" and c.i < verb.i:
            return ("subj", c.left_edge.i)
    for c in children:
        if c.dep_ == "dobj" and verb.i < c.i < first:
            return ("obj", c.left_edge.i)
    return None


#: Verb rules whose content starts at the subject when the verb is an agentless passive or
#: a raising verb (v4 did it for infinitives only; PolNeAR dev, cue matched: 28 such gold
#: contents start at the subject, 8 after the cue).
SUBJECT_LEAD_RULES = frozenset({"verb-prep", "verb-object", "verb-ccomp", "verb-xcomp"})
#: Verbs whose subject is no speaker ("the campaign has appeared | to acknowledge …").
RAISING_VERBS = frozenset({"seem", "appear"})


def _subject_lead(verb: Any, rule: str, lemma: str) -> tuple[str, int] | None:
    """An agentless passive ("peacekeepers have been accused | of …") or a raising verb
    ("the campaign has appeared | to acknowledge …"): PolNeAR's content starts at the
    subject, which is not the speaker."""
    if rule not in SUBJECT_LEAD_RULES:
        return None
    children = list(verb.children)
    if any(c.dep_ == "agent" for c in children):
        return None
    for c in children:
        if c.i < verb.i and (
            c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and lemma in RAISING_VERBS)
        ):
            return ("subj", c.left_edge.i)
    return None


def _clause_as_complement(child: Any, verb: Any) -> bool:
    """An adverbial clause after a speech verb with its own subject and no subordinating
    word is a misparsed complement: "X said after the meeting he would not accept …"."""
    return (
        child.dep_ == "advcl"
        and child.i > verb.i
        and any(c.dep_ in _SUBJECT_DEPS for c in child.children)
        and not any(c.dep_ in ("mark", "advmod") and c.i < child.i for c in child.children)
    )


def _passive_rule(doc: Any, verb: Any) -> Candidate | None:
    """ "The plan was endorsed by X", "… are supported by X": the agent is the source and the
    passive subject the content (rule ``passive-agent``, any verb: the scorer decides)."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if agent is None or subj is None:
        return None
    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    src = _trimmed(doc, *_subtree_range(pobj))
    content = _trimmed(doc, *_subtree_range(subj))
    if src is None or content is None or src[1] - src[0] + 1 > MAX_SOURCE_TOKENS:
        return None
    cue = _cue_range(doc, verb)
    if agent.i == verb.i + 1:  # "is supported by": PolNeAR's cue takes the "by"
        cue = (cue[0], agent.idx + len(agent.text))
    return Candidate(
        content=_char_range(doc, *content),
        kind="indirect",
        rule="passive-agent",
        cue=cue,
        cue_head=verb.i,
        source=_char_range(doc, *src),
        source_head=pobj.i,
    )


def _copular_rule(doc: Any, be: Any) -> Candidate | None:
    """ "X is critical of Y", "X has been a supporter of Y", "X was sure (that) …": a stance
    stated with "be" and an adjective or noun (rule ``open-copular``, scored only by the
    learned scorer). The cue runs from "be" (with its auxiliaries) to the preposition, as
    PolNeAR marks it ("is a staunch opponent of"); the content is what follows."""
    subj = next((c for c in be.children if c.dep_ == "nsubj" and c.i < be.i), None)
    if subj is None:
        return None
    pred = next((c for c in be.children if c.dep_ in ("acomp", "attr") and c.i > be.i), None)
    if pred is None:
        return _idea_is_rule(doc, be, subj)
    comps = [c for c in pred.children if c.dep_ in ("ccomp", "xcomp") and c.i > pred.i]
    cue_last = pred.i
    if not comps:
        prep = next(
            (
                c
                for c in pred.children
                if c.dep_ == "prep" and c.i > pred.i and any(g.dep_ == "pobj" for g in c.children)
            ),
            None,
        )
        if prep is None:
            return None
        cue_last = prep.i
        comps = [g for g in prep.children if g.dep_ == "pobj"]
    span = _trimmed(doc, min(c.left_edge.i for c in comps), max(c.right_edge.i for c in comps))
    source = _source_range(doc, subj, be)
    if span is None or source is None:
        return None
    cue_start = _cue_range(doc, be)[0]
    return Candidate(
        content=_char_range(doc, *span),
        kind="epistemic",
        rule="open-copular",
        cue=(cue_start, doc[cue_last].idx + len(doc[cue_last].text)),
        cue_head=pred.i,
        source=_char_range(doc, *source[0]),
        source_head=source[1].i,
    )


def _idea_is_rule(doc: Any, be: Any, subj: Any) -> Candidate | None:
    """ "Rubio's response was that …", "The idea is that …": a noun for what is said, "be"
    and a clause. The cue runs from the noun phrase (without its possessor) to "be"; the
    possessor, if any, is the source (rule ``open-copular``)."""
    comp = next((c for c in be.children if c.dep_ == "ccomp" and c.i > be.i), None)
    if comp is None or subj.pos_ != "NOUN":
        return None
    span = _trimmed(doc, comp.left_edge.i, comp.right_edge.i)
    if span is None:
        return None
    poss = next((c for c in subj.children if c.dep_ == "poss"), None)
    first = subj.left_edge.i if poss is None else poss.right_edge.i + 1
    while first < subj.i and doc[first].tag_ == "POS":
        first += 1
    cand = Candidate(
        content=_char_range(doc, *span),
        kind="epistemic",
        rule="open-copular",
        cue=_char_range(doc, first, be.i),
        cue_head=subj.i,
    )
    if poss is not None:
        src = _trimmed(doc, *_subtree_range(poss))
        if src is not None:
            cand.source = _char_range(doc, *src)
            cand.source_head = poss.i
    return cand


def _content_prep(prep: Any) -> bool:
    return prep.lower_ in CONTENT_PREPS and any(True for _ in prep.children)


def _ends_sentence(doc: Any, tok: Any) -> bool:
    """Only punctuation (or nothing) follows ``tok`` in its sentence."""
    return all(t.is_punct or t.is_space for t in doc[tok.i + 1 : _sent_bounds(doc, tok.i)[1]])


def _bare_rule(doc: Any, verb: Any, lemma: str, subj: Any | None) -> Candidate | None:
    """A speech verb with a subject and no complement, next to a quote in its own sentence:
    "“…?” X asked." or "X said:" before a quoted paragraph. The content is found later, by
    :func:`_snap_to_quotes` from the adjacent quote, so this candidate is marked empty."""
    if subj is None or lemma not in SPEECH_VERBS:
        return None
    source = _source_range(doc, subj, verb)
    if source is None:
        return None
    return Candidate(
        content=(-1, -1),
        kind="direct",
        rule="verb-adjacent",
        cue=_cue_range(doc, verb),
        cue_head=verb.i,
        source=_char_range(doc, *source[0]),
        source_head=source[1].i,
    )


def _cue_range(doc: Any, verb: Any) -> _Range:
    """The verb with its auxiliaries and negation right before it, its particle ("pointed
    out") and a colon right after it ("said:"), as PolNeAR marks cues."""
    first = _cue_start(doc, verb)
    last = verb.i
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == last + 1:
            last = child.i
    if last + 1 < len(doc) and doc[last + 1].text == ":":
        last += 1
    return _char_range(doc, first, last)


def _cue_start(doc: Any, verb: Any) -> int:
    """Index of the cue's first token: the verb, or the auxiliaries and negation right
    before it ("has said", "did not deny"), never an infinitive's "to"."""
    first = verb.i
    while (
        first > 0
        and doc[first - 1].head.i == verb.i
        and doc[first - 1].dep_ in CUE_LEFT_DEPS
        and doc[first - 1].lower_ != "to"
    ):
        first -= 1
    return first


def _parenthetical_rule(doc: Any, verb: Any, lemma: str) -> Candidate | None:
    """ "The plan, he said, is dead" / "It is dead, he said": the head clause is the content.
    Belief asides ("it is, I think, …") are not statements (PolNeAR leaves them out)."""
    subj = _subject(verb)
    if subj is None or lemma in EPISTEMIC_VERBS:
        return None
    source = _source_range(doc, subj, verb)
    clause = verb.head
    cue_first = min(verb.left_edge.i, subj.left_edge.i)
    cue_last = verb.right_edge.i
    sent_start, sent_end = _sent_bounds(doc, verb.i)
    first = clause.left_edge.i if clause.left_edge.i >= sent_start else sent_start
    last = min(clause.right_edge.i, sent_end - 1)
    before = _trimmed(doc, first, cue_first - 1) if cue_first > first else None
    after = _trimmed(doc, cue_last + 1, last) if cue_last < last else None
    parts = [p for p in (before, after) if p is not None]
    if not parts:
        return None
    cand = Candidate(
        content=_char_range(doc, parts[0][0], parts[-1][1]),
        kind="epistemic" if lemma in EPISTEMIC_VERBS else "indirect",
        rule="verb-parenthetical",
        cue=_cue_range(doc, verb),
        cue_head=verb.i,
    )
    if len(parts) == 2:
        cand.fragments = [_char_range(doc, *p) for p in parts]
    if source is not None:
        cand.source = _char_range(doc, *source[0])
        cand.source_head = source[1].i
    return cand


def _according_rule(doc: Any, according: Any) -> Candidate | None:
    """ "…, according to (data from) X": the clause it modifies is the content."""
    to = next((c for c in according.children if c.lower_ == "to"), None)
    pobj = (
        next((c for c in to.children if c.dep_ in ("pobj", "pcomp")), None)
        if to is not None
        else None
    )
    if to is None or pobj is None:
        return None
    src = _trimmed(doc, *_subtree_range(pobj))
    if src is None:
        return None
    sent_start, sent_end = _sent_bounds(doc, according.i)
    phrase_first, phrase_last = according.i, max(to.right_edge.i, according.right_edge.i)
    before = _trimmed(doc, sent_start, phrase_first - 1) if phrase_first > sent_start else None
    after = _trimmed(doc, phrase_last + 1, sent_end - 1) if phrase_last < sent_end - 1 else None
    if after is not None:
        after = _before_other_source(doc, *after)
    content = max(
        (p for p in (before, after) if p is not None),
        key=lambda p: p[1] - p[0],
        default=None,
    )
    if content is None:
        return None
    return Candidate(
        content=_char_range(doc, *content),
        kind="according-to",
        rule="according-to",
        cue=_char_range(doc, according.i, to.i),
        cue_head=according.i,
        source=_char_range(doc, *src),
        source_head=pobj.i,
    )


def _before_other_source(doc: Any, first: int, last: int) -> tuple[int, int] | None:
    """The "according to" content ``first..last`` up to a clause in which another source
    speaks or estimates (", while organisers put the crowd at 50,000", "; X said …", ", but
    X said …"): that clause's claim is not the first source's."""
    for i in range(first + 1, last):
        word = doc[i]
        opens = word.text == ";" or (word.text == "," and doc[i + 1].lower_ in CONTRAST_WORDS)
        if opens and any(_speaks_after(doc[j], i) for j in range(i + 1, last + 1)):
            return _trimmed(doc, first, i - 1)
    return first, last


def _speaks_after(tok: Any, boundary: int) -> bool:
    """``tok`` is a verb of saying or estimating whose subject stands after ``boundary``."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    if lemma not in SPEECH_VERBS and lemma not in ESTIMATE_VERBS:
        return False
    return any(boundary < s.i < tok.i for s in _subjects(tok.doc, tok))


def _nominal_rule(doc: Any, noun: Any, *, open_: bool = False) -> Candidate | None:
    """X's claims that …, allegations by X of …, his statement that …

    ``open_``: a noun of no word list (rule ``open-nominal``)."""
    agent = next((c for c in noun.children if c.dep_ == "poss"), None)
    if agent is None:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in NOMINAL_AGENT_PREPS:
                agent = next((c for c in prep.children if c.dep_ == "pobj"), None)
                break
    if agent is None:
        # "a New York Times report that …", "a CNN poll showing …": a name before the noun
        agent = next((c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if agent is None:
        return None
    comps = [
        c
        for c in noun.children
        if c.dep_ in ("acl", "ccomp", "relcl") and any(g.lower_ == "that" for g in c.children)
    ]
    if not comps:
        preps = OPEN_NOMINAL_PREPS if open_ else NOMINAL_PREPS
        comps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in preps]
        comps = [p for p in comps if p.i > noun.i]
    if not comps:
        return None
    first = min(c.left_edge.i for c in comps)
    last = max(c.right_edge.i for c in comps)
    span = _trimmed(doc, first, last)
    src = _trimmed(doc, *_subtree_range(agent))
    if span is None or src is None:
        return None
    return Candidate(
        content=_char_range(doc, *span),
        kind="indirect",
        rule="open-nominal" if open_ else "nominal",
        cue=_char_range(doc, noun.i, noun.i),
        cue_head=noun.i,
        source=_char_range(doc, *src),
        source_head=agent.i,
    )


def _for_rule(doc: Any, prep: Any) -> Candidate | None:
    """ "For X, …": the opinion of a person (or a role) introducing the sentence."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.ent_type_ not in ("", "PERSON", "ORG", "NORP"):
        return None
    if not (
        pobj.ent_type_ in ("PERSON", "ORG")
        or pobj.tag_ == "NNP"
        or (pobj.lower_ in PERSON_PRONOUNS)
    ):
        return None
    sent_end = _sent_bounds(doc, prep.i)[1]
    last_phrase = prep.right_edge.i
    if last_phrase + 1 >= sent_end or doc[last_phrase + 1].text != ",":
        return None
    content = _trimmed(doc, last_phrase + 2, sent_end - 1)
    src = _trimmed(doc, *_subtree_range(pobj))
    if content is None or src is None:
        return None
    return Candidate(
        content=_char_range(doc, *content),
        kind="indirect",
        rule="for-opinion",
        cue=_char_range(doc, prep.i, prep.i),
        cue_head=prep.i,
        source=_char_range(doc, *src),
        source_head=pobj.i,
    )


def _fronted_prep_rule(doc: Any, prep: Any) -> Candidate | None:
    """ "In a CBS News poll, she led …", "Under the law, …", "To Frank, …": a phrase opening
    the sentence, then a comma and the clause it vouches for (rule ``open-fronted``, scored
    only by the learned scorer, which reads the phrase's noun)."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    sent_end = _sent_bounds(doc, prep.i)[1]
    last_phrase = prep.right_edge.i
    if last_phrase + 1 >= sent_end or doc[last_phrase + 1].text != ",":
        return None
    content = _trimmed(doc, last_phrase + 2, sent_end - 1)
    src = _trimmed(doc, *_subtree_range(pobj))
    if content is None or src is None or src[1] - src[0] + 1 > MAX_SOURCE_TOKENS:
        return None
    return Candidate(
        content=_char_range(doc, *content),
        kind="indirect",
        rule="open-fronted",
        cue=_char_range(doc, prep.i, prep.i),
        cue_head=prep.i,
        source=_char_range(doc, *src),
        source_head=pobj.i,
    )


# -- quotes in content ----------------------------------------------------------------------


#: Dependencies of a later speech verb that starts a statement of its own inside a parsed
#: content (", adding that …", "and tells the crowd …").
_NEXT_DEPS = frozenset({"conj", "advcl"})


#: Words opening a contrasting clause whose speech verb, with a subject of its own, is another
#: speaker's statement ("X said there was … while Y said …").
_CONTRAST_MARKS = frozenset({"while", "whereas"})


def _next_statement_verbs(doc: Any) -> list[int]:
    """Indices, in order, of the tokens that start a statement of their own inside a parsed
    content (:func:`_clip_before_next_statement`): a word-list verb joined as ``conj`` or
    ``advcl`` with no subject of its own, or one with its own subject in a clause opened by
    "while" or "whereas" (the parse may hang another speaker's statement inside this one's
    clause). Found once per Doc so that each candidate bisects instead of walking its
    content (and each verb's children, a scan of its subtree's extent): walking cost
    quadratic time when thousands of contents run to the end of an unpunctuated text."""
    has_subject = _index(doc).subjects
    return [
        tok.i
        for tok in doc
        if tok.pos_ == "VERB"
        and tok.dep_ in _NEXT_DEPS
        and tok.lemma_.lower() in SPEECH_VERBS
        and (
            tok.i not in has_subject
            or (
                tok.dep_ == "advcl"
                and tok.i > tok.head.i  # "… while Y said": not "that while Y said …, Z"
                and any(c.dep_ == "mark" and c.lower_ in _CONTRAST_MARKS for c in tok.children)
            )
        )
    ]


def _clip_before_next_statement(
    cand: Candidate, doc: Any, next_verbs: list[int] | None = None
) -> None:
    """End a parsed content before a later word-list verb that shares the speaker's subject
    (", adding that …", "and tells the crowd …"): PolNeAR marks that as a statement of its
    own, not as part of this one. ``next_verbs``: :func:`_next_statement_verbs` of ``doc``
    (computed when not given)."""
    start, end = cand.content
    if start < 0 or cand.cue is None or cand.fragments or end <= cand.cue[1]:
        return
    span = doc.char_span(max(start, cand.cue[1]), end, alignment_mode="contract")
    if span is None:
        return
    if next_verbs is None:
        next_verbs = _next_statement_verbs(doc)
    k = bisect.bisect_left(next_verbs, span.start)
    if k == len(next_verbs) or next_verbs[k] >= span.end:
        return
    i = doc[next_verbs[k]].left_edge.i
    while i > span.start and (
        doc[i - 1].is_punct or doc[i - 1].dep_ == "cc" or doc[i - 1].is_space
    ):
        i -= 1
    if i <= span.start and start >= cand.cue[1]:
        return
    cut = doc[i - 1].idx + len(doc[i - 1].text) if i > 0 else start
    if cut > start:
        cand.content = (start, cut)


def clip_to_paragraph(cand: Candidate, text: str) -> None:
    """A clause the parse ran across a line break ends at it ("…,” Cruz says.\n\n10:30
    a.m.\n\nTrump has …"): PolNeAR's reported speech stays in its cue's paragraph
    (quotes running over paragraphs are restored by :func:`_snap_to_quotes`)."""
    start, end = cand.content
    if start < 0 or cand.cue is None or cand.fragments:
        return
    if cand.cue[1] <= end:
        cut = _rstrip(text, start, text.find("\n", max(start, cand.cue[1]), end))
        if cut > start:
            cand.content = (start, cut)
    start, end = cand.content
    if cand.cue[0] >= start:
        cut = text.rfind("\n", start, min(end, cand.cue[0]))
        if cut >= start:
            new = cut + 1
            while new < end and text[new].isspace():
                new += 1
            if new < end:
                cand.content = (new, end)


def _snap_to_quotes(cand: Candidate, quotes: list[Quote], text: str) -> None:
    """Direct when a quote makes up the content (which becomes the quote; outside it at most
    punctuation and "that"), mixed when a quote is part of it (whose edges are then widened to
    whole quotes)."""
    if cand.content[0] < 0:
        _adjacent_quote(cand, quotes, text)
        return
    start, end = cand.content
    overlapping = [q for q in quotes if q.start < end and q.end > start]
    if cand.cue is not None and any(q.start <= cand.cue[0] < q.end for q in overlapping):
        return  # a statement reported inside a quote: the quote is not its content
    if not overlapping:
        return
    if len(overlapping) == 1:
        q = overlapping[0]
        _title_to_source(cand, q, text)
        start, end = cand.content
        before = text[start : max(start, q.start)]
        outside = before + text[min(end, q.end) : end]
        if before.strip() == "that" and not _WORD.search(text[min(end, q.end) : end]):
            # "said that “…”": PolNeAR's content keeps the "that" (PolNeAR train: 86 of 88
            # annotated "that “" contents), a quote inside reported speech
            cand.content = (start + before.index("that"), q.end)
            cand.fragments = []
            cand.kind = "mixed"
            cand.rule += "+quote"
            return
        if not _WORD.search(outside.replace("that", "")):
            cand.content = (q.start, q.end)
            cand.fragments = list(q.fragments) if len(q.fragments) > 1 else []
            cand.kind = "direct"
            cand.quote = q
            cand.rule += "+quote"
            return
    if cand.source is not None and any(
        q.start < cand.source[1] and q.end > cand.source[0] for q in overlapping
    ):
        cand.source = None  # a source inside a quote is a parse error
        cand.source_head = None
    cand.content = (
        min(start, *(q.start for q in overlapping)),
        max(end, *(q.end for q in overlapping)),
    )
    if cand.kind in ("indirect", "epistemic"):
        cand.kind = "mixed"


def _title_to_source(cand: Candidate, q: Quote, text: str) -> None:
    """“…,” PM Modi said: the parse may hang the speaker's title on the quoted clause, so the
    content ran on past the quote ("…,” PM") and the source lost it. Title words between the
    quote and the source go to the source."""
    start, end = cand.content
    source = cand.source
    if source is None or not (q.end < end <= source[0]) or start > q.start + 1:
        return
    between = text[q.end : source[0]]
    words = between.split()
    if not words or not all(w.rstrip(".").casefold() in TITLES for w in words):
        return
    cand.content = (start, q.end)
    cand.source = (q.end + len(between) - len(between.lstrip()), source[1])


#: Most characters between a bare cue clause and the quote it introduces or follows (spaces,
#: a comma, a paragraph break).
ADJACENT_GAP = 3


def _adjacent_quote(cand: Candidate, quotes: list[Quote], text: str) -> None:
    """Give a bare cue (content marked -1) the quote right before or right after it."""
    if cand.cue is None or cand.source is None:  # _bare_rule always sets both
        return
    clause_start = min(cand.cue[0], cand.source[0])
    clause_end = max(cand.cue[1], cand.source[1])
    found = next((q for q in reversed(quotes) if 0 <= clause_start - q.end <= ADJACENT_GAP), None)
    if found is not None and "\n" in text[found.end : clause_start]:
        cand.rule += "+across"  # "“…”\n\nX said": rarely the quote's own cue in PolNeAR
    if found is None:
        found = next((q for q in quotes if 0 <= q.start - clause_end <= ADJACENT_GAP + 1), None)
    if found is None:
        cand.content = (0, 0)
        cand.rule = "unmatched"
        return
    cand.content = (found.start, found.end)
    cand.fragments = list(found.fragments) if len(found.fragments) > 1 else []
    cand.quote = found
