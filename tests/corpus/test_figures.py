"""Numbers of different outlets about one thing, worded differently: paired by their clauses
(``corpus/figures.py``) through the real pipeline and the real MiniLM encoder; names that
clash, ambiguous counts and chains keep numbers apart; "pounds" after a number."""

from __future__ import annotations

from typing import Any

import pytest

from presslens.api import analyze
from presslens.corpus.compare import compare_articles
from presslens.corpus.digest import digest
from presslens.corpus.figures import Figure, match_figures, stems
from presslens.corpus.resolve import resolve_entities
from presslens.encoder import shared_encoder
from presslens.model import Article
from presslens.pipeline import default_config

ECHO = (
    "The city council has approved a £4m cut in government funding for public libraries, "
    "leaving 12 branches at risk of closure.\n\n"
    'Council leader Jane Porter said the decision was "painful but unavoidable".\n\n'
    "About 300 staff work across the library service, according to figures from the council. "
    "Unison said 80 jobs could go."
)
COURIER = (
    "Councillors voted on Monday to cut library funding by £5m, putting 15 libraries in "
    "danger of closing.\n\n"
    '"This is a disaster for our communities," said Tom Reed of the Save Our Libraries '
    "campaign.\n\n"
    "The union Unison warned that 120 jobs could be lost among the service's 300 employees."
)
POST = (
    "The council's budget reduces spending on libraries by 4.5 million pounds. Twelve branches "
    "may close.\n\n"
    "Jane Porter, the council leader, said the cut was unavoidable."
)


@pytest.fixture(scope="module")
def analyse() -> Any:
    config = default_config()
    config["pipeline"]["stages"] = [n for n in config["pipeline"]["stages"] if n != "genre"]

    def run(text: str, outlet: str) -> Article:
        art = analyze(text, config=config, outlet=outlet)
        art.check()
        return art

    return run


def _compare(arts: list[Article]) -> dict[str, Any]:
    res = resolve_entities([digest(a) for a in arts])
    names = {e["id"]: e["name"] for e in res.entities}
    story = {"id": "S1", "title": "t", "first_published": None, "last_published": None}
    return compare_articles(story, arts, res, names)


@pytest.fixture(scope="module")
def library(analyse: Any) -> tuple[list[Article], dict[str, Any]]:
    arts = [
        analyse(ECHO, "Northern Echo"),
        analyse(COURIER, "Daily Courier"),
        analyse(POST, "City Post"),
    ]
    return arts, _compare(arts)


def _values(group: dict[str, Any]) -> dict[str, list[str]]:
    return {o: [v["text"] for v in vs] for o, vs in group["values"].items()}


def _group_with(c: dict[str, Any], text: str) -> dict[str, Any]:
    hits = [g for g in c["numbers"] if any(v["text"] == text for g_vs in [g] for vs in
                                           g_vs["values"].values() for v in vs)]  # fmt: skip
    assert len(hits) == 1, (text, hits)
    return hits[0]


def test_jobs_that_go_and_jobs_that_are_lost_are_one_figure_that_disagrees(library: Any) -> None:
    _arts, c = library
    jobs = _group_with(c, "80")
    assert jobs["match"] == "clause" and jobs["disagree"]
    assert _values(jobs) == {"Daily Courier": ["120"], "Northern Echo": ["80"]}
    assert jobs["similarity"] >= 0.4
    shown = {v["text"]: v["clause"] for vs in jobs["values"].values() for v in vs}
    assert "80 jobs could go" in shown["80"] and "120 jobs could be lost" in shown["120"]
    # whom each outlet cites for its figure: the union both times
    assert all("Unison" in v["cited"] for vs in jobs["values"].values() for v in vs)


def test_money_written_three_ways_is_one_figure(library: Any) -> None:
    _arts, c = library
    money = _group_with(c, "£4m")
    assert money["unit"] == "pound sterling" and money["disagree"]
    assert _values(money) == {
        "City Post": ["4.5 million"],
        "Daily Courier": ["£5m"],
        "Northern Echo": ["£4m"],
    }


