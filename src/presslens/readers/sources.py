"""Find input files and dispatch each to its reader; every problem is yielded, never raised.

Paths may be files, folders (walked recursively in name order, hidden entries skipped, only
files with a known extension or none), or glob patterns. ``.gz`` wraps any supported format.
Sizes are checked with ``stat`` before reading, and decompression stops at the limit: whole
files at ``max_article_bytes``, streamed corpora (JSONL, CSV, JSON, WARC) at the decompression
limit of :mod:`presslens.readers.limits`. The first bytes of a record stream (JSONL, CSV, JSON)
are checked here, before its reader sees them (:func:`~presslens.readers.decode.check_bytes`,
without and with the ``encoding`` setting); the readers do not check again.

New formats register here exactly as a third-party reader would: an extension in
:data:`EXTENSIONS` and either a streaming reader in :data:`STREAM_READERS` or a whole-file
reader in :data:`WHOLE_READERS`.
"""

from __future__ import annotations

import glob
import gzip
import os
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import IO, cast

from presslens.errors import InputError
from presslens.readers import codes
from presslens.readers.decode import SNIFF_BYTES, check_bytes, check_codec, decode, wide_codec
from presslens.readers.document import RawDocument
from presslens.readers.feeds import feed_documents, sniff_feed
from presslens.readers.html import html_document, sniff_html
from presslens.readers.limits import DecompressionLimit, bomb_error, capped, decompression_limit
from presslens.readers.record_lines import replayed
from presslens.readers.records import read_csv, read_json, read_jsonl
from presslens.readers.text import text_document
from presslens.readers.warc import read_warc
from presslens.settings import Settings

#: File extension -> format. Unknown extensions are sniffed (HTML or text).
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
}
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)
_GZIP_MAGIC = b"\x1f\x8b"

StreamReader = Callable[..., Iterator[RawDocument | InputError]]
#: Formats whose files hold many records and are streamed (not size-limited as a whole).
STREAM_READERS: dict[str, StreamReader] = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "json": read_json,
    "warc": read_warc,
}
#: Formats that hold no binary check and may start compressed whatever their name (warcio
#: archives are often gzip-per-record files called ``.warc``).
_BINARY_STREAMS = frozenset({"warc"})

WholeReader = Callable[..., Iterator[RawDocument | InputError]]


def _text_reader(
    text: str, *, source: str, key: str, meta: dict[str, object]
) -> Iterator[RawDocument | InputError]:
    yield text_document(text, source=source, key=key, meta=meta)


def _html_reader(
    text: str, *, source: str, key: str, meta: dict[str, object]
) -> Iterator[RawDocument | InputError]:
    yield html_document(text, source=source, key=key, meta=meta)


def _feed_reader(
    text: str, *, source: str, key: str, meta: dict[str, object]
) -> Iterator[RawDocument | InputError]:
    for item in feed_documents(text, source=source, base=key):
        if isinstance(item, RawDocument):
            item.meta = {**meta, **item.meta}
        yield item


#: Formats read whole (up to ``max_article_bytes``), from decoded text to documents.
WHOLE_READERS: dict[str, WholeReader] = {
    "text": _text_reader,
    "html": _html_reader,
    "feed": _feed_reader,
}


def read_sources(
    paths: Sequence[str], settings: Settings, *, skip: Collection[str] = ()
) -> Iterator[RawDocument | InputError]:
    """Raw documents from files, folders and globs, with an InputError for each bad input.

    ``skip`` holds real paths a folder walk or a glob passes over: the run's own outputs
    (its ``errors.jsonl``, ``--jsonl`` and ``--html`` files), which a second run over the
    same folder read back as inputs. A path named on its own is always read."""
    for item in paths:
        for found in _expand(str(item)):
            if isinstance(found, InputError):
                yield found
            elif skip and str(found) != str(item) and os.path.realpath(found) in skip:
                continue
            else:
                yield from read_file(found, settings)


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | InputError]:
    """Documents of one file (many for JSONL/CSV), or the errors that stopped them."""
    where = str(path)
    gz = path.name.lower().endswith(".gz")
    inner = path.name[:-3] if gz else path.name
    fmt = EXTENSIONS.get(Path(inner).suffix.lower())
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield _unreadable(where, exc)
        return
    if size == 0:
        yield codes.input_error(
            codes.EMPTY,
            "file is empty (0 bytes)",
            where=where,
            hint="Remove it from the input or fill it with the article text.",
        )
        return
    if fmt not in STREAM_READERS and size > settings.max_article_bytes:
        yield codes.too_large(size, settings.max_article_bytes, where=where)
        return
    try:
        with open(path, "rb") as raw_file:
            if fmt in _BINARY_STREAMS and not gz:
                gz = raw_file.peek(2)[:2] == _GZIP_MAGIC
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw_file) if gz else raw_file)
            limit = decompression_limit(size, settings.max_article_bytes)
            try:
                if fmt in STREAM_READERS:
                    if gz:
                        stream = capped(stream, limit)
                    yield from _stream(stream, fmt, where=where, base=inner, settings=settings)
                else:
                    yield from _whole(
                        stream, fmt, where=where, base=inner, gz=gz, settings=settings
                    )
            except _GZIP_ERRORS as exc:
                yield codes.input_error(
                    codes.BAD_GZIP,
                    f"corrupt or truncated gzip data ({exc}) near compressed byte "
                    f"{raw_file.tell()}",
                    where=f"{where} byte {raw_file.tell()}",
                    hint="Re-create the archive (gzip -t checks it), or pass the file "
                    "uncompressed.",
                )
            except DecompressionLimit as exc:
                yield bomb_error(where, exc.limit, size)
    except OSError as exc:
        yield _unreadable(where, exc)


