"""JSONL and CSV records: bugs found by probing the readers (bad bytes, authors, HTML-looking
text, field names, UTF-16)."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, read_articles, read_sources
from presslens.readers.records import read_jsonl
from presslens.settings import Settings

SETTINGS = Settings()
BAD = b"\xe9"  # "é" in cp1252: no UTF-8 sequence starts so


def read(path: Path, settings: Settings = SETTINGS) -> list[RawDocument | InputError]:
    return list(read_sources([str(path)], settings))


def split(items: list[RawDocument | InputError]) -> tuple[list[RawDocument], list[InputError]]:
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors


def jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


# A. One bad byte loses one row, reported where it is.


def test_csv_bad_byte_skips_only_its_row_at_its_line_and_byte(tmp_path: Path) -> None:
    """Found by probing: a cp1252 byte in row 900 of 1,000 was reported at line 878 and every
    row from 878 on was lost (22 of them silently)."""
    lines = [b"title,text"] + [
        b"T%d,Article %d about the harbour." % (n, n) for n in range(2, 1001)
    ]
    lines[899] = b"T900,Caf\xe9 article about coffee."  # line 900
    lines[1] = "T2,Article 2 about the harbour café.".encode()  # UTF-8 (else: read as cp1252)
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / "late_bad.csv"
    path.write_bytes(data)
    docs, errors = split(read(path))
    (err,) = errors
    assert err.code == "P107"
    assert err.where == f"{path}:900 byte {data.index(BAD)}"
    assert "--set encoding=" in (err.hint or "") and "other rows are read" in (err.hint or "")
    lines_read = [int(d.source.rsplit(":", 1)[1]) for d in docs]
    assert lines_read == [n for n in range(2, 1001) if n != 900]


def test_csv_bad_byte_inside_a_quoted_multiline_cell(tmp_path: Path) -> None:
    utf8 = 'title,text\nÄ,"First para.\n\nSecond para."\n'.encode()  # UTF-8, with damage:
    rest = b'B,"Para one.\nCaf\xe9 in para two."\nC,"Third row,\nstill going."\nD,Last row.\n'
    data = utf8 + rest
    path = tmp_path / "quoted.csv"
    path.write_bytes(data)
    docs, errors = split(read(path))
    (err,) = errors
    assert err.code == "P107" and err.where == f"{path}:6 byte {data.index(BAD)}"
    assert "line 5" in err.message  # the row it skips starts a line earlier
    assert [(d.source.rsplit(":", 1)[1], d.raw) for d in docs] == [
        ("2", "First para.\n\nSecond para."),
        ("7", "Third row,\nstill going."),
        ("9", "Last row."),
    ]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-32"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_lines_are_cut_alike_whatever_the_read_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, codec: str, newline: str
) -> None:
    """Lines are cut in the bytes: a break split between two reads, or a code unit of
    UTF-16 or UTF-32 split between them, must not move a row or its line number."""
    monkeypatch.setattr("presslens.readers.record_lines.READ_CHUNK", chunk)
    rows = ["title,text", 'A,"Café one.', "", 'Still A."', "", "B,Ünïcode two 🙂."]
    path = tmp_path / "a.csv"
    path.write_bytes((newline.join(rows) + newline).encode(codec))
    docs, errors = split(read(path))
    assert errors == []
    assert [(d.source.rsplit(":", 1)[1], d.raw) for d in docs] == [
        ("2", f"Café one.{newline}{newline}Still A."),
        ("6", "Ünïcode two 🙂."),
    ]


# B. Authors and entities in record metadata.


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ([{"name": "Jane Doe"}, {"name": "John Roe"}], ["Jane Doe", "John Roe"]),
        ({"@type": "Person", "name": "Jane Doe"}, ["Jane Doe"]),
        (["By Jane Doe", "John Roe and Ann Poe"], ["Jane Doe", "John Roe", "Ann Poe"]),
        ("Jane Doe &amp; John Roe", ["Jane Doe", "John Roe"]),
        ([{"name": "Ann &amp; Bo Lee"}, {"url": "no name"}], ["Ann & Bo Lee"]),
    ],
)
def test_jsonl_authors_from_objects_lists_and_escaped_strings(
    tmp_path: Path, author: object, expected: list[str]
) -> None:
    path = jsonl(tmp_path / "a.jsonl", {"text": "Story text.", "author": author})
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.authors == expected


def test_jsonl_title_and_outlet_entities_are_read_as_text(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "a.jsonl",
        {"text": "Story text.", "title": "Q&amp;A: AT&amp;T sues", "outlet": "Smith &amp; Co"},
    )
    (doc,) = read(path)
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.outlet) == ("Q&A: AT&T sues", "Smith & Co")


# C. Text that looks like HTML but holds no page.

PROSE = "The minister said on Tuesday that consumer prices would fall over the coming year."


@pytest.mark.parametrize(
    ("text", "expected", "fallback"),
    [
        ("<p>The mayor resigned on Friday.</p>", "The mayor resigned on Friday.", "tags_removed"),
        (
            "Developers should wrap text in a <p> element, the guide says. Browsers add space.",
            "Developers should wrap text in a <p> element, the guide says. Browsers add space.",
            "as_written",
        ),
        (
            f"{PROSE}\n\n<a href='/x'>Read more</a>\n\n{PROSE} Analysts were sceptical.\n\n{PROSE}",
            f"{PROSE}\n\nRead more\n\n{PROSE} Analysts were sceptical.\n\n{PROSE}",
            "tags_removed",
        ),
        (
            "<ul><li>Prices &amp; wages</li><script>var x;</script>"
            "<li>rose<br>again</li></ul><!--c-->",
            "Prices & wages\n\nrose\nagain",
            "tags_removed",
        ),
    ],
)
def test_record_html_without_main_text_falls_back_to_its_text(
    tmp_path: Path, text: str, expected: str, fallback: str
) -> None:
    """Found by probing: these were refused (P112) with a hint about saving the page."""
    path = jsonl(tmp_path / "a.jsonl", {"text": text})
    (doc,) = read(path)
    assert isinstance(doc, RawDocument), doc
    assert doc.raw == expected  # the raw text offsets refer to
    assert doc.meta["html_fallback"] == fallback
    (art,) = read_articles([str(path)], SETTINGS)
    assert isinstance(art, Article) and expected[:20] in art.text


def test_record_markup_without_any_text_is_reported_for_the_field(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "a.jsonl", {"body": "<div><img src='x.png'></div>"})
    (err,) = read(path, Settings(text_field="body"))
    assert isinstance(err, InputError) and err.code == "P112"
    assert "'body'" in err.message and "drop the record" in (err.hint or "")
    assert ".txt" not in (err.hint or "")


# D. Field names and the delimiter.


@pytest.mark.parametrize(
    ("header", "suggested"),
    [
        ("title;text;date", "csv_delimiter=';'"),
        ("title\ttext\tdate", "csv_delimiter='\\t'"),
        ("title|text|date", "csv_delimiter='|'"),
    ],
)
def test_csv_one_cell_header_suggests_the_delimiter(
    tmp_path: Path, header: str, suggested: str
) -> None:
    path = tmp_path / "a.csv"
    sep = header[5]
    path.write_text(f"{header}\nT1{sep}Some text.{sep}2026-11-24\n", "utf-8")
    (err,) = read(path)
    assert isinstance(err, InputError) and err.code == "P115"
    assert f"--set {suggested}" in (err.hint or "")
    assert "text_field" not in (err.hint or "")


def test_field_names_match_ignoring_case_when_not_exact(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Title,TEXT,Date\nT1,Upper header article.,2026-11-24\n", "utf-8")
    (doc,) = read(path)
    assert isinstance(doc, RawDocument)
    assert (doc.raw, doc.title, doc.published and doc.published.raw) == (
        "Upper header article.",
        "T1",
        "2026-11-24",
    )
    path = jsonl(tmp_path / "b.jsonl", {"Text": "Other case.", "text": "Exact wins.", "TITLE": "T"})
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and (doc.raw, doc.title) == ("Exact wins.", "T")
    assert doc.meta["fields"] == {"Text": "Other case."}


# E. UTF-16 and UTF-32.


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_csv_with_a_byte_order_mark_is_read_in_its_codec(tmp_path: Path, codec: str) -> None:
    """Excel's "Unicode text": UTF-16 LE with a BOM, tab separated; was P107 at line 1."""
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(
        codec, codecs.BOM_UTF32_LE
    )
    path = tmp_path / "export.csv"
    path.write_bytes(bom + "title\ttext\r\nT1\tArticle about cafés.\r\n".encode(codec))
    (doc,) = read(path)
    assert isinstance(doc, RawDocument), doc
    assert (doc.title, doc.raw, doc.source) == ("T1", "Article about cafés.", f"{path}:2")