def test_agreeing_counts_are_grouped_and_not_flagged(library: Any) -> None:
    _arts, c = library
    branches = _group_with(c, "Twelve")
    assert not branches["disagree"]
    assert all(v["cited"] is None for vs in branches["values"].values() for v in vs)
    assert _values(branches) == {"City Post": ["Twelve"], "Northern Echo": ["12"]}


def test_group_values_point_at_their_numbers_and_clauses_hold_them(library: Any) -> None:
    arts, c = library
    text = {a.id: a.text for a in arts}
    clause_groups = [g for g in c["numbers"] if g["match"] == "clause"]
    assert clause_groups
    for g in clause_groups:
        outlets = [o for o in g["values"]]
        assert len(outlets) == len(set(outlets)) >= 2
        for vs in g["values"].values():
            assert len(vs) == 1  # one figure per outlet in a clause group
            for v in vs:
                assert text[v["article"]][v["start"] : v["end"]] == v["text"]
                assert v["text"] in v["clause"] and v["clause"] in text[v["article"]]


def test_different_things_of_one_story_stay_apart(library: Any) -> None:
    _arts, c = library
    for g in c["numbers"]:
        texts = {v["text"] for vs in g["values"].values() for v in vs}
        # staff numbers never join job losses, branches never join money
        assert not ({"80", "120"} & texts and {"300", "About 300"} & texts)
        assert not ({"12", "Twelve"} & texts and {"£4m", "£5m"} & texts)


def _figure(row: int, source: str, clause: str, *, head: str = "job", names: frozenset[str] =
            frozenset(), article: str | None = None, size: float | None = None,
            ) -> Figure:  # fmt: skip
    return Figure(row, source, article or source, "count", "", head, None, clause, clause,
                  names, size, stems(clause))  # fmt: skip


def test_clashing_names_keep_figures_apart() -> None:
    embed = shared_encoder().embed
    same = [_figure(0, "A", "jobs will go at the plant"), _figure(1, "B", "jobs to go at plant")]
    assert [g for g, _ in match_figures(same, embed)] == [[0, 1]]
    clash = [
        _figure(0, "A", "jobs will go at the plant", names=frozenset({"leeds"})),
        _figure(1, "B", "jobs to go at plant", names=frozenset({"sheffield"})),
    ]
    assert match_figures(clash, embed) == []
    shared = [
        _figure(0, "A", "jobs will go at the plant", names=frozenset({"leeds", "unite"})),
        _figure(1, "B", "jobs to go at plant", names=frozenset({"leeds"})),
    ]
    assert [g for g, _ in match_figures(shared, embed)] == [[0, 1]]


def test_two_counts_of_one_noun_in_an_article_are_ambiguous() -> None:
    embed = shared_encoder().embed
    figs = [
        _figure(0, "A", "jobs will go at the plant", article="a1"),
        _figure(1, "A", "jobs were created last year", article="a1"),
        _figure(2, "B", "jobs to go at plant", article="b1"),
    ]
    assert match_figures(figs, embed) == []
    assert [g for g, _ in match_figures([figs[0], figs[2]], embed)] == [[0, 2]]


def test_a_group_never_holds_two_figures_of_one_outlet() -> None:
    embed = shared_encoder().embed
    figs = [
        _figure(0, "A", "jobs will go at the plant", article="a1"),
        _figure(1, "A", "jobs to go at the plant", article="a2"),  # a second article of A
        _figure(2, "B", "jobs to go at plant", article="b1"),
    ]
    groups = match_figures(figs, embed)
    assert len(groups) == 1 and len(groups[0][0]) == 2 and 2 in groups[0][0]


def test_figures_far_apart_in_size_do_not_pair() -> None:
    embed = shared_encoder().embed
    near = [
        _figure(0, "A", "jobs will go at the plant", size=80),
        _figure(1, "B", "jobs to go at plant", size=120),
    ]
    assert [g for g, _ in match_figures(near, embed)] == [[0, 1]]
    far = [
        _figure(0, "A", "jobs will go at the plant", size=80),
        _figure(1, "B", "jobs to go at plant", size=2000),
    ]
    assert match_figures(far, embed) == []


