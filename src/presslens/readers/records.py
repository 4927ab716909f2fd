"""JSONL, CSV and JSON corpora: one article per record, field names from settings.

Files are streamed record by record, so a corpus file may be far larger than
``max_article_bytes``; the limit applies to each record. A bad record is reported with its
line number and the rest of the file is still read. Lines are cut and decoded one at a time
(:mod:`presslens.readers.record_lines`), so a byte that does not decode loses only its record;
a UTF-8, UTF-16 or UTF-32 byte-order mark names the codec.

Files joined with ``cat`` are read as one: a byte-order mark opening a later line is dropped,
and a CSV row that repeats the header's names (in any order) is read as a new header.

A JSON document (``.json``) is walked value by value
(:class:`~presslens.readers.record_lines.JsonText`): its records are the objects of an array,
one object, or the objects of an array that wrapping objects hold under a key; a ``.json`` file
that holds one JSON value per line is read as JSON Lines.

The bytes are checked (binary, codec) before a reader sees them: by the source dispatcher
(:func:`presslens.readers.sources.read_file`) and the scale planner, with
:func:`~presslens.readers.decode.check_bytes`.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shlex
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import IO, Any

from presslens.errors import InputError
from presslens.model import Published
from presslens.readers import codes
from presslens.readers.dates import parse_date
from presslens.readers.document import RawDocument
from presslens.readers.headers import split_authors
from presslens.readers.html import Extracted, extract_html, looks_like_html, page_meta
from presslens.readers.record_lines import (
    READ_CHUNK,
    JsonProblem,
    JsonText,
    JsonValue,
    LineCodec,
    csv_lines,
    jsonl_lines,
    line_codec,
    replayed,
)
from presslens.settings import Settings

#: Extra record fields kept in ``meta["fields"]``: scalars only, strings up to this long.
MAX_META_STRING = 200
#: Consecutive empty CSV rows tolerated: each costs a Python loop turn, so a flood of blank
#: lines (e.g. decompressed from a tiny .csv.gz) would otherwise take minutes.
MAX_EMPTY_ROWS = 10_000


def read_jsonl(
    stream: IO[bytes],
    *,
    path: str,
    base: str,
    settings: Settings,
    codec: LineCodec | None = None,
    first_line: int = 1,
    offset: int = 0,
) -> Iterator[RawDocument | InputError]:
    """Records of a JSON Lines stream; blank lines are skipped.

    A line may also hold a JSON array of objects: each object is a record (``where`` and
    ``source`` end in `` item N``). Control characters inside JSON strings (a raw tab or NUL
    from a careless exporter) are read, as normalisation removes them from the text.

    ``codec``, ``first_line`` and ``offset`` read part of a file (the scale path's line
    ranges): the stream starts at that line and byte, in the codec found for the whole file
    (:func:`~presslens.readers.record_lines.part_codec`). The caller has checked the bytes
    (see the module doc)."""
    head = stream.read(READ_CHUNK)
    if codec is None:
        codec = line_codec(head, settings.encoding)
    limit = settings.max_article_bytes
    nonblank = 0
    lines = jsonl_lines(stream, codec, head, limit, first_line=first_line, offset=offset)
    for lineno, start, line, size in lines:
        where = f"{path}:{lineno}"
        nonblank += 1
        if line is None:
            yield codes.too_large(size, limit, where=where, what="record")
            continue
        try:
            text = line.decode(codec.name)
        except UnicodeDecodeError as exc:
            yield _undecodable(
                codec,
                path=path,
                line=lineno,
                byte=start + exc.start,
                reason=exc.reason,
                skipped="line skipped",
                others="the other lines are read",
            )
            continue
        if text.startswith("\ufeff"):  # files joined with cat: the next one's byte-order mark
            text = text[1:]
            if not text.strip():
                nonblank -= 1
                continue
        record = _parse_json_line(text, lineno=lineno, where=where)
        if isinstance(record, InputError):
            yield record
            continue
        if isinstance(record, list) and record and all(isinstance(r, Mapping) for r in record):
            for n, item in enumerate(record, 1):
                yield _with_codec(
                    record_document(
                        item,
                        source=f"{where} item {n}",
                        base=base,
                        line=lineno,
                        fmt="jsonl",
                        settings=settings,
                        item=n,
                    ),
                    codec,
                )
            continue
        yield _with_codec(
            record_document(
                record, source=where, base=base, line=lineno, fmt="jsonl", settings=settings
            ),
            codec,
        )
    if not nonblank:
        yield codes.input_error(
            codes.EMPTY,
            "JSONL file has no records (only blank lines)",
            where=path,
            hint="Add one JSON object per line, or remove the file from the input.",
        )


def _parse_json_line(text: str, *, lineno: int, where: str) -> Any:
    """The JSON value of one line, or the P113 error that says why it is none."""
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        hint = (
            "Fix or remove this line (each line must be one JSON object); the other lines are read."
        )
        if text.strip() in ("[", "{"):
            hint = (
                "The line opens a JSON document written over many lines (pretty-printed), "
                "which is not JSON Lines: write one object per line, e.g. jq -c '.[]' "
                "in.json > out.jsonl for an array; the other lines are read."
            )
        return codes.input_error(
            codes.BAD_JSON,
            f"line {lineno} is not valid JSON: {exc.msg} at column {exc.colno}",
            where=where,
            hint=hint,
        )
    except ValueError:  # the only other: an integer past int()'s digit limit
        return codes.input_error(
            codes.BAD_JSON,
            f"line {lineno} holds a JSON number of more than 4,300 digits, which "
            "Python does not read",
            where=where,
            hint="Write very long numbers as strings; the other lines are read.",
        )
    except RecursionError:  # json raises this, not JSONDecodeError, past its depth
        return codes.input_error(
            codes.BAD_JSON,
            f"line {lineno} nests JSON arrays or objects deeper than the reader follows",
            where=where,
            hint="Flatten the record to one object whose text field is a string; the "
            "other lines are read.",
        )


def _with_codec(item: RawDocument | InputError, codec: LineCodec) -> RawDocument | InputError:
    """``item`` with ``meta.encoding`` set when its file is not read as UTF-8."""
    if isinstance(item, RawDocument) and codec.name != "utf-8":
        item.meta["encoding"] = codec.name
    return item


def _undecodable(
    codec: LineCodec,
    *,
    path: str,
    line: int,
    byte: int,
    reason: str,
    skipped: str,
    others: str,
    where: str | None = None,
) -> InputError:
    """P107 for a bad byte in a file read as UTF-8 by default, P110 when a setting or a
    byte-order mark named the codec that failed; ``where`` defaults to ``PATH:LINE byte N``."""
    if codec.utf8_default:
        code = codes.BAD_UTF8
        hint = (
            "Fix the byte or re-save the file as UTF-8; if the whole file is in a legacy "
            f"encoding, name it, e.g. --set encoding=cp1252. {others.capitalize()}."
        )
    else:
        code = codes.CODEC_FAILED
        hint = (
            "Check the file's encoding and pass it with --set encoding=NAME (or --set "
            f"encoding=auto). {others.capitalize()}."
        )
    return codes.input_error(
        code,
        f"cannot decode as {codec.label()} at byte {byte} of the file ({reason}); {skipped}",
        where=where or f"{path}:{line} byte {byte}",
        hint=hint,
    )


#: Items of an array looked at before it is judged to hold no article records (none of them is
#: an object with the text field); the rest of it is passed over unkept.
JSON_PROBE_ITEMS = 100
#: How deep objects wrapping the records are followed. APIs wrap their array in one or two
#: (``{"articles": [...]}``, ``{"response": {"docs": [...]}}``); deeper is not searched.
MAX_JSON_WRAPPERS = 8
#: Non-blank lines of the first block looked at to tell JSON Lines saved as ``.json``.
JSONL_SNIFF_LINES = 8
#: Field names that usually hold an article's text, likeliest first (compared ignoring case):
#: what the hint names when the text field is missing.
_TEXT_NAMES = (
    *("text", "body", "content", "articlebody", "article_body", "article", "full_text"),
    *("fulltext", "bodytext", "body_text", "maintext", "main_text", "story", "description"),
    *("abstract", "summary", "lead_paragraph", "snippet"),
)
_JSON_SHAPE = (
    "A .json file is read as an array of article objects, one such object, or an object "
    'that holds such an array under a key (e.g. {"articles": [...]}).'
)
#: How messages name a JSON value of each kind.
_JSON_KINDS = {
    "object": "a JSON object",
    "array": "a JSON array",
    "string": "a JSON string",
    "number": "a JSON number",
    "boolean": "JSON true or false",
    "null": "JSON null",
}


def read_json(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Records of a JSON document: an array of article objects (``FILE item N``), one object
    (``FILE``), or objects wrapping such an array under a key (``FILE KEY item N``, e.g.
    ``{"articles": [...]}``, ``{"response": {"docs": [...]}}``); documents one after another
    (``jq`` output) are read alike. A file holding one JSON value per line is read as JSON
    Lines (:func:`read_jsonl`).

    The document is read in blocks and each record is parsed on its own, so memory stays
    bounded by ``max_article_bytes`` whatever the file's size, and a record that is too large,
    holds a byte that does not decode or a syntax error is skipped alone. A document that holds
    no record gets one error saying what it holds and which setting to pass. The caller has
    checked the bytes (see the module doc)."""
    head = stream.read(READ_CHUNK)
    codec = line_codec(head, settings.encoding)
    if _one_value_per_line(head, codec):
        yield from read_jsonl(replayed(head, stream), path=path, base=base, settings=settings)
        return
    text: JsonText | None = None
    read = 0
    try:
        text = JsonText(stream, codec, head)
        for item in _JsonWalk(text, codec, path, base, settings).document():
            read += isinstance(item, RawDocument)
            yield item
    except UnicodeDecodeError as exc:  # UTF-16/32 bytes that are no code unit: no way on
        at = 0 if text is None else len(text.buf)
        yield _undecodable(
            codec,
            path=path,
            line=1 if text is None else text.line_at(at),
            byte=(codec.bom if text is None else text.byte_at(at)) + exc.start,
            reason=exc.reason,
            skipped="the rest of the file is skipped",
            others="the records before it are read" if read else "no record was read",
        )


