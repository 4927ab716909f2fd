"""JSONL and CSV corpora: one article per record, field names from settings.

Files are streamed record by record, so a corpus file may be far larger than
``max_article_bytes``; the limit applies to each record. A bad record is reported with its
line number and the rest of the file is still read. Lines are cut and decoded one at a time
(:mod:`presslens.readers.record_lines`), so a byte that does not decode loses only its record;
a UTF-8, UTF-16 or UTF-32 byte-order mark names the codec.

Files joined with ``cat`` are read as one: a byte-order mark opening a later line is dropped,
and a CSV row that repeats the header's names (in any order) is read as a new header.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import IO, Any

from presslens.errors import InputError
from presslens.model import Published
from presslens.readers import codes
from presslens.readers.dates import parse_date
from presslens.readers.decode import SNIFF_BYTES, check_bytes
from presslens.readers.document import RawDocument
from presslens.readers.headers import split_authors
from presslens.readers.html import Extracted, extract_html, looks_like_html, page_meta
from presslens.readers.record_lines import (
    READ_CHUNK,
    LineCodec,
    csv_lines,
    jsonl_lines,
    line_codec,
)
from presslens.settings import Settings

#: Extra record fields kept in ``meta["fields"]``: scalars only, strings up to this long.
MAX_META_STRING = 200
#: Consecutive empty CSV rows tolerated: each costs a Python loop turn, so a flood of blank
#: lines (e.g. decompressed from a tiny .csv.gz) would otherwise take minutes.
MAX_EMPTY_ROWS = 10_000


def read_jsonl(
    stream: IO[bytes],
    *,
    path: str,
    base: str,
    settings: Settings,
    codec: LineCodec | None = None,
    first_line: int = 1,
    offset: int = 0,
) -> Iterator[RawDocument | InputError]:
    """Records of a JSON Lines stream; blank lines are skipped.

    A line may also hold a JSON array of objects: each object is a record (``where`` and
    ``source`` end in `` item N``). Control characters inside JSON strings (a raw tab or NUL
    from a careless exporter) are read, as normalisation removes them from the text.

    ``codec``, ``first_line`` and ``offset`` read part of a file (the scale path's line
    ranges): the stream starts at that line and byte, in the codec found for the whole file
    (:func:`~presslens.readers.record_lines.part_codec`), which the caller has checked."""
    head = stream.read(READ_CHUNK)
    if codec is None:
        problem = check_bytes(
            head[:SNIFF_BYTES], where=path, encoding=settings.encoding, records=True
        )
        if head and problem is not None:
            yield problem
            return
        codec = line_codec(head, settings.encoding)
    limit = settings.max_article_bytes
    nonblank = 0
    lines = jsonl_lines(stream, codec, head, limit, first_line=first_line, offset=offset)
    for lineno, start, line, size in lines:
        where = f"{path}:{lineno}"
        nonblank += 1
        if line is None:
            yield codes.too_large(size, limit, where=where, what="record")
            continue
        try:
            text = line.decode(codec.name)
        except UnicodeDecodeError as exc:
            yield _undecodable(
                codec,
                path=path,
                line=lineno,
                byte=start + exc.start,
                reason=exc.reason,
                skipped="line skipped",
                others="the other lines are read",
            )
            continue
        if text.startswith("\ufeff"):  # files joined with cat: the next one's byte-order mark
            text = text[1:]
            if not text.strip():
                nonblank -= 1
                continue
        record = _parse_json_line(text, lineno=lineno, where=where)
        if isinstance(record, InputError):
            yield record
            continue
        if isinstance(record, list) and record and all(isinstance(r, Mapping) for r in record):
            for n, item in enumerate(record, 1):
                yield _with_codec(
                    record_document(
                        item,
                        source=f"{where} item {n}",
                        base=base,
                        line=lineno,
                        fmt="jsonl",
                        settings=settings,
                        item=n,
                    ),
                    codec,
                )
            continue
        yield _with_codec(
            record_document(
                record, source=where, base=base, line=lineno, fmt="jsonl", settings=settings
            ),
            codec,
        )
    if not nonblank:
        yield codes.input_error(
            codes.EMPTY,
            "JSONL file has no records (only blank lines)",
            where=path,
            hint="Add one JSON object per line, or remove the file from the input.",
        )


def _parse_json_line(text: str, *, lineno: int, where: str) -> Any:
    """The JSON value of one line, or the P113 error that says why it is none."""
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        hint = (
            "Fix or remove this line (each line must be one JSON object); the other lines are read."
        )
        if text.strip() in ("[", "{"):
            hint = (
                "The line opens a JSON document written over many lines (pretty-printed), "
                "which is not JSON Lines: write one object per line, e.g. jq -c '.[]' "
                "in.json > out.jsonl for an array; the other lines are read."
            )
        return codes.input_error(
            codes.BAD_JSON,
            f"line {lineno} is not valid JSON: {exc.msg} at column {exc.colno}",
            where=where,
            hint=hint,
        )
    except ValueError:  # the only other: an integer past int()'s digit limit
        return codes.input_error(
            codes.BAD_JSON,
            f"line {lineno} holds a JSON number of more than 4,300 digits, which "
            "Python does not read",
            where=where,
            hint="Write very long numbers as strings; the other lines are read.",
        )
    except RecursionError:  # json raises this, not JSONDecodeError, past its depth
        return codes.input_error(
            codes.BAD_JSON,
            f"line {lineno} nests JSON arrays or objects deeper than the reader follows",
            where=where,
            hint="Flatten the record to one object whose text field is a string; the "
            "other lines are read.",
        )


def _with_codec(item: RawDocument | InputError, codec: LineCodec) -> RawDocument | InputError:
    """``item`` with ``meta.encoding`` set when its file is not read as UTF-8."""
    if isinstance(item, RawDocument) and codec.name != "utf-8":
        item.meta["encoding"] = codec.name
    return item


def _undecodable(
    codec: LineCodec, *, path: str, line: int, byte: int, reason: str, skipped: str, others: str
) -> InputError:
    """P107 for a bad byte in a file read as UTF-8 by default, P110 when a setting or a
    byte-order mark named the codec that failed."""
    if codec.utf8_default:
        code = codes.BAD_UTF8
        hint = (
            "Fix the byte or re-save the file as UTF-8; if the whole file is in a legacy "
            f"encoding, name it, e.g. --set encoding=cp1252. {others.capitalize()}."
        )
    else:
        code = codes.CODEC_FAILED
        hint = (
            "Check the file's encoding and pass it with --set encoding=NAME (or --set "
            f"encoding=auto). {others.capitalize()}."
        )
    return codes.input_error(
        code,
        f"cannot decode as {codec.label()} at byte {byte} of the file ({reason}); {skipped}",
        where=f"{path}:{line} byte {byte}",
        hint=hint,
    )


def read_csv(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Rows of a CSV stream with a header row; quoted fields may span lines."""
    # The csv module's field limit is process-wide; raise it (never lower it) so one
    # article-sized field fits. Larger records are reported by the size check below.
    csv.field_size_limit(max(csv.field_size_limit(), settings.max_article_bytes + 1))
    head = stream.read(READ_CHUNK)
    problem = check_bytes(head[:SNIFF_BYTES], where=path, encoding=settings.encoding, records=True)
    if head and problem is not None:
        yield problem
        return
    codec = line_codec(head, settings.encoding)
    lines = _DecodedLines(csv_lines(stream, codec, head), codec)
    delimiter = settings.csv_delimiter
    source: Iterable[str] = lines
    if codec.unit > 1 and codec.origin == "bom" and delimiter == ",":
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark, separated by tabs.
        first = next(lines, "")
        if "\t" in first and "," not in first:
            delimiter = "\t"
        source = chain([first], lines)
    yield from _csv_rows(
        source, lines, delimiter=delimiter, path=path, base=base, settings=settings
    )


