"""Word lists used by the entities stage: data, not logic.

Everything is lower-case and compared after dropping a trailing full stop ("Mr." -> "mr"). The
lists are deliberately general (English news usage plus common transliterated titles); nothing
here names a particular person or organisation.
"""

from __future__ import annotations

#: spaCy entity labels kept in the ``entities`` layer. Dates, numbers, money and the like belong
#: to the ``timexes`` and ``quantities`` layers.
ENTITY_LABELS: frozenset[str] = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "NORP",
        "LOC",
        "FAC",
        "EVENT",
        "LAW",
        "PRODUCT",
        "WORK_OF_ART",
        "LANGUAGE",
    }
)

#: Leading determiners dropped from a mention ("the Central Bureau" -> "Central Bureau").
#: A capitalised "The" inside a sentence is kept: it is part of the name ("The Hague").
DETERMINERS: frozenset[str] = frozenset({"the", "a", "an", "this", "that", "these", "those"})

#: Honorifics stripped from the front of any mention when a capitalised word follows.
HONORIFICS: frozenset[str] = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "madame",
        "monsieur", "mme", "herr", "frau", "señor", "senor", "señora", "hon", "rev",
        # South Asian: "Shri Gautam Adani", "Smt Nirmala Sitharaman"; "PM Modi", "CM Fadnavis"
        # ("Sri" is left out: "Sri Lanka", the first name "Sri")
        "shri", "smt", "shrimati", "pm", "cm",
    }
)  # fmt: skip

#: Titles, roles and modifiers written before a person's name but not part of it. Stripped
#: only from PERSON mentions and only when a capitalised word follows, so "General Motors",
#: "Justice Department" and "Minister of Justice" stay whole.
TITLES: frozenset[str] = HONORIFICS | frozenset(
    {
        # heads of state and government, officials
        "president", "vice", "vice-president", "prime", "premier", "chancellor", "minister",
        "secretary", "deputy", "ambassador", "envoy", "governor", "mayor", "senator", "sen",
        "rep", "representative", "congressman", "congresswoman", "mp", "mep", "councillor",
        "councilman", "councilwoman", "speaker", "chairman", "chairwoman", "chair", "ceo",
        "director", "commissioner", "attorney", "general", "judge", "justice", "prosecutor",
        "spokesman", "spokeswoman", "spokesperson", "inspector", "superintendent", "chief",
        "officer", "agent", "detective", "sheriff", "colonel", "col", "gen", "lt", "lieutenant",
        "major", "maj", "captain", "capt", "sgt", "sergeant", "corporal", "cpl", "private",
        "pvt", "admiral", "adm", "commander", "cmdr", "marshal", "field", "professor",
        "lady", "lord", "reverend", "honourable", "honorable", "father", "pastor",
        # monarchs, nobility, religious and traditional titles
        "king", "queen", "prince", "princess", "emperor", "empress", "emir", "amir", "sultan",
        "sheikh", "shaikh", "sheik", "shaykh", "imam", "mullah", "ayatollah", "grand", "mufti",
        "rabbi", "pope", "cardinal", "bishop", "archbishop", "cleric", "caliph", "crown",
        "duke", "duchess", "countess", "baron", "baroness", "hajj", "haj", "hadj", "pasha",
        "maulana", "swami", "guru",
        # modifiers and roles written before names in news copy
        "former", "ex", "ex-", "late", "then", "acting", "interim", "incumbent", "outgoing",
        "incoming", "convicted", "accused", "suspect", "alleged", "activist", "blogger",
        "journalist", "reporter", "author", "writer", "researcher", "analyst", "expert",
        "lawyer", "defendant", "coach", "striker", "singer", "actor", "actress", "comedian",
        "rapper", "businessman", "businesswoman", "billionaire", "tycoon", "leader", "founder",
        "co-founder", "candidate", "nominee", "economist", "historian", "scholar", "preacher",
        "militant", "terrorist", "convict", "ex-convict", "jihadist",
        # officials and professionals named by their office ("Coroner Gary Hargrove",
        # "Producer Craig Zadan"): without the title the role is collected, so "the
        # coroner said" finds the person
        "coroner", "examiner", "warden", "publicist", "producer", "manager", "doctor",
        "physician", "nurse", "trooper", "constable", "patrolman", "investigator",
        "executive", "administrator", "assemblyman", "assemblywoman", "alderman", "lawmaker",
        "treasurer", "auditor", "mediator", "negotiator", "coordinator", "chaplain",
    }
)  # fmt: skip

