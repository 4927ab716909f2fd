"""Physical lines of a streamed JSONL or CSV file, cut in its codec, with line numbers and offsets.

Record files are streamed, so they are never decoded whole. Lines are cut in the bytes, where
the codec writes its line breaks: in UTF-8 and the legacy codecs a line feed is one byte that is
never part of a multibyte sequence; in UTF-16 and UTF-32 it is one code unit of two or four
bytes, found only at a code-unit boundary. Each line is then decoded on its own, so a bad byte
spoils one line (one record) rather than the rest of the file, and its byte offset is exact.

A byte-order mark names the codec (UTF-8, UTF-16 or UTF-32, either byte order) and wins over the
``encoding`` setting, as for whole files (:func:`presslens.readers.decode.decode`). Without one,
``utf-16`` or ``utf-32`` named by the setting read in the byte order the first bytes show, and
``auto`` reads UTF-8 unless the first block is not UTF-8 and holds no UTF-8 multibyte sequence:
then the legacy codec detected there is the codec of every line, as for a whole file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from presslens.readers.decode import (
    SNIFF_BYTES,
    resolve_byte_order,
    utf8_or_legacy,
    wide_codec,
)

#: Bytes per read of a record stream.
READ_CHUNK = 1 << 20

#: Byte-order marks and the codec of the bytes after them, UTF-32 first (UTF-32 LE's mark
#: starts with UTF-16 LE's).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Codecs whose byte order comes from a mark; without one Python reads them little-endian.
_ORDERLESS = {"utf-16": "utf-16-le", "utf-32": "utf-32-le", "utf-8-sig": "utf-8"}
_BLANK_CHARS = " \t\r\n\x0b\x0c"


@dataclass(frozen=True)
class LineCodec:
    """How to cut and decode the lines of one stream."""

    name: str  #: codec that decodes one line (byte order fixed)
    origin: str  #: "auto" (UTF-8 by default), "detected", "setting" or "bom" (a byte-order mark)
    bom: int  #: bytes of byte-order mark at the start of the stream
    unit: int  #: bytes per code unit of a line break (1, 2 or 4)
    lf: bytes
    cr: bytes

    @property
    def utf8_default(self) -> bool:
        """Whether the bytes are read as UTF-8 because nothing named another codec."""
        return self.name == "utf-8" and self.origin != "setting"

    def label(self) -> str:
        """The codec and what named it, for messages."""
        if self.origin == "auto":
            return self.name
        if self.origin == "detected":
            return f"{self.name} (detected from the file's first bytes)"
        named = "the encoding setting" if self.origin == "setting" else "its byte-order mark"
        return f"{self.name} (named by {named})"


def line_codec(head: bytes, encoding: str) -> LineCodec:
    """The codec of a stream starting with ``head``, by its byte-order mark, else ``encoding``
    (the setting: a codec name Python knows, or ``auto``: UTF-8, or the legacy codec detected
    in ``head`` when it is not UTF-8; see the module doc)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return _layout(name, "bom", len(bom))
    if encoding.lower() == "auto":
        legacy = utf8_or_legacy(head)
        return _layout("utf-8", "auto", 0) if legacy is None else _layout(legacy, "detected", 0)
    name = codecs.lookup(encoding).name
    wide = wide_codec(name)
    if wide is not None:
        name = resolve_byte_order(wide, head[:SNIFF_BYTES])
    return _layout(_ORDERLESS.get(name, name), "setting", 0)


def part_codec(name: str, origin: str, *, at_start: bool) -> LineCodec:
    """The codec of part of a stream (a shard's line range), as :func:`line_codec` found it
    for the whole stream (``name``, ``origin``); its byte-order mark is skipped only when the
    part starts the stream."""
    mark = next((bom for bom, n in _BOMS if n == name), b"")
    return _layout(name, origin, len(mark) if at_start and origin == "bom" else 0)


def _layout(name: str, origin: str, bom: int) -> LineCodec:
    lf, cr = "\n".encode(name), "\r".encode(name)
    return LineCodec(name=name, origin=origin, bom=bom, unit=len(lf), lf=lf, cr=cr)


def _find(buf: bytes, sub: bytes, start: int, unit: int) -> int:
    """First ``sub`` in ``buf`` at or after ``start`` that begins on a code-unit boundary
    (``buf[0]`` is on one)."""
    i = buf.find(sub, start)
    while i >= 0 and i % unit:
        i = buf.find(sub, i + 1)
    return i


