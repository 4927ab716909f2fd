"""Attribution errors found by probing with hand-written articles: quotes glued across
paragraphs, scare quotes continuing a statement, the dateline as the speaker, a quotation mark
as the source, German „…“ quotes, "asked about" asides and "according to" contents running
into another source's clause."""

from __future__ import annotations

import pytest
from attribution_helpers import analysed, parsed, speaker_name, statement

from presslens.model import Article
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.attribution_rules import find_quotes
from presslens.stages.attributions import make_attributions_stage
from presslens.stages.entities import make_entities_stage


def source_of(art: Article, inside: str) -> str | None:
    i = statement(art, inside).attrs["source"]
    return None if i is None else art.layer("sources")[i].text


def with_dateline(text: str, dash: str, spacy_stage: StageFn) -> Article:
    """``text`` analysed with the datelines layer the reader would give it (place up to
    ``dash``, the dash included)."""
    art = Article(text=text, source="<test>")
    end = text.index(dash) + len(dash)
    place = text[: text.index(dash)].split(" (")[0].strip()
    art.layers["datelines"] = [art.span(0, end, "dateline", place=place)]
    art.meta["dateline"] = {"place": place, "start": 0, "end": len(place)}
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    make_attributions_stage(Settings())([art])
    art.check()
    return art


# -- quotes and paragraphs ---------------------------------------------------------------------


def test_orphan_quote_is_not_prepended_to_a_statement_in_a_later_paragraph(
    spacy_stage: StageFn,
) -> None:
    art = analysed(
        "Finance minister Helena Strand defended her budget in parliament on Tuesday, "
        "calling it fair.\n\n"
        '"This plan protects pensions and cuts waste."\n\n'
        '"It does nothing of the sort," opposition leader Karin Lunde replied. '
        '"Pensioners will pay for it."',
        spacy_stage,
    )
    lunde = statement(art, "nothing of the sort")
    assert "protects pensions" not in lunde.text
    assert speaker_name(art, lunde) == "Karin Lunde"


def test_quote_running_over_paragraphs_stays_one_statement(spacy_stage: StageFn) -> None:
    art = analysed(
        'Anna Koval said: "We will rebuild the school before winter.\n\n'
        '"Nobody will be left without a classroom."',
        spacy_stage,
    )
    quote = statement(art, "rebuild the school")
    assert "without a classroom" in quote.text
    assert speaker_name(art, quote) == "Anna Koval"


def test_scare_quotes_in_the_next_paragraph_do_not_continue_a_statement(
    spacy_stage: StageFn,
) -> None:
    art = analysed(
        'Helena Strand later told parliament: "I will not take lessons from a party that '
        'left us bankrupt."\n\n'
        'The government\'s "emergency" measures, including a so-called "solidarity levy", '
        "will be debated next week.",
        spacy_stage,
    )
    strand = statement(art, "take lessons")
    assert "emergency" not in strand.text
    assert "solidarity" not in strand.text
    assert "continued" not in strand.attrs["rule"]


def test_quote_opening_the_next_sentence_still_continues(spacy_stage: StageFn) -> None:
    art = analysed(
        '"It does nothing of the sort," opposition leader Karin Lunde replied. '
        '"Pensioners will pay for it."',
        spacy_stage,
    )
    lunde = statement(art, "nothing of the sort")
    assert "Pensioners will pay" in lunde.text
    assert lunde.attrs["rule"].endswith("+continued")


# -- sources -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dash"),
    [
        (
            "Kessford – The health minister, Daniel Obrecht, said on Wednesday that hospitals "
            "were full.",
            "–",
        ),
        (
            "KESSFORD (Reuters) - The health minister, Daniel Obrecht, said on Wednesday that "
            "hospitals were full.",
            "-",
        ),
    ],
)
def test_source_never_holds_the_dateline(text: str, dash: str, spacy_stage: StageFn) -> None:
    art = with_dateline(text, dash, spacy_stage)
    said = statement(art, "hospitals were full")
    source = source_of(art, "hospitals were full")
    assert source is not None and "essford" not in source.lower()
    assert speaker_name(art, said) == "Daniel Obrecht"


