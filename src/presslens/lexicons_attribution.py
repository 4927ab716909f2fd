"""Word lists used by the attribution stage: data, not logic. Small, general, English.

The verb lists started from the cue verbs of news-attribution guidelines (PARC, PolNeAR) and
the most frequent cue words of PolNeAR train (said, says, told, according to, wrote, added,
asked, called, noted, reported, announced, suggested, argued, …). Broad verbs (show, find,
call) only count with the complements the rules require. Lemmas are matched lower-cased.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """Whitespace-separated words: long lists read better as one block of text."""
    return frozenset(text.split())


#: Verbs of saying and reporting: "X said (that) …", "“…,” X said", "X accused Y of …".
SPEECH_VERBS: frozenset[str] = _words(
    """
    say tell add ask write note report announce argue explain claim declare state insist
    reply respond warn accuse reveal deny admit acknowledge confirm describe tweet post
    testify recall predict promise vow pledge urge criticize criticise praise question
    comment contend assert maintain allege complain concede emphasize emphasise stress tout
    boast joke quip mention disclose observe conclude estimate cite reject dismiss challenge
    demand propose recommend blame condemn denounce charge brand label dub continue
    reiterate repeat answer counter retort caution advise inform instruct order threaten
    swear affirm proclaim remark muse lament concur decry slam blast attack defend applaud
    welcome thank apologize apologise insinuate imply hint signal speculate guess reason
    plead whisper shout yell scream exclaim cry sing chant interject interrupt clarify
    correct recount relate narrate characterize characterise portray depict call dispute
    contest refute rebut debunk confess brag grumble object protest elaborate outline detail
    summarize summarise indicate show find suggest decline refuse
    """
)

#: Verbs whose infinitive complement is what was said or meant ("urged X to …", "declined to
#: comment", "wants to …"); other verbs' xcomp is not content ("continues to garner").
XCOMP_VERBS: frozenset[str] = _words(
    """
    urge ask tell promise vow pledge threaten challenge refuse decline agree plan want hope
    intend expect seek aim offer propose demand order advise warn encourage call invite
    wish prefer need decide claim
    """
)

#: Verbs of belief, intention and perception: "X believes/thinks/hopes that …" (kind
#: ``epistemic``; PolNeAR annotates them as attributions too).
EPISTEMIC_VERBS: frozenset[str] = _words(
    """
    think believe hope fear expect want feel know worry doubt suspect assume wish plan intend
    consider imagine agree disagree understand realize realise recognize recognise suppose
    reckon trust anticipate envision foresee mean prefer seek aim
    """
)

#: Suggest is a speech act in form but reports an opinion; the issue files it as epistemic.
EPISTEMIC_SPEECH: frozenset[str] = frozenset({"suggest", "imply", "insinuate", "speculate"})

#: Nouns that name a statement: "X's claims that …", "allegations by X", "his statement".
NOMINAL_CUES: frozenset[str] = _words(
    """
    claim allegation accusation statement assertion remark comment testimony admission
    denial warning promise pledge announcement argument charge insistence suggestion
    """
)

#: Nouns for what someone answered or thought that, as a subject with an owner, introduce
#: a quote after a colon: "Her answer was simple: “…”", "Obama's message was clear: “…”".
INTRO_NOUNS: frozenset[str] = NOMINAL_CUES | _words(
    """
    message answer response reply reaction view verdict advice assessment explanation
    retort rejoinder take position point
    """
)

#: Prepositions that introduce the agent of a nominal cue ("claims by X", "denial from X").
NOMINAL_AGENT_PREPS: frozenset[str] = frozenset({"by", "from"})

#: Prepositional complements that carry content ("accused Y of …", "warned about …").
CONTENT_PREPS: frozenset[str] = _words("of about on that against as over")

#: Nouns that stand for a source's words or data rather than the source itself: in
#: "according to data from X" the source is X ("data from", "figures by", …).
SOURCE_CARRIERS: frozenset[str] = _words(
    """
    data figure figures statistic statistics number numbers report reports estimate estimates
    record records document documents filing filings statement statements poll survey study
    analysis research account accounts tally count release sources source information
    """
)

#: Nouns for someone who speaks for another person: "Lohan's lawyer Mark Heller said she …"
#: is about Lohan more often than about Heller.
REPRESENTATIVE_NOUNS: frozenset[str] = _words(
    """
    lawyer attorney counsel rep representative spokesman spokeswoman spokesperson agent
    publicist manager aide adviser advisor
    """
)

#: Role nouns that name one role ("Lohan's lawyer" is the person called "Attorney Mark Jay
#: Heller"): a role given with one is found with any. Not "spokesman" and "spokeswoman"
#: (on PolNeAR dev "a spokeswoman for Hillary Clinton" became her spokesman Nick Merrill).
ROLE_SYNONYMS: dict[str, frozenset[str]] = {
    word: group
    for group in (
        frozenset({"lawyer", "attorney", "counsel"}),
        frozenset({"rep", "representative"}),
        frozenset({"adviser", "advisor"}),
    )
    for word in group
}

#: Pronouns that can stand for a person (matched lower-cased).
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "his", "hers"})
#: Pronouns that can stand for a group, organisation or place.
GROUP_PRONOUNS: frozenset[str] = frozenset({"they", "them", "their", "it", "its"})
#: First-person pronouns inside a quote stand for its speaker; outside, for the writer.
FIRST_PRONOUNS: frozenset[str] = frozenset({"i", "we", "me", "us", "my", "our"})
#: Relative pronouns stand for the noun the clause modifies ("X, who said …").
RELATIVE_PRONOUNS: frozenset[str] = frozenset({"who", "which", "that", "whom", "whose"})

#: Common nouns that stand for organisations or groups (resolution ``group``).
GROUP_NOUNS: frozenset[str] = _words(
    """
    government ministry department agency police army military court committee council
    administration authority authorities office party campaign union board commission
    institution organization organisation group company firm bank prosecutor prosecutors
    officials official spokesman spokeswoman spokesperson source sources analysts experts
    critics activists lawmakers leaders residents voters supporters opponents members
    """
)

#: Singular nouns that, after "the", stand for an organisation named before (resolution
#: ``description``): "the company said" → the company the article is about. Not media nouns
#: ("the newspaper"): the organisation in reach is seldom the outlet that reported.
ORG_DESCRIPTION_NOUNS: frozenset[str] = _words(
    """
    company firm giant maker manufacturer carmaker automaker producer corporation conglomerate
    group carrier airline retailer chain lender insurer team club franchise startup operator
    provider supplier developer organisation organization charity
    """
)
#: Kinds of organisation whose names say so ("the ministry" → "the Ministry of Health"):
#: resolved only to an organisation whose name holds the word.
ORG_KIND_NOUNS: frozenset[str] = _words(
    """
    ministry department agency bureau office party court committee council commission board
    union university college bank police army navy parliament senate congress assembly
    foundation institute association federation league church hospital school embassy
    administration authority service
    """
)

#: Opening and closing double quotation marks (straight quotes are paired by context).
OPEN_QUOTES: frozenset[str] = frozenset({"“", "„", "«"})
CLOSE_QUOTES: frozenset[str] = frozenset({"”", "»"})
STRAIGHT_QUOTE = '"'
#: Marks that close a quote only when a given mark opened it: German and Central European
#: low quotes close with the English opening mark („…“). (Single marks: `quote_marks.py`.)
CLOSED_BY_OPENER: dict[str, frozenset[str]] = {"„": frozenset({"“"})}

#: Verbs by which another source gives its own figure ("organisers put the crowd at 50,000"):
#: with the speech verbs, they end an "according to" content at ", while …", ", but …", "; …".
ESTIMATE_VERBS: frozenset[str] = frozenset({"put", "place", "estimate", "count", "reckon"})
#: Words after a comma that open a clause contrasting another source's claim.
CONTRAST_WORDS: frozenset[str] = frozenset({"while", "whereas", "but", "though", "although"})

#: Verbs of asking whose bare participle ("X, asked about the sale, said …") names the
#: question put to the speaker, not a statement of theirs.
QUESTION_VERBS: frozenset[str] = frozenset({"ask", "question", "quiz", "press"})
