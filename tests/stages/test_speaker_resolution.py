"""Speaker resolution beyond a bare name: affiliation + role + name, and organisations
described rather than named ("the company said"). Hand-written texts, real spaCy parse."""

from __future__ import annotations

import pytest
from attribution_helpers import analysed, speaker_name, statement

from presslens.registry import StageFn


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        # the parse may make the team or the role noun the head: the person named last speaks
        (
            "It rained.\n\nColts interim coach Bruce Arians said the team played well.",
            "played well",
            "Bruce Arians",
        ),
        (
            "Nordbank deputy director Anna Koval told reporters that the loans were safe.",
            "loans were safe",
            "Anna Koval",
        ),
        (
            "Obama adviser David Axelrod said the plan would work.",
            "plan would work",
            "David Axelrod",
        ),
        (
            "Philadelphia 76ers President and General Manager Billy King said the deal was done.",
            "deal",
            "Billy King",
        ),
    ],
)
def test_affiliation_role_and_name_resolve_to_the_person(
    spacy_stage: StageFn, text: str, inside: str, expected: str
) -> None:
    art = analysed(text, spacy_stage)
    span = statement(art, inside)
    assert span.attrs["resolution"] == "named"
    assert speaker_name(art, span) == expected


def test_a_possessor_is_not_the_speaker(spacy_stage: StageFn) -> None:
    """ "Anna Koval's lawyer said": the lawyer speaks, and is not named."""
    art = analysed(
        "Anna Koval was charged on Monday. Anna Koval's lawyer said the charges were false.",
        spacy_stage,
    )
    span = statement(art, "charges were false")
    assert speaker_name(art, span) is None


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        (
            "Microsoft released a patch on Tuesday. The US software giant said the flaw "
            "was serious.",
            "flaw",
            "Microsoft",
        ),
        (
            "The Ministry of Health published new figures on Monday. The ministry said "
            "that 40 people had died.",
            "40 people",
            "Ministry of Health",
        ),
    ],
)
def test_a_described_organisation_resolves_to_the_one_named_before(
    spacy_stage: StageFn, text: str, inside: str, expected: str
) -> None:
    art = analysed(text, spacy_stage)
    span = statement(art, inside)
    assert span.attrs["resolution"] == "description"
    assert speaker_name(art, span) == expected


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        # two organisations in reach: no guess
        ("Apple and Google met on Monday. The company said that it would appeal.", "appeal"),
        # a kind of organisation whose name does not say so
        ("Acme Corp. opened a plant. The ministry said that it was illegal.", "illegal"),
        # the name says the kind, but not the name that modifies it
        (
            "The National Oceanic and Atmospheric Administration issued a report. "
            "The Bush administration said that the report was wrong.",
            "report was wrong",
        ),
        # indefinite: some company, not the one named
        ("Microsoft released a patch. A company said that the patch failed.", "failed"),
        # nothing named before
        ("The company said that sales fell.", "sales"),
    ],
)
def test_a_description_without_one_organisation_in_reach_is_not_resolved(
    spacy_stage: StageFn, text: str, inside: str
) -> None:
    art = analysed(text, spacy_stage)
    span = statement(art, inside)
    assert span.attrs["resolution"] != "description"
    assert span.attrs["speaker"] is None


def test_a_resolved_pronoun_gives_its_person_a_gender_for_later_pronouns(
    spacy_stage: StageFn,
) -> None:
    """ "He" after "Peter Brandt said" is Brandt, so the later "she" is not him: the chain
    of pronouns carries the text's own gender for a person the article gave none."""
    art = analysed(
        "Anna Koval checked into a clinic, Peter Brandt said on Friday. "
        "He declined to give details. “I am fine,” she said.",
        spacy_stage,
    )
    span = statement(art, "I am fine")
    assert span.attrs["resolution"] == "pronoun"
    assert speaker_name(art, span) == "Anna Koval"


