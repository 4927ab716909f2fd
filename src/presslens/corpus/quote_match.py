"""The same quotation in several outlets: who each says spoke it, and whether its words match.

Misattributed and reworded quotations are what fact-checkers look for first: one outlet gives
a sentence to the minister, another to her spokesman; one quotes "we will not back down",
another "we will never back down". Every quotation of at least ``MIN_WORDS`` words (shorter
ones are scare quotes and slogans) is read from each article with the attribution stage's own
quote pairing; two quotations of different sources are the same one when they share a run of
``MIN_WORDS`` words. Each group says which speaker every outlet names (the attribution that
holds the quotation, as a corpus entity when resolved), whether the named speakers differ, and
whether the words do, with the words each version has that the first does not.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from presslens.corpus.names import fold
from presslens.model import Article
from presslens.stages.attribution_rules import find_quotes

__all__ = ["MIN_WORDS", "quotation_groups"]

#: Fewest words a quotation needs, and the shared run that makes two quotations one.
MIN_WORDS = 5
#: Most groups listed per story, those whose speakers or words differ first.
MAX_GROUPS = 40

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def quotation_groups(
    articles: Sequence[Article],
    source_of: dict[str, str],
    speaker_of: Callable[[Article, int, int], tuple[str | None, str | None]],
) -> list[dict[str, Any]]:
    """Groups of one quotation as two or more sources print it. ``speaker_of(article, start,
    end)`` names who the article says spoke the words at ``start:end``: ``(name, entity)``,
    either ``None`` when no attribution holds them."""
    quotes: list[dict[str, Any]] = []
    for art in articles:
        for q in find_quotes(art.text):
            start, end = q.fragments[0][0], q.fragments[-1][1]
            words = [
                (m.group().casefold(), s + m.start(), s + m.end())
                for s, e in q.fragments
                for m in _WORD.finditer(art.text, s, e)
            ]
            if len(words) < MIN_WORDS:
                continue
            name, entity = speaker_of(art, start, end)
            quotes.append(
                {
                    "article": art.id,
                    "source": source_of[art.id],
                    "start": start,
                    "end": end,
                    "text": art.text[start:end],
                    "speaker": name,
                    "speaker_entity": entity,
                    "words": [w for w, _, _ in words],
                }
            )
    groups = _group(quotes)
    out = [_describe([quotes[i] for i in g]) for g in groups]
    out.sort(key=lambda g: (not g["speakers_differ"], not g["wording_differs"], g["first"]))
    return out[:MAX_GROUPS]


def _group(quotes: list[dict[str, Any]]) -> list[list[int]]:
    """Quotations of different sources sharing a run of MIN_WORDS words, joined transitively
    (a long quotation cut differently by three outlets is one group)."""
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, q in enumerate(quotes):
        ws = q["words"]
        for k in {tuple(ws[j : j + MIN_WORDS]) for j in range(len(ws) - MIN_WORDS + 1)}:
            where[k].append(i)
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ids in where.values():
        if len({quotes[i]["source"] for i in ids}) > 1:
            for i in ids[1:]:
                parent[find(i)] = find(ids[0])
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        members[find(i)].append(i)
    return [g for g in members.values() if len({quotes[i]["source"] for i in g}) > 1]


def _describe(group: list[dict[str, Any]]) -> dict[str, Any]:
    first = group[0]
    speakers = {
        q["speaker_entity"] or fold(q["speaker"])
        for q in group
        if q["speaker"] and q["speaker"] != "unresolved"
    }
    versions = []
    for q in group:
        added, dropped = _changes(first["words"], q["words"])
        versions.append(
            {k: q[k] for k in ("source", "article", "start", "end", "text", "speaker",
                               "speaker_entity")}
            | {"added": added, "dropped": dropped}
        )  # fmt: skip
    return {
        "first": first["text"],
        "sources": sorted({q["source"] for q in group}),
        "speakers_differ": len(speakers) > 1,
        "wording_differs": any(v["added"] or v["dropped"] for v in versions),
        "versions": versions,
    }


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
