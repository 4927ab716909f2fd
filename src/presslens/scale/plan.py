"""Shard planning: cut the inputs of a run into shards of about ``shard_size`` articles.

A shard is the unit of work and of resumption: it is analysed by one worker, written as one
Parquet file per table, and skipped by a later run once its done-marker exists. Its name is a
hash of what it reads (paths, sizes, record ranges), so the same inputs give the same shards in
every run and a changed input gives a new shard instead of silently reusing an old one.

- single-article files (``.txt``, ``.html``, …) are grouped, ``shard_size`` files a shard;
- JSONL files (also ``.gz``) are cut into line ranges of ``shard_size`` lines, at the line
  feeds of the file's codec (found as the readers find it: byte-order mark, ``encoding``
  setting, else UTF-8 or the legacy codec detected in the first block): in UTF-16 and UTF-32
  a line feed is a whole code unit (``0A 00`` in UTF-16 LE), never a lone ``0A`` byte inside
  another character;
- Parquet article files are cut into row ranges of ``shard_size`` rows;
- any other multi-record file (CSV, WARC, feeds, …) is one shard, read by the readers.

Planning reads no article: it stats files, counts JSONL lines and reads Parquet footers. A JSONL
file whose first bytes the readers refuse (binary, or not in the codec named) is one shard, so
the readers report it once, in their words.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from presslens.errors import InputError
from presslens.readers import codes as reader_codes
from presslens.readers.decode import SNIFF_BYTES, check_bytes
from presslens.readers.record_lines import READ_CHUNK, LineCodec, line_codec
from presslens.readers.sources import EXTENSIONS, walk_folder
from presslens.scale.codes import BAD_PARQUET_INPUT

#: Suffixes read as one article per file when the readers do not list them (extension-less
#: files are sniffed as text or HTML, as in the readers).
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Multi-record formats the readers are being taught; listed so folder walks pick them up.
EXTRA_MULTI_RECORD = (".warc", ".arc", ".rss", ".atom", ".xml")
_LINE_CHUNK = 1 << 20


@dataclass(frozen=True)
class Piece:
    """Part of one input file: the whole file, or records ``[first, end)`` (1-based lines for
    JSONL, 1-based rows for Parquet). ``offset`` is the byte offset of line ``first`` in an
    uncompressed JSONL file (-1 when unknown, e.g. gzip). ``codec`` and ``codec_origin`` are
    the JSONL file's codec and what named it (see
    :class:`~presslens.readers.record_lines.LineCodec`): every range reads the whole file's."""

    path: str
    kind: str  # "file" | "jsonl" | "parquet"
    first: int = 0
    end: int = 0
    offset: int = -1
    size: int = 0
    codec: str = ""
    codec_origin: str = ""


@dataclass(frozen=True)
class Shard:
    """A unit of work: pieces read together, named by a hash of what they are."""

    index: int
    pieces: tuple[Piece, ...]
    name: str


@dataclass
class Plan:
    """The shards of a run, in input order, and the inputs that could not be planned."""

    shards: list[Shard] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def plan_shards(
    inputs: Sequence[str],
    *,
    shard_size: int,
    skip_under: str | os.PathLike[str] | None = None,
    encoding: str = "auto",
) -> Plan:
    """Expand files, folders and globs and cut them into shards (see the module doc).

    Files under ``skip_under`` (the run's own output folder) are never inputs: an output
    folder inside an input folder used to be read back, one junk article per Parquet row.
    ``encoding`` is the run's ``encoding`` setting (how JSONL lines are cut)."""
    size = max(1, shard_size)
    skip = os.path.join(os.path.realpath(skip_under), "") if skip_under is not None else None
    plan = Plan()
    groups: list[tuple[Piece, ...]] = []
    singles: list[Piece] = []

    def flush_singles() -> None:
        if singles:
            groups.append(tuple(singles))
            singles.clear()

    planned: set[str] = set()
    for found in expand_inputs(inputs):
        if isinstance(found, InputError):
            plan.errors.append(found)
            continue
        real = os.path.realpath(found)
        if real in planned:  # the same file reached twice (a folder and a file in it)
            continue
        if skip is not None and real.startswith(skip):
            continue
        planned.add(real)
        kind = file_kind(found)
        try:
            file_size = found.stat().st_size
        except OSError as exc:
            plan.errors.append(_unreadable(str(found), exc))
            continue
        if kind == "single":
            singles.append(Piece(str(found), "file", size=file_size))
            if len(singles) >= size:
                flush_singles()
            continue
        flush_singles()
        if kind == "jsonl" and file_size > 0:
            pieces = _jsonl_pieces(found, size, file_size, encoding)
        elif kind == "parquet":
            pieces = _parquet_pieces(found, size, file_size, plan.errors)
        else:  # other multi-record formats, and empty JSONL (the readers report it)
            pieces = [Piece(str(found), "file", size=file_size)]
        groups.extend((p,) for p in pieces)
    flush_singles()
    plan.shards = [Shard(i, g, shard_name(g)) for i, g in enumerate(groups)]
    return plan


def shard_name(pieces: Sequence[Piece]) -> str:
    digest = hashlib.sha256()
    for p in pieces:
        digest.update(f"{p.path}\x00{p.kind}\x00{p.first}\x00{p.end}\x00{p.size}\n".encode())
    return "shard-" + digest.hexdigest()[:16]


