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

A JSON document (a ``.json`` file holding an array of records) has no lines to cut at:
:class:`JsonText` decodes it in blocks into a window and finds where each value ends by its
brackets and quotes, so the records of an array are read one at a time in bounded memory, and a
syntax error inside one spoils only that one.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

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


def replayed(head: bytes, stream: IO[bytes]) -> IO[bytes]:
    """``stream`` as it was before ``head`` was read from it (a check or a sniff of the first
    bytes), for a reader that reads from the start."""
    return io.BufferedReader(_Replay(head, stream), buffer_size=READ_CHUNK)


class _Replay(io.RawIOBase):
    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# JSON documents: a window over the decoded text, and the extent of each value in it.

#: What lies between brackets, whole strings included (one C-level match, no backtracking);
#: a string's body up to its closing quote (escapes taken whole); a number or literal;
#: whitespace between values (a byte-order mark there is the next file's, when files were
#: joined with cat).
_JSON_FLAT = re.compile(r'(?:[^"\[\]{}]++|"[^"\\]*+(?:\\.[^"\\]*+)*+")*+', re.DOTALL)
_JSON_STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.DOTALL)
_JSON_SCALAR = re.compile(r'[^\s,:\[\]{}"]*')
_JSON_SPACE = re.compile("[ \t\r\n\ufeff]*")
#: A byte that did not decode, kept as a lone surrogate by ``surrogateescape``; in UTF-16, a
#: lone surrogate code unit (``surrogatepass``: a pair decodes to one character).
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder(strict=False)


@dataclass(frozen=True)
class JsonValue:
    """Where one value of a JSON document lies. ``start`` and ``end`` index the window
    (:attr:`JsonText.buf`) while the value is held there, and are ``-1`` when it is not (it was
    over the size limit, or the file ended inside it: ``cut``, and ``start`` is kept when what
    there was of it is held). ``line`` (from 1) and ``byte`` are where it starts in the file,
    ``size`` its length in bytes (``-1`` when unknown)."""

    start: int
    end: int
    line: int
    byte: int
    size: int
    cut: bool = False
    bad: int = -1  #: byte offset in the file of the first byte that did not decode, -1 if none
    bad_value: int = 0  #: that byte's value (in UTF-16: that code unit's)

    @property
    def held(self) -> bool:
        return self.end >= 0


@dataclass(frozen=True)
class JsonProblem:
    """Why a held value is not valid JSON, and where (line from 1, column in characters from 1)."""

    message: str
    line: int
    column: int


