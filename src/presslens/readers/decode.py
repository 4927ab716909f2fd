"""Bytes to text: BOMs, binary and empty checks, strict UTF-8 first, a detected legacy codec last.

UTF-16 and UTF-32 are read by their byte-order mark, or without one when the ``encoding``
setting names them (their NUL bytes are then no sign of a binary file, and bytes that do not
read as the codec named are refused with the codec they do read as).

Broken UTF-8 is reported, not guessed around: if the bytes contain valid multibyte UTF-8
sequences, the file *is* UTF-8 with damage, and a legacy-codec guess would garble it silently.
The exception is a page whose ``<meta charset>`` names a multibyte legacy codec (Shift_JIS,
GBK, Big5, EUC-KR…): their byte pairs often look like UTF-8 sequences, and the page says what
it is, so it is decoded strictly by that codec, as a browser would.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from presslens.errors import InputError
from presslens.readers import codes

#: How much of the input the binary check looks at (the same window as ``file(1)``'s heuristics).
SNIFF_BYTES = 8192
#: Share of control bytes (other than tab, newline, CR, FF, VT, ESC) above which input is binary.
#: Text in any 8-bit encoding has almost none; 10% leaves room for a few stray ones.
MAX_CONTROL_SHARE = 0.10

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = frozenset(range(32)) - {9, 10, 11, 12, 13, 27}
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def check_bytes(
    head: bytes, *, where: str, encoding: str | None = None, records: bool = False
) -> InputError | None:
    """Empty or binary input, judged from the first bytes; ``None`` when it may be text.

    NUL bytes are how UTF-16 and UTF-32 write every ASCII character, so when a byte-order mark
    or ``encoding`` names one of them the decoded characters are judged instead (a NUL
    *character*, or many controls, is binary), and bytes that do not read as the named codec
    (UTF-8 or legacy text, the other byte order) are refused with the codec they do read as
    (P110). Otherwise a NUL byte marks the input as binary; when the bytes read as UTF-16/32
    text without a byte-order mark, the message names the setting to pass. With ``records``
    (a JSONL, CSV or JSON stream) a few NUL bytes in otherwise clean text are the problem of
    the record holding them (JSON reads one inside a string and refuses it elsewhere;
    normalisation removes it from the text), not of the whole file.

    ``encoding`` ``None`` means the codec is not known: bytes that read as UTF-16/32 text, and
    text with a few NUL bytes, are let through, while packed formats are named and other NUL
    bytes are binary. A record stream is checked both ways, once, by the source dispatcher
    before its reader sees it (:func:`presslens.readers.sources.read_file`): without the
    codec, then with it and ``records``.
    """
    if not head:
        return codes.input_error(
            codes.EMPTY,
            "file is empty (0 bytes)",
            where=where,
            hint="Remove it from the input or fill it with the article text.",
        )
    window = head[:SNIFF_BYTES]
    for bom, codec in _WIDE_BOMS:
        if window.startswith(bom):
            return _wide_binary(window, codec, len(bom), where=where, named="its byte-order mark")
    if _bom_codec(window) is None and encoding is not None:
        named = wide_codec(encoding)
        packed = _compressed(window)
        if named is not None and packed is not None:
            return codes.input_error(
                codes.BINARY, f"looks binary: it is {packed[0]}", where=where, hint=packed[1]
            )
        if named is not None:
            codec = resolve_byte_order(named, window)
            return _check_named_wide(window, codec, where=where) or _not_text(
                window, codec, where=where
            )
    nul = window.find(b"\x00")
    if nul >= 0:
        guess = sniff_wide(window)
        if guess is not None:
            if encoding is None:
                return None  # the record reader judges it with the encoding setting
            return codes.input_error(
                codes.BINARY,
                f"NUL bytes where {guess.upper()} writes ASCII (the first at byte {nul}): "
                f"this looks like {guess.upper()} text without a byte-order mark, which is "
                "only read when named",
                where=f"{where} byte {nul}",
                hint=f"Name the codec: --set encoding={guess} (or save the file as UTF-8, or "
                "with a byte-order mark).",
            )
        if (records or encoding is None) and _stray_nuls(window):
            return None  # a NUL inside a record: that record's problem
    control = sum(1 for b in window if b in _CONTROL)
    if nul < 0 and control <= MAX_CONTROL_SHARE * len(window):
        return None
    what = (
        f"NUL byte at byte {nul}"
        if nul >= 0
        else f"{control} control bytes in the first {len(window)} bytes"
    )
    packed = _compressed(window)
    if packed is not None:
        return codes.input_error(
            codes.BINARY,
            f"looks binary ({what}): it is {packed[0]}",
            where=where,
            hint=packed[1],
        )
    return codes.input_error(
        codes.BINARY,
        f"looks binary ({what})",
        where=where,
        hint="Pass text, HTML, JSONL or CSV files; binary files cannot be read as articles.",
    )


#: UTF-16/32 codecs with their byte order, UTF-32 first (a UTF-32 LE mark starts like UTF-16's).
WIDE_CODECS = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Share of ASCII characters above which BOM-less bytes are taken to be UTF-16/32 text in a
#: message or against a named codec: JSON, CSV and text in Latin script are mostly ASCII
#: (markup, digits, spaces, line breaks); the same bytes read in the wrong width or byte
#: order hold almost none.
WIDE_ASCII_SHARE = 0.25
#: NUL bytes (share of the window) that a record file may hold in otherwise clean text;
#: random binary data holds about 0.4 % NUL and 10 % other control bytes, so the control
#: bound below is what tells them apart.
MAX_STRAY_NUL_SHARE = 0.01
MAX_STRAY_CONTROL_SHARE = 0.01
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip data"),
    (b"PK\x03\x04", "a zip archive (or an .xlsx/.docx file)"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls/.doc)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def wide_codec(encoding: str) -> str | None:
    """The Python name of ``encoding`` when it is UTF-16 or UTF-32 (``utf-16``, ``UTF-16LE``,
    ``utf_32_be``…), else ``None``. ``utf-16`` and ``utf-32`` leave the byte order open."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return name if name.startswith(("utf-16", "utf-32")) else None


