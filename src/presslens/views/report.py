"""The HTML report: one self-contained file (inline CSS and one small script of our own).

Everything that comes from an article or an error record is untrusted. The page template is
rendered with autoescaping on, and the article text, which is built here as markup, goes through
:func:`markupsafe.escape` piece by piece. Links are only made for ``http``/``https`` URLs. A
Content-Security-Policy allows no network access and only the one inline script whose hash we
compute, so even a missed escape could not run injected script.

Highlighting is generic: every layer except the structural ones (``sentences``, ``paragraphs``)
is drawn. Within a paragraph the boundaries of all overlapping spans cut the text into segments;
each segment is wrapped in one ``<mark>`` per covering span (outermost first), so overlaps
between layers render without duplicating or dropping text.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from presslens.language import flagged, language_label
from presslens.model import Article, Span
from presslens.views.controls import visible
from presslens.views.numbers import number_rows
from presslens.views.quotes import quote_rows
from presslens.views.technique_text import (
    PARAGRAPH_LEGEND,
    certainty_text,
    certainty_words,
    from_paragraph,
)

__all__ = [
    "HIDDEN_LAYERS",
    "render_article_text",
    "render_report",
    "report_summary",
    "safe_href",
]

#: Layers that structure the text rather than highlight it: never drawn as highlights.
HIDDEN_LAYERS = frozenset({"sentences", "paragraphs"})

#: Known layers in legend order (also outermost first when spans nest); others follow by name.
LAYER_ORDER = (
    "entities",
    "datelines",
    "disclaimers",
    "attributions",
    "quantities",
    "timexes",
    "events",
    "claims",
    "techniques",
)

#: Underline colour of each known non-entity layer (background is the same colour, faded).
LAYER_COLOURS = {
    "datelines": "#0f766e",
    "disclaimers": "#6b7280",
    "attributions": "#1d4ed8",
    "quantities": "#c2410c",
    "timexes": "#15803d",
    "events": "#0e7490",
    "claims": "#7e22ce",
    "techniques": "#b91c1c",
}

#: Background colour of entity mentions by label.
ENTITY_COLOURS = {
    "PERSON": "#fde2c4",
    "ORG": "#d3e5fb",
    "GPE": "#d6f0cf",
    "LOC": "#e4f3d9",
    "NORP": "#eedff8",
    "FAC": "#fbe3ee",
    "EVENT": "#fff1b8",
    "PRODUCT": "#e0f2f1",
    "LAW": "#ece7df",
}

#: Fallback colours, cycled for layers and entity labels not listed above.
PALETTE = ("#a16207", "#be185d", "#4338ca", "#047857", "#9333ea", "#0369a1", "#9a3412")
ENTITY_PALETTE = ("#f5e6c8", "#dbeafe", "#fce7f3", "#e0e7ff", "#ecfccb", "#f3e8ff", "#ccfbf1")

#: Length of the "first words" stand-in for an untitled article, and of shortened attr values.
FIRST_WORDS = 10
ATTR_VALUE_CHARS = 80
TITLE_ATTR_CHARS = 400
EVIDENCE_SURFACE_CHARS = 160
STATEMENT_CHARS = 400

_UNSAFE_CLASS_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


# -- small helpers ----------------------------------------------------------------------------
def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL safe to put in ``href``, else ``None``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def _slug(name: str) -> str:
    """A CSS class / id fragment made only of ``[A-Za-z0-9_-]``."""
    return _UNSAFE_CLASS_CHARS.sub("_", name).strip("_") or "x"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _first_words(text: str, n: int = FIRST_WORDS) -> str:
    words = text.split()
    head = " ".join(words[:n])
    return head + ("…" if len(words) > n else "")


def _genre_label(article: Article) -> str | None:
    genre = article.meta.get("genre")
    if isinstance(genre, Mapping):
        label = genre.get("label")
        return None if label is None else _as_text(label)
    return None if genre is None else _as_text(genre)


def _dateline_place(article: Article) -> str | None:
    dateline = article.meta.get("dateline")
    if isinstance(dateline, Mapping):
        place = dateline.get("place")
        return None if place is None else _as_text(place)
    return None if dateline is None else _as_text(dateline)


def _layer_sort_key(name: str) -> tuple[int, str]:
    try:
        return (LAYER_ORDER.index(name), name)
    except ValueError:
        return (len(LAYER_ORDER), name)


# -- summary ----------------------------------------------------------------------------------
UNKNOWN_OUTLET = "(unknown outlet)"
UNKNOWN_GENRE = "(no genre)"


def report_summary(articles: Sequence[Article]) -> dict[str, Any]:
    """Counts for the report header: articles, by outlet, by genre, spans by layer, date range,
    and how many articles are not in English (``not_english``, flagged ``P128``).

    ``outlets`` and ``genres`` map a name to its article count, most frequent first; articles
    without one are counted under ``"(unknown outlet)"`` / ``"(no genre)"``.
    """
    outlets = Counter(a.outlet or UNKNOWN_OUTLET for a in articles)
    genres = Counter(_genre_label(a) or UNKNOWN_GENRE for a in articles)
    layers: Counter[str] = Counter()
    for a in articles:
        for name, spans in a.layers.items():
            layers[name] += len(spans)
    dates = sorted(a.published.date for a in articles if a.published is not None)
    return {
        "articles": len(articles),
        "outlets": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        "genres": dict(sorted(genres.items(), key=lambda kv: (-kv[1], kv[0]))),
        "layers": {name: layers[name] for name in sorted(layers, key=_layer_sort_key)},
        "first_date": dates[0].isoformat() if dates else None,
        "last_date": dates[-1].isoformat() if dates else None,
        "not_english": sum(flagged(a.language, a.meta.get("language_from")) for a in articles),
    }


# -- layers and their styles ------------------------------------------------------------------
@dataclass
class _LabelStyle:
    label: str
    slug: str
    colour: str
    count: int = 0


@dataclass
class _LayerStyle:
    name: str
    slug: str
    colour: str
    count: int = 0
    labels: list[_LabelStyle] = field(default_factory=list)


def _layer_styles(articles: Sequence[Article]) -> dict[str, _LayerStyle]:
    """One style per highlighted layer present in any article, with collision-free slugs."""
    counts: Counter[str] = Counter()
    for a in articles:
        for name, spans in a.layers.items():
            if name not in HIDDEN_LAYERS:
                counts[name] += len(spans)
    styles: dict[str, _LayerStyle] = {}
    used: set[str] = set()
    extra = 0
    for name in sorted(counts, key=_layer_sort_key):
        slug = base = _slug(name)
        n = 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        colour = LAYER_COLOURS.get(name)
        if colour is None:
            colour, extra = PALETTE[extra % len(PALETTE)], extra + 1
        styles[name] = _LayerStyle(name=name, slug=slug, colour=colour, count=counts[name])
    if "entities" in styles:
        labels = Counter(s.label for a in articles for s in a.layer("entities"))
        seen: set[str] = set()
        fallback = 0
        for label in sorted(labels):
            slug = _slug(label)
            if slug in seen:  # two raw labels that sanitise alike share one colour rule
                continue
            seen.add(slug)
            colour = ENTITY_COLOURS.get(label)
            if colour is None:
                colour, fallback = ENTITY_PALETTE[fallback % len(ENTITY_PALETTE)], fallback + 1
            styles["entities"].labels.append(_LabelStyle(label, slug, colour, labels[label]))
    return styles


# -- article text -----------------------------------------------------------------------------
class _Block(NamedTuple):
    start: int
    end: int
    kind: str  # "para" | "title" | "gap" (uncovered text) | "space" (whitespace between)


@dataclass(frozen=True, slots=True)
class _Highlight:
    layer: str
    index: int
    span: Span
    order: tuple[int, str]


def _blocks(article: Article) -> list[_Block]:
    """Cover the whole text with paragraphs and what lies between them, in order."""
    text, n = article.text, len(article.text)
    paras = sorted(
        (max(0, min(s.start, n)), max(0, min(s.end, n)), s.label)
        for s in article.layer("paragraphs")
    )
    if not paras:
        return [_Block(0, n, "para")] if n else []
    blocks: list[_Block] = []
    cursor = 0

    def gap(start: int, end: int) -> None:
        kind = "space" if not text[start:end].strip() else "gap"
        blocks.append(_Block(start, end, kind))

    for start, end, label in paras:
        start = max(start, cursor)  # overlapping paragraphs: never render text twice
        if end <= start:
            continue
        if start > cursor:
            gap(cursor, start)
        blocks.append(_Block(start, end, "title" if label == "title" else "para"))
        cursor = end
    if cursor < n:
        gap(cursor, n)
    return blocks


def _span_title(layer: str, span: Span, names: Mapping[str, str]) -> str:
    if layer == "entities" and "entity" in span.attrs:
        cluster_id = _as_text(span.attrs["entity"])
        name = names.get(cluster_id)
        if name is not None:
            return _shorten(f"{name} ({span.label}) · entity {cluster_id}", TITLE_ATTR_CHARS)
    if layer == "techniques" and "explanation" in span.attrs:
        certainty = certainty_words(span.attrs)
        conf_text = f" ({certainty})" if certainty else ""
        explanation = _as_text(span.attrs["explanation"])
        title = f"{span.label.replace('_', ' ')}{conf_text}: {explanation}"
        return _shorten(title, TITLE_ATTR_CHARS)
    parts = [f"{layer}: {span.label}"]
    parts += [
        f"{key}={_shorten(_as_text(value), ATTR_VALUE_CHARS)}" for key, value in span.attrs.items()
    ]
    return _shorten(" · ".join(parts), TITLE_ATTR_CHARS)


_OPEN = Markup(
    '<mark class="{cls}" data-layer="{layer}" data-index="{index}" '
    'data-label="{label}" title="{title}"{id}>'
)
_CLOSE = Markup("</mark>")


def render_article_text(
    article: Article,
    *,
    anchor: str = "a",
    layer_slugs: Mapping[str, str] | None = None,
) -> Markup:
    """The article text as HTML paragraphs with every highlight layer drawn.

    ``anchor`` prefixes element ids (``{anchor}-{layer}-{index}`` on each span's first
    element); ``layer_slugs`` maps layer names to the CSS-safe names used in classes. Stripping
    the tags and unescaping the result gives back exactly ``article.text``.
    """
    text = article.text
    slugs = dict(layer_slugs or {})
    for name in article.layers:
        slugs.setdefault(name, _slug(name))
    names = {c.id: c.name for c in article.clusters}
    # One global nesting order: earlier start outside, then longer, then layer order. Every
    # segment's covering spans are a subsequence of it, so neighbouring segments share the
    # open elements they have in common and a span is split only where another one crosses it.
    highlights = sorted(
        (
            _Highlight(name, i, s, _layer_sort_key(name))
            for name, spans in article.layers.items()
            if name not in HIDDEN_LAYERS
            for i, s in enumerate(spans)
            if s.end > s.start
        ),
        key=lambda h: (h.span.start, -h.span.end, h.order, h.index),
    )
    anchored: set[tuple[str, int]] = set()
    out: list[Markup] = []
    # One sweep over the sorted highlights: each block gets only those that reach it (a scan
    # of every highlight per paragraph made a long article's report quadratic: 3,000
    # paragraphs took 44 s to render).
    waiting, live = 0, []
    for block in _blocks(article):
        if block.kind == "space":
            out.append(escape(text[block.start : block.end]))
            continue
        while waiting < len(highlights) and highlights[waiting].span.start < block.end:
            live.append(highlights[waiting])
            waiting += 1
        inside = [h for h in live if h.span.end > block.start]
        live = [h for h in inside if h.span.end > block.end]
        body = _render_block(article, block, inside, names, slugs, anchor, anchored)
        if block.kind == "title":
            out.append(Markup('<h3 class="para title">{}</h3>').format(body))
        else:
            css = "para gap" if block.kind == "gap" else "para"
            out.append(Markup('<p class="{}">{}</p>').format(css, body))
    return Markup("").join(out)


class _Open:
    """A ``<mark>`` being built: its classes depend on where it is closed."""

    __slots__ = ("depth", "end", "first", "highlight", "start")

    def __init__(self, highlight: _Highlight, start: int, depth: int, first: bool) -> None:
        self.highlight, self.start, self.depth, self.first = highlight, start, depth, first
        self.end = start


def _render_block(
    article: Article,
    block: _Block,
    highlights: Sequence[_Highlight],
    names: Mapping[str, str],
    slugs: Mapping[str, str],
    anchor: str,
    anchored: set[tuple[str, int]],
) -> Markup:
    start, end = block.start, block.end
    inside = highlights  # the block's, in the global nesting order
    cuts = {start, end}
    for h in inside:
        cuts.add(max(h.span.start, start))
        cuts.add(min(h.span.end, end))
    points = sorted(cuts)
    # Tokens are text (Markup), an open element (_Open) or a close marker (None).
    tokens: list[Markup | _Open | None] = []
    stack: list[_Open] = []
    waiting, live = 0, []  # a sweep again: a segment's cover is among the spans open at it
    for a, b in pairwise(points):
        while waiting < len(inside) and inside[waiting].span.start <= a:
            live.append(inside[waiting])
            waiting += 1
        live = [h for h in live if h.span.end > a]
        cover = [h for h in live if h.span.end >= b]
        keep = 0
        while keep < min(len(stack), len(cover)) and stack[keep].highlight is cover[keep]:
            keep += 1
        while len(stack) > keep:
            stack.pop().end = a
            tokens.append(None)
        for h in cover[keep:]:
            key = (h.layer, h.index)
            element = _Open(h, a, len(stack), first=key not in anchored)
            anchored.add(key)
            stack.append(element)
            tokens.append(element)
        tokens.append(escape(article.text[a:b]))
    while stack:
        stack.pop().end = end
        tokens.append(None)
    pieces: list[Markup] = []
    for token in tokens:
        if token is None:
            pieces.append(_CLOSE)
        elif isinstance(token, _Open):
            pieces.append(_open_tag(token, names, slugs, anchor))
        else:
            pieces.append(token)
    return Markup("").join(pieces)


def _open_tag(
    element: _Open, names: Mapping[str, str], slugs: Mapping[str, str], anchor: str
) -> Markup:
    h = element.highlight
    classes = ["hl", f"l-{slugs[h.layer]}", f"t-{_slug(h.span.label)}", f"d{min(element.depth, 3)}"]
    if element.start > h.span.start:
        classes.append("cont")  # the span began in an earlier element
    if element.end < h.span.end:
        classes.append("more")  # the span goes on in a later element
    element_id = Markup("")
    if element.first:
        element_id = Markup(' id="{}"').format(f"{anchor}-{slugs[h.layer]}-{h.index}")
    return _OPEN.format(
        cls=" ".join(classes),
        layer=h.layer,
        index=h.index,
        label=h.span.label,
        title=_span_title(h.layer, h.span, names),
        id=element_id,
    )


# -- view model -------------------------------------------------------------------------------
def _evidence_spans(
    article: Article, refs: Any, anchor: str, slugs: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Evidence span references as ``{text, href}``: ``[layer, index]``, ``{layer, index}``,
    ``[start, end]`` or ``{start, end}``; anything else is shown as JSON."""
    if refs is None:
        return []
    if not isinstance(refs, list | tuple) or (
        len(refs) == 2 and all(isinstance(v, int | str) for v in refs)
    ):
        refs = [refs]  # one reference given on its own
    out: list[dict[str, Any]] = []
    for ref in refs:
        layer: Any = None
        index: Any = None
        bounds: tuple[Any, Any] | None = None
        if isinstance(ref, Mapping):
            layer, index = ref.get("layer"), ref.get("index")
            if layer is None and "start" in ref and "end" in ref:
                bounds = (ref["start"], ref["end"])
        elif isinstance(ref, list | tuple) and len(ref) == 2:
            if isinstance(ref[0], str):
                layer, index = ref
            else:
                bounds = (ref[0], ref[1])
        spans = article.layers.get(layer) if isinstance(layer, str) else None
        if spans is not None and isinstance(index, int) and 0 <= index < len(spans):
            surface = _shorten(spans[index].text, EVIDENCE_SURFACE_CHARS)
            href = None
            if layer not in HIDDEN_LAYERS and spans[index].end > spans[index].start:
                href = f"#{anchor}-{slugs.get(layer, _slug(layer))}-{index}"
            out.append({"text": f"“{surface}”", "href": href, "ref": f"{layer}[{index}]"})
        elif bounds is not None and all(isinstance(v, int) for v in bounds):
            lo, hi = (max(0, min(v, len(article.text))) for v in bounds)
            surface = _shorten(article.text[lo:hi], EVIDENCE_SURFACE_CHARS)
            out.append({"text": f"“{surface}”", "href": None, "ref": f"[{lo}, {hi})"})
        else:
            out.append({"text": _as_text(ref), "href": None, "ref": ""})
    return out


