"""Bytes to text: BOMs, binary and empty checks, strict UTF-8 first, a detected legacy codec last.

Broken UTF-8 is reported, not guessed around: if the bytes contain valid multibyte UTF-8
sequences, the file *is* UTF-8 with damage, and a legacy-codec guess would garble it silently.
The exception is a page whose ``<meta charset>`` names a multibyte legacy codec (Shift_JIS,
GBK, Big5, EUC-KR…): their byte pairs often look like UTF-8 sequences, and the page says what
it is, so it is decoded strictly by that codec, as a browser would.
"""

from __future__ import annotations

import codecs
import re
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


def check_bytes(head: bytes, *, where: str) -> InputError | None:
    """Empty or binary input, judged from the first bytes; ``None`` when it may be text."""
    if not head:
        return codes.input_error(
            codes.EMPTY,
            "file is empty (0 bytes)",
            where=where,
            hint="Remove it from the input or fill it with the article text.",
        )
    if _bom_codec(head) in ("utf-16", "utf-32"):
        return None  # NUL bytes are how these encodings spell ASCII
    window = head[:SNIFF_BYTES]
    nul = window.find(b"\x00")
    if nul >= 0:
        return codes.input_error(
            codes.BINARY,
            f"looks binary (NUL byte at byte {nul})",
            where=where,
            hint="Pass text, HTML, JSONL or CSV files; binary files cannot be read as articles.",
        )
    control = sum(1 for b in window if b in _CONTROL)
    if control > MAX_CONTROL_SHARE * len(window):
        return codes.input_error(
            codes.BINARY,
            f"looks binary ({control} control bytes in the first {len(window)} bytes)",
            where=where,
            hint="Pass text, HTML, JSONL or CSV files; binary files cannot be read as articles.",
        )
    return None


def decode(data: bytes, *, encoding: str, where: str) -> Decoded | InputError:
    """Decode ``data`` by the ``encoding`` setting; a leading BOM is removed and wins over it."""
    problem = check_bytes(data, where=where)
    if problem is not None:
        return problem
    bom_codec = _bom_codec(data)
    if bom_codec is not None:
        return _strict(data, bom_codec, where=where, setting=False)
    if encoding.lower() != "auto":
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
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return codes.input_error(
            codes.NO_ENCODING,
            "not UTF-8, and no other encoding could be detected",
            where=where,
            hint="Name the encoding, e.g. --set encoding=cp1252, or convert the file to UTF-8.",
        )
    return Decoded(str(best).removeprefix("\ufeff"), best.encoding)


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
