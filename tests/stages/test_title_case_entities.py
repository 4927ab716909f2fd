"""Entity mentions on Title Case headlines are checked against the article's running text.

The articles are written for these tests. Most build the spaCy Doc by hand (tokenizer plus the
entities NER is supposed to have found, no tags), so they test the rules, not the model; the
last ones run the real model end to end.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_entities import hand_built  # a sibling test module: one hand-built NER helper

from presslens.model import Article, Span
from presslens.nlp import load_nlp
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.entities import make_entities_stage
from presslens.stages.spacy_stage import make_spacy_stage
from presslens.text_case import in_title_case_line, title_case_lines


@pytest.fixture(scope="module")
def nlp(spacy_stage: StageFn) -> Any:
    return load_nlp(Settings().spacy_model)


def on_headline(art: Article) -> list[str]:
    return [s.text for s in art.layers["entities"] if in_title_case_line(art.text, s.start)]


def off_headline(art: Article) -> list[tuple[int, int, str, str]]:
    return [
        (s.start, s.end, s.label, str(s.attrs["source"]))
        for s in art.layers["entities"]
        if not in_title_case_line(art.text, s.start)
    ]


def cluster_of(art: Article, span: Span) -> list[str]:
    (cluster,) = [c for c in art.clusters if c.id == span.attrs["entity"]]
    return [art.layers["entities"][i].text for i in cluster.mentions]


HEADLINE = "Greek Minister Calls Bank Workers Riot Deaths Murder"
BODY = (
    "\n\nThe minister calls the deaths of three bank workers in the riot a murder. "
    "Prime Minister George Papandreou spoke in Athens on Thursday."
)
BODY_ENTS = [("George Papandreou", "PERSON"), ("Athens", "GPE")]


def test_title_case_lines_are_found_with_their_offsets() -> None:
    text = HEADLINE + BODY + "\nSub-Head Set In Title Case Here"
    lines = title_case_lines(text)
    assert [text[s:e] for s, e in lines] == [HEADLINE, "Sub-Head Set In Title Case Here"]


def test_title_case_lines_agree_with_in_title_case_line_everywhere() -> None:
    text = "\n".join(
        [
            HEADLINE,
            "",
            "A sentence of the body, in lower case.",
            "  Indented Title Case Line Here  ",
            "Koval Wins",
            "Ends Like A Sentence With Capitals.",
            "",
        ]
    )
    lines = title_case_lines(text)
    for offset in range(len(text)):
        if text[offset] != "\n":
            inside = any(s <= offset < e for s, e in lines)
            assert inside is in_title_case_line(text, offset), offset


def test_headline_words_the_body_writes_in_lower_case_are_no_name(nlp: Any) -> None:
    art = hand_built(
        nlp,
        HEADLINE + BODY,
        [("Calls Bank Workers", "ORG"), ("Riot Deaths Murder", "PERSON"), *BODY_ENTS],
    )
    assert on_headline(art) == []
    assert [s.text for s in art.layers["entities"]] == ["George Papandreou", "Athens"]


def test_dropping_headline_junk_leaves_the_running_text_alone(nlp: Any) -> None:
    junk = hand_built(nlp, HEADLINE + BODY, [("Calls Bank Workers", "ORG"), *BODY_ENTS])
    clean = hand_built(nlp, HEADLINE + BODY, BODY_ENTS)
    assert off_headline(junk) == off_headline(clean)
    assert [c.name for c in junk.clusters] == [c.name for c in clean.clusters]


def test_headline_name_is_cut_from_verbs_and_joins_the_body_cluster(nlp: Any) -> None:
    text = "Papandreou Calls Bank Workers Deaths Murder" + BODY
    art = hand_built(nlp, text, [("Papandreou Calls", "PERSON"), *BODY_ENTS])
    (head,) = [s for s in art.layers["entities"] if s.start < len("Papandreou Calls")]
    assert (head.start, head.end, head.text) == (0, len("Papandreou"), "Papandreou")
    assert cluster_of(art, head) == ["Papandreou", "George Papandreou"]
    assert head.label == "PERSON"


def test_possessive_is_left_out_of_a_cut_name(nlp: Any) -> None:
    text = "Papandreou’s Cabinet Calls Snap Election Over Deaths" + BODY + " The cabinet met."
    art = hand_built(nlp, text, [("Papandreou’s Cabinet", "ORG"), *BODY_ENTS])
    assert on_headline(art) == ["Papandreou"]


def test_name_the_body_uses_is_kept_whole(nlp: Any) -> None:
    text = "George Papandreou Calls For Calm After Deaths" + BODY
    art = hand_built(nlp, text, [("George Papandreou", "PERSON"), *BODY_ENTS])
    (head,) = [s for s in art.layers["entities"] if s.start == 0]
    assert head.text == "George Papandreou"
    assert cluster_of(art, head) == ["George Papandreou", "George Papandreou"]


def test_first_name_the_body_uses_elsewhere_does_not_cut_a_full_name(nlp: Any) -> None:
    """ "George" also names George Smith in the text; "Kerrigan" is unknown, so it stays."""
    text = (
        "George Kerrigan Wins Seat After Recount\n\n"
        "The recount ended on Monday. Her rival George Smith conceded."
    )
    art = hand_built(nlp, text, [("George Kerrigan", "PERSON"), ("George Smith", "PERSON")])
    assert on_headline(art) == ["George Kerrigan"]


def test_acronym_stays_a_name_although_the_body_says_us(nlp: Any) -> None:
    text = (
        "Deadliest Shooting In US History Shocks Nation\n\n"
        "Neighbours told us the shooting began at night."
    )
    art = hand_built(nlp, text, [("US", "GPE")])
    assert on_headline(art) == ["US"]


def test_body_capitals_after_a_full_stop_are_no_evidence_of_a_name(nlp: Any) -> None:
    """ "Calls" opens a sentence in the body, so it counts as lower-case use only."""
    text = (
        "Minister Calls Bank Workers Deaths Murder Again\n\n"
        "Calls grew louder. The minister calls it murder; the workers agree."
    )
    art = hand_built(nlp, text, [("Calls Bank Workers", "ORG")])
    assert on_headline(art) == ["Bank"]  # "Bank" never occurs in the body: kept, unknown


def test_headline_only_name_does_not_spread_into_the_body(nlp: Any) -> None:
    text = (
        "Senator Weighs Filing Lawsuit Over Vote Count\n\n"
        "Filing the papers took a week, aides said."
    )
    art = hand_built(nlp, text, [("Weighs Filing", "PERSON")])
    assert [s.text for s in art.layers["entities"]] == ["Weighs Filing"]


def test_inflected_body_use_marks_a_headline_verb_as_common(nlp: Any) -> None:
    text = (
        "Obama Commutes Sentence Of Army Leaker\n\n"
        "President Obama commuted the sentence on Tuesday."
    )
    art = hand_built(nlp, text, [("Obama Commutes Sentence", "PERSON"), ("Obama", "PERSON")])
    assert on_headline(art) == ["Obama"]
    assert [c.name for c in art.clusters] == ["Obama"]


def test_unknown_words_after_a_known_surname_are_cut(nlp: Any) -> None:
    text = (
        "Clinton Probe Widens As Agents Return\n\n"
        "Hillary Clinton said on Monday she had done nothing wrong."
    )
    art = hand_built(nlp, text, [("Clinton Probe", "PERSON"), ("Hillary Clinton", "PERSON")])
    assert on_headline(art) == ["Clinton"]
    (head,) = [s for s in art.layers["entities"] if s.start == 0]
    assert cluster_of(art, head) == ["Clinton", "Hillary Clinton"]


def test_unknown_words_before_a_known_first_name_are_cut(nlp: Any) -> None:
    text = (
        "Senate Set To Confirm Regina Benjamin Next Week\n\n"
        "The senators praised Regina Benjamin on Monday."
    )
    art = hand_built(
        nlp, text, [("Confirm Regina Benjamin", "PERSON"), ("Regina Benjamin", "PERSON")]
    )
    assert on_headline(art) == ["Regina Benjamin"]


def test_name_suffix_after_a_known_surname_stays(nlp: Any) -> None:
    text = (
        "Martin Luther King Jr. Remembered At Memphis Vigil\n\n"
        "Martin Luther King was killed in 1968."
    )
    art = hand_built(
        nlp, text, [("Martin Luther King Jr.", "PERSON"), ("Martin Luther King", "PERSON")]
    )
    assert on_headline(art) == ["Martin Luther King Jr."]


# -- the real model ---------------------------------------------------------------------------


def analysed(text: str, spacy_stage: StageFn) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    art.check()
    return art


def test_real_model_headline_spans_hold_no_word_the_body_writes_lower_case(
    spacy_stage: StageFn,
) -> None:
    text = (
        "Greek Prime Minister Calls Bank Workers' Riot Deaths Murder\n\n"
        "ATHENS — Greek Prime Minister George Papandreou on Wednesday called the deaths of "
        "three bank workers during a riot in Athens murder. The workers died when protesters "
        "set fire to their bank. Papandreou calls for calm."
    )
    art = analysed(text, spacy_stage)
    body_lower = {w.strip(".,").lower() for w in text.split("\n", 1)[1].split() if w.islower()}
    for span in art.layers["entities"]:
        assert text[span.start : span.end] == span.text
        if in_title_case_line(text, span.start):
            words = {w.strip("'’").lower() for w in span.text.split()}
            assert not words & body_lower, span.text
    names = {c.name for c in art.clusters}
    assert "George Papandreou" in names
    assert not any("Calls" in n or "Workers" in n for n in names)


HEADLINE_WORDS = [
    *("Calls", "Bank", "Workers", "Riot", "Deaths", "Obama", "Commutes", "Sentence", "Greek"),
    *("George", "Papandreou", "Trump’s", "Supporters", "US", "Jr.", "Says", "Of", "In", "the"),
]
BODY_WORDS = [
    *("calls", "bank", "workers", "riot", "Obama", "commuted", "sentence", "George"),
    *("Papandreou", "Donald", "Trump", "supporters", "us", "said", "the", "in", "Athens."),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(HEADLINE_WORDS), min_size=5, max_size=12),
    st.lists(st.sampled_from(BODY_WORDS), min_size=3, max_size=40),
)
def test_headline_spans_are_true_and_inside_what_ner_found(
    headline: list[str], body: list[str]
) -> None:
    """Cutting never reaches outside NER's own span, and every offset stays exact."""
    text = " ".join(headline) + "\n\n" + " ".join(body).capitalize() + "."
    art = Article(text=text, source="<test>")
    make_spacy_stage(Settings())([art])
    ner = [(e.start_char, e.end_char) for e in art._doc.ents]
    make_entities_stage(Settings())([art])
    art.check()
    for span in art.layers["entities"]:
        assert text[span.start : span.end] == span.text
        if span.attrs["source"] != "propagated" and in_title_case_line(text, span.start):
            assert any(s <= span.start and span.end <= e for s, e in ner), span.text


