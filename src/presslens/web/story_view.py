"""The story page: each outlet's article side by side, with the numbers that disagree between
outlets highlighted and the phrases they share linked to the list of shared phrases.

Text is cut at every mark boundary and each piece is escaped on its own; marks come only from
offsets, so article text never becomes markup.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from presslens.store import Store

_PHRASE = Markup('<a class="shared" href="#{id}" title="shared phrase {id}">')
_NUMBER = Markup('<mark class="disagree" title="{title}">')
#: A number another outlet may give differently (matched by its clause, not its wording).
_MAYBE = Markup('<mark class="maybe" title="{title}">')


def _marks(story: dict[str, Any]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Per article: (start, end, kind, attribute) for disagreeing numbers, numbers that may
    disagree (worded differently) and shared phrases."""
    marks: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for key, kind in (("disagreements", "number"), ("possible_disagreements", "maybe")):
        for group in story.get(key) or []:
            values = group.get("values") or []
            summary = "; ".join(f"{v.get('outlet') or '?'}: {v.get('text')}" for v in values)
            what = (group.get("what") or "") if kind == "number" else "may be the same figure"
            for v in values:
                if isinstance(v.get("start"), int) and isinstance(v.get("end"), int):
                    marks[v.get("article", "")].append(
                        (v["start"], v["end"], kind, f"{what} — {summary}")
                    )
    for phrase in story.get("shared_phrases") or []:
        for use in phrase.get("uses") or []:
            if isinstance(use.get("start"), int) and isinstance(use.get("end"), int):
                marks[use.get("article", "")].append(
                    (use["start"], use["end"], "phrase", str(phrase.get("id", "")))
                )
    return marks


def render_marked(text: str, marks: list[tuple[int, int, str, str]]) -> Markup:
    """``text`` escaped, with each mark drawn over its range (overlaps nest per piece)."""
    n = len(text)
    clean = [(max(0, s), min(n, e), k, a) for s, e, k, a in marks if 0 <= s < e <= n]
    cuts = sorted({0, n, *(s for s, *_ in clean), *(e for _, e, *_ in clean)})
    out: list[Markup] = []
    for a, b in pairwise(cuts):
        piece: Markup = escape(text[a:b])
        cover = sorted(
            (m for m in clean if m[0] <= a and m[1] >= b), key=lambda m: (m[2] != "phrase", m[0])
        )
        for _start, _end, kind, attr in reversed(cover):
            if kind == "phrase":
                piece = _PHRASE.format(id=attr) + piece + Markup("</a>")
            else:
                mark = _MAYBE if kind == "maybe" else _NUMBER
                piece = mark.format(title=attr) + piece + Markup("</mark>")
        out.append(piece)
    return Markup("").join(out)


def story_columns(store: Store, story: dict[str, Any]) -> list[dict[str, Any]]:
    """One column per outlet: its articles with the marked-up text."""
    marks = _marks(story)
    columns = []
    for column in story.get("outlets") or []:
        items = []
        for entry in column.get("articles") or []:
            art = store.get(entry.get("id", ""))
            if art is None:
                continue
            items.append(
                {
                    **entry,
                    "text_html": render_marked(art.text, marks.get(art.id, [])),
                    "disagreeing": sum(1 for m in marks.get(art.id, []) if m[2] == "number"),
                }
            )
        columns.append({"outlet": column.get("outlet"), "articles": items})
    return columns
