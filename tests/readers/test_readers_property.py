"""Properties of every reader and the normaliser on generated input: nothing escapes but a
documented, coded InputError, and whatever is accepted keeps spans and offsets true.

The coverage-guided twin of these tests is ``tools/fuzz.py`` (atheris)."""

from __future__ import annotations

import atexit
import csv
import gzip
import io
import json
import shutil
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, normalise, read_articles
from presslens.readers.boilerplate import widget_reason
from presslens.readers.codes import CODES
from presslens.readers.lines import INVISIBLE_RE
from presslens.settings import Settings

SETTINGS = Settings()

# Letters, whitespace of every kind, newlines, typographic quotes and dashes, a combining
# accent (composes with e/a/o), a precomposed letter and a singleton NFC rewrite (Å sign).
ALPHABET = st.sampled_from(
    [
        *"abeoAEOR xyz.,:;!?",
        *(" ", "  ", "\t", "\u00a0", "\u2003", "\n", "\r\n", "\r", "\n\n\n"),
        *("“", "”", "‘", "’", "–", "—", "-", "\u0301", "é", "\u212b", "Rabat – ", "Share"),
        # hostile: NUL, escape, bidi override and isolate, a bidi mark, a line separator, a
        # byte-order mark inside the text
        *("\x00", "\x1b[2J", "\u202e", "\u2066", "\u200f", "\u2028", "\x0c", "\ufeff"),
    ]
)
TEXTS = st.lists(ALPHABET, max_size=80).map("".join)


def visible(line: str) -> str:
    return INVISIBLE_RE.sub("", line).strip()


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalise_keeps_spans_and_offsets_true(raw: str) -> None:
    doc = RawDocument(source="<test>", key="k", raw=raw, format="text")
    try:
        art = normalise(doc, SETTINGS)
    except InputError as exc:
        # only when every line is blank or a share widget
        assert exc.code == "P117"
        lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert all(not visible(line) or widget_reason(line) for line in lines)
        return
    art.check()
    text = art.text
    assert text == text.strip() and "\n\n\n" not in text and "  " not in text
    assert "\r" not in text and "\t" not in text
    assert INVISIBLE_RE.search(text) is None  # NUL, ESC, bidi overrides: removed, and recorded
    assert unicodedata.is_normalized("NFC", text)
    paragraphs = art.layers["paragraphs"]
    assert "\n\n".join(p.text for p in paragraphs) == text
    for span in paragraphs:
        assert text[span.start : span.end] == span.text and span.text.strip() == span.text
    covered = 0
    for ns, ne, rs, re_ in art.offset_map:
        assert 0 <= rs <= re_ <= len(raw) and ns >= covered
        covered = ne
        if ne - ns != re_ - rs:
            continue
        for i in range(ne - ns):
            t, r = text[ns + i], raw[rs + i]
            # copied verbatim, or rewritten in place: whitespace (and invisible controls between
            # paragraphs) -> space/newline, NFC singleton
            spacing = t.isspace() and (r.isspace() or INVISIBLE_RE.fullmatch(r) is not None)
            assert t == r or spacing or unicodedata.normalize("NFC", r) == t
            if not t.isspace():
                assert art.offsets.to_raw(ns + i) == rs + i
    assert covered == len(text)


# -- every reader, from bytes on disk -------------------------------------------------------------

_WORKDIR = Path(tempfile.mkdtemp(prefix="presslens-property-"))
atexit.register(shutil.rmtree, _WORKDIR, True)
SMALL = Settings(max_article_bytes=50_000)
TEXT_CHUNKS = st.lists(ALPHABET, max_size=40).map("".join)


def read_bytes(data: bytes, name: str) -> list[Article | InputError]:
    """Write ``data`` as ``name`` and read it; the reader is chosen by the name, as for users."""
    path = _WORKDIR / name
    path.write_bytes(data)
    return list(read_articles([str(path)], SMALL))


