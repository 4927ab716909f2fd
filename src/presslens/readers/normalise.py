"""Normalise a raw document into an :class:`Article` whose every offset maps back to the raw text.

One pass over the body lines decides what stays (boilerplate and repeated lines go to
``meta["removed"]`` with their raw offsets), then the text is written through an
:class:`~presslens.offsets.OffsetMapBuilder`, so text and offset map cannot drift apart.
Each non-blank line is one paragraph (news text files put one paragraph per line);
paragraphs are separated by one blank line. Typographic quotes and dashes are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from presslens.language import declared_tag, guess_language
from presslens.model import Article, Published, Removed, Span
from presslens.offsets import OffsetMapBuilder
from presslens.readers import codes
from presslens.readers.boilerplate import widget_reason
from presslens.readers.bylines import byline_authors, credit_authors
from presslens.readers.dates import parse_date
from presslens.readers.document import RawDocument
from presslens.readers.lines import INVISIBLE, INVISIBLE_RE, Line, body_lines, body_start, line_key
from presslens.readers.markers import disclaimer_kind, find_dateline
from presslens.settings import Settings

PARAGRAPH_SEPARATOR = "\n\n"
#: Runs of whitespace and invisible controls; a run holding whitespace becomes one space, a
#: run of controls alone disappears (``a\u202eb`` -> ``ab``).
_WS_RUN_RE = re.compile(rf"[\s{INVISIBLE}]+")
#: Whitespace that is not a lone space (tabs, NBSP, runs): the line needs rewriting.
_ODD_SPACE_RE = re.compile(r"[^\S ]|  ")
#: At most this many removed control runs are listed in ``meta.removed`` (all are counted in
#: ``meta.controls_removed``): hostile input may hold millions.
MAX_CONTROL_RECORDS = 100
#: A headline does not end like a sentence or a lead-in; a colon inside it is fine.
_SENTENCE_END = tuple(".!?:;,…")
_CLOSERS = "\"'”’»)]"
#: A line that is only a date, maybe after a label: "Updated: Nov 24, 2026", "date 24/11/2026".
_LABEL_RE = re.compile(r"(?:[A-Za-z]+(?: [A-Za-z]+)?:?\s+)?")
_NUMERIC_DATE_RE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
#: A paragraph opening with words in capitals and a colon: a transcript's speaker label.
_SPEAKER_LABEL = re.compile(r"[A-Z][A-Z.'’ -]{1,40} ?:\s")
#: A byline is looked for among the first lines kept (a headline, a standfirst, the byline).
BYLINE_WITHIN = 3
#: Credit lines are looked for among the last lines kept (credits, then a standards note).
CREDITS_WITHIN = 3
#: A date line is looked for among the first paragraphs of the body ("24 November 2026" under
#: the headline and byline of a page saved as text).
DATE_LINE_WITHIN = 3
#: Labels of a date line that give the publication date (an "Updated" date does not).
PUBLISHED_LABELS = frozenset({"published", "posted", "date", "dated", "first published"})


@dataclass(frozen=True)
class _Kept:
    line: Line
    blank_after: bool


def normalise(
    doc: RawDocument, settings: Settings, *, repeated: frozenset[str] = frozenset()
) -> Article:
    """The article of ``doc``; ``repeated`` holds line keys of its outlet to drop as boilerplate.

    Raises :class:`~presslens.errors.InputError` (P117) when nothing is left.
    """
    removed = _header_removals(doc)
    kept = _keep_lines(doc, settings, repeated, removed)
    controls = _control_removals(doc, removed)
    if not kept:
        what = f" ({len(removed)} lines removed as headers or boilerplate)" if removed else ""
        raise codes.input_error(
            codes.NOTHING_LEFT,
            f"no article text left after normalisation{what}",
            where=doc.source,
            hint="Check the input has a body; see Article.removed rules in the README.",
        )
    has_title = _is_title(doc, kept, settings)

    builder = OffsetMapBuilder()
    bounds: list[tuple[int, int]] = []
    for i, item in enumerate(kept):
        if i:
            builder.replace(PARAGRAPH_SEPARATOR, kept[i - 1].line.end, item.line.start)
        start = builder.position
        _emit_line(builder, doc.raw, item.line)
        bounds.append((start, builder.position))
    text, offsets = builder.build()

    art = Article(
        text=text,
        title=one_line(doc.title),
        outlet=one_line(doc.outlet),
        url=one_line(doc.url),
        source=doc.source,
        published=doc.published,
        authors=[a for a in map(one_line, doc.authors) if a],
        meta={
            "format": doc.format,
            "key": doc.key,
            **doc.meta,
            "removed": [r.model_dump() for r in [*removed, *controls[:MAX_CONTROL_RECORDS]]],
        },
        offset_map=offsets.pieces,
    )
    paragraphs = [
        art.span(s, e, "title" if has_title and i == 0 else "paragraph")
        for i, (s, e) in enumerate(bounds)
    ]
    art.layers["paragraphs"] = paragraphs
    if controls:
        art.meta["controls_removed"] = sum(r.raw_end - r.raw_start for r in controls)
    art.layers["datelines"] = []
    art.layers["disclaimers"] = []
    if has_title:
        art.title = art.title or paragraphs[0].text
        art.meta["title_span"] = [paragraphs[0].start, paragraphs[0].end]
    body = paragraphs[1:] if has_title else paragraphs
    lead = _date_line_published(art, body)
    if lead < len(body):
        # a colon after capitals is a dateline ("NEW DELHI: …") unless later paragraphs open
        # the same way: then they are a transcript's speaker labels ("TRUMP: …")
        colon = not any(_SPEAKER_LABEL.match(p.text) for p in body[lead + 1 :])
        _mark_dateline(art, body[lead], colon=colon)
    for para in body:
        kind = disclaimer_kind(para.text)
        if kind is not None:
            art.add("disclaimers", art.span(para.start, para.end, "disclaimer", kind=kind))
    _set_language(art, doc)
    # The id hashes the raw input, not the normalised text: corpus-dependent rules (lines an
    # outlet repeats) may normalise the same file differently as the corpus grows, and the
    # article must keep its id so the store updates it instead of keeping a stale copy.
    art.id = Article.make_id(doc.key, doc.raw)
    art.check()
    return art


#: Record fields and header lines that declare the article's language (case ignored).
LANGUAGE_KEYS = ("language", "lang")


def _set_language(art: Article, doc: RawDocument) -> None:
    """``art.language``: the language the input declares, else the one the text reads as
    (``"en"`` unless it reads confidently as another; see :mod:`presslens.language`).

    ``meta.language_from`` keeps the evidence when the input declares a language (``rule``
    ``declared``, the value as written, where it was found, and what the text reads as) or
    the text reads as another language than English; an English text with no declaration
    gets none."""
    guess = guess_language(art.text)
    declared = _declared_language(doc.meta)
    if declared is not None:
        tag, value, where = declared
        art.language = tag
        art.meta["language_from"] = {
            "rule": "declared",
            "value": value,
            "where": where,
            "detected": guess.evidence(),
        }
        return
    art.language = guess.language
    if not guess.english:
        art.meta["language_from"] = guess.evidence()


def _declared_language(meta: dict[str, object]) -> tuple[str, str, str] | None:
    """(tag, value as written, where) of the first usable declaration: a record field
    ``language``/``lang``, a ``language:`` header line, the page's ``<html lang>`` (or its
    language meta tag), the feed's ``<language>`` / ``xml:lang``."""
    found: list[tuple[object, str]] = []
    fields = meta.get("fields")
    if isinstance(fields, dict):
        found += [(v, f"record field {k!r}") for k, v in fields.items() if _language_key(k)]
    headers = meta.get("headers")
    if isinstance(headers, list):
        found += [
            (h.get("value"), f"header {h.get('field')!r}")
            for h in headers
            if isinstance(h, dict) and _language_key(h.get("field"))
        ]
    found.append((meta.get("page_language"), "the page's lang"))
    found.append((meta.get("feed_language"), "the feed's language"))
    for value, where in found:
        tag = declared_tag(value)
        if tag is not None:
            return tag, str(value), where
    return None


