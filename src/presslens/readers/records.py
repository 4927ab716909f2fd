"""JSONL and CSV corpora: one article per record, field names from settings.

Files are streamed record by record, so a corpus file may be far larger than
``max_article_bytes``; the limit applies to each record. A bad record is reported with its
line number and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from presslens.errors import InputError
from presslens.model import Published
from presslens.readers import codes
from presslens.readers.dates import parse_date
from presslens.readers.document import RawDocument
from presslens.readers.headers import split_authors
from presslens.readers.html import extract_html, looks_like_html
from presslens.settings import Settings

#: Extra record fields kept in ``meta["fields"]``: scalars only, strings up to this long.
MAX_META_STRING = 200
_READ_CHUNK = 1 << 20


def read_jsonl(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Records of a JSON Lines stream; blank lines are skipped."""
    encoding = "utf-8" if settings.encoding.lower() == "auto" else settings.encoding
    limit = settings.max_article_bytes
    offset = 0
    lineno = 0
    nonblank = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            break
        lineno += 1
        where = f"{path}:{lineno}"
        start, offset = offset, offset + len(line)
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while not line.endswith(b"\n"):
                line = stream.readline(_READ_CHUNK)
                if not line:
                    break
                size += len(line)
            offset = start + size
            yield codes.too_large(size, limit, where=where, what="record")
            continue
        if lineno == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        nonblank += 1
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as exc:
            yield codes.input_error(
                codes.BAD_UTF8,
                f"cannot decode as {encoding} at byte {start + exc.start} of the file "
                f"({exc.reason})",
                where=f"{where} byte {start + exc.start}",
                hint="JSON Lines must be UTF-8: re-save the file as UTF-8, or name its "
                "encoding with --set encoding=NAME. Other lines are still read.",
            )
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield codes.input_error(
                codes.BAD_JSON,
                f"line {lineno} is not valid JSON: {exc.msg} at column {exc.colno}",
                where=where,
                hint="Fix or remove this line (each line must be one JSON object); "
                "the other lines are read.",
            )
            continue
        yield record_document(
            record, source=where, base=base, line=lineno, fmt="jsonl", settings=settings
        )
    if not nonblank:
        yield codes.input_error(
            codes.EMPTY,
            "JSONL file has no records (only blank lines)",
            where=path,
            hint="Add one JSON object per line, or remove the file from the input.",
        )


def read_csv(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Rows of a CSV stream with a header row; quoted fields may span lines."""
    encoding = "utf-8-sig" if settings.encoding.lower() == "auto" else settings.encoding
    # The csv module's field limit is process-wide; raise it (never lower it) so one
    # article-sized field fits. Larger records are reported by the size check below.
    csv.field_size_limit(max(csv.field_size_limit(), settings.max_article_bytes + 1))
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        yield from _csv_rows(text, path=path, base=base, settings=settings)
    finally:
        text.detach()  # the caller owns (and closes) the byte stream


def _csv_rows(
    text: io.TextIOWrapper, *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    encoding = text.encoding
    reader = csv.reader(text, delimiter=settings.csv_delimiter)
    header: list[str] | None = None
    while True:
        line = reader.line_num + 1
        where = f"{path}:{line}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield codes.input_error(
                codes.BAD_CSV,
                f"CSV row at line {line} cannot be parsed: {exc}",
                where=where,
                hint="Check quoting and --set csv_delimiter=…; the other rows are read.",
            )
            continue
        except UnicodeDecodeError as exc:
            yield codes.input_error(
                codes.BAD_UTF8,
                f"cannot decode as {encoding} near line {line} ({exc.reason}); "
                "the rest of the file is skipped",
                where=where,
                hint="Re-save the file as UTF-8, or name its encoding with --set encoding=NAME.",
            )
            return
        if not row:
            continue
        if header is None:
            header = row
            if settings.text_field not in header:
                yield _missing_field(settings, header, where=where, what="CSV header")
                return
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
        yield record_document(
            dict(zip(header, row, strict=True)),
            source=where,
            base=base,
            line=line,
            fmt="csv",
            settings=settings,
        )
    if header is None:
        yield codes.input_error(
            codes.EMPTY,
            "CSV file has no rows",
            where=path,
            hint="Add a header row and one row per article.",
        )


def record_document(
    record: Any, *, source: str, base: str, line: int, fmt: str, settings: Settings
) -> RawDocument | InputError:
    """A :class:`RawDocument` from one record; HTML in the text field is extracted."""
    if not isinstance(record, Mapping):
        return codes.input_error(
            codes.BAD_RECORD,
            f"record is a JSON {type(record).__name__}, not an object",
            where=source,
            hint='Each line must be one JSON object such as {"text": "…"}.',
        )
    if settings.text_field not in record:
        return _missing_field(settings, list(record), where=source, what="record")
    text = record[settings.text_field]
    if not isinstance(text, str):
        return codes.input_error(
            codes.BAD_RECORD,
            f"field {settings.text_field!r} is a {type(text).__name__}, not a string",
            where=source,
            hint="The text field must hold the article text as a string.",
        )
    if not text.strip():
        return codes.input_error(
            codes.EMPTY,
            f"field {settings.text_field!r} is empty",
            where=source,
            hint="Fill the field or drop the record.",
        )
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > settings.max_article_bytes:
        return codes.too_large(size, settings.max_article_bytes, where=source, what="record text")
    ident = _scalar(record.get(settings.id_field))
    url = _scalar(record.get(settings.url_field))
    doc = RawDocument(
        source=source,
        key="",
        raw=text,
        format=fmt,
        title=_scalar(record.get(settings.title_field)),
        url=url,
        outlet=_scalar(record.get(settings.outlet_field)),
        authors=_authors(record.get(settings.author_field)),
        meta={"line": line},
    )
    if ident:
        doc.meta["id"] = ident
    if looks_like_html(text):
        found = extract_html(text, where=source)
        if isinstance(found, InputError):
            return found
        doc.raw = found.text
        doc.meta["html"] = True
        doc.title = doc.title or found.title
        doc.url = doc.url or found.url
        doc.outlet = doc.outlet or found.sitename
        doc.authors = doc.authors or found.authors
    _set_date(doc, record.get(settings.date_field))
    used = {getattr(settings, f) for f in _FIELD_SETTINGS}
    extra = {k: v for k, v in record.items() if k not in used and _small(v)}
    if extra:
        doc.meta["fields"] = extra
    doc.key = doc.url or (f"{base}:{ident}" if ident else f"{base}:{line}")
    return doc


_FIELD_SETTINGS = (
    "text_field",
    "title_field",
    "url_field",
    "date_field",
    "outlet_field",
    "author_field",
    "id_field",
)


def _missing_field(settings: Settings, fields: list[str], *, where: str, what: str) -> InputError:
    shown = ", ".join(repr(f) for f in fields[:12]) or "none"
    example = next((f for f in fields if f.lower() in ("body", "content", "article")), "body")
    return codes.input_error(
        codes.MISSING_FIELD,
        f"{what} has no text field {settings.text_field!r} (fields: {shown})",
        where=where,
        hint=f"Name the field that holds the article text, e.g. --set text_field={example}.",
    )


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _authors(value: Any) -> list[str]:
    if isinstance(value, list):
        return [s for v in value if (s := _scalar(v))]
    text = _scalar(value)
    return split_authors(text) if text else []


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