def check_items(items: list[Article | InputError]) -> list[Article]:
    """Errors are documented and say where and what to do; articles keep their invariants."""
    assert items, "every input yields at least an article or an error"
    arts = []
    for item in items:
        if isinstance(item, InputError):
            assert item.code in CODES and item.where and item.hint, item
            continue
        assert isinstance(item, Article)
        item.check()
        text = item.text
        assert text and text == text.strip() and "\n\n\n" not in text
        assert unicodedata.is_normalized("NFC", text)
        assert INVISIBLE_RE.search(text) is None
        covered = 0
        for ns, ne, rs, re_ in item.offset_map:
            assert covered <= ns <= ne and 0 <= rs <= re_
            covered = ne
        assert covered == len(text)
        for r in item.removed:
            assert r.raw_start <= r.raw_end
        arts.append(item)
    return arts


HEADER_LINES = st.sampled_from(
    [
        "date 2021-03-01",
        "Date: 1 March 2021",
        "date: not a date",
        "title Council votes",
        "Title: “Quoted” title",
        "url https://news.example/a",
        "source Example News",
        "author Ann Lee and Bo Chen",
        "byline: By Someone",
        "\u202edate 2021-03-01",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(HEADER_LINES, max_size=5), TEXTS, st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_text_reader_with_metadata_header(headers: list[str], body: str, codec: str) -> None:
    raw = "\n".join(headers) + "\n\n" + body
    data = raw.encode(codec, "replace")
    arts = check_items(read_bytes(data, "a.txt"))
    for art in arts:
        for r in art.removed:
            if r.kind == "header":
                assert r.reason.endswith("header")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_text_reader_on_arbitrary_bytes(data: bytes) -> None:
    check_items(read_bytes(data, "b.txt"))


HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<article>",
        "</article>",
        "<h1>",
        "</h1>",
        "<br>",
        "<script>alert(1)</script>",
        "<!-- c -->",
        "<!--",
        "<title>T</title>",
        "&amp;",
        "&#x202e;",
        "&#0;",
        "<b>",
        "<a href='javascript:x'>",
        "</a>",
        "<",
        ">",
        '<meta property="og:site_name" content="X">',
        "<html><body>",
        "</body></html>",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(HTML_BITS, TEXT_CHUNKS), max_size=40))
def test_html_reader(parts: list[str]) -> None:
    check_items(read_bytes("".join(parts).encode("utf-8", "surrogatepass"), "c.html"))


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXTS),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXTS, inner, max_size=3)),
    max_leaves=8,
)
RECORDS = st.dictionaries(
    st.sampled_from(["text", "title", "url", "date", "author", "id", "outlet", "other"]),
    st.one_of(TEXTS, JSON_VALUES),
    max_size=6,
)
JSONL_LINES = st.one_of(
    RECORDS.map(lambda r: json.dumps(r)),
    RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False)),
    TEXT_CHUNKS,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(JSONL_LINES, max_size=6), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_jsonl_reader(lines: list[str], sep: str) -> None:
    data = sep.join(lines).encode("utf-8", "surrogatepass")
    items = read_bytes(data, "d.jsonl")
    check_items(items)
    for item in items:
        if isinstance(item, Article):
            assert item.source.startswith(str(_WORKDIR / "d.jsonl:"))


def _outcome(items: list[Article | InputError]) -> list[str]:
    return [item.code if isinstance(item, InputError) else item.text for item in items]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(RECORDS, min_size=1, max_size=5),
    st.sampled_from([None, 0, 2]),
    st.sampled_from(["", "articles", "response.docs"]),
)
def test_json_reader_reads_what_the_jsonl_reader_reads(
    records: list[dict[str, object]], indent: int | None, wrap: str
) -> None:
    """The same records as a .json array (pretty-printed or not, maybe wrapped in objects) and
    as JSON Lines give the same articles and the same errors, record by record."""
    document: object = records
    for key in reversed(wrap.split(".") if wrap else []):
        document = {key: document}
    as_json = json.dumps(document, indent=indent).encode("utf-8", "surrogatepass")
    items = read_bytes(as_json, "g.json")
    check_items(items)
    for item in items:
        if isinstance(item, Article):
            assert item.source.startswith(f"{_WORKDIR / 'g.json'} {wrap} item ".replace("  ", " "))
    if any("text" in r for r in records):
        as_jsonl = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8", "surrogatepass")
        assert _outcome(items) == _outcome(read_bytes(as_jsonl, "g.jsonl"))
    else:
        (error,) = items
        assert isinstance(error, InputError) and error.code in ("P105", "P115")


