""".json inputs: an array of article objects, one object, an API's wrapper object, JSON Lines
saved as .json, and everything that can be wrong with them (one bad record skips only itself,
a document with no records is one clear error, a large file is read in bounded memory)."""

from __future__ import annotations

import codecs
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, read_articles, read_sources, record_lines, records
from presslens.readers.record_lines import JsonText, line_codec
from presslens.settings import Settings

RECORDS = [
    {"Title": "Harbour vote", "Text": "The council met on Tuesday in Port Elin.", "id": "h-1"},
    {
        "title": "Ferry late",
        "text": "The ferry ran late, officials said.",
        "author": [{"name": "Ann Lee"}],
    },
    {"title": "Budget", "body": "no text field here"},
    {"title": "Tram", "text": "The tram budget was cut.", "url": "https://n.example/tram"},
]


def read(path: Path, **settings: Any) -> list[RawDocument | InputError]:
    return list(read_sources([str(path)], Settings(**settings)))


def split(items: list[RawDocument | InputError]) -> tuple[list[RawDocument], list[InputError]]:
    return [i for i in items if isinstance(i, RawDocument)], [
        i for i in items if isinstance(i, InputError)
    ]


def one_error(path: Path, **settings: Any) -> InputError:
    items = read(path, **settings)
    assert len(items) == 1 and isinstance(items[0], InputError), items
    err = items[0]
    assert err.where and err.where.startswith(str(path)) and err.hint
    return err


def write(tmp_path: Path, name: str, value: Any, *, indent: int | None = 2) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, indent=indent, ensure_ascii=False), "utf-8")
    return path


# An array of records, as scrapers and newsroom tools export it.


def test_an_array_of_records_is_read_record_by_record_with_its_place(tmp_path: Path) -> None:
    """A .json file was one text article made of raw JSON."""
    path = write(tmp_path, "export.json", RECORDS)
    docs, errors = split(read(path))
    assert [(d.source, d.key, d.raw) for d in docs] == [
        (f"{path} item 1", "export.json:h-1", "The council met on Tuesday in Port Elin."),
        (f"{path} item 2", "export.json item 2", "The ferry ran late, officials said."),
        (f"{path} item 4", "https://n.example/tram", "The tram budget was cut."),
    ]
    assert docs[0].title == "Harbour vote"  # field names match ignoring case
    assert docs[1].authors == ["Ann Lee"] and docs[1].format == "json"
    assert docs[1].meta["item"] == 2 and docs[1].meta["line"] == 7  # where the item starts
    ((err),) = errors
    assert err.code == "P115" and err.where == f"{path} item 3"  # skips only itself


def test_the_field_settings_apply(tmp_path: Path) -> None:
    path = write(
        tmp_path, "export.json", [{"headline": "H", "body": "Body text.", "by": "Bo Chen"}]
    )
    (doc,) = read(path, text_field="body", title_field="HEADLINE", author_field="by")
    assert isinstance(doc, RawDocument)
    assert (doc.raw, doc.title, doc.authors) == ("Body text.", "H", ["Bo Chen"])


def test_a_folder_walk_reads_json_files(tmp_path: Path) -> None:
    """A folder walk skipped .json files."""
    write(tmp_path, "a.json", RECORDS[1:2])
    (tmp_path / "b.txt").write_text("Plain text article.\n", "utf-8")
    arts = [a for a in read_articles([str(tmp_path)], Settings()) if isinstance(a, Article)]
    assert sorted(a.text for a in arts) == [
        "Plain text article.",
        "The ferry ran late, officials said.",
    ]


def test_a_gzipped_json_file_is_read_like_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "export.json.gz"
    path.write_bytes(gzip.compress(json.dumps(RECORDS[1:2]).encode()))
    (doc,) = read(path)
    assert isinstance(doc, RawDocument)
    assert doc.source == f"{path} item 1" and doc.key == "export.json item 1"