#: Trailing tokens dropped from a mention: possessive clitics spaCy splits off.
POSSESSIVES: frozenset[str] = frozenset({"'s", "’s", "'", "’", "s'", "s’"})

#: Name particles that stay lower-case inside a name ("Charles de Gaulle", "Ibn al-Khattab").
#: They may not stand alone as a partial mention.
NAME_PARTICLES: frozenset[str] = frozenset(
    {
        "al", "el", "al-", "el-", "bin", "ben", "ibn", "bint", "abu", "abd", "de", "da", "di",
        "del", "della", "der", "den", "van", "von", "le", "la", "du", "des", "dos", "das",
        "y", "e", "mac", "o",
    }
)  # fmt: skip

#: Capitalised words that must never be propagated as a stand-alone surname: sentence-initial
#: function words and common words that are also surnames.
NON_SURNAMES: frozenset[str] = frozenset(
    {
        "the", "a", "an", "and", "or", "but", "if", "in", "on", "at", "of", "to", "for", "by",
        "as", "it", "he", "she", "we", "they", "you", "i", "his", "her", "their", "this",
        "that", "these", "those", "there", "here", "then", "when", "while", "will", "may",
        "can", "so", "no", "yes", "not", "all", "more", "most", "new", "young", "long",
        "little", "black", "white", "brown", "green", "king", "church", "rice", "bush",
        "price", "page", "rose", "hope", "grace", "faith", "june", "april", "august",
    }
)  # fmt: skip

#: Function words ignored when taking an organisation's initials ("Bank of England" -> BE).
ACRONYM_STOPWORDS: frozenset[str] = frozenset(
    {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "&", "de", "du", "des", "la",
     "le", "el", "al", "d", "l"}
)  # fmt: skip


#: Words that make a name a place, not a person, when NER tags it PERSON ("Calder Bay",
#: "Port Elin"). Suffixes are the last word, prefixes the first; the value is the label to use.
PLACE_SUFFIXES: dict[str, str] = {
    w: "LOC"
    for w in (
        "bay",
        "river",
        "lake",
        "sea",
        "ocean",
        "gulf",
        "strait",
        "straits",
        "island",
        "islands",
        "mountain",
        "mountains",
        "valley",
        "desert",
        "peninsula",
        "coast",
        "canal",
        "harbour",
        "harbor",
        "creek",
        "falls",
        "glacier",
        "forest",
        "reef",
    )
} | {w: "GPE" for w in ("city", "town", "province", "county", "district", "township")}
PLACE_PREFIXES: dict[str, str] = {
    "port": "GPE",
    "fort": "GPE",
    "mount": "LOC",
    "lake": "LOC",
    "cape": "LOC",
    "gulf": "LOC",
}
#: Label for a PERSON mention that contains a digit (people's names have none: "Kobalt 7" is a
#: vessel or product).
DIGIT_NAME_LABEL = "PRODUCT"

#: Punctuation stripped from both ends of a word before comparing names ("Workers'" ->
#: "workers").
WORD_EDGE_PUNCT = "\"'“”‘’()[],;:"

#: Penn tag prefixes of words that are no name whatever their capital. On a Title Case line
#: the tagger still tells many verbs, adjectives and adverbs ("Vying" VBG, "Dangerous" JJ).
NOT_NAME_TAGS: tuple[str, ...] = (
    "VB", "JJ", "RB", "IN", "DT", "PRP", "MD", "CC", "WDT", "WP", "WRB", "RP", "TO", "EX",
    "PDT", "UH",
)  # fmt: skip

#: Entity labels whose names are adjectives ("Greek", "French"), so a JJ tag says nothing.
ADJECTIVE_NAME_LABELS: frozenset[str] = frozenset({"NORP", "LANGUAGE"})

#: Characters after which a capital begins a sentence, a quotation or a list item, so it
#: says nothing about whether the word is a name (a full stop counts too).
CAPITAL_OPENERS: frozenset[str] = frozenset(
    {".", "!", "?", ":", ";", "…", '"', "“", "'", "‘", "—", "–", "-", "(", "[", "•", "*", "|"}
)