def _statements(article: Article, anchor: str, slugs: Mapping[str, str]) -> list[dict[str, Any]]:
    """Speaker → statement rows for the "Statements" section (none without the layer)."""
    if "attributions" not in article.layers:
        return []
    slug = slugs.get("attributions", _slug("attributions"))
    return [
        {
            "speaker": row["speaker"],
            "resolved": row["speaker_id"] is not None,
            "source": row["source"],
            "kind": _as_text(row["kind"]),
            "cue": row["cue"],
            "confidence": "—" if row["confidence"] is None else f"{row['confidence']:.2f}",
            "text": _shorten(row["text"], STATEMENT_CHARS),
            "href": f"#{anchor}-{slug}-{row['index']}" if row["end"] > row["start"] else None,
        }
        for row in quote_rows([article])
    ]


def _numbers(article: Article, anchor: str, slugs: Mapping[str, str]) -> list[dict[str, Any]]:
    """Number rows for the "Numbers" section: the number (linked to its highlight), what it
    counts, when, and on whose word (``views.numbers``, as ``presslens numbers``)."""
    slug = slugs.get("quantities", _slug("quantities"))
    return [
        {
            "text": row["text"],
            "counted": row["counts"],
            "when": row["when"],
            "cited": row["cited"],
            "source": row["source"],
            "href": f"#{anchor}-{slug}-{row['index']}",
        }
        for row in number_rows([article])
    ]


