"""Readers keep what a page says about its own kind: section names and schema.org types."""

from __future__ import annotations

import json
from pathlib import Path

from presslens.readers import read_sources
from presslens.readers.document import RawDocument
from presslens.readers.page_meta import MAX_LABELS, page_labels
from presslens.settings import Settings

BODY = (
    "<article><h1>Council approves budget</h1>"
    "<p>The city council approved a budget of 4.2 million dollars on Tuesday, the mayor's "
    "office said in a statement released after the vote.</p>"
    "<p>The budget includes funds for road repairs and two new libraries, according to the "
    "finance department, which published the figures.</p></article>"
)


def page(head: str) -> str:
    head = f"<head><title>Budget</title>{head}</head>"
    return f"<!doctype html><html>{head}<body>{BODY}</body></html>"


def read_one(path: Path) -> RawDocument:
    docs = list(read_sources([str(path)], Settings()))
    assert len(docs) == 1 and isinstance(docs[0], RawDocument), docs
    return docs[0]


def test_meta_section_and_json_ld_graph_types_are_collected() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "articleSection": "Opinion"},
            {
                "@type": ["OpinionNewsArticle", "NewsArticle"],
                "articleSection": ["Opinion", "Local"],
            },
            {"@type": "Person", "name": "Jane Doe"},
        ],
    }
    found = page_labels(
        page(
            '<meta property="article:section" content="  Opinion ">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        )
    )
    assert found.sections == ["Opinion", "Local"]  # whitespace folded, repeats dropped
    assert found.types == ["OpinionNewsArticle", "NewsArticle"]  # WebPage, Person: not articles


def test_malformed_json_ld_and_unrelated_meta_are_ignored() -> None:
    found = page_labels(
        page(
            '<meta name="description" content="Opinion">'
            '<script type="application/ld+json">{"@type": "OpinionNewsArticle",</script>'
        )
    )
    assert found.sections == [] and found.types == []


def test_hostile_json_ld_nesting_is_skipped() -> None:
    deep = "[" * 100_000
    found = page_labels(
        page(
            f'<script type="application/ld+json">{deep}</script>'
            '<script type="application/ld+json">{"@type": "SatiricalArticle"}</script>'
        )
    )
    assert found.types == ["SatiricalArticle"]  # the next script is still read


def test_an_xml_declaration_with_an_encoding_is_read() -> None:
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n' + page(
        '<meta name="section" content="Satire">'
    )
    assert page_labels(xhtml).sections == ["Satire"]


def test_labels_are_capped() -> None:
    metas = "".join(f'<meta property="article:section" content="S{k}">' for k in range(50))
    assert len(page_labels(page(metas)).sections) == MAX_LABELS


def test_html_reader_keeps_sections_and_types_in_meta(tmp_path: Path) -> None:
    ld = {"@type": "ReportageNewsArticle", "articleSection": "World"}
    path = tmp_path / "a.html"
    path.write_text(
        page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'), encoding="utf-8"
    )
    doc = read_one(path)
    assert doc.meta["sections"] == ["World"]
    assert doc.meta["page_types"] == ["ReportageNewsArticle"]


def test_plain_html_has_no_labels_in_meta(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(page(""), encoding="utf-8")
    doc = read_one(path)
    assert "sections" not in doc.meta and "page_types" not in doc.meta


def test_html_inside_a_jsonl_record_keeps_its_labels(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    html = page('<meta property="article:section" content="Editorials">')
    path.write_text(json.dumps({"id": "1", "text": html}) + "\n", encoding="utf-8")
    assert read_one(path).meta["sections"] == ["Editorials"]


def feed_sections(tmp_path: Path, name: str, xml: str) -> object:
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    return read_one(path).meta["sections"]


RSS_ITEM = (
    "<item><title>A</title><link>https://x.example/a</link><category>Opinion</category>"
    "<category> Local  news </category><dc:subject>Opinion</dc:subject>"
    "<description>The council approved the budget on Tuesday, officials said.</description>"
    "</item>"
)
ATOM_ENTRY = (
    '<entry><title>A</title><id>urn:1</id><category term="satire" label="Satire"/>'
    '<category term="humour"/><summary>The council approved the budget on Tuesday.'
    "</summary></entry>"
)


def test_feed_categories_become_sections(tmp_path: Path) -> None:
    rss = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>T</title>{RSS_ITEM}</channel></rss>"
    )
    assert feed_sections(tmp_path, "f.rss", rss) == ["Opinion", "Local news"]
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        f"{ATOM_ENTRY}</feed>"
    )
    assert feed_sections(tmp_path, "f.atom", atom) == ["Satire", "humour"]


def test_text_section_header_is_read_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "section: Opinion\ncategory: Letters\n\nThe council approved the budget.\n",
        encoding="utf-8",
    )
    doc = read_one(path)
    assert doc.meta["sections"] == ["Opinion", "Letters"]
    assert [h["field"] for h in doc.meta["headers"]] == ["section", "section"]


def test_capitalised_section_line_without_colon_stays_body(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Section 230 protects platforms, the court said.\n", encoding="utf-8")
    doc = read_one(path)
    assert "sections" not in doc.meta and doc.meta["headers"] == []


def test_json_ld_authors_are_used_when_the_extractor_finds_none(tmp_path: Path) -> None:
    """Found by probing: JSON-LD without ``@context`` lost its authors (trafilatura needs
    the context); only an article object's authors count, not a page's or a publisher's."""
    ld = [
        {"@type": "WebPage", "author": "Site Team"},
        {
            "@type": "NewsArticle",
            "author": [{"@type": "Person", "name": "Jane Doe"}, "Amir Khan", 7, None],
            "publisher": {"@type": "Organization", "name": "Daily Bugle"},
        },
    ]
    path = tmp_path / "a.html"
    path.write_text(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert read_one(path).authors == ["Jane Doe", "Amir Khan"]
    assert page_labels(page("")).authors == []
