"""Word lists and script ranges of the language check (``presslens.language``): data, not logic.

Each list holds the commonest function words of one language, in lower case, as news prose
writes them. A word two lists share with English ("a", "in", "on", "was", "also") tells
nothing about which of them a text is written in, so :mod:`presslens.language` drops every
word the English list and a foreign list share from both. Words that English news writes
often as ordinary words ("war", "man", "door", "come", "era", "sue", "pour") are left out of
the foreign lists for the same reason.
"""

from __future__ import annotations

#: The commonest English function words (and "said", the most frequent word of news copy
#: after them).
ENGLISH: tuple[str, ...] = (
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with", "as",
    "he", "be", "by", "at", "his", "have", "are", "from", "this", "not", "but", "had", "they",
    "has", "were", "an", "which", "she", "her", "their", "said", "been", "will", "would",
    "who", "we", "there", "or", "its", "can", "more", "about", "after", "also", "when",
    "than", "them", "could", "into", "only", "other", "what", "some", "these", "our", "out",
    "up", "over", "because", "if", "all", "do", "does", "did", "should", "may", "might",
    "must", "while", "where", "how", "most", "such", "those", "very", "just", "any", "both",
    "each", "between", "under", "against", "during", "without", "before", "through", "since",
    "until", "whether", "although", "though", "however", "then", "being", "him", "you",
    "it's", "don't", "didn't", "doesn't", "isn't", "wasn't", "can't", "won't", "there's",
    "that's", "he's", "she's", "they're", "we're", "i'm", "you're",
)  # fmt: skip

FRENCH: tuple[str, ...] = (
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en", "que", "qui",
    "dans", "pas", "sur", "au", "aux", "avec", "ce", "cette", "ces", "il", "elle", "ils",
    "elles", "ont", "été", "sont", "ne", "se", "sa", "ses", "leur", "leurs", "mais", "ou",
    "comme", "nous", "vous", "je", "on", "y", "était", "être", "avait", "fait", "aussi",
    "entre", "après", "selon", "lors", "dont", "où", "tout", "tous", "très", "sans", "sous",
    "depuis", "encore", "même", "deux", "peut", "cela", "lui", "déjà", "contre", "avant",
    "chez", "donc", "alors", "ainsi", "notamment", "l'", "d'", "qu'", "c'", "j'", "n'", "s'",
    "jusqu'", "lorsqu'", "puisqu'",
)  # fmt: skip

SPANISH: tuple[str, ...] = (
    "el", "la", "los", "las", "de", "del", "y", "en", "que", "un", "una", "por", "con",
    "para", "es", "se", "su", "sus", "al", "lo", "como", "más", "pero", "ha", "han", "fue",
    "sobre", "este", "esta", "estos", "estas", "entre", "también", "ya", "o", "hasta",
    "desde", "porque", "cuando", "muy", "le", "les", "nos", "ser", "está", "están", "hay",
    "otro", "otros", "otra", "todo", "todos", "dos", "tras", "según", "donde", "ni", "años",
    "sido", "durante", "uno", "además", "aunque", "él", "ella", "ellos",
)  # fmt: skip

#: Catalan: listed after Spanish, so the words the two share decide nothing and a tie is
#: Spanish; its own words ("els", "amb", "però", "aquest", "perquè") tell it apart. Left out
#: as English words: "i", "per", "cap", "hi", "ho", "no", "era".
CATALAN: tuple[str, ...] = (
    "el", "la", "els", "les", "de", "del", "dels", "en", "que", "un", "una", "amb", "és",
    "són", "va", "van", "ha", "han", "seu", "seva", "seus", "seves", "aquest", "aquesta",
    "aquests", "aquestes", "però", "també", "més", "com", "fins", "perquè", "quan", "molt",
    "ja", "entre", "sobre", "després", "encara", "així", "tots", "segons", "al", "als",
    "pel", "pels", "sense", "durant", "mateix", "mateixa", "ara", "dues", "anys", "l'", "d'",
    "s'", "n'",
)  # fmt: skip

GERMAN: tuple[str, ...] = (
    "der", "die", "das", "und", "den", "von", "zu", "mit", "sich", "des", "auf", "für",
    "ist", "im", "dem", "nicht", "ein", "eine", "als", "es", "er", "dass", "sie", "nach",
    "wird", "bei", "einer", "um", "sind", "noch", "wie", "einem", "über", "einen", "aus",
    "zum", "aber", "vor", "zur", "bis", "mehr", "durch", "sein", "wurde", "sei", "hat",
    "haben", "werden", "wurden", "oder", "kann", "nur", "diese", "dieser", "gegen", "seit",
    "schon", "ihre", "ihr", "unter", "wenn", "damit", "sowie", "ob", "doch", "wir", "ich",
    "auch", "soll", "keine", "zwei", "jahr", "jahren",
)  # fmt: skip

ITALIAN: tuple[str, ...] = (
    "il", "lo", "la", "i", "gli", "le", "di", "del", "della", "dei", "delle", "degli",
    "dello", "da", "dal", "dalla", "dai", "con", "su", "sul", "sulla", "tra", "fra", "che",
    "e", "è", "non", "un", "una", "uno", "si", "anche", "più", "ma", "o", "sono", "ha",
    "hanno", "stato", "stata", "essere", "questo", "questa", "questi", "quello", "quella",
    "al", "alla", "ai", "alle", "nel", "nella", "nei", "nelle", "negli", "ci", "ne", "se",
    "già", "dopo", "ancora", "loro", "suo", "sua", "suoi", "quando", "perché", "mentre",
    "oltre", "sempre", "tutti", "tutto", "molto", "cui", "l'", "dell'", "all'", "dall'",
    "nell'", "sull'", "un'", "c'",
)  # fmt: skip