def resolve_byte_order(codec: str, window: bytes) -> str:
    """``codec`` with its byte order: ``utf-16``/``utf-32`` without a byte-order mark read big-
    endian when the bytes read so (more ASCII characters that way), else little-endian, as
    Windows writes them; a codec naming its order is kept."""
    if codec not in ("utf-16", "utf-32"):
        return codec
    le, be = _read_wide(window, f"{codec}-le"), _read_wide(window, f"{codec}-be")
    return f"{codec}-be" if _text_like(be) and be.ascii > le.ascii else f"{codec}-le"


def sniff_wide(window: bytes) -> str | None:
    """The UTF-16/32 codec (byte order included) that BOM-less bytes read as, as mostly ASCII
    text; ``None`` when no reading looks like text."""
    best: tuple[int, str] | None = None
    for codec in WIDE_CODECS:
        reading = _read_wide(window, codec)
        if _ascii_rich(reading) and (best is None or reading.ascii > best[0]):
            best = (reading.ascii, codec)
    return None if best is None else best[1]


@dataclass(frozen=True)
class _Reading:
    """Bytes read as one UTF-16/32 codec (the code unit a read cut off is left out)."""

    chars: int
    ascii: int  #: printable ASCII, tab, CR and LF
    controls: int  #: other C0 controls and NUL
    nul: int  #: byte offset of the first NUL character, -1 if none


def _read_wide(window: bytes, codec: str) -> _Reading:
    unit = 4 if codec.startswith("utf-32") else 2
    text = window[: len(window) - len(window) % unit].decode(codec, "replace")
    nul = text.find("\x00")
    ascii_count = len(_ASCII_TEXT.findall(text))
    controls = len(_C0.findall(text))
    return _Reading(
        chars=len(text),
        ascii=ascii_count,
        controls=controls,
        nul=-1 if nul < 0 else len(text[:nul].encode(codec, "surrogatepass")),
    )