def test_closing_guillemet_is_not_the_source(spacy_stage: StageFn) -> None:
    art = analysed(
        "«The building had no working alarms,» said fire chief Karl Dressler. "
        "«We found the exits locked.»",
        spacy_stage,
    )
    quote = statement(art, "working alarms")
    assert source_of(art, "working alarms") == "fire chief Karl Dressler"
    assert speaker_name(art, quote) == "Karl Dressler"


# -- quotation marks ---------------------------------------------------------------------------


def test_german_low_quote_closes_with_the_english_opening_mark() -> None:
    text = "„Nobody was warned in time“, said Lena Brückner. She added: „This was avoidable.“"
    assert [text[q.start : q.end] for q in find_quotes(text)] == [
        "„Nobody was warned in time“",
        "„This was avoidable.“",
    ]


def test_english_quotes_still_pair() -> None:
    text = "“It works,” she said. “Ask them.”"
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["“It works,”", "“Ask them.”"]


def test_german_and_french_quotes_do_not_swallow_paragraphs(spacy_stage: StageFn) -> None:
    art = analysed(
        "«The building had no working alarms,» said fire chief Karl Dressler.\n\n"
        "„Nobody was warned in time“, said inspector Lena Brückner. "
        "She added: „This was avoidable.“\n\n"
        "“I don’t accept that,” Dressler replied.",
        spacy_stage,
    )
    german = statement(art, "Nobody was warned")
    assert german.text == "„Nobody was warned in time“"
    assert speaker_name(art, german) == "Lena Brückner"
    assert "working alarms" not in german.text
    assert speaker_name(art, statement(art, "avoidable")) == "Lena Brückner"


# -- cues --------------------------------------------------------------------------------------


def test_asked_about_aside_is_not_a_statement_of_the_one_asked(spacy_stage: StageFn) -> None:
    art = analysed(
        "Transport minister Erik Lund, asked about the sale, said: "
        '"I never promised anything. The union knows that."',
        spacy_stage,
    )
    asked = [s for s in art.layer("attributions") if s.text == "the sale"]
    assert all(s.attrs["source"] is None and s.attrs["speaker"] is None for s in asked)
    assert speaker_name(art, statement(art, "never promised")) == "Erik Lund"


def test_sentence_without_a_dateline_is_unchanged(spacy_stage: StageFn) -> None:
    art = parsed("The health minister, Daniel Obrecht, said that hospitals were full.", spacy_stage)
    make_attributions_stage(Settings())([art])
    said = statement(art, "hospitals were full")
    assert speaker_name(art, said) == "Daniel Obrecht"


@pytest.mark.parametrize(
    ("text", "other"),
    [
        (
            "According to police, 12 people were arrested on Saturday, while organisers put "
            "the crowd at 50,000.",
            "50,000",
        ),
        (
            "According to the ministry, the plan will cost 3 billion euros; critics said it "
            "would cost twice that.",
            "twice",
        ),
    ],
)
def test_according_to_content_ends_before_another_source(
    text: str, other: str, spacy_stage: StageFn
) -> None:
    art = analysed(text, spacy_stage)
    according = [s for s in art.layer("attributions") if s.attrs["kind"] == "according-to"]
    assert len(according) == 1
    assert other not in according[0].text
    assert according[0].text.startswith(text.split(", ", 1)[1][:10])


def test_according_to_content_keeps_a_clause_of_the_same_source(spacy_stage: StageFn) -> None:
    art = analysed(
        "According to police, 12 people were arrested, but most were released on Sunday.",
        spacy_stage,
    )
    according = [s for s in art.layer("attributions") if s.attrs["kind"] == "according-to"]
    assert len(according) == 1
    assert "released on Sunday" in according[0].text


# -- single quotation marks ----------------------------------------------------------------------


