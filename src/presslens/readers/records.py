"""JSONL and CSV corpora: one article per record, field names from settings.

Files are streamed record by record, so a corpus file may be far larger than
``max_article_bytes``; the limit applies to each record. A bad record is reported with its
line number and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import IO, Any

from presslens.errors import InputError
from presslens.model import Published
from presslens.readers import codes
from presslens.readers.dates import parse_date
from presslens.readers.document import RawDocument
from presslens.readers.headers import split_authors
from presslens.readers.html import extract_html, looks_like_html, page_meta
from presslens.settings import Settings

#: Extra record fields kept in ``meta["fields"]``: scalars only, strings up to this long.
MAX_META_STRING = 200
_READ_CHUNK = 1 << 20
#: Consecutive empty CSV rows tolerated: each costs a Python loop turn, so a flood of blank
#: lines (e.g. decompressed from a tiny .csv.gz) would otherwise take minutes.
MAX_EMPTY_ROWS = 10_000


def read_jsonl(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Records of a JSON Lines stream; blank lines are skipped."""
    encoding = "utf-8" if settings.encoding.lower() == "auto" else settings.encoding
    limit = settings.max_article_bytes
    nonblank = 0
    for lineno, start, line, size in _jsonl_lines(stream, limit):
        where = f"{path}:{lineno}"
        if line is None:
            nonblank += 1
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
        except ValueError:  # the only other: an integer past int()'s digit limit
            yield codes.input_error(
                codes.BAD_JSON,
                f"line {lineno} holds a JSON number of more than 4,300 digits, which "
                "Python does not read",
                where=where,
                hint="Write very long numbers as strings; the other lines are read.",
            )
            continue
        except RecursionError:  # json raises this, not JSONDecodeError, past its depth
            yield codes.input_error(
                codes.BAD_JSON,
                f"line {lineno} nests JSON arrays or objects deeper than the reader follows",
                where=where,
                hint="Flatten the record to one object whose text field is a string; the "
                "other lines are read.",
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


_BLANK_RUN = re.compile(rb"[ \t\r\n\x0b\x0c]*")


def _jsonl_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, int, bytes | None, int]]:
    """(line number, byte offset, line, size) of each non-blank line; ``line`` is ``None`` when
    the line is over ``limit`` bytes (it is skipped, never held whole).

    Reads 1 MB blocks and skips blank runs with one C-level match, so a flood of blank lines or
    one 100 MB line costs linear time (a Python loop per blank line did not).
    """
    buf = b""
    pos = 0  # next unread byte of buf
    base = 0  # file offset of buf[0]
    lineno = 0  # lines wholly consumed
    eof = False
    while True:
        end = _BLANK_RUN.match(buf, pos).end()  # type: ignore[union-attr]
        last_nl = buf.rfind(b"\n", pos, end)
        if last_nl >= 0:
            lineno += buf.count(b"\n", pos, end)
            pos = last_nl + 1
        nl = buf.find(b"\n", end) if end < len(buf) else -1
        if nl < 0 and not eof and len(buf) - pos <= limit:
            chunk = stream.read(_READ_CHUNK)
            eof = not chunk
            buf, base, pos = buf[pos:] + chunk, base + pos, 0
            continue
        if end == len(buf):
            return  # only blank text left, at the end of the stream
        if nl < 0 and not eof:
            # Over the limit with no newline yet: skip to the next newline without keeping it.
            size = len(buf) - pos
            start = base + pos
            while True:
                chunk = stream.read(_READ_CHUNK)
                if not chunk:
                    buf, eof = b"", True
                    break
                cut = chunk.find(b"\n")
                if cut >= 0:
                    size += cut
                    buf = chunk[cut + 1 :]
                    break
                size += len(chunk)
            lineno += 1
            yield lineno, start, None, size
            base, pos = start + size + (0 if eof else 1), 0
            continue
        stop = len(buf) if nl < 0 else nl + 1
        line = buf[pos:stop]
        lineno += 1
        content = len(line) - (1 if line.endswith(b"\n") else 0)
        yield lineno, base + pos, (None if content > limit else line), content
        pos = stop


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
    if header is None or rows == 1:
        yield codes.input_error(
            codes.EMPTY,
            "CSV file has no rows" if header is None else "CSV file has a header but no rows",
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
    if isinstance(text, str):
        text = unpaired_surrogates_replaced(text)
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
        page_meta(doc.meta, found)
    _set_date(doc, record.get(settings.date_field))
    used = {getattr(settings, f) for f in _FIELD_SETTINGS}
    extra = {
        unpaired_surrogates_replaced(k): unpaired_surrogates_replaced(v)
        if isinstance(v, str)
        else v
        for k, v in record.items()
        if k not in used and _small(v)
    }
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
