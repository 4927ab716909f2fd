"""Boilerplate removal, found by probing: widget words opening real sentences, articles without
an outlet, and one file name in many folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.model import Article
from presslens.readers import read_articles
from presslens.readers.boilerplate import widget_reason
from presslens.settings import Settings

SETTINGS = Settings()


def read_all(paths: list[Path]) -> dict[str, Article]:
    items = list(read_articles([str(p) for p in paths], SETTINGS))
    arts = {a.source: a for a in items if isinstance(a, Article)}
    assert len(arts) == len(items), items
    return arts


@pytest.mark.parametrize(
    "line",
    [
        "More stories about abuse emerged on Tuesday.",
        "Latest news from the front suggests the army is retreating.",
        "More – much more – is needed, the bishop said.",
        "Follow us as we track the storm across the state.",
        "Email to parents went out on Friday.",
    ],
)
def test_sentence_opening_with_widget_words_is_kept(tmp_path: Path, line: str) -> None:
    assert widget_reason(line) is None
    path = tmp_path / "a.txt"
    path.write_text(f"The inquiry widened on Monday.\n\n{line}\n\nIt goes on.\n", "utf-8")
    (art,) = read_all([path]).values()
    assert line in art.text
    assert art.removed == []


@pytest.mark.parametrize(
    "line",
    [
        "Share on Facebook",
        "Share on Facebook (Opens in new window)",
        "Click to share on Twitter (Opens in new window)",
        "Read more: Why is the army retreating?",
        "Related: Court rules the ban is unlawful.",
        "Related – How the storm hit the coast",
        "More stories",
        "More stories from Reuters",
        "Latest news",
        "Latest news on the storm",
        "Follow us",
        "Follow us on Twitter",
        "Follow us on Twitter.",
        "Email this article",
        "Email to a friend",
    ],
)
def test_widget_lines_are_still_removed(line: str) -> None:
    assert widget_reason(line) is not None


def test_articles_without_an_outlet_share_no_repeated_lines(tmp_path: Path) -> None:
    stories = [
        "A fire broke out at a warehouse in Casablanca on Monday.",
        "A bus overturned on the highway near Fes on Tuesday.",
        "A small earthquake shook Agadir early on Wednesday.",
    ]
    paths = []
    for i, story in enumerate(stories):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(f"{story}\n\nNo one was hurt.\n", "utf-8")
    arts = read_all(paths)
    assert len(arts) == 3
    for art in arts.values():
        assert art.outlet is None
        assert art.text.endswith("No one was hurt.")
        assert art.removed == []


def test_same_file_name_in_several_folders_counts_as_several_articles(tmp_path: Path) -> None:
    tagline = "Harbour Gazette - your local news since 1901"
    for i in range(1, 5):
        folder = tmp_path / f"s{i}"
        folder.mkdir()
        (folder / "article.txt").write_text(
            f"outlet: Harbour Gazette\n\nStory number {i} about the harbour plans.\n\n{tagline}\n",
            "utf-8",
        )
    arts = read_all([tmp_path])
    assert len(arts) == 4
    for art in arts.values():
        assert tagline not in art.text
        assert [r.text for r in art.removed if r.kind == "repeated-line"] == [tagline]


def test_one_file_read_twice_still_counts_once(tmp_path: Path) -> None:
    tagline = "Harbour Gazette - your local news since 1901"
    paths = []
    for i in range(2):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(f"outlet: Harbour Gazette\n\nStory {i}.\n\n{tagline}\n", "utf-8")
    items = list(read_articles([str(paths[0]), str(paths[0]), str(paths[1])], SETTINGS))
    arts = [a for a in items if isinstance(a, Article)]
    assert arts and all(tagline in a.text for a in arts)  # two articles, not three