def test_a_gzip_bomb_stops_at_the_decompression_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.json.gz"
    pad = " " * 3_000_000  # past the limit: 2 MB here, as the file compresses so well
    path.write_bytes(gzip.compress(json.dumps(RECORDS[1:2])[:-1].encode() + pad.encode() + b"]"))
    docs, errors = split(read(path, max_article_bytes=2_000_000))
    assert [d.source for d in docs] == [f"{path} item 1"]  # read before the limit
    assert [e.code for e in errors] == ["P125"]


# Wrappers: the array under a key, as news APIs answer.


@pytest.mark.parametrize(
    ("document", "place"),
    [
        ({"status": "ok", "totalResults": 2, "articles": RECORDS[1:2]}, "articles"),
        ({"data": RECORDS[1:2], "meta": {"page": 1}}, "data"),
        ({"items": RECORDS[1:2]}, "items"),
        ({"count": 1, "results": RECORDS[1:2]}, "results"),
        (
            {"status": "OK", "response": {"meta": {"hits": 1}, "docs": RECORDS[1:2]}},
            "response.docs",
        ),
    ],
)
def test_an_array_wrapped_in_objects_is_found(tmp_path: Path, document: Any, place: str) -> None:
    path = write(tmp_path, "api.json", document, indent=None)
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.raw == "The ferry ran late, officials said."
    assert doc.source == f"{path} {place} item 1" and doc.key == f"api.json {place} item 1"


def test_one_object_is_one_article_named_by_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "story.json", RECORDS[1])
    (doc,) = read(path)
    assert isinstance(doc, RawDocument)
    assert (doc.source, doc.key, doc.authors) == (str(path), "story.json", ["Ann Lee"])


def test_objects_one_after_another_are_items(tmp_path: Path) -> None:
    """What ``jq '.articles[]'`` prints: pretty-printed objects, one after another."""
    path = tmp_path / "jq.json"
    path.write_text("\n".join(json.dumps(r, indent=2) for r in RECORDS[1:2] * 2), "utf-8")
    docs, errors = split(read(path))
    assert errors == [] and [d.source for d in docs] == [f"{path} item 1", f"{path} item 2"]


def test_json_lines_saved_as_json_is_read_as_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), "utf-8")
    docs, errors = split(read(path))
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert [e.where for e in errors] == [f"{path}:3"]


# A document without records: one error that says what it holds and what to pass.


def test_no_text_field_is_one_error_naming_what_was_found_and_the_setting(tmp_path: Path) -> None:
    document = {"status": "ok", "articles": [{"headline": "H", "content": "Body " * 60}] * 3}
    path = write(tmp_path, "newsapi.json", document)
    err = one_error(path)
    assert err.code == "P115" and err.where == str(path)
    assert "an object with keys status, articles" in err.message
    assert "'articles' is an array of 3 objects (keys of the first object: headline, content)" in (
        err.message
    )
    assert "no array of objects with a text field 'text'" in err.message
    assert "--set text_field=content" in (err.hint or "")
    docs, errors = split(read(path, text_field="content"))
    assert errors == [] and len(docs) == 3


def test_text_inside_an_inner_object_names_the_flattening_to_do(tmp_path: Path) -> None:
    document = {"hits": {"hits": [{"_id": "1", "_source": {"title": "T", "body": "B"}}]}}
    path = write(tmp_path, "es.json", document)
    err = one_error(path)
    assert err.code == "P115" and "inside '_source'" in (err.hint or "")
    assert "jq -c '.hits.hits[] | ._source'" in (err.hint or "")
    assert "--set text_field=body" in (err.hint or "")