@pytest.mark.parametrize(
    ("data", "settings"),
    [
        (
            codecs.BOM_UTF16_LE + '{"text": "Café one."}\n\n{"text": "Two."}\n'.encode("utf-16-le"),
            SETTINGS,
        ),
        (
            codecs.BOM_UTF16_BE + '{"text": "Café one."}\n\n{"text": "Two."}\n'.encode("utf-16-be"),
            SETTINGS,
        ),
        ('{"text": "Café one."}\n\n{"text": "Two."}'.encode("utf-32"), SETTINGS),
    ],
)
def test_jsonl_in_utf16_or_utf32(tmp_path: Path, data: bytes, settings: Settings) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    docs, errors = split(read(path, settings))
    assert errors == []
    assert [(d.raw, d.source) for d in docs] == [("Café one.", f"{path}:1"), ("Two.", f"{path}:3")]


def test_jsonl_reader_follows_a_utf16_encoding_setting() -> None:
    """Lines were cut at every byte 0x0A, so ``--set encoding=utf-16`` could not work. (Files
    without a byte-order mark: see ``test_records_encodings.py``.)"""
    data = '{"text": "Café one."}\n\n{"text": "Ċ two."}\n'.encode("utf-16-le")
    got = list(
        read_jsonl(io.BytesIO(data), path="a.jsonl", base="a", settings=Settings(encoding="utf-16"))
    )
    assert [(d.raw, d.source) for d in got if isinstance(d, RawDocument)] == [
        ("Café one.", "a.jsonl:1"),
        ("Ċ two.", "a.jsonl:3"),
    ]