#: Words that may follow a surname inside a name ("Martin Luther King Jr."), compared after
#: dropping a trailing full stop.
NAME_SUFFIXES: frozenset[str] = frozenset({"jr", "sr", "ii", "iii", "iv"})

#: Words before a bare name that put it where a place stands ("in Jordan", "from Halloran",
#: "visited Oman"): such a name tagged GPE or NORP is not taken for a person's surname.
PLACE_PREPOSITIONS: frozenset[str] = frozenset(
    {
        "in", "to", "from", "into", "across", "throughout", "within", "inside", "outside",
        "near", "at", "toward", "towards", "via", "around", "of", "visit", "visited", "visiting",
    }
)  # fmt: skip

#: Time-zone abbreviations NER tags as organisations ("10.30 GMT", "9am EST"): never entities.
TIME_ZONE_NAMES: frozenset[str] = frozenset(
    {"GMT", "UTC", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "EST", "EDT", "CST",
     "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "IST", "JST", "KST", "HKT",
     "SGT", "AEST", "AEDT", "ACST", "AWST", "NZST", "NZDT", "MSK", "GST", "PKT", "WIB"}
)  # fmt: skip

#: Nouns naming a person by what they do or are, read as the head of a name's appositive
#: ("Tomasz Ebeling, a naval engineer at …": a person, whatever NER tagged the name). Nouns
#: that also name companies or bodies ("producer", "operator", "adviser", "investor",
#: "organiser", "owner", "partner", "group", "giant") are left out, as are the pre-name
#: modifiers of TITLES ("former", "acting", "alleged"…).
APPOSITIVE_PERSON_NOUNS: frozenset[str] = (
    TITLES
    - {"vice", "prime", "deputy", "general", "field", "grand", "crown", "former", "ex", "ex-",
       "late", "then", "acting", "interim", "incumbent", "outgoing", "incoming", "convicted",
       "accused", "alleged", "private", "hon", "rev", "sen", "rep", "col", "gen", "lt", "maj",
       "capt", "sgt", "cpl", "pvt", "adm", "cmdr", "mp", "mep", "ceo", "chair", "speaker",
       "agent", "officer", "leader", "lady", "lord", "honourable", "honorable"} - HONORIFICS
) | frozenset(
    {
        "man", "woman", "boy", "girl", "mother", "father", "son", "daughter", "sister",
        "brother", "wife", "husband", "widow", "widower", "grandmother", "grandfather",
        "engineer", "scientist", "physician", "doctor", "nurse", "surgeon", "paramedic",
        "teacher", "student", "pupil", "farmer", "worker", "employee", "driver", "pilot",
        "survivor", "victim", "resident", "witness", "volunteer", "official", "lawmaker",
        "legislator", "politician", "diplomat", "consultant", "manager", "executive",
        "athlete", "player", "footballer", "goalkeeper", "midfielder", "musician", "artist",
        "photographer", "filmmaker", "priest", "monk", "nun", "veteran", "soldier", "sailor",
        "fisherman", "lecturer", "academic", "commentator", "columnist", "editor",
        "correspondent", "novelist", "poet", "playwright", "presenter", "entrepreneur",
        "patient", "dentist", "pharmacist", "firefighter", "policeman", "policewoman",
        "inmate", "prisoner", "detainee", "refugee", "migrant", "protester", "demonstrator",
        "campaigner", "negotiator", "mediator", "aide", "staffer", "biologist", "chemist",
        "physicist", "geologist", "epidemiologist", "virologist", "psychologist",
        "psychiatrist", "sociologist", "archaeologist", "architect", "barrister", "solicitor",
        "magistrate", "juror", "plaintiff", "spokesperson", "businessman", "businesswoman",
        "congressman", "congresswoman", "councilman", "councilwoman", "chairman",
        "chairwoman", "actress", "mayor", "governor", "senator", "minister", "secretary",
    }
)  # fmt: skip

#: Legal-form words after a company's name ("Microsoft Corp.", "Interoute Plc", "France
#: Telecom SA"): not counted when telling whether a shorter name is the organisation's short
#: form (``stages.entities``).
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "corp", "corp.", "corporation", "inc", "inc.", "incorporated", "co", "co.", "company",
        "ltd", "ltd.", "limited", "plc", "llc", "sa", "s.a.", "ag", "nv", "n.v.", "gmbh", "spa",
    }
)  # fmt: skip
