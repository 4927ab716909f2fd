"""The data model: one :class:`Article` with named layers of :class:`Span` objects.

Every span carries ``start``/``end`` offsets into ``Article.text`` (the normalised text) and its
surface ``text``; :meth:`Article.check` enforces ``article.text[start:end] == span.text``. Spans
refer to other spans by ``(layer, index)`` pairs in ``attrs``, never by copying text.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from presslens.errors import SpanError
from presslens.offsets import OffsetMap

SCHEMA_VERSION = 1

JSONValue = Any  # attrs hold small JSON-serialisable values

#: Layer names are the public contract; their attrs are documented in the README.
LAYERS: dict[str, str] = {
    "paragraphs": "Paragraphs (blank-line or line separated); label 'title' for a headline line.",
    "sentences": "Sentences from the dependency parse.",
    "entities": "Named-entity mentions; attrs.entity is the article-local cluster id.",
    "disclaimers": "Editorial disclaimers ('The views expressed … belong to the author').",
    "datelines": "The dateline at the start of the body ('Rabat –'); attrs.place.",
    "attributions": "One span per attributed statement (its content); attrs kind, cue, source, "
    "speaker, resolution.",
    "cues": "Reporting cues ('said', 'according to'), referenced by attributions' attrs.cue.",
    "sources": "Source noun phrases, referenced by attributions' attrs.source.",
    "timexes": "Time expressions; attrs type (DATE, TIME, DURATION, SET), value (TIMEX3), "
    "anchored.",
    "quantities": "Numbers with value, low, high, approx, unit, counted, predicate, time, "
    "place, source.",
    "events": "Dated statements (the sentence); attrs date, date_source, timex, what, who, "
    "also, attribution.",
    "techniques": "Persuasion technique spans (label: one of 23 SemEval-2023 techniques); attrs "
    "confidence, span_score, paragraph_score, explanation, runner_up, quoted, basis.",
    "claims": "Check-worthy factual sentences; attrs score.",
}


class Span(BaseModel):
    """A labelled character range of the article's normalised text."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, description="Start offset into Article.text (inclusive).")
    end: int = Field(ge=0, description="End offset into Article.text (exclusive).")
    label: str = Field(description="What the span is, e.g. PERSON, sentence.")
    text: str = Field(description="Surface form: always equals article.text[start:end].")
    attrs: dict[str, JSONValue] = Field(default_factory=dict, description="Small JSON attrs.")

    @property
    def confidence(self) -> float | None:
        """``attrs.confidence`` when it is a number (stages that score their spans set it)."""
        value = self.attrs.get("confidence")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def reaches(self, bar: float) -> bool:
        """Whether the span's confidence reaches ``bar`` (a span without one never does)."""
        confidence = self.confidence
        return confidence is not None and confidence >= bar


class Cluster(BaseModel):
    """Mentions of one entity within an article, with the name chosen to stand for them."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Article-local id referenced by entity spans' attrs.entity.")
    label: str = Field(description="Entity type: PERSON, ORG, GPE, NORP, LOC, …")
    name: str = Field(description="Canonical name: the longest full form, titles stripped.")
    mentions: list[int] = Field(description="Indices into layers['entities'].")
    variants: dict[str, int] = Field(description="Surface forms and how often each occurs.")


class Published(BaseModel):
    """Publication date and where it came from (evidence, not a guess)."""

    model_config = ConfigDict(extra="forbid")

    date: date
    source: str = Field(description="header | html-meta | record-field | dateline | …")
    raw: str = Field(default="", description="The text the date was read from.")


class Removed(BaseModel):
    """Text that normalisation took out of ``text``, kept with its raw position."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="header | boilerplate | repeated-line | …")
    text: str
    raw_start: int = Field(description="Start offset in the raw (decoded) input.")
    raw_end: int
    reason: str = Field(default="", description="Which rule removed it.")