_ASCII_TEXT = re.compile("[\t\n\r\x20-\x7e]")
_C0 = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _text_like(reading: _Reading) -> bool:
    return reading.nul < 0 and reading.controls <= MAX_CONTROL_SHARE * reading.chars


def _ascii_rich(reading: _Reading) -> bool:
    return (
        reading.chars > 0
        and _text_like(reading)
        and reading.ascii >= WIDE_ASCII_SHARE * reading.chars
    )


def _wide_binary(
    window: bytes, codec: str, skip: int, *, where: str, named: str
) -> InputError | None:
    """P106 when the bytes after ``skip`` read as ``codec`` hold a NUL character or many
    controls (a binary file behind a byte-order mark, or named as UTF-16/32)."""
    reading = _read_wide(window[skip:], codec)
    if _text_like(reading):
        return None
    what = (
        f"a NUL character at byte {skip + reading.nul}"
        if reading.nul >= 0
        else f"{reading.controls} control characters in the first {len(window)} bytes"
    )
    return codes.input_error(
        codes.BINARY,
        f"looks binary: read as {codec.upper()} (named by {named}) it holds {what}",
        where=where,
        hint="Pass text, HTML, JSONL or CSV files; if this is text, check its encoding and "
        "pass it with --set encoding=NAME.",
    )


def _check_named_wide(window: bytes, codec: str, *, where: str) -> InputError | None:
    """Whether BOM-less bytes read as the UTF-16/32 ``codec`` the encoding setting names."""
    reading = _read_wide(window, codec)
    for other in WIDE_CODECS:
        alt = _read_wide(window, other)
        if other == codec or not _ascii_rich(alt):
            continue
        if not _text_like(reading) or alt.ascii > 4 * reading.ascii:
            return _not_wide(
                codec,
                f"they read as {other.upper()}",
                where=where,
                hint=f"Name the codec it is in: --set encoding={other}.",
            )
    if b"\x00" not in window:
        ascii_bytes = sum(1 for b in window if 0x20 <= b < 0x7F or b in (9, 10, 13))
        if ascii_bytes >= 0.9 * len(window) or _utf8_prefix(window):
            return _not_wide(
                codec,
                f"the first {len(window):,} bytes hold no NUL byte, which {codec.upper()} "
                "writes in every ASCII character: this is UTF-8 or a legacy 8-bit codec",
                where=where,
                hint="Pass --set encoding=auto (UTF-8, else a detected legacy codec) or the "
                "file's codec; read files in other codecs in a run of their own.",
            )
    return _wide_binary(window, codec, 0, where=where, named="the encoding setting")


#: Least share of the characters a named UTF-16/32 reading must have in the classes text is
#: made of (letters, marks, digits, punctuation, symbols, spaces), whatever its script:
#: binary bytes read as UTF-16 spread over unassigned, private-use and surrogate code points.
MIN_TEXT_CHAR_SHARE = 0.95


def _not_text(window: bytes, codec: str, *, where: str) -> InputError | None:
    """P106 when ``window`` read as the named ``codec`` is not text in any script. Judged on
    the characters, not the bytes: Arabic or Chinese in UTF-16 is all NULs and control bytes
    to a byte-wise check."""
    unit = 4 if codec.startswith("utf-32") else 2
    text = window[: len(window) - len(window) % unit].decode(codec, "replace")
    textual = (
        sum(1 for ch in text if ch != "\ufffd" and unicodedata.category(ch)[0] in "LMNPSZ")
        + text.count("\n")
        + text.count("\r")
        + text.count("\t")
    )
    share = textual / max(1, len(text))
    if share >= MIN_TEXT_CHAR_SHARE:
        return None
    return codes.input_error(
        codes.BINARY,
        f"looks binary: read as {codec.upper()} (named by the encoding setting) only "
        f"{share:.0%} of its first {len(text):,} characters are letters, digits, punctuation "
        "or spaces",
        where=where,
        hint="Pass text, HTML, JSONL or CSV files; binary files cannot be read as articles. "
        "If this is text, check its encoding and pass it with --set encoding=NAME.",
    )