class _DecodedLines:
    """Decoded lines for the :mod:`csv` module. A line that does not decode is handed on with
    U+FFFD in place of its bad bytes and noted in :attr:`bad` (line, byte offset, reason), so
    that the row holding it can be reported and skipped."""

    def __init__(self, lines: Iterator[tuple[int, int, bytes]], codec: LineCodec) -> None:
        self._lines = lines
        self.codec = codec
        self.bad: deque[tuple[int, int, str]] = deque()

    def __iter__(self) -> _DecodedLines:
        return self

    def __next__(self) -> str:
        lineno, start, data = next(self._lines)
        try:
            text = data.decode(self.codec.name)
        except UnicodeDecodeError as exc:
            self.bad.append((lineno, start + exc.start, exc.reason))
            text = data.decode(self.codec.name, "replace")
        # Files joined with cat: the next file's byte-order mark opens a line.
        return text[1:] if text.startswith("\ufeff") else text

    def take_bad(self, upto: int) -> tuple[int, int, str] | None:
        """The first bad line up to line ``upto``, forgetting all of them."""
        first = None
        while self.bad and self.bad[0][0] <= upto:
            found = self.bad.popleft()
            first = first or found
        return first


def _csv_rows(
    source: Iterable[str],
    lines: _DecodedLines,
    *,
    delimiter: str,
    path: str,
    base: str,
    settings: Settings,
) -> Iterator[RawDocument | InputError]:
    reader = csv.reader(source, delimiter=delimiter)
    header: list[str] | None = None
    empty = 0
    rows = 0
    while True:
        line = reader.line_num + 1
        where = f"{path}:{line}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            lines.take_bad(reader.line_num)  # the row is reported below either way
            if "field larger than field limit" in str(exc):
                yield codes.input_error(
                    codes.TOO_LARGE,
                    f"a field of the CSV row at line {line} is over the limit of "
                    f"{settings.max_article_bytes:,} bytes; row skipped",
                    where=where,
                    hint="Raise the limit with --set max_article_bytes=N, or check the quoting "
                    "(an unclosed quote swallows the rest of the file); the other rows are read.",
                )
                continue
            yield codes.input_error(
                codes.BAD_CSV,
                f"CSV row at line {line} cannot be parsed: {exc}",
                where=where,
                hint="Check quoting and --set csv_delimiter=…; the other rows are read.",
            )
            continue
        bad = lines.take_bad(reader.line_num)
        if bad is not None:
            bad_line, byte, reason = bad
            row_at = "" if bad_line == line else f" (in the row starting at line {line})"
            yield _undecodable(
                lines.codec,
                path=path,
                line=bad_line,
                byte=byte,
                reason=reason,
                skipped=f"row skipped{row_at}"
                if header is not None
                else "the header row cannot be read, so the file is skipped",
                others="the other rows are read" if header is not None else "then read it again",
            )
            if header is None:
                return
            rows += 1
            continue
        if not row:
            empty += 1
            if empty > MAX_EMPTY_ROWS:
                yield codes.input_error(
                    codes.BAD_CSV,
                    f"more than {MAX_EMPTY_ROWS:,} empty rows in a row before line {line}; "
                    "the rest of the file is skipped",
                    where=where,
                    hint="A real CSV export has no such gap: check the file (it may be "
                    "truncated, padded or hostile) and remove the empty lines.",
                )
                return
            continue
        empty = 0
        rows += 1
        if header is None:
            header = row
            if _field_key(header, settings.text_field) is None:
                yield _missing_field(
                    settings, header, where=where, what="CSV header", delimiter=delimiter
                )
                return
            continue
        if _same_names(row, header):
            header = row  # another file's header (files joined with cat): its order holds
            rows -= 1
            continue
        if len(row) != len(header):
            yield codes.input_error(
                codes.BAD_RECORD,
                f"row has {len(row)} fields but the header has {len(header)}",
                where=where,
                hint="Check quoting and the delimiter (--set csv_delimiter=…); "
                "the other rows are read.",
            )
            continue
        yield _with_codec(
            record_document(
                dict(zip(header, row, strict=True)),
                source=where,
                base=base,
                line=line,
                fmt="csv",
                settings=settings,
            ),
            lines.codec,
        )
    if header is None or rows == 1:
        yield codes.input_error(
            codes.EMPTY,
            "CSV file has no rows" if header is None else "CSV file has a header but no rows",
            where=path,
            hint="Add a header row and one row per article.",
        )