def _language_key(key: object) -> bool:
    return isinstance(key, str) and key.strip().lower() in LANGUAGE_KEYS


def one_line(value: str | None) -> str | None:
    """A metadata field (title, outlet, url, author) as one line of visible text: invisible
    controls dropped, each whitespace run one space, None when nothing is left.

    The body loses its controls in the offset map; a title kept "\x02" and "\x03", which
    the search uses as its hit markers, so one such title moved every highlight after it."""
    if value is None:
        return None
    return " ".join(INVISIBLE_RE.sub("", value).split()) or None


def _header_removals(doc: RawDocument) -> list[Removed]:
    return [
        Removed(
            kind="header",
            text=doc.raw[h["raw_start"] : h["raw_end"]],
            raw_start=h["raw_start"],
            raw_end=h["raw_end"],
            reason=f"{h['field']} header",
        )
        for h in doc.meta.get("headers") or []
    ]


def _control_removals(doc: RawDocument, removed: list[Removed]) -> list[Removed]:
    """Runs of invisible controls in the body, outside lines removed whole (see lines.INVISIBLE)."""
    taken = sorted((r.raw_start, r.raw_end) for r in removed)
    out: list[Removed] = []
    i = 0
    for m in INVISIBLE_RE.finditer(doc.raw, body_start(doc)):
        while i < len(taken) and taken[i][1] <= m.start():
            i += 1
        if i < len(taken) and taken[i][0] <= m.start():
            continue  # inside a header or boilerplate line already kept in meta.removed
        names = sorted({f"U+{ord(c):04X}" for c in m.group()[:16]})
        out.append(
            Removed(
                kind="control",
                text=m.group(),
                raw_start=m.start(),
                raw_end=m.end(),
                reason="invisible control character(s) " + " ".join(names),
            )
        )
    return out


