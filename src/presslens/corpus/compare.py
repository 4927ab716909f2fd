"""Side-by-side comparison of how each outlet tells one story.

For each outlet (articles without an outlet stand alone, named by their id): whose statements
it carries and how many characters each speaker gets, the numbers it gives, its techniques
profile (the ``techniques`` layer, when the pipeline has it) and genre. Across outlets: numbers
about the same counted thing that disagree, phrases several outlets share (talking points) with
the outlet that used them first, shared quoted terms, and statements about the same entity that
accuse and deny. Near-duplicate articles (syndicated copies) are marked and counted as one
source. Every item carries its article id and ``start``/``end`` offsets.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from presslens.corpus.digest import digest, term_clusters
from presslens.corpus.figures import figure_of, match_figures, name_key, stems
from presslens.corpus.lexicons import (
    ACCUSATION_CUES,
    DENIAL_CUES,
    NEGATORS,
    NUMBER_CLASSES,
    STOPWORDS,
)
from presslens.corpus.names import fold
from presslens.corpus.number_time import story_time, time_of
from presslens.corpus.quote_match import Speaker, quotation_groups
from presslens.corpus.resolve import Resolution, resolve_entities
from presslens.corpus.sentences import sentence_bounds
from presslens.encoder import EncoderMissing
from presslens.lexicons_attribution import (
    FIRST_PRONOUNS,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    RELATIVE_PRONOUNS,
)
from presslens.model import Article, Span

__all__ = [
    "compare_articles",
    "number_class",
    "number_groups",
    "outlet_of",
    "quotations_of",
    "statements",
]

#: Shortest shared phrase, in words (shorter runs are common idiom, not talking points).
PHRASE_MIN_WORDS = 5
#: A shared phrase needs this many words that are not stopwords.
PHRASE_MIN_CONTENT = 2
#: Relative tolerance of an approximate number ("around 500" covers 450–550).
APPROX_TOLERANCE = 0.1
#: A shared run whose characters are more than this share entity names is a name, not a phrase.
MAX_NAME_SHARE = 0.4
#: Most talking points reported per story, longest first.
MAX_PHRASES = 40

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_UPPER_BOUND = {
    "up to",
    "less than",
    "fewer than",
    "under",
    "nearly",
    "almost",
    "at most",
    "as many as",
    "as much as",
}
_LOWER_BOUND = {"at least", "more than", "over", "above", "dozens", "hundreds", "thousands",
                "millions", "several", "some"}  # fmt: skip


def outlet_of(article: Article) -> str:
    """The outlet name, or ``(no outlet) <id>`` so outlet-less articles stand alone."""
    return article.outlet or f"(no outlet) {article.id[:8]}"


def statements(article: Article, resolution: Resolution | None = None) -> list[dict[str, Any]]:
    """The article's attributions as rows: speaker (name and corpus entity id), kind, cue,
    text and offsets, and the corpus entities mentioned inside the statement."""
    names = {c.id: c.name for c in article.clusters}
    cues, sources = article.layer("cues"), article.layer("sources")
    ents = article.layer("entities")
    rows = []
    for i, span in enumerate(article.layer("attributions")):
        sid = span.attrs.get("speaker")
        sid = sid if isinstance(sid, str) else None
        source = _ref(sources, span.attrs.get("source"))
        cue = _ref(cues, span.attrs.get("cue"))
        about = sorted(
            {
                e.attrs["entity"]
                for e in ents
                if span.start <= e.start and e.end <= span.end and e.attrs.get("entity") != sid
            }
        )
        rows.append(
            {
                "article": article.id,
                "index": i,
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "kind": span.attrs.get("kind"),
                "cue": cue.text if cue else None,
                "speaker": names.get(sid or "") or _source_name(source),
                "speaker_cluster": sid,
                "speaker_entity": resolution.entity_of(article.id, sid) if resolution else None,
                "about_clusters": about,
                "about": [
                    eid
                    for c in about
                    if resolution and (eid := resolution.entity_of(article.id, c))
                ],
            }
        )
    return rows


#: Source phrases that name nobody: shown as "unresolved" rather than as a speaker ("he
#: said", "which showed", "this shows"); ``presslens numbers`` reads them the same way.
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | FIRST_PRONOUNS | RELATIVE_PRONOUNS | {"you", "this"}


def _source_name(source: Span | None) -> str:
    if source is None or source.text.casefold() in PRONOUNS:
        return "unresolved"
    return source.text


def _ref(spans: list[Span], index: Any) -> Span | None:
    return spans[index] if isinstance(index, int) and 0 <= index < len(spans) else None


def stance(text: str, cue: str | None) -> str | None:
    """``accusation``, ``denial`` or None from cue and content words; a negator before an
    accusation word makes it a denial ("did not torture")."""
    words = [w.casefold() for w in _WORD.findall(f"{cue or ''} {text}")]
    acc = den = False
    for i, w in enumerate(words):
        negated = any(x in NEGATORS or x.endswith("n't") for x in words[max(0, i - 3) : i])
        if w in DENIAL_CUES:
            acc, den = (True, False) if negated else (acc, True)
        elif w in ACCUSATION_CUES:
            if negated:
                den = True
            else:
                acc = True
    if den:
        return "denial"
    return "accusation" if acc else None


# -- numbers ----------------------------------------------------------------------------------
def _interval(attrs: dict[str, Any]) -> tuple[float, float] | None:
    low, high = attrs.get("low"), attrs.get("high")
    value = attrs.get("value")
    if low is None and high is None and value is None:
        return None
    # a bound missing with no value is open on that side ("low" only: at least that much)
    lo = float(low if low is not None else value if value is not None else 0.0)
    hi = float(high if high is not None else value if value is not None else math.inf)
    approx = (attrs.get("approx") or "").casefold()
    if approx in _LOWER_BOUND:
        hi = math.inf
    elif approx in _UPPER_BOUND:
        lo = 0.0
    elif approx:
        lo, hi = lo * (1 - APPROX_TOLERANCE), hi * (1 + APPROX_TOLERANCE)
    return lo, hi


def _surface(art: Article, ref: Any) -> str:
    if isinstance(ref, list) and len(ref) == 2:
        return art.text[ref[0] : ref[1]]
    return ""


#: Tokens after a number read for the word saying what it counts ("27 people were killed").
CUE_AFTER_WORDS = 4
#: Tokens before a number searched for the cue governing it ("killed 27", "the toll rose to
#: 31"). Twelve reached other clauses' words ("the death penalty … by the three holdouts");
#: a far "death toll from … rose to N" is read from the subject the quantities stage links.
CUE_BEFORE_WORDS = 4
_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
#: Words that end the phrase after a number: what follows belongs to another figure.
_STOP_AFTER = frozenset({",", ";", ":", "(", ")", "and", "or", "but", "while", "whereas", "with"})
#: Words that end the search before a number: what precedes is another clause.
_STOP_BEFORE = frozenset({";", ":", "and", "but", "while", "whereas"})


#: Kinds of numbers never grouped by key: an age belongs to a person ("Alexis Grigoropoulos,
#: 15, was killed" is no count of the dead) and a score or vote ("deadlocked at 9-3") to
#: its contest.
UNKEYED_KINDS = frozenset({"age", "score"})

#: A word right before a number that makes it an age or a time, not a count ("dead at 95").
_AGE_BEFORE = frozenset({"at", "aged", "age"})
#: Verbs whose subject a number amounts to: "the death toll rose to 31", "stood at",
#: "reached", "is 12", "climbed", "hit", "topped".
_TALLY_VERB = re.compile(
    r"(?:ris(?:e|es|en|ing)|rose|reach(?:es|ed|ing)?|climb(?:s|ed|ing)?|st(?:and|ands|ood)"
    r"|is|are|was|were|be|been|hit|hits|top(?:s|ped)?|total(?:s|led|ed)?|increas(?:e|es|ed)"
    r"|jump(?:s|ed)?|grew|grow(?:s|n)?|exceed(?:s|ed)?|surpass(?:es|ed)?|pass(?:es|ed)?"
    r"|mount(?:s|ed)?|swell(?:s|ed)?)$"
)
#: "The number of" (total, tally, count) before what a subject counts: "The number of people
#: killed in the attack rose to 40" is read from "people killed".
_TALLY_OF = re.compile(r"^\s*(?:the\s+)?(?:total\s+)?(?:number|total|tally|count)\s+of\s+")
#: A subject's words up to its first preposition, comma or clause word ("the death toll").
_SUBJECT_HEAD = re.compile(
    r"(?:(?!\b(?:from|of|in|at|on|for|after|since|with|by|who|which|that)\b)[^,;:(])*"
)


#: One pattern per class of NUMBER_CLASSES.
_CLASS_PATTERNS = {
    cls: re.compile("|".join(f"(?:{p})" for p in patterns))
    for cls, patterns in NUMBER_CLASSES.items()
}


def _number_class(text: str) -> str | None:
    """The class of NUMBER_CLASSES whose words ``text`` starts with, if any."""
    for cls, pattern in _CLASS_PATTERNS.items():
        if pattern.match(text):
            return cls
    return None


def _cue_near(art: Article, span: Span, *, after: bool) -> str | None:
    """The class of the cue word nearest to the number in its sentence. ``after``: the words
    right after it (its noun and verb: "52 injured", "27 people were killed", "7 are still
    missing"), up to another figure or a new clause; else the words before it, nearest first
    ("killed 27", "the death toll rose to 31"), back to another figure or clause."""
    lo, hi = sentence_bounds(art, span)
    others = [
        (q.start, q.end)
        for q in art.layer("quantities")
        if lo <= q.start < hi and (q.start, q.end) != (span.start, span.end)
    ]
    if after:
        tokens, stops, limit, edge = (
            _TOKEN.finditer(art.text, span.end, hi),
            _STOP_AFTER,
            CUE_AFTER_WORDS,
            hi,
        )
    else:
        before = list(_TOKEN.finditer(art.text, lo, span.start))
        if before and before[-1].group().casefold() in _AGE_BEFORE:
            return None  # "dead at 95", "killed aged 34": an age, not a count
        tokens = reversed(before)
        stops, limit, edge = _STOP_BEFORE, CUE_BEFORE_WORDS, span.start
    seen = 0
    for m in tokens:
        word = m.group().casefold()
        if word in stops or seen >= limit or any(s <= m.start() < e for s, e in others):
            return None
        seen += word[0].isalnum()
        if cls := _number_class(art.text[m.start() : edge].casefold()):
            return cls
    return None


def number_class(art: Article, span: Span) -> str | None:
    """The class of what a number counts ("dead", "injured", "missing"…), from its counted
    noun ("27 bodies"), else the cue words after it, its predicate, its subject's head words,
    or the words before it (see ``number_key``); None when none names a class."""
    a = span.attrs
    counted = _surface(art, a.get("counted")).casefold()
    predicate = _surface(art, a.get("predicate")).casefold()
    # the subject's own words, before any preposition: "The death toll from Tuesday's ferry
    # collision off the port of Port Merrow rose to at least 12" (too far for the cue scan)
    # only when the number is what the subject amounts to ("rose to", "stood at", "is"):
    # "The December 6 killing … unleashed a wave of unrest by thousands" counts no dead
    subject_words: list[str] = []
    if any(_TALLY_VERB.match(w) for w in predicate.split()):
        subject_text = _TALLY_OF.sub("", _surface(art, a.get("subject")).casefold(), count=1)
        subject = _SUBJECT_HEAD.match(subject_text)
        subject_words = subject.group().split() if subject else []
    return (
        next((c for w in counted.split() if (c := _number_class(w))), None)
        or _cue_near(art, span, after=True)
        or next((c for w in predicate.split() if (c := _number_class(w))), None)
        or next((c for w in subject_words if (c := _number_class(w))), None)
        or _cue_near(art, span, after=False)
    )


#: A number that names a part, read from the words after it: "one of them", "three of the
#: dead", or its noun joined by "and" to another counted noun ("two women and one man");
#: and from the words before it: "a man and two women".
_NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
_PART_AFTER = re.compile(
    r"\s+(?:of\s+(?:them|those|these|the|her|his|their|its|our)\b"
    rf"|[^\W\d_]+\s+and\s+(?:{_NUMBER_WORD}\s+"
    r"(?!(?:were|was|are|is|have|had|has|more|others?|of)\b)[^\W\d_]+"
    r"|an?\s+(?:man|woman|boy|girl|child|baby|teenager|person)\b))",
    re.IGNORECASE,
)
_PART_BEFORE = re.compile(rf"\b(?:an?|{_NUMBER_WORD})\s+[^\W\d_]+\s+and\s*$", re.IGNORECASE)


#: "a city of 500,000 people", "a town of about 15,000", "a population of 2 million": how
#: many live somewhere, never a count of what the story tells.
_POPULATION_BEFORE = re.compile(
    r"\b(?:city|town|village|country|nation|island|province|region|state|community|county"
    r"|district|suburb|population)\s+of\s+(?:about\s+|some\s+|roughly\s+|nearly\s+|around\s+"
    r"|over\s+|almost\s+|more\s+than\s+|just\s+over\s+|just\s+under\s+)?$",
    re.IGNORECASE,
)


def _population(art: Article, span: Span) -> bool:
    """Whether the number is how many live in a place ("a city of 500,000 people")."""
    return _POPULATION_BEFORE.search(art.text, max(0, span.start - 60), span.start) is not None


def _part_of_whole(art: Article, span: Span) -> bool:
    """Whether a number counts a part of a total the sentence gives or implies: a breakdown
    ("two women and one man died", "a man and two women") or a partitive ("one of them").
    Keyed with the total, each part read as a figure that disagrees with it (ECB+ train
    pairs: the commonest false disagreement)."""
    # only a number of a class is keyed with a total ("dead"): a list of seized things ("12
    # magazines and about 300 rounds") is no breakdown, "65 percent of the traffic" no part
    cls = number_class(art, span)
    if cls is None:
        return False
    lo, hi = sentence_bounds(art, span)
    after = _PART_AFTER.match(art.text[span.end : min(hi, span.end + 40)])
    if after and after.group().lstrip().casefold().startswith("of"):
        return True  # a partitive
    window = max(lo, span.start - 30)
    before = _PART_BEFORE.search(art.text[window : span.start])
    if not (after or before):
        return False
    # joined to another number: a breakdown only when both count the same class ("two women
    # and one man died"), not "12 people were killed and one firefighter is missing"; "a
    # man and two women" joins no other number
    others = [q for q in art.layer("quantities") if lo <= q.start < hi and q is not span]
    if after:
        near = [q for q in others if span.end <= q.start <= span.end + after.end()]
    else:
        assert before is not None
        near = [q for q in others if window + before.start() <= q.start < span.start]
    return all(number_class(art, q) == cls for q in near)


def number_key(art: Article, span: Span) -> str | None:
    """What a number counts, as a comparable key: a class ("dead", "injured") from its counted
    noun ("27 bodies") or else the cue word nearest to it (see ``_cue_near``; the predicate the
    quantities stage found comes between the words after and the words before, as a parse can
    attach a number to the wrong verb of a list: "left 52 injured and 27 dead"); otherwise the
    counted noun's lemma and the predicate's stem; plus the unit."""
    a = span.attrs
    unit = a.get("unit") or ""
    if unit in ("year", "month", "day", "hour", "minute", "week") or a.get("timex") is not None:
        return None  # durations are time, not a counted thing
    if span.label in UNKEYED_KINDS or _part_of_whole(art, span) or _population(art, span):
        return None
    counted = _surface(art, a.get("counted")).casefold()
    predicate = _surface(art, a.get("predicate")).casefold()
    cls = number_class(art, span)
    if cls:
        return f"{cls}|{unit}"
    lemma = a.get("counted_lemma") or (counted.split()[-1] if counted else "")
    if not lemma:
        return None
    stem = re.sub(r"(ed|ing|es|s)$", "", predicate.split()[-1]) if predicate else ""
    return f"{lemma} {stem}".strip() + f"|{unit}"


def _numbers(
    art: Article, speakers: Sequence[str], story: tuple[int, int | None] | None = None
) -> list[dict[str, Any]]:
    """The article's numbers as rows; ``cited`` names who the article cites for a number
    inside an attributed statement (or its "according to" sentence), ``None`` otherwise
    (``speakers``: the speaker of each of its statements, as ``statements`` gives them); a
    number its sentence dates before the ``story``'s time (year and month, from
    :func:`number_time.story_time`) is keyed with that time ("dead (2003-12)")."""
    rows = []
    for i, span in enumerate(art.layer("quantities")):
        a = span.attrs
        key = number_key(art, span)
        when = time_of(art, span, story) if key else None
        if key and when:
            thing, _, unit = key.partition("|")
            key = f"{thing} ({when})|{unit}"
        source = a.get("source")
        at = source.get("attribution") if isinstance(source, dict) else None
        cited = speakers[at] if isinstance(at, int) and 0 <= at < len(speakers) else None
        rows.append(
            {
                "article": art.id,
                "index": i,
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "kind": span.label,
                "value": a.get("value"),
                "low": a.get("low"),
                "high": a.get("high"),
                "approx": a.get("approx"),
                "unit": a.get("unit"),
                "counted": _surface(art, a.get("counted")) or None,
                "key": key,
                "source": source,
                "cited": cited,
            }
        )
    return rows


def _number_conflicts(
    by_outlet: dict[str, list[dict[str, Any]]],
    arts: dict[str, Article],
    source_of: dict[str, str],
    resolution: Resolution,
) -> list[dict[str, Any]]:
    """Groups of numbers from two or more outlets about one thing: by exact key, then, among
    the numbers no key paired, by their clauses (``figures``); each says which outlets'
    figures disagree."""
    keyed: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for outlet, rows in by_outlet.items():
        for r in rows:  # in article (publication) order, then text order
            if r["key"]:
                keyed[r["key"]][outlet].append(r)
    out = []
    paired: set[tuple[str, int]] = set()
    for key, outlets in sorted(keyed.items()):
        if len(outlets) < 2:
            continue
        paired.update((r["article"], r["index"]) for rows in outlets.values() for r in rows)
        thing, _, unit = key.partition("|")
        out.append(_group(outlets, arts, key=key, counted=thing, unit=unit or None))
    unpaired = [
        r for rows in by_outlet.values() for r in rows if (r["article"], r["index"]) not in paired
    ]
    out.extend(_clause_groups(unpaired, arts, source_of, resolution))
    out.sort(key=lambda c: (not c["disagree"], c["match"] != "key", c["counted"] or ""))
    return out


def number_groups(
    articles: Sequence[Article], resolution: Resolution | None = None
) -> list[dict[str, Any]]:
    """The numbers of ``articles`` grouped across outlets as ``compare_articles`` groups them,
    for callers without a digested corpus (entities resolved among these articles only)."""
    if resolution is None:
        resolution = resolve_entities([digest(a) for a in articles])
    by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    story = story_time(articles)
    for art in articles:
        speakers = [r["speaker"] for r in statements(art)]
        by_outlet[outlet_of(art)].extend(_numbers(art, speakers, story))
    by_id = {a.id: a for a in articles}
    return _number_conflicts(by_outlet, by_id, {a.id: outlet_of(a) for a in articles}, resolution)


def _clause_groups(
    rows: list[dict[str, Any]],
    arts: dict[str, Article],
    source_of: dict[str, str],
    resolution: Resolution,
) -> list[dict[str, Any]]:
    """Groups of numbers that no key paired but whose clauses say they count one thing."""
    figures = []
    for n, r in enumerate(rows):
        art = arts[r["article"]]
        span = art.layer("quantities")[r["index"]]
        fig = figure_of(
            art,
            span,
            row=n,
            source=source_of[art.id],
            head_class=_head_class(art, span),
            name_of=name_key(functools.partial(resolution.entity_of, art.id)),
            skip=art.layer("sources"),
        )
        if fig is not None:
            figures.append(fig)
    try:
        from presslens.encoder import shared_encoder

        groups = match_figures(figures, shared_encoder().embed)
    except EncoderMissing:
        return []  # the encoder's wheel is a dependency; without it only keys pair numbers
    clause = {f.row: f.shown for f in figures}
    out = []
    for group, least in groups:
        outlets: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for n in group:
            outlets[outlet_of(arts[rows[n]["article"]])].append(rows[n])
        if len(outlets) < 2:
            continue  # near-duplicate copies of one article only
        first = rows[group[0]]
        out.append(
            _group(
                outlets,
                arts,
                key=None,
                counted=first["counted"] or _shared_words([clause[n] for n in group]),
                unit=first["unit"],
                similarity=least,
                clauses={(rows[n]["article"], rows[n]["index"]): clause[n] for n in group},
            )
        )
    return out


def _shared_words(clauses: list[str]) -> str:
    """What a group of amounts is about, for its label: the content words every clause holds
    (as the first one writes them: "libraries, funding"), else its first clause."""
    common = frozenset.intersection(*(stems(c) for c in clauses))
    words = []
    for m in re.finditer(r"[^\W\d_]+", clauses[0]):
        if stems(m.group()) & common and m.group() not in words:
            words.append(m.group())
    return ", ".join(words) or clauses[0]


def _head_class(art: Article, span: Span) -> str | None:
    counted = _surface(art, span.attrs.get("counted")).casefold()
    return next((c for w in counted.split() if (c := _number_class(w))), None)


#: What each number of a group shows.
VALUE_FIELDS = (
    "article", "index", "start", "end", "text", "value", "low", "high", "approx", "cited"
)  # fmt: skip


def _group(
    outlets: dict[str, list[dict[str, Any]]],
    arts: dict[str, Article],
    *,
    key: str | None,
    counted: str | None,
    unit: str | None,
    similarity: float | None = None,
    clauses: dict[tuple[str, int], str] | None = None,
) -> dict[str, Any]:
    """One group's JSON; ``clauses`` (by article and quantity index) makes it a clause match,
    each value then showing the clause it was matched by."""
    pairs = []
    names = sorted(outlets)
    for x, o1 in enumerate(names):
        for o2 in names[x + 1 :]:
            # the first figure each outlet gives is its headline figure
            first = _any_overlap(outlets[o1][:1], outlets[o2][:1], arts)
            if not first or not _any_overlap(outlets[o1], outlets[o2], arts):
                pairs.append([o1, o2])
    group: dict[str, Any] = {
        "key": key,
        "counted": counted,
        "unit": unit or None,
        "match": "key" if clauses is None else "clause",
        "disagree": bool(pairs),
        "disagreeing_outlets": pairs,
        "values": {
            o: [
                {k: r[k] for k in VALUE_FIELDS}
                | ({} if clauses is None else {"clause": clauses[r["article"], r["index"]]})
                for r in rows
            ]
            for o, rows in sorted(outlets.items())
        },
    }
    if clauses is not None:
        group["similarity"] = similarity
    return group


def _any_overlap(
    a: list[dict[str, Any]], b: list[dict[str, Any]], arts: dict[str, Article]
) -> bool:
    for x in a:
        ix = _interval(arts[x["article"]].layer("quantities")[x["index"]].attrs)
        for y in b:
            iy = _interval(arts[y["article"]].layer("quantities")[y["index"]].attrs)
            if ix is None or iy is None or (ix[0] <= iy[1] and iy[0] <= ix[1]):
                return True
    return False


# -- shared phrases ---------------------------------------------------------------------------
def _talking_points(
    arts: Sequence[Article],
    source_of: dict[str, str],
    quotations: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Runs of at least PHRASE_MIN_WORDS words found in articles of two or more sources,
    reported in the article that published them first. Runs inside a quotation several
    outlets print (``quotations``) are left to that group: outlets quoting one speaker do not
    share a phrase with each other. Nor is a run a talking point when it is mostly a name any
    article of the story recognises ("the Seafarers' Union of the Calder Coast")."""
    tokens = {
        a.id: [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(a.text)]
        for a in arts
    }
    n = PHRASE_MIN_WORDS
    where: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for a in arts:
        toks = tokens[a.id]
        for i in range(len(toks) - n + 1):
            gram = tuple(t[2] for t in toks[i : i + n])
            if sum(w not in STOPWORDS for w in gram) >= PHRASE_MIN_CONTENT:
                where[gram].append((a.id, i))
    order = {a.id: k for k, a in enumerate(arts)}
    # per article, the shared grams it published first: start position -> sharing sources
    first_grams: dict[str, dict[int, frozenset[str]]] = defaultdict(dict)
    for occ in where.values():
        sources = frozenset(source_of[aid] for aid, _ in occ)
        if len(sources) < 2:
            continue
        aid, i = min(occ, key=lambda o: (order[o[0]], o[1]))
        first_grams[aid][i] = sources
    # each article as a " w1 w2 … " string, to check that a source holds a whole run
    words = {a.id: " " + " ".join(t[2] for t in tokens[a.id]) + " " for a in arts}
    joined: dict[str, list[str]] = defaultdict(list)
    for a in arts:
        joined[source_of[a.id]].append(words[a.id])
    by_id = {a.id: a for a in arts}
    quoted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for group in quotations:
        for v in group["versions"]:
            quoted[v["article"]].append((v["start"], v["end"]))
    names = _name_patterns(arts)
    points: list[dict[str, Any]] = []
    for aid, grams in first_grams.items():
        art, toks = by_id[aid], tokens[aid]
        runs = [
            (first, last, sources)
            for run_first, run_last, sources in _runs(grams, n, toks, joined)
            for first, last in _unquoted(toks, run_first, run_last, quoted.get(aid, ()), n)
        ]
        for first, last, sources in runs:
            start, end = toks[first][0], toks[last - 1][1]
            opened = art.text.rfind("(", start, end)
            if opened > art.text.rfind(")", start, end):  # "Port Authority (CBPA": cut at "("
                last = 1 + max(
                    (k for k in range(first, last) if toks[k][1] <= opened), default=first
                )
                if last - first < n:
                    continue
                end = toks[last - 1][1]
            if _name_share(art, start, end, names) > MAX_NAME_SHARE:
                continue  # a shared name ("Transport Minister X") is not a talking point
            day = art.published.date if art.published else None
            phrase = " " + " ".join(t[2] for t in toks[first:last]) + " "
            points.append(
                {
                    "text": art.text[start:end],
                    "article": aid,
                    "start": start,
                    "end": end,
                    "first_outlet": outlet_of(art),
                    "first_published": day.isoformat() if day else None,
                    # other sources that printed it on that day: "first" is then only the
                    # order of the articles' ids, not who used it first
                    "same_day": sorted(
                        {
                            source_of[a.id]
                            for a in arts
                            if day is not None
                            and a.published is not None
                            and a.published.date == day
                            and source_of[a.id] != source_of[aid]
                            and source_of[a.id] in sources
                            and phrase in words[a.id]
                        }
                    ),
                    "outlets": sorted(sources),
                    "words": last - first,
                }
            )
    points.sort(key=lambda p: (-len(p["outlets"]), -int(p["words"])))
    return points[:MAX_PHRASES]