def _stream(
    stream: IO[bytes],
    fmt: str,
    *,
    where: str,
    base: str,
    settings: Settings,
) -> Iterator[RawDocument | InputError]:
    problem = check_codec(settings.encoding, where=where)
    if problem is None and fmt not in _BINARY_STREAMS:
        # A record stream, checked here once for its reader: without the codec (packed
        # formats named, binary NUL bytes), then in the codec the setting names (a few NUL
        # bytes are the records' problem; UTF-16/32 judged as what it decodes to).
        head = stream.read(SNIFF_BYTES)
        # Named UTF-16/32 is judged only as what it decodes to: read blind, text in a
        # non-Latin script is all control bytes and NULs ("binary").
        blind = None if wide_codec(settings.encoding) else check_bytes(head, where=where)
        problem = blind or check_bytes(head, where=where, encoding=settings.encoding, records=True)
        stream = replayed(head, stream)
    if problem is not None:
        yield problem
        return
    yield from STREAM_READERS[fmt](stream, path=where, base=base, settings=settings)


def _whole(
    stream: IO[bytes],
    fmt: str | None,
    *,
    where: str,
    base: str,
    gz: bool,
    settings: Settings,
) -> Iterator[RawDocument | InputError]:
    limit = settings.max_article_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        what = "decompressed file" if gz else "file"
        yield codes.input_error(
            codes.TOO_LARGE,
            f"{what} is over the limit of {limit:,} bytes; skipped",
            where=where,
            hint=f"Raise the limit with --set max_article_bytes={limit * 10}, or split the input.",
        )
        return
    decoded = decode(data, encoding=settings.encoding, where=where)
    if isinstance(decoded, InputError):
        yield decoded
        return
    if not decoded.text.strip():
        yield codes.input_error(
            codes.EMPTY,
            "file holds only whitespace",
            where=where,
            hint="Remove it from the input or fill it with the article text.",
        )
        return
    meta: dict[str, object] = {"encoding": decoded.encoding}
    if fmt is None:
        fmt = "html" if sniff_html(decoded.text) else "feed" if sniff_feed(decoded.text) else "text"
    yield from WHOLE_READERS[fmt](decoded.text, source=where, key=base, meta=meta)


def _expand(item: str) -> Iterator[Path | InputError]:
    try:
        os.stat(item)
    except (FileNotFoundError, NotADirectoryError):
        if any(c in item for c in "*?["):
            yield from _glob(item)
            return
        yield codes.input_error(
            codes.PATH_MISSING,
            "no such file or folder",
            where=item,
            hint="Check the path (relative paths start from the current folder).",
        )
        return
    except OSError as exc:
        yield _unreadable(item, exc)
        return
    path = Path(item)
    if path.is_dir():
        yield from _walk(path)
    else:
        yield path


def _glob(pattern: str) -> Iterator[Path | InputError]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield codes.input_error(
            codes.GLOB_EMPTY,
            "pattern matched no files",
            where=pattern,
            hint="Check the pattern; quote it so the shell does not expand it first, and use "
            "** for subfolders.",
        )
        return
    for m in matches:
        path = Path(m)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


#: Entries that make a folder a `presslens run` output folder, which walks pass over.
RUN_MARKERS = frozenset({"_run.json", "_done"})


def _walk(folder: Path) -> Iterator[Path | InputError]:
    return walk_folder(folder, _wanted)


def walk_folder(
    folder: Path,
    wanted: Callable[[str], bool],
    seen: set[tuple[int, int]] | None = None,
    *,
    top: bool = True,
) -> Iterator[Path | InputError]:
    """Files under ``folder`` whose name is ``wanted``, sorted, hidden ones left out,
    following links to folders once each: a link back up the tree is not walked again (each
    folder's files are read once), and a wanted link that cannot be followed (a loop onto
    itself, a dangling target) is reported and skipped. A `presslens run` output folder
    below ``folder`` (``_run.json`` and ``_done/``) is passed over: its bookkeeping JSON and
    Parquet tables are no articles. Shared with the scale planner."""
    seen = set() if seen is None else seen
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _unreadable(str(folder), exc)
        return
    if (info.st_dev, info.st_ino) in seen:
        return
    seen.add((info.st_dev, info.st_ino))
    if not top and {e.name for e in entries} >= RUN_MARKERS:
        return  # a `presslens run` output folder below the one named: no articles of its own
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
            if entry.is_symlink() and not (is_dir or is_file):
                os.stat(entry.path)  # a dangling or looping link: raises why
        except OSError as exc:
            if wanted(entry.name):  # a broken link to a picture is no lost article
                yield _unreadable(entry.path, exc)
            continue
        if is_dir:
            yield from walk_folder(path, wanted, seen, top=False)
        elif is_file and wanted(entry.name):
            yield path


def _wanted(name: str) -> bool:
    """Files a folder walk reads: known extensions (also .gz) and extension-less files."""
    name = name.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    return suffix in EXTENSIONS or not suffix


def _unreadable(where: str, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    return codes.input_error(
        codes.UNREADABLE,
        f"cannot read: {reason}",
        where=where,
        hint="Check the file's permissions (it must be readable by this user) and that it "
        "is not a broken link.",
    )
