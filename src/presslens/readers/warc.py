"""WARC web archives: each HTML or plain-text response (or resource) record is one article.

The record's ``WARC-Target-URI`` is the article's URL and source key, and ``meta.warc`` keeps
the target URI, ``WARC-Date`` (the capture time, not the publication date), the record id and
the record's byte offset. The HTTP payload is de-chunked and decompressed by warcio, read up to
``max_article_bytes``, decoded by its declared charset (else like any file), and then read as
an HTML page or a text file; ``raw`` is what those readers make of it, so offsets are honest
relative to the decoded payload (HTML: the extracted text, as for ``.html`` files).

Only successful (2xx) responses are read; images, scripts, redirects and request records are
skipped without an error. A file without a single article record is an error (P124).
"""

from __future__ import annotations

import codecs
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from presslens.errors import InputError
from presslens.readers import codes
from presslens.readers.decode import decode
from presslens.readers.document import RawDocument
from presslens.readers.html import html_document
from presslens.readers.text import text_document
from presslens.settings import Settings

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_ARTICLE_TYPES = _HTML_TYPES + _TEXT_TYPES
_RECORD_TYPES = ("response", "resource")
#: Errors warcio raises for a broken archive (headers, framing) and for a broken payload.
_ARCHIVE_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError)
_PAYLOAD_ERRORS = (ChunkedDataException, zlib.error, EOFError, ValueError, OSError)
#: What warcio's record parser raises on headers it did not expect (seen while fuzzing, e.g.
#: AttributeError for a response record without WARC-Target-URI): mapped to one record error.
_PARSER_BUGS = (AttributeError, TypeError, KeyError, IndexError, UnicodeError)


#: Longest WARC header line, most header bytes and most blank lines between records accepted;
#: real archives stay far below (header lines are URIs, dates and digests).
MAX_HEADER_LINE = 1 << 16
MAX_HEADER_BYTES = 1 << 20
MAX_BLANK_LINES = 64
#: Bytes beyond ``max_article_bytes`` a wanted record may hold (WARC and HTTP headers).
HEADER_ALLOWANCE = 1 << 20
_SKIP_CHUNK = 1 << 20


class _Framing(Exception):
    """A broken WARC frame (bad version line, header, length): the rest is skipped."""


@dataclass
class _Frame:
    offset: int
    head: bytes  # the WARC version line and headers, through the blank line
    headers: dict[str, str]
    length: int


