"""Named-entity mentions and their article-local clusters (layer ``entities``, ``clusters``).

spaCy's NER gives mentions; general rules then tidy and group them:

* spans are trimmed of leading determiners and titles ("the", "Mr.", "former President"), of a
  trailing lower-case function word ("Thompson in") and of
  trailing possessives ("’s"), so each span's surface is the bare name;
* mentions are grouped into clusters: identical names; partial names ("Smith", "Al Rashid") with
  the most recent full name that contains them as contiguous words; full names whose surnames
  match and whose other words are spelling variants ("Mohamed"/"Mohammed"); acronyms with their
  expansion ("Bureau of X (BX)", or initials equal to a cluster's capitalised words);
* mentions on Title Case lines (headlines), where NER reads every capital as a name, are
  checked against how the running text writes their words and dropped or cut to the names
  (``entities_headlines``: "Calls Bank Workers" goes, "Obama Commutes Sentence" -> "Obama");
* a common word NER glued to a name at a sentence opening is cut off when the article backs
  it (``entities_openers``: "Stubborn Germany: …" -> "Germany");
* obvious NER errors are fixed: the cluster label is the majority label, with PERSON favoured when
  a multi-word full name is tagged PERSON (so a surname tagged LOC becomes PERSON); the dateline
  place is a GPE; names and surnames of PERSON/ORG clusters that NER missed are added as
  ``propagated`` mentions, so every occurrence lands in its cluster.

Everything is per article and roughly linear in the number of mentions; the text scans are a
split into lines (which are Title Case), one regular expression for the headline words (only
when such a line holds a mention) and one for propagation.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from presslens.errors import StageError
from presslens.lexicons_entities import (
    ACRONYM_STOPWORDS,
    APPOSITIVE_PERSON_NOUNS,
    DETERMINERS,
    DIGIT_NAME_LABEL,
    ENTITY_LABELS,
    HONORIFICS,
    LEGAL_FORMS,
    NAME_PARTICLES,
    NON_SURNAMES,
    PLACE_PREFIXES,
    PLACE_SUFFIXES,
    POSSESSIVES,
    TIME_ZONE_NAMES,
    TITLES,
    WORD_EDGE_PUNCT,
)
from presslens.model import Article, Cluster, Span
from presslens.nicknames import without_nickname
from presslens.registry import StageFn, stage
from presslens.settings import Settings
from presslens.stages.entities_headlines import (
    CaseEvidence,
    KnownNames,
    headline_name_ranges,
    in_ranges,
    word_keys,
)
from presslens.stages.entities_openers import WordLists, opening_cut, word_lists
from presslens.stages.entities_people import (
    bare_subject,
    coordinated,
    gender_of,
    honorific_before,
    mention_gender,
    person_position,
    place_position,
)
from presslens.text_case import title_case_lines

__all__ = ["EntityOptions", "cluster_entities", "make_entities_stage"]

#: Minimum difflib ratio for two first names to count as spelling variants. Hand-set for v1:
#: "Mohamed"/"Mohammed" 0.93, "Mohamed"/"Mohammad" 0.80, "Mohammed"/"Mahmoud" 0.53.
VARIANT_MIN_RATIO = 0.7
#: Share of a parenthesised acronym's letters that must be initials of the name before it.
#: Hand-set: letters may be reordered (acronyms often come from another language's word order).
ACRONYM_MIN_OVERLAP = 0.75
#: Longest acronym considered, in letters.
ACRONYM_MAX_LETTERS = 8
#: Shortest surname propagated on its own (shorter ones are too often ordinary words).
SURNAME_MIN_CHARS = 3
#: Labels spaCy confuses with PERSON on bare surnames; such mentions may join a PERSON cluster.
PERSON_CONFUSABLE = frozenset({"PERSON", "ORG", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})
#: Labels a bare surname also gets ("Halloran" GPE) but that name real places and peoples, so
#: it joins a person only when no mention stands where a place does (``entities_people``);
#: a NORP one must also stand once where a person does ("Strand said") or be a verb's bare
#: singular subject ("Klitschko bombed Thompson": a people's name is plural or follows
#: "the" there, "Americans voted", "the American won").
PLACE_CONFUSABLE = frozenset({"GPE", "NORP"})
#: Parts of speech of a lower-case last word NER left on a name ("Thompson in", "Priorities USA
#: Action and Correct the"): trimmed off.
TRAILING_FUNCTION_POS = frozenset({"ADP", "CCONJ", "DET", "SCONJ", "PART"})
#: Words (legal forms aside) a longer organisation or place name may add after a shorter one
#: for the shorter to stand for it. On ECB+ (twenty-fifth session) the joins with two or more
#: were nearly all of a parent to its unit ("NBA" and "NBA Draft Advisory Committee", a town
#: and its police department); with one, mostly the short form ("Interior Department").
PREFIX_MAX_EXTRA_WORDS = 1
#: A mention cut from an NER span on a Title Case line keeps a vote on its cluster's label
#: only when it keeps more than this share of the span's words: NER labelled the whole span
#: ("Lindsay Lohan Checks" PERSON votes for "Lindsay Lohan"; "Palermo" cut from a
#: 17-word ORG does not). Hand-set: it undid label changes on running-text mentions of the
#: audit corpus that never voting caused ("Lohan" turning GPE; README, Title Case headlines).
CUT_VOTE_SHARE = 0.5
#: Cluster labels whose names and surnames are propagated to mentions NER missed.
PROPAGATED_LABELS = frozenset({"PERSON", "ORG"})

_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Za-z&.]{0,12}[A-Z]\.?)\s*\)")
_BRACKETS = frozenset("()[]{}")


@dataclass(frozen=True)
class EntityOptions:
    """Options of :func:`cluster_entities` (the stage's config options, same names)."""

    propagate: bool = True
    variant_min_ratio: float = field(default=VARIANT_MIN_RATIO, metadata={"range": (0.0, 1.0)})
    acronym_min_overlap: float = field(default=ACRONYM_MIN_OVERLAP, metadata={"range": (0.0, 1.0)})


@stage(
    "presslens.entities.v1",
    requires=("doc", "sentences", "datelines"),
    assigns=("entities", "clusters"),
)
def make_entities_stage(settings: Settings, **options: Any) -> StageFn:
    """Entity mentions from spaCy NER, trimmed, clustered per article and label-corrected."""
    opts = EntityOptions(**options)

    def run(articles: list[Article]) -> list[Article]:
        words = word_lists(settings.spacy_model) if articles else None
        for art in articles:
            cluster_entities(art, options=opts, words=words)
        return articles

    return run


# -- mentions --------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    label: str  # the label NER (or a fixing rule) gave this mention
    source: str  # ner | propagated | dateline
    words: tuple[str, ...]  # case-folded words of the surface
    ner_label: str = ""  # the label NER gave, when it made this mention
    fixed: bool = False  # label set by a rule that voting may not override (dateline place)
    after_determiner: bool = False  # NER span began with "the" directly before the name
    cut: bool = False  # cut from an NER span (Title Case line, opening word): weak label


@dataclass
class _Group:
    """A cluster under construction."""

    mentions: list[_Mention] = field(default_factory=list)
    label: str = ""


def _words(surface: str) -> tuple[str, ...]:
    return tuple(w.strip(WORD_EDGE_PUNCT).casefold() for w in surface.split() if w.strip("-"))


def _is_cap(text: str) -> bool:
    return text[:1].isupper()


def _segments(ent: Any) -> list[list[Any]]:
    """The token runs of a spaCy entity that can each be a name.

    An entity running across a line break is two things glued together: the longer part is
    kept. Brackets separate names too: spaCy often returns "Name (ACR" as one entity.
    """
    toks = list(ent)
    if any(t.is_space and "\n" in t.text for t in toks):
        lines: list[list[Any]] = [[]]
        for t in toks:
            if t.is_space and "\n" in t.text:
                lines.append([])
            else:
                lines[-1].append(t)
        toks = max(lines, key=lambda p: sum(len(t.text) for t in p))
    parts: list[list[Any]] = [[]]
    for t in toks:
        if t.text in _BRACKETS:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _trim(toks: list[Any], label: str, text: str) -> tuple[int, int, bool] | None:
    """Character range of the bare name in a token run, or None if nothing is left.

    Drops leading determiners and titles and trailing possessives, punctuation and lower-case
    function words. Returns
    ``(start, end, after_determiner)``. ``text`` is the article text (``Doc.text`` would
    rebuild it from the tokens on every access).
    """
    toks = list(toks)
    after_det = False
    while toks:
        t = toks[0]
        low = t.lower_.rstrip(".")
        nxt = toks[1] if len(toks) > 1 else None
        if t.is_space or t.is_punct:
            toks.pop(0)
        elif nxt is not None and low in DETERMINERS and (t.is_lower or t.is_sent_start):
            toks.pop(0)
            after_det = True
        elif (
            nxt is not None
            and (low in HONORIFICS or (label == "PERSON" and low in TITLES))
            and (_is_cap(nxt.text) or nxt.is_punct)
        ):
            toks.pop(0)
            after_det = False  # "the former Emir X": the determiner belonged to the title
        else:
            break
    while toks and (
        toks[-1].is_space
        or toks[-1].is_punct
        or toks[-1].lower_ in POSSESSIVES
        # no name ends in a lower-case function word: NER glued "Thompson in" ("… stopping
        # challenger Tony Thompson in the sixth round"), "Correct the"
        or (len(toks) > 1 and toks[-1].is_lower and toks[-1].pos_ in TRAILING_FUNCTION_POS)
    ):
        toks.pop()
    if not toks:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if text[end - 2 : end] in ("'s", "’s") and end - 2 > start:
        end -= 2
    if not any(c.isalpha() for c in text[start:end]):
        return None
    return start, end, after_det


def _ner_mentions(art: Article) -> list[_Mention]:
    out: list[_Mention] = []
    for ent in art._doc.ents:
        label = ent.label_
        if label not in ENTITY_LABELS:
            continue
        for seg in _segments(ent):
            trimmed = _trim(seg, label, art.text)
            if trimmed is None:
                continue
            start, end, after_det = trimmed
            if art.text[start:end] in TIME_ZONE_NAMES:
                continue  # "10.30 GMT": a time zone, not an organisation
            words = _words(art.text[start:end])
            if words:
                fixed_label = (
                    _not_a_person(art.text[start:end], words) if label == "PERSON" else None
                )
                out.append(
                    _Mention(
                        start,
                        end,
                        fixed_label or label,
                        "ner",
                        words,
                        label,
                        after_determiner=after_det,
                    )
                )
    return out


def _check_title_case_lines(
    art: Article, mentions: list[_Mention], lines: list[tuple[int, int]]
) -> list[_Mention]:
    """Drop or cut NER mentions on Title Case lines that the running text does not back
    as names (rules in :mod:`presslens.stages.entities_headlines`)."""
    if not lines:
        return mentions
    on_line = [in_ranges(m.start, lines) for m in mentions]
    if not any(on_line):
        return mentions
    text = art.text
    names = KnownNames.of(
        (m.words, m.label) for m, on in zip(mentions, on_line, strict=True) if not on
    )
    keys = (
        key for m, on in zip(mentions, on_line, strict=True) if on for key in word_keys(text, m)
    )
    evidence = CaseEvidence.of(text, art._doc, lines, keys)
    out: list[_Mention] = []
    for m, on in zip(mentions, on_line, strict=True):
        if not on:
            out.append(m)
            continue
        for s, e in headline_name_ranges(text, m.start, m.end, m.ner_label, names, evidence):
            if (s, e) == (m.start, m.end):
                out.append(m)
                continue
            words = _words(text[s:e])
            fixed = _not_a_person(text[s:e], words) if m.ner_label == "PERSON" else None
            weak = len(words) <= CUT_VOTE_SHARE * len(m.words)
            out.append(_Mention(s, e, fixed or m.ner_label, "ner", words, m.ner_label, cut=weak))
    return out


def _cut_opening_words(text: str, mentions: list[_Mention], words: WordLists) -> list[_Mention]:
    """Cut mentions such as "Stubborn Germany" to the name after their opening word (rules in
    :mod:`presslens.stages.entities_openers`)."""
    alone = {m.words for m in mentions if m.source == "ner"}

    def known_alone(surface: str) -> bool:
        return _words(surface) in alone

    for m in mentions:
        if m.source != "ner" or len(m.words) < 2:
            continue
        cut = opening_cut(text, m.start, m.end, m.ner_label == "PERSON", known_alone, words)
        if cut is not None:
            # NER labelled the glued span ("Without California" WORK_OF_ART): a weak vote
            m.after_determiner = text[m.start : cut].strip().casefold() in DETERMINERS
            m.start, m.words, m.cut = cut, _words(text[cut : m.end]), True
    return mentions


def _not_a_person(surface: str, words: tuple[str, ...]) -> str | None:
    """The label a PERSON mention should have when its words say it is no person, else None."""
    if any(c.isdigit() for c in surface):
        return DIGIT_NAME_LABEL
    if len(words) > 1:
        return PLACE_SUFFIXES.get(words[-1]) or PLACE_PREFIXES.get(words[0])
    return None


def _apply_datelines(art: Article, mentions: list[_Mention]) -> list[_Mention]:
    """The dateline place is a GPE: fix the mention NER made of it, or add one."""
    for dl in art.layer("datelines"):
        place = dl.attrs.get("place")
        if not isinstance(place, str) or not place.strip():
            continue
        place = place.strip()
        at = art.text.find(place, dl.start, max(dl.end, dl.start + len(place)))
        if at < 0:
            continue
        p_start, p_end = at, at + len(place)
        hit = [m for m in mentions if m.start < p_end and p_start < m.end]
        for m in hit:
            m.label, m.fixed = "GPE", True
        if not hit:
            m = _Mention(p_start, p_end, "GPE", "dateline", _words(place), fixed=True)
            mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    return mentions


# -- form relations --------------------------------------------------------------------------


def _contains(full: tuple[str, ...], part: tuple[str, ...]) -> int:
    """-1 if ``part`` is not a contiguous word run of ``full``; else 1 if a suffix, 0 if not."""
    n, k = len(full), len(part)
    if k >= n:
        return -1
    if full[n - k :] == part:
        return 1
    for i in range(n - k):
        if full[i : i + k] == part:
            return 0
    return -1


@dataclass
class _Form:
    words: tuple[str, ...]
    mentions: list[_Mention]
    labels: Counter[str]

    @property
    def person_tagged(self) -> bool:
        return self.labels["PERSON"] > 0

    @property
    def fixed(self) -> bool:
        return any(m.fixed for m in self.mentions)

    place_like: bool = False  # a mention stands where a place does ("in X", "X officials")
    person_like: bool = False  # a mention stands where a person does ("X said", "Mr X")
    bare_subject: bool = False  # a mention is a verb's subject, singular, without "the"
    headline_only: bool = False  # every mention is on a Title Case line
    #: the words without a quoted nickname ("Vincent 'The Chin' Gigante": vincent gigante)
    bare_words: tuple[str, ...] = ()


def _partial_of(part: _Form, full: _Form) -> bool:
    """Whether ``part`` may stand for ``full`` (a surname, a shortened name, the name without
    its quoted nickname)."""
    if full.bare_words and part.words == full.bare_words and part.labels.keys() & full.labels:
        return True
    where = _contains(full.words, part.words)
    if where < 0 or part.fixed:
        return False
    if len(part.words) == 1 and part.words[0] in NAME_PARTICLES:
        return False
    if full.person_tagged and len(full.words) > 1 and not full.fixed:
        # A surname may have been mis-tagged (LOC, ORG…); a first name only joins when tagged.
        if part.person_tagged:
            return True
        if where != 1:
            return False
        if any(lab in PERSON_CONFUSABLE for lab in part.labels):
            return True
        if part.place_like or not set(part.labels) <= PLACE_CONFUSABLE:
            return False
        if any(w.endswith(("'s", "’s")) for w in full.words[:-1]):
            return False  # "Donald Trump’s America" is no person's name
        return "NORP" not in part.labels or part.person_like or part.bare_subject
    if where == 0 and full.words[: len(part.words)] == part.words and not full.headline_only:
        # a name's first words are its short form when one more word at most follows them
        # ("Kraft" of "Kraft Foods", "Microsoft" of "Microsoft Corp.") or they are the head
        # of an "X of Y" or "X for Y" name ("the Academy" of the Academy of Motion Picture
        # Arts and Sciences, "the Brennan Center" for Justice); more words name a part of it
        # ("Microsoft Security Response Center", "Woodburn Police Department", "AMA Board of
        # Trustees"). Not on a headline, where NER glues verbs to names ("Colts Beat Chiefs")
        rest = [w for w in full.words[len(part.words) :] if w not in LEGAL_FORMS]
        if len(rest) > PREFIX_MAX_EXTRA_WORDS and rest[0] not in ("of", "for"):
            return False
    return bool(set(part.labels) & set(full.labels))


def _initials(surfaces: list[str]) -> str:
    """Initials of the capitalised words of a name (its most common surface)."""
    surface = Counter(surfaces).most_common(1)[0][0]
    return "".join(w[0] for w in surface.split() if _is_cap(w) and w.casefold() not in {"the"})


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# -- clustering ------------------------------------------------------------------------------


def cluster_entities(
    article: Article,
    *,
    options: EntityOptions = EntityOptions(),
    words: WordLists | None = None,
) -> Article:
    """Set ``layers["entities"]`` and ``clusters`` from ``article._doc`` (see module docs).

    ``words`` (the spaCy model's word lists) lets mentions glued to a common word opening
    their sentence be cut to the name; without it they stay as NER found them."""
    if article._doc is None:
        raise StageError(
            "the entities stage needs the spaCy Doc, but article._doc is not set",
            where=article.source or article.id,
            hint="Run presslens.spacy.v1 before presslens.entities.v1 in the pipeline.",
        )
    text = article.text
    headlines = title_case_lines(text)
    mentions = _check_title_case_lines(article, _ner_mentions(article), headlines)
    if words is not None:
        mentions = _cut_opening_words(text, mentions, words)
        mentions = [m for m in mentions if not _portfolio(text, m, words)]
    mentions = _apply_datelines(article, mentions)
    _honorific_people(text, mentions)
    _appositive_people(text, article._doc, mentions)
    mentions = _add_parenthesised_acronyms(text, mentions, options)
    mentions = _add_acronym_expansions(text, mentions)

    forms: dict[tuple[str, ...], _Form] = {}
    for m in mentions:
        f = forms.setdefault(m.words, _Form(m.words, [], Counter()))
        f.mentions.append(m)
        f.labels[m.label] += 1
    for f in forms.values():
        strong = [m.label for m in f.mentions if not m.cut]
        if len(strong) < len(f.mentions) and strong:
            f.labels = Counter(strong)  # a weak cut label must not steer partial matching
    doc = article._doc
    for f in forms.values():
        f.headline_only = bool(headlines) and all(in_ranges(m.start, headlines) for m in f.mentions)
        first = f.mentions[0]
        bare = _words(without_nickname(text[first.start : first.end]))
        f.bare_words = bare if bare != f.words else ()
        if len(f.words) == 1 and set(f.labels) & PLACE_CONFUSABLE:
            f.place_like = any(place_position(text, doc, m.start, m.end) for m in f.mentions)
            f.person_like = any(person_position(text, doc, m.start, m.end) for m in f.mentions)
            f.bare_subject = any(bare_subject(doc, m.start, m.end) for m in f.mentions)
    _place_tagged_people(text, doc, forms)
    form_list = sorted(forms.values(), key=lambda f: (-len(f.words), f.mentions[0].start))

    # Longer forms containing each word, to find the forms a partial one may stand for.
    by_word: dict[str, list[_Form]] = {}
    for f in form_list:
        for w in set(f.words):
            by_word.setdefault(w, []).append(f)
    partial_of: dict[tuple[str, ...], list[_Form]] = {}
    full: list[_Form] = []
    for f in form_list:
        cands: dict[tuple[str, ...], _Form] = {}
        for g in by_word.get(f.words[0], []):
            if _partial_of(f, g):
                # A longer partial form was resolved before (longest first): use its full forms.
                for h in partial_of.get(g.words, [g]):
                    cands[h.words] = h
        if cands:
            partial_of[f.words] = list(cands.values())
        else:
            full.append(f)

    index = {f.words: i for i, f in enumerate(full)}
    uf = _UnionFind(len(full))
    _join_spelling_variants(text, doc, mentions, full, uf, options)
    _join_acronyms(text, full, index, uf, options)

    groups: dict[int, _Group] = {}
    for i, f in enumerate(full):
        groups.setdefault(uf.find(i), _Group()).mentions.extend(f.mentions)
    group_of_form = {f.words: uf.find(i) for i, f in enumerate(full)}
    _assign_partials(text, mentions, partial_of, group_of_form, groups)

    for grp in groups.values():
        grp.label = _vote(grp.mentions)
    if options.propagate:
        mentions = _propagate(text, mentions, groups, headlines)
    return _write(article, mentions, groups, headlines)


#: Labels NER gives a person's name that an honorific before it corrects.
HONORIFIC_FIXES = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})


