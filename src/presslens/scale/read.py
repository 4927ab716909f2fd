"""Read one shard into normalised articles, with every input problem as an error, not a raise.

Whole files go through :func:`presslens.readers.read_articles` (so every format the readers
know, WARC and feeds included, works here too); JSONL line ranges and Parquet row ranges are
read record by record and normalised the same way. A JSONL range is read in the codec the
planner found for the whole file, starting at its line number and byte offset, so line
numbers, byte offsets in messages and line-based article keys are those of the whole file.
Boilerplate lines an outlet repeats are found within the shard, so a shard should hold several
articles per outlet (the default ``shard_size`` of 500 does).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import codes as reader_codes
from presslens.readers import infer_outlets, normalise, read_articles, repeated_lines
from presslens.readers.document import RawDocument
from presslens.readers.limits import DecompressionLimit, bomb_error, capped, decompression_limit
from presslens.readers.record_lines import LineCodec, part_codec
from presslens.readers.records import read_jsonl
from presslens.scale.parquet_input import read_parquet_rows
from presslens.scale.plan import Piece, Shard
from presslens.settings import Settings

#: Bytes per read.
_CHUNK = 1 << 20


def read_shard(shard: Shard, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """The shard's articles (each id once, first occurrence kept) and its input errors."""
    errors: list[InputError] = []
    articles: list[Article] = []
    seen: set[str] = set()
    for item in _shard_items(shard, settings):
        if isinstance(item, InputError):
            errors.append(item)
        elif item.id not in seen:
            seen.add(item.id)
            articles.append(item)
    return articles, errors


def _shard_items(shard: Shard, settings: Settings) -> Iterator[Article | InputError]:
    if all(p.kind == "file" for p in shard.pieces):
        yield from read_articles([p.path for p in shard.pieces], settings)
        return
    docs: list[RawDocument] = []
    for piece in shard.pieces:
        for item in _piece_documents(piece, settings):
            if isinstance(item, InputError):
                yield item
            else:
                docs.append(item)
    infer_outlets(docs, settings)
    repeated = repeated_lines(docs, settings)
    for doc in docs:
        try:
            yield normalise(doc, settings, repeated=repeated.get(doc.outlet, frozenset()))
        except InputError as exc:
            yield exc


def _piece_documents(piece: Piece, settings: Settings) -> Iterator[RawDocument | InputError]:
    if piece.kind == "parquet":
        yield from read_parquet_rows(piece.path, piece.first, piece.end, settings)
        return
    if piece.kind != "jsonl":
        raise ValueError(f"unknown piece kind {piece.kind!r}")  # a planner bug, not bad input
    gz = piece.path.lower().endswith(".gz")
    name = Path(piece.path).name
    base = name[:-3] if gz else name  # as the readers key records: the inner file name
    codec = part_codec(
        piece.codec or "utf-8", piece.codec_origin or "auto", at_start=piece.first == 1
    )
    try:
        with open(piece.path, "rb") as raw:
            # the same decompressed-size cap as the readers: a gzip bomb is an input error
            limit = decompression_limit(Path(piece.path).stat().st_size, settings.max_article_bytes)
            stream: Any = capped(cast(IO[bytes], gzip.GzipFile(fileobj=raw)), limit) if gz else raw
            offset = piece.offset
            if offset >= 0:
                raw.seek(offset)
                parts = _line_parts(stream, codec)
            else:  # gzip cannot seek: read the lines before the range
                parts = _line_parts(stream, codec)
                offset = _skip_lines(parts, piece.first - 1)
            window = io.BufferedReader(_ChunkStream(_take_lines(parts, piece.end - piece.first)))
            items = read_jsonl(
                window,
                path=piece.path,
                base=base,
                settings=settings,
                codec=codec,
                first_line=piece.first,
                offset=offset,
            )
            for item in items:
                if (
                    isinstance(item, InputError)
                    and item.code == reader_codes.EMPTY
                    and (item.where == piece.path and piece.first > 1)
                ):
                    continue  # "no records" of a range of blank lines, not of the file
                yield item
    except DecompressionLimit as exc:
        yield bomb_error(piece.path, exc.limit, Path(piece.path).stat().st_size)
    except OSError as exc:
        yield reader_codes.input_error(
            reader_codes.UNREADABLE,
            f"cannot read: {exc.strerror or exc}",
            where=piece.path,
            hint="Check the file is still there and readable; the shard is read again on the "
            "next run.",
        )


def _line_parts(stream: IO[bytes], codec: LineCodec) -> Iterator[tuple[bytes, bool]]:
    """Consecutive parts of the stream's lines, each with whether it ends its line: lines end
    at the codec's line feed on a code-unit boundary (``0A 00`` in UTF-16 LE, never a lone
    ``0A`` byte); a long line comes in 1 MB parts, never held whole."""
    lf, unit = codec.lf, codec.unit
    buf = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            if buf:
                yield buf, False
            return
        buf += chunk
        usable = len(buf) - len(buf) % unit
        pos = 0
        cut = buf.find(lf, 0, usable)
        while cut >= 0:
            if cut % unit == 0:
                yield buf[pos : cut + unit], True
                pos = cut + unit
            cut = buf.find(lf, max(pos, cut + 1), usable)
        if usable > pos:
            yield buf[pos:usable], False
        buf = buf[usable:]


def _skip_lines(parts: Iterator[tuple[bytes, bool]], lines: int) -> int:
    """Read past ``lines`` lines; the number of bytes they held (the next line's offset)."""
    skipped = 0
    while lines > 0:
        part, ends = next(parts, (b"", False))
        if not part:
            break
        skipped += len(part)
        lines -= ends
    return skipped


def _take_lines(parts: Iterator[tuple[bytes, bool]], count: int) -> Iterator[bytes]:
    """The next ``count`` lines, part by part."""
    while count > 0:
        part, ends = next(parts, (b"", False))
        if not part:
            return
        count -= ends
        yield part


class _ChunkStream(io.RawIOBase):
    """A readable raw stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buf = chunk
        n = min(len(target), len(self._buf))
        target[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n