def _one_value_per_line(head: bytes, codec: LineCodec) -> bool:
    """Whether a ``.json`` file is JSON Lines: at least two of its first non-blank lines, and
    at least half of them, each hold a whole JSON object or array (the lines of a
    pretty-printed document end in commas or only open a bracket)."""
    lines = head[codec.bom :].decode(codec.name, "replace").split("\n")
    if len(head) >= READ_CHUNK:
        lines.pop()  # cut by the read
    seen = whole = 0
    for line in lines:
        line = line.strip(" \t\r\ufeff")
        if not line:
            continue
        seen += 1
        whole += line[0] in "[{" and isinstance(_json_or_none(line), (dict, list))
        if seen == JSONL_SNIFF_LINES:
            break
    return whole >= 2 and 2 * whole >= seen


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return None


class _JsonWalk:
    """One JSON document walked value by value (see :func:`read_json`). Records are yielded as
    they are found; what the document holds elsewhere is noted for the error that says no
    record was found."""

    def __init__(
        self, text: JsonText, codec: LineCodec, path: str, base: str, settings: Settings
    ) -> None:
        self.text = text
        self.codec = codec
        self.path = path
        self.base = base
        self.settings = settings
        self.limit = settings.max_article_bytes
        self.records = 0  #: arrays and objects read as records
        self.found: list[str] = []  #: what the document holds where no records were
        self.objects = False  #: an object that may be a record without the text field
        self.values = 0  #: array items and top-level values seen
        self.guess: tuple[str | None, str | None] | None = None  #: see _text_field_guess
        self.guess_path = ""  #: jq path of the array the guess comes from
        self.stopped = False  #: a syntax error the walk cannot get past
        self.problems = 0  #: values reported as unreadable (too large, bad bytes, bad JSON)

    def document(self) -> Iterator[RawDocument | InputError]:
        count = 0
        while not self.stopped:
            char = self.text.peek()
            if not char:
                break
            count += 1
            if char == "[":
                yield from self._array((), count)
            elif char == "{":
                yield from self._object((), count, 0)
            else:
                yield from self._scalar(count)
        if count == 0:
            yield codes.input_error(
                codes.EMPTY,
                "JSON file holds only whitespace",
                where=self.path,
                hint="Remove it from the input or fill it with article records.",
            )
        elif not (self.records or self.stopped or self.problems):
            yield self._no_records()

    # A record's place: ``item 3``, ``articles item 3``, ``value 2 item 3`` (the second of
    # documents one after another); ``where`` and the article key end with it.

    def _place(self, keypath: tuple[str, ...], top: int, item: int = 0) -> str:
        parts = [f"value {top}"] if top > 1 else []
        if keypath:
            parts.append(".".join(keypath))
        if item:
            parts.append(f"item {item}")
        return " ".join(parts)

    def _where(self, place: str) -> str:
        return f"{self.path} {place}" if place else self.path

    def _label(self, keypath: tuple[str, ...], top: int) -> str:
        if keypath:
            return repr(".".join(keypath))
        return f"value {top}" if top > 1 else "the document"

    def _record(
        self, record: Mapping[Any, Any], value: JsonValue, place: str, item: int = 0
    ) -> RawDocument | InputError:
        if value.bad >= 0:
            return self._bad_bytes(value, self._where(place))
        return _with_codec(
            record_document(
                record,
                source=self._where(place),
                base=self.base,
                line=value.line,
                fmt="json",
                settings=self.settings,
                item=item,
                key=f"{self.base} {place}" if place else self.base,
            ),
            self.codec,
        )

    def _array(self, keypath: tuple[str, ...], top: int) -> Iterator[RawDocument | InputError]:
        """The items of an array: records when one of them is an object with the text field
        (the others are then reported one by one), else noted for the final error."""
        text = self.text
        opened = text.line_at(text.pos)
        text.pos += 1
        count = 0
        records = False
        pending: list[RawDocument | InputError] = []  # shape errors until a record is seen
        kinds: dict[str, int] = {}
        first: Mapping[Any, Any] | None = None
        more = False  # items past the probe, passed over unread
        while True:
            char = text.peek()
            if char == "]":
                text.pos += 1
                break
            if count:
                if char != ",":
                    yield self._syntax(f"expected ',' or ']' after item {count} of the array")
                    return
                if not records and count >= JSON_PROBE_ITEMS:  # no records: pass the rest over
                    more = True
                    if text.rest().cut:
                        yield self._cut(f"the array opened at line {opened}", self.path)
                        return
                    break
                text.pos += 1
                char = text.peek()
                if char == "]":  # a trailing comma, as JavaScript writes them
                    text.pos += 1
                    break
            if not char:
                yield self._cut(f"the array opened at line {opened}", self.path)
                return
            count += 1
            place = self._place(keypath, top, count)
            where = self._where(place)
            value = text.value(self.limit)
            if value.cut:
                yield self._cut(f"item {count} (line {value.line})", where)
                return
            self.values += 1
            parsed: Any = None
            problem: InputError | None = None
            if not value.held or value.size > self.limit:
                problem = codes.too_large(value.size, self.limit, where=where, what="record")
            else:
                parsed = text.parse(value)
                if isinstance(parsed, JsonProblem):
                    problem = self._bad_json(parsed, f"item {count}", where)
            is_record = isinstance(parsed, Mapping) and (
                _field_key(parsed, self.settings.text_field) is not None
            )
            if problem is None and value.bad >= 0 and (is_record or records):
                problem = self._bad_bytes(value, where)
            if not records and (is_record or (problem is not None and char == "{")):
                records = True  # an object that could not be read counts as a record
                self.records += 1
                yield from pending
                pending.clear()
            if problem is not None:
                self.problems += 1
                yield problem
                continue
            kind = _json_kind(parsed)
            kinds[kind] = kinds.get(kind, 0) + 1
            if isinstance(parsed, Mapping) and first is None:
                first = parsed
            if is_record:
                yield self._record(parsed, value, place, count)
                continue
            shape = record_document(  # P114 or P115 for an item that is no record
                parsed,
                source=where,
                base=self.base,
                line=value.line,
                fmt="json",
                settings=self.settings,
            )
            if records:
                yield shape
            elif len(pending) < JSON_PROBE_ITEMS:
                pending.append(shape)
        if not records:
            self._found_array(keypath, top, count, kinds, first, more=more)

    def _found_array(
        self,
        keypath: tuple[str, ...],
        top: int,
        count: int,
        kinds: dict[str, int],
        first: Mapping[Any, Any] | None,
        *,
        more: bool,
    ) -> None:
        label = self._label(keypath, top)
        if not count:
            self.found.append(f"{label} is an empty array")
            return
        looked = sum(kinds.values())
        if len(kinds) == 1 and looked == count and not more:
            what = f"{label} is an array of {count:,} {_plural(next(iter(kinds)), count)}"
        else:
            held = ", ".join(f"{n} {_plural(kind, n)}" for kind, n in kinds.items())
            among = f" among the first {count}" if more else ""
            size = f"more than {count:,} values" if more else f"{count:,} {_plural('value', count)}"
            what = f"{label} is an array of {size} ({held}{among})"
        if first is not None:
            self.objects = True
            what += f" (keys of the first object: {_keys(first)})"
            if self.guess is None:
                self.guess = _text_field_guess(first)
                self.guess_path = "".join(_jq_key(k) for k in keypath)
        self.found.append(what)

    def _object(
        self, keypath: tuple[str, ...], top: int, depth: int
    ) -> Iterator[RawDocument | InputError]:
        """An object: a record when it has the text field, else walked key by key for arrays
        of records (also when it is too large to hold whole)."""
        text = self.text
        value = text.value(self.limit, stop=True)
        if value.cut and value.start < 0:
            yield self._cut(f"the object opened at line {value.line}", self.path)
            return
        whole: Mapping[Any, Any] | None = None
        over = not value.held or value.size > self.limit
        if value.cut:  # walked up to the cut, so the records before it are read
            over = False
            text.pos = value.start
        elif not over:
            parsed = text.parse(value)
            if isinstance(parsed, Mapping):
                if _field_key(parsed, self.settings.text_field) is not None:
                    self.records += 1
                    place, item = self._place(keypath, top), 0
                    if not keypath and (top > 1 or text.peek()):
                        place, item = f"item {top}", top  # documents one after another
                    yield self._record(parsed, value, place, item)
                    return
                whole = parsed
        if value.held:
            text.pos = value.start  # walk it key by key
        yield from self._walk_object(keypath, top, depth, whole, over=over)

    def _walk_object(
        self,
        keypath: tuple[str, ...],
        top: int,
        depth: int,
        whole: Mapping[Any, Any] | None,
        *,
        over: bool,
    ) -> Iterator[RawDocument | InputError]:
        text = self.text
        label = self._label(keypath, top)
        if depth >= MAX_JSON_WRAPPERS:
            skipped = text.value(0)
            if skipped.cut:
                yield self._cut(f"the object opened at line {skipped.line}", self.path)
                return
            self.found.append(f"{label} is an object nested {depth} deep, not searched")
            return
        start, at, before = text.byte_at(text.pos), len(self.found), self.records
        text.pos += 1
        keys: list[str] = []
        nested = text_key = False
        while True:
            char = text.peek()
            if char == "}":
                text.pos += 1
                break
            if keys:
                if char != ",":
                    yield self._syntax(f"expected ',' or '}}' after the value of {keys[-1]!r}")
                    return
                text.pos += 1
                char = text.peek()
                if char == "}":
                    text.pos += 1
                    break
            if char != '"':
                what = "expected a key (a string in double quotes)"
                yield self._syntax(what) if char else self._cut(label, self.path)
                return
            name = text.value(self.limit)
            key = text.parse(name) if name.held else None
            if not isinstance(key, str):
                yield self._syntax("a key that cannot be read")
                return
            key = unpaired_surrogates_replaced(key)
            keys.append(key)
            text_key = text_key or _field_key([key], self.settings.text_field) is not None
            if text.peek() != ":":
                yield self._syntax(f"expected ':' after the key {key!r}")
                return
            text.pos += 1
            char = text.peek()
            nested = nested or char in ("[", "{")
            if char == "[":
                yield from self._array((*keypath, key), top)
            elif char == "{":
                yield from self._object((*keypath, key), top, depth + 1)
            elif not char or text.value(0).cut:
                yield self._cut(repr(".".join((*keypath, key))), self.path)
                return
            if self.stopped:
                return
        if self.records > before:
            return
        if over and text_key:  # one record, too large to hold
            self.records += 1
            size = text.byte_at(text.pos) - start
            place = self._place(keypath, top)
            if not keypath and (top > 1 or text.peek()):
                place = f"item {top}"  # documents one after another
            yield codes.too_large(size, self.limit, where=self._where(place), what="record")
            return
        if not keys:
            self.found.insert(at, f"{label} is an empty object")
            return
        self.found.insert(at, f"{label} is an object with keys {_keys(keys)}")
        if not nested:  # a leaf object: a record without the text field
            self.objects = True
            if self.guess is None and whole is not None:
                self.guess = _text_field_guess(whole)

    def _scalar(self, top: int) -> Iterator[InputError]:
        value = self.text.value(self.limit)
        if value.cut:
            yield self._cut(f"the string at line {value.line}", self.path)
            return
        parsed = self.text.parse(value) if value.held else None
        if isinstance(parsed, JsonProblem):
            plain = " Plain text belongs in a .txt file." if top == 1 else ""
            yield self._syntax(parsed.message, at=parsed, more=plain)
            return
        self.values += 1
        kind = _json_kind(parsed) if value.held else "a long JSON string or number"
        self.found.append(f"{self._label((), top)} is {_JSON_KINDS.get(kind, kind)}")

    # Errors.

    def _no_records(self) -> InputError:
        field = self.settings.text_field
        shown = "; ".join(self.found[:6]) + ("; …" if len(self.found) > 6 else "")
        if self.objects:
            guess, inner = self.guess or (None, None)
            setting = shlex.quote(f"text_field={guess or 'NAME'}")
            hint = f"Name the field that holds the article text: --set {setting} (names match "
            hint += "ignoring case)."
            if inner is not None:
                jq = shlex.quote(f"{self.guess_path or '.'}[] | {_jq_key(inner)}")
                hint = (
                    f"Each record keeps its text inside {inner!r}: write those inner objects "
                    f"one per line first (e.g. jq -c {jq} {shlex.quote(self.path)} > "
                    f"records.jsonl) and name the field: --set {setting}."
                )
            return codes.input_error(
                codes.MISSING_FIELD,
                f"no article records: {shown}; no array of objects with a text field {field!r}",
                where=self.path,
                hint=f"{hint} {_JSON_SHAPE}",
            )
        if self.values:
            return codes.input_error(
                codes.BAD_RECORD,
                f"no article records: {shown}; records are JSON objects with a text field "
                f"{field!r}",
                where=self.path,
                hint=_JSON_SHAPE,
            )
        return codes.input_error(
            codes.EMPTY,
            f"no article records: {shown}",
            where=self.path,
            hint=f"Remove it from the input or fill it with article records. {_JSON_SHAPE}",
        )

    def _syntax(self, what: str, *, at: JsonProblem | None = None, more: str = "") -> InputError:
        """P113 for a syntax error outside the records: the walk stops there."""
        self.stopped = True
        line = at.line if at else self.text.line_at(self.text.pos)
        column = at.column if at else self.text.column_at(self.text.pos) + 1
        read = "the records before it are read" if self.records else "nothing was read"
        return codes.input_error(
            codes.BAD_JSON,
            f"not valid JSON at line {line} column {column}: {what}; the rest of the file is "
            "skipped",
            where=f"{self.path}:{line}",
            hint=f"Fix the file (python -m json.tool FILE names the first error); {read}.{more}",
        )

    def _cut(self, what: str, where: str) -> InputError:
        """P113 for a file that ends inside a value: the walk stops there."""
        self.stopped = True
        read = "the records before it are read" if self.records else "nothing was read"
        return codes.input_error(
            codes.BAD_JSON,
            f"the file ends inside {what}: it is cut short",
            where=where,
            hint=f"Export or download the file again (an interrupted copy ends mid-record); "
            f"{read}.",
        )

    def _bad_json(self, problem: JsonProblem, what: str, where: str) -> InputError:
        return codes.input_error(
            codes.BAD_JSON,
            f"{what} is not valid JSON: {problem.message} at line {problem.line} column "
            f"{problem.column}",
            where=where,
            hint="Fix or remove this record; the other records are read.",
        )

    def _bad_bytes(self, value: JsonValue, where: str) -> InputError:
        reason = f"byte 0x{value.bad_value:02X}"
        if self.codec.unit > 1:
            reason = f"code unit 0x{value.bad_value:04X}, half a surrogate pair"
        return _undecodable(
            self.codec,
            path=self.path,
            line=value.line,
            byte=value.bad,
            reason=reason,
            skipped="record skipped",
            others="the other records are read",
            where=where,
        )


