"""Encodings a journalist's export carries: UTF-16/32 without a byte-order mark, files joined
with ``cat``, NUL bytes, Excel's windows-1252, JSON arrays on a line, packed files."""

from __future__ import annotations

import codecs
import gzip
import json
import zipfile
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, read_articles, read_sources
from presslens.settings import Settings

JSONL = '{"text": "Café one, Ċ.", "url": "https://n.example/1"}\n\n{"text": "Two 🙂."}\n'
CSV = 'title,text\r\nT1,"Café one,\r\nĊ."\r\nT2,Two 🙂.\r\n'
TXT = "title Harbour vote\n\nThe council met on Tuesday in Port Elin, Ċ.\n"


def read(path: Path, encoding: str = "auto") -> list[RawDocument | InputError]:
    return list(read_sources([str(path)], Settings(encoding=encoding)))


def split(items: list[RawDocument | InputError]) -> tuple[list[RawDocument], list[InputError]]:
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors


def one_error(path: Path, encoding: str = "auto") -> InputError:
    items = read(path, encoding)
    assert len(items) == 1, items
    (err,) = items
    assert isinstance(err, InputError), err
    assert err.where and err.where.startswith(str(path)) and err.hint
    return err


# A. UTF-16 and UTF-32 without a byte-order mark, named by the encoding setting.


@pytest.mark.parametrize(
    ("codec", "setting"),
    [
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-16-le", "utf-16"),
        ("utf-16-be", "utf-16"),  # the byte order is read from the bytes
        ("utf-32-le", "utf-32"),
        ("utf-32-be", "UTF-32BE"),
    ],
)
def test_named_wide_codec_without_a_mark_is_read_in_every_format(
    tmp_path: Path, codec: str, setting: str
) -> None:
    """Was P106 "looks binary (NUL byte at byte 1)" for JSONL, CSV and text alike."""
    (tmp_path / "a.jsonl").write_bytes(JSONL.encode(codec))
    (tmp_path / "b.csv").write_bytes(CSV.encode(codec))
    (tmp_path / "c.txt").write_bytes(TXT.encode(codec))
    docs, errors = split(list(read_sources([str(tmp_path)], Settings(encoding=setting))))
    assert errors == []
    assert [(d.source.rsplit("/", 1)[1], d.raw) for d in docs] == [
        ("a.jsonl:1", "Café one, Ċ."),
        ("a.jsonl:3", "Two 🙂."),
        ("b.csv:2", "Café one,\r\nĊ."),
        ("b.csv:4", "Two 🙂."),
        ("c.txt", TXT),
    ]
    (art, *_) = [a for a in read_articles([str(tmp_path / "c.txt")], Settings(encoding=setting))]
    assert isinstance(art, Article)
    assert art.title == "Harbour vote" and art.meta["encoding"] == codec


ARABIC = (
    "أعلنت الحكومة يوم الثلاثاء عن برنامج لبناء عشرة سدود جديدة بحلول عام ٢٠٣٠، وفق بيان "
    "صادر عن وزارة التجهيز والماء. "
) * 20


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_named_wide_records_of_non_latin_text_are_read(tmp_path: Path, codec: str) -> None:
    """Records of Arabic text in BOM-less UTF-16 were refused as binary ("NUL byte at byte
    0") even with the codec named: the file was first judged without it, and its code units
    are control bytes to a byte-wise check."""
    lines = "".join(json.dumps({"text": ARABIC, "n": i}, ensure_ascii=False) + "\n"
                    for i in range(5))  # fmt: skip
    (tmp_path / "ar.jsonl").write_bytes(lines.encode(codec))
    rows = "".join(f'"{ARABIC}",{i}\r\n' for i in range(5))
    (tmp_path / "ar.csv").write_bytes(f"text,n\r\n{rows}".encode(codec))
    docs, errors = split(list(read_sources([str(tmp_path)], Settings(encoding=codec))))
    assert errors == []
    assert len(docs) == 10 and {d.raw for d in docs} == {ARABIC}


def test_a_packed_file_named_as_wide_records_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "packed.jsonl"
    path.write_bytes(gzip.compress(JSONL.encode("utf-16-le")))
    err = one_error(path, "utf-16-le")
    assert err.code == "P106" and "gzip" in str(err) and ".gz" in (err.hint or "")


def test_bom_less_utf16_under_auto_names_the_setting_to_pass(tmp_path: Path) -> None:
    for name, text in (("a.jsonl", JSONL), ("b.csv", CSV), ("c.txt", TXT)):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-16-le"))
        err = one_error(path)
        assert err.code == "P106"
        assert "UTF-16-LE text without a byte-order mark" in err.message
        assert "--set encoding=utf-16-le" in (err.hint or "")
        assert err.where == f"{path} byte 1"