def _same_names(row: list[str], header: list[str]) -> bool:
    """Whether a row holds the header's field names, in any order (ignoring case and spaces)."""
    if len(row) != len(header) or not any(cell.strip() for cell in row):
        return False
    return sorted(c.strip().casefold() for c in row) == sorted(h.strip().casefold() for h in header)


#: Python types of parsed JSON, by their JSON names.
_JSON_TYPES = {
    "str": "a JSON string",
    "int": "a JSON number",
    "float": "a JSON number",
    "bool": "JSON true or false",
    "NoneType": "JSON null",
}


def record_document(
    record: Any,
    *,
    source: str,
    base: str,
    line: int,
    fmt: str,
    settings: Settings,
    item: int = 0,
) -> RawDocument | InputError:
    """A :class:`RawDocument` from one record; HTML in the text field is extracted.

    Field names match exactly, else ignoring case and surrounding spaces (``TEXT``,
    `` text``). HTML entities in the title, outlet and authors are read as text. ``item``
    numbers the records of a JSON array on one line (from 1; 0: the line is one record)."""
    if not isinstance(record, Mapping):
        if not isinstance(record, list):
            what = f"{_JSON_TYPES.get(type(record).__name__, type(record).__name__)}, not an object"
        elif record:
            objects = sum(isinstance(r, Mapping) for r in record)
            what = (
                f"a JSON array of {len(record)} values, {objects} of them objects (an array "
                "is read only when every value is an object)"
            )
        else:
            what = "an empty JSON array, not an object"
        return codes.input_error(
            codes.BAD_RECORD,
            f"record is {what}",
            where=source,
            hint='Each line must be one JSON object such as {"text": "…"}, or an array of '
            "such objects; the other lines are read.",
        )
    keys = _field_keys(record, settings)
    text_key = keys["text_field"]
    if text_key is None:
        return _missing_field(settings, list(record), where=source, what="record")

    def value(field: str) -> Any:
        key = keys[field]
        return None if key is None else record[key]

    text = record[text_key]
    if isinstance(text, str):
        text = unpaired_surrogates_replaced(text)
    if not isinstance(text, str):
        return codes.input_error(
            codes.BAD_RECORD,
            f"field {text_key!r} is a {type(text).__name__}, not a string",
            where=source,
            hint="The text field must hold the article text as a string.",
        )
    if not text.strip():
        return codes.input_error(
            codes.EMPTY,
            f"field {text_key!r} is empty",
            where=source,
            hint="Fill the field or drop the record.",
        )
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > settings.max_article_bytes:
        return codes.too_large(size, settings.max_article_bytes, where=source, what="record text")
    ident = _scalar(value("id_field"))
    url = _scalar(value("url_field"))
    doc = RawDocument(
        source=source,
        key="",
        raw=text,
        format=fmt,
        title=_label(value("title_field")),
        url=url,
        outlet=_label(value("outlet_field")),
        authors=_authors(value("author_field")),
        meta={"line": line, "item": item} if item else {"line": line},
    )
    if ident:
        doc.meta["id"] = ident
    if looks_like_html(text):
        problem = _read_markup(doc, text, field=text_key)
        if problem is not None:
            return problem
    _set_date(doc, value("date_field"))
    used = set(keys.values())
    extra = {
        unpaired_surrogates_replaced(k): unpaired_surrogates_replaced(v)
        if isinstance(v, str)
        else v
        for k, v in record.items()
        if k not in used and _small(v)
    }
    if extra:
        doc.meta["fields"] = extra
    at = f"{base}:{line}.{item}" if item else f"{base}:{line}"
    doc.key = doc.url or (f"{base}:{ident}" if ident else at)
    return doc