def _blank_run(codec: LineCodec) -> re.Pattern[bytes]:
    units = [c.encode(codec.name) for c in _BLANK_CHARS]
    if codec.unit == 1 and all(len(u) == 1 for u in units):
        return re.compile(b"[" + b"".join(re.escape(u) for u in units) + b"]*")
    return re.compile(b"(?:" + b"|".join(re.escape(u) for u in units) + b")*")


def jsonl_lines(
    stream: IO[bytes],
    codec: LineCodec,
    head: bytes,
    limit: int,
    *,
    first_line: int = 1,
    offset: int = 0,
) -> Iterator[tuple[int, int, bytes | None, int]]:
    """(line number, byte offset, line, size) of each non-blank line of ``head`` and then
    ``stream``; ``line`` is ``None`` when the line is over ``limit`` bytes (it is skipped, never
    held whole). Lines end at line feeds only; the byte-order mark is not part of line 1. A
    stream that starts part-way through a file starts at line ``first_line``, byte ``offset``.

    Reads 1 MB blocks and skips blank runs with one C-level match, so a flood of blank lines or
    one 100 MB line costs linear time (a Python loop per blank line did not).
    """
    unit, lf = codec.unit, codec.lf
    blank = _blank_run(codec)
    buf = head[codec.bom :]
    pos = 0  # next unread byte of buf, always on a code-unit boundary
    base = offset + codec.bom  # file offset of buf[0]
    lineno = first_line - 1  # lines wholly consumed
    eof = False
    while True:
        end = blank.match(buf, pos).end()  # type: ignore[union-attr]
        # Inside a run of blank code units a line feed can only sit on a unit boundary.
        last_nl = buf.rfind(lf, pos, end)
        if last_nl >= 0:
            lineno += buf.count(lf, pos, end)
            pos = last_nl + unit
        nl = _find(buf, lf, end, unit) if end < len(buf) else -1
        if nl < 0 and not eof and len(buf) - pos <= limit:
            chunk = stream.read(READ_CHUNK)
            eof = not chunk
            buf, base, pos = buf[pos:] + chunk, base + pos, 0
            continue
        if end == len(buf):
            return  # only blank text left, at the end of the stream
        if nl < 0 and not eof:
            # Over the limit with no line feed yet: skip to the next one without keeping it.
            start, data, size = base + pos, buf[pos:], 0
            while True:
                cut = _find(data, lf, 0, unit)
                if cut >= 0:
                    size += cut
                    buf = data[cut + unit :]
                    break
                keep = len(data) % unit  # a code unit cut by the read
                size += len(data) - keep
                chunk = stream.read(READ_CHUNK)
                if not chunk:
                    size += keep
                    buf, eof = b"", True
                    break
                data = data[len(data) - keep :] + chunk
            lineno += 1
            yield lineno, start, None, size
            base, pos = start + size + (0 if eof else unit), 0
            continue
        stop = len(buf) if nl < 0 else nl + unit
        line = buf[pos:stop]
        lineno += 1
        content = len(line) - (unit if nl >= 0 else 0)
        yield lineno, base + pos, (None if content > limit else line), content
        pos = stop


def csv_lines(stream: IO[bytes], codec: LineCodec, head: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(line number, byte offset, line with its break) of every line of ``head`` and then
    ``stream``, blank ones included, cut where :class:`io.TextIOWrapper` with ``newline=""``
    cuts (CR LF, LF or a lone CR), which is what the :mod:`csv` module expects."""
    unit, cr = codec.unit, codec.cr
    brk = re.compile(re.escape(cr) + b"(?:" + re.escape(codec.lf) + b")?|" + re.escape(codec.lf))
    buf = head[codec.bom :]
    pos = 0  # start of the current line in buf, on a code-unit boundary
    scan = 0  # where the search for its break resumes
    base = codec.bom
    lineno = 0
    eof = False
    while True:
        m = brk.search(buf, scan)
        while m is not None and m.start() % unit:
            m = brk.search(buf, m.start() + 1)
        if m is None or (not eof and m.end() == len(buf) and m.group() == cr):
            # No break yet, or a CR that an LF in the next block may follow.
            if eof:
                if pos < len(buf):
                    lineno += 1
                    yield lineno, base + pos, buf[pos:]
                return
            # Read at least as much as is held, so a long line costs linear time.
            chunk = stream.read(max(READ_CHUNK, len(buf) - pos))
            eof = not chunk
            held = len(buf) - pos
            buf, base, pos = buf[pos:] + chunk, base + pos, 0
            scan = max(0, held - len(cr) - unit)
            scan -= scan % unit
            continue
        lineno += 1
        yield lineno, base + pos, buf[pos : m.end()]
        pos = scan = m.end()