#: Titles only a person bears, whatever NER tagged the name after them ("PM Modi" was an ORG).
PERSON_TITLES = frozenset({"pm", "cm", "shri", "smt", "shrimati"})
_LAST_WORD = re.compile(r"(\w+)\.?\s+$")


def _word_before(text: str, start: int) -> str:
    m = _LAST_WORD.search(text, max(0, start - 20), start)
    return m.group(1).casefold() if m else ""


def _honorific_people(text: str, mentions: list[_Mention]) -> None:
    """A name right after a gendered honorific is a person's, whatever NER tagged it
    ("Baroness Smith of Basildon" was an organisation, "Mrs Badenoch" can be a place)."""
    for m in mentions:
        if (
            m.label in HONORIFIC_FIXES
            and not m.fixed
            and (honorific_before(text, m.start) or _word_before(text, m.start) in PERSON_TITLES)
        ):
            m.label = "PERSON"


#: Government titles a portfolio word stands before ("Transport Minister", "Home Secretary").
PORTFOLIO_TITLES = re.compile(r"\s+(?:minister|secretary|commissioner)\b", re.IGNORECASE)


def _portfolio(text: str, m: _Mention, words: WordLists) -> bool:
    """A one-word organisation that is a common noun or adjective before a government title is
    the title's portfolio, not an organisation: NER tags "Defence" in "Defence Secretary Ben
    Wallace" an ORG. Names ("Microsoft spokesman"), places ("Missouri Secretary of State",
    whose name the model's word lists hold too) and other titles stay."""
    if len(m.words) != 1 or m.label != "ORG" or not PORTFOLIO_TITLES.match(text, m.end):
        return False
    low = m.words[0]
    return text[m.start : m.end].istitle() and (low in words.nouns or low in words.adjectives)


