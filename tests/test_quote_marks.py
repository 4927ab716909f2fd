"""Single quotation marks (the British convention) told apart from apostrophes."""

from __future__ import annotations

import pytest

from presslens.quote_marks import single_quotations


def quoted(text: str, exclude: list[tuple[int, int]] | None = None) -> list[list[str]]:
    return [[text[s:e] for s, e in q] for q in single_quotations(text, exclude)]


@pytest.mark.parametrize("open_", ["'", "‘"])
def test_quotations_pair_with_their_marks(open_: str) -> None:
    close = "'" if open_ == "'" else "’"
    text = f"{open_}We can{close}t wait,{close} she said. {open_}It is done.{close}"
    assert quoted(text) == [[f"{open_}We can{close}t wait,{close}"], [f"{open_}It is done.{close}"]]


@pytest.mark.parametrize(
    "text",
    [
        "the students' union met on Tuesday",
        "rock 'n' roll in the '90s",
        "I can't, 'cause it's 'em again",
        "the boys' club and the girls' club",
        "Don’t go to Hart’s house",
    ],
)
def test_apostrophes_are_not_quotations(text: str) -> None:
    assert quoted(text) == []


def test_plural_possessive_inside_a_quotation_does_not_close_it() -> None:
    text = "'It is the Joneses' fault,' he said."
    assert quoted(text) == [["'It is the Joneses' fault,'"]]


def test_plural_possessive_closes_when_nothing_else_does() -> None:
    text = "He called them 'loyal friends' as they left"
    assert quoted(text) == [["'loyal friends'"]]


def test_unclosed_mark_does_not_swallow_the_paragraph() -> None:
    text = "'Unclosed mark here\n\nNext paragraph 'quoted' here."
    assert quoted(text) == [["'quoted'"]]


def test_quotation_running_over_paragraphs_is_one_with_two_fragments() -> None:
    text = "'First paragraph of it.\n\n'Second one,' he said."
    assert quoted(text) == [["'First paragraph of it.", "'Second one,'"]]


def test_marks_inside_excluded_ranges_are_nested() -> None:
    text = "He said \"she called it 'rubbish' twice\" today and 'left'."
    inner = (text.index('"'), text.rindex('"') + 1)
    assert quoted(text, [inner]) == [["'left'"]]


def test_doubled_marks_are_a_double_quote() -> None:
    assert quoted("''Hello,'' he said.") == []