def _per_1000_words(article: Article, layer: str) -> str:
    words = len(article.text.split())
    return f"{1000 * len(article.layer(layer)) / words:.1f}" if words else "0.0"


def _techniques(article: Article, anchor: str, slugs: Mapping[str, str]) -> list[dict[str, Any]]:
    """Technique rows: name, text (linked to its highlight), confidence, plain explanation."""
    slug = slugs.get("techniques", _slug("techniques"))
    rows = []
    for i, span in enumerate(article.layer("techniques")):
        rows.append(
            {
                "name": span.label.replace("_", " "),
                "text": _shorten(span.text, STATEMENT_CHARS),
                "href": f"#{anchor}-{slug}-{i}" if span.end > span.start else None,
                "confidence": certainty_text(span.attrs),
                "from_paragraph": from_paragraph(span.attrs),
                "explanation": _as_text(span.attrs.get("explanation") or ""),
            }
        )
    return rows


def _claims(article: Article, anchor: str, slugs: Mapping[str, str]) -> list[dict[str, Any]]:
    """Check-worthy sentences with their score, linked to their highlight."""
    slug = slugs.get("claims", _slug("claims"))
    return [
        {
            "text": _shorten(span.text, STATEMENT_CHARS),
            "href": f"#{anchor}-{slug}-{i}" if span.end > span.start else None,
            "score": _format_weight(span.attrs.get("score")).lstrip("+"),
        }
        for i, span in enumerate(article.layer("claims"))
    ]


