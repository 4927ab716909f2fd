"""Rhetoric rules found by probing: what counts as a quotation (scare quotes, single and
German marks, quotes over paragraphs), bylines and disclaimers that are news sentences, outlet
intervals from few articles and the score ``--min-confidence`` reads."""

from __future__ import annotations

import pytest

from presslens.model import Article
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.genre import GenreOptions, classify_genre, quote_regions
from presslens.stages.techniques import make_techniques_stage

REPORT_TAIL = "The council approved the budget on Monday, officials said."


def techniques(text: str, spacy_stage: StageFn) -> list[tuple[str, bool]]:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_techniques_stage(Settings())([art])
    art.check()
    return [(s.text, bool(s.attrs["quoted"])) for s in art.layer("techniques")]


def first_person(text: str) -> float:
    """genre v1's first person outside quotes, per 100 words."""
    art = Article(text=text, source="<test>")
    art.layers["sentences"] = [art.span(0, len(text), "sentence")]
    art.layers["disclaimers"] = []
    values = {
        ev["feature"]: ev["value"] for ev in classify_genre(art, options=GenreOptions())["evidence"]
    }
    return float(values.get("first_person", 0.0))


# -- 1. scare quotes are the writer's words ---------------------------------------------------
@pytest.mark.parametrize("marks", ["“”", '""'])
def test_scare_quoted_term_leaves_the_writers_rhetoric_unquoted(
    marks: str, spacy_stage: StageFn
) -> None:
    text = (
        f"The so-called {marks[0]}experts{marks[1]} who run our universities are lying, "
        "treacherous parasites."
    )
    found = techniques(text, spacy_stage)
    assert found and not any(quoted for _, quoted in found)


def test_a_real_quotation_is_still_quoted(spacy_stage: StageFn) -> None:
    text = (
        "The senator said: “These corrupt traitors are destroying our great nation with their "
        "lies.”"
    )
    found = techniques(text, spacy_stage)
    assert found and all(quoted for _, quoted in found)


def test_span_is_quoted_when_most_of_its_characters_are() -> None:
    from presslens.stages.techniques import mostly_quoted

    assert mostly_quoted([(10, 40)], 12, 30)
    assert not mostly_quoted([(10, 40)], 35, 60)  # five of 25 characters inside
    assert not mostly_quoted([], 0, 10)


def test_first_person_in_a_scare_quote_is_the_writers() -> None:
    assert first_person("So much for “our” values, the minister wrote in the memo.") > 0
    assert first_person("“We will not give in to anyone,” the minister wrote in the memo.") == 0


# -- 2. single and German quotation marks -----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("They called it ‘a pack of lies’ on Monday.", ["‘a pack of lies’"]),
        ("Der Senator nannte sie „ein Haufen Verräter“ am Montag.", ["„ein Haufen Verräter“"]),
        ("Der Senator nannte sie »ein Haufen Verräter« am Montag.", ["»ein Haufen Verräter«"]),
        ("‘We don’t want Hart’s plan,’ residents said.", ["‘We don’t want Hart’s plan,’"]),
        ("The residents’ plan isn’t Hart’s.", []),
        ("They called it 'a pack of lies' on Monday.", ["'a pack of lies'"]),
        (
            "'We don't want the Joneses' plan,' residents said.",
            ["'We don't want the Joneses' plan,'"],
        ),
        ("The students' union met in the '90s to rock 'n' roll.", []),
        ("'He told me \"never\" twice,' she said.", ["'He told me \"never\" twice,'"]),
        (
            "She said: “He called them ‘liars’ twice.” Then left.",
            ["“He called them ‘liars’ twice.”"],
        ),
    ],
)
def test_single_curly_and_german_marks_are_quotations(text: str, quoted: list[str]) -> None:
    assert [text[s:e] for s, e in quote_regions(text)] == quoted


def test_councillors_name_calling_in_single_quotes_is_not_the_outlets(
    spacy_stage: StageFn,
) -> None:
    text = (
        "The councillor said the plan was ‘a disgusting betrayal by lying, treacherous "
        "parasites’ and left."
    )
    found = techniques(text, spacy_stage)
    assert found and all(quoted for _, quoted in found)


@pytest.mark.parametrize(("open_", "close"), [("‘", "’"), ("'", "'")])
def test_residents_quoted_in_single_quotes_are_not_the_writers_first_person(
    open_: str, close: str
) -> None:
    text = (
        f"{open_}We have lived here for forty years and we will not leave our homes,{close} "
        f"one resident said. {open_}Our children go to school here,{close} another added. "
        + REPORT_TAIL
    )
    assert first_person(text) == 0


# -- 3. a quotation over several paragraphs ---------------------------------------------------
MULTI = (
    "The mayor read the letter aloud.\n\n"
    "“Our city has been betrayed by these corrupt and lying traitors.\n\n"
    "“We will never forgive them for what they did to our people.”\n\n" + REPORT_TAIL
)