def _appositive_people(text: str, doc: Any, mentions: list[_Mention]) -> None:
    """A name whose appositive is headed by a noun only a person is ("Tomasz Ebeling, a naval
    engineer at the University of Lindholm", "Jane Roe, the company's spokeswoman") is a
    person's, whatever NER tagged it. Read from the parse (the noun's arc is ``appos`` to a word
    of the name); a Doc without a parse changes nothing."""
    if doc is None or not doc.has_annotation("DEP"):
        return
    for m in mentions:
        if m.label not in HONORIFIC_FIXES or m.fixed:
            continue
        if m.label in ("GPE", "LOC") and place_position(text, doc, m.start, m.end):
            continue  # "In Santa Catarina, a worker named …": the parse hung the worker on it
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            person = [
                c
                for c in tok.children
                if c.dep_ == "appos"
                and c.i >= span.end
                and c.lower_ in APPOSITIVE_PERSON_NOUNS
                and not c.ent_type_  # "X, Reuters": a second name, not a description
            ]
            if person:
                m.label = "PERSON"
                break


def _place_tagged_people(text: str, doc: Any, forms: dict[tuple[str, ...], _Form]) -> None:
    """A full name NER tagged a place or nationality ("The Conservative leader, Kemi Badenoch,
    said") is a person's when its surname alone is one ("Mrs Badenoch added": tagged PERSON and
    after an honorific or before "said") and no mention of the full name stands where a place
    does ("in X", "X officials"); its mentions become PERSON, so the surname joins it."""
    people = {
        f.words[0]
        for f in forms.values()
        if len(f.words) == 1
        and f.person_tagged
        and any(person_position(text, doc, m.start, m.end) for m in f.mentions)
    }
    if not people:
        return
    for f in forms.values():
        if (
            1 < len(f.words) <= 3
            and f.words[-1] in people
            and not f.person_tagged
            and not f.fixed
            and set(f.labels) <= PLACE_CONFUSABLE
            and not any(place_position(text, doc, m.start, m.end) for m in f.mentions)
        ):
            for m in f.mentions:
                m.label = "PERSON"
            f.labels = Counter({"PERSON": len(f.mentions)})