def _format_weight(weight: Any) -> str:
    if isinstance(weight, float):
        return f"{weight:+.2f}"
    return "" if weight is None else _as_text(weight)


def _article_view(article: Article, number: int, slugs: Mapping[str, str]) -> dict[str, Any]:
    anchor = f"a{number}"
    genre = article.meta.get("genre")
    evidence: list[dict[str, Any]] = []
    if isinstance(genre, Mapping) and isinstance(genre.get("evidence"), list | tuple):
        for item in genre["evidence"]:
            item = item if isinstance(item, Mapping) else {"note": _as_text(item)}
            evidence.append(
                {
                    "feature": _as_text(item.get("feature", "")),
                    "value": _as_text(item.get("value", "")),
                    "weight": _format_weight(item.get("weight")),
                    "towards": _as_text(item.get("towards") or ""),
                    "contribution": _format_weight(item.get("contribution")),
                    "note": _as_text(item.get("note", "") or ""),
                    "spans": _evidence_spans(article, item.get("spans"), anchor, slugs),
                }
            )
    scores: list[tuple[str, str]] = []
    if isinstance(genre, Mapping) and isinstance(genre.get("scores"), Mapping):
        scores = [
            (_as_text(k), f"{v:.2f}" if isinstance(v, float) else _as_text(v))
            for k, v in genre["scores"].items()
        ]
    other_meta = {k: v for k, v in article.meta.items() if k not in ("genre", "dateline")}
    published = article.published
    return {
        "number": number,
        "anchor": anchor,
        "id": article.id,
        "heading": article.title or _first_words(article.text) or "(empty article)",
        "has_title": bool(article.title),
        "outlet": article.outlet,
        "url": article.url,
        "href": safe_href(article.url),
        "date": published.date.isoformat() if published else None,
        "date_source": published.source if published else None,
        "date_raw": published.raw if published else None,
        "authors": list(article.authors),
        "source": article.source,
        "language": language_label(article.language, article.meta.get("language_from")),
        "not_english": flagged(article.language, article.meta.get("language_from")),
        "dateline": _dateline_place(article),
        "genre": _genre_label(article),
        "evidence": evidence,
        "genre_scores": scores,
        "other_meta": json.dumps(other_meta, ensure_ascii=False, indent=2, default=str)
        if other_meta
        else None,
        "clusters": [
            {
                "id": c.id,
                "name": c.name,
                "label": c.label,
                "label_class": f"l-{slugs.get('entities', 'entities')} t-{_slug(c.label)}",
                "mentions": len(c.mentions),
                "variants": sorted(c.variants.items(), key=lambda kv: (-kv[1], kv[0])),
            }
            for c in article.clusters
        ],
        "statements": _statements(article, anchor, slugs),
        "numbers": _numbers(article, anchor, slugs),
        "has_attributions": "attributions" in article.layers,
        "techniques": _techniques(article, anchor, slugs),
        "has_techniques": "techniques" in article.layers,
        "techniques_per_1000": _per_1000_words(article, "techniques"),
        "claims": _claims(article, anchor, slugs),
        "removed": [
            {
                "kind": r.kind,
                "text": r.text,
                "raw_start": r.raw_start,
                "raw_end": r.raw_end,
                "reason": r.reason,
            }
            for r in article.removed
        ],
        "layers": [
            {"name": name, "count": len(spans)}
            for name, spans in sorted(article.layers.items(), key=lambda kv: _layer_sort_key(kv[0]))
        ],
        "text_html": render_article_text(article, anchor=anchor, layer_slugs=slugs),
        "chars": len(article.text),
    }