def _runs(
    grams: dict[int, frozenset[str]],
    n: int,
    toks: list[tuple[int, int, str]],
    joined: dict[str, list[str]],
) -> list[tuple[int, int, frozenset[str]]]:
    """Token runs ``(first, end, sources)`` of one article: shared grams that overlap or touch
    and are shared by the same sources join into one run, which every one of those sources
    must hold whole; a run some source holds only in pieces is cut where that source's copy
    breaks off, so every source listed wrote every word shown, in that order."""
    out: list[tuple[int, int, frozenset[str]]] = []
    starts = sorted(grams)
    k = 0
    while k < len(starts):
        sources = grams[starts[k]]
        group = [starts[k]]
        while (
            k + len(group) < len(starts)
            and starts[k + len(group)] <= group[-1] + n
            and grams[starts[k + len(group)]] == sources
        ):
            group.append(starts[k + len(group)])
        k += len(group)
        end = group[-1] + n
        first = group[0]
        while first < end:
            # the longest prefix from ``first`` that every source holds (one gram at least)
            stop = end if _held(toks[first:end], sources, joined) else first + n
            while stop < end and _held(toks[first : stop + 1], sources, joined):
                stop += 1
            out.append((first, stop, sources))
            if stop >= end:
                break
            first = next(g for g in group if g + n > stop)  # the next gram reaching past the cut
    return out