TWO_NAMES_BODY = (
    "\n\nPresident Obama on Tuesday undid a rule that Bush adopted in 2008. "
    "Obama said the rule had been wrong."
)


def test_a_headline_span_holding_two_names_of_the_text_is_cut_to_each(nlp: Any) -> None:
    """ "Obama Reverses Bush" read as one person would merge Obama and Bush into one cluster
    (every speaker called "Bush"): cut to the two names the running text has."""
    text = "Obama Reverses Bush on Species Rule" + TWO_NAMES_BODY
    ents = [("Obama Reverses Bush", "PERSON"), ("Obama", "PERSON"), ("Bush", "PERSON")]
    art = hand_built(nlp, text, [*ents, ("Obama", "PERSON")])
    assert on_headline(art) == ["Obama", "Bush"]
    clusters = sorted(sorted(cluster_of(art, s)) for s in art.layers["entities"] if s.start == 0)
    assert clusters == [["Obama", "Obama", "Obama"]]
    assert sorted(c.name for c in art.clusters) == ["Bush", "Obama"]


def test_a_headline_name_with_a_middle_name_the_text_lacks_stays_whole(nlp: Any) -> None:
    """Only two whole names with a word between are cut: "Hillary Rodham Clinton" is one
    name even when the text writes "Hillary Clinton"."""
    text = "Hillary Rodham Clinton Wins Iowa\n\nHillary Clinton won Iowa on Monday."
    ents = [("Hillary Rodham Clinton", "PERSON"), ("Hillary Clinton", "PERSON")]
    art = hand_built(nlp, text, [*ents, ("Iowa", "GPE")])
    assert "Hillary Rodham Clinton" in on_headline(art)