def _json_kind(value: Any) -> str:
    """``object``, ``array``, ``string``, ``number``, ``boolean`` or ``null``."""
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"


def _plural(kind: str, count: int) -> str:
    return kind if count == 1 else f"{kind}s"


def _keys(names: Iterable[Any]) -> str:
    shown = [str(k) for k in names]
    more = f" … ({len(shown)} in all)" if len(shown) > 12 else ""
    return ", ".join(shown[:12]) + more


def _jq_key(key: str) -> str:
    """``key`` as a jq path step: ``.docs``, ``.["my key"]``."""
    return f".{key}" if key.isidentifier() and key.isascii() else f".[{json.dumps(key)}]"


def _text_field_guess(record: Mapping[Any, Any]) -> tuple[str | None, str | None]:
    """(the field of ``record`` likeliest to hold the article text, the key of the inner object
    that holds it instead, as Elasticsearch's ``_source`` and the Guardian's ``fields`` do, or
    ``None``): a field named like a text field, else one holding a long string, first in the
    record itself, then in its inner objects; else its longest string."""
    inner = [(k, v) for k, v in record.items() if isinstance(k, str) and isinstance(v, Mapping)]
    for named in (True, False):
        for where, fields in [(None, record), *inner]:
            found = _likeliest_text(fields, named=named)
            if found is not None:
                return found, where
    strings = [k for k, v in record.items() if isinstance(k, str) and isinstance(v, str)]
    return max(strings, key=lambda k: len(record[k]), default=None), None


