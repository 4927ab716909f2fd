"""Word lists of the corpus stages: data, not logic. All lower-case, general English usage."""

from __future__ import annotations

#: Function words and news filler ignored by TF-IDF and shared-phrase detection.
STOPWORDS: frozenset[str] = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "although", "am",
        "among", "an", "and", "another", "any", "are", "around", "as", "at", "be", "because",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot",
        "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else",
        "even", "ever", "every", "few", "for", "from", "further", "get", "got", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "last", "least",
        "less", "let", "like", "made", "make", "many", "may", "me", "might", "more", "most",
        "much", "must", "my", "myself", "near", "neither", "never", "new", "no", "nor", "not",
        "now", "of", "off", "often", "on", "once", "one", "only", "or", "other", "our", "ours",
        "ourselves", "out", "over", "own", "per", "rather", "said", "same", "say", "says", "she",
        "should", "since", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "there", "these", "they", "this", "those", "though", "through",
        "thus", "to", "too", "told", "under", "until", "up", "upon", "us", "very", "via", "was",
        "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom",
        "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
        "yours", "yourself", "according", "added", "adding", "asked", "including", "including",
        "mr", "mrs", "ms", "dr", "news", "reported", "reporting", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "week", "year", "years", "day",
        "days", "time", "today", "yesterday", "tomorrow", "people", "percent", "two", "three",
        "four", "five", "six", "seven", "eight", "nine", "ten"
    ]
)  # fmt: skip

#: Statement words that accuse, allege or blame (the "accusation" side of a disagreement).
ACCUSATION_CUES: frozenset[str] = frozenset(
    [
        "accuse", "accused", "accuses", "accusing", "accusation", "accusations", "allege",
        "alleged", "alleges", "alleging", "allegation", "allegations", "blame", "blamed",
        "blames", "blaming", "charge", "charged", "claim", "claimed", "claims", "torture",
        "tortured", "abuse", "abused", "lie", "lies", "lied", "lying", "betray", "betrayed",
        "betrayal", "smear", "corrupt", "corruption", "fraud", "guilty", "responsible", "fault",
        "negligence", "negligent", "failed", "failure", "violated", "violation", "cover-up",
        "covered", "misled", "mislead"
    ]
)  # fmt: skip

#: Statement words that deny, reject or refute (the "denial" side).
DENIAL_CUES: frozenset[str] = frozenset(
    [
        "deny", "denied", "denies", "denying", "denial", "reject", "rejected", "rejects",
        "rejecting", "dismiss", "dismissed", "dismisses", "refute", "refuted", "refutes", "rebut",
        "rebutted", "unfounded", "baseless", "false", "falsehood", "falsehoods", "untrue",
        "fabricated", "fabrication", "groundless", "nonsense", "declined"
    ]
)  # fmt: skip

#: Negators that flip an accusation into a denial ("did not torture") and back.
NEGATORS: frozenset[str] = frozenset(
    {"not", "no", "never", "n't", "nobody", "nothing", "neither", "nor", "without", "cannot"}
)

#: What a number counts, recognised from the words of its counted noun, predicate and subject,
#: so "12 people died", "the death toll rose to 12" and "12 lost their lives" compare as one
#: thing. The key is the class name; each pattern matches at the start of the words read
#: (regular expressions, case folded). Word ends are explicit: "deadlocked", "killer",
#: "death penalty" and "bodyguard" name no class (each grouped unrelated numbers as "dead"
#: on ECB+ train pairs, see ``presslens eval figures``).
NUMBER_CLASSES: dict[str, tuple[str, ...]] = {
    "dead": (r"d(?:ie[ds]?|ying|ead)\b",
             r"deaths?\b(?!\s+(?:penalty|penalties|sentences?|row|threats?|squads?|warrants?))",
             r"kill(?:s|ed|ing)?\b", r"fatal", r"tolls?\b", r"lost their li", r"lives\b",
             r"bod(?:y|ies)\b"),
    "injured": (r"injur", r"wound(?:s|ed|ing)?\b(?!\s+up\b)", r"hurt\b", r"hospital", r"treated\b",
                r"intensive care"),
    "missing": (r"missing\b", r"unaccounted"),
    "arrested": (r"arrest", r"detain", r"custody\b"),
    "evacuated": (r"evacuat", r"rescued\b", r"displaced\b"),
}  # fmt: skip

#: Last words of a news outlet's name ("The Anchorage Daily News", "the Post"): an outlet
#: given as a quotation's speaker is almost always the attribution stage reading "told the
#: Anchorage Daily News" as who spoke, so it is no speaker that can differ from another.
OUTLET_NAME_ENDS: frozenset[str] = frozenset(
    {"news", "post", "times", "daily", "herald", "journal", "tribune", "gazette", "press",
     "agency", "radio", "television", "tv", "chronicle", "telegraph", "guardian", "reuters",
     "afp", "bbc", "cnn", "msnbc", "observer", "courier", "mail", "inquirer", "examiner",
     "dispatch", "bulletin", "wire", "magazine", "newspaper", "network", "broadcasting"}
)  # fmt: skip
