"""Limits on what hostile input can make a reader do: decompression and markup depth.

A gzip member can expand about 1,000-fold, so a 5 MB file can hide 5 GB (a "gzip bomb").
Whole files are read up to ``max_article_bytes`` anyway; streamed corpora (JSONL, CSV, WARC)
are capped here at the *decompression limit*: the larger of ``max_article_bytes`` and
:data:`MAX_RATIO` times the compressed size. Real news text compresses 3–10-fold, JSONL of
boilerplate-heavy pages rarely beyond 30-fold, so 100 leaves ample room while bounding the work.
"""

from __future__ import annotations

import io
from typing import IO

from presslens.errors import InputError
from presslens.readers import codes

#: Decompressed bytes allowed per compressed byte of a streamed file (see the module doc).
MAX_RATIO = 100


class DecompressionLimit(Exception):
    """Raised by :class:`CappedReader` when more than ``limit`` bytes have been read."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def decompression_limit(compressed_size: int, max_article_bytes: int) -> int:
    """How many decompressed bytes a streamed compressed file may yield."""
    return max(max_article_bytes, MAX_RATIO * compressed_size)


class CappedReader(io.RawIOBase):
    """A raw binary stream over ``inner`` that raises :class:`DecompressionLimit` past ``limit``.

    Wrap it in :class:`io.BufferedReader` for ``peek``/``readline``; the count is exact because
    every byte the buffer takes passes through :meth:`readinto`.
    """

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        super().__init__()
        self._inner = inner
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = len(buffer)
        data = self._inner.read(want)
        n = len(data)
        buffer[:n] = data
        self.count += n
        if self.count > self.limit:
            raise DecompressionLimit(self.limit)
        return n


def capped(inner: IO[bytes], limit: int) -> io.BufferedReader:
    """``inner`` behind a :class:`CappedReader`, buffered."""
    return io.BufferedReader(CappedReader(inner, limit), buffer_size=1 << 16)


def bomb_error(where: str, limit: int, compressed: int) -> InputError:
    """The P125 error: names the file, the limit, and the setting that raises it."""
    suggested = (limit // 1_000_000 + 1) * 10_000_000
    return codes.input_error(
        codes.BOMB,
        f"decompressed data grows past the decompression limit of {limit:,} bytes "
        f"({MAX_RATIO}× the {compressed:,} compressed bytes, or max_article_bytes if larger); "
        "reading stopped (a gzip bomb, or an unusually repetitive file)",
        where=where,
        hint="If the file is genuine, raise the limit with "
        f"--set max_article_bytes={suggested}, or decompress it and pass it uncompressed. "
        "Records before the limit were read.",
    )


#: libxml2 (used by lxml and trafilatura) stops building the tree 256 elements deep and
#: silently drops what lies below; deeper input is refused instead of being half read.
MAX_MARKUP_DEPTH = 255

_VOID = frozenset(
    (
        *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
        *("param", "source", "track", "wbr"),
        # elements whose end tag is optional: a new one closes the previous sibling
        *("p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody"),
        *("tfoot", "colgroup", "rp", "rt"),
        # left unclosed by ill-formed real pages often enough that counting them would mislead
        *("html", "head", "body"),
    )
)
_RAW_TEXT = ("script", "style", "textarea", "title")


def markup_depth(html: str, *, limit: int = MAX_MARKUP_DEPTH) -> tuple[int, int]:
    """(approximate element nesting depth, offset where it first exceeded ``limit``; -1 if not).

    One forward scan with ``str.find`` (linear: it never re-reads text), skipping comments and
    the content of script/style; end tags close one level. An estimate, but the same shape
    libxml2 sees: unclosed non-void elements nest.
    """
    depth = best = 0
    pos = 0
    n = len(html)
    lower: str | None = None
    while pos < n:
        lt = html.find("<", pos)
        if lt < 0 or lt + 1 >= n:
            break
        if html.startswith("<!--", lt):
            close = html.find("-->", lt + 4)
            if close < 0:
                break
            pos = close + 3
            continue
        gt = html.find(">", lt + 1)
        if gt < 0:
            break
        closing = html[lt + 1] == "/"
        i = lt + 2 if closing else lt + 1
        j = i
        while j < gt and j - i < 32 and (html[j].isalnum() or html[j] in "-:"):
            j += 1
        name = html[i:j].lower()
        pos = gt + 1
        if not name or not name[0].isalpha():
            continue
        if closing:
            if name not in _VOID:
                depth = max(0, depth - 1)
            continue
        if name in _RAW_TEXT:
            lower = html.lower() if lower is None else lower
            end = lower.find(f"</{name}", pos)
            pos = n if end < 0 else end
            continue
        if name in _VOID or html[gt - 1] == "/":
            continue
        depth += 1
        if depth > best:
            best = depth
            if best > limit:
                return best, lt
    return best, -1


def too_deep(where: str, offset: int, what: str = "HTML") -> InputError:
    """The P126 error for markup nested deeper than the parser follows."""
    return codes.input_error(
        codes.TOO_DEEP,
        f"{what} nests elements more than {MAX_MARKUP_DEPTH} levels deep (at character "
        f"{offset}); the parser would silently drop what lies below, so it is refused",
        where=where,
        hint="This is not how real article pages are built: check the file (it may be "
        "generated or hostile), or pass its text as .txt.",
    )