#: A string this long is more likely an article's text than a title or an id.
_LONG_TEXT = 200


def _likeliest_text(record: Mapping[Any, Any], *, named: bool) -> str | None:
    """A field named like a text field (``named``), else the one holding the longest string of
    at least :data:`_LONG_TEXT` characters."""
    strings = {k: v for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}
    if named:
        folded = {k.strip().casefold(): k for k in strings}
        return next((folded[n] for n in _TEXT_NAMES if n in folded), None)
    longest = max(strings, key=lambda k: len(strings[k]), default=None)
    return longest if longest is not None and len(strings[longest]) >= _LONG_TEXT else None


def read_csv(
    stream: IO[bytes], *, path: str, base: str, settings: Settings
) -> Iterator[RawDocument | InputError]:
    """Rows of a CSV stream with a header row; quoted fields may span lines. The caller has
    checked the bytes (see the module doc)."""
    # The csv module's field limit is process-wide; raise it (never lower it) so one
    # article-sized field fits. Larger records are reported by the size check below.
    csv.field_size_limit(max(csv.field_size_limit(), settings.max_article_bytes + 1))
    head = stream.read(READ_CHUNK)
    codec = line_codec(head, settings.encoding)
    lines = _DecodedLines(csv_lines(stream, codec, head), codec)
    delimiter = settings.csv_delimiter
    source: Iterable[str] = lines
    if codec.unit > 1 and codec.origin == "bom" and delimiter == ",":
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark, separated by tabs.
        first = next(lines, "")
        if "\t" in first and "," not in first:
            delimiter = "\t"
        source = chain([first], lines)
    yield from _csv_rows(
        source, lines, delimiter=delimiter, path=path, base=base, settings=settings
    )