def _keep_lines(
    doc: RawDocument, settings: Settings, repeated: frozenset[str], removed: list[Removed]
) -> list[_Kept]:
    lines = body_lines(doc)
    kept: list[_Kept] = []
    byline_seen = False
    for i, line in enumerate(lines):
        if line.blank:
            continue
        reason = widget_reason(line.text)
        kind = "boilerplate"
        if reason is None and len(kept) < BYLINE_WITHIN and not byline_seen:
            authors = byline_authors(line.text)
            if authors is not None:
                kind, reason, byline_seen = "byline", "byline: " + "; ".join(authors), True
                if not doc.authors:
                    doc.authors.extend(authors)
        if reason is None and repeated:
            key = line_key(line.text)
            if key in repeated and disclaimer_kind(key) is None:
                kind = "repeated-line"
                reason = (
                    f"line found in {settings.repeated_line_min_articles}+ articles of outlet "
                    f"{doc.outlet!r}"
                )
        if reason is not None:
            removed.append(
                Removed(
                    kind=kind, text=line.text, raw_start=line.start, raw_end=line.end, reason=reason
                )
            )
            continue
        blank_after = i + 1 < len(lines) and lines[i + 1].blank
        kept.append(_Kept(line, blank_after))
    return _drop_credits(doc, kept, removed)


def _drop_credits(doc: RawDocument, kept: list[_Kept], removed: list[Removed]) -> list[_Kept]:
    """Credit lines among the last lines kept ("Reporting by Alex Lawler in London; Editing by
    Jason Neely") leave the text as kind ``credits``: their names were people of the story.
    The reporters and writers they name are the authors when nothing else named any."""
    if len(kept) <= CREDITS_WITHIN:
        return kept  # too short to tell a credit line from the article
    drop: set[int] = set()
    for k in range(len(kept) - CREDITS_WITHIN, len(kept)):
        line = kept[k].line
        authors = credit_authors(line.text)
        if authors is None:
            continue
        drop.add(k)
        removed.append(
            Removed(
                kind="credits",
                text=line.text,
                raw_start=line.start,
                raw_end=line.end,
                reason="credits: " + ("; ".join(authors) or "editors only"),
            )
        )
        if authors and not doc.authors:
            doc.authors.extend(authors)
    return [item for k, item in enumerate(kept) if k not in drop] if drop else kept


def _is_title(doc: RawDocument, kept: list[_Kept], settings: Settings) -> bool:
    """Whether the first kept line is the headline.

    With a title from metadata it is when the line repeats that title; otherwise when it is
    short, does not end like a sentence, is followed by a blank line and more text follows.
    """
    first = line_key(kept[0].line.text)
    if doc.title:
        return first.casefold() == line_key(doc.title).casefold()
    return (
        len(kept) > 1
        and kept[0].blank_after
        and len(first) <= settings.title_max_chars
        and len(first.split()) >= 2
        and not first.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        and any(c.isalpha() for c in first)
        and find_dateline(first) is None
        and disclaimer_kind(first) is None
        and not _is_date_line(first)
    )


def _is_date_line(line: str) -> bool:
    """Whether ``line`` is a date, maybe labelled (a headline is not)."""
    rest = line[_LABEL_RE.match(line).end() :]  # type: ignore[union-attr]  # always matches
    return (
        parse_date(line) is not None
        or parse_date(rest) is not None
        or _NUMERIC_DATE_RE.fullmatch(rest.strip()) is not None
    )


