"""RSS 2.0, RSS 1.0 and Atom feeds: one article per item, metadata from the feed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers import read_articles, read_sources
from presslens.settings import Settings

SETTINGS = Settings()

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example News</title><link>https://news.example/</link>
<item><title>Council approves plan</title><link>https://news.example/a</link><guid>a-1</guid>
<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate><dc:creator>Ann Lee</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>LONDON – The city council approved the housing plan on
Tuesday.</p><p>“This is a good day,” the mayor said.</p>]]></content:encoded></item>
<item><title>Only a title</title><link>https://news.example/b</link></item>
<item><title>Plain</title>
<description>The river rose by two metres overnight, officials said.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title>
<entry><title>Storm hits coast</title><link href="https://atom.example/storm"/>
<id>urn:x:1</id><published>2021-03-05T08:00:00Z</published>
<author><name>Bo Chen</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A storm hit the coast on
Friday, cutting power to <b>40,000</b> homes.</p><p>Crews worked through the night.</p></div>
</content></entry>
<entry><title>Summary only</title><id>urn:x:2</id><updated>2021-03-06</updated>
<summary>Schools reopened on Saturday after the storm, the council said.</summary></entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example/"><title>Old Wire</title></channel>
<item rdf:about="https://old.example/1"><title>Bridge reopens</title>
<link>https://old.example/1</link><dc:date>2020-07-01</dc:date>
<description>The bridge reopened to traffic on Wednesday after repairs.</description></item>
</rdf:RDF>
"""


def read(tmp_path: Path, name: str, content: str) -> list[Article | InputError]:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    return list(read_articles([str(path)], SETTINGS))


def test_rss_items_become_articles_with_feed_metadata(tmp_path: Path) -> None:
    items = read(tmp_path, "news.rss", RSS)
    errors = [i for i in items if isinstance(i, InputError)]
    arts = [i for i in items if isinstance(i, Article)]
    assert [a.title for a in arts] == ["Council approves plan", "Plain"]
    first = arts[0]
    assert first.url == "https://news.example/a" and first.outlet == "Example News"
    assert first.authors == ["Ann Lee"]
    assert first.published is not None
    assert first.published.date == date(2021, 3, 2) and first.published.source == "feed"
    # content:encoded wins over the description; its HTML paragraphs stay paragraphs
    assert first.text.startswith("LONDON – The city council approved")
    assert "Short summary" not in first.text
    assert len(first.layers["paragraphs"]) == 2
    assert first.meta["dateline"]["place"] == "LONDON"
    assert first.meta["format"] == "feed" and first.meta["guid"] == "a-1"
    assert first.source == f"{tmp_path / 'news.rss'} item 1"
    # The headline-only item is reported with its position, and the others are still read.
    (err,) = errors
    assert err.code == "P122" and err.where == f"{tmp_path / 'news.rss'} item 2"
    for art in arts:
        art.check()


def test_atom_entries_with_xhtml_and_summary(tmp_path: Path) -> None:
    arts = read(tmp_path, "feed.atom", ATOM)
    assert all(isinstance(a, Article) for a in arts)
    storm, schools = arts
    assert isinstance(storm, Article) and isinstance(schools, Article)
    assert storm.url == "https://atom.example/storm" and storm.authors == ["Bo Chen"]
    assert "cutting power to 40,000 homes" in storm.text
    assert storm.outlet == "Atom Times"
    assert schools.published is not None and schools.published.date == date(2021, 3, 6)
    assert schools.text == "Schools reopened on Saturday after the storm, the council said."


def test_rss1_rdf_feed(tmp_path: Path) -> None:
    (art,) = read(tmp_path, "wire.xml", RDF)
    assert isinstance(art, Article)
    assert art.outlet == "Old Wire" and art.url == "https://old.example/1"
    assert art.published is not None and art.published.date == date(2020, 7, 1)