class _DecodedLines:
    """Decoded lines for the :mod:`csv` module. A line that does not decode is handed on with
    U+FFFD in place of its bad bytes and noted in :attr:`bad` (line, byte offset, reason), so
    that the row holding it can be reported and skipped."""

    def __init__(self, lines: Iterator[tuple[int, int, bytes]], codec: LineCodec) -> None:
        self._lines = lines
        self.codec = codec
        self.bad: deque[tuple[int, int, str]] = deque()

    def __iter__(self) -> _DecodedLines:
        return self

    def __next__(self) -> str:
        lineno, start, data = next(self._lines)
        try:
            text = data.decode(self.codec.name)
        except UnicodeDecodeError as exc:
            self.bad.append((lineno, start + exc.start, exc.reason))
            text = data.decode(self.codec.name, "replace")
        # Files joined with cat: the next file's byte-order mark opens a line.
        return text[1:] if text.startswith("\ufeff") else text

    def take_bad(self, upto: int) -> tuple[int, int, str] | None:
        """The first bad line up to line ``upto``, forgetting all of them."""
        first = None
        while self.bad and self.bad[0][0] <= upto:
            found = self.bad.popleft()
            first = first or found
        return first


def _csv_rows(
    source: Iterable[str],
    lines: _DecodedLines,
    *,
    delimiter: str,
    path: str,
    base: str,
    settings: Settings,
) -> Iterator[RawDocument | InputError]:
    reader = csv.reader(source, delimiter=delimiter)
    header: list[str] | None = None
    empty = 0
    rows = 0
    while True:
        line = reader.line_num + 1
        where = f"{path}:{line}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            lines.take_bad(reader.line_num)  # the row is reported below either way
            if "field larger than field limit" in str(exc):
                yield codes.input_error(
                    codes.TOO_LARGE,
                    f"a field of the CSV row at line {line} is over the limit of "
                    f"{settings.max_article_bytes:,} bytes; row skipped",
                    where=where,
                    hint="Raise the limit with --set max_article_bytes=N, or check the quoting "
                    "(an unclosed quote swallows the rest of the file); the other rows are read.",
                )
                continue
            yield codes.input_error(
                codes.BAD_CSV,
                f"CSV row at line {line} cannot be parsed: {exc}",
                where=where,
                hint="Check quoting and --set csv_delimiter=…; the other rows are read.",
            )
            continue
        bad = lines.take_bad(reader.line_num)
        if bad is not None:
            bad_line, byte, reason = bad
            row_at = "" if bad_line == line else f" (in the row starting at line {line})"
            yield _undecodable(
                lines.codec,
                path=path,
                line=bad_line,
                byte=byte,
                reason=reason,
                skipped=f"row skipped{row_at}"
                if header is not None
                else "the header row cannot be read, so the file is skipped",
                others="the other rows are read" if header is not None else "then read it again",
            )
            if header is None:
                return
            rows += 1
            continue
        if not row:
            empty += 1
            if empty > MAX_EMPTY_ROWS:
                yield codes.input_error(
                    codes.BAD_CSV,
                    f"more than {MAX_EMPTY_ROWS:,} empty rows in a row before line {line}; "
                    "the rest of the file is skipped",
                    where=where,
                    hint="A real CSV export has no such gap: check the file (it may be "
                    "truncated, padded or hostile) and remove the empty lines.",
                )
                return
            continue
        empty = 0
        rows += 1
        if header is None:
            header = row
            if _field_key(header, settings.text_field) is None:
                yield _missing_field(
                    settings, header, where=where, what="CSV header", delimiter=delimiter
                )
                return
            continue
        if _same_names(row, header):
            header = row  # another file's header (files joined with cat): its order holds
            rows -= 1
            continue
        if len(row) != len(header):
            yield codes.input_error(
                codes.BAD_RECORD,
                f"row has {len(row)} fields but the header has {len(header)}",
                where=where,
                hint="Check quoting and the delimiter (--set csv_delimiter=…); "
                "the other rows are read.",
            )
            continue
        yield _with_codec(
            record_document(
                dict(zip(header, row, strict=True)),
                source=where,
                base=base,
                line=line,
                fmt="csv",
                settings=settings,
            ),
            lines.codec,
        )
    if header is None or rows == 1:
        yield codes.input_error(
            codes.EMPTY,
            "CSV file has no rows" if header is None else "CSV file has a header but no rows",
            where=path,
            hint="Add a header row and one row per article.",
        )