def test_a_bad_code_unit_in_utf16_loses_one_line_and_is_p110(tmp_path: Path) -> None:
    good = '{"text": "One."}\n'.encode("utf-16-le")
    bad = '{"text": "'.encode("utf-16-le") + b"\x00\xdc" + '"}\n'.encode("utf-16-le")
    data = codecs.BOM_UTF16_LE + good + bad + good
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    docs, errors = split(read(path))
    (err,) = errors
    assert err.code == "P110" and "byte-order mark" in err.message
    assert err.where == f"{path}:2 byte {len(codecs.BOM_UTF16_LE + good) + 20}"
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:3"]


def test_named_codec_that_fails_is_p110(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("title,text\nA,Café.\nB,Plain.\n".encode())
    docs, errors = split(read(path, Settings(encoding="ascii")))
    (err,) = errors
    assert err.code == "P110" and "encoding setting" in err.message
    assert [d.raw for d in docs] == ["Plain."]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-8", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-32-be", codecs.BOM_UTF32_BE)],
)
def test_jsonl_lines_are_cut_alike_whatever_the_read_size(
    monkeypatch: pytest.MonkeyPatch, chunk: int, codec: str, bom: bytes
) -> None:
    """Blank runs, an over-limit line skipped unread, and code units split between reads."""
    monkeypatch.setattr("presslens.readers.record_lines.READ_CHUNK", chunk)
    text = '\n \n{"text": "' + "x" * 300 + '"}\n{"text": "Ünï 🙂"}\n\n{"text": "' + "y" * 300
    data = bom + (text + '"}').encode(codec)
    got = list(
        read_jsonl(io.BytesIO(data), path="a", base="a", settings=Settings(max_article_bytes=100))
    )
    assert [
        (getattr(i, "code", None), i.where if isinstance(i, InputError) else i.source) for i in got
    ] == [("P104", "a:3"), (None, "a:4"), ("P104", "a:6")]
    assert isinstance(got[1], RawDocument) and got[1].raw == "Ünï 🙂"
