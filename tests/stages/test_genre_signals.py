"""The page's own genre label (type, section, kicker, address, byline) in genre v1 and v2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presslens.api import analyze
from presslens.model import Article
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.genre import (
    classify_genre,
    genre_features,
    make_genre_stage,
    make_genre_v2_stage,
)
from presslens.stages.genre_signals import page_genre, page_signals, section_genre

REPORT = (
    "The city council approved a budget of 4.2 million dollars on Tuesday, the mayor's office "
    "said in a statement.\n"
    "The budget includes funds for road repairs and two new libraries, according to the "
    "finance department.\n"
    "“We expect the work to start in May,” a spokesman said."
)
DISCLAIMER = "The views expressed in this article are the author's own."


def article(text: str = REPORT, **fields: Any) -> Article:
    art = Article(text=text, source="<test>", **fields)
    art.layers["disclaimers"] = []
    return art


def kinds(art: Article) -> list[tuple[str, str, str]]:
    return [(s.kind, s.genre, s.value) for s in page_signals(art)]


@pytest.mark.parametrize(
    ("name", "genre"),
    [
        ("Opinion", "opinion"),
        ("Letters to the Editor", "opinion"),
        ("Op-Eds", "opinion"),
        ("News > Commentary", "opinion"),
        ("Satire", "satire"),
        ("World news", None),
        ("Opinionated", None),  # whole words only
    ],
)
def test_section_names(name: str, genre: str | None) -> None:
    assert section_genre(name) == genre


def test_schema_type_outranks_section_and_reporting_types_count() -> None:
    art = article(meta={"sections": ["Opinion"], "page_types": ["ReportageNewsArticle"]})
    assert kinds(art) == [
        ("page type", "reporting", "ReportageNewsArticle"),
        ("section", "opinion", "Opinion"),
    ]
    genre, agreeing = page_genre(page_signals(art))
    assert genre == "reporting" and [s.kind for s in agreeing] == ["page type"]
    assert page_genre([]) == (None, [])


def test_record_fields_are_read_as_sections() -> None:
    art = article(meta={"fields": {"category": "Editorial", "desk": "Opinion"}})
    assert kinds(art) == [("section", "opinion", "Editorial")]  # "desk" is not a section field


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/opinion/2024/05/budget", [("address", "opinion", "opinion")]),
        ("https://opinion.news.example/2024/council-budget", [("address", "opinion", "opinion")]),
        ("news.example/satire/council-budget", [("address", "satire", "satire")]),
        ("https://news.example/politics/opinion", []),  # the last segment is the slug
        ("https://news.example/news/comment/budget", []),  # "comment" pages are not sections
        ("https://news.example/2024/why-opinion-polls-fail", []),
        ("http://[bad", []),
    ],
)
def test_address_segments(url: str, expected: list[tuple[str, str, str]]) -> None:
    assert kinds(article(url=url)) == expected


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("Opinion | Council approves budget", ("opinion", "Opinion")),
        ("OP-ED: The budget is a mistake", ("opinion", "OP-ED")),
        ("Letter to the editor — Fix the roads", ("opinion", "Letter to the editor")),
        ("Satire - Council approves budget for unicorns", ("satire", "Satire")),
        ("COMMENTARY", ("opinion", "COMMENTARY")),
        ("Opinion polls show the council ahead", None),
        ("Column-inch counts fell again", None),
    ],
)
def test_kicker_on_the_first_line(first: str, expected: tuple[str, str] | None) -> None:
    text = f"{first}\n{REPORT}"
    found = [s for s in page_signals(article(text)) if s.kind == "kicker"]
    if expected is None:
        assert found == []
        return
    (sig,) = found
    assert (sig.genre, sig.value) == expected
    ((start, end),) = sig.spans
    assert text[start:end] == sig.value  # spans are truth


def test_kicker_in_the_metadata_title() -> None:
    (sig,) = page_signals(article(title="Opinion: Fix the roads first"))
    assert (sig.kind, sig.genre, sig.where, sig.spans) == ("kicker", "opinion", "title", ())


def test_byline_role_in_the_author_field_or_a_byline_line() -> None:
    assert kinds(article(authors=["Jane Doe, Opinion Columnist"])) == [
        ("byline", "opinion", "Jane Doe, Opinion Columnist")
    ]
    text = f"Council approves budget\n  By Jane Doe, guest columnist  \n{REPORT}"
    (sig,) = page_signals(article(text))
    ((start, end),) = sig.spans
    assert text[start:end] == "By Jane Doe, guest columnist" == sig.value
    for plain in (
        f"Council approves budget\nBy Jane Doe, staff reporter\n{REPORT}",
        f"Council approves budget\nThe columnist was not available.\n{REPORT}",  # no "By"
    ):
        assert page_signals(article(plain)) == []


def test_v1_page_label_decides_with_its_evidence_first(spacy_stage: StageFn) -> None:
    plain = article()
    spacy_stage([plain])
    make_genre_stage(Settings())([plain])
    assert plain.meta["genre"]["label"] == "reporting"

    art = article(url="https://news.example/opinion/2024/council-budget")
    spacy_stage([art])
    make_genre_stage(Settings())([art])
    genre = art.meta["genre"]
    assert genre["label"] == "opinion"
    first = genre["evidence"][0]
    assert first["feature"] == "page_opinion" and first["towards"] == "opinion"
    assert "address 'opinion'" in first["note"]
    json.dumps(genre)


def test_v1_disclaimer_outranks_a_conflicting_page_label() -> None:
    text = f"{REPORT}\n{DISCLAIMER}"
    art = article(text, meta={"page_types": ["ReportageNewsArticle"]})
    start = text.index(DISCLAIMER)
    art.add("disclaimers", art.span(start, start + len(DISCLAIMER), "disclaimer", kind="opinion"))
    genre = classify_genre(art)
    assert genre["label"] == "opinion"
    assert not any(ev["feature"].startswith("page_") for ev in genre["evidence"])
    agree = article(text, meta={"sections": ["Opinion"]})
    agree.add("disclaimers", art.layers["disclaimers"][0])
    features = [ev["feature"] for ev in classify_genre(agree)["evidence"]]
    assert {"disclaimer_opinion", "page_opinion"} <= set(features)


def test_v2_page_label_decides_outside_the_model(spacy_stage: StageFn) -> None:
    art = article(meta={"page_types": ["SatiricalArticle"]})
    spacy_stage([art])
    plain = article()
    spacy_stage([plain])
    # the model sees the same features with or without the label (it never saw labels)
    assert genre_features(art, art._doc)[:2] == genre_features(plain, plain._doc)[:2]
    make_genre_v2_stage(Settings())([art, plain])
    genre = art.meta["genre"]
    assert genre["label"] == "satire" and genre["decided_by"] == "page"
    assert genre["evidence"][0]["feature"] == "page_satire"
    assert plain.meta["genre"]["decided_by"] == "model"
    assert genre["scores"] == plain.meta["genre"]["scores"]
    off = article(meta={"page_types": ["SatiricalArticle"]})
    spacy_stage([off])
    make_genre_v2_stage(Settings(), pages_decide=False)([off])
    assert off.meta["genre"]["decided_by"] == "model"


def test_html_page_labelled_opinion_end_to_end(tmp_path: Path) -> None:
    """A neutral wire-style text on a page that calls itself opinion: the reader keeps the
    label, genre v1 follows it and says why."""
    paragraphs = "".join(f"<p>{line}</p>" for line in REPORT.split("\n"))
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html><head><title>Council approves budget</title>"
        '<meta property="article:section" content="Opinion"></head><body><article>'
        f"<h1>Council approves budget</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    art = analyze(path)
    assert art.meta["sections"] == ["Opinion"]
    genre = art.meta["genre"]
    assert genre["label"] == "opinion"
    assert genre["evidence"][0]["feature"] == "page_opinion"
    assert "section 'Opinion'" in genre["evidence"][0]["note"]


def test_a_hostile_section_label_is_text_in_the_report() -> None:
    """Page metadata is untrusted: the label reaches the report's evidence as text only."""
    import lxml.html

    from presslens.views import render_report

    hostile = "<img src=x onerror=alert(1)> Opinion"
    art = article(meta={"sections": [hostile]})
    art.meta["genre"] = classify_genre(art)
    assert art.meta["genre"]["label"] == "opinion"
    doc = lxml.html.document_fromstring(render_report([art]))
    assert doc.xpath("//img") == []
    notes = doc.xpath("//details[@class='evidence']//tbody/tr/td[last()]")
    assert any(hostile in td.text_content() for td in notes)