def _same_names(row: list[str], header: list[str]) -> bool:
    """Whether a row holds the header's field names, in any order (ignoring case and spaces)."""
    if len(row) != len(header) or not any(cell.strip() for cell in row):
        return False
    return sorted(c.strip().casefold() for c in row) == sorted(h.strip().casefold() for h in header)


#: Python types of parsed JSON, by their JSON names.
_JSON_TYPES = {
    "str": "a JSON string",
    "int": "a JSON number",
    "float": "a JSON number",
    "bool": "JSON true or false",
    "NoneType": "JSON null",
}


def record_document(
    record: Any,
    *,
    source: str,
    base: str,
    line: int,
    fmt: str,
    settings: Settings,
    item: int = 0,
    key: str | None = None,
) -> RawDocument | InputError:
    """A :class:`RawDocument` from one record; HTML in the text field is extracted.

    Field names match exactly, else ignoring case and surrounding spaces (``TEXT``,
    `` text``). HTML entities in the title, outlet and authors are read as text. ``item``
    numbers the records of a JSON array on one line (from 1; 0: the line is one record), or of
    an array in a JSON document. ``key`` is the article key of a record without URL or id
    (default: ``BASE:LINE``, ``BASE:LINE.ITEM``)."""
    if not isinstance(record, Mapping):
        hint = (
            'Each line must be one JSON object such as {"text": "…"}, or an array of such '
            "objects; the other lines are read."
        )
        if fmt == "json":  # an item of an array in a JSON document
            hint = 'Each item must be one JSON object such as {"text": "…"}; the others are read.'
        if not isinstance(record, list):
            what = f"{_JSON_TYPES.get(type(record).__name__, type(record).__name__)}, not an object"
        elif record and fmt != "json":
            objects = sum(isinstance(r, Mapping) for r in record)
            what = (
                f"a JSON array of {len(record)} values, {objects} of them objects (an array "
                "is read only when every value is an object)"
            )
        else:
            what = f"{'a' if record else 'an empty'} JSON array, not an object"
        return codes.input_error(codes.BAD_RECORD, f"record is {what}", where=source, hint=hint)
    keys = _field_keys(record, settings)
    text_key = keys["text_field"]
    if text_key is None:
        return _missing_field(settings, list(record), where=source, what="record")

    def value(field: str) -> Any:
        key = keys[field]
        return None if key is None else record[key]

    text = record[text_key]
    if isinstance(text, str):
        text = unpaired_surrogates_replaced(text)
    if not isinstance(text, str):
        return codes.input_error(
            codes.BAD_RECORD,
            f"field {text_key!r} is a {type(text).__name__}, not a string",
            where=source,
            hint="The text field must hold the article text as a string.",
        )
    if not text.strip():
        return codes.input_error(
            codes.EMPTY,
            f"field {text_key!r} is empty",
            where=source,
            hint="Fill the field or drop the record.",
        )
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > settings.max_article_bytes:
        return codes.too_large(size, settings.max_article_bytes, where=source, what="record text")
    ident = _scalar(value("id_field"))
    url = _scalar(value("url_field"))
    doc = RawDocument(
        source=source,
        key="",
        raw=text,
        format=fmt,
        title=_label(value("title_field")),
        url=url,
        outlet=_label(value("outlet_field")),
        authors=_authors(value("author_field")),
        meta={"line": line, "item": item} if item else {"line": line},
    )
    if ident:
        doc.meta["id"] = ident
    if looks_like_html(text):
        problem = _read_markup(doc, text, field=text_key)
        if problem is not None:
            return problem
    _set_date(doc, value("date_field"))
    used = set(keys.values())
    extra = {
        unpaired_surrogates_replaced(k): unpaired_surrogates_replaced(v)
        if isinstance(v, str)
        else v
        for k, v in record.items()
        if k not in used and _small(v)
    }
    if extra:
        doc.meta["fields"] = extra
    at = key or (f"{base}:{line}.{item}" if item else f"{base}:{line}")
    doc.key = doc.url or (f"{base}:{ident}" if ident else at)
    return doc


