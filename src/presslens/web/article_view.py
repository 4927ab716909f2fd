"""The article page: highlighted text with layer toggles, metadata, statements, entities,
numbers and removed boilerplate, and the language when it is not English (``P128``).

The text is drawn by :func:`presslens.views.report.render_article_text`, which escapes every
piece of text and attribute it emits (the report and the web app share it), so nothing in an
article can become markup.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from presslens.language import ENGLISH, flagged, language_name, read_evidence
from presslens.model import Article
from presslens.readers.codes import not_english
from presslens.views.numbers import number_rows
from presslens.views.quotes import quote_rows
from presslens.views.report import HIDDEN_LAYERS, LAYER_ORDER, render_article_text, safe_href
from presslens.views.technique_text import PARAGRAPH_LEGEND, certainty_text, from_paragraph
from presslens.web.queries import genre_of

#: Layers shown when the page opens; the others start switched off (their toggle is there).
DEFAULT_ON = frozenset(
    {"entities", "attributions", "quantities", "timexes", "techniques", "claims"}
)

#: What each toggle is called on the page (other layers show their own name).
LAYER_TITLES = {
    "entities": "entities",
    "attributions": "statements",
    "quantities": "numbers",
    "timexes": "dates",
    "techniques": "techniques",
    "claims": "check-worthy claims",
    "events": "events",
    "cues": "cues",
    "sources": "sources",
    "datelines": "dateline",
    "disclaimers": "disclaimers",
}

ANCHOR = "t"


def entity_href(name: str, *, root: str = "") -> str:
    """Link to a name's corpus entity page (resolved by ``/entity?name=``); ``root`` is the
    prefix the app is served under (``--root-path``)."""
    return root + "/entity?name=" + quote(name, safe="")


def _order(name: str) -> tuple[int, str]:
    return (LAYER_ORDER.index(name), name) if name in LAYER_ORDER else (len(LAYER_ORDER), name)


def article_warnings(art: Article) -> list[dict[str, Any]]:
    """The article's warnings as the API gives them: the ``P128`` record (``code``, ``type``,
    ``where``, ``message``, ``hint``: an error envelope's fields without the HTTP status) when
    it is not in English, else none."""
    warning = not_english(art)
    return [] if warning is None else [warning.to_dict()]


def language_note(art: Article) -> str | None:
    """What the page says about a language that is not English ("French (fr) — not English:
    results unreliable"); None for an English article. Plain text: the template escapes it."""
    evidence = art.meta.get("language_from")
    if not flagged(art.language, evidence):
        return None
    if art.language != ENGLISH:
        return f"{_named(art.language)} — not English: results unreliable"
    reads = read_evidence(evidence)[1].language
    return f"declared English (en), but the text reads as {_named(reads)} — results unreliable"


def _named(tag: str) -> str:
    name = language_name(tag)
    return tag if name == tag else f"{name} ({tag})"


def article_data(art: Article, story: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON twin of the article page: the stored article plus the derived tables, and its
    warnings (``P128`` when it is not in English, as ``POST /api/articles`` gives them)."""
    return {
        "article": art.to_dict(),
        "warnings": article_warnings(art),
        "statements": quote_rows([art]),
        "layers": {
            name: len(spans)
            for name, spans in sorted(art.layers.items(), key=lambda kv: _order(kv[0]))
        },
        "story": story,
    }


def article_context(
    art: Article, story: dict[str, Any] | None, *, root: str = ""
) -> dict[str, Any]:
    """What the article template shows, on top of :func:`article_data`; links start with
    ``root`` (the prefix the app is served under)."""
    names = {c.id: c.name for c in art.clusters}
    toggles = [
        {
            "name": name,
            "title": LAYER_TITLES.get(name, name),
            "count": len(spans),
            "on": name in DEFAULT_ON,
        }
        for name, spans in sorted(art.layers.items(), key=lambda kv: _order(kv[0]))
        if name not in HIDDEN_LAYERS and spans
    ]
    statements = [
        {
            **row,
            "href": f"#{ANCHOR}-attributions-{row['index']}",
            "speaker_href": entity_href(row["speaker"], root=root) if row["speaker_id"] else None,
        }
        for row in quote_rows([art])
    ]
    counts = Counter(s.attrs.get("entity") for s in art.layer("entities"))
    clusters: list[dict[str, Any]] = sorted(
        (
            {
                "id": c.id,
                "name": c.name,
                "label": c.label,
                "mentions": counts.get(c.id, len(c.mentions)),
                "variants": sorted(c.variants.items(), key=lambda kv: (-kv[1], kv[0])),
                "href": entity_href(c.name, root=root),
            }
            for c in art.clusters
        ),
        key=lambda c: (-c["mentions"], c["name"]),
    )
    numbers = [
        {
            "text": r["text"],
            "kind": r["kind"],
            "value": r["value"],
            "unit": r["unit"],
            "counts": r["counts"],
            "when": r["when"],
            "cited": r["cited"],
            "source": r["source"],
            "href": f"#{ANCHOR}-quantities-{r['index']}",
        }
        for r in number_rows([art])
    ]
    techniques = [
        {
            "label": s.label,
            "text": s.text,
            "confidence": certainty_text(s.attrs),
            "from_paragraph": from_paragraph(s.attrs),
            "href": f"#{ANCHOR}-techniques-{i}",
        }
        for i, s in enumerate(art.layer("techniques"))
    ]
    claims = [
        {"text": s.text, "score": s.attrs.get("score"), "href": f"#{ANCHOR}-claims-{i}"}
        for i, s in enumerate(art.layer("claims"))
    ]
    entity_links = {
        str(i): entity_href(names[cid], root=root)
        for i, span in enumerate(art.layer("entities"))
        if isinstance(cid := span.attrs.get("entity"), str) and cid in names
    }
    genre = art.meta.get("genre") if isinstance(art.meta.get("genre"), dict) else {}
    return {
        "art": art,
        "heading": art.title or " ".join(art.text.split()[:10]) or "(empty article)",
        "language_note": language_note(art),
        "href": safe_href(art.url),
        "genre": genre_of(art),
        "genre_evidence": genre.get("evidence") or [] if isinstance(genre, dict) else [],
        "published": art.published.date.isoformat() if art.published else None,
        "published_source": art.published.source if art.published else None,
        "text_html": Markup(render_article_text(art, anchor=ANCHOR)),
        "toggles": toggles,
        "entity_links": entity_links,
        "statements": statements,
        "clusters": clusters,
        "numbers": numbers,
        "techniques": techniques,
        "paragraph_legend": PARAGRAPH_LEGEND,
        "claims": claims,
        "removed": [r.model_dump() for r in art.removed],
        "story": story,
    }