PORTUGUESE: tuple[str, ...] = (
    "o", "os", "de", "da", "dos", "das", "em", "na", "nos", "nas", "um", "uma", "e", "é",
    "que", "para", "com", "por", "pelo", "pela", "pelos", "pelas", "se", "não", "mais",
    "como", "mas", "ao", "aos", "à", "às", "foi", "ser", "são", "está", "estão", "tem",
    "têm", "também", "já", "ou", "sua", "seu", "suas", "seus", "ele", "ela", "eles", "elas",
    "isso", "este", "esta", "esse", "essa", "entre", "sobre", "quando", "muito", "até",
    "depois", "há", "após", "ainda", "sem", "onde", "porque", "durante", "pode", "disse",
)  # fmt: skip

DUTCH: tuple[str, ...] = (
    "de", "het", "een", "en", "van", "dat", "op", "te", "die", "niet", "met", "zijn",
    "voor", "er", "aan", "ook", "als", "bij", "maar", "om", "nog", "wordt", "naar", "werd",
    "hij", "ze", "heeft", "worden", "uit", "dan", "tot", "deze", "dit", "zich", "wel",
    "geen", "kan", "meer", "hun", "na", "zal", "werden", "hebben", "jaar", "tegen", "omdat",
    "nu", "toen", "onder", "waar", "zo", "alleen", "wat", "ik", "wij", "volgens",
)  # fmt: skip

#: Function-word lists by language tag.
FUNCTION_WORDS: dict[str, tuple[str, ...]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "es": SPANISH,
    "ca": CATALAN,
    "de": GERMAN,
    "it": ITALIAN,
    "pt": PORTUGUESE,
    "nl": DUTCH,
}

#: Unicode blocks of the scripts the check names, as (first, last, script) code points.
#: Latin is what the function words read; every other script names its language below.
SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x08A0, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2D30, 0x2D7F, "Tifinagh"),
    (0x3040, 0x30FF, "Kana"),
    (0x3130, 0x318F, "Hangul"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF5A, "Latin"),
)

#: The language a text written mostly in a script is taken to be in. A script several
#: languages share without a rule below to tell them apart gets ``und-`` and its ISO 15924
#: code ("undetermined language in this script"): not English is all the check must know.
SCRIPT_LANGUAGE: dict[str, str] = {
    "Greek": "el",
    "Cyrillic": "und-Cyrl",
    "Armenian": "hy",
    "Hebrew": "he",
    "Arabic": "ar",
    "Devanagari": "hi",
    "Bengali": "bn",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Thai": "th",
    "Georgian": "ka",
    "Hangul": "ko",
    "Ethiopic": "und-Ethi",
    "Tifinagh": "und-Tfng",
    "Kana": "ja",
    "Han": "zh",
}

#: Letters only one language of a script writes, and the share of the script's letters
#: they must reach (of the first matching rule) to name it. Ukrainian writes і ї є ґ,
#: Russian ы э ё; Persian writes پ چ ژ گ and its own ی ک where Arabic writes ي ك; Urdu adds
#: ٹ ڈ ڑ ں ے.
SCRIPT_LETTERS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "Cyrillic": (("uk", "іїєґІЇЄҐ", 0.01), ("ru", "ыэёЫЭЁ", 0.005)),
    "Arabic": (("ur", "ٹڈڑںے", 0.01), ("fa", "پچژگیک", 0.03)),
}

#: English names of the languages and scripts the check reports.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ca": "Catalan",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "hy": "Armenian",
    "he": "Hebrew",
    "hi": "Hindi",
    "bn": "Bengali",
    "pa": "Punjabi",
    "gu": "Gujarati",
    "ta": "Tamil",
    "te": "Telugu",
    "kn": "Kannada",
    "ml": "Malayalam",
    "si": "Sinhala",
    "th": "Thai",
    "ka": "Georgian",
    "ko": "Korean",
    "ja": "Japanese",
    "zh": "Chinese",
    "tr": "Turkish",
    "pl": "Polish",
    "sv": "Swedish",
    "und": "a language in a script the check does not name",
    "und-Latn": "an unrecognised Latin-script language",
    "und-Cyrl": "a Cyrillic-script language",
    "und-Ethi": "an Ethiopic-script language",
    "und-Tfng": "Amazigh in Tifinagh script",
}

#: Language names a record or header may give instead of a tag ("language": "French").
NAME_TAGS: dict[str, str] = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "catalan": "ca",
    "català": "ca",
    "german": "de",
    "deutsch": "de",
    "italian": "it",
    "italiano": "it",
    "portuguese": "pt",
    "português": "pt",
    "portugues": "pt",
    "dutch": "nl",
    "nederlands": "nl",
    "arabic": "ar",
    "العربية": "ar",
    "russian": "ru",
    "chinese": "zh",
    "japanese": "ja",
    "turkish": "tr",
}