def _date_line_published(art: Article, body: list[Span]) -> int:
    """Index of the first body paragraph after the date lines that open the body.

    The first such line ("24 November 2026", "Published: Nov. 24, 2026") is the publication
    date when nothing else gave one (``published.source`` ``date-line``): a page saved as text
    keeps its date under the headline. Not when more date lines follow in the body (a timeline
    whose sections are dates) nor when the line is labelled otherwise ("Updated: …")."""
    lead = 0
    while lead < min(len(body), DATE_LINE_WITHIN) and _is_date_line(body[lead].text):
        lead += 1
    if not lead or art.published is not None:
        return lead
    if any(_is_date_line(p.text) for p in body[lead:]):
        return lead
    line = body[0].text
    found = parse_date(line)
    if found is None:
        label = _LABEL_RE.match(line).group()  # type: ignore[union-attr]  # always matches
        if label.strip().rstrip(":").strip().lower() in PUBLISHED_LABELS:
            found = parse_date(line[len(label) :])
    if found is not None:
        art.published = Published(date=found, source="date-line", raw=line.strip())
    return lead


def _mark_dateline(art: Article, para: Span, *, colon: bool = False) -> None:
    found = find_dateline(para.text, colon=colon)
    if found is None:
        return
    start, end = para.start + found.place_start, para.start + found.place_end
    art.meta["dateline"] = {"place": found.place, "start": start, "end": end}
    art.add(
        "datelines", art.span(para.start, para.start + found.end, "dateline", place=found.place)
    )


def _emit_line(builder: OffsetMapBuilder, raw: str, line: Line) -> None:
    """Write one line: whitespace runs become one space, invisible controls go, other text is
    NFC-normalised."""
    text = line.text
    controls = INVISIBLE_RE.search(text) is not None
    if (
        not controls
        and _ODD_SPACE_RE.search(text) is None
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        builder.copy(raw, line.start, line.end)  # the common case: nothing to rewrite
        return
    emit = _emit_chunk if controls else _emit_nfc
    pos = line.start
    for m in _WS_RUN_RE.finditer(raw, line.start, line.end):
        run = m.group()
        if not any(c.isspace() for c in run):
            continue  # controls alone: part of the word around them (_emit_chunk drops them)
        emit(builder, raw, pos, m.start())
        if run == " ":
            builder.copy(raw, m.start(), m.end())
        else:
            builder.replace(" ", m.start(), m.end())
        pos = m.end()
    emit(builder, raw, pos, line.end)


def _emit_chunk(builder: OffsetMapBuilder, raw: str, start: int, end: int) -> None:
    """Write text without whitespace, dropping invisible controls inside it."""
    gaps = list(INVISIBLE_RE.finditer(raw, start, end))
    if not gaps:
        _emit_nfc(builder, raw, start, end)
        return
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in gaps:
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        pieces.append((pos, end))
    nfc = unicodedata.normalize
    joined = "".join(raw[s:e] for s, e in pieces)
    if nfc("NFC", joined) == "".join(nfc("NFC", raw[s:e]) for s, e in pieces):
        for s, e in pieces:
            _emit_nfc(builder, raw, s, e)
    else:
        # A removed control separated a letter from the mark that composes with it.
        builder.replace(nfc("NFC", joined), start, end)


def _emit_nfc(builder: OffsetMapBuilder, raw: str, start: int, end: int) -> None:
    """Copy ``raw[start:end]``, replacing only the clusters that NFC changes."""
    chunk = raw[start:end]
    if chunk.isascii() or unicodedata.is_normalized("NFC", chunk):
        builder.copy(raw, start, end)
        return
    for s, e in _nfc_clusters(chunk):
        piece = chunk[s:e]
        composed = unicodedata.normalize("NFC", piece)
        if composed == piece:
            builder.copy(raw, start + s, start + e)
        else:
            builder.replace(composed, start + s, start + e)


def _nfc_clusters(chunk: str) -> list[tuple[int, int]]:
    """Split into runs NFC treats independently: a starter with its combining marks, merged
    with the next run whenever NFC composes across them (e.g. Hangul jamo)."""
    runs: list[tuple[int, int]] = []
    for i, ch in enumerate(chunk):
        if i and unicodedata.combining(ch) == 0:
            runs.append((runs[-1][1] if runs else 0, i))
    runs.append((runs[-1][1] if runs else 0, len(chunk)))
    merged: list[tuple[int, int]] = []
    for s, e in runs:
        if merged:
            ps, pe = merged[-1]
            a, b = chunk[ps:pe], chunk[s:e]
            nfc = unicodedata.normalize
            if nfc("NFC", a + b) != nfc("NFC", a) + nfc("NFC", b):
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged
