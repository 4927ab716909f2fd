"""Read one shard into normalised articles, with every input problem as an error, not a raise.

Whole files go through :func:`presslens.readers.read_articles` (so every format the readers
know, WARC and feeds included, works here too); JSONL line ranges and Parquet row ranges are
read record by record and normalised the same way. Boilerplate lines an outlet repeats are
found within the shard, so a shard should hold several articles per outlet (the default
``shard_size`` of 500 does).
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
from presslens.readers.records import read_jsonl
from presslens.scale.parquet_input import read_parquet_rows
from presslens.scale.plan import Piece, Shard
from presslens.settings import Settings

#: Bytes per read, and blank lines per padding chunk.
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
    try:
        with open(piece.path, "rb") as raw:
            # the same decompressed-size cap as the readers: a gzip bomb is an input error
            limit = decompression_limit(Path(piece.path).stat().st_size, settings.max_article_bytes)
            stream: Any = capped(cast(IO[bytes], gzip.GzipFile(fileobj=raw)), limit) if gz else raw
            if piece.offset >= 0:
                raw.seek(piece.offset)
                window = line_window(
                    stream, pad=piece.first - 1, skip=0, count=piece.end - piece.first
                )
            else:
                window = line_window(
                    stream, pad=0, skip=piece.first - 1, count=piece.end - piece.first
                )
            for item in read_jsonl(window, path=piece.path, base=base, settings=settings):
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


def line_window(stream: IO[bytes], *, pad: int, skip: int, count: int) -> io.BufferedReader:
    """Lines ``[first, first + count)`` of a binary stream, as a line-numbering reader should
    see them when reading the whole file: earlier lines become blank lines (which the JSONL
    reader skips but counts), so line numbers, ``where`` and line-based article keys stay
    exact. ``pad`` blank lines come first when the stream is already at line ``first``;
    otherwise ``skip`` lines are read and replaced by blank ones (gzip cannot seek). Byte
    offsets in messages about later ranges count each earlier line as one byte.
    """
    return io.BufferedReader(_ChunkStream(_window_chunks(stream, pad, skip, count)))


def _window_chunks(stream: IO[bytes], pad: int, skip: int, count: int) -> Iterator[bytes]:
    while pad > 0:
        n = min(pad, _CHUNK)
        pad -= n
        yield b"\n" * n
    blanks = 0
    while skip > 0:
        line = stream.readline(_CHUNK)
        if not line:
            break
        if line.endswith(b"\n"):
            skip -= 1
            blanks += 1
            if blanks >= _CHUNK:
                yield b"\n" * blanks
                blanks = 0
    if blanks:
        yield b"\n" * blanks
    while count > 0:
        line = stream.readline(_CHUNK)
        if not line:
            return
        if line.endswith(b"\n"):
            count -= 1
        yield line


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