def _unquoted(
    toks: list[tuple[int, int, str]],
    first: int,
    last: int,
    quoted: Sequence[tuple[int, int]],
    n: int,
) -> list[tuple[int, int]]:
    """The stretches of at least ``n`` tokens of the run ``first:last`` outside every
    ``quoted`` span."""
    out: list[tuple[int, int]] = []
    begin = first
    for k in range(first, last + 1):
        inside = k < last and any(lo <= toks[k][0] < hi for lo, hi in quoted)
        if k == last or inside:
            if k - begin >= n:
                out.append((begin, k))
            begin = k + 1
    return out


def _held(
    toks: list[tuple[int, int, str]], sources: frozenset[str], joined: dict[str, list[str]]
) -> bool:
    phrase = " " + " ".join(t[2] for t in toks) + " "
    return all(any(phrase in text for text in joined[s]) for s in sources)


def _name_patterns(arts: Sequence[Article]) -> re.Pattern[str] | None:
    """Every entity name of the story's articles, as one pattern: the article a run is
    reported in may have missed a name another article recognised. Names match as written
    (a headline's "Test" or "Church" is no name in "to test" or "the church")."""
    names = {a.text[e.start : e.end] for a in arts for e in a.layer("entities")}
    names = {n for n in names if len(n) > 2}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _name_share(art: Article, start: int, end: int, names: re.Pattern[str] | None = None) -> float:
    covered = [False] * (end - start)
    for e in art.layer("entities"):
        for k in range(max(start, e.start), min(end, e.end)):
            covered[k - start] = True
    if names is not None:
        for m in names.finditer(art.text, start, end):
            for k in range(m.start(), m.end()):
                covered[k - start] = True
    return sum(covered) / max(1, end - start)


