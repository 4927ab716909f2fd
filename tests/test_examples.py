"""Acceptance on the two real articles in ../shared/examples, through the whole pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from presslens.api import analyze
from presslens.model import Article

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dispute(examples_dir: Path) -> Article:
    return analyze(examples_dir / "000_2cd4546dabe00a1e.txt")


@pytest.fixture(scope="module")
def opinion(examples_dir: Path) -> Article:
    return analyze(examples_dir / "004_3ab32bd4afae5a8d.txt")


def cluster_named(art: Article, name: str) -> list[str]:
    """Surfaces of the mentions in the cluster whose canonical name is ``name``."""
    matches = [c for c in art.clusters if c.name == name]
    assert matches, f"no cluster named {name!r}: {[c.name for c in art.clusters]}"
    ents = art.layer("entities")
    return [ents[i].text for i in matches[0].mentions]


def test_header_date_widget_and_dateline(dispute: Article) -> None:
    assert dispute.published is not None
    assert dispute.published.date == date(2021, 3, 1)
    assert dispute.published.source == "header"
    assert "Spread the love" not in dispute.text
    assert any("Spread the love" in r["text"] for r in dispute.meta["removed"])
    assert dispute.meta["dateline"]["place"] == "Rabat"


def test_entity_clusters_of_the_dispute_article(dispute: Article) -> None:
    for name in ("Hassan Al Khatab", "Bouchta Charef", "Mohamed Nifaoui"):
        cluster_named(dispute, name)
    hajib = cluster_named(dispute, "Mohamed Hajib")
    occurrences = dispute.text.count("Hajib")
    assert len(hajib) == occurrences, "every Hajib mention belongs to one cluster"
    assert len([c for c in dispute.clusters if "Hajib" in c.name]) == 1
    bcij = [c for c in dispute.clusters if "BCIJ" in c.variants]
    assert len(bcij) == 1
    assert bcij[0].name == "Central Bureau of Judicial Investigation"
    assert not [c for c in dispute.clusters if c.name == "Rabat" and c.label == "PERSON"]


def test_opinion_piece_title_and_genre(opinion: Article, examples_dir: Path) -> None:
    first_line = (examples_dir / "004_3ab32bd4afae5a8d.txt").read_text().splitlines()[0]
    assert opinion.title == first_line.strip()
    genre = opinion.meta["genre"]
    assert genre["label"] == "opinion"
    features = {e["feature"] for e in genre["evidence"]}
    assert any("disclaimer" in f for f in features)
    assert opinion.layer("disclaimers")


def test_reporting_genre_of_the_news_article(dispute: Article) -> None:
    assert dispute.meta["genre"]["label"] == "reporting"


@pytest.mark.parametrize("which", ["dispute", "opinion"])
def test_spans_are_true_and_map_back_to_the_raw_file(
    which: str, request: pytest.FixtureRequest, examples_dir: Path
) -> None:
    art: Article = request.getfixturevalue(which)
    art.check()
    raw = (examples_dir / Path(art.source).name).read_text(encoding="utf-8")
    for span in art.layer("entities") + art.layer("sentences"):
        rs, re_ = art.raw_span(span)
        # The raw file differs only in whitespace inside a span, never in its words.
        assert raw[rs:re_].split() == span.text.split(), (span, raw[rs:re_])
