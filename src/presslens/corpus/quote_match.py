"""The same quotation in several outlets: who each says spoke it, and whether its words match.

Misattributed and reworded quotations are what fact-checkers look for first: one outlet gives
a sentence to the minister, another to her spokesman; one quotes "we will not back down",
another "we will never back down". Every quotation of at least ``MIN_WORDS`` words (shorter
ones are scare quotes and slogans) is read from each article with the attribution stage's own
quote pairing; two quotations of different sources are the same one when they share, in order,
half the shorter one's words (nearly all of a short one), a run of ``MIN_WORDS`` of them and
of two fifths of it. Each group says which speaker every outlet names (the attribution that
holds the quotation, as a corpus entity when resolved), whether the named speakers differ, and
whether the words do, with the words each version has that the first does not.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from presslens.corpus.lexicons import OUTLET_NAME_ENDS
from presslens.corpus.linkage import complete_linkage
from presslens.corpus.names import fold
from presslens.model import Article
from presslens.stages.attribution_rules import find_quotes

__all__ = ["MIN_WORDS", "Speaker", "quotation_groups"]

#: Fewest words a quotation needs, and the shared run that makes two quotations one.
MIN_WORDS = 5
#: Share of the shorter quotation's words two quotations must have in common (in order) to
#: be one: a slogan or a stock phrase ("make America great again", "president of the United
#: States") inside two different quotations does not make them one.
MIN_SHARE = 0.5
#: Share of the shorter quotation the longest run of words they share must reach: "we will
#: not allow Donald Trump to become president of the United States" and "Donald Trump is
#: unfit to be president of the United States" share half their words, but no long run.
MIN_RUN_SHARE = 0.4
#: A quotation shorter than this many words must be nearly all (``MIN_SHORT_SHARE``) in the
#: other: "absolute heart of the Endangered Species Act" and "wholly inappropriate use of
#: the Endangered Species Act" share a name, not a statement.
SHORT_WORDS = 10
MIN_SHORT_SHARE = 0.8
#: Most groups listed per story, those whose speakers or words differ first.
MAX_GROUPS = 40

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class Speaker(NamedTuple):
    """Who an article says spoke a quotation."""

    name: str | None  # None when no attribution holds the words
    entity: str | None  # corpus entity id, when resolved
    label: str | None  # entity label (PERSON, ORG…) when the article names the speaker
    affiliations: frozenset[str] = frozenset()  # organisations named beside a person, folded


def quotation_groups(
    articles: Sequence[Article],
    source_of: dict[str, str],
    speaker_of: Callable[[Article, int, int], Speaker],
) -> list[dict[str, Any]]:
    """Groups of one quotation as two or more sources print it. ``speaker_of(article, start,
    end)`` says who the article says spoke the words at ``start:end``."""
    quotes: list[dict[str, Any]] = []
    for art in articles:
        for q in find_quotes(art.text):
            start, end = q.fragments[0][0], q.fragments[-1][1]
            words = [  # typographic and straight apostrophes are one ("can’t", "can't")
                m.group().replace("’", "'").casefold()
                for s, e in q.fragments
                for m in _WORD.finditer(art.text, s, e)
            ]
            if len(words) < MIN_WORDS:
                continue
            speaker = speaker_of(art, start, end)
            quotes.append(
                {
                    "article": art.id,
                    "source": source_of[art.id],
                    "start": start,
                    "end": end,
                    "text": art.text[start:end],
                    "speaker": speaker.name,
                    "speaker_entity": speaker.entity,
                    "who": speaker,
                    "words": words,
                }
            )
    groups = _group(quotes)
    out = [_describe([quotes[i] for i in g]) for g in groups]
    out.sort(key=lambda g: (not g["speakers_differ"], not g["wording_differs"], g["first"]))
    return out[:MAX_GROUPS]


def _group(quotes: list[dict[str, Any]]) -> list[list[int]]:
    """Groups of quotations of different sources, each pair sharing a run of MIN_WORDS words,
    MIN_SHARE of the shorter one's words (MIN_SHORT_SHARE of a short one) and a run of
    MIN_RUN_SHARE of them."""
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, q in enumerate(quotes):
        ws = q["words"]
        for gram in {tuple(ws[j : j + MIN_WORDS]) for j in range(len(ws) - MIN_WORDS + 1)}:
            where[gram].append(i)
    candidates = {
        (i, j)
        for ids in where.values()
        for i in ids
        for j in ids
        if i < j and quotes[i]["source"] != quotes[j]["source"]
    }
    matched: dict[tuple[int, int], int] = {}
    for i, j in candidates:
        a, b = quotes[i]["words"], quotes[j]["words"]
        sizes = [
            m.size for m in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks()
        ]
        shorter = min(len(a), len(b))
        share = MIN_SHORT_SHARE if shorter < SHORT_WORDS else MIN_SHARE
        if sum(sizes) >= share * shorter and max(sizes) >= MIN_RUN_SHARE * shorter:
            matched[i, j] = matched[j, i] = sum(sizes)

    # Complete linkage, the longest matches first: a group grows only by quotations that
    # match every quotation of another source in it, so a stock phrase ("the heart of the
    # Endangered Species Act") cannot chain two different statements through a third.
    def may_join(gi: list[int], gj: list[int]) -> bool:
        return all(
            (k, m) in matched for k in gi for m in gj if quotes[k]["source"] != quotes[m]["source"]
        )

    order = [pair for pair, _ in sorted(matched.items(), key=lambda item: (-item[1], item[0]))]
    groups = complete_linkage(len(quotes), order, may_join)
    return [g for g in groups if len({quotes[i]["source"] for i in g}) > 1]


def _describe(group: list[dict[str, Any]]) -> dict[str, Any]:
    first = group[0]
    # Only named speakers (entities) can differ: "her rep" or "a police spokesman" may
    # be the person another outlet names. Two names sharing their last word are one person
    # ("Kyriakides", "Paris Kyriakides") even where entity resolution kept them apart, and a
    # person one voice with an organisation named beside them ("Christopher Budd, a
    # Microsoft spokesman", and "Microsoft said").
    speakers: list[Speaker] = []
    voices: list[int | None] = []  # per version: which of ``speakers`` it names, if any
    for q in group:
        who = q["who"]
        if not _named(who):
            voices.append(None)
            continue
        voice = next((i for i, o in enumerate(speakers) if _one_voice(who, o)), None)
        if voice is None:
            voice = len(speakers)
            speakers.append(who)
        voices.append(voice)
    versions = []
    for q, voice in zip(group, voices, strict=True):
        added, dropped = _changes(first["words"], q["words"])
        versions.append(
            {k: q[k] for k in ("source", "article", "start", "end", "text", "speaker",
                               "speaker_entity")}
            | {"voice": voice, "added": added, "dropped": dropped}
        )  # fmt: skip
    return {
        "first": first["text"],
        "sources": sorted({q["source"] for q in group}),
        "speakers_differ": len(speakers) > 1,
        "wording_differs": any(v["added"] or v["dropped"] for v in versions),
        "versions": versions,
    }


def _named(who: Speaker) -> bool:
    """A speaker that can differ from another: a person or an organisation the article names,
    not a news outlet ("told the Anchorage Daily News" read as who spoke) nor a people or
    group ("Greeks", NORP). On annotated ECB+ quotation pairs every "speakers differ" flag
    was presslens's own misreading of who spoke (``presslens eval quotations``)."""
    words = fold(who.name or "").split()
    if who.label not in ("PERSON", "ORG") or not words:
        return False
    return not (who.label == "ORG" and words[-1] in OUTLET_NAME_ENDS)