def file_kind(path: Path) -> str:
    """``single`` (one article per file), ``jsonl``, ``parquet`` or ``multi`` (other formats
    with many records per file, read whole by the readers)."""
    name = path.name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    suffix = Path(name.removesuffix(".gz")).suffix
    fmt = EXTENSIONS.get(suffix)
    if fmt == "jsonl":
        return "jsonl"
    if fmt in ("text", "html") or (fmt is None and suffix not in EXTRA_MULTI_RECORD):
        return "single"
    return "multi"


def expand_inputs(inputs: Sequence[str]) -> Iterator[Path | InputError]:
    """Files of every input in a stable order: folders walked in name order (hidden entries
    skipped), globs sorted; a missing path or an empty glob is an error, not an exception."""
    for item in inputs:
        item = str(item)
        if os.path.exists(item):
            path = Path(item)
            yield from _walk(path) if path.is_dir() else iter([path])
        elif any(c in item for c in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield reader_codes.input_error(
                    reader_codes.GLOB_EMPTY,
                    "pattern matched no files",
                    where=item,
                    hint="Check the pattern; quote it so the shell does not expand it, and use "
                    "** for subfolders.",
                )
            for m in matches:
                path = Path(m)
                yield from _walk(path) if path.is_dir() else iter([path])
        else:
            yield reader_codes.input_error(
                reader_codes.PATH_MISSING,
                "no such file or folder",
                where=item,
                hint="Check the path (relative paths start from the current folder, or from "
                "the run config's folder in a run config).",
            )


def _walk(folder: Path) -> Iterator[Path | InputError]:
    return walk_folder(folder, _wanted)


def _wanted(name: str) -> bool:
    name = name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        return True
    suffix = Path(name.removesuffix(".gz")).suffix
    return suffix in EXTENSIONS or suffix in EXTRA_MULTI_RECORD or not suffix


def _jsonl_pieces(path: Path, size: int, file_size: int, encoding: str) -> list[Piece]:
    """Line ranges of ``size`` lines, cut at the line feeds of the file's codec; byte offsets
    of each range start when not compressed."""
    gz = path.name.lower().endswith(".gz")
    whole = [Piece(str(path), "file", size=file_size)]
    try:
        with open(path, "rb") as raw:
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw) if gz else raw)
            head = stream.read(READ_CHUNK)
            if not head or check_bytes(
                head[:SNIFF_BYTES], where=str(path), encoding=encoding, records=True
            ):
                return whole  # the readers report it, once, with their own code
            codec = line_codec(head, encoding)
            starts, lines = _line_starts(stream, head, codec, size)
    except (OSError, EOFError, zlib.error):
        # Unreadable or corrupt: one shard for the whole file, so the readers report it with
        # their own codes (unreadable, corrupt gzip) and its place in the file.
        return whole
    pieces = []
    for i, (first, offset) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else lines + 1
        if end > first:
            pieces.append(
                Piece(
                    str(path),
                    "jsonl",
                    first,
                    end,
                    -1 if gz else offset,
                    file_size,
                    codec.name,
                    codec.origin,
                )
            )
    return pieces or whole


def _line_starts(
    stream: IO[bytes], head: bytes, codec: LineCodec, size: int
) -> tuple[list[tuple[int, int]], int]:
    """(line, byte offset) of lines 1, ``size`` + 1, 2 × ``size`` + 1 … of ``head`` and then
    ``stream``, and the number of lines (a last line without a line feed counts). Lines end
    at the codec's line feed on a code-unit boundary; 1 MB reads, no line held whole."""
    lf, unit = codec.lf, codec.unit
    starts = [(1, 0)]
    lines = 0
    base = 0  # file offset of buf[0], always on a code-unit boundary
    after = 0  # file offset just after the last line feed
    buf = head
    while True:
        usable = len(buf) - len(buf) % unit  # a code unit cut by the read waits for the next
        pos = buf.find(lf, 0, usable)
        while pos >= 0:
            if pos % unit == 0:
                lines += 1
                after = base + pos + unit
                if lines % size == 0:
                    starts.append((lines + 1, after))
            pos = buf.find(lf, pos + 1, usable)
        chunk = stream.read(_LINE_CHUNK)
        if not chunk:
            end = base + len(buf)
            return starts, lines + (1 if end > after else 0)
        base += usable
        buf = buf[usable:] + chunk


def _parquet_pieces(path: Path, size: int, file_size: int, errors: list[InputError]) -> list[Piece]:
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError)
        errors.append(
            InputError(
                f"cannot read the Parquet file: {exc}",
                where=str(path),
                hint="Check it is a complete Parquet file (a copy may have been cut short).",
                code=BAD_PARQUET_INPUT,
            )
        )
        return []
    return [
        Piece(str(path), "parquet", first, min(first + size, rows + 1), size=file_size)
        for first in range(1, rows + 1, size)
    ]


def _unreadable(where: str, exc: OSError) -> InputError:
    return reader_codes.input_error(
        reader_codes.UNREADABLE,
        f"cannot read: {exc.strerror or exc}",
        where=where,
        hint="Check the file's permissions and that it is not a broken link.",
    )
