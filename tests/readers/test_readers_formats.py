"""HTML, JSONL, CSV, gzip, folders, globs and sniffing."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import RawDocument, read_articles, read_sources
from presslens.settings import Settings

SETTINGS = Settings()

PAGE = """<!DOCTYPE html>
<html><head>
<title>Council approves plan | Example News</title>
<meta property="og:title" content="Council approves plan">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Ann Lee">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<link rel="canonical" href="https://news.example/council-plan">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Council approves plan</h1>
<p>LONDON – The city council approved the long-debated housing plan on Tuesday evening,
after a session that lasted more than six hours.</p>
<p>“This is a good day for the city,” the mayor said, adding that construction would start
in the spring and that the first homes should be ready within two years.</p>
<p>The views expressed in this article belong to the author.</p>
</article>
<footer>Copyright Example News</footer>
</body></html>
"""


def articles(paths: list[str], settings: Settings = SETTINGS) -> list[Article | InputError]:
    return list(read_articles(paths, settings))


def test_html_page(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE, "utf-8")
    (art,) = articles([str(tmp_path / "a.html")])
    assert isinstance(art, Article)
    assert art.title == "Council approves plan"
    assert art.url == "https://news.example/council-plan"
    assert art.outlet == "Example News"
    assert art.authors == ["Ann Lee"]
    assert art.published is not None
    assert art.published.date == date(2021, 3, 4) and art.published.source == "html-meta"
    assert art.meta["format"] == "html" and art.meta["sitename"] == "Example News"
    labels = [p.label for p in art.layers["paragraphs"]]
    assert labels[0] == "title" and len(labels) >= 4
    assert art.meta["dateline"]["place"] == "LONDON"
    assert len(art.layers["disclaimers"]) == 1
    assert "Home" not in art.text and "Copyright" not in art.text
    # The id is keyed on the URL and the content: the same page saved under another name is
    # the same article.
    (tmp_path / "copy.html").write_text(PAGE, "utf-8")
    (again,) = articles([str(tmp_path / "copy.html")])
    assert isinstance(again, Article) and again.id == art.id


def test_unknown_extension_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.dat").write_text(PAGE, "utf-8")
    (tmp_path / "note.dat").write_text("The council met.\n", "utf-8")
    docs = list(read_sources([str(tmp_path / "page.dat"), str(tmp_path / "note.dat")], SETTINGS))
    assert [d.format for d in docs if isinstance(d, RawDocument)] == ["html", "text"]


def test_jsonl_records(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows = [
        {
            "id": "a1",
            "text": "First story text.",
            "title": "First",
            "date": "2021-03-01",
            "outlet": "Paper",
            "author": ["Ann Lee", "Bo Chan"],
            "section": "world",
        },
        {"text": "Second story text.", "url": "https://p.example/2", "date": "last week"},
        {"text": "<p>Third story, as <b>HTML</b>.</p><p>Another paragraph.</p>"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    a, b, c = articles([str(path)])
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert a.source == f"{path}:1" and a.meta["key"] == "corpus.jsonl:a1"
    assert a.title == "First" and a.outlet == "Paper" and a.authors == ["Ann Lee", "Bo Chan"]
    assert a.published is not None and a.published.source == "record-field"
    assert a.meta["fields"] == {"section": "world"}
    assert b.meta["key"] == "https://p.example/2" and b.published is None
    assert b.meta["date_unparsed"] == "last week"
    assert c.meta["key"] == "corpus.jsonl:3" and c.meta["html"] is True
    assert c.text == "Third story, as HTML.\n\nAnother paragraph."


def test_csv_records_with_multiline_field(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text(
        'title,text,date\nFirst,"Para one.\n\nPara two.",March 1 2021\nSecond,Other text.,\n',
        "utf-8",
    )
    a, b = articles([str(path)])
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.text == "Para one.\n\nPara two." and a.source == f"{path}:2"
    assert a.published is not None and a.published.date == date(2021, 3, 1)
    assert b.source == f"{path}:5" and b.text == "Other text."


def test_csv_delimiter_setting(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text("title;text\nA;Semicolon text, with a comma.\n", "utf-8")
    (a,) = articles([str(path)], Settings(csv_delimiter=";"))
    assert isinstance(a, Article) and a.text == "Semicolon text, with a comma."


def test_text_field_setting(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"body": "Body text."}\n', "utf-8")
    (a,) = articles([str(path)], Settings(text_field="body"))
    assert isinstance(a, Article) and a.text == "Body text."


def test_gzip_of_each_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"date 2021-03-01\nPlain text.\n"))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(b'{"text": "Record text."}\n'))
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    got = articles([str(tmp_path)])
    assert all(isinstance(a, Article) for a in got), got
    a, b, c = got
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert a.text == "Plain text." and a.meta["key"] == "a.txt"
    assert b.text == "Record text." and b.source.endswith("b.jsonl.gz:1")
    assert c.title == "Council approves plan"


def test_folder_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed.\n", "utf-8")
    (tmp_path / "a.txt").write_text("Ay.\n", "utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.\n", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Git.\n", "utf-8")
    (tmp_path / "notes.yaml").write_text("a: 1", "utf-8")  # no article format: skipped
    got = articles([str(tmp_path)])
    assert [a.text if isinstance(a, Article) else a for a in got] == ["Ay.", "Zed."]


def test_glob(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.md"):
        (tmp_path / name).write_text(f"Text of {name}.\n", "utf-8")
    got = articles([str(tmp_path / "*.txt")])
    assert [a.text for a in got if isinstance(a, Article)] == ["Text of a.txt.", "Text of b.txt."]


def test_utf16_with_bom(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Genève “met”.\n".encode("utf-16"))
    (art,) = articles([str(tmp_path / "a.txt")])
    assert isinstance(art, Article) and art.text == "Genève “met”."


def test_reading_twice_gives_the_same_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title here\n\nThe council met.\n", "utf-8")
    (first,) = articles([str(tmp_path / "a.txt")])
    (second,) = articles([str(tmp_path / "a.txt")])
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == second.id and first.id
    assert first.to_json() == second.to_json()


def test_article_round_trips_through_json(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE, "utf-8")
    (art,) = articles([str(tmp_path / "a.html")])
    assert isinstance(art, Article)
    assert Article.from_json(art.to_json()) == art


def test_csv_field_larger_than_the_csv_module_default(tmp_path: Path) -> None:
    big = "Word " * 40_000  # 200 kB: over csv's default 128 kB field limit
    path = tmp_path / "corpus.csv"
    path.write_text(f'text\n"{big}"\n', "utf-8")
    (a,) = articles([str(path)])
    assert isinstance(a, Article) and len(a.text) == len(big.strip())