# -- the comparison ---------------------------------------------------------------------------
def compare_articles(
    story: dict[str, Any],
    articles: Sequence[Article],
    resolution: Resolution,
    entity_names: dict[str, str],
    duplicates: Sequence[Sequence[str]] = (),
) -> dict[str, Any]:
    """The JSON-able comparison of ``articles`` (one story)."""
    arts = sorted(
        articles,
        key=lambda a: (a.published is None, a.published.date if a.published else None, a.id),
    )
    by_id = {a.id: a for a in arts}
    dup_of: dict[str, str] = {}
    for group in duplicates:
        members = [m for m in group if m in by_id]
        if len(members) > 1:
            first = min(members, key=lambda m: [a.id for a in arts].index(m))
            for m in members:
                if m != first:
                    dup_of[m] = first
    source_of = {a.id: outlet_of(by_id[dup_of.get(a.id, a.id)]) for a in arts}
    has_techniques = any("techniques" in a.layers for a in arts)
    story_when = story_time(arts)
    outlets: dict[str, dict[str, Any]] = {}
    all_statements: list[dict[str, Any]] = []
    numbers_by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for art in arts:
        name = outlet_of(art)
        o = outlets.setdefault(
            name,
            {
                "outlet": name,
                "articles": [],
                "independent_articles": 0,
                "genre": Counter(),
                "speakers": {},
                "statements": [],
                "numbers": [],
                "techniques": Counter() if has_techniques else None,
                "statement_chars": 0,
            },
        )
        o["articles"].append(art.id)
        if art.id not in dup_of:
            o["independent_articles"] += 1
        genre = (art.meta.get("genre") or {}).get("label")
        if genre:
            o["genre"][genre] += 1
        rows = statements(art, resolution)
        for r in rows:
            r["outlet"] = name
            r["duplicate_of"] = dup_of.get(art.id)
            r["stance"] = stance(r["text"], r["cue"])
            key = r["speaker_entity"] or f"~{fold(r['speaker'])}"
            sp = o["speakers"].setdefault(
                key,
                {"entity": r["speaker_entity"],
                 "name": entity_names.get(r["speaker_entity"] or "", r["speaker"]),
                 "statements": 0, "chars": 0},
            )  # fmt: skip
            sp["statements"] += 1
            sp["chars"] += r["end"] - r["start"]
            o["statement_chars"] += r["end"] - r["start"]
        o["statements"].extend(rows)
        all_statements.extend(rows)
        nums = _numbers(art, [r["speaker"] for r in rows], story_when)
        o["numbers"].extend(nums)
        numbers_by_outlet[name].extend(nums)
        if has_techniques:
            for s in art.layer("techniques"):
                o["techniques"][s.attrs.get("technique") or s.label] += 1
    for o in outlets.values():
        total = o["statement_chars"] or 1
        speakers = sorted(o["speakers"].values(), key=lambda s: (-s["chars"], s["name"]))
        for s in speakers:
            s["share"] = round(s["chars"] / total, 3)
        o["speakers"] = speakers
        o["genre"] = dict(o["genre"])
        if o["techniques"] is not None:
            o["techniques"] = dict(o["techniques"].most_common())
    quotations = quotation_groups(arts, source_of, _speaker_finder(all_statements))
    return {
        "story": {
            k: story.get(k)
            for k in ("id", "title", "first_published", "last_published", "key_terms")
        },
        "articles": [
            {
                "id": a.id,
                "outlet": outlet_of(a),
                "title": a.title,
                "published": a.published.date.isoformat() if a.published else None,
                "genre": (a.meta.get("genre") or {}).get("label"),
                "duplicate_of": dup_of.get(a.id),
            }
            for a in arts
        ],
        "outlets": list(outlets.values()),
        "techniques_available": has_techniques,
        "numbers": _number_conflicts(numbers_by_outlet, by_id, source_of, resolution),
        "talking_points": _talking_points(arts, source_of, quotations),
        "terms": _shared_terms(arts, resolution, entity_names),
        "stances": _stances(all_statements, entity_names),
        "quotations": quotations,
        "near_duplicates": [
            [m for m in g if m in by_id] for g in duplicates if sum(m in by_id for m in g) > 1
        ],
    }


