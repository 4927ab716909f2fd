"""WARC archives: HTML and text responses become articles keyed by their target URI."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import read_articles, read_sources
from presslens.settings import Settings

SETTINGS = Settings()

PAGE = (
    "<html><head><title>Mayor speaks</title></head><body><article>"
    "<p>PARIS – The mayor announced a new budget of 3 million euros on Monday, officials "
    "said.</p><p>Critics called it too small.</p></article></body></html>"
).encode()
TEXT = "Le café a fermé hier soir, a dit le maire.".encode("latin-1")

Record = tuple[str, str, str, bytes, dict[str, str]]  # uri, type, http status, payload, headers


def write_warc(path: Path, records: list[Record], *, gz: bool) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for uri, rec_type, status, payload, headers in records:
            http = StatusAndHeaders(status, list(headers.items()), protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(payload), http_headers=http
            )
            writer.write_record(record)
            record.raw_stream.close()  # warcio spools the payload to a temporary file


STANDARD: list[Record] = [
    ("https://paris.example/budget", "response", "200 OK", PAGE, {"Content-Type": "text/html"}),
    (
        "https://paris.example/x.png",
        "response",
        "200 OK",
        b"\x89PNG",
        {"Content-Type": "image/png"},
    ),
    ("https://paris.example/old", "response", "404 Not Found", PAGE, {"Content-Type": "text/html"}),
    (
        "https://paris.example/t.txt",
        "response",
        "200 OK",
        TEXT,
        {"Content-Type": "text/plain; charset=iso-8859-1"},
    ),
]


@pytest.mark.parametrize("name", ["a.warc", "a.warc.gz", "gzipped-anyway.warc"])
def test_warc_responses_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, STANDARD, gz=name != "a.warc")
    items = list(read_articles([str(path)], SETTINGS))
    assert all(isinstance(i, Article) for i in items), items
    page, text = items
    assert isinstance(page, Article) and isinstance(text, Article)
    assert page.url == "https://paris.example/budget" and page.title == "Mayor speaks"
    assert page.text.startswith("PARIS – The mayor announced")
    assert page.meta["format"] == "warc" and page.meta["html"] is True
    warc = page.meta["warc"]
    assert warc["target_uri"] == "https://paris.example/budget" and warc["offset"] == 0
    assert warc["date"] and warc["record_id"].startswith("<urn:uuid:")
    assert page.source == f"{path} record 1"
    # the declared charset decodes the text record; offsets map into the decoded payload
    assert text.text == "Le café a fermé hier soir, a dit le maire."
    # ISO-8859-1 is read as browsers read it: windows-1252
    assert text.meta["encoding"] == "cp1252" and text.source == f"{path} record 4"
    assert text.offsets.span_to_raw(3, 7) == (3, 7)
    for art in items:
        assert isinstance(art, Article)
        art.check()


def test_same_capture_in_two_files_has_one_id(tmp_path: Path) -> None:
    write_warc(tmp_path / "a.warc", STANDARD[:1], gz=False)
    write_warc(tmp_path / "b.warc.gz", STANDARD[:1], gz=True)
    ids = {a.id for a in read_articles([str(tmp_path)], SETTINGS) if isinstance(a, Article)}
    assert len(ids) == 1


def test_warc_without_articles(tmp_path: Path) -> None:
    path = tmp_path / "img.warc"
    write_warc(path, STANDARD[1:3], gz=False)
    (err,) = list(read_sources([str(path)], SETTINGS))
    assert isinstance(err, InputError) and err.code == "P124"
    assert "among 2 WARC records" in err.message


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(b"hello, this is not an archive\n" * 10)
    (err,) = list(read_sources([str(path)], SETTINGS))
    assert isinstance(err, InputError) and err.code == "P123"
    assert err.where == f"{path} byte 0"


def test_truncated_warc_keeps_the_records_before(tmp_path: Path) -> None:
    path = tmp_path / "t.warc"
    write_warc(path, STANDARD, gz=False)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])
    items = list(read_sources([str(path)], SETTINGS))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawDocument", "InputError"]
    err = items[-1]
    assert isinstance(err, InputError) and err.code == "P123"


def test_broken_chunked_payload_is_one_record_error(tmp_path: Path) -> None:
    records: list[Record] = [
        (
            "https://x.example/bad",
            "response",
            "200 OK",
            b"zz\r\nnot chunked at all",
            {"Content-Type": "text/html", "Transfer-Encoding": "chunked"},
        ),
        STANDARD[0],
    ]
    path = tmp_path / "c.warc"
    write_warc(path, records, gz=False)
    items = list(read_sources([str(path)], SETTINGS))
    # warcio falls back to the raw bytes for undecodable chunking: either way, never a crash,
    # and the good record is read
    assert any(getattr(i, "url", None) == "https://paris.example/budget" for i in items)
    assert all(isinstance(i, InputError) or i.format == "warc" for i in items)


def test_oversized_record_is_reported_and_skipped(tmp_path: Path) -> None:
    big = b"<html><body><p>" + b"word " * 4000 + b"</p></body></html>"
    records: list[Record] = [
        ("https://x.example/big", "response", "200 OK", big, {"Content-Type": "text/html"}),
        STANDARD[0],
    ]
    path = tmp_path / "big.warc.gz"
    write_warc(path, records, gz=True)
    items = list(read_sources([str(path)], Settings(max_article_bytes=5000)))
    err, doc = items
    assert isinstance(err, InputError) and err.code == "P104"
    assert err.where == f"{path} record 1"
    assert getattr(doc, "url", None) == "https://paris.example/budget"


def test_gzip_bomb_in_warc_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(b"WARC/1.0\r\n" + b"X-Pad: " + b"a" * 3_000_000))
    (err,) = list(read_sources([str(path)], Settings(max_article_bytes=1000)))
    assert isinstance(err, InputError)
    # the header line is longer than any real one: refused before it is held whole
    assert err.code in ("P123", "P125")


def test_iso_8859_1_is_read_as_windows_1252_and_a_partial_response_is_reported(
    tmp_path: Path,
) -> None:
    """Found by probing: a page labelled ISO-8859-1 but written in cp1252 (as browsers read
    it) lost its curly quotes, dashes and euro signs, and a 206 byte range was read as a
    whole article."""
    body = (
        "<html><head><title>Plan</title></head><body><article><p>The minister’s “bold” plan"
        " – costing €5m – was approved on Monday by the cabinet, officials said.</p>"
        "</article></body></html>"
    ).encode("cp1252")
    path = tmp_path / "a.warc"
    write_warc(
        path,
        [
            ("https://x.example/plan", "response", "200 OK", body,
             {"Content-Type": "text/html; charset=ISO-8859-1"}),
            ("https://x.example/part", "response", "206 Partial Content", PAGE,
             {"Content-Type": "text/html", "Content-Range": "bytes 0-199/90000"}),
        ],
        gz=False,
    )  # fmt: skip
    items = list(read_articles([str(path)], SETTINGS))
    (art,) = [i for i in items if isinstance(i, Article)]
    assert "The minister’s “bold” plan – costing €5m –" in art.text
    (err,) = [i for i in items if isinstance(i, InputError)]
    assert "partial response (206" in err.message and "record 2" in err.where