@pytest.mark.parametrize(
    ("data", "setting", "code", "message", "hint"),
    [
        (JSONL.encode("utf-8"), "utf-16", "P110", "hold no NUL byte", "--set encoding=auto"),
        (CSV.encode("cp1252", "replace"), "utf-16-le", "P110", "hold no NUL byte", "auto"),
        (JSONL.encode("utf-16-le"), "utf-16-be", "P110", "read as UTF-16-LE", "=utf-16-le"),
        (JSONL.encode("utf-32-le"), "utf-16-le", "P110", "read as UTF-32-LE", "=utf-32-le"),
        (bytes(range(256)) * 8, "utf-16", "P106", "looks binary", "binary files"),
    ],
)
def test_a_wrongly_named_wide_codec_fails_clearly_for_the_whole_file(
    tmp_path: Path, data: bytes, setting: str, code: str, message: str, hint: str
) -> None:
    """Named UTF-16 on UTF-8 bytes read as one line of CJK garbage (P113 "not valid JSON")."""
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    err = one_error(path, setting)
    assert err.code == code
    assert message in err.message and hint in (err.hint or "")
    if code == "P110":
        assert err.where == f"{path} byte 0" and "file skipped" in err.message


def test_a_binary_file_behind_a_utf16_mark_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + b"A\x00\x00\x00" * 100)
    err = one_error(path)
    assert err.code == "P106" and "NUL character at byte 4" in err.message


# B. Files joined with cat.


def test_jsonl_files_joined_with_cat_keep_the_second_files_first_record(tmp_path: Path) -> None:
    """The second file's UTF-8 byte-order mark lost its first record (P113 "Unexpected UTF-8
    BOM")."""
    one = codecs.BOM_UTF8 + b'{"text": "First file."}\n'
    two = codecs.BOM_UTF8 + b'{"text": "Second file."}\n' + codecs.BOM_UTF8 + b"\n"
    path = tmp_path / "joined.jsonl"
    path.write_bytes(one + two)
    docs, errors = split(read(path))
    assert errors == []
    assert [(d.source, d.raw) for d in docs] == [
        (f"{path}:1", "First file."),
        (f"{path}:2", "Second file."),
    ]


def test_jsonl_utf16_files_joined_with_cat(tmp_path: Path) -> None:
    part = '\ufeff{"text": "Part."}\n'.encode("utf-16-le")
    path = tmp_path / "joined.jsonl"
    path.write_bytes(part + part)
    docs, errors = split(read(path))
    assert errors == [] and [d.raw for d in docs] == ["Part.", "Part."]


@pytest.mark.parametrize("second_header", ["title,text", "TEXT , Title"])
def test_csv_files_joined_with_cat_read_the_second_header_as_a_header(
    tmp_path: Path, second_header: str
) -> None:
    """The second header row was an article whose text was "text" (or "title", with the
    columns in another order, and every later row had its fields swapped)."""
    first = codecs.BOM_UTF8 + b"title,text\r\nT1,First file.\r\n"
    rows = "T2,Second file." if second_header.startswith("title") else "Second file.,T2"
    second = codecs.BOM_UTF8 + f"{second_header}\r\n{rows}\r\n".encode()
    path = tmp_path / "joined.csv"
    path.write_bytes(first + second)
    docs, errors = split(read(path))
    assert errors == []
    assert [(d.source, d.title, d.raw) for d in docs] == [
        (f"{path}:2", "T1", "First file."),
        (f"{path}:4", "T2", "Second file."),
    ]


# C. NUL bytes and control characters inside records.


def test_csv_with_a_nul_byte_in_a_quoted_multiline_field_loses_nothing(tmp_path: Path) -> None:
    """A NUL in the first 8 KB refused the whole CSV (P106); after 8 KB it was read."""
    path = tmp_path / "export.csv"
    path.write_bytes(
        b'title,text\nT1,"Para one.\n\nPara\x00 two."\nT2,Second story about the ferry.\n'
    )
    docs, errors = split(read(path))
    assert errors == []
    assert [(d.source, d.raw) for d in docs] == [
        (f"{path}:2", "Para one.\n\nPara\x00 two."),
        (f"{path}:5", "Second story about the ferry."),
    ]
    arts = [a for a in read_articles([str(path)], Settings()) if isinstance(a, Article)]
    assert arts[0].text == "Para one.\n\nPara two."
    assert arts[0].meta["controls_removed"] == 1


def test_jsonl_raw_control_characters_inside_strings_are_read(tmp_path: Path) -> None:
    """A raw tab or NUL inside a JSON string lost the line (P113 "Invalid control
    character"), and a NUL in the first 8 KB refused the whole file (P106)."""
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "Tab\there."}\n{"text": "NUL\x00 here."}\n{"text": "Plain."}\n')
    docs, errors = split(read(path))
    assert errors == []
    assert [d.raw for d in docs] == ["Tab\there.", "NUL\x00 here.", "Plain."]