def _shared_terms(
    arts: Sequence[Article], resolution: Resolution, entity_names: dict[str, str]
) -> list[dict[str, Any]]:
    """Quoted terms ("Taqiyya") resolved to one corpus entity, with their spellings and outlets."""
    found: dict[str, dict[str, Any]] = {}
    for a in arts:
        for qid, occurrences in term_clusters(a).items():
            eid = resolution.entity_of(a.id, qid)
            key = eid or qid + a.id
            t = found.setdefault(
                key,
                {
                    "entity": eid,
                    "name": entity_names.get(eid or "", occurrences[0][2]),
                    "variants": Counter(),
                    "outlets": set(),
                    "occurrences": [],
                },
            )
            for start, end, surface in occurrences:
                t["variants"][surface] += 1
                t["occurrences"].append({"article": a.id, "start": start, "end": end})
            t["outlets"].add(outlet_of(a))
    # the same term tagged as a name elsewhere ("Taqqiya" as WORK_OF_ART) is the same entity
    for a in arts:
        for span in a.layer("entities"):
            eid = resolution.entity_of(a.id, span.attrs.get("entity"))
            if eid and eid in found:
                found[eid]["variants"][span.text] += 1
                found[eid]["outlets"].add(outlet_of(a))
                found[eid]["occurrences"].append(
                    {"article": a.id, "start": span.start, "end": span.end}
                )
    out = []
    for t in found.values():
        t["variants"] = dict(t["variants"])
        t["outlets"] = sorted(t["outlets"])
        out.append(t)
    out.sort(key=lambda t: (-len(t["outlets"]), -len(t["occurrences"]), t["name"]))
    return out