class Article(BaseModel):
    """One news article: normalised text, metadata and analysis layers."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    id: str = Field(default="", description="Content hash of source key + raw input text.")
    text: str = Field(description="Normalised text; every offset refers to it.")
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    source: str = Field(default="", description="Where it was read: path[:line] or '<string>'.")
    published: Published | None = None
    language: str = Field(
        default="en",
        description="Language tag: what the input declares (HTML lang, a record's language "
        "field, a language: header, the feed's language), else what the text reads as; 'en' "
        "unless it reads confidently as another. Evidence in meta.language_from.",
    )
    authors: list[str] = Field(default_factory=list)
    meta: dict[str, JSONValue] = Field(
        default_factory=dict,
        description="Article-level facts: genre, dateline, removed (text taken out by "
        "normalisation, each {kind, text, raw_start, raw_end, reason}), encoding, pipeline, …",
    )
    offset_map: list[tuple[int, int, int, int]] = Field(
        default_factory=list,
        description="Pieces (norm_start, norm_end, raw_start, raw_end) mapping text to raw input.",
    )
    layers: dict[str, list[Span]] = Field(default_factory=dict)
    clusters: list[Cluster] = Field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    # Transient, never serialised: the spaCy Doc shared by stages within one process.
    _doc: Any = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _removed_into_meta(cls, data: Any) -> Any:
        """Accept ``removed=[...]`` when building an article; it is kept in ``meta``."""
        if isinstance(data, dict) and "removed" in data:
            data = dict(data)
            items = data.pop("removed") or []
            meta = dict(data.get("meta") or {})
            meta["removed"] = [Removed.model_validate(r).model_dump() for r in items] + list(
                meta.get("removed", [])
            )
            data["meta"] = meta
        return data

    @property
    def removed(self) -> list[Removed]:
        """What normalisation took out of ``text`` (``meta["removed"]``), with raw positions."""
        return [Removed.model_validate(r) for r in self.meta.get("removed", [])]

    # -- construction -------------------------------------------------------------------
    @staticmethod
    def make_id(key: str, text: str) -> str:
        """Stable id: re-reading the same source with the same content yields the same id."""
        return hashlib.sha256(f"{key}\x00{text}".encode()).hexdigest()[:16]

    def ensure_id(self) -> Article:
        if not self.id:
            self.id = self.make_id(self.url or self.source, self.text)
        return self

    # -- spans --------------------------------------------------------------------------
    def span(self, start: int, end: int, label: str, **attrs: JSONValue) -> Span:
        """A span over this article's text (surface filled in from the text)."""
        if not 0 <= start <= end <= len(self.text):
            raise SpanError(
                f"span [{start}, {end}) is outside the text (length {len(self.text)})",
                where=self.source or self.id,
                hint="This is a bug in the stage that made it; please report it.",
            )
        return Span(start=start, end=end, label=label, text=self.text[start:end], attrs=attrs)

    def add(self, layer: str, span: Span) -> int:
        """Append a span to a layer and return its index."""
        spans = self.layers.setdefault(layer, [])
        spans.append(span)
        return len(spans) - 1

    def layer(self, name: str) -> list[Span]:
        return self.layers.get(name, [])

    def check(self) -> None:
        """Raise :class:`SpanError` unless every span's offsets and surface agree with text."""
        n = len(self.text)
        for name, spans in self.layers.items():
            for i, s in enumerate(spans):
                if not (0 <= s.start <= s.end <= n) or self.text[s.start : s.end] != s.text:
                    raise SpanError(
                        f"layers[{name!r}][{i}] [{s.start}, {s.end}) does not match its surface "
                        f"{s.text!r}",
                        where=self.source or self.id,
                    )

    # -- offsets ------------------------------------------------------------------------
    @property
    def offsets(self) -> OffsetMap:
        """Map between offsets in ``text`` and in the raw input that was read."""
        if not self.offset_map:
            return OffsetMap.identity(len(self.text))
        return OffsetMap(self.offset_map)

    def raw_span(self, span: Span) -> tuple[int, int]:
        return self.offsets.span_to_raw(span.start, span.end)

    # -- serialisation ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        art = cls.model_validate(data)
        art.check()
        return art

    @classmethod
    def from_json(cls, data: str | bytes) -> Article:
        return cls.from_dict(json.loads(data))

    def content_hash(self) -> str:
        """Hash of the whole analysed article: equal hashes mean nothing changed."""
        return hashlib.sha256(self.to_json(sort_keys=True).encode()).hexdigest()


def json_schema() -> dict[str, Any]:
    """JSON Schema of the article format (what ``presslens schema`` prints)."""
    schema = Article.model_json_schema()
    schema["$id"] = f"https://presslens.invalid/schema/article-v{SCHEMA_VERSION}.json"
    schema["description"] = (
        "A presslens article. Invariant: for every span s in every layer, "
        "text[s.start:s.end] == s.text."
    )
    return schema


GenreLabel = Literal["reporting", "opinion", "satire"]
