"""Error codes of the readers, one per kind of bad input, and the one place that builds them.

Every reader problem is an :class:`~presslens.errors.InputError` whose ``where`` names the file
(plus ``:LINE`` for records or `` byte N`` for bytes) and whose ``hint`` says what to do.

====  ================  ==========================================================================
code  name              meaning
====  ================  ==========================================================================
P101  PATH_MISSING      the path does not exist
P102  GLOB_EMPTY        a glob pattern matched no file
P103  UNREADABLE        the file or folder cannot be read (permission denied, I/O error)
P104  TOO_LARGE         file, decompressed file or record is over ``max_article_bytes``
P105  EMPTY             the file or record text is empty or only whitespace
P106  BINARY            the bytes look binary (NUL byte or many control characters)
P107  BAD_UTF8          the bytes are broken UTF-8 (byte offset of the first invalid byte)
P108  NO_ENCODING       ``encoding=auto`` could not detect a legacy encoding
P109  UNKNOWN_CODEC     the ``encoding`` setting names no codec Python knows
P110  CODEC_FAILED      the bytes cannot be decoded with the codec the ``encoding`` setting names
P111  BAD_GZIP          a ``.gz`` file is corrupt or truncated
P112  NO_MAIN_TEXT      HTML without extractable main text
P113  BAD_JSON          a JSONL line or .json record is not valid JSON
P114  BAD_RECORD        a record is not an object, or its text field is not a string
P115  MISSING_FIELD     a record (or a CSV header) lacks the text field
P116  BAD_CSV           the CSV parser rejected a row
P117  NOTHING_LEFT      nothing is left of the article after normalisation
P118  XML_FORBIDDEN     a feed declares a DTD or entities (XXE, billion laughs): refused unparsed
P119  BAD_XML           a feed is not well-formed XML (line and column given)
P120  NOT_A_FEED        XML whose root is not ``<rss>``, ``<rdf:RDF>`` (RSS 1.0) or Atom ``<feed>``
P121  FEED_NO_ITEMS     a feed without ``<item>`` or ``<entry>`` elements
P122  ITEM_NO_TEXT      a feed item has no title, description or content text
P123  BAD_WARC          a WARC file is corrupt or not a WARC file (byte offset given)
P124  WARC_NO_ARTICLES  a WARC file holds no HTML or text response record
P125  BOMB              decompressed data grows past the decompression limit (gzip bomb)
P126  TOO_DEEP          HTML or XML nested deeper than the parser can follow
P127  WARC_RECORD       a WARC record's payload cannot be read (bad chunking or content-encoding)
P128  NOT_ENGLISH       a warning, not a failure: the article is not in English (declared or
                        read from its text); it is analysed and kept, its results unreliable
====  ================  ==========================================================================
"""

from __future__ import annotations

from presslens import language as languages
from presslens.errors import InputError
from presslens.model import Article

PATH_MISSING = "P101"
GLOB_EMPTY = "P102"
UNREADABLE = "P103"
TOO_LARGE = "P104"
EMPTY = "P105"
BINARY = "P106"
BAD_UTF8 = "P107"
NO_ENCODING = "P108"
UNKNOWN_CODEC = "P109"
CODEC_FAILED = "P110"
BAD_GZIP = "P111"
NO_MAIN_TEXT = "P112"
BAD_JSON = "P113"
BAD_RECORD = "P114"
MISSING_FIELD = "P115"
BAD_CSV = "P116"
NOTHING_LEFT = "P117"
XML_FORBIDDEN = "P118"
BAD_XML = "P119"
NOT_A_FEED = "P120"
FEED_NO_ITEMS = "P121"
ITEM_NO_TEXT = "P122"
BAD_WARC = "P123"
WARC_NO_ARTICLES = "P124"
BOMB = "P125"
TOO_DEEP = "P126"
WARC_RECORD = "P127"
NOT_ENGLISH = "P128"