def _read_markup(doc: RawDocument, text: str, *, field: str) -> InputError | None:
    """Set ``doc.raw`` from a text field that looks like HTML: trafilatura's main text, else
    (a fragment, or plain text with a tag in it) the text without its tags, noted in
    ``meta.html_fallback``. The raw text for offsets is what was read, as for HTML pages."""
    found = extract_html(text, where=doc.source)
    if isinstance(found, Extracted):
        doc.raw = found.text
        doc.meta["html"] = True
        doc.title = doc.title or found.title
        doc.url = doc.url or found.url
        doc.outlet = doc.outlet or found.sitename
        doc.authors = doc.authors or found.authors
        page_meta(doc.meta, found)
        return None
    if found.code != codes.NO_MAIN_TEXT:
        return found  # nested too deep: refused, not half read
    if _mentions_tags(text):
        doc.meta["html_fallback"] = "as_written"
        return None
    plain = _tags_removed(text)
    if not plain:
        return codes.input_error(
            codes.NO_MAIN_TEXT,
            f"field {field!r} holds HTML markup with no text in it",
            where=doc.source,
            hint=f"Put the article text (or its HTML) in the field {field!r}, or drop the "
            "record; the other records are read.",
        )
    doc.raw = plain
    doc.meta["html"] = True
    doc.meta["html_fallback"] = "tags_removed"
    return None