def _add_parenthesised_acronyms(
    text: str, mentions: list[_Mention], options: EntityOptions
) -> list[_Mention]:
    """Add "(ACRONYM)" right after a multi-word name as a mention when NER missed it."""
    starts = {m.start for m in mentions}
    added: list[_Mention] = []
    for m in mentions:
        if len(m.words) < 2 or m.label == "PERSON":
            continue
        hit = _ACRONYM_AFTER.match(text, m.end)
        if not hit:
            continue
        acro = hit.group(1)
        if _acronym_overlap(acro, m.words) < options.acronym_min_overlap:
            continue
        if hit.start(1) not in starts:
            words = _words(acro)
            added.append(_Mention(hit.start(1), hit.end(1), m.label, "propagated", words))
    if added:
        mentions = sorted(mentions + added, key=lambda m: m.start)
    return mentions


#: Capitalised words (function words allowed between them) right before " (ACRONYM)".
_NAME_BEFORE_ACRONYM = re.compile(
    r"((?:[A-Z][\w'’&-]*\s+(?:(?:of|for|and|the|on|in|de|du|des|la|le)\s+)*)*[A-Z][\w'’&-]*)"
    r"\s*\(\s*$"
)


def _add_acronym_expansions(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Add the name before "(ACRONYM)" when NER found the acronym but not the name: "The
    Calder Bay Port Authority (CBPA)" gave NER only "CBPA". The name is the run of capitalised
    words right before the bracket whose initials are exactly the acronym's letters; mentions
    NER made inside it ("Calder Bay") give way to it, one crossing its edge keeps it out."""
    added: list[_Mention] = []
    dropped: set[int] = set()
    for m in mentions:
        letters = text[m.start : m.end].replace(".", "").replace("&", "")
        acronym = 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()
        if m.label != "ORG" or not acronym or not text[: m.start].rstrip().endswith("("):
            continue
        before = _NAME_BEFORE_ACRONYM.search(text, max(0, m.start - 120), m.start)
        if before is None:
            continue
        words = before.group(1).split()
        while words and words[0].casefold() in DETERMINERS:
            words = words[1:]  # "The Calder Bay …": the article is no part of the name
        capitals = [w for w in words if w[0].isupper()]
        if len(capitals) < 2 or "".join(w[0] for w in capitals) != letters:
            continue
        start = text.rindex(words[0], before.start(1), before.end(1))
        end = before.end(1)
        inside = [k for k, o in enumerate(mentions) if start < o.end and o.start < end]
        if any(mentions[k].start < start or mentions[k].end > end for k in inside) or any(
            mentions[k].label == "PERSON" or mentions[k].words == _words(text[start:end])
            for k in inside
        ):
            continue  # NER found the name itself, a person, or a mention crossing its edge
        dropped.update(inside)
        added.append(_Mention(start, end, "ORG", "propagated", _words(text[start:end])))
    if added:
        kept = [o for k, o in enumerate(mentions) if k not in dropped]
        mentions = sorted(kept + added, key=lambda o: o.start)
    return mentions


def _acronym_overlap(acro: str, words: tuple[str, ...]) -> float:
    """Share of the acronym's letters that are initials of the words (order ignored)."""
    letters = [c for c in acro.upper() if c.isalpha()]
    if not 2 <= len(letters) <= ACRONYM_MAX_LETTERS:
        return 0.0
    initials = Counter(w[0].upper() for w in words if w and w not in ACRONYM_STOPWORDS)
    found = 0
    for c in letters:
        if initials[c] > 0:
            initials[c] -= 1
            found += 1
    return found / len(letters)


def _join_spelling_variants(
    text: str,
    doc: Any,
    mentions: list[_Mention],
    full: list[_Form],
    uf: _UnionFind,
    options: EntityOptions,
) -> None:
    """Same surname and same length, other words spelling variants: one person — unless the
    article sets the two apart (coordinated in one sentence, or opposite genders; see
    :mod:`presslens.stages.entities_people`), also through a third spelling."""
    by_surname: dict[tuple[str, int], list[int]] = {}
    for i, f in enumerate(full):
        if len(f.words) > 1 and f.person_tagged and not f.fixed:
            by_surname.setdefault((f.words[-1], len(f.words)), []).append(i)
    for idxs in by_surname.values():
        pairs_to_join = []
        for a_pos, a in enumerate(idxs):
            for b in idxs[a_pos + 1 :]:
                pairs = zip(full[a].words[:-1], full[b].words[:-1], strict=True)
                if all(
                    x == y or SequenceMatcher(None, x, y).ratio() >= options.variant_min_ratio
                    for x, y in pairs
                ):
                    pairs_to_join.append((a, b))
        if not pairs_to_join:
            continue
        ranges = [(m.start, m.end) for m in mentions]
        apart = {
            (a, b)
            for a, b in pairs_to_join
            if _different_people(text, doc, ranges, full[a], full[b])
        }
        members = {i: {i} for i in idxs}
        for a, b in pairs_to_join:
            ra, rb = uf.find(a), uf.find(b)
            if ra == rb or (a, b) in apart:
                continue
            both = members[ra] | members[rb]
            if any((x, y) in apart for x in both for y in both):
                continue  # a third spelling must not bridge two people
            uf.union(a, b)
            members[uf.find(a)] = both


def _different_people(
    text: str, doc: Any, ranges: list[tuple[int, int]], a: _Form, b: _Form
) -> bool:
    """Whether the article shows two spellings name two people: coordinated in one sentence,
    or given opposite genders."""
    for ma in a.mentions:
        for mb in b.mentions:
            if coordinated(text, doc, (ma.start, ma.end), (mb.start, mb.end), ranges):
                return True
    ga = gender_of(mention_gender(text, m.start, m.end) for m in a.mentions)
    gb = gender_of(mention_gender(text, m.start, m.end) for m in b.mentions)
    return ga is not None and gb is not None and ga != gb


def _join_acronyms(
    text: str,
    full: list[_Form],
    index: dict[tuple[str, ...], int],
    uf: _UnionFind,
    options: EntityOptions,
) -> None:
    """Link acronyms to expansions: "Name (ACR)" next to each other, or ACR == initials."""
    for i, f in enumerate(full):
        if len(f.words) < 2 or (f.person_tagged and len(f.labels) == 1):
            continue
        for m in f.mentions:
            hit = _ACRONYM_AFTER.match(text, m.end)
            if hit and _acronym_overlap(hit.group(1), f.words) >= options.acronym_min_overlap:
                j = index.get(_words(hit.group(1)))
                if j is not None:
                    uf.union(i, j)
    by_initials: dict[str, list[int]] = {}
    for i, f in enumerate(full):
        if len(f.words) > 1 and not (f.person_tagged and len(f.labels) == 1):
            surfaces = [text[m.start : m.end] for m in f.mentions]
            ini = _initials(surfaces)
            if len(ini) >= 2:
                by_initials.setdefault(ini, []).append(i)
    for i, f in enumerate(full):
        if len(f.words) != 1:
            continue
        surface = text[f.mentions[0].start : f.mentions[0].end].replace(".", "")
        if 2 <= len(surface) <= ACRONYM_MAX_LETTERS and surface.isupper():
            for j in by_initials.get(surface, []):
                if set(full[j].labels) & set(f.labels):
                    uf.union(i, j)


def _assign_partials(
    text: str,
    mentions: list[_Mention],
    partial_of: dict[tuple[str, ...], list[_Form]],
    group_of_form: dict[tuple[str, ...], int],
    groups: dict[int, _Group],
) -> None:
    """Each partial mention joins the candidate cluster mentioned most recently before it,
    among those whose gender (honorifics, role nouns) does not contradict its own ("Mr Marsh"
    skips a Daniela Marsh that the article calls "his sister")."""
    starts = {gid: sorted(m.start for m in g.mentions) for gid, g in groups.items()}
    genders: dict[int, str | None] = {}
    for m in mentions:
        cands = partial_of.get(m.words)
        if not cands:
            continue
        gids = sorted({group_of_form[f.words] for f in cands})
        own = mention_gender(text, m.start, m.end) if len(gids) > 1 else None
        if own is not None:
            for gid in gids:
                if gid not in genders:
                    genders[gid] = gender_of(
                        mention_gender(text, x.start, x.end) for x in groups[gid].mentions
                    )
            agree = [gid for gid in gids if genders[gid] in (None, own)]
            gids = agree or gids
        best = _most_recent(gids, starts, m.start)
        groups[best].mentions.append(m)
        bisect.insort(starts[best], m.start)
        if own is not None:
            genders.pop(best, None)  # its honorific is evidence for later mentions


def _most_recent(gids: list[int], starts: dict[int, list[int]], at: int) -> int:
    """The group with the latest mention before ``at``; else the one mentioned first after."""
    best, best_pos = gids[0], -1
    for gid in gids:
        k = bisect.bisect_left(starts[gid], at)
        if k and starts[gid][k - 1] > best_pos:
            best, best_pos = gid, starts[gid][k - 1]
    if best_pos < 0:
        best = min(gids, key=lambda gid: starts[gid][0] if starts[gid] else 1 << 62)
    return best


def _vote(mentions: list[_Mention]) -> str:
    """Cluster label: a fixed label wins; else PERSON for a tagged full name; else majority."""
    fixed = [m.label for m in mentions if m.fixed]
    if fixed:
        return Counter(fixed).most_common(1)[0][0]
    ner = [m for m in mentions if m.source == "ner" and not m.cut] or mentions
    determined = sum(m.after_determiner for m in ner)
    if not determined and any(m.label == "PERSON" and len(m.words) > 1 for m in ner):
        return "PERSON"
    votes = Counter(m.label for m in ner)
    top = max(votes.values())
    tied = [lab for lab, n in votes.items() if n == top]
    if len(tied) > 1 and "PERSON" in tied:
        # "the X" is rarely a person; otherwise a tie goes to PERSON (surnames are mis-tagged).
        if determined:
            tied.remove("PERSON")
        else:
            return "PERSON"
    first = next(m.label for m in ner if m.label in tied)
    return first


# -- propagation -----------------------------------------------------------------------------


def _propagate(
    text: str,
    mentions: list[_Mention],
    groups: dict[int, _Group],
    headlines: list[tuple[int, int]],
) -> list[_Mention]:
    """Add occurrences of PERSON/ORG names (and PERSON surnames) that NER missed; not of
    names found only on Title Case lines, whose capitals prove nothing."""
    targets: dict[str, set[int]] = {}
    for gid, g in groups.items():
        if g.label not in PROPAGATED_LABELS:
            continue
        if headlines and all(in_ranges(m.start, headlines) for m in g.mentions):
            continue
        for m in g.mentions:
            surface = text[m.start : m.end]
            if _is_cap(surface) and len(surface) >= SURNAME_MIN_CHARS:
                targets.setdefault(surface, set()).add(gid)
        if g.label == "PERSON":
            for surname in _surnames(text, g):
                targets.setdefault(surname, set()).add(gid)
    if not targets:
        return mentions
    alternation = "|".join(re.escape(t) for t in sorted(targets, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    spans = sorted((m.start, m.end) for m in mentions)
    span_starts = [s for s, _ in spans]
    starts = {gid: sorted(m.start for m in g.mentions) for gid, g in groups.items()}
    longer = _longer_name_spans(text, mentions)
    added: list[_Mention] = []
    for hit in pattern.finditer(text):
        s, e = hit.span()
        k = bisect.bisect_right(span_starts, s)
        if (k and spans[k - 1][1] > s) or (k < len(spans) and spans[k][0] < e):
            continue  # overlaps a mention NER found
        if any(lo <= s and e <= hi and (lo, hi) != (s, e) for lo, hi in longer):
            continue  # part of a longer name the article writes elsewhere ("Port Merrow")
        gids = sorted(targets[hit.group()])
        gid = _most_recent(gids, starts, s)
        g = groups[gid]
        m = _Mention(s, e, g.label, "propagated", _words(hit.group()))
        g.mentions.append(m)
        added.append(m)
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def _longer_name_spans(text: str, mentions: list[_Mention]) -> list[tuple[int, int]]:
    """Every occurrence of a multi-word name NER found somewhere in the article: a word of it
    propagated on its own there would split the name ("The Port Merrow city council" is no
    person "Merrow" after "Port")."""
    names = {text[m.start : m.end] for m in mentions if len(m.words) > 1}
    if not names:
        return []
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return [h.span() for h in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text)]


def _surnames(text: str, g: _Group) -> set[str]:
    """Surnames of a person cluster: the last word of its multi-word names (with particles)."""
    out: set[str] = set()
    for m in g.mentions:
        if len(m.words) < 2:
            continue
        parts = text[m.start : m.end].split()
        k = len(parts) - 1
        while k > 1 and parts[k - 1].casefold().rstrip("-") in NAME_PARTICLES:
            k -= 1  # "Hassan Al Rashid" -> "Al Rashid" as well as "Rashid"
        for cand in {" ".join(parts[k:]), parts[-1]}:
            low = cand.casefold()
            if (
                _is_cap(cand)
                and len(cand) >= SURNAME_MIN_CHARS
                and low not in NON_SURNAMES
                and low not in NAME_PARTICLES
                and low not in TITLES
            ):
                out.add(cand)
    return out


# -- output ----------------------------------------------------------------------------------


def _write(
    article: Article,
    mentions: list[_Mention],
    groups: dict[int, _Group],
    headlines: list[tuple[int, int]],
) -> Article:
    text = article.text
    gid_of: dict[int, int] = {}
    for gid, g in groups.items():
        for m in g.mentions:
            gid_of[id(m)] = gid
    placed = sorted((m for m in mentions if id(m) in gid_of), key=lambda m: (m.start, m.end))
    order: dict[int, str] = {}
    spans: list[Span] = []
    members: dict[int, list[int]] = {}
    for i, m in enumerate(placed):
        gid = gid_of[id(m)]
        cid = order.setdefault(gid, f"e{len(order) + 1}")
        label = groups[gid].label
        source = m.source
        attrs: dict[str, Any] = {"entity": cid}
        if source == "ner" and m.ner_label != label:
            source = "relabelled"
            attrs["ner_label"] = m.ner_label
        attrs["source"] = source
        spans.append(article.span(m.start, m.end, label, **attrs))
        members.setdefault(gid, []).append(i)
    clusters: list[Cluster] = []
    for gid, cid in order.items():
        idxs = members[gid]
        variants = Counter(spans[i].text for i in idxs)
        clusters.append(
            Cluster(
                id=cid,
                label=groups[gid].label,
                name=_canonical(text, [placed[i] for i in idxs], variants, headlines),
                mentions=idxs,
                variants=dict(variants),
            )
        )
    article.layers["entities"] = spans
    article.clusters = clusters
    return article


def _canonical(
    text: str,
    mentions: list[_Mention],
    variants: Counter[str],
    headlines: list[tuple[int, int]],
) -> str:
    """The longest full form: most words, then most frequent, then longest, then first —
    from running text when the entity occurs there, since in a Title Case headline NER
    takes verbs and nouns into names ("Colts Beat Chiefs" for the Colts)."""
    best = max(
        mentions,
        key=lambda m: (
            not in_ranges(m.start, headlines),
            len(m.words),
            variants[text[m.start : m.end]],
            m.end - m.start,
            -m.start,
        ),
    )
    return text[best.start : best.end]