def test_a_speaker_in_a_while_clause_has_a_statement_of_their_own(spacy_stage: StageFn) -> None:
    """ "X told the paper there was “…” while Y said “…”": the parse hangs Y's statement
    inside X's clause; Y's words are Y's."""
    art = analysed(
        "Police commissioner Raymond Kelly told the New York Times there was “nothing to "
        "indicate that this shooting was outside the guidelines” while John C. Cerar, the "
        "former commander for firearms training, said “it appears to be a good shooting” under "
        "the reported circumstances.",
        spacy_stage,
    )
    kelly = statement(art, "nothing to indicate")
    assert speaker_name(art, kelly) == "Raymond Kelly"
    assert "good shooting" not in kelly.text and "Cerar" not in kelly.text
    assert speaker_name(art, statement(art, "good shooting")) == "John C. Cerar"


def test_a_quote_someone_named_introduces_with_a_colon_continues_nobody(
    spacy_stage: StageFn,
) -> None:
    """ "Y, director of …, was blunt: “…”" after X's statement: Y's words, not X's."""
    art = analysed(
        "Janette Brimmer, an attorney with Earthjustice, said the administration was “using "
        "global warming as a stalking horse.” Andrew Wetzler, director of the council’s "
        "endangered species program, was blunt: “We will see them in court.”",
        spacy_stage,
    )
    brimmer = statement(art, "stalking horse")
    assert speaker_name(art, brimmer) == "Janette Brimmer"
    assert "court" not in art.text[brimmer.start : brimmer.end]
    wetzler = statement(art, "see them in court")
    assert speaker_name(art, wetzler) == "Andrew Wetzler"
    assert wetzler.attrs["rule"] == "colon-intro"


@pytest.mark.parametrize(
    ("text", "inside", "expected", "cue_text"),
    [
        (
            "The mayor spoke on Monday. Mary Wetzel was blunt: “We will not pay for this.”",
            "not pay",
            "Mary Wetzel",
            "was blunt:",
        ),
        (
            "Brimmer said the talks had failed. John Cornyn, the No. 2 in the GOP leadership, "
            "put it this way: “This person will not be confirmed. So there is no point.”",
            "no point",
            "John Cornyn",
            "put it this way:",
        ),
        (
            "The Illinois Board of Elections was conclusive in its findings:\n\n“Further "
            "discussion on this issue is unnecessary.”",
            "Further discussion",
            "Illinois Board of Elections",
            "was conclusive in its findings:",
        ),
        (
            "The vote was close. As John Cornyn put it: “This person will not be confirmed.”",
            "not be confirmed",
            "John Cornyn",
            "put it:",
        ),
        (
            "Ammon Bundy called Ryan Santilli, who was blunt: “Okay, we will be there.”",
            "be there",
            "Ryan Santilli",
            "was blunt:",
        ),
        (
            "Barack Obama met the strikers in Toledo. Obama's answer was simple: “We will "
            "stand with the workers of this town.”",
            "stand with the workers",
            "Barack Obama",
            "answer was simple:",
        ),
    ],
)
def test_a_clause_ending_in_a_colon_gives_the_quote_to_its_subject(
    spacy_stage: StageFn, text: str, inside: str, expected: str, cue_text: str
) -> None:
    """ "X was blunt: “…”", "X put it this way: “…”": no speech verb, yet the clause's
    subject (or the owner of "answer") speaks the quote after the colon; the predicate
    through the colon is the cue."""
    art = analysed(text, spacy_stage)
    span = statement(art, inside)
    assert speaker_name(art, span) == expected
    assert span.attrs["kind"] == "direct"
    assert art.text[span.start] in '“"'
    cue = art.layer("cues")[span.attrs["cue"]]
    assert cue.text == art.text[cue.start : cue.end] == cue_text


def test_a_colon_introduction_replaces_its_predicates_object(spacy_stage: StageFn) -> None:
    """ "Cruz called them on it: “…”": the quote is the statement and "called them on it:"
    its cue; "them on it" is not something Cruz called. A reported clause before the colon
    ("said she has …: “…”") stays a statement of its own."""
    art = analysed(
        "When the moderators yielded to snark, Ted Cruz called them on it:\n\n“The questions "
        "asked in this debate illustrate why the people do not trust the media.”",
        spacy_stage,
    )
    (only,) = art.layer("attributions")
    assert "do not trust the media" in only.text
    assert art.layer("cues")[only.attrs["cue"]].text == "called them on it:"
    art = analysed(
        "Hillary Clinton said she has the essential quality for the job of president: "
        "“Steadiness, an absolute rock steadiness.”",
        spacy_stage,
    )
    clause = statement(art, "essential quality")
    quote = statement(art, "rock steadiness")
    assert clause is not quote
    assert speaker_name(art, quote) == "Hillary Clinton"