def _one_voice(a: Speaker, b: Speaker) -> bool:
    """One last name ("Kyriakides", "Paris Kyriakides") or one spelt nearly alike ("Hugh
    Hefner", "Heffner"), one name spaced differently ("Vincent DelGiudice", "Vincent Del
    Giudice"), or an organisation and a person its outlet names beside it."""
    x, y = fold(a.name or "").split(), fold(b.name or "").split()
    if x[-1] == y[-1] or "".join(x) == "".join(y):
        return True
    last = difflib.SequenceMatcher(a=x[-1], b=y[-1], autojunk=False)
    if min(len(x[-1]), len(y[-1])) >= 4 and x[-1][0] == y[-1][0] and last.ratio() >= 0.8:
        return True
    return (a.label == "ORG" and _among(x, b.affiliations)) or (
        b.label == "ORG" and _among(y, a.affiliations)
    )


def _among(org: list[str], affiliations: frozenset[str]) -> bool:
    """``org`` is one of the names, or one holds the other's words ("the union", "Unison")."""
    words = set(org) - {"the"}
    return bool(words) and any(
        other and (words <= other or other <= words)
        for other in (set(aff.split()) - {"the"} for aff in affiliations)
    )


def _changes(base: list[str], other: list[str]) -> tuple[list[str], list[str]]:
    """Words ``other`` has that ``base`` lacks and the reverse, inside the stretch the two
    share (a quotation cut shorter by one outlet is not a changed one)."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return [], []
    a_lo, b_lo = blocks[0].a, blocks[0].b
    a_hi, b_hi = blocks[-1].a + blocks[-1].size, blocks[-1].b + blocks[-1].size
    inner = difflib.SequenceMatcher(a=base[a_lo:a_hi], b=other[b_lo:b_hi], autojunk=False)
    added: list[str] = []
    dropped: list[str] = []
    for op, i1, i2, j1, j2 in inner.get_opcodes():
        if op in ("replace", "delete"):
            dropped.append(" ".join(base[a_lo + i1 : a_lo + i2]))
        if op in ("replace", "insert"):
            added.append(" ".join(other[b_lo + j1 : b_lo + j2]))
    return added, dropped