class JsonText:
    """A JSON document read in blocks: a window of decoded text that holds only what is being
    looked at, so a file of any size is read in bounded memory.

    Bytes are decoded in the stream's codec (:func:`line_codec`); in UTF-8 and the legacy codecs
    a byte that does not decode is kept as a lone surrogate (``surrogateescape``), and so is half
    a surrogate pair in UTF-16 (``surrogatepass``), so that only the value holding it is lost
    (:attr:`JsonValue.bad`). Line numbers, columns and byte offsets are counted as the window
    moves on. Other bytes that UTF-16 or UTF-32 do not decode (a value past U+10FFFF, an odd
    last byte) raise :class:`UnicodeDecodeError` from the read.
    """

    def __init__(self, stream: IO[bytes], codec: LineCodec, head: bytes) -> None:
        self._stream = stream
        self._codec = codec.name
        self._errors = "surrogateescape" if codec.unit == 1 else "surrogatepass"
        self._bad = _ESCAPED_BYTE if codec.unit == 1 else _LONE_SURROGATE
        self._decoder = codecs.getincrementaldecoder(codec.name)(self._errors)
        self.buf = self._decoder.decode(head[codec.bom :], final=not head)
        self.pos = 0  #: the next character to look at
        self.eof = not head
        # (window position, its line) and (window position, its byte offset): counted on from
        # the last position asked, so each character is counted about once.
        self._line_mark = (0, 1)
        self._byte_mark = (0, codec.bom)
        self._column0 = 0  # column of buf[0]

    def peek(self) -> str:
        """The next character that is not whitespace (``pos`` moves onto it); ``""`` at the end."""
        while True:
            self.pos = _JSON_SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self._more(self.pos) is None:
                return ""

    def value(self, limit: int, *, stop: bool = False) -> JsonValue:
        """The extent of the value starting at ``pos`` (where :meth:`peek` left it), found by its
        brackets and quotes without parsing it, so a value with a syntax error inside still ends
        where its brackets close. ``pos`` moves past it.

        It is held in the window while it is at most ``limit`` characters; a longer one is read
        on without being kept (its bytes counted), or with ``stop`` left unread: ``pos`` stays on
        its start and the window holds its first ``limit`` characters, so the caller can walk it
        piece by piece instead."""
        start = self.pos
        first = self.buf[start]
        if first in "[{":
            return self._extent(start, 1, "out", limit, stop=stop)
        return self._extent(start, 0, "string" if first == '"' else "scalar", limit, stop=stop)

    def rest(self) -> JsonValue:
        """The rest of the array or object that ``pos`` is inside, up to its closing bracket,
        read on unkept; ``pos`` moves past it."""
        return self._extent(self.pos, 1, "out", 0, stop=False, inside=True)

    def _extent(
        self, start: int, depth: int, state: str, limit: int, *, stop: bool, inside: bool = False
    ) -> JsonValue:
        line, byte = self.line_at(start), self.byte_at(start)
        i = start if inside or state == "scalar" else start + 1
        held = True
        while True:
            buf = self.buf
            if state == "scalar":
                i = _JSON_SCALAR.match(buf, i).end()  # type: ignore[union-attr]
                if i < len(buf):
                    break
            elif state == "string":
                i = _JSON_STRING_BODY.match(buf, i).end()  # type: ignore[union-attr]
                if i < len(buf) and buf[i] == '"':
                    i += 1
                    state = "out"
                    if depth == 0:
                        break
                    continue
            else:  # whole strings and what lies between brackets, in one match
                i = _JSON_FLAT.match(buf, i).end()  # type: ignore[union-attr]
                if i < len(buf):
                    char = buf[i]
                    i += 1
                    if char == '"':
                        state = "string"  # a string the window cuts: followed on
                    elif char in "[{":
                        depth += 1
                    else:
                        depth -= 1
                        if depth == 0:
                            break
                    continue
            # The window ends inside the value: read on.
            if held and i - start > limit:
                if stop:
                    return JsonValue(-1, -1, line, byte, -1)
                held = False
            dropped = self._more(start if held else i)
            if dropped is None:
                if state == "scalar":
                    break  # a number or literal that ends the file
                self.pos = len(self.buf)
                return JsonValue(start if held else -1, -1, line, byte, -1, cut=True)
            start -= dropped
            i -= dropped
        self.pos = i
        size = self.byte_at(i) - byte
        if not held:
            return JsonValue(-1, -1, line, byte, size)
        found = self._bad.search(self.buf, start, i)
        if found is None:
            return JsonValue(start, i, line, byte, size)
        value = ord(found.group()) - (0xDC00 if self._bad is _ESCAPED_BYTE else 0)
        bad = self.byte_at(found.start())
        return JsonValue(start, i, line, byte, size, bad=bad, bad_value=value)

    def parse(self, value: JsonValue) -> Any:
        """The parsed value of a held :class:`JsonValue`, or the :class:`JsonProblem` that says
        why it is no valid JSON."""
        text = self.buf[value.start : value.end]
        try:
            parsed, end = _DECODER.raw_decode(text)
        except json.JSONDecodeError as exc:
            at = value.start + exc.pos
            return JsonProblem(exc.msg, self.line_at(at), self.column_at(at) + 1)
        except RecursionError:  # json raises this, not JSONDecodeError, past its depth
            return JsonProblem(
                "arrays or objects nested deeper than the reader follows",
                value.line,
                self.column_at(value.start) + 1,
            )
        except ValueError:  # the only other: an integer past int()'s digit limit
            return JsonProblem(
                "a number of more than 4,300 digits, which Python does not read",
                value.line,
                self.column_at(value.start) + 1,
            )
        if end != len(text):
            at = value.start + end
            return JsonProblem("Extra data", self.line_at(at), self.column_at(at) + 1)
        return parsed

    def line_at(self, pos: int) -> int:
        """The line (from 1) of window position ``pos``."""
        mark, line = self._line_mark
        if pos >= mark:
            line += self.buf.count("\n", mark, pos)
        else:
            line -= self.buf.count("\n", pos, mark)
        self._line_mark = (pos, line)
        return line

    def byte_at(self, pos: int) -> int:
        """The byte offset in the file of window position ``pos``."""
        mark, byte = self._byte_mark
        if pos >= mark:
            byte += len(self.buf[mark:pos].encode(self._codec, self._errors))
        else:
            byte -= len(self.buf[pos:mark].encode(self._codec, self._errors))
        self._byte_mark = (pos, byte)
        return byte

    def column_at(self, pos: int) -> int:
        """The column (characters from 0) of window position ``pos``."""
        newline = self.buf.rfind("\n", 0, pos)
        return pos - newline - 1 if newline >= 0 else self._column0 + pos

    def _more(self, keep: int) -> int | None:
        """Read the next block into the window, dropping the text before ``keep``: how many
        characters were dropped, ``None`` at the end of the file."""
        if self.eof:
            return None
        data = self._stream.read(max(READ_CHUNK, len(self.buf) - keep))
        self.eof = not data
        text = self._decoder.decode(data, final=self.eof)
        if self.eof and not text:
            return None
        if keep:
            line, byte = self.line_at(keep), self.byte_at(keep)
            self._line_mark, self._byte_mark = (0, line), (0, byte)
            self._column0 = self.column_at(keep)
        self.buf = self.buf[keep:] + text
        self.pos = max(0, self.pos - keep)
        return keep