JSON_SOUP = st.lists(
    st.one_of(
        st.sampled_from(["[", "]", "{", "}", ",", ":", '"', "\\", " ", "\n", "1", "null"]),
        st.sampled_from(['"text"', '"title"', '"articles"', '{"text": "A b."}', "\ufeff"]),
        TEXT_CHUNKS,
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(JSON_SOUP, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_json_reader_on_broken_documents(text: str) -> None:
    """Whatever a .json file holds, every item is an article or a documented error."""
    items = read_bytes(text.encode("utf-8", "surrogatepass"), "h.json")
    check_items(items)


CSV_FIELDS = st.one_of(TEXTS, st.sampled_from(['"', '""', ",", "\n", "a,b", '"quoted"']))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["text", "title", "url", "x"]), min_size=1, max_size=4),
    st.lists(st.lists(CSV_FIELDS, max_size=5), max_size=5),
    st.booleans(),
)
def test_csv_reader(header: list[str], rows: list[list[str]], raw_join: bool) -> None:
    if raw_join:  # not quoted by a writer: whatever the fields make of it
        data = "\n".join(",".join(r) for r in [header, *rows])
    else:
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        data = out.getvalue()
    check_items(read_bytes(data.encode("utf-8", "surrogatepass"), "e.csv"))


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FEED_NOISE = st.sampled_from(
    ["", "<", "&", "<!DOCTYPE rss>", '<!ENTITY a "b">', "]]>", "<![CDATA[", "&#0;", "\x00"]
)


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(["rss", "atom"]),
    st.lists(st.tuples(TEXTS, TEXTS, st.booleans()), max_size=4),
    FEED_NOISE,
    st.integers(0, 400),
)
def test_feed_reader(kind: str, entries: list[tuple[str, str, bool]], noise: str, at: int) -> None:
    items = []
    for title, body, as_html in entries:
        content = f"<p>{body}</p>" if as_html else body
        if kind == "rss":
            items.append(
                f"<item><title>{_xml_escape(title)}</title>"
                f"<description>{_xml_escape(content)}</description></item>"
            )
        else:
            items.append(
                f"<entry><title>{_xml_escape(title)}</title>"
                f"<summary>{_xml_escape(content)}</summary></entry>"
            )
    if kind == "rss":
        xml = f"<rss><channel><title>T</title>{''.join(items)}</channel></rss>"
    else:
        xml = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{"".join(items)}</feed>'
    xml = xml[:at] + noise + xml[at:]
    check_items(read_bytes(xml.encode("utf-8", "surrogatepass"), "f.xml"))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["response", "resource", "request", "metadata"]),
            st.sampled_from(["200 OK", "404 Not Found", "302 Found"]),
            st.sampled_from(
                ["text/html", "text/plain; charset=latin-1", "text/html; charset=nope", "image/png"]
            ),
            st.one_of(
                TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=60)
            ),
        ),
        max_size=4,
    ),
    st.booleans(),
    st.integers(0, 2000),
    st.binary(max_size=3),
)
def test_warc_reader(
    records: list[tuple[str, str, str, bytes]], gz: bool, cut: int, junk: bytes
) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for rec_type, status, ctype, payload in records:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://x.example/p",
            rec_type,
            payload=io.BytesIO(payload),
            http_headers=http if rec_type in ("response", "request") else None,
            warc_content_type=ctype,
        )
        writer.write_record(record)
        record.raw_stream.close()
    data = out.getvalue()
    if cut < len(data):  # damage it: cut here and splice in junk
        data = data[:cut] + junk + data[cut + len(junk) :]
    check_items(read_bytes(data, "g.warc.gz" if gz else "g.warc"))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["h.txt.gz", "h.jsonl.gz", "h.csv.gz", "h.html.gz"]),
    st.lists(JSONL_LINES, max_size=4),
    st.integers(0, 500),
)
def test_gzip_wrapped_readers(name: str, lines: list[str], cut: int) -> None:
    data = gzip.compress("\n".join(lines).encode("utf-8", "surrogatepass"))
    check_items(read_bytes(data[: max(cut, 1)], name))