def test_quotation_reopened_at_each_paragraph_continues() -> None:
    regions = [MULTI[s:e] for s, e in quote_regions(MULTI)]
    assert regions == [
        "“Our city has been betrayed by these corrupt and lying traitors.",
        "“We will never forgive them for what they did to our people.”",
    ]
    assert first_person(MULTI) == 0
    unclosed = "He wrote “this was our fault.\n\nThe council met."
    assert quote_regions(unclosed) == []  # not reopened: dropped as before


def test_multi_paragraph_quotation_spans_are_quoted(spacy_stage: StageFn) -> None:
    found = techniques(MULTI, spacy_stage)
    first = [quoted for words, quoted in found if "traitors" in words]
    assert first and all(first)


# -- 4. bylines and disclaimers that are news sentences ---------------------------------------
@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By then, a columnist had already quit.", False),
        ("By Friday, the newspaper's entire editorial board had resigned in protest.", False),
        ("By Jane Doe, Opinion Columnist", True),
        ("By Jane Doe, guest columnist", True),
        ("By Jane Doe | Columnist", True),
    ],
)
def test_byline_role_needs_by_and_names(line: str, byline: bool) -> None:
    from presslens.stages.genre_signals import page_signals

    art = Article(text=f"Council approves budget\n{line}\n{REPORT_TAIL}", source="<test>")
    assert [s.kind for s in page_signals(art)] == (["byline"] if byline else [])


@pytest.mark.parametrize(
    ("paragraph", "kind"),
    [
        (
            "The views expressed by the minister are not necessarily shared by the rest of the "
            "cabinet, a spokesman said.",
            None,
        ),
        ("This story is fiction, Reed's lawyer told the court on Tuesday.", None),
        ("According to the author, this article is satire.", None),
        (
            "The views expressed in this article belong to the author and do not necessarily "
            "reflect the editorial policy of Middle East Online",
            "opinion",
        ),
        ("Editor's note: This story is a work of satire.", "satire"),
    ],
)
def test_attributed_disclaimer_words_are_reporting(paragraph: str, kind: str | None) -> None:
    from presslens.readers.markers import disclaimer_kind

    assert disclaimer_kind(paragraph) == kind


# -- 5. no interval from fewer than five articles ---------------------------------------------
def _outlet(n_articles: int) -> list[Article]:
    arts = []
    for k in range(n_articles):
        a = Article(text=" ".join(["word"] * 100), outlet="A", source=f"a{k}").ensure_id()
        for i in range(k % 3):
            a.add("techniques", a.span(5 * i, 5 * i + 4, "Loaded_Language", quoted=False))
        arts.append(a)
    return arts


def test_outlet_interval_needs_five_articles() -> None:
    from presslens.cli_common import out
    from presslens.cli_rhetoric import MIN_INTERVAL_ARTICLES, _print_summary, rhetoric_summary

    assert MIN_INTERVAL_ARTICLES == 5
    (few,) = rhetoric_summary(_outlet(3))["outlets"]
    assert few["per_1000_words_interval"] is None
    assert few["outside_quotes_per_1000_words_interval"] is None
    (enough,) = rhetoric_summary(_outlet(5))["outlets"]
    assert enough["per_1000_words_interval"]["units"] == 5
    with out.capture() as captured:
        _print_summary(rhetoric_summary(_outlet(3)))
    shown = " ".join(captured.get().split())
    assert "(—)" in shown and "fewer than 5 articles" in shown


# -- 6. --min-confidence reads the score shown --------------------------------------------------
def test_min_confidence_reads_the_paragraph_score_of_paragraph_techniques() -> None:
    from presslens.cli_rhetoric import rhetoric_summary

    art = Article(text="They spread lies and stab our country in the back.", source="s")
    art.ensure_id()
    art.add(
        "techniques",
        art.span(5, 16, "Loaded_Language", confidence=0.3, basis="span", paragraph_score=0.2),
    )
    art.add(
        "techniques",
        art.span(5, 16, "Doubt", confidence=0.05, basis="paragraph", paragraph_score=0.8),
    )
    art.add(
        "techniques",
        art.span(21, 49, "Smears", confidence=0.04, basis="paragraph", paragraph_score=0.3),
    )
    (row,) = rhetoric_summary([art], min_confidence=0.5)["articles"]
    assert [s["technique"] for s in row["spans"]] == ["Doubt"]


# -- 7. the headline is not the body's voice ---------------------------------------------------
def test_headline_in_the_text_counts_as_a_metadata_title_does() -> None:
    head = "Why we must act on our bridge now?"
    text = f"{head}\n\n{REPORT_TAIL} The mayor told reporters the repairs would take a year."
    art = Article(text=text, source="<test>")
    art.meta["title_span"] = [0, len(head)]
    art.layers["sentences"] = [
        art.span(0, len(head), "sentence"),
        art.span(len(head) + 2, len(text), "sentence"),
    ]
    art.layers["disclaimers"] = []
    features = {ev["feature"] for ev in classify_genre(art, options=GenreOptions())["evidence"]}
    assert "first_person" not in features and "rhetorical_questions" not in features