#: Markup that only a real HTML fragment holds: an end tag, an element that is always empty,
#: a comment, or a start tag written against the word it opens (``<p>The``).
_MARKUP = re.compile(
    r"</[A-Za-z]|<(?:br|hr|img|wbr)\b|/>|<!--|<[A-Za-z][^<>]*>[^\s.,;:!?)\]\"'’”]",
    re.IGNORECASE,
)


def _mentions_tags(text: str) -> bool:
    """Whether text that trafilatura found no article in is prose that names a tag
    ("wrap it in a <p> element") rather than markup: it is then read as written."""
    return _MARKUP.search(text) is None


_HIDDEN = re.compile(
    r"<(script|style|template|noscript)\b[^<>]*>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = re.compile(
    r"</?(?:address|article|aside|blockquote|body|dd|details|div|dl|dt|figcaption|figure|"
    r"footer|h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|td|th|title|tr|ul)"
    r"\b[^<>]*>",
    re.IGNORECASE,
)
_BREAK = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def _tags_removed(markup: str) -> str:
    """Text of an HTML fragment: scripts, styles and comments dropped, block elements as
    paragraph breaks, ``<br>`` as a line break, other tags removed, entities read."""
    text = _HIDDEN.sub("", markup)
    text = _BREAK.sub("\n", _BLOCK.sub("\n\n", text))
    text = html.unescape(_ANY_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


_FIELD_SETTINGS = (
    "text_field",
    "title_field",
    "url_field",
    "date_field",
    "outlet_field",
    "author_field",
    "id_field",
)


def _field_keys(record: Mapping[Any, Any], settings: Settings) -> dict[str, Any]:
    """The key of ``record`` each field setting means (see :func:`_field_key`), or ``None``."""
    keys: dict[str, Any] = {}
    folded: dict[str, Any] | None = None
    for field in _FIELD_SETTINGS:
        name = getattr(settings, field)
        if name in record:
            keys[field] = name
            continue
        if folded is None:
            folded = {}
            for k in record:
                if isinstance(k, str):
                    folded.setdefault(k.strip().casefold(), k)
        keys[field] = folded.get(name.strip().casefold())
    return keys


def _field_key(fields: Iterable[Any], name: str) -> Any:
    """The key of ``fields`` that setting value ``name`` means: itself, else the first key
    equal to it ignoring case and surrounding spaces (a header ``Title,TEXT``); ``None``."""
    names = list(fields)
    if name in names:
        return name
    wanted = name.strip().casefold()
    return next((k for k in names if isinstance(k, str) and k.strip().casefold() == wanted), None)


#: Delimiters a CSV header read as one cell most often holds, with how to pass them.
_OTHER_DELIMITERS = {";": "';'", "\t": "'\\t'", "|": "'|'"}


def _missing_field(
    settings: Settings,
    fields: list[str],
    *,
    where: str,
    what: str,
    delimiter: str | None = None,
) -> InputError:
    shown = ", ".join(repr(f) for f in fields[:12]) or "none"
    example = next((f for f in fields if f.lower() in ("body", "content", "article")), "body")
    hint = f"Name the field that holds the article text, e.g. --set text_field={example}."
    if delimiter is not None and len(fields) == 1:
        found = [d for d in _OTHER_DELIMITERS if d in fields[0] and d != delimiter]
        if found:
            d = max(found, key=fields[0].count)
            named = "tab" if d == "\t" else repr(d)
            hint = (
                f"The header is one field holding {named} characters: the file is separated "
                f"by {named}, not {delimiter!r}; pass --set csv_delimiter={_OTHER_DELIMITERS[d]}"
            )
            if _field_key(fields[0].split(d), settings.text_field) is None:
                hint += " and name the text column with --set text_field=NAME"
            hint += "."
    return codes.input_error(
        codes.MISSING_FIELD,
        f"{what} has no text field {settings.text_field!r} (fields: {shown})",
        where=where,
        hint=hint,
    )


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = unpaired_surrogates_replaced(str(value)).strip()
    return text or None


_SURROGATE = re.compile("[\ud800-\udfff]")


def unpaired_surrogates_replaced(value: str) -> str:
    """``value`` with each unpaired UTF-16 surrogate (a JSON escape such as ``"\\ud800"``
    without its pair) replaced by U+FFFD, one character for one, so offsets hold.

    Such a character is no Unicode text: it cannot be encoded, hashed or stored, and one of
    them aborted a whole corpus run at the article id. A JSON pair (an emoji) is already
    one character when ``json`` hands it over, so only broken halves are replaced."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _label(value: Any) -> str | None:
    """A title, outlet or author name: HTML entities read as text ("AT&amp;T" is "AT&T"),
    as the feed reader does."""
    text = _scalar(value)
    if text is None or "&" not in text:
        return text
    return html.unescape(text).strip() or None


def _authors(value: Any) -> list[str]:
    """Authors from a string ("A, B and C"), a list of such strings, or name objects
    (``{"name": "Jane Doe"}``, as JSON-LD writes them), alone or in a list."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            name = item.get("name")
            text = _label(name) if isinstance(name, str) else None
            names.extend([text] if text else [])
        elif isinstance(item, str) or not isinstance(value, list):
            text = _label(item)
            names.extend(split_authors(text) if text else [])
        elif text := _scalar(item):
            names.append(text)
    return names


def _set_date(doc: RawDocument, value: Any) -> None:
    text = _scalar(value)
    if not text:
        return
    when = parse_date(text)
    if when is None:
        doc.meta["date_unparsed"] = text
    else:
        doc.published = Published(date=when, source="record-field", raw=text)


def _small(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_META_STRING
    return value is None or isinstance(value, (bool, int, float))