def _not_wide(codec: str, why: str, *, where: str, hint: str) -> InputError:
    return codes.input_error(
        codes.CODEC_FAILED,
        f"the bytes do not read as {codec.upper()} (named by the encoding setting): {why}; "
        "file skipped",
        where=f"{where} byte 0",
        hint=hint,
    )


def _utf8_prefix(window: bytes) -> bool:
    """Whether ``window`` is UTF-8 up to a sequence its end may cut."""
    try:
        window.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(window) - 3 and exc.reason == "unexpected end of data"
    return True


def _stray_nuls(window: bytes) -> bool:
    """A few NUL bytes in bytes that are otherwise text (almost no other control byte)."""
    nuls = window.count(b"\x00")
    others = sum(1 for b in window if b in _CONTROL) - nuls
    few_nuls = nuls <= MAX_STRAY_NUL_SHARE * len(window) + 1
    return few_nuls and others <= MAX_STRAY_CONTROL_SHARE * len(window)


def _compressed(window: bytes) -> tuple[str, str] | None:
    """What a packed file is, by its magic number, and what to do with it."""
    for magic, what in _MAGIC:
        if window.startswith(magic):
            if magic == b"\x1f\x8b":
                return what, (
                    "Name the file with a .gz suffix (e.g. news.jsonl.gz): gzip is read "
                    "when the name says so."
                )
            return what, (
                "Unpack or export it first: presslens reads text, HTML, JSONL, CSV, feeds "
                "and WARC files, and gzip (.gz) of them, not this format."
            )
    return None