def quotations_of(
    articles: Sequence[Article], resolution: Resolution | None = None
) -> list[dict[str, Any]]:
    """The quotations ``articles`` share across outlets as ``compare_articles`` lists them,
    for callers without a digested corpus."""
    rows = [r for a in articles for r in statements(a, resolution)]
    return quotation_groups(articles, {a.id: outlet_of(a) for a in articles}, _speaker_finder(rows))


def _speaker_finder(
    rows: list[dict[str, Any]],
) -> Callable[[Article, int, int], Speaker]:
    """``speaker_of`` for ``quotation_groups``: the speaker of the attributed statement that
    holds the words (its name, corpus entity, entity label when it is a named entity of the
    article, not "her rep", and the organisations named beside it), from the story's
    statement rows."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_article[r["article"]].append(r)

    def speaker_of(art: Article, start: int, end: int) -> Speaker:
        for r in by_article.get(art.id, []):
            if r["start"] < end and start < r["end"]:
                cluster = next((c for c in art.clusters if c.id == r["speaker_cluster"]), None)
                return Speaker(
                    r["speaker"],
                    r["speaker_entity"],
                    cluster.label if cluster else None,
                    _affiliations(art, cluster.mentions) if cluster else frozenset(),
                )
        return Speaker(None, None, None)

    return speaker_of


def _affiliations(art: Article, mentions: Sequence[int]) -> frozenset[str]:
    """Organisations named in a sentence that names the person ("Christopher Budd, a
    Microsoft spokesman"): a quotation one outlet gives to the person and another to the
    organisation is one voice, not two speakers."""
    ents = art.layer("entities")
    spans = [ents[m] for m in mentions if 0 <= m < len(ents)]
    bounds = {sentence_bounds(art, e) for e in spans}
    return frozenset(
        fold(o.text)
        for o in ents
        if o.label == "ORG" and any(lo <= o.start < hi for lo, hi in bounds)
    )


def _stances(rows: list[dict[str, Any]], entity_names: dict[str, str]) -> list[dict[str, Any]]:
    """Per entity spoken about: the accusing and denying statements, and whether outlets or
    speakers contradict each other (an accusation and a denial about the same entity)."""
    about: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["stance"] is None:
            continue
        targets = r["about"]
        if not targets and r["stance"] == "denial" and r["speaker_entity"]:
            targets = [r["speaker_entity"]]  # "X denied the accusations": X defends X
        for eid in targets:
            about[eid][r["stance"]].append(r)
    out = []
    for eid, sides in about.items():
        acc, den = sides.get("accusation", []), sides.get("denial", [])
        keep = ("outlet", "article", "start", "end", "text", "speaker", "speaker_entity")
        out.append(
            {
                "entity": eid,
                "name": entity_names.get(eid, eid),
                "relation": "contradiction" if acc and den else "agreement",
                "accusations": [{k: r[k] for k in keep} for r in acc],
                "denials": [{k: r[k] for k in keep} for r in den],
                "outlets": sorted({r["outlet"] for r in acc + den}),
            }
        )
    out.sort(
        key=lambda s: (s["relation"] != "contradiction", -len(s["accusations"]) - len(s["denials"]))
    )
    return out