@pytest.mark.parametrize(
    "text",
    [
        "The protesters gathered at noon. The sign read: “Go home, we are closed today.”",
        "The talks ended late. There was one answer: “We will meet again next week.”",
        "The talks ended late. It was simple: “We will meet again next week.”",
        # no verb before the colon (its root is a noun: the clause search must stop there)
        "The strike went on.\n\nObama's message to the strikers: “We stand with you all.”",
        # a subordinate clause's subject does not speak the quote
        "Take this headline from the Washington Post, which hits liberals where they live: "
        "“Surge in robberies on Capitol Hill alters residents' routines.”",
        # a name inside the subject phrase is not its head
        "The rationale the critics at the Washington Post use is a blind faith in Obama's "
        "word:\n\n“As we have explained before, the only plan is this one.”",
    ],
)
def test_a_colon_clause_naming_no_speaker_gives_the_quote_to_nobody(
    spacy_stage: StageFn, text: str
) -> None:
    """A sign, "there", "it" or a rationale before the colon names nobody who speaks."""
    art = analysed(text, spacy_stage)
    for span in art.layer("attributions"):
        assert span.attrs.get("rule") != "colon-intro"


def test_the_same_speaker_introduced_with_a_colon_still_continues(spacy_stage: StageFn) -> None:
    """ "“…,” X said. X was blunt: “…”": the speaker of the statement before introduces the
    quote, which continues that statement."""
    art = analysed(
        "“We will win this state,” Hillary Clinton said on Monday. Clinton was blunt: “I saw "
        "how difficult it was for the workers in this town.”",
        spacy_stage,
    )
    span = statement(art, "how difficult it was")
    assert speaker_name(art, span) == "Hillary Clinton"


def test_a_while_clause_opening_the_content_stays_in_it(spacy_stage: StageFn) -> None:
    """ "X said that while polling showed …, it was higher …": the "while" clause comes
    before the clause it belongs to and is part of X's statement, not a statement of its
    own."""
    art = analysed(
        "Christopher Shelton, the president of the union, said that while polling of his "
        "members showed Mr. Trump's support lagging far behind, it was higher than candidates "
        "typically net.",
        spacy_stage,
    )
    span = statement(art, "typically net")
    assert speaker_name(art, span) == "Christopher Shelton"
    assert "polling of his members" in span.text


def test_a_pronoun_is_never_the_person_its_own_clause_names(spacy_stage: StageFn) -> None:
    """ "He did not say what Reid was treated for": "He" is not Reid, and the "he" that goes
    on ("“…,” he said") is that same unnamed man, not Reid: left unresolved, not guessed."""
    art = analysed(
        "Tara Reid checked into a treatment center in Malibu on Friday, her publicist "
        "confirmed. He did not say what Reid was being treated for. “We appreciate your "
        "respect to her privacy at this time,” he said.",
        spacy_stage,
    )
    assert speaker_name(art, statement(art, "being treated for")) is None
    assert speaker_name(art, statement(art, "respect to her privacy")) is None


def test_a_pronoun_skips_the_person_its_clause_is_about(spacy_stage: StageFn) -> None:
    """ "Josh Earnest said that President Obama has long called for … . He said Obama hopes
    …": the second "He" is Earnest, since its own clause names Obama."""
    art = analysed(
        "White House spokesman Josh Earnest said Monday that President Barack Obama has long "
        "called for tax fairness. He said Obama hopes that his successor will push for the "
        "same goals.",
        spacy_stage,
    )
    assert speaker_name(art, statement(art, "his successor")) == "Josh Earnest"