def _read_markup(doc: RawDocument, text: str, *, field: str) -> InputError | None:
    """Set ``doc.raw`` from a text field that looks like HTML: trafilatura's main text, else
    (a fragment, or plain text with a tag in it) the text without its tags, noted in
    ``meta.html_fallback``. The raw text for offsets is what was read, as for HTML pages."""
    found = extract_html(text, where=doc.source)
    if isinstance(found, Extracted):
        doc.raw = found.text
        doc.meta["html"] = True
        doc.title = doc.title or found.title
        doc.url = doc.url or found.url
        doc.outlet = doc.outlet or found.sitename
        doc.authors = doc.authors or found.authors
        page_meta(doc.meta, found)
        return None
    if found.code != codes.NO_MAIN_TEXT:
        return found  # nested too deep: refused, not half read
    if _mentions_tags(text):
        doc.meta["html_fallback"] = "as_written"
        return None
    plain = _tags_removed(text)
    if not plain:
        return codes.input_error(
            codes.NO_MAIN_TEXT,
            f"field {field!r} holds HTML markup with no text in it",
            where=doc.source,
            hint=f"Put the article text (or its HTML) in the field {field!r}, or drop the "
            "record; the other records are read.",
        )
    doc.raw = plain
    doc.meta["html"] = True
    doc.meta["html_fallback"] = "tags_removed"
    return None


#: Markup that only a real HTML fragment holds: an end tag, an element that is always empty,
#: a comment, or a start tag written against the word it opens (``<p>The``).
_MARKUP = re.compile(
    r"</[A-Za-z]|<(?:br|hr|img|wbr)\b|/>|<!--|<[A-Za-z][^<>]*>[^\s.,;:!?)\]\"'’”]",
    re.IGNORECASE,
)


def _mentions_tags(text: str) -> bool:
    """Whether text that trafilatura found no article in is prose that names a tag
    ("wrap it in a <p> element") rather than markup: it is then read as written."""
    return _MARKUP.search(text) is None