@pytest.mark.parametrize(
    ("content", "code", "found"),
    [
        ("[]", "P105", "the document is an empty array"),
        ("{}", "P105", "the document is an empty object"),
        ('{"status": "ok", "articles": []}', "P105", "'articles' is an empty array"),
        ("  \n", "P105", "only whitespace"),
        ('"just a string"', "P114", "the document is a JSON string"),
        ("[1, 2, 3]", "P114", "an array of 3 numbers"),
        ('{"status": "error", "message": "rate limited"}', "P115", "keys status, message"),
        ("The council met on Tuesday.\n", "P113", "not valid JSON at line 1 column 1"),
    ],
)
def test_documents_without_records(tmp_path: Path, content: str, code: str, found: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, "utf-8")
    err = one_error(path)
    assert err.code == code and found in err.message


def test_an_array_of_many_non_records_is_judged_from_its_first_items(tmp_path: Path) -> None:
    path = write(tmp_path, "ids.json", list(range(5000)), indent=None)
    err = one_error(path)
    assert err.code == "P114" and "more than 100 values (100 numbers" in err.message


# One bad record skips only itself.


def test_a_syntax_error_inside_a_record_skips_only_that_record(tmp_path: Path) -> None:
    text = json.dumps([RECORDS[1], RECORDS[3], RECORDS[1]], indent=2)
    text = text.replace('"Tram",', '"Tram"', 1)  # a missing comma inside item 2
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    docs, errors = split(read(path))
    assert [d.source for d in docs] == [f"{path} item 1", f"{path} item 3"]
    ((err),) = errors
    assert err.code == "P113" and err.where == f"{path} item 2"
    assert "Expecting ',' delimiter at line 13" in err.message


def test_a_cut_file_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(RECORDS[1:2] * 3, indent=2)[:-30], "utf-8")
    docs, errors = split(read(path))
    assert [d.source for d in docs] == [f"{path} item 1", f"{path} item 2"]
    ((err),) = errors
    assert err.code == "P113" and err.where == f"{path} item 3" and "cut short" in err.message


