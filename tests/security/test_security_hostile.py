"""Hostile inputs: every one ends in a clear, coded InputError or a sound article, never a crash,
a hang, an unbounded read, a local file disclosed, or a span that lies about the text."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import read_articles, read_sources
from presslens.readers.limits import MAX_MARKUP_DEPTH, MAX_RATIO
from presslens.settings import Settings

SETTINGS = Settings()
BODY = "The council approved the plan on Tuesday, the mayor said."


def items(path: Path, settings: Settings = SETTINGS) -> list[Article | InputError]:
    return list(read_articles([str(path)], settings))


def only_error(path: Path, settings: Settings = SETTINGS) -> InputError:
    found = list(read_sources([str(path)], settings))
    errors = [i for i in found if isinstance(i, InputError)]
    assert errors, found
    err = errors[0]
    assert err.hint and str(path) in (err.where or "")
    return err


def bomb(size_mb: int, chunk: bytes) -> bytes:
    """A gzip stream of ``size_mb`` MB of ``chunk`` repeated, built without compressing it all:
    after a full flush deflate restarts, so the same compressed block can be repeated. It has
    no trailer: a reader that stops at its limit never notices."""
    block = (chunk * ((1 << 20) // len(chunk) + 1))[: 1 << 20]
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    return head + again * (size_mb - 1)


# -- XML: external entities, entity expansion, DTDs ---------------------------------------------


def test_xxe_is_refused_and_the_local_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", "utf-8")
    feed = tmp_path / "x.rss"
    feed.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file://{secret}">]>'
        "<rss><channel><title>T</title><item><title>t</title>"
        "<description>Leak: &s;</description></item></channel></rss>",
        "utf-8",
    )
    found = items(feed)
    assert [type(i).__name__ for i in found] == ["InputError"]
    (err,) = found
    assert isinstance(err, InputError) and err.code == "P118"
    assert "XXE" in err.message and "TOP-SECRET" not in str(err)


def test_billion_laughs_is_refused_before_expansion(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    feed = tmp_path / "lol.xml"
    feed.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]>'
        "<rss><channel><item><description>&lol9;</description></item></channel></rss>",
        "utf-8",
    )
    err = only_error(feed)
    assert err.code == "P118" and "billion laughs" in err.message


def test_external_dtd_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "dtd.rss"
    feed.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
        "<rss><channel><item><description>x</description></item></channel></rss>",
        "utf-8",
    )
    assert only_error(feed).code == "P118"


def test_deeply_nested_feed_xml(tmp_path: Path) -> None:
    feed = tmp_path / "deep.rss"
    feed.write_text(
        "<rss><channel><item><description>"
        + "<x>" * 100_000
        + "</x>" * 100_000
        + "</description></item></channel></rss>",
        "utf-8",
    )
    found = items(feed)  # a description with no text: the item is reported, nothing crashes
    assert all(isinstance(i, InputError) for i in found)


# -- compression bombs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "chunk"),
    [
        ("a.jsonl.gz", b'{"text": "' + b"a" * 100),  # one endless record
        ("b.jsonl.gz", b"\n"),  # a flood of blank lines
        ("c.csv.gz", b"text\n" + b"x" * 5000 + b"\n"),
        ("d.warc.gz", b"WARC/1.0\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"),
    ],
)
def test_gzip_bomb_in_streamed_files_stops_at_the_limit(
    tmp_path: Path, name: str, chunk: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(bomb(20, chunk))  # ~20 KB on disk, 20 MB inflated
    settings = Settings(max_article_bytes=100_000)
    found = list(read_sources([str(path)], settings))
    errors = [i for i in found if isinstance(i, InputError)]
    assert errors, found
    last = errors[-1]
    # Stopped by the decompression limit (P125), or earlier by a format rule that reads no
    # further (an endless record, a run of empty rows, a WARC without articles).
    assert last.code in ("P125", "P104", "P116", "P124"), last
    if last.code == "P125":
        size = path.stat().st_size
        assert f"{MAX_RATIO * size:,}" in last.message
        assert "--set max_article_bytes=" in (last.hint or "")
        assert last.where == str(path)


def test_jsonl_gzip_bomb_reports_limit_and_setting(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    record = b'{"text": "x"}\n' + b"\n" * 2000
    path.write_bytes(bomb(20, record))
    settings = Settings(max_article_bytes=10_000)
    found = list(read_sources([str(path)], settings))
    err = found[-1]
    assert isinstance(err, InputError) and err.code == "P125", err
    assert "gzip bomb" in err.message and "decompression limit" in err.message
    # every record before the limit was read, and no more than the limit allows
    records = len(found) - 1
    assert 0 < records <= MAX_RATIO * path.stat().st_size // len(record) + 1


def test_whole_file_gzip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(bomb(50, b"word "))
    err = only_error(path)
    assert err.code == "P104" and "decompressed" in err.message and "5,000,000" in err.message


# -- 100 MB single lines ------------------------------------------------------------------------

HUNDRED_MB = 100_000_000


def test_100mb_single_line_jsonl_is_skipped_streaming(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with open(path, "wb") as fh:
        fh.write(b'{"text": "')
        block = b"word " * 200_000
        for _ in range(HUNDRED_MB // len(block)):
            fh.write(block)
        fh.write(b'"}\n{"text": "' + BODY.encode() + b'"}\n')
    found = items(path)
    err, art = found
    assert isinstance(err, InputError) and err.code == "P104" and err.where == f"{path}:1"
    assert isinstance(art, Article) and art.text == BODY and art.source == f"{path}:2"


def test_100mb_csv_field_is_one_row_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with open(path, "wb") as fh:
        fh.write(b'title,text\nA,"')
        block = b"word " * 200_000
        for _ in range(HUNDRED_MB // len(block)):
            fh.write(block)
        fh.write(f'"\nB,"{BODY}"\n'.encode())
    found = items(path)
    err, art = found
    assert isinstance(err, InputError) and err.code == "P104" and err.where == f"{path}:2"
    assert "max_article_bytes" in (err.hint or "")
    assert isinstance(art, Article) and art.text == BODY


def test_100mb_text_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    with open(path, "wb") as fh:
        fh.truncate(HUNDRED_MB)
    err = only_error(path)
    assert err.code == "P104" and "100,000,000 bytes" in err.message


def test_long_line_within_a_raised_limit_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"word  \t" * 100_000)  # 700 KB on one line, every gap rewritten
    (art,) = items(path, Settings(max_article_bytes=3_000_000))
    assert isinstance(art, Article)
    assert art.text == " ".join(["word"] * 100_000)
    assert art.offsets.to_raw(len(art.text) - 4) == 7 * 99_999


# -- deeply nested HTML -------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "span", "b", "table><tr><td"])
def test_deeply_nested_html_is_refused_clearly(tmp_path: Path, tag: str) -> None:
    opener = f"<{tag}>"
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + opener * 50_000 + "<p>" + BODY * 5 + "</p></body></html>", "utf-8"
    )
    err = only_error(path)
    assert err.code == "P126"
    assert f"more than {MAX_MARKUP_DEPTH} levels" in err.message


def test_nested_html_in_a_jsonl_record(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = "<div>" * 10_000 + BODY
    path.write_text(json.dumps({"text": deep}) + "\n" + json.dumps({"text": BODY}) + "\n", "utf-8")
    err, art = items(path)
    assert isinstance(err, InputError) and err.code == "P126" and err.where == f"{path}:1"
    assert isinstance(art, Article)


def test_moderately_nested_html_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.html"
    path.write_text(
        "<html><body>"
        + "<div>" * 100
        + f"<p>{BODY} {BODY} {BODY}</p>"
        + "</div>" * 100
        + "</body></html>",
        "utf-8",
    )
    (art,) = items(path)
    assert isinstance(art, Article) and BODY in art.text


# -- NUL bytes, controls, bidi overrides --------------------------------------------------------


def test_nul_at_the_start_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"\x00" + BODY.encode())
    err = only_error(path)
    assert err.code == "P106" and "NUL byte at byte 0" in err.message


def test_nul_and_escape_later_in_the_text_are_removed_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    raw = "x" * 9000 + "\n\n" + "The mayor\x00 said\x1b[31m no."
    path.write_text(raw, "utf-8")
    (art,) = items(path)
    assert isinstance(art, Article)
    assert "\x00" not in art.text and "\x1b" not in art.text
    assert art.text.endswith("The mayor said[31m no.")
    removed = [r for r in art.removed if r.kind == "control"]
    assert [r.text for r in removed] == ["\x00", "\x1b"]
    for r in removed:
        assert raw[r.raw_start : r.raw_end] == r.text
    assert art.meta["controls_removed"] == 2
    art.check()


def test_nul_in_a_json_string(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps({"text": "A\u0000B said \u0000\u0000 hi."}) + "\n", "utf-8")
    (art,) = items(path)
    assert isinstance(art, Article) and art.text == "AB said hi."


BIDI = "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069"


def test_bidi_overrides_are_removed_recorded_and_spans_stay_true(tmp_path: Path) -> None:
    raw = f"Minister Ali\u202e said\u202c: “the budget is {BIDI}10 million”.\n"
    path = tmp_path / "rtl.txt"
    path.write_text(raw, "utf-8")
    (art,) = items(path)
    assert isinstance(art, Article)
    assert art.text == "Minister Ali said: “the budget is 10 million”."
    assert not any(c in art.text for c in BIDI)
    controls = [r for r in art.removed if r.kind == "control"]
    assert len(controls) == 3 and "U+202E" in controls[0].reason
    # offsets still map to the raw characters around the removed controls
    i = art.text.index("10 million")
    assert raw[art.offsets.to_raw(i) : art.offsets.to_raw(i + 10, end=True)] == "10 million"
    art.check()


def test_bidi_marks_in_rtl_text_are_kept(tmp_path: Path) -> None:
    raw = "The name \u05d3\u05d5\u05d3\u200f was read out, \u0627\u0644\u0639\u0631\u0628\u061c."
    path = tmp_path / "marks.txt"
    path.write_text(raw, "utf-8")
    (art,) = items(path)
    assert isinstance(art, Article) and art.text == raw


def test_control_between_letter_and_accent_composes(tmp_path: Path) -> None:
    path = tmp_path / "nfc.txt"
    path.write_text("Cafe\u202e\u0301 owner said so.", "utf-8")
    (art,) = items(path)
    assert isinstance(art, Article) and art.text == "Café owner said so."
    art.check()


def test_line_of_controls_only_is_blank(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("First paragraph here.\n\u202e\x1b\u2066\nSecond one here.\n", "utf-8")
    (art,) = items(path)
    assert isinstance(art, Article)
    assert art.text == "First paragraph here.\n\nSecond one here."


# -- mixed encodings ----------------------------------------------------------------------------


def test_utf8_file_with_a_cp1252_byte_is_refused_with_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    data = "Café crème: ".encode() + "naïve".encode("cp1252") + b" end"
    path.write_bytes(data)
    err = only_error(path)
    assert err.code == "P107" and f"byte {data.index(b'na') + 2}" in err.message


def test_legacy_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(("Le café a fermé hier soir, a déclaré le maire. " * 5).encode("cp1252"))
    (art,) = items(path)
    assert isinstance(art, Article) and "café a fermé" in art.text


def test_jsonl_with_one_latin1_line_loses_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps({"text": BODY}).encode()
        + b"\n"
        + '{"text": "café"}'.encode("latin-1")
        + b"\n"
        + json.dumps({"text": "Zoë said “yes”."}, ensure_ascii=False).encode()
        + b"\n"
    )
    err, first, third = items(path)  # errors come first
    assert isinstance(err, InputError) and err.code == "P107" and err.where.startswith(f"{path}:2")
    assert isinstance(first, Article) and isinstance(third, Article)
    assert third.text == "Zoë said “yes”."


def test_utf16_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(BODY.encode("utf-16"))
    (art,) = items(path)
    assert isinstance(art, Article) and art.text == BODY


def test_gzip_of_gzip_is_not_unwrapped_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.txt.gz"
    path.write_bytes(gzip.compress(gzip.compress(BODY.encode())))
    assert only_error(path).code == "P106"  # the inner gzip is binary, not text