def _error_view(error: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: "" if error.get(key) is None else _as_text(error.get(key))
        for key in ("code", "type", "where", "message", "hint")
    }


# -- rendering --------------------------------------------------------------------------------
@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("presslens.views", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["visible"] = visible
    return env


@cache
def _script() -> tuple[Markup, str]:
    """Our inline script and its base64 SHA-256 digest for the CSP ``script-src``."""
    source = (files("presslens.views") / "templates" / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    # The script is our own file and contains no "</script": safe to emit verbatim.
    return Markup(source), digest


def render_report(
    articles: Sequence[Article],
    *,
    title: str = "presslens report",
    errors: Sequence[Mapping[str, Any]] = (),
    generated_at: str | None = None,
) -> str:
    """Render articles (and the inputs that failed) as one self-contained HTML page.

    ``errors`` are error records as written to ``errors.jsonl`` (``code``, ``type``, ``where``,
    ``message``, ``hint``). ``generated_at`` defaults to the current UTC time; pass a fixed
    string for reproducible output.
    """
    from presslens import __version__

    if generated_at is None:
        generated_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    styles = _layer_styles(articles)
    slugs = {name: style.slug for name, style in styles.items()}
    script, script_hash = _script()
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        generated_at=generated_at,
        version=__version__,
        summary=report_summary(articles),
        failed=len(errors),
        errors=[_error_view(e) for e in errors],
        layers=list(styles.values()),
        articles=[_article_view(a, n, slugs) for n, a in enumerate(articles, start=1)],
        script=script,
        script_hash=script_hash,
        paragraph_legend=PARAGRAPH_LEGEND,
    )