@pytest.mark.parametrize(("open_", "close"), [("'", "'"), ("‘", "’")])
def test_single_quotation_marks_make_direct_quotes(
    open_: str, close: str, spacy_stage: StageFn
) -> None:
    """British outlets quote with single marks: the quotes were read as reported speech with
    their marks inside, and a second quote of the same speaker was lost."""
    art = analysed(
        f"The council leader, Janet Orme, said the cuts were unavoidable. {open_}We have no "
        f"choice but to close three libraries,{close} she said. {open_}It is a painful "
        f"decision.{close}\n\nOpposition councillor Tom Reddy called the plan {open_}a "
        f"disgrace{close}. He added: {open_}Residents were never consulted.{close}",
        spacy_stage,
    )
    orme = statement(art, "close three libraries")
    assert orme.attrs["kind"] == "direct"
    assert speaker_name(art, orme) == "Janet Orme"
    assert "painful decision" in orme.text  # the next quote continues it
    reddy = statement(art, "never consulted")
    assert reddy.attrs["kind"] == "direct"
    assert reddy.text.startswith(open_) and reddy.text.endswith(close)
    assert speaker_name(art, reddy) == "Tom Reddy"
    plan = statement(art, "disgrace")
    assert plan.attrs["kind"] == "mixed"
    assert plan.text.endswith(f"disgrace{close}")


def test_single_marks_inside_a_double_quote_stay_nested(spacy_stage: StageFn) -> None:
    art = analysed(
        "\"They told us 'wait and see' for a year,\" said resident Maria Olsen.", spacy_stage
    )
    olsen = statement(art, "wait and see")
    assert olsen.text.startswith('"They told us')
    assert speaker_name(art, olsen) == "Maria Olsen"
    assert [(q.start, q.end) for q in find_quotes(art.text)] == [(0, art.text.index(",") + 2)]


@pytest.mark.parametrize("mark", ["'", '"'])
def test_quoted_subheading_does_not_continue_the_quote_before_it(
    mark: str, spacy_stage: StageFn
) -> None:
    art = analysed(
        '"We will rebuild the school before winter," said the mayor, Anna Koval.\n\n'
        f"{mark}All Bets Are Off.{mark}\n\n"
        "The council meets again on Monday.",
        spacy_stage,
    )
    koval = statement(art, "rebuild the school")
    assert "Bets" not in koval.text
    assert speaker_name(art, koval) == "Anna Koval"


def test_a_title_the_parse_hung_on_the_quote_goes_to_the_source(spacy_stage: StageFn) -> None:
    """Found by probing: in "“…,” PM Modi said." the parse put "PM" in the quoted clause, so
    the statement was "mixed" and read "…,” PM"."""
    art = analysed('"This airport will change lives," PM Modi said.', spacy_stage)
    modi = statement(art, "airport")
    assert modi.attrs["kind"] == "direct"
    assert modi.text == '"This airport will change lives,"'
    assert source_of(art, "airport") == "PM Modi"


def test_a_long_quotation_does_not_use_up_its_pronoun_speakers_window(
    spacy_stage: StageFn,
) -> None:
    """Found by probing the demo: "Survivor Nadia Ferreira-Holm, 34, was on the upper deck
    … “three sentences,” she said." left "she" unresolved, the quotation's own sentences
    having used up the window of sentences a pronoun looks back over."""
    text = (
        "Survivor Maria Santos, 34, was on the upper deck with her son when the ships met. "
        "“There was a terrible bang. The lights went out. People were screaming. Nobody told "
        "us anything,” she said."
    )
    art = analysed(text, spacy_stage)
    quote = statement(art, "terrible bang")
    assert speaker_name(art, quote) == "Maria Santos"
    assert quote.attrs["resolution"] == "pronoun"
    # a speaker further back than the window still is not reached
    far = (
        "Survivor Maria Santos, 34, was on the upper deck. The fog was thick. The sea was "
        "calm. The crossing was late. “There was a terrible bang,” she said."
    )
    far_art = analysed(far, spacy_stage)
    assert speaker_name(far_art, statement(far_art, "terrible bang")) is None