def test_many_nul_bytes_still_mark_a_record_file_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"title,text\n" + bytes(range(32)) * 40)
    assert one_error(path).code == "P106"


# D. Windows-1252 from Excel.


def test_cp1252_csv_from_excel_is_read_whole_under_auto(tmp_path: Path) -> None:
    """Every row with a smart quote or an accent was skipped (P107, one per row)."""
    rows = [
        "title,text",
        'T1,"The mayor said “we will build it” – and left."',
        "T2,Plain ASCII row.",
        "T3,Café résumé naïve.",
    ]
    path = tmp_path / "excel.csv"
    path.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    docs, errors = split(read(path))
    assert errors == []
    assert [d.raw for d in docs] == [
        "The mayor said “we will build it” – and left.",
        "Plain ASCII row.",
        "Café résumé naïve.",  # not "naďve": cp1252 wins the tie with cp1250
    ]
    assert {d.meta["encoding"] for d in docs} == {"cp1252"}


def test_cp1252_text_file_prefers_cp1252_among_equal_candidates(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Café résumé naïve “quoted”.\n".encode("cp1252"))
    (art,) = read_articles([str(path)], Settings())
    assert isinstance(art, Article)
    assert art.text == "Café résumé naïve “quoted”." and art.meta["encoding"] == "cp1252"


def test_a_utf8_record_file_with_one_bad_byte_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes('{"text": "Café."}\n'.encode() + b'{"text": "Caf\xe9."}\n')
    docs, errors = split(read(path))
    assert [e.code for e in errors] == ["P107"] and [d.raw for d in docs] == ["Café."]


# E. JSON arrays, and packed files.


def test_jsonl_line_holding_an_array_of_objects_reads_each_object(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'{"text": "One."}\n[{"text": "Two."}, {"text": "Three."}]\n'
        b'["just", "strings"]\n[]\n{"text": "Four."}\n'
    )
    docs, errors = split(read(path))
    assert [(d.source, d.raw, d.meta.get("item")) for d in docs] == [
        (f"{path}:1", "One.", None),
        (f"{path}:2 item 1", "Two.", 1),
        (f"{path}:2 item 2", "Three.", 2),
        (f"{path}:5", "Four.", None),
    ]
    assert len({d.key for d in docs}) == 4
    assert [(e.code, e.where) for e in errors] == [("P114", f"{path}:3"), ("P114", f"{path}:4")]
    assert "array of 2 values, 0 of them objects" in errors[0].message
    assert "empty JSON array" in errors[1].message
    arts = [a for a in read_articles([str(path)], Settings()) if isinstance(a, Article)]
    assert len({a.id for a in arts}) == 4


def test_gzipped_jsonl_is_read_and_misnamed_packed_files_say_what_they_are(
    tmp_path: Path,
) -> None:
    record = json.dumps({"text": "Packed story."}) + "\n"
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(record.encode()))
    (doc,) = read(tmp_path / "a.jsonl.gz")
    assert isinstance(doc, RawDocument) and doc.raw == "Packed story."
    (tmp_path / "b.jsonl").write_bytes(gzip.compress(record.encode()))
    err = one_error(tmp_path / "b.jsonl")
    assert err.code == "P106" and "gzip data" in err.message and ".gz" in (err.hint or "")
    with zipfile.ZipFile(tmp_path / "c.csv", "w") as archive:
        archive.writestr("c.csv", "title,text\nT,Story.\n")
    err = one_error(tmp_path / "c.csv")
    assert err.code == "P106" and "zip archive" in err.message and "Unpack" in (err.hint or "")


@pytest.mark.parametrize("name", ["a.jsonl", "b.csv"])
def test_crlf_records_read_like_lf(tmp_path: Path, name: str) -> None:
    text = JSONL if name.endswith("jsonl") else CSV.replace("\r\n", "\n")
    (tmp_path / "lf").mkdir()
    (tmp_path / "crlf").mkdir()
    (tmp_path / "lf" / name).write_bytes(text.encode())
    (tmp_path / "crlf" / name).write_bytes(text.replace("\n", "\r\n").encode())
    lf = [(d.source.rsplit(":", 1)[1], d.raw) for d in split(read(tmp_path / "lf" / name))[0]]
    crlf = [(d.source.rsplit(":", 1)[1], d.raw) for d in split(read(tmp_path / "crlf" / name))[0]]
    assert crlf == [(n, r.replace("\n", "\r\n")) for n, r in lf] and len(lf) == 2


def test_a_pretty_printed_json_document_in_a_jsonl_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('[\n  {"text": "One."},\n  {"text": "Two."}\n]\n', "utf-8")
    docs, errors = split(read(path))
    assert [d.raw for d in docs] == ["Two."]  # the only line that is a whole object
    assert errors[0].where == f"{path}:1" and "pretty-printed" in (errors[0].hint or "")
    assert "jq -c" in (errors[0].hint or "")