def decode(data: bytes, *, encoding: str, where: str) -> Decoded | InputError:
    """Decode ``data`` by the ``encoding`` setting; a leading BOM is removed and wins over it.

    ``utf-16`` or ``utf-32`` named without a byte-order mark read in the byte order the bytes
    show (:func:`resolve_byte_order`)."""
    problem = check_bytes(data, where=where, encoding=encoding)
    if problem is not None:
        return problem
    bom_codec = _bom_codec(data)
    if bom_codec is not None:
        return _strict(data, bom_codec, where=where, setting=False)
    if encoding.lower() != "auto":
        wide = wide_codec(encoding)
        if wide is not None:
            encoding = resolve_byte_order(wide, data[:SNIFF_BYTES])
        return _strict(data, encoding, where=where, setting=True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        declared = _declared_codec(data)
        if declared is not None:
            try:
                return Decoded(data.decode(declared), declared)
            except UnicodeDecodeError:
                pass  # the declaration is wrong too: judge the bytes as if it were absent
        if _UTF8_MULTIBYTE.search(data):
            return codes.input_error(
                codes.BAD_UTF8,
                f"invalid UTF-8 at byte {exc.start} ({exc.reason}) in a file that is otherwise "
                "UTF-8",
                where=f"{where} byte {exc.start}",
                hint="Fix or re-save the file as UTF-8, or if it is a legacy encoding name it, "
                "e.g. --set encoding=cp1252.",
            )
    detected = detect_legacy(data)
    if detected is None:
        return codes.input_error(
            codes.NO_ENCODING,
            "not UTF-8, and no other encoding could be detected",
            where=where,
            hint="Name the encoding, e.g. --set encoding=cp1252, or convert the file to UTF-8.",
        )
    return Decoded(detected[1].removeprefix("\ufeff"), detected[0])


#: The legacy codec preferred among equally likely ones: windows-1252 is the commonest
#: (Excel's and Word's "ANSI" in Western Europe and the Americas, and what browsers read
#: ISO-8859-1 as); charset-normalizer ranks cp1250 first on ties, which reads "naïve" as
#: "naďve".
PREFERRED_LEGACY = "cp1252"


def detect_legacy(data: bytes) -> tuple[str, str] | None:
    """(codec, text) of bytes that are not UTF-8, as charset-normalizer detects them; among
    the candidates it scores alike, :data:`PREFERRED_LEGACY` wins."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        tie = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tie and PREFERRED_LEGACY in match.could_be_from_charset:
            try:
                return PREFERRED_LEGACY, data.decode(PREFERRED_LEGACY)
            except UnicodeDecodeError:
                break
    return best.encoding, str(best)


def utf8_or_legacy(head: bytes) -> str | None:
    """The legacy codec a record stream is in, judged from its first block as a whole file
    is: ``None`` (read it as UTF-8) when the block is UTF-8 (a sequence its end cuts aside),
    holds a UTF-8 multibyte sequence (UTF-8 with damage: bad lines are reported), or when
    nothing is detected; else the detected codec, if it writes a line feed as the byte 0x0A
    (lines are cut there)."""
    if _utf8_prefix(head) or _UTF8_MULTIBYTE.search(head):
        return None
    detected = detect_legacy(head)
    if detected is None:
        return None
    try:
        name = codecs.lookup(detected[0]).name
    except LookupError:
        return None
    if name.startswith("utf") or "\n".encode(name) != b"\n":
        return None
    return name


#: ``<meta charset=X>`` or ``<meta http-equiv=Content-Type content="…; charset=X">`` in the
#: page's first bytes (browsers look at the first 1,024; long heads push it further).
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.IGNORECASE
)


def _declared_codec(data: bytes) -> str | None:
    """The codec a page's own ``<meta>`` names, when trusting it is safer than judging the bytes.

    Only consulted once strict UTF-8 failed. A single-byte codec named there is left to the
    usual judgement (UTF-8 damage is reported; otherwise detection, which reads cp1252 well),
    because nearly any bytes decode under one and a damaged UTF-8 page would be garbled.
    """
    found = _META_CHARSET.search(data[:SNIFF_BYTES])
    if found is None:
        return None
    try:
        info = codecs.lookup(found.group(1).decode("ascii"))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith("utf"):
        return None
    probe = bytes(range(0x80, 0x100))
    single_byte = len(probe.decode(info.name, "replace")) == len(probe)
    return None if single_byte else info.name


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def check_codec(encoding: str, *, where: str) -> InputError | None:
    """The error for an ``encoding`` setting Python has no codec for (``auto`` is fine)."""
    if encoding.lower() == "auto":
        return None
    try:
        info = codecs.lookup(encoding)
        if not getattr(info, "_is_text_encoding", True):  # base64, rot13: bytes to bytes
            raise LookupError(encoding)
    except LookupError:
        return codes.input_error(
            codes.UNKNOWN_CODEC,
            f"unknown encoding {encoding!r}",
            where=where,
            hint="Use a Python codec name such as utf-8, cp1252 or latin-1, or "
            "--set encoding=auto.",
        )
    return None


def _strict(data: bytes, encoding: str, *, where: str, setting: bool) -> Decoded | InputError:
    problem = check_codec(encoding, where=where)
    if problem is not None:
        return problem
    info = codecs.lookup(encoding)
    try:
        text = data.decode(info.name)
    except UnicodeDecodeError as exc:
        origin = "the encoding setting" if setting else "its byte-order mark"
        return codes.input_error(
            codes.CODEC_FAILED,
            f"cannot decode as {info.name} (named by {origin}) at byte {exc.start}: {exc.reason}",
            where=f"{where} byte {exc.start}",
            hint="Check the file's encoding and pass it with --set encoding=NAME "
            "(or --set encoding=auto).",
        )
    return Decoded(text.removeprefix("\ufeff"), info.name)