def test_feed_without_extension_is_sniffed(tmp_path: Path) -> None:
    items = read(tmp_path, "feed", RSS)
    assert sum(isinstance(i, Article) for i in items) == 2


def test_rereading_a_feed_gives_the_same_ids(tmp_path: Path) -> None:
    first = [a.id for a in read(tmp_path, "a.rss", RSS) if isinstance(a, Article)]
    again = [a.id for a in read(tmp_path, "b.rss", RSS) if isinstance(a, Article)]
    # keyed on the item link and the item text, not on the file name
    assert first[0] == again[0]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("<?xml version='1.0'?><html><body>no</body></html>", "P120"),
        ("<rss><channel><title>Empty</title></channel></rss>", "P121"),
        ("<rss><channel><item><title>x</title></channel></rss>", "P119"),
    ],
)
def test_feed_errors(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "x.xml"
    path.write_text(content, "utf-8")
    (err,) = list(read_sources([str(path)], SETTINGS))
    assert isinstance(err, InputError) and err.code == code and err.hint
    assert str(path) in (err.where or "")


def test_malformed_xml_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.rss"
    path.write_text("<rss>\n<channel>\n<item><title>x</title>\n</channel></rss>", "utf-8")
    (err,) = list(read_sources([str(path)], SETTINGS))
    assert isinstance(err, InputError) and err.code == "P119"
    assert err.where == f"{path}:4" and "line 4, column" in err.message


ESCAPED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Planet &amp;amp; Co</title><link>https://planet.example/news/</link>
<item><title>Q&amp;amp;A: AT&amp;amp;T chief</title><link>att</link>
<author>jdoe@example.com (Jane Doe)</author>
<description>AT&amp;amp;T&amp;#39;s chief executive said the merger would close.</description>
</item>
<item><title><![CDATA[<b>Council</b> approves budget]]></title>
<guid isPermaLink="true">https://planet.example/news/budget</guid>
<description>The council approved the budget on Tuesday.</description></item>
</channel></rss>
"""

ATOM_TEXT = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://metro.example/">
<title type="html">Metro &amp;amp; News</title><author><name>Metro Desk</name></author>
<entry><title type="text">Prices rise &lt;faster&gt; than expected</title>
<link rel="alternate" href="/2021/03/prices"/><id>urn:m:1</id>
<content type="text">Use a &lt;p&gt; tag for paragraphs, the style guide says.</content></entry>
</feed>
"""


def test_feeds_unescape_html_and_resolve_links_authors_and_types(tmp_path: Path) -> None:
    """Found by probing: escaped entities stayed in text and titles ("AT&amp;T"), CDATA tags
    in titles, Atom type="text" parsed as HTML (the words "<p> tag" lost), relative links
    and the feed author ignored, the RSS "email (Name)" author kept whole, and a permalink
    guid not used as the URL."""
    (tmp_path / "a.rss").write_text(ESCAPED, encoding="utf-8")
    (tmp_path / "b.atom").write_text(ATOM_TEXT, encoding="utf-8")
    att, budget = read_articles([str(tmp_path / "a.rss")], SETTINGS)
    assert isinstance(att, Article) and isinstance(budget, Article)
    assert att.title == "Q&A: AT&T chief" and att.outlet == "Planet & Co"
    assert att.text.startswith("AT&T's chief executive said")
    assert att.url == "https://planet.example/news/att" and att.authors == ["Jane Doe"]
    assert budget.title == "Council approves budget"
    assert budget.url == "https://planet.example/news/budget"
    (prices,) = read_articles([str(tmp_path / "b.atom")], SETTINGS)
    assert isinstance(prices, Article)
    assert prices.title == "Prices rise <faster> than expected"
    assert prices.text == "Use a <p> tag for paragraphs, the style guide says."
    assert prices.url == "https://metro.example/2021/03/prices"
    assert prices.outlet == "Metro & News" and prices.authors == ["Metro Desk"]
    for art in (att, budget, prices):
        art.check()