def read_warc(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Articles of a (decompressed) WARC stream; a bad record is reported, the rest is read.

    Records are framed here with bounded line reads (warcio's line reader is quadratic on
    very long lines); only records that may hold an article are handed to warcio whole.
    """
    found = 0
    n = 0
    reader = _Reader(stream)
    limit = settings.max_article_bytes
    while True:
        offset = reader.offset
        try:
            frame = _next_frame(reader)
        except _Framing as exc:
            yield _bad_warc(path, offset, exc, found)
            return
        if frame is None:
            break
        n += 1
        rec_type = frame.headers.get("warc-type", "").lower()
        if rec_type not in _RECORD_TYPES:
            reader.skip(frame.length)
        elif frame.length > limit + HEADER_ALLOWANCE:
            head = reader.read(min(frame.length, 1 << 16))
            reader.skip(frame.length - len(head))
            if _wanted_type(frame, head):
                yield codes.too_large(
                    frame.length, limit, where=f"{path} record {n}", what="WARC record"
                )
        else:
            block = reader.read(frame.length)
            if len(block) < frame.length:
                yield _bad_warc(path, offset, _Framing("record ends before its length"), found)
                return
            item = _parse_record(frame, block, n=n, path=path, settings=settings)
            if item is None:
                continue
            if isinstance(item, RawDocument):
                found += 1
            yield item
    if not found:
        yield codes.input_error(
            codes.WARC_NO_ARTICLES,
            f"no HTML or text response record among {n} WARC records",
            where=path,
            hint="presslens reads 2xx responses with text/html or text/plain payloads; this "
            "archive holds none.",
        )


class _Reader:
    """A byte stream with an offset, bounded line reads and chunked skipping."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.offset = 0

    def readline(self, limit: int) -> bytes:
        line = self._stream.readline(limit)
        self.offset += len(line)
        return line

    def read(self, size: int) -> bytes:
        data = self._stream.read(size)
        self.offset += len(data)
        return data

    def skip(self, size: int) -> None:
        while size > 0:
            chunk = self._stream.read(min(size, _SKIP_CHUNK))
            if not chunk:
                return
            self.offset += len(chunk)
            size -= len(chunk)


def _next_frame(reader: _Reader) -> _Frame | None:
    blanks = 0
    while True:
        start = reader.offset
        line = reader.readline(MAX_HEADER_LINE + 1)
        if not line:
            return None
        if line.strip():
            break
        blanks += 1
        if blanks > MAX_BLANK_LINES:
            raise _Framing(f"more than {MAX_BLANK_LINES} blank lines between records")
    if not line.startswith(b"WARC/"):
        raise _Framing(f"a record must start with a WARC/1.x version line, not {line[:40]!r}")
    parts = [line]
    headers: dict[str, str] = {}
    size = len(line)
    while True:
        line = reader.readline(MAX_HEADER_LINE + 1)
        size += len(line)
        if not line or len(line) > MAX_HEADER_LINE or size > MAX_HEADER_BYTES:
            raise _Framing("record headers are unterminated or over the size limit")
        parts.append(line)
        if not line.strip():
            break
        name, sep, value = line.decode("utf-8", "replace").partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    try:
        length = int(headers.get("content-length", ""))
    except ValueError:
        raise _Framing("record has no valid Content-Length") from None
    if length < 0:
        raise _Framing("record has a negative Content-Length")
    return _Frame(start, b"".join(parts), headers, length)


def _wanted_type(frame: _Frame, head: bytes) -> bool:
    """Whether an oversized record would have been an article (judged from its first bytes)."""
    if frame.headers.get("warc-type", "").lower() == "resource":
        return _content_type(frame.headers.get("content-type", ""))[0] in _ARTICLE_TYPES
    http_head = head.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    for line in http_head.splitlines()[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            return _content_type(value)[0] in _ARTICLE_TYPES
    return False


def _parse_record(
    frame: _Frame, block: bytes, *, n: int, path: str, settings: Settings
) -> RawDocument | InputError | None:
    data = frame.head + block + b"\r\n\r\n"
    try:
        records = ArchiveIterator(io.BytesIO(data), arc2warc=False, block_size=len(data))
        record = next(records)
    except (StopIteration, *_ARCHIVE_ERRORS, *_PARSER_BUGS) as exc:
        return codes.input_error(
            codes.WARC_RECORD,
            f"record {n} cannot be parsed ({_reason(exc)})",
            where=f"{path} record {n} (byte {frame.offset})",
            hint="The record's headers are broken; the other records are read.",
        )
    return _record_document(record, n=n, offset=frame.offset, path=path, settings=settings)


def _bad_warc(path: str, offset: int, exc: BaseException, found: int) -> InputError:
    return codes.input_error(
        codes.BAD_WARC,
        f"not a readable WARC record at byte {offset} ({exc}); the rest of the file is skipped",
        where=f"{path} byte {offset}",
        hint="Check the file is a WARC (warcio check FILE) and re-create it; the "
        f"{found} articles before this point were read.",
    )


def _record_document(
    record: Any, *, n: int, offset: int, path: str, settings: Settings
) -> RawDocument | InputError | None:
    if record.rec_type not in _RECORD_TYPES:
        return None
    headers = record.rec_headers
    uri = (headers.get_header("WARC-Target-URI") or "").strip()
    http = record.http_headers
    if http is not None and record.rec_type == "response":
        status = http.get_statuscode() or ""
        if status == "206":  # a byte range of the page: its text is cut off
            return codes.input_error(
                codes.WARC_RECORD,
                f"record {n} ({uri or 'no target URI'}) is a partial response (206, "
                f"{http.get_header('Content-Range') or 'no Content-Range'}): its text is cut",
                where=f"{path} record {n} (byte {offset})",
                hint="Crawl the page whole; the other records are read.",
            )
        if not status.startswith("2"):
            return None
        ctype = http.get_header("Content-Type") or ""
    else:
        ctype = headers.get_header("Content-Type") or ""
    mime, charset = _content_type(ctype)
    if mime not in _ARTICLE_TYPES:
        return None
    where = f"{path} record {n}"
    limit = settings.max_article_bytes
    try:
        data = _read_upto(record.content_stream(), limit + 1)
    except _PAYLOAD_ERRORS as exc:
        return codes.input_error(
            codes.WARC_RECORD,
            f"payload of record {n} ({uri or 'no target URI'}) cannot be read: {_reason(exc)}",
            where=f"{where} (byte {offset})",
            hint="The record's chunking or content-encoding is broken; the other records are read.",
        )
    if len(data) > limit:
        return codes.too_large(len(data), limit, where=where, what="record payload (at least)")
    decoded = decode(data, encoding=_codec(charset) or settings.encoding, where=where)
    if isinstance(decoded, InputError) and charset:
        decoded = decode(data, encoding=settings.encoding, where=where)  # a lying charset
    if isinstance(decoded, InputError):
        return decoded
    meta: dict[str, object] = {
        "encoding": decoded.encoding,
        "warc": {
            "target_uri": uri or None,
            "date": headers.get_header("WARC-Date"),
            "record_id": headers.get_header("WARC-Record-ID"),
            "offset": offset,
        },
    }
    key = uri or f"{path}:{n}"
    if mime in _HTML_TYPES:
        doc = html_document(decoded.text, source=where, key=key, meta=meta)
        if isinstance(doc, InputError):
            return doc
        doc.meta["html"] = True
    else:
        doc = text_document(decoded.text, source=where, key=key, meta=meta)
    doc.key = key  # the capture URI, not a canonical URL the page claims or a url header
    doc.format = "warc"
    doc.url = doc.url or uri or None
    return doc


def _read_upto(stream: Any, size: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(min(1 << 16, size - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _content_type(value: str) -> tuple[str, str | None]:
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime.strip().lower(), charset


#: Labels browsers decode as windows-1252 (the WHATWG encoding standard): pages that say
#: ISO-8859-1 are nearly always written in cp1252, and reading them as Latin-1 turned curly
#: quotes, dashes and the euro sign into invisible C1 controls, which normalisation dropped.
_AS_CP1252 = frozenset({"iso8859-1", "ascii"})


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