CODES: dict[str, str] = {
    PATH_MISSING: "path does not exist",
    GLOB_EMPTY: "glob matched nothing",
    UNREADABLE: "cannot read file or folder",
    TOO_LARGE: "input over max_article_bytes",
    EMPTY: "empty input",
    BINARY: "binary input",
    BAD_UTF8: "broken UTF-8",
    NO_ENCODING: "encoding not detected",
    UNKNOWN_CODEC: "unknown codec in the encoding setting",
    CODEC_FAILED: "bytes not decodable with the codec given",
    BAD_GZIP: "corrupt gzip",
    NO_MAIN_TEXT: "HTML without main text",
    BAD_JSON: "malformed JSONL line or JSON record",
    BAD_RECORD: "record of the wrong shape",
    MISSING_FIELD: "text field missing",
    BAD_CSV: "malformed CSV row",
    NOTHING_LEFT: "nothing left after normalisation",
    XML_FORBIDDEN: "XML with a DTD or entity declarations",
    BAD_XML: "malformed XML",
    NOT_A_FEED: "XML that is not a feed",
    FEED_NO_ITEMS: "feed without items",
    ITEM_NO_TEXT: "feed item without text",
    BAD_WARC: "corrupt WARC",
    WARC_NO_ARTICLES: "WARC without HTML or text records",
    BOMB: "decompressed data over the decompression limit",
    TOO_DEEP: "markup nested too deep",
    WARC_RECORD: "unreadable WARC record payload",
    NOT_ENGLISH: "article not in English (warning; analysed and kept)",
}


def input_error(code: str, message: str, *, where: str, hint: str) -> InputError:
    """An :class:`InputError` with a reader code; every reader error goes through here."""
    return InputError(message, where=where, hint=hint, code=code)


def too_large(size: int, limit: int, *, where: str, what: str = "file") -> InputError:
    """The size-limit error, with a ``--set`` value that would let the input through."""
    suggested = (size // 1_000_000 + 1) * 1_000_000
    return input_error(
        TOO_LARGE,
        f"{what} is {size:,} bytes, over the limit of {limit:,} bytes; skipped",
        where=where,
        hint=f"Raise the limit with --set max_article_bytes={suggested}, or split the input.",
    )


def not_english(article: Article) -> InputError | None:
    """The P128 warning for an article that is not in English, or None.

    An article is flagged when its language (declared by the input, else read from the text)
    is not English, or when its text reads as another language although the input declares
    English. The evidence is ``meta.language_from`` (see ``normalise``), so a stored article
    gives the same warning. A warning, never a reason to skip: the caller reports it and
    analyses the article."""
    evidence = article.meta.get("language_from")
    if not languages.flagged(article.language, evidence):
        return None
    declared, guess = languages.read_evidence(evidence)
    info = evidence if isinstance(evidence, dict) else {}
    name = languages.language_name
    reads = f"the text reads as {name(guess.language)} ({guess.language})"
    hint = ""
    if not declared and guess.language == article.language:
        what = f"{reads}, not English: {guess.describe()}"
    elif not declared:  # set by a caller, with no evidence kept
        what = f"its language is {name(article.language)} ({article.language})"
    else:
        given = (
            f"the input declares {name(article.language)} "
            f"({info.get('value')!r} in {info.get('where')})"
        )
        if article.language == languages.ENGLISH:
            what = f"{given} but {reads}: {guess.describe()}"
            hint = "If the text is not English, correct the declared language. "
        elif guess.english and guess.rule == "English words":
            what = f"{given}, although its text reads as English ({guess.describe()})"
            hint = "If the article is in English, correct the declared language. "
        else:
            what = given
    return input_error(
        NOT_ENGLISH,
        f"{what}; presslens's stages are trained on English, so its entities, quotes, "
        "techniques, genre and claims are unreliable",
        where=article.source or article.id,
        hint=f"{hint}It is analysed and kept with language {article.language!r} (the "
        "`language` of --json, --jsonl, `show` and exports): leave it out of English "
        "comparisons, or remove it from the input.",
    )