_HIDDEN = re.compile(
    r"<(script|style|template|noscript)\b[^<>]*>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = re.compile(
    r"</?(?:address|article|aside|blockquote|body|dd|details|div|dl|dt|figcaption|figure|"
    r"footer|h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|td|th|title|tr|ul)"
    r"\b[^<>]*>",
    re.IGNORECASE,
)
_BREAK = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def _tags_removed(markup: str) -> str:
    """Text of an HTML fragment: scripts, styles and comments dropped, block elements as
    paragraph breaks, ``<br>`` as a line break, other tags removed, entities read."""
    text = _HIDDEN.sub("", markup)
    text = _BREAK.sub("\n", _BLOCK.sub("\n\n", text))
    text = html.unescape(_ANY_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


_FIELD_SETTINGS = (
    "text_field",
    "title_field",
    "url_field",
    "date_field",
    "outlet_field",
    "author_field",
    "id_field",
)


def _field_keys(record: Mapping[Any, Any], settings: Settings) -> dict[str, Any]:
    """The key of ``record`` each field setting means (see :func:`_field_key`), or ``None``."""
    keys: dict[str, Any] = {}
    folded: dict[str, Any] | None = None
    for field in _FIELD_SETTINGS:
        name = getattr(settings, field)
        if name in record:
            keys[field] = name
            continue
        if folded is None:
            folded = {}
            for k in record:
                if isinstance(k, str):
                    folded.setdefault(k.strip().casefold(), k)
        keys[field] = folded.get(name.strip().casefold())
    return keys


def _field_key(fields: Iterable[Any], name: str) -> Any:
    """The key of ``fields`` that setting value ``name`` means: itself, else the first key
    equal to it ignoring case and surrounding spaces (a header ``Title,TEXT``); ``None``."""
    names = list(fields)
    if name in names:
        return name
    wanted = name.strip().casefold()
    return next((k for k in names if isinstance(k, str) and k.strip().casefold() == wanted), None)


#: Delimiters a CSV header read as one cell most often holds, with how to pass them.
_OTHER_DELIMITERS = {";": "';'", "\t": "'\\t'", "|": "'|'"}


def _missing_field(
    settings: Settings,
    fields: list[str],
    *,
    where: str,
    what: str,
    delimiter: str | None = None,
) -> InputError:
    shown = ", ".join(repr(f) for f in fields[:12]) or "none"
    example = next((f for f in fields if f.lower() in ("body", "content", "article")), "body")
    hint = f"Name the field that holds the article text, e.g. --set text_field={example}."
    if delimiter is not None and len(fields) == 1:
        found = [d for d in _OTHER_DELIMITERS if d in fields[0] and d != delimiter]
        if found:
            d = max(found, key=fields[0].count)
            named = "tab" if d == "\t" else repr(d)
            hint = (
                f"The header is one field holding {named} characters: the file is separated "
                f"by {named}, not {delimiter!r}; pass --set csv_delimiter={_OTHER_DELIMITERS[d]}"
            )
            if _field_key(fields[0].split(d), settings.text_field) is None:
                hint += " and name the text column with --set text_field=NAME"
            hint += "."
    return codes.input_error(
        codes.MISSING_FIELD,
        f"{what} has no text field {settings.text_field!r} (fields: {shown})",
        where=where,
        hint=hint,
    )


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = unpaired_surrogates_replaced(str(value)).strip()
    return text or None


_SURROGATE = re.compile("[\ud800-\udfff]")


def unpaired_surrogates_replaced(value: str) -> str:
    """``value`` with each unpaired UTF-16 surrogate (a JSON escape such as ``"\\ud800"``
    without its pair) replaced by U+FFFD, one character for one, so offsets hold.

    Such a character is no Unicode text: it cannot be encoded, hashed or stored, and one of
    them aborted a whole corpus run at the article id. A JSON pair (an emoji) is already
    one character when ``json`` hands it over, so only broken halves are replaced."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _label(value: Any) -> str | None:
    """A title, outlet or author name: HTML entities read as text ("AT&amp;T" is "AT&T"),
    as the feed reader does."""
    text = _scalar(value)
    if text is None or "&" not in text:
        return text
    return html.unescape(text).strip() or None


def _authors(value: Any) -> list[str]:
    """Authors from a string ("A, B and C"), a list of such strings, or name objects
    (``{"name": "Jane Doe"}``, as JSON-LD writes them), alone or in a list."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            name = item.get("name")
            text = _label(name) if isinstance(name, str) else None
            names.extend([text] if text else [])
        elif isinstance(item, str) or not isinstance(value, list):
            text = _label(item)
            names.extend(split_authors(text) if text else [])
        elif text := _scalar(item):
            names.append(text)
    return names


def _set_date(doc: RawDocument, value: Any) -> None:
    text = _scalar(value)
    if not text:
        return
    when = parse_date(text)
    if when is None:
        doc.meta["date_unparsed"] = text
    else:
        doc.published = Published(date=when, source="record-field", raw=text)


def _small(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_META_STRING
    return value is None or isinstance(value, (bool, int, float))