def test_an_office_before_a_name_is_a_role_the_definite_noun_finds(spacy_stage: StageFn) -> None:
    """ "Coroner Gary Hargrove said … . The coroner said …": the office is no part of the
    name, and "the coroner" is the person the article gave that office."""
    art = analysed(
        "His body was discovered Tuesday by a maid in Biloxi, Coroner Gary Hargrove said. The "
        "coroner said he believes LaRue died Saturday of natural causes.",
        spacy_stage,
    )
    assert speaker_name(art, statement(art, "discovered Tuesday")) == "Gary Hargrove"
    span = statement(art, "natural causes")
    assert span.attrs["resolution"] == "title"
    assert speaker_name(art, span) == "Gary Hargrove"


@pytest.mark.parametrize(
    ("text", "inside", "expected"),
    [
        # "she" in a representative's words is the client, when the article shows the
        # client's gender and not the representative's; so is the "she" after it
        (
            "Lindsay Lohan checked herself into a clinic on Monday.\n\nLohan's lawyer Mark "
            "Heller told the judge on Thursday that she was settling in. “I am doing well "
            "here,” she said in a statement.",
            "doing well here",
            "Lindsay Lohan",
        ),
        # ... but a representative shown to be a woman ("Ms.") keeps her "she"
        (
            "Lindsay Lohan checked herself into a clinic on Monday.\n\nLohan's lawyer Ms. "
            "Shawn Holley told the judge on Thursday that the ruling was wrong. “We will "
            "appeal it,” she said in a statement.",
            "We will appeal",
            "Shawn Holley",
        ),
        # a person owning a main clause's subject is as salient as a subject
        (
            "Jose Luis Orozco was convicted in March.\n\nProsecutor Phil Stirling said the "
            "verdict was just. Orozco's death sentence will be appealed, and he was ordered "
            "to San Quentin. “I did not do it,” he said.",
            "did not do it",
            "Jose Luis Orozco",
        ),
        # ... but not the owner of a reported clause's subject
        (
            "Campaign spokesman Jason Miller told The Washington Post that Donald Trump's "
            "policy would extend to single mothers. “We will publish the details later,” he "
            "said.",
            "publish the details",
            "Jason Miller",
        ),
    ],
    ids=["client", "representative-shown-female", "owner-of-subject", "owner-in-reported"],
)
def test_who_a_pronoun_goes_on_with(
    spacy_stage: StageFn, text: str, inside: str, expected: str
) -> None:
    """Salience beyond the nearest subject: whom a representative speaks for, and the owner
    of a main clause's subject ("Orozco's death sentence …, and he …")."""
    art = analysed(text, spacy_stage)
    assert speaker_name(art, statement(art, inside)) == expected


def test_a_place_owning_the_subject_is_not_who_they_are(spacy_stage: StageFn) -> None:
    """Owning a main clause's subject makes a person salient, not a place: in "Morocco's
    approach led to many arrests. … they said …", "they" is not Morocco."""
    art = analysed(
        "Morocco's approach led to many arrests last year. Some militants repented. They "
        "said the police had lied about the raids.",
        spacy_stage,
    )
    span = statement(art, "lied about the raids")
    assert speaker_name(art, span) != "Morocco"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X's attorney" is the one person the article says speaks for X, under any
        # representative noun, and never another client's lawyer
        (
            "Lindsay Lohan checked herself into a clinic on Monday. Lohan's lawyer Mark Heller "
            "told the judge she was settling in. Tara Reid's lawyer Ann Cole declined to "
            "comment.\n\nLater, Lohan's attorney said the clinic was licensed.",
            "Mark Heller",
        ),
        # a role the article gives under another name of it ("Attorney Mark Heller")
        (
            "Lindsay Lohan checked herself into a clinic on Monday.\n\nAttorney Mark Heller "
            "spoke to the judge on Thursday. Lohan's lawyer said the clinic was licensed.",
            "Mark Heller",
        ),
    ],
    ids=["represents", "role-synonym"],
)
def test_a_client_s_lawyer_is_the_person_who_speaks_for_the_client(
    spacy_stage: StageFn, text: str, expected: str
) -> None:
    """Found with ``eval speakers``: ECB+ "Tara Reid's publicist" and "Lindsay Lohan's
    lawyer" (after "Attorney Mark Jay Heller") had no speaker."""
    art = analysed(text, spacy_stage)
    span = statement(art, "clinic was licensed")
    assert span.attrs["resolution"] == "title"
    assert speaker_name(art, span) == expected