def test_a_cut_wrapper_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"status": "ok", "articles": [{"text": "One."}, {"text": "Tw', "utf-8")
    docs, errors = split(read(path))
    assert [d.raw for d in docs] == ["One."]
    ((err),) = errors
    assert err.code == "P113" and err.where == f"{path} articles item 2"


def test_a_broken_structure_between_records_stops_there(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[{"text": "One."} {"text": "Two."}]', "utf-8")
    docs, errors = split(read(path))
    assert [d.raw for d in docs] == ["One."]
    ((err),) = errors
    assert err.code == "P113" and err.where == f"{path}:1"
    assert "expected ',' or ']' after item 1" in err.message


def test_a_byte_that_does_not_decode_skips_only_its_record(tmp_path: Path) -> None:
    data = b'[{"text": "Good one."}, {"text": "Caf\xc3\xa9 \xff bad."}, {"text": "Caf\xc3\xa9."}]'
    path = tmp_path / "bytes.json"
    path.write_bytes(data)
    docs, errors = split(read(path))
    assert [d.raw for d in docs] == ["Good one.", "Café."]
    ((err),) = errors
    assert err.code == "P107" and err.where == f"{path} item 2"
    bad = data.index(b"\xff")
    assert f"at byte {bad} of the file" in err.message


def test_a_record_over_the_limit_is_skipped_without_being_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_lines, "READ_CHUNK", 4096)
    monkeypatch.setattr(records, "READ_CHUNK", 4096)
    widest = 0
    more = JsonText._more

    def watched(self: JsonText, keep: int) -> int | None:
        nonlocal widest
        widest = max(widest, len(self.buf))
        return more(self, keep)

    monkeypatch.setattr(JsonText, "_more", watched)
    huge = {"text": "x" * 2_000_000}
    path = write(tmp_path, "big.json", [RECORDS[1], huge, RECORDS[3]], indent=None)
    docs, errors = split(read(path, max_article_bytes=10_000))
    assert [d.source for d in docs] == [f"{path} item 1", f"{path} item 3"]
    ((err),) = errors
    assert err.code == "P104" and err.where == f"{path} item 2"
    assert f"{len(json.dumps(huge)):,} bytes" in err.message
    assert widest < 40_000  # the window, not the 2 MB record


def test_one_object_over_the_limit_is_p104(tmp_path: Path) -> None:
    path = write(tmp_path, "story.json", {"title": "T", "text": "x" * 5000})
    err = one_error(path, max_article_bytes=1000)
    assert err.code == "P104" and err.where == str(path)


@pytest.mark.parametrize("chunk", [2, 3, 7, 64])
def test_the_read_size_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Values, strings and escapes cut between reads; lines and places stay exact."""
    text = json.dumps(
        {"n": 1, "items": [RECORDS[0], "x", {"text": 'Quote \\" and é 🙂 \\\\'}, RECORDS[1]]},
        indent=1,
        ensure_ascii=False,
    )
    path = tmp_path / "a.json"
    path.write_text(text, "utf-8")

    def outcome() -> list[tuple[Any, ...]]:
        return [
            (i.source, i.raw, i.meta["line"]) if isinstance(i, RawDocument) else (i.code, i.where)
            for i in read(path, max_article_bytes=200)
        ]

    whole = outcome()
    monkeypatch.setattr(record_lines, "READ_CHUNK", chunk)
    monkeypatch.setattr(records, "READ_CHUNK", chunk)
    assert outcome() == whole
    assert whole[0] == (f"{path} items item 1", "The council met on Tuesday in Port Elin.", 4)


# Encodings and the byte checks that run before the reader.


def test_json_in_utf16_with_a_mark_and_in_windows_1252(tmp_path: Path) -> None:
    utf16 = tmp_path / "u.json"
    story = [{"text": "Ferry late 🙂."}]
    utf16.write_bytes(
        codecs.BOM_UTF16_LE + json.dumps(story, ensure_ascii=False).encode("utf-16-le")
    )
    legacy = tmp_path / "l.json"
    legacy.write_bytes(json.dumps([{"text": "Café, naïve."}], ensure_ascii=False).encode("cp1252"))
    (a,) = read(utf16)
    (b,) = read(legacy)
    assert isinstance(a, RawDocument) and a.raw == "Ferry late 🙂."  # a pair is one character
    assert isinstance(b, RawDocument) and b.raw == "Café, naïve."
    assert (a.meta["encoding"], b.meta["encoding"]) == ("utf-16-le", "cp1252")


def test_half_a_surrogate_pair_in_utf16_skips_only_its_record(tmp_path: Path) -> None:
    good = '{"text": "One."}'.encode("utf-16-le")
    bad = '{"text": "'.encode("utf-16-le") + b"\x00\xdc" + '"}'.encode("utf-16-le")
    comma = ",".encode("utf-16-le")
    data = codecs.BOM_UTF16_LE + "[".encode("utf-16-le") + good + comma + bad + comma + good
    path = tmp_path / "u.json"
    path.write_bytes(data + "]".encode("utf-16-le"))
    docs, errors = split(read(path))
    assert [d.source for d in docs] == [f"{path} item 1", f"{path} item 3"]
    ((err),) = errors
    assert err.code == "P110" and err.where == f"{path} item 2"
    at = data.index(b"\x00\xdc")
    assert f"at byte {at} of the file" in err.message


def test_bom_less_utf16_json_needs_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "u.json"
    path.write_bytes(json.dumps(RECORDS[1:2]).encode("utf-16-le"))
    err = one_error(path)
    assert err.code == "P106" and "--set encoding=utf-16-le" in (err.hint or "")
    (doc,) = read(path, encoding="utf-16")
    assert isinstance(doc, RawDocument) and doc.source == f"{path} item 1"


def test_a_packed_file_named_json_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(gzip.compress(json.dumps(RECORDS).encode()))
    err = one_error(path, encoding="utf-16")  # also when a wide codec is named
    assert err.code == "P106" and "gzip data" in err.message


def test_a_nul_inside_a_json_string_is_the_records_problem(tmp_path: Path) -> None:
    path = tmp_path / "nul.json"
    path.write_bytes(b'[{"text": "NUL\x00 here."}, {"text": "Plain."}]')
    arts = [a for a in read_articles([str(path)], Settings()) if isinstance(a, Article)]
    assert [a.text for a in arts] == ["NUL here.", "Plain."]


@pytest.mark.parametrize("name", ["a.jsonl", "a.csv", "a.json", "a.jsonl.gz"])
def test_the_reader_gets_the_bytes_the_check_read(tmp_path: Path, name: str) -> None:
    """The dispatcher reads the first 8 KB to check them and hands them back to the reader: a
    first record longer than that arrives whole."""
    long = "Word " * 3000
    if name.endswith(".csv"):
        data = f'title,text\n"T","{long}"\nT2,Short.\n'.encode()
    elif name == "a.json":
        data = json.dumps([{"text": long}, {"text": "Short."}]).encode()
    else:
        data = (json.dumps({"text": long}) + "\n" + json.dumps({"text": "Short."}) + "\n").encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    docs, errors = split(read(path))
    assert errors == [] and [d.raw for d in docs] == [long, "Short."]


def test_a_named_wide_codec_is_judged_once_before_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dispatcher checks a record stream named UTF-16/32 once, in that codec (read blind,
    non-Latin text in it looks binary); the record readers do not check the bytes again."""
    from presslens.readers import sources

    calls: list[str | None] = []
    check = sources.check_bytes

    def counted(head: bytes, **kwargs: Any) -> InputError | None:
        calls.append(kwargs.get("encoding"))
        return check(head, **kwargs)

    monkeypatch.setattr(sources, "check_bytes", counted)
    path = tmp_path / "a.csv"
    path.write_bytes("title,text\nT,Café.\n".encode("utf-16-le"))
    (doc,) = read(path, encoding="utf-16-le")
    assert isinstance(doc, RawDocument) and doc.raw == "Café."
    assert calls == ["utf-16-le"]
    assert not hasattr(records, "check_bytes")


def test_json_text_counts_lines_and_bytes_across_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(record_lines, "READ_CHUNK", 3)
    data = '[\n  {"text": "é"},\n  {"text": "🙂"}\n]'.encode()
    text = JsonText(io.BytesIO(data[3:]), line_codec(data, "auto"), data[:3])
    assert text.peek() == "["
    text.pos += 1
    text.peek()
    first = text.value(100)
    text.peek()
    text.pos += 1
    text.peek()
    second = text.value(100)
    assert (first.line, first.byte, first.size) == (2, 4, len('{"text": "é"}'.encode()))
    assert (second.line, second.byte) == (3, data.index(b'{"text": "\xf0'))
    assert text.parse(second) == {"text": "🙂"}


def test_a_run_output_folder_inside_an_input_folder_is_passed_over(tmp_path: Path) -> None:
    """Once .json was read, a `presslens run` output folder inside a corpus folder gave an
    error for each of its bookkeeping files (`_run.json`, `_done/shard-….json`)."""
    corpus = tmp_path / "corpus"
    (corpus / "out" / "_done").mkdir(parents=True)
    (corpus / "a.txt").write_text("The council met on Tuesday and approved the plan.\n")
    (corpus / "out" / "_run.json").write_text('{"fingerprint": "x", "version": "0.1.0"}')
    (corpus / "out" / "_done" / "shard-1.json").write_text('{"ids": [], "counts": {}}')
    (corpus / "out" / "errors.jsonl").write_text("")
    found = list(read_sources([str(corpus)], Settings()))
    assert [Path(d.source).name for d in found if not isinstance(d, Exception)] == ["a.txt"]
    assert not [d for d in found if isinstance(d, Exception)]
    # named itself, the output folder is walked as asked
    named = list(read_sources([str(corpus / "out")], Settings()))
    assert any(isinstance(d, Exception) for d in named)
