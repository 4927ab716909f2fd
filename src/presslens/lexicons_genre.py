"""Word lists used by the genre stage: data, not logic. Small, general, English."""

from __future__ import annotations

#: First-person pronouns (the writer speaking). Matched case-sensitively in these forms, so the
#: country "US" is not "us".
FIRST_PERSON: tuple[str, ...] = (
    "I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "I'll", "I’ll", "me", "Me", "my", "My",
    "mine", "Mine", "myself", "Myself", "we", "We", "we're", "We're", "we’re", "We’re",
    "we've", "We've", "we’ve", "We’ve", "us", "Us", "our", "Our", "ours", "Ours",
    "ourselves", "Ourselves", "let's", "Let's", "let’s", "Let’s",
)  # fmt: skip

#: Second-person address of the reader.
SECOND_PERSON: tuple[str, ...] = (
    "you", "You", "your", "Your", "yours", "Yours", "yourself", "Yourself", "yourselves",
    "Yourselves", "you're", "You're", "you’re", "You’re", "you've", "You've", "you’ve",
    "You’ve", "you'll", "You'll", "you’ll", "You’ll",
)  # fmt: skip

#: Reporting cues: how news copy attributes statements (matched case-insensitively).
REPORTING_CUES: tuple[str, ...] = (
    "said", "says", "told", "according to", "revealed", "added", "stated", "announced",
    "reported", "confirmed", "explained", "noted", "declared", "insisted", "acknowledged",
    "denied", "warned", "urged", "stressed", "asked", "argued", "wrote", "tweeted",
    "pointed out", "in a statement",
    "told reporters", "spokesman", "spokeswoman", "spokesperson", "press conference",
)  # fmt: skip

#: Evaluative adjectives, adverbs and intensifiers: the writer judging (case-insensitive).
EVALUATIVE: tuple[str, ...] = (
    # intensifiers and hedges of stance
    "very", "extremely", "utterly", "totally", "absolutely", "truly", "really", "incredibly",
    "deeply", "simply", "clearly", "obviously", "surely", "certainly", "undoubtedly",
    "frankly", "honestly", "sadly", "unfortunately", "thankfully", "shockingly",
    "outrageously", "blatantly", "so-called",
    # negative judgement
    "outrageous", "shameful", "disgraceful", "disgusting", "ridiculous", "absurd",
    "pathetic", "stupid", "idiotic", "insane", "crazy", "terrible", "horrible", "awful",
    "appalling", "dreadful", "disastrous", "catastrophic", "evil", "wicked", "vile",
    "despicable", "dishonest", "hypocritical", "hypocrisy", "shameless",
    "reckless", "incompetent", "foolish", "laughable", "disgrace", "scandalous",
    "sinister", "nefarious", "treasonous", "traitor", "tyranny",
    "tyrannical", "lies", "liar", "lying", "propaganda", "hoax", "sham", "farce",
    # positive judgement
    "brilliant", "wonderful", "amazing", "fantastic", "excellent", "remarkable",
    "admirable", "courageous", "heroic", "magnificent", "outstanding", "superb",
    "effective", "genuine", "noble", "praiseworthy",
)  # fmt: skip

#: Editorial disclaimer kinds (``disclaimers`` layer attrs.kind) that decide a genre.
DISCLAIMER_GENRES: dict[str, str] = {"opinion": "opinion", "satire": "satire"}

# -- what a page says about itself: section, schema type, address, kicker, byline ------------
#: Words of a section name or address segment that label a page opinion (lower case; a
#: section such as "Letters to the Editor" or "Op-Eds" matches through its words).
OPINION_SECTION_WORDS: tuple[str, ...] = (
    "opinion", "opinions", "op-ed", "op-eds", "oped", "opeds", "editorial", "editorials",
    "commentary", "commentaries", "column", "columns", "columnist", "columnists", "letters",
    "viewpoint", "viewpoints", "perspective", "perspectives", "comment",
)  # fmt: skip

#: Section words and address segments that label a page satire.
SATIRE_SECTION_WORDS: tuple[str, ...] = ("satire", "satirical", "parody")

#: schema.org article types (JSON-LD ``@type``, lower case) and the genre each one declares.
SCHEMA_TYPE_GENRES: dict[str, str] = {
    "opinionnewsarticle": "opinion",
    "reviewnewsarticle": "opinion",
    "satiricalarticle": "satire",
    "reportagenewsarticle": "reporting",
}

#: A kicker at the head of the title or on its own first line ("Opinion | …", "OP-ED:")
#: and the genre it declares (lower case; matched whole, followed by a separator or the
#: line's end, so "Opinion polls show …" is not a kicker).
KICKER_GENRES: dict[str, str] = {
    "opinion": "opinion", "op-ed": "opinion", "oped": "opinion", "editorial": "opinion",
    "commentary": "opinion", "column": "opinion", "viewpoint": "opinion",
    "perspective": "opinion", "guest column": "opinion", "letter to the editor": "opinion",
    "satire": "satire",
}  # fmt: skip

#: Roles in a byline or author field that mark the writer's own view ("Jane Doe, columnist").
OPINION_BYLINE_ROLES: tuple[str, ...] = (
    "columnist", "opinion writer", "opinion contributor", "opinion editor", "op-ed writer",
    "op-ed contributor", "guest columnist", "guest column", "guest writer",
    "editorial board", "editorial writer", "the editors",
)  # fmt: skip