def test_different_counted_nouns_do_not_pair() -> None:
    embed = shared_encoder().embed
    figs = [
        _figure(0, "A", "branches may close", head="branch"),
        _figure(1, "B", "jobs may be lost", head="job"),
    ]
    assert match_figures(figs, embed) == []


@pytest.mark.parametrize(
    ("text", "surface", "kind", "unit"),
    [
        ("The budget cuts spending by 4.5 million pounds.", "4.5 million", "money",
         "pound sterling"),
        ("He weighed 200 pounds before the season.", "200", "measure", "pound-mass"),
        ("They shipped 10 million pounds of beef.", "10 million", "measure", "pound-mass"),
        ("The firm, fined £3m last year, paid 500 pounds more.", "500", "money",
         "pound sterling"),
    ],
)  # fmt: skip
def test_pounds_after_a_number_are_money_or_weight(
    analyse: Any, text: str, surface: str, kind: str, unit: str
) -> None:
    art = analyse(text, "Probe")
    q = next(q for q in art.layer("quantities") if q.text == surface)
    assert (q.label, q.attrs["unit"]) == (kind, unit)


def test_dozens_against_a_count_of_the_same_thing_compares(analyse: Any) -> None:
    """ "Dozens of firefighters" has a lower bound and no value or upper bound; comparing it
    with another outlet's count raised TypeError and `presslens compare` failed."""
    arts = [
        analyse("Dozens of firefighters tackled the blaze at the depot on Monday.", "Alpha"),
        analyse("Some 40 firefighters tackled the blaze at the depot on Monday.", "Beta"),
        analyse("Five firefighters tackled the blaze at the depot on Monday.", "Gamma"),
    ]
    c = _compare(arts)
    group = _group_with(c, "Dozens")
    assert group["match"] == "key"
    assert ["Alpha", "Gamma"] in group["disagreeing_outlets"]
    assert ["Alpha", "Beta"] not in group["disagreeing_outlets"]


def test_clauses_are_escaped_on_the_comparison_page(analyse: Any) -> None:
    from presslens.views.compare import render_compare

    arts = [
        analyse("Unison said 80 jobs <b onclick=x()>could go</b> at the plant.", "Alpha"),
        analyse("The union Unison warned that 120 jobs could be lost at the plant.", "Beta"),
    ]
    c = _compare(arts)
    jobs = _group_with(c, "80")
    assert jobs["match"] == "clause"
    assert any("<b onclick" in v["clause"] for vs in jobs["values"].values() for v in vs)
    html = render_compare(c)
    assert "<b onclick" not in html and "&lt;b onclick=x()&gt;could go" in html


def test_a_dateline_and_places_of_other_granularity_do_not_split_a_figure(
    analyse: Any,
) -> None:
    """ "RABAT –" (where the report was filed), "Moroccan" (a nationality) and "Morocco"
    against "Rabat" in other sentences kept "some 1,900 terror cells" apart from "2,009
    terrorism cells" and "more than 2,000 terrorist cells"."""
    arts = [
        analyse(
            "RABAT – Moroccan security services have dismantled 2,009 terrorism cells since "
            "2002, according to data from the Central Bureau of Judicial Investigations.",
            "Atlas Times",
        ),
        analyse(
            "Morocco's counter-terrorism bureau says its officers have broken up some 1,900 "
            "terror cells since 2002, its director told reporters on Thursday.",
            "Maghreb Post",
        ),
        analyse(
            "Authorities in Rabat have taken apart more than 2,000 terrorist cells in the past "
            "two decades, officials said.",
            "Sahara Daily",
        ),
    ]
    cells = _group_with(_compare(arts), "2,009")
    assert _values(cells) == {
        "Atlas Times": ["2,009"],
        "Maghreb Post": ["some 1,900"],
        "Sahara Daily": ["more than 2,000"],
    }
    assert not cells["disagree"]  # "some 1,900" reaches 2,009 and "more than 2,000"
